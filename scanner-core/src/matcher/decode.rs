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

/// The text an exact-length base64 value encodes (padding and length must be exact, so a
/// plain value that happens to use base64 characters does not pass by decoding to noise),
/// without a trailing line break (`echo KEY | base64`); `None` unless it is UTF-8 without
/// control characters other than tab and newline.
pub(crate) fn base64_text(value: &[u8]) -> Option<String> {
    if !value.len().is_multiple_of(4) {
        return None;
    }
    let text = String::from_utf8(decode_base64(value)?).ok()?;
    let text = text.trim_end_matches(['\n', '\r']);
    let binary = text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t');
    (!text.is_empty() && !binary).then(|| text.to_string())
}

/// The bytes a string of hex digit pairs spells; `None` for an odd length or a non-hex digit.
pub(crate) fn decode_hex(value: &[u8]) -> Option<Vec<u8>> {
    if !value.len().is_multiple_of(2) {
        return None;
    }
    value
        .chunks(2)
        .map(|p| Some(hex(p[0])? << 4 | hex(p[1])?))
        .collect()
}

/// Decoded text must be mostly printable to be worth scanning (binary blobs are not).
fn mostly_text(bytes: &[u8]) -> bool {
    let printable = bytes
        .iter()
        .filter(|&&b| b.is_ascii_graphic() || b.is_ascii_whitespace())
        .count();
    !bytes.is_empty() && printable * 10 >= bytes.len() * 9
}

/// A region of input with its base64 runs replaced by their decoded text.
pub(crate) struct DecodedView {
    bytes: Vec<u8>,
    /// (range in view, range in original, decoded?) in order.
    segments: Vec<(Range<usize>, Range<usize>, bool)>,
}

