//! Wiring: sources feed blobs to the matcher; raw matches become findings; filters drop what
//! the user allowed. This is the library's front door.

use std::path::PathBuf;
use std::time::Instant;

use crate::config::Allowlist;
use crate::finding::{Companion, Finding, Origin, Secret};
use crate::fingerprint::fingerprint;
use crate::location::{lines_of, LineIndex};
use crate::matcher::Matcher;
use crate::report::{Report, ScanSummary};
use crate::rules::{Confidence, RuleSet};
use crate::source::files;

/// Default `--max-file-size`: larger files are skipped and counted.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// The marker that suppresses findings on its line.
pub const INLINE_ALLOW: &[u8] = b"keyward:allow";

/// How a scan behaves.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Follow symbolic links.
    pub follow_links: bool,
    /// Ignore `.gitignore`, `.ignore` and `.keywardignore`.
    pub no_ignore: bool,
    /// Scan files that look binary.
    pub binary: bool,
    /// Skip files larger than this.
    pub max_file_size: u64,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Report findings at or above this confidence.
    pub min_confidence: Confidence,
    /// Allowlists from the configuration.
    pub allow: Allowlist,
    /// Fingerprints of known findings (`--baseline`): counted, not reported.
    pub baseline: std::collections::HashSet<String>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            follow_links: false,
            no_ignore: false,
            binary: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            threads: 0,
            min_confidence: Confidence::Medium,
            allow: Allowlist::default(),
            baseline: Default::default(),
        }
    }
}

/// Scans bytes, files and directory trees with a rule set.
///
/// ```
/// use scanner_core::{Origin, RuleSet, ScanOptions, Scanner};
/// let scanner = Scanner::new(RuleSet::default_rules(), ScanOptions::default());
/// let text = b"aws_access_key_id = AKIAZ3MHBX4QTY7VQZ7B\naws_secret_access_key = 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\n";
/// let report = scanner.scan_bytes(text, Origin::Stdin);
/// assert_eq!(report.findings.len(), 1);
/// let f = &report.findings[0];
/// assert_eq!(f.rule_id, "aws-access-key-id");
/// assert_eq!(f.companions[0].name, "secret_access_key");
/// assert_eq!(f.secret.redacted(), "AKIA…QZ7B (20)");
/// ```
#[derive(Debug, Clone)]
pub struct Scanner {
    matcher: Matcher,
    options: ScanOptions,
}

impl Scanner {
    /// Prepares to scan with `rules`. Rules that could only report below
    /// `options.min_confidence` are not run (their findings would not be reported).
    pub fn new(mut rules: RuleSet, options: ScanOptions) -> Scanner {
        rules.retain_reportable(options.min_confidence);
        Scanner {
            matcher: Matcher::new(rules),
            options,
        }
    }

    /// The rules in effect.
    pub fn rules(&self) -> &RuleSet {
        self.matcher.rules()
    }

    /// Builds the keyword automaton now rather than on the first scanned byte.
    pub fn prepare(&self) {
        self.matcher.prepare();
    }

    /// The options in effect.
    pub fn options(&self) -> &ScanOptions {
        &self.options
    }

    /// Scans one buffer.
    pub fn scan_bytes(&self, bytes: &[u8], origin: Origin) -> Report {
        let start = Instant::now();
        let mut report = Report::default();
        report.summary.files = 1;
        report.summary.bytes = bytes.len() as u64;
        self.scan_blob(bytes, &origin, &mut report.findings, &mut report.summary);
        report.summary.rules = self.rules().len();
        report.summary.elapsed = start.elapsed();
        report.finish();
        report
    }

    /// Walks `paths` (files or directories) in parallel and scans every file.
    pub fn scan_paths(&self, paths: &[PathBuf]) -> Report {
        let start = Instant::now();
        let mut report = files::scan_paths(self, paths);
        report.summary.rules = self.rules().len();
        report.summary.elapsed = start.elapsed();
        report.finish();
        report
    }

    /// Runs the matcher over one blob and appends its findings, after filters.
    pub(crate) fn scan_blob(
        &self,
        bytes: &[u8],
        origin: &Origin,
        findings: &mut Vec<Finding>,
        summary: &mut ScanSummary,
    ) {
        let out = self.matcher.find(bytes);
        summary.examples += out.examples;
        summary.placeholders += out.placeholders;
        if out.matches.is_empty() {
            return;
        }
        let mut lines = LineIndex::new(bytes);
        for m in out.matches {
            let rule = self.rules().by_index(m.rule);
            let line = &bytes[lines_of(bytes, &m.span)];
            if memchr::memmem::find(line, INLINE_ALLOW).is_some() {
                summary.allowlisted += 1;
                continue;
            }
            let fp = fingerprint(rule.id(), &m.secret);
            if self
                .options
                .allow
                .secrets
                .iter()
                .any(|r| r.is_match(&m.secret))
                || self.options.allow.fingerprints.contains(&fp)
            {
                summary.allowlisted += 1;
                continue;
            }
            if self.options.baseline.contains(&fp) {
                summary.baseline_suppressed += 1;
                continue;
            }
            let mut confidence = m.confidence;
            let context = crate::context::lowering_reason(&origin.display_path());
            if context.is_some() {
                confidence = confidence.lowered();
            }
            if confidence < self.options.min_confidence {
                summary.below_confidence += 1;
                continue;
            }
            let location = lines.location(&m.span);
            let companions = m
                .companions
                .into_iter()
                .map(|c| Companion {
                    name: c.name,
                    secret: Secret::new(c.value),
                    location: lines.location(&c.span),
                })
                .collect();
            findings.push(Finding {
                rule_id: rule.id().to_string(),
                rule_name: rule.name().to_string(),
                confidence,
                severity: rule.severity(),
                origin: origin.clone(),
                span: m.span,
                location,
                secret: Secret::new(m.secret),
                companions,
                fingerprint: fp,
                encoding: m.encoding,
                tags: rule.tags().to_vec(),
                annotations: context
                    .map(|why| {
                        [("context".to_string(), serde_json::json!(why))]
                            .into_iter()
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
    }
}
