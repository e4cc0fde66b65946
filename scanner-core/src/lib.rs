//! Keyward's scanning library: rules as data, an Aho-Corasick + regex matcher, sources (the
//! working tree, standard input), findings with stable fingerprints, and report writers.
//!
//! Data flows one way: sources → blobs → matcher → findings → filters → reports.
//!
//! ```
//! use scanner_core::{Origin, RuleSet, ScanOptions, Scanner};
//!
//! let scanner = Scanner::new(RuleSet::default_rules(), ScanOptions::default());
//! let report = scanner.scan_bytes(b"token: ghp_Yf3kQ9wX2mLp7RtZ0vB8nC4sJ6hD1aE5gK7u", Origin::Stdin);
//! for finding in &report.findings {
//!     // Secrets print redacted unless explicitly exposed.
//!     println!("{} at line {}: {}", finding.rule_id, finding.location.line, finding.secret);
//! }
//! ```

#![warn(missing_docs)]

mod config;
mod context;
mod finding;
mod fingerprint;
#[doc(hidden)]
pub mod fuzzing;
mod location;
pub mod matcher;
pub mod report;
pub mod rules;
mod scan;
mod source;
pub mod tfstate;

pub use config::{Allowlist, Config, ConfigError, CONFIG_FILE_NAME};
pub use finding::{CommitInfo, Companion, Finding, GitOrigin, Location, Origin, Secret};
pub use fingerprint::fingerprint;
pub use matcher::Matcher;
pub use report::{Report, ScanSummary, SkipReason, SkippedInput};
pub use rules::{check_examples, Confidence, ExampleFailure, Rule, RuleError, RuleSet};
pub use scan::{ScanOptions, Scanner, DEFAULT_MAX_FILE_SIZE, INLINE_ALLOW};
pub use source::git::{GitError, GitOptions, GitProgress};
pub use source::looks_binary;
