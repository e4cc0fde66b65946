//! Values that have the shape of a secret but are not one: documentation examples and
//! placeholders. Both are counted, never reported.

use std::ops::Range;

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
];

/// Sequential runs: a placeholder signal only where nothing else in the match says "this is a
/// credential" (see [`classify`]).
const SEQUENTIAL_MARKERS: &[&[u8]] = &[b"0123456789", b"1234567890", b"abcdefghij"];

/// Classifies a candidate secret with the global filter (see `docs/rules-format.md`).
/// `anchor`: where the rule's distinctive anchor sits in the secret, if the match has one (a
/// provider prefix or signature inside the secret, or an empty range for a required credential
/// context around it). A sequential run inside an otherwise mixed anchored token is just a run of
/// characters of a generated secret; without an anchor it is the strongest sign of a hand-typed
/// placeholder. An anchored token whose body is nothing but sequential runs
/// (`ghp_0123456789abcdefghij…`, `AKIAABCDEFGHIJKLMNOP`) is still a placeholder.
pub(crate) fn classify(secret: &[u8], anchor: Option<Range<usize>>) -> Option<NotASecret> {
    classify_plain(secret, anchor).or_else(|| {
        base64_text(secret)
            .or_else(|| hex_text(secret))
            .and_then(|t| classify_plain(&t, None))
    })
}

/// The text a hex value spells when every byte is printable ASCII: test vectors are written so
/// (`3132333435363738393031323334353637383930` is RFC 4226's secret "12345678901234567890"),
/// while 16 or more random bytes are all printable about once in ten million.
fn hex_text(secret: &[u8]) -> Option<Vec<u8>> {
    if secret.len() < 32 {
        return None;
    }
    let text = super::decode::decode_hex(secret)?;
    text.iter()
        .all(|b| b.is_ascii_graphic() || *b == b' ')
        .then_some(text)
}

/// True when a base64 value encodes prose (several words separated by spaces, no digits):
/// base64 of text is a known non-secret shape of generic values (`dGhlIHF1aWNrIGJyb3du…`).
/// Not for Kubernetes Secret data, where a base64 passphrase is the secret.
pub(crate) fn is_encoded_prose(secret: &[u8]) -> bool {
    base64_text(secret).is_some_and(|t| {
        let words = t.split(|&b| b == b' ').filter(|w| !w.is_empty()).count();
        words >= 4
            && t.iter()
                .all(|b| b.is_ascii_alphabetic() || b" ,.'!?-".contains(b))
    })
}

/// The text a value encodes when it is exact-length base64 of text: a Kubernetes Secret's
/// `data` holds the AWS documentation key
/// (`d0phbHJYVXRuRkVNSS9LN01ERU5HL2JQeFJmaUNZRVhBTVBMRUtFWQ==`) or a base64 `changeme` as often
/// as plain text does. Generated tokens decode to binary.
fn base64_text(secret: &[u8]) -> Option<Vec<u8>> {
    if secret.len() < 8 {
        return None;
    }
    super::decode::base64_text(secret).map(String::into_bytes)
}

