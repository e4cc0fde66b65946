//! Encoded layers: credentials hidden in base64 blobs (Kubernetes secrets, Docker configs,
//! data URIs) or percent-encoded in URLs. Decoded text is scanned again, to a bounded depth,
//! and findings point back at the encoded text.

use base64::engine::{general_purpose::GeneralPurpose, DecodePaddingMode, GeneralPurposeConfig};
use base64::Engine;
use std::ops::Range;

/// Base64 runs shorter than this cannot hold a credential worth reporting.
const MIN_BASE64_RUN: usize = 16;
/// Larger runs are not decoded (bounded work per trigger).
const MAX_BASE64_RUN: usize = 1 << 20;

const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT);

fn is_base64_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_')
}

/// The maximal base64 run around `at`, if it is long enough to decode.
pub(crate) fn base64_run_around(hay: &[u8], at: usize) -> Option<Range<usize>> {
    let mut start = at;
    while start > 0 && is_base64_byte(hay[start - 1]) && at - start < MAX_BASE64_RUN {
        start -= 1;
    }
    let mut end = at;
    while end < hay.len() && is_base64_byte(hay[end]) && end - start < MAX_BASE64_RUN {
        end += 1;
    }
    (end - start >= MIN_BASE64_RUN && end - start < MAX_BASE64_RUN).then_some(start..end)
}

/// Decodes a base64 run (standard or URL-safe alphabet, padding optional).
pub(crate) fn decode_base64(run: &[u8]) -> Option<Vec<u8>> {
    let mut len = run.len();
    if len % 4 == 1 {
        len -= 1;
    }
    let run = &run[..len];
    let url = run.iter().any(|&b| b == b'-' || b == b'_');
    let std = run.iter().any(|&b| b == b'+' || b == b'/');
    if url && std {
        return None;
    }
    let engine = if url { &URL_SAFE } else { &STANDARD };
    engine.decode(run).ok()
}

/// Maps a byte range of decoded base64 to the range of base64 text that encodes it.
pub(crate) fn base64_span_to_encoded(run: &Range<usize>, decoded: &Range<usize>) -> Range<usize> {
    let start = run.start + decoded.start / 3 * 4;
    let end = run.start + decoded.end.div_ceil(3) * 4;
    start.min(run.end)..end.min(run.end)
}

/// Percent-decoded text plus, for each decoded byte, the offset of its first encoded byte.
pub(crate) struct PercentDecoded {
    pub(crate) bytes: Vec<u8>,
    offsets: Vec<usize>,
    total: usize,
}

impl PercentDecoded {
    /// Maps a decoded range back to the encoded range (relative to the decoded input).
    pub(crate) fn encoded_range(&self, r: &Range<usize>) -> Range<usize> {
        let start = self.offsets.get(r.start).copied().unwrap_or(self.total);
        let end = self.offsets.get(r.end).copied().unwrap_or(self.total);
        start..end
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// True when `s` holds at least one `%XX` escape.
pub(crate) fn has_percent_escape(s: &[u8]) -> bool {
    memchr::memchr_iter(b'%', s).any(|i| {
        i + 2 < s.len() && hex(s[i + 1]).is_some() && hex(s[i + 2]).is_some()
    })
}

/// Decodes `%XX` escapes (not `+`, which is a legal secret character).
pub(crate) fn percent_decode(s: &[u8]) -> PercentDecoded {
    let mut bytes = Vec::with_capacity(s.len());
    let mut offsets = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' && i + 2 < s.len() {
            if let (Some(h), Some(l)) = (hex(s[i + 1]), hex(s[i + 2])) {
                offsets.push(i);
                bytes.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        offsets.push(i);
        bytes.push(s[i]);
        i += 1;
    }
    PercentDecoded {
        bytes,
        offsets,
        total: s.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_round_trip_offsets() {
        let d = percent_decode(b"a%2Fb%2Bc");
        assert_eq!(d.bytes, b"a/b+c");
        assert_eq!(d.encoded_range(&(1..4)), 1..8);
        assert_eq!(d.encoded_range(&(0..5)), 0..9);
    }

    #[test]
    fn base64_run_and_decode() {
        let text = b"data: QUtJQVozTUhCWDRRVFk3VlFaN0I= end";
        let run = base64_run_around(text, 10).unwrap();
        let dec = decode_base64(&text[run.clone()]).unwrap();
        assert_eq!(dec, b"AKIAZ3MHBX4QTY7VQZ7B");
        let enc = base64_span_to_encoded(&run, &(0..20));
        assert_eq!(&text[enc], b"QUtJQVozTUhCWDRRVFk3VlFaN0I");
    }
}
