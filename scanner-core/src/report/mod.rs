//! Reports: the findings of a scan plus what was scanned, skipped and filtered, and the writers
//! that render them as text, JSON and SARIF. Writers know nothing of how findings were made.

mod json;
mod sarif;
mod text;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

pub use json::{write_json, JSON_SCHEMA_VERSION};
pub use sarif::write_sarif;
pub use text::{write_text, TextOptions};

use crate::finding::Finding;

/// Why an input was not scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// Looks binary (NUL bytes in the first 8 KiB); `--binary` scans it.
    Binary,
    /// Larger than `--max-file-size`.
    TooLarge,
    /// Could not be opened or read (permissions, vanished, I/O error).
    Unreadable,
    /// A FIFO, socket or device: never read, it could block or never end.
    NotRegularFile,
    /// A symbolic link, not followed without `--follow`.
    Symlink,
    /// A symlink loop or another directory-walk error.
    WalkError,
    /// Matched an allowlisted path in the configuration.
    AllowlistedPath,
    /// A git object that could not be read (missing or corrupt).
    GitObjectError,
    /// A submodule (gitlink): its history is another repository's.
    Submodule,
    /// A Git LFS pointer: the content lives on the LFS server, not in the repository.
    LfsPointer,
    /// Looked like Terraform JSON but did not parse: scanned as plain text only.
    MalformedTerraform,
}

impl SkipReason {
    /// Kebab-case name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::TooLarge => "too-large",
            SkipReason::Unreadable => "unreadable",
            SkipReason::NotRegularFile => "not-regular-file",
            SkipReason::Symlink => "symlink",
            SkipReason::WalkError => "walk-error",
            SkipReason::AllowlistedPath => "allowlisted-path",
            SkipReason::GitObjectError => "git-object-error",
            SkipReason::Submodule => "submodule",
            SkipReason::LfsPointer => "lfs-pointer",
            SkipReason::MalformedTerraform => "malformed-terraform",
        }
    }

    /// Whether the skip means part of the input could not be scanned because of an error
    /// (as opposed to a deliberate choice such as binary or allowlisted files).
    pub fn is_error(self) -> bool {
        matches!(
            self,
            SkipReason::Unreadable | SkipReason::WalkError | SkipReason::GitObjectError
        )
    }
}

/// One skipped input and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SkippedInput {
    /// Path (or description) of the input.
    pub path: String,
    /// Reason.
    pub reason: SkipReason,
    /// Details (the I/O error, the size).
    pub detail: String,
}

/// What a scan covered and what it left out.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanSummary {
    /// Files (or blobs) scanned.
    pub files: u64,
    /// Bytes scanned.
    pub bytes: u64,
    /// Findings reported.
    pub findings: u64,
    /// Skipped inputs by reason.
    pub skipped: BTreeMap<SkipReason, u64>,
    /// Every skipped input.
    #[serde(skip)]
    pub skipped_inputs: Vec<SkippedInput>,
    /// Documentation example keys seen (never reported).
    pub examples: u64,
    /// Placeholders seen (never reported).
    pub placeholders: u64,
    /// Values under names that are not credentials (`csrf_token`, `cache_key`) or that a
    /// provider's own rule judged (never reported by the generic rules).
    pub not_credentials: u64,
    /// Findings suppressed by `keyward:allow` or config allowlists.
    pub allowlisted: u64,
    /// Findings below the requested confidence.
    pub below_confidence: u64,
    /// Rules in effect.
    pub rules: usize,
    /// Commits scanned (git history).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commits: Option<u64>,
    /// Commits whose parents are missing (shallow clone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shallow_missing_parents: Option<u64>,
    /// Findings suppressed by `--baseline`.
    pub baseline_suppressed: u64,
    /// Wall time (text output only: JSON and SARIF stay byte-identical across runs).
    #[serde(skip)]
    pub elapsed: Duration,
}

impl ScanSummary {
    /// Records a skipped input.
    pub fn skip(&mut self, path: String, reason: SkipReason, detail: String) {
        *self.skipped.entry(reason).or_insert(0) += 1;
        self.skipped_inputs.push(SkippedInput {
            path,
            reason,
            detail,
        });
    }

    /// Total skipped inputs.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// Skipped inputs that were errors, not choices.
    pub fn skipped_errors(&self) -> u64 {
        self.skipped
            .iter()
            .filter(|(r, _)| r.is_error())
            .map(|(_, n)| n)
            .sum()
    }

    /// Adds another summary's counts into this one.
    pub fn merge(&mut self, other: ScanSummary) {
        self.files += other.files;
        self.bytes += other.bytes;
        self.findings += other.findings;
        for (r, n) in other.skipped {
            *self.skipped.entry(r).or_insert(0) += n;
        }
        self.skipped_inputs.extend(other.skipped_inputs);
        self.examples += other.examples;
        self.placeholders += other.placeholders;
        self.not_credentials += other.not_credentials;
        self.allowlisted += other.allowlisted;
        self.below_confidence += other.below_confidence;
        self.baseline_suppressed += other.baseline_suppressed;
    }
}

/// Findings plus the scan summary.
#[derive(Debug, Default)]
pub struct Report {
    /// Findings, sorted by path, line, column and rule.
    pub findings: Vec<Finding>,
    /// What was scanned.
    pub summary: ScanSummary,
}

impl Report {
    /// Sorts findings and skipped inputs so output is deterministic.
    pub fn finish(&mut self) {
        self.findings.sort_by_key(|f| f.sort_key());
        self.summary.skipped_inputs.sort();
        self.summary.findings = self.findings.len() as u64;
    }
}

/// Options shared by the writers.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Print secrets in clear (`--show-secrets`).
    pub show_secrets: bool,
}
