//! The keyword index: one Aho-Corasick automaton over every rule keyword, plus the base64 forms
//! of the distinctive ones, so a single pass over the input tells which rules to run and where.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, PatternID};
use base64::Engine;

use super::flat_dfa::FlatDfa;
use crate::rules::{KeywordCase, RuleSet};

/// A keyword occurrence for one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct KeywordHit {
    pub(crate) rule: u32,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

#[derive(Debug, Default)]
struct PatternTargets {
    /// (rule index, the whole keyword, case-sensitive?) — the automaton holds only the first
    /// `MAX_PATTERN_LEN` bytes; the rest is compared on a hit.
    rules: Vec<(u32, Box<[u8]>, bool)>,
    /// The pattern is the base64 form of a keyword: decode the surrounding run.
    base64: bool,
}

/// All keywords of a rule set in one automaton.
#[derive(Debug)]
pub(crate) struct KeywordIndex {
    dfa: DFA,
    start: StateID,
    /// The same automaton as a flat table; `None` only when it has more states than the table
    /// can number (tens of thousands of user keywords), and then `dfa` scans alone.
    flat: Option<FlatDfa>,
    targets: Vec<PatternTargets>,
    pattern_len: Vec<usize>,
    max_len: usize,
}

/// Independent DFA cursors advanced in lockstep over separate parts of a buffer (see
/// `FlatDfa::four`). Measured here: 4 cursors run the same automaton about twice as fast as one.
const STREAMS: usize = 4;
/// Below this size a buffer is scanned by one cursor (the split is not worth its overlap).
const MIN_INTERLEAVED: usize = 2 * 1024;

/// Keywords enter the automaton cut to this length: long keywords (`secret_access_key`,
/// `ABSKQmVkcm9ja0FQSUtleS`) would otherwise add states that every byte's transition may touch;
/// the rest of the keyword is compared only on a hit.
const MAX_PATTERN_LEN: usize = 8;
/// Base64 triggers shorter than this hit too often in ordinary base64 data.
const MIN_TRIGGER_LEN: usize = 4;
/// Only rules with one of these tags get base64 triggers: every trigger costs automaton size, and
/// the credentials worth decoding for are AWS keys (Kubernetes secrets, CI variable dumps) and
/// PEM private keys (`PRIVATE_KEY_B64=LS0tLS1CRUdJTi...`, Helm values, Kubernetes TLS secrets).
const BASE64_TAGS: &[&str] = &["aws", "private-key"];
/// Only keywords at least this long get base64 triggers.
const MIN_KEYWORD_LEN_FOR_BASE64: usize = 4;

