//! The matcher turns bytes into raw matches: one keyword pass, then each hit rule's regex in
//! small windows around its hits, then entropy, placeholder and companion checks. It knows
//! nothing of where the bytes came from.

mod brands;
mod companions;
pub(crate) mod decode;
mod entropy;
mod flat_dfa;
mod keywords;
mod placeholder;
mod validate;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

pub use entropy::shannon_entropy;
use keywords::{KeywordHit, KeywordIndex};
use placeholder::NotASecret;

use crate::rules::{Confidence, Rule, RuleSet};

/// Decoded layers nested deeper than this are not decoded again.
const MAX_DECODE_DEPTH: u8 = 2;
/// How far a match that touches its window's end may be extended.
const MAX_EXTENSION: usize = 64 * 1024;
/// Lines around a base64 trigger that are decoded together.
const DECODE_CONTEXT_LINES: usize = 6;

/// How a match's text was encoded in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Encoding {
    /// Found inside a base64 blob.
    Base64,
    /// Found percent-decoded (URL encoding).
    Percent,
    /// Found with character escapes decoded (JSON `\/`, `\u002B`; HTML `&#43;`).
    Escape,
}

impl Encoding {
    /// Name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Base64 => "base64",
            Encoding::Percent => "percent",
            Encoding::Escape => "escape",
        }
    }
}

/// A value found with a match (the secret key of an AWS key id).
#[derive(Debug, Clone)]
pub struct RawCompanion {
    /// Companion name from the rule.
    pub name: String,
    /// Byte span in the scanned input.
    pub span: Range<usize>,
    /// The value.
    pub value: Vec<u8>,
}

/// A rule match in a byte buffer, before filtering and reporting.
#[derive(Debug, Clone)]
pub struct RawMatch {
    /// Index of the rule in the matcher's rule set.
    pub rule: usize,
    /// Span of the secret in the input (for encoded secrets: of the encoded text).
    pub span: Range<usize>,
    /// The secret (decoded).
    pub secret: Vec<u8>,
    /// Companions found near it.
    pub companions: Vec<RawCompanion>,
    /// Confidence after companion checks.
    pub confidence: Confidence,
    /// Outermost encoding the secret was found under, if any.
    pub encoding: Option<Encoding>,
}

/// Everything the matcher learned about one input.
#[derive(Debug, Default)]
pub struct MatchOutput {
    /// Matches, sorted by span start.
    pub matches: Vec<RawMatch>,
    /// Candidates dropped as documentation examples.
    pub examples: u64,
    /// Candidates dropped as placeholders.
    pub placeholders: u64,
    /// Candidates whose name says they are not a credential (`csrf_token`, `cache_key`: a
    /// rule's `allow_match`) or names a provider whose own rule judged the value.
    pub not_credentials: u64,
    /// Spans of values a provider rule's allow list knows (its documentation's sample key):
    /// generic rules, which know less, do not report them either.
    known_samples: Vec<Range<usize>>,
    /// The rules that reported each secret so far: a value is reported once per rule and input,
    /// and a line with thousands of findings must not compare each new one with all before it.
    reported: HashMap<Vec<u8>, Vec<usize>>,
}

impl MatchOutput {
    fn has(&self, rule: usize, secret: &[u8]) -> bool {
        self.reported.get(secret).is_some_and(|r| r.contains(&rule))
    }

    fn push(&mut self, m: RawMatch) {
        self.reported
            .entry(m.secret.clone())
            .or_default()
            .push(m.rule);
        self.matches.push(m);
    }

    /// Counts a candidate dropped by the placeholder filter or a rule's validator.
    fn count_rejected(&mut self, why: NotASecret) {
        match why {
            NotASecret::Example => self.examples += 1,
            NotASecret::Placeholder => self.placeholders += 1,
        }
    }
}

/// Runs a rule set over byte buffers. Cheap to share between threads.
#[derive(Debug, Clone)]
pub struct Matcher {
    inner: Arc<MatcherInner>,
}

#[derive(Debug)]
struct MatcherInner {
    rules: RuleSet,
    /// Built on first use (or by [`Matcher::prepare`]): a scan of nothing builds nothing.
    index: std::sync::OnceLock<KeywordIndex>,
    /// Provider names, built when a rule that yields to them first needs them.
    provider_names: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
}

impl Matcher {
    /// Builds the keyword automaton for `rules` (regexes compile later, on first hit).
    pub fn new(rules: RuleSet) -> Matcher {
        Matcher {
            inner: Arc::new(MatcherInner {
                rules,
                index: std::sync::OnceLock::new(),
                provider_names: std::sync::OnceLock::new(),
            }),
        }
    }

