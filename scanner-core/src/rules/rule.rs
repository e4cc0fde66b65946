//! A compiled rule: its spec plus lazily compiled regexes.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};

use super::schema::{CompanionSpec, Confidence, KeywordCase, RuleSpec, Validate};

/// Regexes larger than this are refused: a rule must stay cheap to compile.
const REGEX_SIZE_LIMIT: usize = 16 * 1024 * 1024;
/// Lazy DFA cache per regex and thread; allocated only for regexes that run.
const LAZY_DFA_CACHE: usize = 8 * 1024 * 1024;

/// Compiles a rule regex the way every rule regex is compiled: bytes, Unicode off.
pub(crate) fn compile_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .unicode(false)
        .size_limit(REGEX_SIZE_LIMIT)
        // Bounded repetitions (`[^\n]{0,300}?`) make large lazy DFAs; a small cache would be
        // cleared and rebuilt over and over (seen as determinization dominating profiles).
        .dfa_size_limit(LAZY_DFA_CACHE)
        .build()
}

/// Compiles a rule's list of regexes; one that does not compile is skipped here (`validate`
/// reports it).
fn compile_all(patterns: &[String]) -> Vec<Regex> {
    patterns
        .iter()
        .filter_map(|p| compile_regex(p).ok())
        .collect()
}

/// A detection rule ready to run. Regexes are compiled on first use.
#[derive(Debug)]
pub struct Rule {
    spec: RuleSpec,
    origin: String,
    regex: OnceLock<Option<Regex>>,
    allow: OnceLock<Vec<Regex>>,
    allow_match: OnceLock<Vec<Regex>>,
    companions: Vec<Companion>,
}

/// A companion value definition with its lazily compiled regex.
#[derive(Debug)]
pub(crate) struct Companion {
    pub(crate) spec: CompanionSpec,
    regex: OnceLock<Option<Regex>>,
}

impl Companion {
    pub(crate) fn regex(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| compile_regex(&self.spec.regex).ok())
            .as_ref()
    }
}

impl Rule {
    pub(crate) fn new(spec: RuleSpec, origin: &str) -> Rule {
        let companions = spec
            .companions
            .iter()
            .cloned()
            .map(|spec| Companion {
                spec,
                regex: OnceLock::new(),
            })
            .collect();
        Rule {
            spec,
            origin: origin.to_string(),
            regex: OnceLock::new(),
            allow: OnceLock::new(),
            allow_match: OnceLock::new(),
            companions,
        }
    }

    /// Stable rule id.
    pub fn id(&self) -> &str {
        &self.spec.id
    }
    /// Human name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }
    /// Description of what the credential grants.
    pub fn description(&self) -> &str {
        &self.spec.description
    }
    /// Confidence of a plain finding.
    pub fn confidence(&self) -> Confidence {
        self.spec.confidence
    }
    /// SARIF security severity (0–10).
    pub fn severity(&self) -> f64 {
        self.spec.severity.unwrap_or(match self.spec.confidence {
            Confidence::High => 8.0,
            Confidence::Medium => 6.5,
            Confidence::Low => 4.0,
        })
    }
    /// Tags (provider, category).
    pub fn tags(&self) -> &[String] {
        &self.spec.tags
    }
    /// Prefilter keywords.
    pub fn keywords(&self) -> &[String] {
        &self.spec.keywords
    }
    /// Case sensitivity of the keywords.
    pub fn keywords_case(&self) -> KeywordCase {
        self.spec.keywords_case
    }
    /// True for rules that know no provider's format (tagged `generic` or `fallback`): they
    /// yield to provider rules that match the same text or know the value for a sample.
    pub fn is_fallback(&self) -> bool {
        self.spec
            .tags
            .iter()
            .any(|t| t == "generic" || t == "fallback")
    }
    /// Reference URLs.
    pub fn references(&self) -> &[String] {
        &self.spec.references
    }
    /// Where the rule came from (embedded file name or config path).
    pub fn origin(&self) -> &str {
        &self.origin
    }
    /// The rule as written.
    pub fn spec(&self) -> &RuleSpec {
        &self.spec
    }

