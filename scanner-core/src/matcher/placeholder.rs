//! Values that have the shape of a secret but are not one: documentation examples and
//! placeholders. Both are counted, never reported.

/// Why a candidate was rejected before becoming a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotASecret {
    /// A documentation example (`AKIAIOSFODNN7EXAMPLE`).
    Example,
    /// A placeholder, mask, template reference or trivially patterned value.
    Placeholder,
}

const PLACEHOLDER_MARKERS: &[&[u8]] = &[
    b"xxxx",
    b"****",
    b"...",
    b"${",
    b"{{",
    b"&lt;",
    b"&gt;",
    b"your_",
    b"your-",
    b"placeholder",
    b"changeme",
    b"redacted",
    b"0123456789",
    b"1234567890",
    b"abcdefghij",
];

/// Classifies a candidate secret with the global filter (see `docs/rules-format.md`).
pub(crate) fn classify(secret: &[u8]) -> Option<NotASecret> {
    if contains_ignore_case(secret, b"example") {
        return Some(NotASecret::Example);
    }
    if PLACEHOLDER_MARKERS
        .iter()
        .any(|m| contains_ignore_case(secret, m))
    {
        return Some(NotASecret::Placeholder);
    }
    if angle_bracketed(secret) {
        return Some(NotASecret::Placeholder);
    }
    if let Some(&first) = secret.first() {
        if secret.iter().all(|&b| b == first) {
            return Some(NotASecret::Placeholder);
        }
    }
    None
}

/// `<your-key>`, `<%= ENV["X"] %>`, `key-<id>`, `<token`, `token>`: a `<` … `>` pair or an angle
/// bracket at either end. A lone `<` or `>` inside a value is just a character of a generated
/// secret (`7D'}/vYR)T;W>qX`).
fn angle_bracketed(secret: &[u8]) -> bool {
    if matches!(secret.first(), Some(b'<' | b'>')) || matches!(secret.last(), Some(b'<' | b'>')) {
        return true;
    }
    match secret.iter().position(|&b| b == b'<') {
        Some(open) => secret[open..].contains(&b'>'),
        None => false,
    }
}

/// Shapes that are usually identifiers or digests rather than credentials: hex strings of digest
/// lengths (git SHAs, MD5/SHA sums) and UUIDs. Provider rules know better; generic rules
/// report these only at low confidence.
pub(crate) fn looks_like_digest_or_id(secret: &[u8]) -> bool {
    let hex = secret.iter().all(|b| b.is_ascii_hexdigit());
    if hex && matches!(secret.len(), 32 | 40 | 56 | 64 | 96 | 128) {
        return true;
    }
    secret.len() == 36
        && secret.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    if needle.len() > hay.len() {
        return false;
    }
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_and_placeholders() {
        assert_eq!(classify(b"AKIAIOSFODNN7EXAMPLE"), Some(NotASecret::Example));
        assert_eq!(
            classify(b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            Some(NotASecret::Example)
        );
        assert_eq!(
            classify(b"AKIAXXXXXXXXXXXXXXXX"),
            Some(NotASecret::Placeholder)
        );
        assert_eq!(classify(b"${AWS_SECRET}"), Some(NotASecret::Placeholder));
        assert_eq!(classify(b"<your-key>"), Some(NotASecret::Placeholder));
        assert_eq!(classify(b"key-<id>-v2"), Some(NotASecret::Placeholder));
        assert_eq!(classify(b"<%=ENV[\"X\"]%>"), Some(NotASecret::Placeholder));
        assert_eq!(
            classify(b"&lt;YOURPASSWORD&gt;"),
            Some(NotASecret::Placeholder)
        );
        assert_eq!(classify(b"token>"), Some(NotASecret::Placeholder));
        assert_eq!(classify(b"7`D'}/vYR)T;W>qX??]G&3CF"), None);
        assert_eq!(classify(b"k3T>v9Lq2z<R7x"), None);
        assert_eq!(classify(b"aaaaaaaa"), Some(NotASecret::Placeholder));
        assert_eq!(classify(b"AKIAZ3MHBX4QTY7VQZ7B"), None);
    }
}
