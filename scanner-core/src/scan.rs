//! Wiring: sources feed blobs to the matcher; raw matches become findings; filters drop what
//! the user allowed. This is the library's front door.

use std::path::PathBuf;
use std::time::Instant;

use crate::config::Allowlist;
use crate::finding::{Companion, Finding, Origin, Secret};
use crate::fingerprint::fingerprint;
use crate::location::{lines_of, LineIndex};
use crate::matcher::{Matcher, RawCompanion};
use crate::report::{Report, ScanSummary};
use crate::rules::{Confidence, Rule, RuleSet};
use crate::source::files;
use crate::tfstate::StateRule;

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

    /// Scans one file's contents as every source does: UTF-16 text with a byte order mark is
    /// transcoded to UTF-8 first (positions then refer to the transcoded text).
    ///
    /// ```
    /// use scanner_core::{Origin, RuleSet, ScanOptions, Scanner};
    /// let scanner = Scanner::new(RuleSet::default_rules(), ScanOptions::default());
    /// let utf16: Vec<u8> = [0xFF, 0xFE].into_iter()
    ///     .chain("token: ghp_Yf3kQ9wX2mLp7RtZ0vB8nC4sJ6hD1aE5gK7u".encode_utf16().flat_map(u16::to_le_bytes))
    ///     .collect();
    /// assert_eq!(scanner.scan_text(&utf16, Origin::Stdin).findings.len(), 1);
    /// ```
    pub fn scan_text(&self, bytes: &[u8], origin: Origin) -> Report {
        self.scan_bytes(&crate::source::as_text(bytes), origin)
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

    /// Runs the matcher over one blob (and, for Terraform files, the structural pass) and
    /// appends its findings, after filters.
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
        summary.not_credentials += out.not_credentials;
        let path = origin.display_path();
        let terraform = crate::tfstate::sniff(bytes, &path);
        if out.matches.is_empty() && terraform.is_none() {
            return;
        }
        let rules = self.rules();
        let mut cands: Vec<Candidate> = out
            .matches
            .into_iter()
            .map(|m| Candidate {
                rule: RuleRef::Pattern(rules.by_index(m.rule)),
                span: m.span,
                secret: m.secret,
                companions: m.companions,
                confidence: m.confidence,
                encoding: m.encoding,
                annotations: Default::default(),
            })
            .collect();
        if let Some(kind) = terraform {
            crate::tfstate::apply(kind, bytes, &path, &self.matcher, &mut cands, summary);
        }
        if cands.is_empty() {
            return;
        }
        cands.sort_by_key(|c| c.span.start);
        let context = crate::context::lowering_reason(&path);
        let generic_context = crate::context::generic_lowering_reason(&path);
        let mut lines = LineIndex::new(bytes);
        let mut inline_allow = InlineAllowLine::default();
        for c in cands {
            if inline_allow.covers(bytes, &c.span) {
                summary.allowlisted += 1;
                continue;
            }
            // Where the text says "illustration", a value no provider format vouches for is one.
            let knows_no_format = matches!(c.rule, RuleRef::Pattern(r) if r.is_fallback());
            let context = context.or_else(|| {
                knows_no_format
                    .then(|| {
                        generic_context
                            .or_else(|| crate::context::example_text_reason(bytes, c.span.start))
                    })
                    .flatten()
            });
            if let Some(f) = self.admit(c, origin, context, &mut lines, summary) {
                findings.push(f);
            }
        }
    }

    /// Applies the filters (allowlists, baseline, context, confidence) to one candidate and
    /// makes it a finding.
    fn admit(
        &self,
        c: Candidate<'_>,
        origin: &Origin,
        context: Option<&'static str>,
        lines: &mut LineIndex<'_>,
        summary: &mut ScanSummary,
    ) -> Option<Finding> {
        let fp = fingerprint(c.rule.id(), &c.secret);
        if self
            .options
            .allow
            .secrets
            .iter()
            .any(|r| r.is_match(&c.secret))
            || self.options.allow.fingerprints.contains(&fp)
        {
            summary.allowlisted += 1;
            return None;
        }
        if self.options.baseline.contains(&fp) {
            summary.baseline_suppressed += 1;
            return None;
        }
        let mut confidence = c.confidence;
        if context.is_some() {
            confidence = confidence.lowered();
        }
        if confidence < self.options.min_confidence {
            summary.below_confidence += 1;
            return None;
        }
        let location = lines.location(&c.span);
        let companions = c
            .companions
            .into_iter()
            .map(|x| Companion {
                name: x.name,
                secret: Secret::new(x.value),
                location: lines.location(&x.span),
            })
            .collect();
        let mut annotations = c.annotations;
        if let Some(why) = context {
            annotations.insert("context".to_string(), serde_json::json!(why));
        }
        Some(Finding {
            rule_id: c.rule.id().to_string(),
            rule_name: c.rule.name().to_string(),
            confidence,
            severity: c.rule.severity(),
            origin: origin.clone(),
            span: c.span,
            location,
            secret: Secret::new(c.secret),
            companions,
            fingerprint: fp,
            encoding: c.encoding,
            tags: c.rule.tags().to_vec(),
            annotations,
        })
    }
}

/// The rule behind a candidate: a pattern rule, or a structural Terraform rule.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RuleRef<'r> {
    Pattern(&'r Rule),
    State(&'static StateRule),
}

impl RuleRef<'_> {
    pub(crate) fn id(&self) -> &str {
        match self {
            RuleRef::Pattern(r) => r.id(),
            RuleRef::State(r) => &r.id,
        }
    }

    fn name(&self) -> &str {
        match self {
            RuleRef::Pattern(r) => r.name(),
            RuleRef::State(r) => &r.name,
        }
    }

    fn severity(&self) -> f64 {
        match self {
            RuleRef::Pattern(r) => r.severity(),
            RuleRef::State(r) => r.severity(),
        }
    }

    pub(crate) fn tags(&self) -> &[String] {
        match self {
            RuleRef::Pattern(r) => r.tags(),
            RuleRef::State(r) => &r.tags,
        }
    }
}

/// A match before filters: from the pattern pass or the structural pass.
#[derive(Debug)]
pub(crate) struct Candidate<'r> {
    pub(crate) rule: RuleRef<'r>,
    pub(crate) span: std::ops::Range<usize>,
    pub(crate) secret: Vec<u8>,
    pub(crate) companions: Vec<RawCompanion>,
    pub(crate) confidence: Confidence,
    pub(crate) encoding: Option<crate::matcher::Encoding>,
    pub(crate) annotations: std::collections::BTreeMap<String, serde_json::Value>,
}

/// Whether the line(s) of a candidate carry the inline allow comment. Candidates come in span
/// order, so the last single line searched is remembered: a one-line file with thousands of
/// findings is searched once, not once per finding. A multi-line candidate's lines are searched
/// afresh and not remembered: its comment must not cover another finding on one of its lines.
#[derive(Default)]
struct InlineAllowLine {
    line: Option<(std::ops::Range<usize>, bool)>,
}

impl InlineAllowLine {
    fn covers(&mut self, bytes: &[u8], span: &std::ops::Range<usize>) -> bool {
        match &self.line {
            Some((line, allowed)) if line.start <= span.start && span.end <= line.end => *allowed,
            _ => {
                let lines = lines_of(bytes, span);
                let text = &bytes[lines.clone()];
                let allowed = memchr::memmem::find(text, INLINE_ALLOW).is_some();
                self.line = (!text.contains(&b'\n')).then_some((lines, allowed));
                allowed
            }
        }
    }
}
