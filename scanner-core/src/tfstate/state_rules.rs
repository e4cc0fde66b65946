//! Structural rules: attributes that are secrets by their place in Terraform state or variables,
//! whatever their value looks like. They are data (`rules/terraform-state.toml`), each with
//! examples that the test suite runs.

use std::sync::OnceLock;

use serde::Deserialize;

use super::document::{Holder, Instance, PathStep};
use crate::rules::Confidence;

/// The embedded structural rules.
const STATE_RULES_TOML: &str = include_str!("../../../rules/terraform-state.toml");

/// What a structural rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StateRuleKind {
    /// Named attributes of named resource types.
    Attribute,
    /// Any attribute path an instance lists in `sensitive_attributes` (or `sensitive_values`).
    SensitiveAttribute,
    /// Outputs marked `sensitive`.
    SensitiveOutput,
    /// Credentials in the backend block of `.terraform/terraform.tfstate`.
    BackendConfig,
    /// Variables in `*.tfvars` / `*.tfvars.json` whose name says they hold a secret.
    Variable,
}

/// `when`: the rule applies only when a sibling attribute has a value.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateCondition {
    /// Sibling attribute name.
    pub attribute: String,
    /// Required value.
    pub equals: String,
}

/// `pair_with`: a sibling attribute reported with the secret (the key id of a key's secret).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatePair {
    /// Sibling attribute name.
    pub attribute: String,
    /// Companion name in output.
    pub name: String,
}

/// One structural rule as written in `rules/terraform-state.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateRule {
    /// Stable id (fingerprints depend on it).
    pub id: String,
    /// Human name.
    pub name: String,
    /// What the value grants.
    #[serde(default)]
    pub description: String,
    /// What the rule looks at.
    pub kind: StateRuleKind,
    /// Resource (or backend) types; `*` for any.
    #[serde(default)]
    pub resource_types: Vec<String>,
    /// Top-level attribute names whose values (and everything below them) are secrets.
    #[serde(default)]
    pub attributes: Vec<String>,
    /// Applies only when this sibling attribute has this value.
    #[serde(default)]
    pub when: Option<StateCondition>,
    /// Sibling reported with the secret.
    #[serde(default)]
    pub pair_with: Option<StatePair>,
    /// Variables: names that hold secrets (regex).
    #[serde(default)]
    pub variable_pattern: Option<String>,
    /// Variables: names that never do, even when `variable_pattern` matches (regex).
    #[serde(default)]
    pub variable_exclude: Option<String>,
    /// Confidence of a finding.
    pub confidence: Confidence,
    /// SARIF `security-severity`.
    #[serde(default)]
    pub severity: Option<f64>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Documentation.
    #[serde(default)]
    pub references: Vec<String>,
    /// File name the examples are scanned as (default `terraform.tfstate`).
    #[serde(default)]
    pub example_path: Option<String>,
    /// Documents that must produce a finding of this rule.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Documents that must not.
    #[serde(default)]
    pub negative_examples: Vec<String>,
    #[serde(skip)]
    variable_regex: Option<(regex::Regex, Option<regex::Regex>)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StateRuleFile {
    state_rules: Vec<StateRule>,
}

impl StateRule {
    /// SARIF security severity: explicit, or from the confidence.
    pub fn severity(&self) -> f64 {
        self.severity.unwrap_or(match self.confidence {
            Confidence::High => 9.0,
            Confidence::Medium => 7.0,
            Confidence::Low => 4.0,
        })
    }

    fn type_matches(&self, t: &str) -> bool {
        self.resource_types.iter().any(|r| r == "*" || r == t)
    }

