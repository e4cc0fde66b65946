//! A finding: a secret a rule found, where, and how sure we are. The secret itself is private
//! and prints redacted; only an explicit call reveals it.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;

use crate::matcher::Encoding;
use crate::rules::Confidence;

/// Where scanned bytes came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
#[allow(clippy::large_enum_variant)]
pub enum Origin {
    /// A file in the working tree.
    File {
        /// Path as walked (relative when the scanned path was relative).
        #[serde(serialize_with = "lossy_path")]
        path: PathBuf,
    },
    /// Standard input.
    Stdin,
    /// A blob in git history.
    Git(Box<GitOrigin>),
    /// A file staged in the git index (`keyward git --staged`).
    Staged {
        /// Path in the repository.
        #[serde(serialize_with = "lossy_path")]
        path: PathBuf,
    },
    /// An object read from a remote store (`s3://bucket/key?versionId=…`).
    Remote {
        /// Its URL.
        url: String,
    },
}

/// Paths are not always UTF-8; reports show them with invalid bytes replaced rather than fail.
fn lossy_path<S: serde::Serializer>(p: &std::path::Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.to_string_lossy())
}

/// Where a secret in git history comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct GitOrigin {
    /// Path of the blob in the introducing commit.
    pub path: String,
    /// Blob id (hex).
    pub blob: String,
    /// The commit that introduced the blob at that path, when known.
    pub commit: Option<CommitInfo>,
    /// How many of the scanned commits hold the secret.
    pub commits_carrying: usize,
    /// Whether the secret is still in the tree at HEAD.
    pub present_at_head: bool,
}

/// A commit, as shown with a finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct CommitInfo {
    /// Commit id (hex).
    pub id: String,
    /// Author name.
    pub author: String,
    /// Author email.
    pub email: String,
    /// Author date, RFC 3339.
    pub date: String,
    /// First line of the message.
    pub subject: String,
}

impl Origin {
    /// The path to show for this origin (`-` for stdin), with `/` separators.
    pub fn display_path(&self) -> String {
        match self {
            Origin::File { path } => {
                let s = path.to_string_lossy().replace('\\', "/");
                s.strip_prefix("./").map(str::to_string).unwrap_or(s)
            }
            Origin::Stdin => "-".to_string(),
            Origin::Git(g) => g.path.clone(),
            Origin::Staged { path } => path.to_string_lossy().replace('\\', "/"),
            Origin::Remote { url } => url.clone(),
        }
    }
}

/// A secret value. Its `Display` and `Debug` are redacted.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps a value.
    pub fn new(bytes: Vec<u8>) -> Secret {
        Secret(bytes)
    }

    /// The secret's bytes. Callers that print them must honour `--show-secrets`.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The secret as text (invalid UTF-8 replaced). Same caution as [`Secret::expose`].
    pub fn expose_lossy(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True for an empty value.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A redacted form that identifies the value without revealing it: `AKIA…QZ7B (20)`.
    ///
    /// ```
    /// let s = scanner_core::Secret::new(b"AKIAZ3MHBX4QTY7VQZ7B".to_vec());
    /// assert_eq!(s.redacted(), "AKIA…QZ7B (20)");
    /// ```
    pub fn redacted(&self) -> String {
        let n = self.0.len();
        let keep = match n {
            0..=7 => 0,
            8..=15 => 2,
            _ => 4,
        };
        let printable = |b: &[u8]| -> String {
            b.iter()
                .map(|&c| if c.is_ascii_graphic() { c as char } else { '?' })
                .collect()
        };
        format!(
            "{}…{} ({n})",
            printable(&self.0[..keep]),
            printable(&self.0[n - keep..])
        )
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// A 1-based line/column region. Columns count Unicode scalar values; `end_column` is the
/// column just after the last character (as in SARIF).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// First line.
    pub line: usize,
    /// First column.
    pub column: usize,
    /// Last line.
    pub end_line: usize,
    /// Column after the last character.
    pub end_column: usize,
}

/// A value that belongs with the finding's secret (the AWS secret key of a key id).
#[derive(Debug, Clone)]
pub struct Companion {
    /// Companion name from the rule (`secret_access_key`).
    pub name: String,
    /// The value.
    pub secret: Secret,
    /// Where it is.
    pub location: Location,
}

/// A secret found by a rule.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Rule id.
    pub rule_id: String,
    /// Rule name.
    pub rule_name: String,
    /// Confidence (after companion checks and context).
    pub confidence: Confidence,
    /// SARIF security severity (0–10).
    pub severity: f64,
    /// Where the bytes came from.
    pub origin: Origin,
    /// Byte span of the secret (of its encoded text when encoded).
    pub span: Range<usize>,
    /// Line and column of the span.
    pub location: Location,
    /// The secret.
    pub secret: Secret,
    /// Companion values found with it.
    pub companions: Vec<Companion>,
    /// Stable fingerprint: depends only on the rule and the secret.
    pub fingerprint: String,
    /// Encoding the secret was found under.
    pub encoding: Option<Encoding>,
    /// Rule tags.
    pub tags: Vec<String>,
    /// Facts added after matching (e.g. `aws`: key class, account, canary), shown in every
    /// output format.
    pub annotations: std::collections::BTreeMap<String, serde_json::Value>,
}

impl Finding {
    /// Sort key giving deterministic output: path, position, rule.
    pub fn sort_key(&self) -> (String, usize, usize, String) {
        (
            self.origin.display_path(),
            self.location.line,
            self.location.column,
            self.rule_id.clone(),
        )
    }
}