impl DecodedView {
    pub(crate) fn build(hay: &[u8], region: Range<usize>) -> DecodedView {
        let mut bytes = Vec::with_capacity(region.len());
        let mut segments = Vec::new();
        let mut plain_start = region.start;
        let mut i = region.start;
        let push_plain = |bytes: &mut Vec<u8>, segments: &mut Vec<_>, r: Range<usize>| {
            if !r.is_empty() {
                let v = bytes.len()..bytes.len() + r.len();
                bytes.extend_from_slice(&hay[r.clone()]);
                segments.push((v, r, false));
            }
        };
        while i < region.end {
            if !is_base64_byte(hay[i]) {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < region.end && is_base64_byte(hay[j]) {
                j += 1;
            }
            if j - i >= MIN_BASE64_RUN {
                if let Some(dec) = decode_base64(&hay[i..j]).filter(|d| mostly_text(d)) {
                    push_plain(&mut bytes, &mut segments, plain_start..i);
                    // The padding belongs to the encoded value, not to the text after it.
                    while j < region.end && j - i < MAX_BASE64_RUN && hay[j] == b'=' {
                        j += 1;
                    }
                    let v = bytes.len()..bytes.len() + dec.len();
                    bytes.extend_from_slice(&dec);
                    segments.push((v, i..j, true));
                    plain_start = j;
                }
            }
            i = j;
        }
        push_plain(&mut bytes, &mut segments, plain_start..region.end);
        DecodedView { bytes, segments }
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub(crate) fn decoded_any(&self) -> bool {
        self.segments.iter().any(|s| s.2)
    }

    fn segment_of(&self, pos: usize) -> Option<&(Range<usize>, Range<usize>, bool)> {
        self.segments
            .iter()
            .find(|(v, _, _)| v.contains(&pos))
            .or_else(|| self.segments.last())
    }

    /// True when `span` of the view starts inside decoded text.
    pub(crate) fn is_decoded(&self, span: &Range<usize>) -> bool {
        self.segment_of(span.start).is_some_and(|s| s.2)
    }

    /// Maps a span of the view back to the original input.
    pub(crate) fn to_original(&self, span: &Range<usize>) -> Range<usize> {
        let Some((v, o, decoded)) = self.segment_of(span.start) else {
            return 0..0;
        };
        if *decoded {
            let rel = span.start - v.start..(span.end.min(v.end)) - v.start;
            base64_span_to_encoded(o, &rel)
        } else {
            let start = o.start + (span.start - v.start);
            start..(start + span.len()).min(o.end)
        }
    }
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

/// True when a `%XX` escape starts at `i`.
pub(crate) fn percent_escape_at(s: &[u8], i: usize) -> bool {
    i + 2 < s.len() && s[i] == b'%' && hex(s[i + 1]).is_some() && hex(s[i + 2]).is_some()
}

/// True when `s` holds at least one `%XX` escape.
pub(crate) fn has_percent_escape(s: &[u8]) -> bool {
    memchr::memchr_iter(b'%', s)
        .any(|i| i + 2 < s.len() && hex(s[i + 1]).is_some() && hex(s[i + 2]).is_some())
}

/// The ASCII character a character escape at `i` stands for, and the escape's length: JSON
/// `\/` and `\u00XX`, HTML `&#NN;` and `&#xHH;`. Only printable ASCII is decoded: serializers
/// write `\/` (PHP), `\u002B` (.NET) or `&#43;` (Go templates) inside otherwise plain values,
/// which splits a secret in the raw text.
fn char_escape_at(s: &[u8], i: usize) -> Option<(u8, usize)> {
    let (c, len) = match s.get(i)? {
        b'\\' => match s.get(i + 1)? {
            b'/' => (b'/', 2),
            b'u' if s.len() >= i + 6 && &s[i + 2..i + 4] == b"00" => {
                (hex(s[i + 4])? << 4 | hex(s[i + 5])?, 6)
            }
            _ => return None,
        },
        b'&' if s.get(i + 1) == Some(&b'#') => {
            let hexadecimal = matches!(s.get(i + 2), Some(b'x' | b'X'));
            let digits = i + 2 + usize::from(hexadecimal);
            let mut v: u32 = 0;
            let mut j = digits;
            while j < s.len() && j - digits < 4 {
                let d = if hexadecimal {
                    hex(s[j])
                } else {
                    s[j].is_ascii_digit().then(|| s[j] - b'0')
                };
                let Some(d) = d else { break };
                v = v * if hexadecimal { 16 } else { 10 } + u32::from(d);
                j += 1;
            }
            if j == digits || s.get(j) != Some(&b';') {
                return None;
            }
            (u8::try_from(v).ok()?, j + 1 - i)
        }
        _ => return None,
    };
    (0x20..0x7f).contains(&c).then_some((c, len))
}

/// True when `s` holds a percent escape or a character escape of printable ASCII (JSON `\/`,
/// `\u00XX`, HTML `&#NN;`, `&#xHH;`).
pub(crate) fn has_escape(s: &[u8]) -> bool {
    has_percent_escape(s)
        || memchr::memchr2_iter(b'\\', b'&', s).any(|i| char_escape_at(s, i).is_some())
}

/// Decodes percent escapes and character escapes of printable ASCII (see [`has_escape`]),
/// keeping the offsets back to the escaped text. Other bytes (other backslash escapes and
/// entities, `+`) stay as they are.
pub(crate) fn unescape(s: &[u8]) -> PercentDecoded {
    let mut bytes = Vec::with_capacity(s.len());
    let mut offsets = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        offsets.push(i);
        if s[i] == b'%' && i + 2 < s.len() {
            if let (Some(h), Some(l)) = (hex(s[i + 1]), hex(s[i + 2])) {
                bytes.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        if let Some((c, len)) = char_escape_at(s, i) {
            bytes.push(c);
            i += len;
            continue;
        }
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
    fn json_escapes_round_trip_offsets() {
        let raw = br#"k":"a\/b\u002Bc\u00e9\n%2F""#;
        assert!(has_escape(raw));
        assert!(!has_escape(br#"a\nb\u00e9"#));
        let d = unescape(raw);
        assert_eq!(d.bytes, br#"k":"a/b+c\u00e9\n/""#);
        // "a/b+c" maps back to the escaped text.
        assert_eq!(d.encoded_range(&(4..9)), 4..15);
        let d = unescape(b"a&#43;b&#x2F;c&#x2f;&#8203;&amp;&#;&#43");
        assert_eq!(d.bytes, b"a+b/c/&#8203;&amp;&#;&#43");
        assert!(!has_escape(b"&amp; &#8203; &#x;"));
    }

    #[test]
    fn unescape_offsets_stay_in_bounds_on_escape_soup() {
        const SOUP: &[u8] = b"\\u0&#xX;2B/%Fa7";
        let mut state = 0x2545_f491_u64;
        for len in 0..200 {
            let s: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    SOUP[(state % SOUP.len() as u64) as usize]
                })
                .collect();
            let d = unescape(&s);
            assert!(d.bytes.len() <= s.len());
            for a in 0..=d.bytes.len() {
                let r = d.encoded_range(&(a..d.bytes.len()));
                assert!(r.start <= r.end && r.end == s.len(), "{r:?} {s:?}");
            }
            if !has_escape(&s) {
                assert_eq!(d.bytes, s);
            }
        }
    }

    #[test]
    fn percent_round_trip_offsets() {
        let d = unescape(b"a%2Fb%2Bc");
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

#[cfg(test)]
mod view_tests {
    use super::*;

    #[test]
    fn view_decodes_neighbouring_values() {
        let text = b"data:\n  AWS_ACCESS_KEY_ID: QUtJQVJUVFE3Q0hXTk1WWVdSNFI=\n  AWS_SECRET_ACCESS_KEY: MTBmdFRvc3htaE15UEd5V0pXYVRQTHZ6Qjk1eXUyVXYrOXd3MjZPVg==\n";
        let view = DecodedView::build(text, 0..text.len());
        let s = String::from_utf8_lossy(view.bytes()).into_owned();
        assert!(s.contains("AKIARTTQ7CHWNMVYWR4R"), "{s}");
        assert!(
            s.contains("10ftTosxmhMyPGyWJWaTPLvzB95yu2Uv+9ww26OV"),
            "{s}"
        );
    }
}
