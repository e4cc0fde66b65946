//! The on-disk shape of a rule file: what `rules/*.toml` and `.keyward.toml` contain.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How much a finding of a rule can be trusted to be a real credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Plausible, but often noise (generic assignments, weak context).
    Low,
    /// Likely a credential (distinct shape, or shape plus context).
    Medium,
    /// Almost certainly a credential (distinctive prefix or a complete pair).
    High,
}

impl Confidence {
    /// Lower-case name, as written in rule files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    /// One step lower (used for findings in test fixtures and example files).
    pub fn lowered(self) -> Confidence {
        match self {
            Confidence::High => Confidence::Medium,
            _ => Confidence::Low,
        }
    }
}

impl std::str::FromStr for Confidence {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Ok(Confidence::Low),
            "medium" => Ok(Confidence::Medium),
            "high" => Ok(Confidence::High),
            other => Err(format!(
                "unknown confidence `{other}` (expected low, medium or high)"
            )),
        }
    }
}

/// Whether a keyword must match with its exact case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeywordCase {
    /// The literal must appear byte for byte (`AKIA`, `ghp_`).
    #[default]
    Sensitive,
    /// ASCII case is ignored (`password`, `aws_secret_access_key`).
    Insensitive,
}

/// A rule file: a list of rules, and named pieces that rules share: regex fragments and allow
/// lists. Their names are global across the embedded files; a user's file may add its own or
/// redefine one for its own rules. See `docs/rules-format.md` ("Shared pieces").
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// `name = 'regex'`: `(?&name)` in a rule's regex, companion regex, `allow` or
    /// `allow_match` stands for `(?:regex)`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fragments: BTreeMap<String, String>,
    /// `name = ['regex', ...]`: a rule's `allow_lists = ["name"]` adds these to its `allow`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub allow_lists: BTreeMap<String, Vec<String>>,
    /// The rules, in file order.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
}

/// One rule as written in TOML. See `docs/rules-format.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Stable identifier (kebab-case); fingerprints and baselines depend on it.
    pub id: String,
    /// Human name of what the rule finds.
    pub name: String,
    /// Longer description: what the credential grants.
    #[serde(default)]
    pub description: String,
    /// Literals for the prefilter; at least one must occur in every match.
    pub keywords: Vec<String>,
    /// Case sensitivity of `keywords`.
    #[serde(default)]
    pub keywords_case: KeywordCase,
    /// Regex (Unicode off, matched on bytes) with a named group `secret`.
    pub regex: String,
    /// Minimum Shannon entropy (bits per byte) of the secret.
    #[serde(default)]
    pub min_entropy: Option<f64>,
    /// Confidence of a finding of this rule.
    pub confidence: Confidence,
    /// SARIF `security-severity` (0–10); defaults from the confidence.
    #[serde(default)]
    pub severity: Option<f64>,
    /// Free tags (provider, category).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Bytes before a keyword hit where a match may start.
    #[serde(default)]
    pub window_before: Option<usize>,
    /// Bytes after a keyword hit where a match may end.
    #[serde(default)]
    pub window_after: Option<usize>,
    /// Regexes: a secret matching one of them is a placeholder, not a finding.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Names of shared allow lists whose regexes are added to `allow` (see [`RuleFile::allow_lists`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_lists: Vec<String>,
    /// Regexes over the whole match (name and value): a match one of them finds is not a
    /// credential. Generic rules that accept any name (`<word>_token`) name the kinds that are
    /// not credentials here (`csrf_token`, `next_page_token`, `public_key`).
    #[serde(default)]
    pub allow_match: Vec<String>,
    /// True: a match whose name contains a provider's name (the first word of a provider
    /// rule's id, such as `twitch`) is left to that provider's rule, which knows its format.
    /// For generic rules that accept any name.
    #[serde(default)]
    pub yields_to_provider_names: bool,
    /// True when the regex only matches where the syntax itself names the value a credential
    /// (`Authorization: Bearer <value>`): a hex or UUID value keeps the rule's confidence there
    /// instead of being reported at low confidence as a likely digest or id, as generic rules do.
    #[serde(default)]
    pub credential_context: bool,
    /// True when the regex itself only matches with a distinctive anchor (a required credential
    /// context such as `Authorization: SSWS` or `--token`), so sequential runs (`0123456789`)
    /// in the secret are not a placeholder signal. Default: true when the secret contains one
    /// of the rule's case-sensitive keywords of 3+ bytes (a provider prefix or signature).
    #[serde(default)]
    pub anchored: Option<bool>,
    /// A structural check of the secret beyond the regex (see [`Validate`]).
    #[serde(default)]
    pub validate: Option<Validate>,
    /// Documentation of the credential format.
    #[serde(default)]
    pub references: Vec<String>,
    /// Inputs that must produce a finding of this rule.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Inputs that must not produce a finding of this rule.
    #[serde(default)]
    pub negative_examples: Vec<String>,
    /// Values that belong with the secret (an AWS secret key with its key id).
    #[serde(default)]
    pub companions: Vec<CompanionSpec>,
}

/// Structural checks a rule may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Validate {
    /// The secret is base64 of `user:password` (HTTP Basic, RFC 7617): both parts non-empty
    /// printable text, the password not a reference or placeholder.
    BasicAuth,
    /// The secret is a base64 blob whose decoded text starts with the BEGIN line of an
    /// unencrypted PEM / OpenSSH private key (the body need not decode cleanly: truncated or
    /// damaged copies of a key are still leaks).
    Base64PrivateKey,
    /// The secret is base64 of a literal credential value (a Kubernetes Secret's `data`): it
    /// decodes to printable UTF-8 text that is not a placeholder, reference or trivial password
    /// (under 8 characters, or a stand-in such as `changeme`). Plain text that merely uses base64 characters fails to decode.
    Base64Value,
}

/// A value searched near a rule's match and reported with it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CompanionSpec {
    /// Name in output (`secret_access_key`).
    pub name: String,
    /// Regex with a named group `secret`.
    pub regex: String,
    /// Lines above and below the match that are searched.
    #[serde(default = "default_within_lines")]
    pub within_lines: usize,
    /// When true the rule reports nothing unless the companion is found.
    #[serde(default)]
    pub required: bool,
    /// Minimum Shannon entropy of the companion value.
    #[serde(default)]
    pub min_entropy: Option<f64>,
    /// Keywords of the rule's own match that make this companion relevant
    /// (e.g. the session token only for `ASIA` keys); empty means always.
    #[serde(default)]
    pub when_secret_starts_with: Vec<String>,
    /// Confidence of the finding when this companion is found.
    #[serde(default)]
    pub confidence_if_found: Option<Confidence>,
}

fn default_within_lines() -> usize {
    5
}