    fn attribute_matches(&self, path: &[PathStep<'_>]) -> bool {
        match path.first() {
            // v3 states flatten nested attributes into keys like `password` or `list.0.secret`;
            // `map.%` and `list.#` hold element counts, not values.
            Some(PathStep::Key(k)) => {
                let k = k.bytes();
                self.attributes.iter().any(|a| {
                    let a = a.as_bytes();
                    *k == *a
                        || (k.starts_with(a)
                            && k.get(a.len()) == Some(&b'.')
                            && !k.ends_with(b".%")
                            && !k.ends_with(b".#"))
                })
            }
            _ => false,
        }
    }

    fn condition_holds(&self, inst: &Instance<'_, '_>) -> bool {
        match &self.when {
            None => true,
            Some(c) => inst
                .attributes
                .get(&c.attribute)
                .and_then(|n| n.as_str())
                .is_some_and(|v| v == c.equals.as_str()),
        }
    }

    /// Whether this rule may claim values of `inst` at all (its holder, type and condition);
    /// asked once per instance, so that each value only asks [`StateRule::claims_at`].
    pub(crate) fn applies_to(&self, inst: &Instance<'_, '_>) -> bool {
        match self.kind {
            StateRuleKind::Attribute => {
                inst.holder == Holder::Resource
                    && self.type_matches(&inst.resource_type)
                    && self.condition_holds(inst)
            }
            StateRuleKind::BackendConfig => {
                inst.holder == Holder::Backend && self.type_matches(&inst.resource_type)
            }
            StateRuleKind::SensitiveAttribute => {
                inst.holder == Holder::Resource && !inst.sensitive.is_empty()
            }
            StateRuleKind::SensitiveOutput => {
                inst.holder == Holder::Output && !inst.sensitive.is_empty()
            }
            StateRuleKind::Variable => false,
        }
    }

    /// Whether this rule, which [applies to](StateRule::applies_to) `inst`, claims the string
    /// at `path`.
    pub(crate) fn claims_at(&self, inst: &Instance<'_, '_>, path: &[PathStep<'_>]) -> bool {
        match self.kind {
            StateRuleKind::Attribute | StateRuleKind::BackendConfig => self.attribute_matches(path),
            StateRuleKind::SensitiveAttribute | StateRuleKind::SensitiveOutput => {
                inst.sensitive.covers(path)
            }
            StateRuleKind::Variable => false,
        }
    }

    /// Whether a variable of this name holds a secret.
    pub(crate) fn claims_variable(&self, name: &str) -> bool {
        match &self.variable_regex {
            Some((include, exclude)) => {
                include.is_match(name) && !exclude.as_ref().is_some_and(|e| e.is_match(name))
            }
            None => false,
        }
    }
}

/// Parses a structural rule file and compiles its variable patterns.
pub fn parse_state_rules(text: &str) -> Result<Vec<StateRule>, String> {
    let file: StateRuleFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut rules = file.state_rules;
    for r in &mut rules {
        if let Some(p) = &r.variable_pattern {
            let inc =
                regex::Regex::new(p).map_err(|e| format!("{}: variable_pattern: {e}", r.id))?;
            let exc = match &r.variable_exclude {
                Some(x) => Some(
                    regex::Regex::new(x).map_err(|e| format!("{}: variable_exclude: {e}", r.id))?,
                ),
                None => None,
            };
            r.variable_regex = Some((inc, exc));
        }
        if r.kind == StateRuleKind::Variable && r.variable_regex.is_none() {
            return Err(format!("{}: a variable rule needs variable_pattern", r.id));
        }
        if matches!(
            r.kind,
            StateRuleKind::Attribute | StateRuleKind::BackendConfig
        ) && (r.attributes.is_empty() || r.resource_types.is_empty())
        {
            return Err(format!("{}: needs resource_types and attributes", r.id));
        }
    }
    Ok(rules)
}

/// The embedded structural rules, in file order (earlier rules win a value).
pub fn state_rules() -> &'static [StateRule] {
    static RULES: OnceLock<Vec<StateRule>> = OnceLock::new();
    RULES.get_or_init(|| parse_state_rules(STATE_RULES_TOML).unwrap_or_default())
}

/// The embedded structural rule with this id.
pub fn state_rule(id: &str) -> Option<&'static StateRule> {
    state_rules().iter().find(|r| r.id == id)
}

/// Values that stand for a secret without being one: empty, references and interpolations,
/// Terraform's own masks, masks and well-known placeholder words. Narrower than the matcher's
/// placeholder filter on purpose: generated passwords may hold `<`, `>` or `...`.
pub(crate) fn is_placeholder(v: &str) -> bool {
    let t = v.trim();
    if t.is_empty() || t.contains("${") || t.contains("{{") {
        return true;
    }
    if (t.starts_with('(') && t.ends_with(')')) || (t.starts_with('<') && t.ends_with('>')) {
        return true;
    }
    let lower = t.to_ascii_lowercase();
    if lower.contains("example") || lower.contains("****") || lower.contains("xxxx") {
        return true;
    }
    if [
        "var.", "local.", "data.", "module.", "each.", "aws_", "arn:",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
    {
        return true;
    }
    if let Some(first) = t.chars().next() {
        if t.chars().all(|c| c == first) {
            return true;
        }
    }
    matches!(
        lower.as_str(),
        "changeme"
            | "change_me"
            | "change-me"
            | "placeholder"
            | "redacted"
            | "todo"
            | "tbd"
            | "none"
            | "null"
            | "nil"
            | "secret"
            | "password"
            | "sensitive"
            | "true"
            | "false"
            | "dummy"
            | "test"
            | "unknown"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rules_parse() {
        let rules = parse_state_rules(STATE_RULES_TOML).unwrap();
        assert!(rules.len() >= 12);
        for r in &rules {
            assert!(!r.examples.is_empty(), "{} has no examples", r.id);
            assert!(
                !r.negative_examples.is_empty(),
                "{} has no negative examples",
                r.id
            );
        }
    }

    #[test]
    fn placeholders() {
        for p in [
            "",
            "${var.db_password}",
            "(sensitive value)",
            "<password>",
            "********",
            "changeme",
            "arn:aws:iam::1:user/x",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for s in ["Zk3#q9<L!m2", "hunter2-prod-7", "s3cr3t"] {
            assert!(!is_placeholder(s), "{s}");
        }
    }
}
