//! User configuration: `.keyward.toml` at the scanned repository's root or `--config FILE`.
//! It adds rules, disables rules and allowlists paths, secrets and fingerprints.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regex::bytes::Regex;
use serde::Deserialize;

use crate::rules::{compile_regex, RuleError, RuleSet, RuleSpec, SharedPieces};

/// File name looked up at a repository's root.
pub const CONFIG_FILE_NAME: &str = ".keyward.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    disable_rules: Vec<String>,
    #[serde(default)]
    fragments: BTreeMap<String, String>,
    #[serde(default)]
    allow_lists: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    rules: Vec<RuleSpec>,
    #[serde(default)]
    allow: AllowSpec,
    #[serde(default)]
    aws: AwsSpec,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AwsSpec {
    #[serde(default)]
    canary_accounts: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowSpec {
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    secrets: Vec<String>,
    #[serde(default)]
    fingerprints: Vec<String>,
}

/// A configuration problem, naming the file and, where known, the line.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// Config path.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// Bad TOML or a bad rule.
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// A bad allowlist regex.
    #[error("{path}:{line}: allow: invalid regex `{pattern}`: {message}")]
    Allow {
        /// Config path.
        path: String,
        /// Line (0 when unknown).
        line: usize,
        /// The pattern.
        pattern: String,
        /// Regex error.
        message: String,
    },
    /// `disable_rules` names a rule that does not exist.
    #[error("{path}: disable_rules: no rule with id `{id}` (see `keyward rules list`)")]
    UnknownRule {
        /// Config path.
        path: String,
        /// The unknown id.
        id: String,
    },
}

/// Allowlists from the configuration.
#[derive(Debug, Default, Clone)]
pub struct Allowlist {
    /// Paths (relative, `/`-separated) matching one of these are not scanned.
    pub paths: Vec<Regex>,
    /// Secrets matching one of these are not reported.
    pub secrets: Vec<Regex>,
    /// Findings with these fingerprints are not reported.
    pub fingerprints: Vec<String>,
}

impl Allowlist {
    /// True when the path is allowlisted.
    pub fn path_allowed(&self, path: &str) -> bool {
        self.paths.iter().any(|r| r.is_match(path.as_bytes()))
    }
}

/// A loaded configuration: the effective rules and the allowlists.
#[derive(Debug)]
pub struct Config {
    /// Rules after adding the user's and removing disabled ones.
    pub rules: RuleSet,
    /// Allowlists.
    pub allow: Allowlist,
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    /// Extra AWS accounts whose keys are canaries (`[aws] canary_accounts`).
    pub aws_canary_accounts: Vec<String>,
    /// Ids of the rules the file itself defines, in file order (what `rules check` runs).
    pub own_rules: Vec<String>,
    /// Number of shared pieces (fragments, allow lists) the file itself defines.
    pub own_pieces: usize,
}

impl Config {
    /// The default rules and no allowlists.
    pub fn defaults() -> Config {
        Config {
            rules: RuleSet::default_rules(),
            allow: Allowlist::default(),
            path: None,
            aws_canary_accounts: Vec::new(),
            own_rules: Vec::new(),
            own_pieces: 0,
        }
    }

