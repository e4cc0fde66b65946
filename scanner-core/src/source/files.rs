//! The working tree as a source: a parallel walk (the `ignore` crate) that honours
//! `.gitignore`, `.ignore` and `.keywardignore`, scans hidden files, never enters `.git/`, and
//! accounts for every file it does not scan.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};

use crate::finding::{Finding, Origin};
use crate::report::{Report, ScanSummary, SkipReason};
use crate::scan::Scanner;

/// Files up to this size are read into a reused buffer; larger ones are memory-mapped.
const MMAP_THRESHOLD: u64 = 4 * 1024 * 1024;

pub(crate) fn scan_paths(scanner: &Scanner, paths: &[PathBuf]) -> Report {
    let opts = scanner.options();
    let mut report = Report::default();
    let mut roots = Vec::new();
    for p in paths {
        // A missing root is reported, not fatal for the other roots.
        match std::fs::symlink_metadata(p) {
            Ok(_) => roots.push(p.clone()),
            Err(e) => report.summary.skip(
                p.display().to_string(),
                SkipReason::Unreadable,
                e.to_string(),
            ),
        }
    }
    let Some((first, rest)) = roots.split_first() else {
        return report;
    };
    let mut builder = WalkBuilder::new(first);
    for r in rest {
        builder.add(r);
    }
    let use_ignores = !opts.no_ignore;
    builder
        .hidden(false)
        .parents(use_ignores)
        .ignore(use_ignores)
        .git_ignore(use_ignores)
        .git_global(use_ignores)
        .git_exclude(use_ignores)
        .require_git(true)
        .follow_links(opts.follow_links)
        .threads(opts.threads)
        .filter_entry(|e| e.file_name() != ".git");
    if use_ignores {
        builder.add_custom_ignore_filename(".keywardignore");
    }
    let results = Mutex::new(Vec::new());
    let mut visitors = VisitorBuilder {
        scanner,
        results: &results,
    };
    builder.build_parallel().visit(&mut visitors);
    for (findings, summary) in results.into_inner().unwrap_or_else(|e| e.into_inner()) {
        report.findings.extend(findings);
        report.summary.merge(summary);
    }
    report
}

struct VisitorBuilder<'a> {
    scanner: &'a Scanner,
    results: &'a Mutex<Vec<(Vec<Finding>, ScanSummary)>>,
}

impl<'s> ParallelVisitorBuilder<'s> for VisitorBuilder<'s> {
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        Box::new(FileVisitor {
            scanner: self.scanner,
            results: self.results,
            buf: Vec::new(),
            findings: Vec::new(),
            summary: ScanSummary::default(),
        })
    }
}

/// One worker thread's state: a reused read buffer and its share of the results.
struct FileVisitor<'a> {
    scanner: &'a Scanner,
    results: &'a Mutex<Vec<(Vec<Finding>, ScanSummary)>>,
    buf: Vec<u8>,
    findings: Vec<Finding>,
    summary: ScanSummary,
}

impl Drop for FileVisitor<'_> {
    fn drop(&mut self) {
        let item = (
            std::mem::take(&mut self.findings),
            std::mem::take(&mut self.summary),
        );
        self.results
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(item);
    }
}

impl ParallelVisitor for FileVisitor<'_> {
    fn visit(&mut self, entry: Result<DirEntry, ignore::Error>) -> WalkState {
        match entry {
            Ok(entry) => self.visit_entry(&entry),
            Err(err) => {
                let path = error_path(&err).unwrap_or_default();
                let reason = match io_error(&err) {
                    Some(_) => SkipReason::Unreadable,
                    None => SkipReason::WalkError,
                };
                self.summary.skip(path, reason, err.to_string());
            }
        }
        WalkState::Continue
    }
}

impl FileVisitor<'_> {
    fn visit_entry(&mut self, entry: &DirEntry) {
        let Some(ft) = entry.file_type() else {
            return; // stdin pseudo-entry; not produced for paths
        };
        if ft.is_dir() {
            return;
        }
        let path = entry.path();
        let shown = Origin::File {
            path: path.to_path_buf(),
        }
        .display_path();
        if ft.is_symlink() {
            self.summary.skip(
                shown,
                SkipReason::Symlink,
                "symbolic link not followed (use --follow)".into(),
            );
            return;
        }
        if !ft.is_file() {
            self.summary.skip(
                shown,
                SkipReason::NotRegularFile,
                "FIFO, socket or device; not read".into(),
            );
            return;
        }
        let opts = self.scanner.options();
        if opts.allow.path_allowed(&shown) {
            self.summary.skip(
                shown,
                SkipReason::AllowlistedPath,
                "allowlisted by configuration".into(),
            );
            return;
        }
        if let Err(e) = self.scan_file(path, &shown) {
            self.summary
                .skip(shown, SkipReason::Unreadable, e.to_string());
        }
    }

    fn scan_file(&mut self, path: &Path, shown: &str) -> std::io::Result<()> {
        let opts = self.scanner.options();
        let mut file = File::open(path)?;
        let meta = file.metadata()?;
        if !meta.is_file() {
            self.summary.skip(
                shown.into(),
                SkipReason::NotRegularFile,
                "not a regular file".into(),
            );
            return Ok(());
        }
        let len = meta.len();
        if len > opts.max_file_size {
            self.summary.skip(
                shown.into(),
                SkipReason::TooLarge,
                format!("{len} bytes > --max-file-size {}", opts.max_file_size),
            );
            return Ok(());
        }
        let origin = Origin::File {
            path: path.to_path_buf(),
        };
        if len > MMAP_THRESHOLD {
            // SAFETY: the map is read-only and dropped before we return. A file truncated
            // underneath us by another process could fault; scanners share this risk with
            // ripgrep, which makes the same trade for speed on large files.
            let map = unsafe { memmap2::Mmap::map(&file)? };
            self.scan_contents(&map, &origin, shown);
        } else {
            let mut buf = std::mem::take(&mut self.buf);
            buf.clear();
            let res = (&mut file)
                .take(opts.max_file_size + 1)
                .read_to_end(&mut buf);
            let out = res.map(|_| self.scan_contents(&buf, &origin, shown));
            self.buf = buf;
            out?;
        }
        Ok(())
    }

    fn scan_contents(&mut self, bytes: &[u8], origin: &Origin, shown: &str) {
        let opts = self.scanner.options();
        if !opts.binary && super::looks_binary(bytes) {
            self.summary.skip(
                shown.into(),
                SkipReason::Binary,
                "NUL byte in the first 8 KiB (use --binary)".into(),
            );
            return;
        }
        self.count(bytes.len());
        self.scanner.scan_blob(
            &super::as_text(bytes),
            origin,
            &mut self.findings,
            &mut self.summary,
        );
    }

    fn count(&mut self, len: usize) {
        self.summary.files += 1;
        self.summary.bytes += len as u64;
    }
}

fn io_error(err: &ignore::Error) -> Option<&std::io::Error> {
    match err {
        ignore::Error::Io(e) => Some(e),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => io_error(err),
        _ => None,
    }
}

fn error_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => {
            Some(Origin::File { path: path.clone() }.display_path())
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(
            Origin::File {
                path: child.clone(),
            }
            .display_path(),
        ),
        _ => None,
    }
}