    /// Builds the keyword automaton now (callers that wait on something else, such as a git
    /// process, can build it meanwhile on another thread).
    pub fn prepare(&self) {
        self.index();
    }

    fn index(&self) -> &KeywordIndex {
        self.inner
            .index
            .get_or_init(|| KeywordIndex::build(&self.inner.rules))
    }

    /// The rules this matcher runs.
    pub fn rules(&self) -> &RuleSet {
        &self.inner.rules
    }

    /// Finds all matches in `bytes`.
    pub fn find(&self, bytes: &[u8]) -> MatchOutput {
        let mut out = MatchOutput::default();
        self.find_into(bytes, 0, &mut out);
        let rules = &self.inner.rules;
        // Not counted again: the provider rule counted the value when its allow list knew it.
        out.matches.retain(|m| {
            !rules.by_index(m.rule).is_fallback()
                || !out.known_samples.iter().any(|s| overlaps(s, &m.span))
        });
        absorb_overlaps(rules, &mut out.matches);
        out
    }

    fn find_into(&self, bytes: &[u8], depth: u8, out: &mut MatchOutput) {
        let mut hits = Vec::new();
        let mut b64 = Vec::new();
        self.index().find(bytes, &mut hits, &mut b64);
        if hits.is_empty() && b64.is_empty() {
            return;
        }
        hits.sort_unstable();
        let mut i = 0;
        while i < hits.len() {
            let rule_idx = hits[i].rule;
            let mut j = i;
            while j < hits.len() && hits[j].rule == rule_idx {
                j += 1;
            }
            let rule = self.inner.rules.by_index(rule_idx as usize);
            self.run_rule(rule_idx as usize, rule, bytes, &hits[i..j], out);
            i = j;
        }
        if depth < MAX_DECODE_DEPTH {
            self.decode_base64_layers(bytes, &b64, depth, out);
        }
    }

    fn run_rule(
        &self,
        rule_idx: usize,
        rule: &Rule,
        bytes: &[u8],
        hits: &[KeywordHit],
        out: &mut MatchOutput,
    ) {
        let Some(regex) = rule.regex() else { return };
        for window in windows(hits, rule.window_before(), rule.window_after(), bytes.len()) {
            let mut cands = Vec::new();
            collect_captures(regex, bytes, window.clone(), &mut cands);
            let win_bytes = &bytes[window.clone()];
            if decode::has_escape(win_bytes) {
                let dec = decode::unescape(win_bytes);
                let mut dcands = Vec::new();
                collect_captures(regex, &dec.bytes, 0..dec.bytes.len(), &mut dcands);
                for c in dcands {
                    let enc = dec.encoded_range(&c.secret);
                    let enc = window.start + enc.start..window.start + enc.end;
                    if cands.iter().any(|r| r.secret == enc) {
                        continue;
                    }
                    let whole = dec.encoded_range(&c.whole);
                    let whole = window.start + whole.start..window.start + whole.end;
                    // Escapes inside the value: the decoded form is the real secret.
                    let value =
                        (enc.len() != c.secret.len()).then(|| dec.bytes[c.secret.clone()].to_vec());
                    // Names are judged in decoded form too (`&#34;csrf_token&#34;`).
                    cands.push(Candidate {
                        secret: enc,
                        whole,
                        value,
                        host: c.host,
                        decoded: Some(DecodedText {
                            whole: dec.bytes[c.whole.clone()].to_vec(),
                            name_len: c.secret.start - c.whole.start,
                        }),
                    });
                }
            }
            for cand in cands {
                self.accept(rule_idx, rule, bytes, cand, out);
            }
        }
    }

    /// True when the text before the candidate's secret (its name) contains a provider's name.
    fn names_a_provider(&self, bytes: &[u8], cand: &Candidate) -> bool {
        let names = self
            .inner
            .provider_names
            .get_or_init(|| brands::provider_names(&self.inner.rules));
        names
            .as_ref()
            .is_some_and(|n| brands::names_a_provider(n, cand.name_text(bytes)))
    }