    /// Loads `path` on top of the default rules.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: name.clone(),
            source,
        })?;
        let mut cfg = Config::from_toml(&name, &text)?;
        cfg.path = Some(path.to_path_buf());
        Ok(cfg)
    }

    /// Parses configuration text on top of the default rules.
    pub fn from_toml(name: &str, text: &str) -> Result<Config, ConfigError> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| RuleError::Parse {
            file: name.to_string(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let mut rules = RuleSet::default_rules();
        let shared = SharedPieces::for_file(name, &file.fragments, &file.allow_lists)?;
        let own_pieces = file.fragments.len() + file.allow_lists.len();
        let user = RuleSet::from_specs(name, text, file.rules, &shared)?;
        let own_rules = user.iter().map(|r| r.id().to_string()).collect();
        rules.extend(user);
        let missing = rules.disable(file.disable_rules.iter().map(String::as_str));
        if let Some(id) = missing.into_iter().next() {
            return Err(ConfigError::UnknownRule {
                path: name.to_string(),
                id,
            });
        }
        let compile = |patterns: &[String]| -> Result<Vec<Regex>, ConfigError> {
            patterns
                .iter()
                .map(|p| {
                    compile_regex(p).map_err(|e| ConfigError::Allow {
                        path: name.to_string(),
                        line: text
                            .lines()
                            .position(|l| l.contains(p.as_str()))
                            .map_or(0, |n| n + 1),
                        pattern: p.clone(),
                        message: e.to_string(),
                    })
                })
                .collect()
        };
        Ok(Config {
            rules,
            allow: Allowlist {
                paths: compile(&file.allow.paths)?,
                secrets: compile(&file.allow.secrets)?,
                fingerprints: file.allow.fingerprints,
            },
            path: None,
            aws_canary_accounts: file.aws.canary_accounts,
            own_rules,
            own_pieces,
        })
    }

    /// Finds `.keyward.toml` at the root of the repository holding `start` (the nearest
    /// ancestor with a `.git`), or in `start` itself when it is not in a repository.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let start = if start.is_file() {
            start.parent()?
        } else {
            start
        };
        let abs = std::fs::canonicalize(start).ok()?;
        let mut dir: Option<&Path> = Some(&abs);
        while let Some(d) = dir {
            if d.join(".git").exists() {
                let p = d.join(CONFIG_FILE_NAME);
                return p.is_file().then_some(p);
            }
            dir = d.parent();
        }
        let p = abs.join(CONFIG_FILE_NAME);
        p.is_file().then_some(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_regex_names_file_and_line() {
        let text = "[[rules]]\nid = \"mine\"\nname = \"x\"\nkeywords = [\"zz\"]\nregex = '(?P<secret>['\nconfidence = \"high\"\n";
        let err = Config::from_toml("cfg.toml", text).unwrap_err().to_string();
        assert!(
            err.starts_with("cfg.toml:2: rule `mine`: invalid regex"),
            "{err}"
        );
    }

    #[test]
    fn unknown_field_names_line() {
        let err = Config::from_toml("cfg.toml", "\n\nbogus = 1\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("cfg.toml") && err.contains("line 3"), "{err}");
    }

    #[test]
    fn disable_unknown_rule_is_an_error() {
        let err = Config::from_toml("c", "disable_rules = [\"nope\"]")
            .unwrap_err()
            .to_string();
        assert!(err.contains("nope"));
    }

    /// A user's rule uses the embedded pieces and its file's own; a name it does not know is
    /// an error naming the rule.
    #[test]
    fn user_rules_use_shared_pieces() {
        let text = r#"
[fragments]
acme-name = "(?i:acme[_-]?token)"

[[rules]]
id = "acme-token"
name = "Acme token"
keywords = ["acme"]
keywords_case = "insensitive"
regex = '(?&acme-name)\s*=\s*(?P<secret>(?&uuid))'
confidence = "high"
allow_lists = ["dummy-hex"]
"#;
        let cfg = Config::from_toml("cfg.toml", text).unwrap();
        let rule = cfg.rules.get("acme-token").unwrap();
        assert!(rule.spec().regex.starts_with("(?:(?i:acme[_-]?token))"));
        assert!(rule.spec().regex.contains("(?:[0-9a-f]{8}-"));
        assert!(rule.spec().allow.iter().any(|a| a.contains("cafebabe")));
        let scanner = crate::Scanner::new(cfg.rules, crate::ScanOptions::default());
        let input = b"ACME_TOKEN = 3f2c1a9e-7b4d-4e8a-9c6f-1d2e3f4a5b6c\n";
        let found = scanner.scan_bytes(input, crate::Origin::Stdin).findings;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule_id, "acme-token");

        let bad = text.replace("(?&uuid)", "(?&nope)");
        let err = Config::from_toml("cfg.toml", &bad).unwrap_err().to_string();
        assert!(
            err.contains("cfg.toml:6: rule `acme-token`")
                && err.contains("unknown fragment `nope`"),
            "{err}"
        );
    }
}
