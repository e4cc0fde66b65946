//! Structural checks some rules ask for after their regex matched (`validate` in a rule).

use super::decode::decode_base64;
use super::placeholder::{self, NotASecret};
use crate::rules::Validate;

/// Checks `secret` with validator `v`; `Err` says how to count a rejected candidate.
pub(crate) fn check(v: Validate, secret: &[u8]) -> Result<(), NotASecret> {
    match v {
        Validate::BasicAuth => basic_auth(secret),
    }
}

/// RFC 7617: base64 of `user-id ":" password`. Both parts must be non-empty printable text and
/// the password a literal: not a reference (`$PASS`, `${..}`, `%PASS%`, `{0}`, `<..>`) nor a
/// placeholder. Weak literal passwords are reported (the header is unambiguous syntax).
fn basic_auth(secret: &[u8]) -> Result<(), NotASecret> {
    let trimmed: Vec<u8> = secret.iter().copied().filter(|&b| b != b'=').collect();
    let decoded = decode_base64(&trimmed).ok_or(NotASecret::Placeholder)?;
    if decoded.is_empty()
        || !decoded
            .iter()
            .all(|&b| (0x20..0x7f).contains(&b) || b >= 0x80)
    {
        return Err(NotASecret::Placeholder);
    }
    let colon = decoded
        .iter()
        .position(|&b| b == b':')
        .ok_or(NotASecret::Placeholder)?;
    let (user, pass) = (&decoded[..colon], &decoded[colon + 1..]);
    if user.is_empty() || pass.is_empty() {
        return Err(NotASecret::Placeholder);
    }
    if let Some(why) = placeholder::classify(pass, false) {
        return Err(why);
    }
    if is_reference(pass) {
        return Err(NotASecret::Placeholder);
    }
    Ok(())
}

/// Template and environment references standing in for a value.
pub(crate) fn is_reference(v: &[u8]) -> bool {
    let first = v.first().copied().unwrap_or(b' ');
    matches!(first, b'$' | b'{' | b'%' | b'<' | b'[')
        || v.windows(2).any(|w| w == b"#{" || w == b"${" || w == b"{{")
        || (v.len() > 1 && first == b':' && v[1].is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_shapes() {
        // deploy:Tq7mZ2vK9x
        assert_eq!(basic_auth(b"ZGVwbG95OlRxN21aMnZLOXg="), Ok(()));
        // weak but literal: ops:hunter22
        assert_eq!(basic_auth(b"b3BzOmh1bnRlcjIy"), Ok(()));
        // no colon: plainvalue
        assert!(basic_auth(b"cGxhaW52YWx1ZQ==").is_err());
        // empty password: ops:
        assert!(basic_auth(b"b3BzOg==").is_err());
        // reference: ops:$PASS
        assert!(basic_auth(b"b3BzOiRQQVNT").is_err());
        // binary
        assert!(basic_auth(b"AAECAwQFBgcICQ==").is_err());
    }
}