fn classify_plain(secret: &[u8], anchor: Option<Range<usize>>) -> Option<NotASecret> {
    let anchored = anchor.is_some();
    if contains_ignore_case(secret, b"example") {
        return Some(NotASecret::Example);
    }
    if PLACEHOLDER_MARKERS
        .iter()
        .any(|m| contains_ignore_case(secret, m))
    {
        return Some(NotASecret::Placeholder);
    }
    if !anchored
        && SEQUENTIAL_MARKERS
            .iter()
            .any(|m| contains_ignore_case(secret, m))
    {
        return Some(NotASecret::Placeholder);
    }
    if let Some(a) = anchor {
        let a = a.start.min(secret.len())..a.end.min(secret.len());
        let body: Vec<u8> = secret[..a.start]
            .iter()
            .chain(&secret[a.end..])
            .copied()
            .filter(|b| b.is_ascii_alphanumeric())
            .collect();
        if only_sequential_runs(&body) {
            return Some(NotASecret::Placeholder);
        }
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

/// Runs shorter than this are ordinary characters.
const MIN_SEQUENTIAL_RUN: usize = 4;

/// True when `body` (8+ alphanumerics) is made only of ascending runs of 4+ consecutive digits or
/// letters (`0123456789abcdef`, `ABCDEFGHIJKLMNOP`, `abcdef1234567890abcdef`); `9` → `0` continues
/// a digit run (`1234567890`).
fn only_sequential_runs(body: &[u8]) -> bool {
    if body.len() < 8 {
        return false;
    }
    let next = |a: u8, b: u8| {
        let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
        (a.is_ascii_digit() && b.is_ascii_digit() && (b == a + 1 || (a == b'9' && b == b'0')))
            || (a.is_ascii_lowercase() && b == a + 1)
    };
    let mut run = 1;
    for i in 1..body.len() {
        if next(body[i - 1], body[i]) {
            run += 1;
        } else {
            if run < MIN_SEQUENTIAL_RUN {
                return false;
            }
            run = 1;
        }
    }
    run >= MIN_SEQUENTIAL_RUN
}

/// True for hosts reserved for documentation: `example.com` / `.org` / `.net` and their
/// subdomains, the `.example` and `.invalid` TLDs (RFC 2606), the RFC 5737 IPv4 blocks
/// (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) and the RFC 3849 IPv6 prefix 2001:db8::/32;
/// also the stand-in names templates use for a host (`user:pass@host:port/dbname`, `@hostname`,
/// `@your-host`, `@some_dsn`).
pub(crate) fn is_documentation_host(host: &[u8]) -> bool {
    let h = String::from_utf8_lossy(host).to_ascii_lowercase();
    let h = h
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.');
    for d in ["example.com", "example.org", "example.net"] {
        if h == d || h.ends_with(&format!(".{d}")) {
            return true;
        }
    }
    if h.ends_with(".example") || h.ends_with(".invalid") || h == "example" {
        return true;
    }
    const STAND_INS: &[&str] = &[
        "host",
        "hostname",
        "server",
        "servername",
        "dbhost",
        "db_host",
        "db-host",
        "dsn",
        "some_dsn",
        "somehost",
        "some-host",
        "some_host",
    ];
    let bare = ["your", "my"]
        .iter()
        .find_map(|p| h.strip_prefix(p))
        .map(|r| r.trim_start_matches(['_', '-']))
        .unwrap_or(h);
    if STAND_INS.contains(&bare) {
        return true;
    }
    if ["192.0.2.", "198.51.100.", "203.0.113."]
        .iter()
        .any(|p| h.starts_with(p))
    {
        return true;
    }
    h.starts_with("2001:db8:") || h.starts_with("2001:0db8:")
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

/// Passwords that documentation writes: short ones, a dictionary of stand-ins (`secret`,
/// `password`, `pass`, `changeme`, `admin`, `test`, `foobared`, …) optionally followed by digits,
/// and `my`/`your`/`test`/`dev`/`demo` + such a word. Only used where the context already says "documentation" (a
/// reserved host): elsewhere a weak password is still a credential.
pub(crate) fn is_trivial_password(secret: &[u8]) -> bool {
    const WORDS: &[&str] = &[
        "secret", "password", "passwd", "pass", "pwd", "pw", "changeme", "changeit", "admin",
        "root", "test", "user", "guest", "demo", "sample", "dummy", "foo", "bar", "foobar",
        "qwerty", "letmein", "welcome", "default", "mysql", "postgres", "redis", "mongo", "db",
        "foobared",
    ];
    if secret.len() < 8 {
        return true;
    }
    let s = String::from_utf8_lossy(secret).to_ascii_lowercase();
    let s = s.trim_end_matches(|c: char| c.is_ascii_digit());
    let s = ["my", "your", "test", "dev", "demo"]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .unwrap_or(s)
        .trim_start_matches(['_', '-']);
    WORDS.contains(&s)
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
    fn base64_of_an_example_or_placeholder_is_one() {
        // base64 of the AWS documentation secret key and of "changeme-changeme"
        let aws = b"d0phbHJYVXRuRkVNSS9LN01ERU5HL2JQeFJmaUNZRVhBTVBMRUtFWQ==";
        assert_eq!(classify(aws, None), Some(NotASecret::Example));
        // the same with the line break `echo KEY | base64` adds
        let aws_nl = b"d0phbHJYVXRuRkVNSS9LN01ERU5HL2JQeFJmaUNZRVhBTVBMRUtFWQo=";
        assert_eq!(classify(aws_nl, None), Some(NotASecret::Example));
        assert_eq!(
            classify(b"Y2hhbmdlbWUtY2hhbmdlbWU=", None),
            Some(NotASecret::Placeholder)
        );
        // 32 random bytes in base64 decode to binary; a token that is not base64 is left alone
        assert_eq!(
            classify(b"q7Zk0Wm1vXb3Qe9TnH2yR8sLc5Jf4Dg6Pa0Ku1Io7Ew=", None),
            None
        );
        assert_eq!(classify(b"Qm7xT2pLk9vR4sW8nB3cY6dF1gH5jK0z", None), None);
        // hex of "12345678901234567890" (RFC 4226); hex of random bytes is left alone
        let hotp = b"3132333435363738393031323334353637383930";
        assert_eq!(classify(hotp, None), Some(NotASecret::Placeholder));
        assert_eq!(classify(b"9c4e7b2a1f8d6e3c5b0a9d2f7e1c4b8a", None), None);
        // base64 of a sentence is prose; of a password, of random bytes, it is not
        assert!(is_encoded_prose(
            b"dGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZw=="
        ));
        assert!(!is_encoded_prose(b"VHIwdWI0ZG9yJjM="));
        assert!(!is_encoded_prose(
            b"q7Zk0Wm1vXb3Qe9TnH2yR8sLc5Jf4Dg6Pa0Ku1Io7Ew="
        ));
    }

    #[test]
    fn examples_and_placeholders() {
        assert_eq!(
            classify(b"AKIAIOSFODNN7EXAMPLE", None),
            Some(NotASecret::Example)
        );
        assert_eq!(
            classify(b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", None),
            Some(NotASecret::Example)
        );
        assert_eq!(
            classify(b"AKIAXXXXXXXXXXXXXXXX", None),
            Some(NotASecret::Placeholder)
        );
        assert_eq!(
            classify(b"${AWS_SECRET}", None),
            Some(NotASecret::Placeholder)
        );
        assert_eq!(classify(b"<your-key>", None), Some(NotASecret::Placeholder));
        assert_eq!(
            classify(b"key-<id>-v2", None),
            Some(NotASecret::Placeholder)
        );
        assert_eq!(
            classify(b"<%=ENV[\"X\"]%>", None),
            Some(NotASecret::Placeholder)
        );
        assert_eq!(
            classify(b"&lt;YOURPASSWORD&gt;", None),
            Some(NotASecret::Placeholder)
        );
        assert_eq!(classify(b"token>", None), Some(NotASecret::Placeholder));
        assert_eq!(classify(b"7`D'}/vYR)T;W>qX??]G&3CF", None), None);
        assert_eq!(classify(b"k3T>v9Lq2z<R7x", None), None);
        assert_eq!(classify(b"aaaaaaaa", None), Some(NotASecret::Placeholder));
        assert_eq!(classify(b"AKIAZ3MHBX4QTY7VQZ7B", None), None);
        assert_eq!(
            classify(b"NRAK-Q7Z0123456789KW3MPLVX2RT", None),
            Some(NotASecret::Placeholder)
        );
        assert_eq!(classify(b"NRAK-Q7Z0123456789KW3MPLVX2RT", Some(0..5)), None);
        assert_eq!(
            classify(b"NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX", Some(0..5)),
            Some(NotASecret::Placeholder)
        );
        assert_eq!(
            classify(b"tk.EXAMPLEabcdefghij", Some(0..3)),
            Some(NotASecret::Example)
        );
    }

    #[test]
    fn sequential_bodies_of_anchored_tokens() {
        // A run inside an otherwise mixed token is fine; a body of runs only is a placeholder.
        assert_eq!(
            classify(b"NRAK-1234567Q9ABCDEFGHIJKLMNOPQ", Some(0..5)),
            None
        );
        assert_eq!(
            classify(b"ghp_0123456789abcdefghijklmnopqrstuvwxyz", Some(0..4)),
            Some(NotASecret::Placeholder)
        );
        assert_eq!(
            classify(b"AKIAABCDEFGHIJKLMNOP", Some(0..4)),
            Some(NotASecret::Placeholder)
        );
        assert_eq!(classify(b"qwerty.1234567890abcdef", Some(0..0)), None);
        assert_eq!(
            classify(b"abcdef.1234567890abcdef", Some(0..0)),
            Some(NotASecret::Placeholder)
        );
        assert!(!only_sequential_runs(b"1234abc"));
        assert!(only_sequential_runs(b"12345678"));
        assert!(!only_sequential_runs(b"12345678z"));
    }

    #[test]
    fn documentation_hosts() {
        for h in [
            "example.com",
            "db.example.org",
            "EXAMPLE.NET",
            "api.acme.example",
            "host.invalid",
            "192.0.2.10",
            "198.51.100.7",
            "203.0.113.254",
            "[2001:db8::1234]",
            "2001:db8:85a3::8a2e:370:7334",
            "host",
            "HOSTNAME",
            "your-host",
            "some_dsn",
        ] {
            assert!(is_documentation_host(h.as_bytes()), "{h}");
        }
        for p in [
            "secret",
            "pass123",
            "mypassword",
            "your_password",
            "Password1",
            "admin2024",
        ] {
            assert!(is_trivial_password(p.as_bytes()), "{p}");
        }
        for p in [
            "D1fficultP%40ssw0rd",
            "wMtVjl5Tl9.f!Poa0",
            "correcthorsebattery",
        ] {
            assert!(!is_trivial_password(p.as_bytes()), "{p}");
        }
        for h in [
            "localhost",
            "examples.com",
            "myexample.com",
            "db.internal",
            "192.0.20.1",
            "10.0.0.5",
            "2001:db9::1",
            "host1",
            "db-host-02",
            "myhostel.net",
        ] {
            assert!(!is_documentation_host(h.as_bytes()), "{h}");
        }
    }
}