    pub(crate) fn window_before(&self) -> usize {
        self.spec.window_before.unwrap_or(64)
    }
    pub(crate) fn window_after(&self) -> usize {
        self.spec.window_after.unwrap_or(256)
    }
    pub(crate) fn min_entropy(&self) -> Option<f64> {
        self.spec.min_entropy
    }
    pub(crate) fn validation(&self) -> Option<Validate> {
        self.spec.validate
    }
    /// Whether this rule's match of `secret` is anchored (see `RuleSpec::anchored`), and where
    /// the anchor sits in the secret: an empty range for a context anchor (outside the secret),
    /// the keyword's range for a provider prefix or signature inside it.
    pub(crate) fn anchor(&self, secret: &[u8]) -> Option<std::ops::Range<usize>> {
        match self.spec.anchored {
            Some(true) => return Some(0..0),
            Some(false) => return None,
            None => {}
        }
        if self.spec.keywords_case != KeywordCase::Sensitive {
            return None;
        }
        self.spec
            .keywords
            .iter()
            .filter(|k| k.len() >= 3)
            .find_map(|k| {
                secret
                    .windows(k.len())
                    .position(|w| w == k.as_bytes())
                    .map(|at| at..at + k.len())
            })
    }
    pub(crate) fn companions(&self) -> &[Companion] {
        &self.companions
    }

    /// The compiled regex, or `None` if it does not compile (validated rules always do).
    pub(crate) fn regex(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| compile_regex(&self.spec.regex).ok())
            .as_ref()
    }

    pub(crate) fn allow(&self) -> &[Regex] {
        self.allow.get_or_init(|| compile_all(&self.spec.allow))
    }

    pub(crate) fn allow_match(&self) -> &[Regex] {
        self.allow_match
            .get_or_init(|| compile_all(&self.spec.allow_match))
    }

    /// Checks everything that can be wrong with a rule without running it, compiling its
    /// regexes. Returns a human explanation of the first problem.
    pub fn validate(&self) -> Result<(), String> {
        let s = &self.spec;
        if s.id.is_empty()
            || !s
                .id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        {
            return Err(format!(
                "id `{}` must be non-empty and use only letters, digits, `-`, `_`, `.`",
                s.id
            ));
        }
        if s.keywords.is_empty() {
            return Err(
                "needs at least one keyword (the prefilter cannot run it otherwise)".into(),
            );
        }
        if let Some(k) = s.keywords.iter().find(|k| k.len() < 2) {
            return Err(format!(
                "keyword `{k}` is shorter than 2 bytes; it would hit almost everywhere"
            ));
        }
        let re = compile_regex(&s.regex).map_err(|e| format!("invalid regex: {e}"))?;
        if re.capture_names().flatten().all(|n| n != "secret") {
            return Err("regex has no named group `secret`".into());
        }
        for a in &s.allow {
            compile_regex(a).map_err(|e| format!("invalid allow regex `{a}`: {e}"))?;
        }
        for a in &s.allow_match {
            compile_regex(a).map_err(|e| format!("invalid allow_match regex `{a}`: {e}"))?;
        }
        for c in &s.companions {
            let re = compile_regex(&c.regex)
                .map_err(|e| format!("companion `{}`: invalid regex: {e}", c.name))?;
            if re.capture_names().flatten().all(|n| n != "secret") {
                return Err(format!(
                    "companion `{}`: regex has no named group `secret`",
                    c.name
                ));
            }
        }
        if let Some(sev) = s.severity {
            if !(0.0..=10.0).contains(&sev) {
                return Err(format!("severity {sev} is outside 0..=10"));
            }
        }
        Ok(())
    }
}

impl Rule {
    /// Builds a rule from a spec without validating it (see [`Rule::validate`]).
    pub fn from_spec(spec: RuleSpec, origin: &str) -> Rule {
        Rule::new(spec, origin)
    }
}
