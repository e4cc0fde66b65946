//! The keyword index: one Aho-Corasick automaton over every rule keyword, plus the base64 forms
//! of the distinctive ones, so a single pass over the input tells which rules to run and where.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use base64::Engine;

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
    /// (rule index, exact bytes to verify for case-sensitive keywords)
    rules: Vec<(u32, Option<Box<[u8]>>)>,
    /// The pattern is the base64 form of a keyword: decode the surrounding run.
    base64: bool,
}

/// All keywords of a rule set in one automaton.
#[derive(Debug)]
pub(crate) struct KeywordIndex {
    automaton: AhoCorasick,
    targets: Vec<PatternTargets>,
}

/// Base64 triggers shorter than this hit too often in ordinary base64 data.
const MIN_TRIGGER_LEN: usize = 4;
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
                let id = slot(lower, &mut patterns, &mut targets);
                let exact = match rule.keywords_case() {
                    KeywordCase::Sensitive => Some(kw.as_bytes().to_vec().into_boxed_slice()),
                    KeywordCase::Insensitive => None,
                };
                targets[id].rules.push((i as u32, exact));
                if rule.keywords_case() == KeywordCase::Sensitive
                    && kw.len() >= MIN_KEYWORD_LEN_FOR_BASE64
                {
                    base64_sources.insert(kw.as_bytes().to_vec());
                }
            }
        }
        for kw in base64_sources {
            for trigger in base64_triggers(&kw) {
                // Triggers are matched case-insensitively like everything else and verified
                // exactly, since base64 is case-sensitive.
                let id = slot(trigger.to_ascii_lowercase(), &mut patterns, &mut targets);
                targets[id].base64 = true;
                targets[id]
                    .rules
                    .push((u32::MAX, Some(trigger.into_boxed_slice())));
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .expect("keyword automaton within size limits");
        KeywordIndex { automaton, targets }
    }

    /// Finds every keyword hit in `hay`: rule hits into `hits`, start offsets of base64
    /// triggers into `base64_hits`.
    pub(crate) fn find(
        &self,
        hay: &[u8],
        hits: &mut Vec<KeywordHit>,
        base64_hits: &mut Vec<usize>,
    ) {
        for m in self.automaton.find_overlapping_iter(hay) {
            let found = &hay[m.start()..m.end()];
            let targets = &self.targets[m.pattern().as_usize()];
            for (rule, exact) in &targets.rules {
                if let Some(exact) = exact {
                    if **exact != *found {
                        continue;
                    }
                }
                if *rule == u32::MAX {
                    if targets.base64 {
                        base64_hits.push(m.start());
                    }
                    continue;
                }
                hits.push(KeywordHit {
                    rule: *rule,
                    start: m.start(),
                    end: m.end(),
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
