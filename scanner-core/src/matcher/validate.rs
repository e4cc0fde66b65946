//! Structural checks some rules ask for after their regex matched (`validate` in a rule).

use super::decode::{base64_text, decode_base64};
use super::placeholder::{self, NotASecret};
use crate::rules::Validate;

/// Checks `secret` with validator `v`; `Err` says how to count a rejected candidate.
pub(crate) fn check(v: Validate, secret: &[u8]) -> Result<(), NotASecret> {
    match v {
        Validate::BasicAuth => basic_auth(secret),
        Validate::Base64PrivateKey => base64_private_key(secret),
        Validate::Base64Value => base64_value(secret),
    }
}

/// PEM private key types reported as unencrypted keys.
const PRIVATE_KEY_BEGIN: &[&[u8]] = &[
    b"-----BEGIN PRIVATE KEY-----",
    b"-----BEGIN RSA PRIVATE KEY-----",
    b"-----BEGIN EC PRIVATE KEY-----",
    b"-----BEGIN DSA PRIVATE KEY-----",
    b"-----BEGIN OPENSSH PRIVATE KEY-----",
];

/// Decodes the head of the blob (whole 4-character groups only) and checks the BEGIN line and
/// that the key is not passphrase-protected (`Proc-Type: 4,ENCRYPTED`).
fn base64_private_key(secret: &[u8]) -> Result<(), NotASecret> {
    let head = &secret[..secret.len().min(240) / 4 * 4];
    let decoded = decode_base64(head).ok_or(NotASecret::Placeholder)?;
    if !PRIVATE_KEY_BEGIN.iter().any(|b| decoded.starts_with(b)) {
        return Err(NotASecret::Placeholder);
    }
    if decoded.windows(9).any(|w| w == b"ENCRYPTED") {
        return Err(NotASecret::Placeholder);
    }
    let body = decoded
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| &decoded[i + 1..])
        .unwrap_or_default();
    // Every DER key starts with a SEQUENCE ("M" in base64), OpenSSH keys with "b3BlbnNzaC".
    if !(body.starts_with(b"M") || body.starts_with(b"b3BlbnNzaC")) {
        return Err(NotASecret::Placeholder);
    }
    Ok(())
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
    if let Some(why) = placeholder::classify(pass, None) {
        return Err(why);
    }
    if is_reference(pass) {
        return Err(NotASecret::Placeholder);
    }
    Ok(())
}

/// A base64-encoded literal (a Kubernetes Secret's `data` value): whole, strictly decodable,
/// printable UTF-8 text, not a placeholder or reference. Weak passwords are reported: a Secret
/// manifest is credential syntax, as a connection string is.
fn base64_value(secret: &[u8]) -> Result<(), NotASecret> {
    let text = base64_text(secret).ok_or(NotASecret::Placeholder)?;
    if text.chars().count() < 4 {
        return Err(NotASecret::Placeholder);
    }
    if let Some(why) = placeholder::classify(text.as_bytes(), None) {
        return Err(why);
    }
    if is_reference(text.as_bytes()) || placeholder::is_trivial_password(text.as_bytes()) {
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
    fn base64_private_key_heads() {
        use base64::Engine;
        let enc = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let body = "MHcCAQEEIFq0rT7vXb2Kc9dWm4yZr8Lp1Hq6Ns3Tj5Ue0Gf7Ax2Bo";
        let key = format!("-----BEGIN EC PRIVATE KEY-----\n{body}\n-----END EC PRIVATE KEY-----\n");
        assert_eq!(base64_private_key(enc(&key).as_bytes()), Ok(()));
        let public = key.replace("EC PRIVATE", "PUBLIC");
        assert!(base64_private_key(enc(&public).as_bytes()).is_err());
        let enc_key = format!(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0F3A\n\n{body}\n"
        );
        assert!(base64_private_key(enc(&enc_key).as_bytes()).is_err());
        let fake = "-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----\n";
        assert!(base64_private_key(enc(fake).as_bytes()).is_err());
    }

    #[test]
    fn base64_value_shapes() {
        use base64::Engine;
        let enc = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        assert_eq!(base64_value(enc("Vq3#nT8pLw2e").as_bytes()), Ok(()));
        assert_eq!(base64_value(enc("tangerine-42\n").as_bytes()), Ok(()));
        assert!(base64_value(enc("changeme").as_bytes()).is_err());
        assert!(base64_value(enc("${DB_PASSWORD}").as_bytes()).is_err());
        assert!(base64_value(enc("abc").as_bytes()).is_err());
        assert!(base64_value(b"AAECAwQFBgcICQ==").is_err());
        // plain text in base64 characters: decodes to bytes that are not text
        assert!(base64_value(b"hunter22").is_err());
        // unpadded: not a whole base64 value
        assert!(base64_value(b"aHVudGVyMjI").is_err());
    }

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