    fn accept(
        &self,
        rule_idx: usize,
        rule: &Rule,
        bytes: &[u8],
        cand: Candidate,
        out: &mut MatchOutput,
    ) {
        let secret = cand
            .value
            .clone()
            .unwrap_or_else(|| bytes[cand.secret.clone()].to_vec());
        if secret.is_empty() {
            return;
        }
        if out.has(rule_idx, &secret) {
            return;
        }
        if let Some(min) = rule.min_entropy() {
            if !entropy::reaches(&secret, min) {
                return;
            }
        }
        // A trivial password at a host reserved for documentation is an example; a
        // non-trivial one is still reported (hosts are often replaced by example.com when a
        // real configuration is pasted, passwords less often).
        if cand
            .host
            .as_deref()
            .is_some_and(placeholder::is_documentation_host)
            && placeholder::is_trivial_password(&secret)
        {
            out.examples += 1;
            return;
        }
        if let Some(why) = placeholder::classify(&secret, rule.anchor(&secret)) {
            out.count_rejected(why);
            return;
        }
        if rule.allow().iter().any(|a| a.is_match(&secret)) {
            if !rule.is_fallback() {
                out.known_samples.push(cand.secret.clone());
            }
            out.placeholders += 1;
            return;
        }
        let not_a_credential = (rule.is_fallback() && placeholder::is_encoded_prose(&secret))
            || rule
                .allow_match()
                .iter()
                .any(|a| a.is_match(cand.whole_text(bytes)))
            || (rule.spec().yields_to_provider_names && self.names_a_provider(bytes, &cand));
        if not_a_credential {
            out.not_credentials += 1;
            return;
        }
        if let Some(v) = rule.validation() {
            if let Err(why) = validate::check(v, &secret) {
                out.count_rejected(why);
                return;
            }
        }
        let mut confidence = rule.confidence();
        if rule.tags().iter().any(|t| t == "generic")
            && !rule.spec().credential_context
            && placeholder::looks_like_digest_or_id(&secret)
        {
            confidence = Confidence::Low;
        }
        let mut found = Vec::new();
        for comp in rule.companions() {
            let relevant = comp.spec.when_secret_starts_with.is_empty()
                || comp
                    .spec
                    .when_secret_starts_with
                    .iter()
                    .any(|p| secret.starts_with(p.as_bytes()));
            if !relevant {
                continue;
            }
            match companions::nearest(comp, bytes, &cand.whole) {
                Some(c) => {
                    if placeholder::classify(&c.value, None) == Some(NotASecret::Example) {
                        out.examples += 1;
                        return;
                    }
                    if let Some(conf) = comp.spec.confidence_if_found {
                        confidence = confidence.max(conf);
                    }
                    found.push(c);
                }
                None if comp.spec.required => return,
                None => {}
            }
        }
        let encoding = cand.value.as_ref().map(|_| {
            if bytes[cand.secret.clone()].contains(&b'%') {
                Encoding::Percent
            } else {
                Encoding::Escape
            }
        });
        out.push(RawMatch {
            rule: rule_idx,
            span: cand.secret,
            secret,
            companions: found,
            confidence,
            encoding,
        });
    }

    /// Decodes the base64 text around each trigger and scans the decoded view. The view covers
    /// a few lines around the trigger with every base64 run in it decoded, so a key id and its
    /// secret encoded as separate values (a Kubernetes Secret) are still paired.
    fn decode_base64_layers(
        &self,
        bytes: &[u8],
        triggers: &[usize],
        depth: u8,
        out: &mut MatchOutput,
    ) {
        let mut done: Vec<Range<usize>> = Vec::new();
        for &at in triggers {
            if done.iter().any(|r| r.contains(&at)) {
                continue;
            }
            let Some(run) = decode::base64_run_around(bytes, at) else {
                continue;
            };
            let region = companions::line_region(bytes, &run, DECODE_CONTEXT_LINES);
            let region = region.start.min(run.start)..region.end.max(run.end);
            let view = decode::DecodedView::build(bytes, region.clone());
            done.push(region);
            if !view.decoded_any() {
                continue;
            }
            let mut inner = MatchOutput::default();
            self.find_into(view.bytes(), depth + 1, &mut inner);
            for mut m in inner.matches {
                // Matches outside the decoded runs were found in the plain text already.
                if !view.is_decoded(&m.span) || out.has(m.rule, &m.secret) {
                    continue;
                }
                m.span = view.to_original(&m.span);
                for c in &mut m.companions {
                    c.span = view.to_original(&c.span);
                }
                m.encoding = Some(Encoding::Base64);
                out.push(m);
            }
            out.examples += inner.examples;
            out.placeholders += inner.placeholders;
            out.not_credentials += inner.not_credentials;
            out.known_samples.extend(
                inner
                    .known_samples
                    .iter()
                    .filter(|s| view.is_decoded(s))
                    .map(|s| view.to_original(s)),
            );
        }
    }
}

