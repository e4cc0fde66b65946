//! Every rule carries examples that must match and negative examples that must not; this runs
//! them. The test suite runs it over every embedded rule, `keyward rules check` over a file.

use super::{Rule, RuleSet};
use crate::matcher::Matcher;

/// One example that did not behave as its rule claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// Rule id.
    pub rule: String,
    /// True for an example that should have matched, false for a negative example that did.
    pub expected_match: bool,
    /// The example text.
    pub example: String,
    /// What happened instead.
    pub detail: String,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.expected_match {
            "example"
        } else {
            "negative example"
        };
        write!(
            f,
            "rule `{}`: {what} {:?}: {}",
            self.rule, self.example, self.detail
        )
    }
}

/// Runs the examples of every rule in `rules`, each rule on its own. Also reports rules that
/// have no examples or no negative examples: a rule without examples is not done.
///
/// ```
/// let rules = scanner_core::RuleSet::default_rules_documented();
/// assert!(scanner_core::check_examples(&rules).is_empty());
/// ```
pub fn check_examples(rules: &RuleSet) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for rule in rules.iter() {
        failures.extend(check_rule(rule));
    }
    failures
}

fn check_rule(rule: &Rule) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    let spec = rule.spec();
    let fail = |expected_match: bool, example: &str, detail: String| ExampleFailure {
        rule: rule.id().to_string(),
        expected_match,
        example: example.to_string(),
        detail,
    };
    if let Err(e) = rule.validate() {
        failures.push(fail(true, "", e));
        return failures;
    }
    if spec.examples.is_empty() {
        failures.push(fail(true, "", "rule has no examples".into()));
    }
    if spec.negative_examples.is_empty() {
        failures.push(fail(false, "", "rule has no negative examples".into()));
    }
    let mut single = RuleSet::default();
    single.insert(Rule::new(spec.clone(), rule.origin()));
    let matcher = Matcher::new(single);
    for ex in &spec.examples {
        let out = matcher.find(ex.as_bytes());
        if out.matches.is_empty() {
            let why = if out.examples > 0 {
                "matched, but the value was taken for a documentation example".to_string()
            } else if out.placeholders > 0 {
                "matched, but the value was taken for a placeholder".to_string()
            } else if out.not_credentials > 0 {
                "matched, but allow_match or a provider name in it said it is not a credential"
                    .to_string()
            } else {
                "no match (check keywords, regex, window and min_entropy)".to_string()
            };
            failures.push(fail(true, ex, why));
        }
    }
    for ex in &spec.negative_examples {
        let out = matcher.find(ex.as_bytes());
        if let Some(m) = out.matches.first() {
            failures.push(fail(
                false,
                ex,
                format!("matched `{}`", String::from_utf8_lossy(&m.secret)),
            ));
        }
    }
    failures
}