impl KeywordIndex {
    pub(crate) fn build(rules: &RuleSet) -> KeywordIndex {
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut targets: Vec<PatternTargets> = Vec::new();
        let mut index_of = std::collections::HashMap::<Vec<u8>, usize>::new();
        let mut slot =
            |key: Vec<u8>, patterns: &mut Vec<Vec<u8>>, targets: &mut Vec<PatternTargets>| {
                *index_of.entry(key.clone()).or_insert_with(|| {
                    patterns.push(key);
                    targets.push(PatternTargets::default());
                    patterns.len() - 1
                })
            };
        let mut base64_sources = std::collections::BTreeSet::new();
        for (i, rule) in rules.iter().enumerate() {
            for kw in rule.keywords() {
                let lower = kw.as_bytes().to_ascii_lowercase();
                let cut = lower[..lower.len().min(MAX_PATTERN_LEN)].to_vec();
                let id = slot(cut, &mut patterns, &mut targets);
                let sensitive = rule.keywords_case() == KeywordCase::Sensitive;
                targets[id].rules.push((
                    i as u32,
                    kw.as_bytes().to_vec().into_boxed_slice(),
                    sensitive,
                ));
                if rule.keywords_case() == KeywordCase::Sensitive
                    && kw.len() >= MIN_KEYWORD_LEN_FOR_BASE64
                    && rule
                        .tags()
                        .iter()
                        .any(|t| BASE64_TAGS.contains(&t.as_str()))
                {
                    base64_sources.insert(kw.as_bytes().to_vec());
                }
            }
        }
        for kw in base64_sources {
            for trigger in base64_triggers(&kw) {
                // Triggers are matched case-insensitively like everything else and verified
                // exactly, since base64 is case-sensitive.
                let lower = trigger.to_ascii_lowercase();
                let cut = lower[..lower.len().min(MAX_PATTERN_LEN)].to_vec();
                let id = slot(cut, &mut patterns, &mut targets);
                targets[id].base64 = true;
                targets[id]
                    .rules
                    .push((u32::MAX, trigger.into_boxed_slice(), true));
            }
        }
        let dfa = aho_corasick::dfa::Builder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .byte_classes(true)
            .build(&patterns)
            .expect("keyword automaton within size limits");
        let start = dfa
            .start_state(Anchored::No)
            .expect("unanchored search is supported");
        let mut bytes: Vec<u8> = patterns.iter().flatten().copied().collect();
        bytes.extend(bytes.clone().iter().map(u8::to_ascii_uppercase));
        bytes.sort_unstable();
        bytes.dedup();
        let flat = FlatDfa::new(&dfa, &bytes).ok();
        let pattern_len: Vec<usize> = patterns.iter().map(Vec::len).collect();
        let max_len = pattern_len.iter().copied().max().unwrap_or(1).max(1);
        KeywordIndex {
            dfa,
            start,
            flat,
            targets,
            pattern_len,
            max_len,
        }
    }

    /// Runs the automaton over `hay`, collecting (pattern, end offset) of every keyword
    /// occurrence, overlapping ones included.
    fn raw_matches(&self, hay: &[u8], out: &mut Vec<(PatternID, usize)>) {
        let n = hay.len();
        let Some(flat) = &self.flat else {
            self.stream(hay, 0, 0, n, self.start, out);
            return;
        };
        if n < MIN_INTERLEAVED {
            flat.stream(hay, 0, 0, n, flat.start(), out);
            return;
        }
        // Cursor k owns matches ending in (own[k], stop[k]]; it starts `max_len - 1` bytes
        // early so a keyword straddling the boundary is still seen whole.
        let chunk = n / STREAMS;
        let lead = self.max_len - 1;
        let own: [usize; STREAMS] = std::array::from_fn(|k| k * chunk);
        let stop: [usize; STREAMS] =
            std::array::from_fn(|k| if k == STREAMS - 1 { n } else { (k + 1) * chunk });
        let starts: [usize; STREAMS] = std::array::from_fn(|k| own[k].saturating_sub(lead));
        // Every cursor has at least `chunk` steps left; the lockstep part runs that many.
        let states = flat.four(hay, starts, chunk, own, out);
        for k in 0..STREAMS {
            flat.stream(hay, starts[k] + chunk, own[k], stop[k], states[k], out);
        }
    }

    /// One cursor from `from` to `to`, reporting matches that end after `own`.
    fn stream(
        &self,
        hay: &[u8],
        from: usize,
        own: usize,
        to: usize,
        mut sid: StateID,
        out: &mut Vec<(PatternID, usize)>,
    ) {
        for (p, &b) in hay[from..to].iter().enumerate() {
            sid = self.dfa.next_state(Anchored::No, sid, b);
            if self.dfa.is_special(sid) {
                self.emit(sid, from + p + 1, own, out);
            }
        }
    }

    #[inline]
    fn emit(&self, sid: StateID, end: usize, own: usize, out: &mut Vec<(PatternID, usize)>) {
        if end > own && self.dfa.is_match(sid) {
            for i in 0..self.dfa.match_len(sid) {
                out.push((self.dfa.match_pattern(sid, i), end));
            }
        }
    }