/// A regex match: span of the secret group, span of the whole match, and the decoded value
/// when it differs from the input bytes.
struct Candidate {
    secret: Range<usize>,
    whole: Range<usize>,
    value: Option<Vec<u8>>,
    /// Text of the regex's `host` group, if it has one and it matched.
    host: Option<Vec<u8>>,
    /// For a match found in a decoded window: its text as decoded, which is what the regex saw.
    decoded: Option<DecodedText>,
}

/// A match's decoded text; its first `name_len` bytes come before the secret (the name).
#[derive(Debug)]
struct DecodedText {
    whole: Vec<u8>,
    name_len: usize,
}

impl Candidate {
    /// The whole match as the regex saw it.
    fn whole_text<'a>(&'a self, bytes: &'a [u8]) -> &'a [u8] {
        match &self.decoded {
            Some(d) => &d.whole,
            None => &bytes[self.whole.clone()],
        }
    }

    /// The text before the secret (the name and the assignment), as the regex saw it.
    fn name_text<'a>(&'a self, bytes: &'a [u8]) -> &'a [u8] {
        match &self.decoded {
            Some(d) => &d.whole[..d.name_len],
            None => &bytes[self.whole.start..self.secret.start],
        }
    }
}

/// True when the two spans share a byte.
pub(crate) fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// For each match, the indices of the other matches whose spans overlap it, in index order.
/// A sweep over the spans sorted by start: one line with thousands of findings has few
/// overlapping pairs, and comparing every match with every other was quadratic.
fn overlapping_pairs(matches: &[RawMatch]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..matches.len()).collect();
    order.sort_by_key(|&i| matches[i].span.start);
    let mut pairs = vec![Vec::new(); matches.len()];
    for (p, &i) in order.iter().enumerate() {
        for &j in &order[p + 1..] {
            if matches[j].span.start >= matches[i].span.end {
                break;
            }
            if overlaps(&matches[i].span, &matches[j].span) {
                pairs[i].push(j);
                pairs[j].push(i);
            }
        }
    }
    for others in &mut pairs {
        others.sort_unstable();
    }
    pairs
}

/// Merged search windows around keyword hits.
fn windows(hits: &[KeywordHit], before: usize, after: usize, len: usize) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for h in hits {
        let w = h.start.saturating_sub(before)..(h.start + after).max(h.end).min(len);
        match out.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => out.push(w),
        }
    }
    out
}

/// Runs `regex` over `window` of `bytes`, letting look-behind assertions (`\b`) see the byte
/// before the window, and extending the window once when a match runs into its end.
fn collect_captures(
    regex: &regex::bytes::Regex,
    bytes: &[u8],
    window: Range<usize>,
    out: &mut Vec<Candidate>,
) {
    let mut hay_end = window.end;
    let mut pos = window.start;
    let mut extended = false;
    while pos < window.end {
        let Some(caps) = regex.captures_at(&bytes[..hay_end], pos) else {
            break;
        };
        let whole = caps.get(0).expect("group 0 always participates");
        if whole.start() >= window.end {
            break;
        }
        if whole.end() == hay_end && hay_end < bytes.len() && !extended {
            extended = true;
            hay_end = (window.end + MAX_EXTENSION).min(bytes.len());
            continue;
        }
        let secret = caps.name("secret").unwrap_or(whole);
        out.push(Candidate {
            secret: secret.range(),
            whole: whole.range(),
            value: None,
            host: caps.name("host").map(|h| h.as_bytes().to_vec()),
            decoded: None,
        });
        pos = next_search_start(whole.range(), secret.range());
    }
}

/// Where the search for the next match starts: after the secret, not after the whole match. A
/// match's trailing context (the newline or comma after a key) is the next match's leading
/// context when two values are one character apart (keys on consecutive lines), and `^` only
/// matches at the start of the haystack.
pub(crate) fn next_search_start(whole: Range<usize>, secret: Range<usize>) -> usize {
    secret.end.max(whole.start + 1)
}

