//! Rules are data: TOML files embedded at build time, plus the user's own. This module loads
//! them into a [`RuleSet`] and checks them.

mod examples;
mod rule;
mod schema;

use std::collections::HashMap;

pub use examples::{check_examples, ExampleFailure};
pub(crate) use rule::compile_regex;
pub(crate) use rule::Companion;
pub use rule::Rule;
pub use schema::{CompanionSpec, Confidence, KeywordCase, RuleFile, RuleSpec, Validate};

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// A problem in a rule file, naming the file, the line where it can be told, and the problem.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// The file is not valid TOML or not a rule file.
    #[error("{file}: {message}")]
    Parse {
        /// File name or path.
        file: String,
        /// Parser message (it names line and column).
        message: String,
    },
    /// A rule is malformed.
    #[error("{file}:{line}: rule `{rule}`: {message}")]
    Invalid {
        /// File name or path.
        file: String,
        /// Line of the rule's id in the file (1-based; 0 when unknown).
        line: usize,
        /// Rule id.
        rule: String,
        /// What is wrong.
        message: String,
    },
}

/// An ordered set of rules with unique ids.
#[derive(Debug, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// The rules embedded in the binary (`rules/*.toml` at build time).
    ///
    /// Regexes are not compiled here; each compiles on its first keyword hit, so loading stays
    /// cheap. The test suite validates every embedded rule.
    ///
    /// ```
    /// let rules = scanner_core::RuleSet::default_rules();
    /// assert!(rules.get("aws-access-key-id").is_some());
    /// ```
    pub fn default_rules() -> RuleSet {
        #[derive(serde::Deserialize)]
        struct CompactFile {
            file: String,
            rules: Vec<RuleSpec>,
        }
        let mut set = RuleSet::default();
        // Embedded files are checked by the test suite; a broken one is a build defect, so it
        // is skipped rather than taking the whole scanner down.
        let files: Vec<CompactFile> =
            serde_json::from_str(EMBEDDED_RULES_COMPACT).unwrap_or_default();
        for file in files {
            for spec in file.rules {
                set.rules.push(Rule::new(spec, &file.file));
            }
        }
        set
    }

    /// The embedded rules with their examples and documentation (parsed from the TOML; slower
    /// than [`RuleSet::default_rules`], for checks and listings).
    pub fn default_rules_documented() -> RuleSet {
        let mut set = RuleSet::default();
        for (name, text) in EMBEDDED_RULE_FILES {
            if let Ok(file) = toml::from_str::<RuleFile>(text) {
                for spec in file.rules {
                    set.insert(Rule::new(spec, name));
                }
            }
        }
        set
    }

    /// Names and contents of the embedded rule files.
    pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
        EMBEDDED_RULE_FILES
    }

    /// Parses a rule file and validates (compiles) every rule in it.
    pub fn from_toml(file_name: &str, text: &str) -> Result<RuleSet, RuleError> {
        let file: RuleFile = toml::from_str(text).map_err(|e| RuleError::Parse {
            file: file_name.to_string(),
            message: e.to_string().trim_end().to_string(),
        })?;
        Self::from_specs(file_name, text, file.rules)
    }

    /// Validates specs that came from `text` (used to find line numbers for errors).
    pub(crate) fn from_specs(
        file_name: &str,
        text: &str,
        specs: Vec<RuleSpec>,
    ) -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::default();
        let mut seen = HashMap::new();
        for spec in specs {
            let line = line_of_id(text, &spec.id);
            if seen.insert(spec.id.clone(), ()).is_some() {
                return Err(RuleError::Invalid {
                    file: file_name.to_string(),
                    line,
                    rule: spec.id.clone(),
                    message: "duplicate rule id".into(),
                });
            }
            let rule = Rule::new(spec, file_name);
            rule.validate().map_err(|message| RuleError::Invalid {
                file: file_name.to_string(),
                line,
                rule: rule.id().to_string(),
                message,
            })?;
            set.insert(rule);
        }
        Ok(set)
    }

    /// Adds a rule, replacing any rule with the same id (user rules override defaults).
    pub fn insert(&mut self, rule: Rule) {
        match self.rules.iter().position(|r| r.id() == rule.id()) {
            Some(i) => self.rules[i] = rule,
            None => self.rules.push(rule),
        }
    }

    /// Adds all rules of `other`, replacing rules with the same id.
    pub fn extend(&mut self, other: RuleSet) {
        for rule in other.rules {
            self.insert(rule);
        }
    }

    /// Removes the rules with these ids; returns the ids that were not found.
    pub fn disable<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let mut missing = Vec::new();
        for id in ids {
            let before = self.rules.len();
            self.rules.retain(|r| r.id() != id);
            if self.rules.len() == before {
                missing.push(id.to_string());
            }
        }
        missing
    }

    /// Keeps only rules that can produce a finding at `min` confidence or above (a rule below
    /// it can still qualify through a companion that raises its confidence). Rules that could
    /// only ever report below the threshold are not worth running.
    pub fn retain_reportable(&mut self, min: Confidence) {
        self.rules.retain(|r| {
            r.confidence() >= min
                || r.spec()
                    .companions
                    .iter()
                    .any(|c| c.confidence_if_found.is_some_and(|cf| cf >= min))
        });
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id() == id)
    }

    /// All rules, in load order.
    pub fn iter(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter()
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub(crate) fn by_index(&self, i: usize) -> &Rule {
        &self.rules[i]
    }
}

/// 1-based line where `id = "<id>"` appears in `text`, or 0.
fn line_of_id(text: &str, id: &str) -> usize {
    for (n, line) in text.lines().enumerate() {
        let l = line.trim_start();
        if l.starts_with("id")
            && (l.contains(&format!("\"{id}\"")) || l.contains(&format!("'{id}'")))
        {
            return n + 1;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_file_parses_and_every_rule_validates() {
        let mut ids = std::collections::HashSet::new();
        for (name, text) in EMBEDDED_RULE_FILES {
            let set = RuleSet::from_toml(name, text).unwrap_or_else(|e| panic!("{e}"));
            assert!(!set.is_empty(), "{name} has no rules");
            for r in set.iter() {
                assert!(
                    ids.insert(r.id().to_string()),
                    "duplicate id {} in {name}",
                    r.id()
                );
            }
        }
        assert_eq!(RuleSet::default_rules().len(), ids.len());
        let compact: Vec<String> = RuleSet::default_rules()
            .iter()
            .map(|r| r.id().to_string())
            .collect();
        let documented: Vec<String> = RuleSet::default_rules_documented()
            .iter()
            .map(|r| r.id().to_string())
            .collect();
        assert_eq!(
            compact, documented,
            "the compact form holds the same rules in the same order"
        );
        assert!(ids.len() >= 60, "only {} rules", ids.len());
    }

    #[test]
    fn every_rule_example_behaves() {
        let failures = check_examples(&RuleSet::default_rules_documented());
        let text: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            text.join("\n")
        );
    }
}
