//! Rules are data: TOML files embedded at build time, plus the user's own. This module loads
//! them into a [`RuleSet`] and checks them.

mod examples;
mod rule;
mod schema;
mod shared;

use std::collections::HashMap;

pub use examples::{check_examples, ExampleFailure};
pub(crate) use rule::compile_regex;
pub(crate) use rule::Companion;
pub use rule::Rule;
pub use schema::{CompanionSpec, Confidence, KeywordCase, RuleFile, RuleSpec, Validate};
pub(crate) use shared::SharedPieces;

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
        let shared = SharedPieces::embedded();
        for file in files {
            // A rule whose pieces do not expand is left out, as a broken embedded rule would
            // be inert (run without its allow lists it would report what they exclude).
            for spec in file.rules {
                if let Ok(spec) = shared.expand(spec) {
                    set.rules.push(Rule::new(spec, &file.file));
                }
            }
        }
        set
    }

    /// The embedded rules with their examples and documentation (parsed from the TOML; slower
    /// than [`RuleSet::default_rules`], for checks and listings).
    pub fn default_rules_documented() -> RuleSet {
        let mut set = RuleSet::default();
        let shared = SharedPieces::embedded();
        for (name, text) in EMBEDDED_RULE_FILES {
            if let Ok(file) = toml::from_str::<RuleFile>(text) {
                for spec in file.rules {
                    if let Ok(spec) = shared.expand(spec) {
                        set.insert(Rule::new(spec, name));
                    }
                }
            }
        }
        set
    }

    /// Names and contents of the embedded rule files.
    pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
        EMBEDDED_RULE_FILES
    }

    /// Parses a rule file and validates (compiles) every rule in it. Its rules may use the
    /// shared pieces of the embedded files and of the file itself.
    pub fn from_toml(file_name: &str, text: &str) -> Result<RuleSet, RuleError> {
        let file: RuleFile = toml::from_str(text).map_err(|e| RuleError::Parse {
            file: file_name.to_string(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let shared = SharedPieces::for_file(file_name, &file.fragments, &file.allow_lists)?;
        Self::from_specs(file_name, text, file.rules, &shared)
    }

    /// Expands and validates specs that came from `text` (used to find line numbers for errors).
    pub(crate) fn from_specs(
        file_name: &str,
        text: &str,
        specs: Vec<RuleSpec>,
        shared: &SharedPieces,
    ) -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::default();
        let mut seen = HashMap::new();
        for spec in specs {
            let id = spec.id.clone();
            let line = line_of_id(text, &id);
            let invalid = |message: String| RuleError::Invalid {
                file: file_name.to_string(),
                line,
                rule: id.clone(),
                message,
            };
            if seen.insert(id.clone(), ()).is_some() {
                return Err(invalid("duplicate rule id".into()));
            }
            let spec = shared.expand(spec).map_err(invalid)?;
            let rule = Rule::new(spec, file_name);
            rule.validate().map_err(invalid)?;
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
            let file: RuleFile = toml::from_str(text).unwrap();
            let defines = !file.fragments.is_empty() || !file.allow_lists.is_empty();
            assert!(!set.is_empty() || defines, "{name} has no rules");
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

    /// Shared names are global: one definition each, and each used, or it is dead weight that
    /// readers of the rule files would still have to understand.
    #[test]
    fn every_shared_piece_is_defined_once_and_used() {
        let mut defined = HashMap::new();
        // (who uses it, text): a fragment referenced only by itself is not used.
        let mut texts: Vec<(String, String)> = Vec::new();
        let mut lists_used = std::collections::HashSet::new();
        for (name, text) in EMBEDDED_RULE_FILES {
            let file: RuleFile = toml::from_str(text).unwrap();
            let names = file
                .fragments
                .keys()
                .map(|k| format!("fragment {k}"))
                .chain(file.allow_lists.keys().map(|k| format!("allow list {k}")));
            for n in names {
                if let Some(other) = defined.insert(n.clone(), *name) {
                    panic!("{n} is defined in {other} and {name}");
                }
            }
            for (k, body) in &file.fragments {
                texts.push((k.clone(), body.clone()));
            }
            for list in file.allow_lists.values() {
                texts.push((String::new(), list.concat()));
            }
            for r in &file.rules {
                texts.push((String::new(), toml::to_string(r).unwrap()));
                lists_used.extend(r.allow_lists.iter().cloned());
            }
        }
        for n in defined.keys() {
            let used = match n.split_once(' ') {
                Some(("fragment", f)) => texts
                    .iter()
                    .any(|(owner, t)| owner != f && t.contains(&format!("(?&{f})"))),
                _ => lists_used.contains(n.trim_start_matches("allow list ")),
            };
            assert!(used, "{n} is never used");
        }
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