/// Removes matches whose secret is another match's companion, and, where two matches overlap,
/// keeps the more confident (then the more specific, then the longer) one.
fn absorb_overlaps(rules: &RuleSet, matches: &mut Vec<RawMatch>) {
    if matches.len() < 2 {
        matches.sort_by_key(|m| m.span.start);
        return;
    }
    // A companion is reported with its primary; a match on the same value (or on the same
    // text, when the companion was decoded) is not reported again.
    let companions: Vec<(Vec<u8>, Range<usize>)> = matches
        .iter()
        .flat_map(|m| {
            m.companions
                .iter()
                .map(|c| (c.value.clone(), c.span.clone()))
        })
        .collect();
    matches.retain(|m| {
        !companions
            .iter()
            .any(|(v, s)| *v == m.secret || overlaps(s, &m.span))
    });
    // Generic and fallback rules yield to provider rules that match the same text.
    let generic = |m: &RawMatch| rules.by_index(m.rule).is_fallback();
    let rank = |m: &RawMatch| (m.confidence, !generic(m), m.companions.len(), m.span.len());
    let mut keep = vec![true; matches.len()];
    for (i, others) in overlapping_pairs(matches).iter().enumerate() {
        for &j in others {
            if !keep[i] || !keep[j] {
                continue;
            }
            let (a, b) = (&matches[i], &matches[j]);
            // The same text found by two rules is one finding: the better-ranked rule keeps
            // it; on a tie, the rule found first does.
            if a.rule != b.rule && (rank(a) < rank(b) || (rank(a) == rank(b) && i > j)) {
                keep[i] = false;
            }
        }
    }
    let mut k = keep.into_iter();
    matches.retain(|_| k.next().unwrap_or(true));
    matches.sort_by_key(|m| m.span.start);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule_ids(m: &Matcher, text: &str) -> Vec<String> {
        m.find(text.as_bytes())
            .matches
            .iter()
            .map(|x| m.rules().by_index(x.rule).id().to_string())
            .collect()
    }

    /// The delimiter after one key is the delimiter before the next: a list of keys one per
    /// line, or separated by single commas, must not lose every second key.
    #[test]
    fn values_one_character_apart_are_all_found() {
        let m = Matcher::new(RuleSet::default_rules());
        let keys = [
            "AKIAQOZPHFQBC5YCOMPM",
            "AKIAEB4TXCGOWCY7HA7C",
            "AKIA3FHZ4BTSDY3K6VXK",
        ];
        for sep in ["\n", ",", " ", "\r\n"] {
            let text = keys.join(sep);
            let found: Vec<Vec<u8>> = m
                .find(text.as_bytes())
                .matches
                .into_iter()
                .map(|x| x.secret)
                .collect();
            let want: Vec<Vec<u8>> = keys.iter().map(|k| k.as_bytes().to_vec()).collect();
            assert_eq!(found, want, "separator {sep:?}");
        }
    }

    /// Etsy's documentation shows `exJeyZtXODeekHfX8VRgMQ`; the Etsy rule allows it, and the
    /// generic key rule, which would report any 22 mixed characters under an api-key name,
    /// must not report it where the Etsy rule recognised it.
    #[test]
    fn a_sample_a_provider_rule_knows_is_not_reported_generically() {
        let m = Matcher::new(RuleSet::default_rules());
        let out = m.find(b"ETSY_API_KEY=exJeyZtXODeekHfX8VRgMQ\n");
        assert!(
            out.matches.is_empty(),
            "{:?}",
            rule_ids(&m, "ETSY_API_KEY=exJeyZtXODeekHfX8VRgMQ")
        );
        assert!(
            out.placeholders > 0,
            "the Etsy rule counts what its allow list knows"
        );
        // Without Etsy's name nothing says it is Etsy's sample.
        assert_eq!(
            rule_ids(&m, "SHOP_API_KEY=exJeyZtXODeekHfX8VRgMQ\n"),
            ["generic-api-key-assignment"]
        );
        // A real-looking Etsy key is Etsy's to report.
        assert_eq!(
            rule_ids(&m, "ETSY_API_KEY=q7Rk2WvX9mLp4TzB8nYc3D\n"),
            ["etsy-api-keystring"]
        );
    }

    /// A value under a name that is not a credential is counted as such, not as a placeholder.
    #[test]
    fn names_that_are_not_credentials_are_counted_apart() {
        let m = Matcher::new(RuleSet::default_rules());
        let out = m.find(b"csrf_token = \"63RplYqBNpot42VfjrilReDmhtFFFy\"\n");
        assert!(out.matches.is_empty());
        assert!(out.not_credentials > 0);
        assert_eq!(out.placeholders, 0);
        let out = m.find(b"zorbly_token = \"63RplYqBNpot42VfjrilReDmhtFFFy\"\n");
        assert_eq!(out.not_credentials, 0);
        assert_eq!(out.matches.len(), 1);
    }
}
