//! Companion search: the value that completes a credential (an AWS secret key next to its key
//! id) is looked for a few lines around the match, and the nearest one wins.

use std::ops::Range;

use super::{entropy::shannon_entropy, placeholder, RawCompanion};
use crate::rules::Companion;

/// Companion search never looks further than this many bytes either way.
const MAX_REACH: usize = 8 * 1024;

/// Byte range covering `lines` lines above and below `span`.
fn line_region(bytes: &[u8], span: &Range<usize>, lines: usize) -> Range<usize> {
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

/// The nearest acceptable companion value around `whole` (the primary match).
pub(crate) fn nearest(comp: &Companion, bytes: &[u8], whole: &Range<usize>) -> Option<RawCompanion> {
    let regex = comp.regex()?;
    let region = line_region(bytes, whole, comp.spec.within_lines);
    let hay = &bytes[..region.end];
    let mut best: Option<((usize, usize, usize), Range<usize>)> = None;
    let mut pos = region.start;
    while pos < region.end {
        let Some(caps) = regex.captures_at(hay, pos) else { break };
        let m = caps.get(0).expect("group 0");
        let s = caps.name("secret").unwrap_or(m).range();
        pos = if m.end() > m.start() { m.end() } else { m.start() + 1 };
        if s.start < whole.end && whole.start < s.end {
            continue;
        }
        let value = &bytes[s.clone()];
        if let Some(min) = comp.spec.min_entropy {
            if shannon_entropy(value) < min {
                continue;
            }
        }
        if placeholder::classify(value) == Some(placeholder::NotASecret::Placeholder) {
            continue;
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
        if best.as_ref().is_none_or(|(d, _)| dist < *d) {
            best = Some((dist, s));
        }
    }
    best.map(|(_, s)| RawCompanion {
        name: comp.spec.name.clone(),
        value: bytes[s.clone()].to_vec(),
        span: s,
    })
}
