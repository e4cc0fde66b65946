//! The staged changes: the index against HEAD (the whole index before the first commit). Only
//! findings on added or changed lines are reported; pairing may use the whole staged file, so a
//! secret key added under an existing key id is still reported as a pair.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use git2::{Delta, DiffFindOptions, DiffOptions, Patch, Repository};
use scanner_core::{Origin, Report, Scanner, SkipReason};

/// Why the staged changes could not be scanned.
#[derive(Debug, thiserror::Error)]
pub enum StagedError {
    /// Not inside a git work tree.
    #[error("{path}: not inside a git repository: {message}")]
    NotARepo {
        /// Where we looked.
        path: String,
        /// libgit2's message.
        message: String,
    },
    /// Any other libgit2 failure.
    #[error("git: {0}")]
    Git(#[from] git2::Error),
}

/// Scans the staged changes of the repository containing `path`.
pub fn scan_staged(scanner: &Scanner, path: &Path) -> Result<Report, StagedError> {
    let start = Instant::now();
    let repo = Repository::discover(path).map_err(|e| StagedError::NotARepo {
        path: path.display().to_string(),
        message: e.message().to_string(),
    })?;
    let index = repo.index()?;
    let head_tree = repo.head().ok().and_then(|h| h.peel_to_tree().ok());
    let mut opts = DiffOptions::new();
    opts.context_lines(0).ignore_submodules(true);
    let mut diff = repo.diff_tree_to_index(head_tree.as_ref(), Some(&index), Some(&mut opts))?;
    // A rename of unchanged content adds no lines, so it reports nothing new.
    diff.find_similar(Some(DiffFindOptions::new().renames(true)))?;
    let mut report = Report::default();
    let max = scanner.options().max_file_size;
    for (i, delta) in diff.deltas().enumerate() {
        if !matches!(
            delta.status(),
            Delta::Added | Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange
        ) {
            continue;
        }
        let new = delta.new_file();
        let rel: PathBuf = new.path().map(Path::to_path_buf).unwrap_or_default();
        let shown = rel.to_string_lossy().replace('\\', "/");
        if new.mode() == git2::FileMode::Commit {
            report
                .summary
                .skip(shown, SkipReason::Submodule, "submodule".into());
            continue;
        }
        let blob = match repo.find_blob(new.id()) {
            Ok(b) => b,
            Err(e) => {
                report
                    .summary
                    .skip(shown, SkipReason::GitObjectError, e.message().to_string());
                continue;
            }
        };
        let bytes = blob.content();
        if bytes.len() as u64 > max {
            report.summary.skip(
                shown,
                SkipReason::TooLarge,
                format!("{} bytes > --max-file-size {max}", bytes.len()),
            );
            continue;
        }
        if !scanner.options().binary && bytes[..bytes.len().min(8192)].contains(&0) {
            report.summary.skip(
                shown,
                SkipReason::Binary,
                "NUL byte in the first 8 KiB".into(),
            );
            continue;
        }
        let added = added_lines(&diff, i)?;
        if added.is_empty() {
            continue;
        }
        let found = scanner.scan_bytes(bytes, Origin::Staged { path: rel.clone() });
        report.summary.files += 1;
        report.summary.bytes += bytes.len() as u64;
        let s = found.summary;
        report.summary.examples += s.examples;
        report.summary.placeholders += s.placeholders;
        report.summary.allowlisted += s.allowlisted;
        report.summary.below_confidence += s.below_confidence;
        report.summary.baseline_suppressed += s.baseline_suppressed;
        for f in found.findings {
            let on_added = (f.location.line..=f.location.end_line).any(|l| added.contains(&l))
                || f.companions
                    .iter()
                    .any(|c| added.contains(&c.location.line));
            if on_added {
                report.findings.push(f);
            }
        }
    }
    report.summary.rules = scanner.rules().len();
    report.summary.elapsed = start.elapsed();
    report.finish();
    Ok(report)
}

/// 1-based line numbers, in the staged file, of the lines the change adds.
fn added_lines(diff: &git2::Diff<'_>, idx: usize) -> Result<HashSet<usize>, git2::Error> {
    let mut out = HashSet::new();
    let Some(patch) = Patch::from_diff(diff, idx)? else {
        return Ok(out);
    };
    for h in 0..patch.num_hunks() {
        for l in 0..patch.num_lines_in_hunk(h)? {
            let line = patch.line_in_hunk(h, l)?;
            if line.origin() == '+' {
                if let Some(n) = line.new_lineno() {
                    out.insert(n as usize);
                }
            }
        }
    }
    Ok(out)
}
