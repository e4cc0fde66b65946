//! Companion search: the value that completes a credential (an AWS secret key next to its key
//! id) is looked for a few lines around the match, and the nearest one wins.

use std::ops::Range;

use super::{decode, entropy, placeholder, RawCompanion};
use crate::rules::Companion;

/// Companion search never looks further than this many bytes either way.
const MAX_REACH: usize = 8 * 1024;

/// Byte range covering `lines` lines above and below `span`.
pub(crate) fn line_region(bytes: &[u8], span: &Range<usize>, lines: usize) -> Range<usize> {
    let floor = span.start.saturating_sub(MAX_REACH);
    let mut start = span.start;
    let mut seen = 0;
    while start > floor {
        if bytes[start - 1] == b'\n' {
            if seen == lines {
                break;
            }
            seen += 1;
        }
        start -= 1;
    }
    let ceil = (span.end + MAX_REACH).min(bytes.len());
    let mut end = span.end;
    let mut seen = 0;
    while end < ceil {
        if bytes[end] == b'\n' {
            if seen == lines {
                break;
            }
            seen += 1;
        }
        end += 1;
    }
    start..end
}

/// The best candidate so far: (distance key, span, value).
type Best = Option<((usize, usize, usize), Range<usize>, Vec<u8>)>;

/// The nearest acceptable companion value around `whole` (the primary match). The region is
/// also searched unescaped when it holds escapes (`%2F` in a secret inside a URL, `\/` or
/// `\u002B` in a JSON string, `&#43;` in HTML).
pub(crate) fn nearest(
    comp: &Companion,
    bytes: &[u8],
    whole: &Range<usize>,
) -> Option<RawCompanion> {
    let regex = comp.regex()?;
    let region = line_region(bytes, whole, comp.spec.within_lines);
    let mut best: Best = None;
    let consider = |s: Range<usize>, value: Vec<u8>, best: &mut Best| {
        if super::overlaps(&s, whole) {
            return;
        }
        if let Some(min) = comp.spec.min_entropy {
            if !entropy::reaches(&value, min) {
                return;
            }
        }
        if placeholder::classify(&value, None) == Some(placeholder::NotASecret::Placeholder) {
            return;
        }
        // Nearest by lines first (profiles in a credentials file sit a few bytes apart), then
        // values after the match (the usual order), then by bytes.
        let (between, after) = if s.start >= whole.end {
            (whole.end..s.start, 0)
        } else {
            (s.end..whole.start, 1)
        };
        let lines = memchr::memchr_iter(b'\n', &bytes[between.clone()]).count();
        let dist = (lines, after, between.len());
        if best.as_ref().is_none_or(|(d, _, _)| dist < *d) {
            *best = Some((dist, s, value));
        }
    };
    for s in captures(regex, &bytes[..region.end], region.start) {
        // A raw value that touches a percent escape is a piece of a longer encoded value
        // (`…%2Bxyz`, `%2Fabc…`): the decoded search below sees it whole.
        let touches_escape = (s.start.saturating_sub(3)..s.start)
            .chain([s.end])
            .any(|i| decode::percent_escape_at(bytes, i));
        if touches_escape {
            continue;
        }
        let value = bytes[s.clone()].to_vec();
        consider(s, value, &mut best);
    }
    if decode::has_escape(&bytes[region.clone()]) {
        let dec = decode::unescape(&bytes[region.clone()]);
        for s in captures(regex, &dec.bytes, 0) {
            let enc = dec.encoded_range(&s);
            let orig = region.start + enc.start..region.start + enc.end;
            consider(orig, dec.bytes[s].to_vec(), &mut best);
        }
    }
    best.map(|(_, span, value)| RawCompanion {
        name: comp.spec.name.clone(),
        value,
        span,
    })
}

/// Spans of the `secret` group (or whole match) of every match from `from` on.
fn captures(regex: &regex::bytes::Regex, hay: &[u8], from: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = from;
    while pos < hay.len() {
        let Some(caps) = regex.captures_at(hay, pos) else {
            break;
        };
        let m = caps.get(0).expect("group 0");
        let secret = caps.name("secret").unwrap_or(m).range();
        pos = super::next_search_start(m.range(), secret.clone());
        out.push(secret);
    }
    out
}