    /// Finds every keyword hit in `hay`: rule hits into `hits`, start offsets of base64
    /// triggers into `base64_hits`.
    pub(crate) fn find(
        &self,
        hay: &[u8],
        hits: &mut Vec<KeywordHit>,
        base64_hits: &mut Vec<usize>,
    ) {
        let mut raw = Vec::new();
        self.raw_matches(hay, &mut raw);
        for (pid, cut_end) in raw {
            let start = cut_end - self.pattern_len[pid.as_usize()];
            let targets = &self.targets[pid.as_usize()];
            for (rule, full, sensitive) in &targets.rules {
                let end = start + full.len();
                let Some(found) = hay.get(start..end) else {
                    continue;
                };
                let same = if *sensitive {
                    **full == *found
                } else {
                    full.eq_ignore_ascii_case(found)
                };
                if !same {
                    continue;
                }
                if *rule == u32::MAX {
                    if targets.base64 {
                        base64_hits.push(start);
                    }
                    continue;
                }
                hits.push(KeywordHit {
                    rule: *rule,
                    start,
                    end,
                });
            }
        }
    }
}

/// The base64 text that `keyword` produces at each of the three byte alignments, keeping only
/// the characters that depend on the keyword alone (standard and URL-safe alphabets).
fn base64_triggers(keyword: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for align in 0..3usize {
        let mut buf = vec![0u8; align];
        buf.extend_from_slice(keyword);
        buf.extend_from_slice(&[0, 0]);
        let enc = base64::engine::general_purpose::STANDARD.encode(&buf);
        let first = (8 * align).div_ceil(6);
        let last = (8 * (align + keyword.len())) / 6; // exclusive
        if last <= first || last - first < MIN_TRIGGER_LEN {
            continue;
        }
        let stable = enc.as_bytes()[first..last].to_vec();
        let url: Vec<u8> = stable
            .iter()
            .map(|&b| match b {
                b'+' => b'-',
                b'/' => b'_',
                b => b,
            })
            .collect();
        if url != stable {
            out.push(url);
        }
        out.push(stable);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleaved_cursors_find_exactly_what_one_cursor_finds() {
        let rules = crate::RuleSet::default_rules();
        let index = KeywordIndex::build(&rules);
        let flat = index
            .flat
            .as_ref()
            .expect("the default keywords fit the flat table");
        assert!(flat.describe().contains("stride 64"), "{}", flat.describe());
        // Keywords planted everywhere, including across every possible chunk boundary.
        let mut hay = Vec::new();
        let words: &[&[u8]] = &[
            b"AKIA",
            b"password",
            b"ghp_",
            b"xoxb-",
            b"Secret_Access_Key",
            b"-----BEGIN",
        ];
        let mut i = 0usize;
        while hay.len() < 300_000 {
            hay.extend_from_slice(words[i % words.len()]);
            hay.extend(std::iter::repeat_n(b'.', i % 7));
            i += 1;
        }
        for n in [
            hay.len(),
            hay.len() - 1,
            hay.len() - 2,
            hay.len() - 3,
            65_536,
            2048,
            2049,
            4099,
        ] {
            let h = &hay[..n];
            let mut many = Vec::new();
            index.raw_matches(h, &mut many);
            let mut one = Vec::new();
            index.stream(h, 0, 0, h.len(), index.start, &mut one);
            many.sort();
            one.sort();
            assert_eq!(many.len(), one.len(), "len {n}");
            assert_eq!(many, one);
        }
    }

    #[test]
    fn triggers_are_found_in_encoded_text() {
        let triggers = base64_triggers(b"AKIA");
        for prefix in ["", "x", "xy"] {
            let text = format!("{prefix}AKIAZ3MHBX4QTY7VQZ7B");
            let enc = base64::engine::general_purpose::STANDARD.encode(text);
            assert!(
                triggers
                    .iter()
                    .any(|t| enc.as_bytes().windows(t.len()).any(|w| w == &t[..])),
                "no trigger in {enc}"
            );
        }
    }
}
