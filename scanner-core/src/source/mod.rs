//! Sources produce the bytes to scan and know nothing of rules: the working tree (files) and
//! standard input (stdin).

pub(crate) mod files;
pub mod git;
pub(crate) mod stdin;

/// Files whose first this-many bytes hold a NUL are treated as binary.
pub(crate) const BINARY_SNIFF_LEN: usize = 8 * 1024;

/// True when `head` looks like the start of a binary file (a NUL byte in the first 8 KiB; UTF-16
/// text with a byte order mark is not binary).
pub fn looks_binary(head: &[u8]) -> bool {
    let head = &head[..head.len().min(BINARY_SNIFF_LEN)];
    if utf16_bom(head).is_some() {
        return false;
    }
    memchr::memchr(0, head).is_some()
}

/// The byte order of a UTF-16 byte order mark at the start of `bytes`.
pub(crate) fn utf16_bom(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(false),
        [0xFE, 0xFF, ..] => Some(true),
        _ => None,
    }
}

/// The bytes to match: UTF-16 text (with a BOM) transcoded to UTF-8, anything else as is.
pub(crate) fn as_text(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    match utf16_bom(bytes) {
        Some(be) => std::borrow::Cow::Owned(utf16_to_utf8(bytes, be)),
        None => std::borrow::Cow::Borrowed(bytes),
    }
}

/// Transcodes UTF-16 text (after its BOM) to UTF-8, so secrets in it can be matched.
pub(crate) fn utf16_to_utf8(bytes: &[u8], big_endian: bool) -> Vec<u8> {
    let units = bytes[2..].chunks_exact(2).map(|c| {
        if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        }
    });
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect::<String>()
        .into_bytes()
}
