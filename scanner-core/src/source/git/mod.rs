//! Git history as a source: every distinct blob reachable from the selected commits is scanned
//! once, however many commits hold it, in parallel. Who introduced a blob is known from the walk;
//! how many commits carry a secret and whether HEAD still has it are worked out afterwards, and
//! only for blobs with findings.

mod attribution;
mod blobs;
mod pack_index;
mod pack_reader;
mod read;
mod select;
mod time;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use git2::{Oid, Repository};

use crate::finding::{Finding, GitOrigin, Origin};
use crate::report::{Report, ScanSummary, SkipReason};
use crate::scan::Scanner;

pub(crate) use blobs::BlobEntry;
pub(crate) use time::commit_info;

/// Pack window size and the cap on mapped pack bytes (see `scan_git_history`).
const MWINDOW_SIZE: usize = 32 << 20;
const MWINDOW_MAPPED_LIMIT: usize = 64 << 20;
/// libgit2's object cache (trees and commits during the walk) is capped at this.
const OBJECT_CACHE: isize = 16 << 20;

/// Which part of history to scan.
#[derive(Debug, Clone, Default)]
pub struct GitOptions {
    /// Only this ref's history (default: all refs).
    pub branch: Option<String>,
    /// Only commits reachable from HEAD (or `branch`) and not from this ref.
    pub since: Option<String>,
    /// Only commits in this range (`A..B`).
    pub range: Option<String>,
    /// Scan from these commits instead (pre-push: the pushed tips).
    pub tips: Vec<String>,
    /// Exclude what these commits reach (pre-push: the remote's old tips).
    pub hide: Vec<String>,
    /// Exclude what any remote-tracking ref reaches (pre-push of a new branch).
    pub hide_remotes: bool,
}

/// Progress callbacks (the library draws nothing itself).
pub trait GitProgress: Sync {
    /// The number of blobs to scan is known.
    fn start(&self, blobs: u64);
    /// A blob of `bytes` bytes was scanned.
    fn advance(&self, bytes: u64);
    /// Scanning is over.
    fn finish(&self);
}

/// Why history could not be scanned at all.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// Not a git repository, or one git cannot open.
    #[error("{path}: not a git repository (or unreadable): {message}")]
    Open {
        /// The path given.
        path: String,
        /// libgit2's message.
        message: String,
    },
    /// A ref or range that does not resolve.
    #[error("{what} `{name}` not found in {repo}: {hint}")]
    MissingRef {
        /// `--since`, `--branch`, `--range`.
        what: &'static str,
        /// The name given.
        name: String,
        /// Repository path.
        repo: String,
        /// How to get it.
        hint: String,
    },
    /// Any other libgit2 failure.
    #[error("git: {0}")]
    Git(#[from] git2::Error),
}

/// One scanned blob's findings before attribution.
struct BlobFindings {
    entry: usize,
    findings: Vec<Finding>,
}

impl Scanner {
    /// Scans the history of the repository at `path` (working tree, `.git` dir or bare repo).
    pub fn scan_git_history(
        &self,
        path: &Path,
        options: &GitOptions,
        progress: Option<&dyn GitProgress>,
    ) -> Result<Report, GitError> {
        let start = Instant::now();
        // Objects come from the repository being scanned; re-hashing each one on read (libgit2's
        // default) cost a quarter of a history scan. Corrupt objects still fail to inflate or
        // parse, and are reported.
        git2::opts::strict_hash_verification(false);
        // Pack files are memory-mapped in windows; bounding the mapped total bounds the resident
        // set (the default maps whole packs, which counted every touched page of a 265 MB pack).
        // SAFETY: these set process-wide libgit2 options before any repository is opened here.
        unsafe {
            let _ = git2::opts::set_mwindow_size(MWINDOW_SIZE);
            let _ = git2::opts::set_mwindow_mapped_limit(MWINDOW_MAPPED_LIMIT);
            let _ = git2::opts::set_cache_max_size(OBJECT_CACHE);
        }
        let repo = Repository::open(path).map_err(|e| GitError::Open {
            path: path.display().to_string(),
            message: e.message().to_string(),
        })?;
        let repo_path = repo.path().to_path_buf();
        let mut summary = ScanSummary::default();
        let commits = select::commits(&repo, path, options)?;
        summary.commits = Some(commits.ids.len() as u64);
        if commits.missing_parents > 0 {
            summary.shallow_missing_parents = Some(commits.missing_parents);
        }
        let walk = blobs::enumerate(&repo, &commits.ids, &mut summary)?;
        // Visit blobs in pack order (see pack_index.rs); `order[k]` is an index into entries.
        let oids: Vec<Oid> = walk.entries.iter().map(|e| e.oid).collect();
        let packs = pack_index::PackSet::open(repo.path());
        // libgit2's object and delta caches from the walk (tens of MB on a large history) are
        // not needed while blobs are read by the pack reader: close the repository, reopen it
        // for attribution.
        drop(repo);
        release_freed_memory();
        let pos = pack_index::positions(&packs, &oids);
        let mut order: Vec<usize> = (0..walk.entries.len()).collect();
        order.sort_by_key(|&i| pos[i].unwrap_or((usize::MAX, 0)));

        if let Some(p) = progress {
            p.start(walk.entries.len() as u64);
        }
        let per_blob = self.scan_blobs(
            &repo_path,
            (&packs, &pos),
            &walk.entries,
            &order,
            progress,
            &mut summary,
        );
        if let Some(p) = progress {
            p.finish();
        }
        release_freed_memory();
        // Attribution memoizes the trees it visits; libgit2's object cache would only hold them
        // a second time.
        // SAFETY: a process-wide libgit2 option, set while no other thread uses libgit2.
        unsafe {
            let _ = git2::opts::set_cache_max_size(0);
        }
        let repo = Repository::open(&repo_path)?;
        let findings = attribution::attribute(
            &repo,
            &commits.ids,
            &walk,
            per_blob
                .into_iter()
                .map(|b| (b.entry, b.findings))
                .collect(),
        )?;
        let mut report = Report { findings, summary };
        report.summary.rules = self.rules().len();
        report.summary.elapsed = start.elapsed();
        report.finish();
        Ok(report)
    }

    fn scan_blobs(
        &self,
        repo_path: &Path,
        (packs, pos): (&pack_index::PackSet, &[Option<(usize, u64)>]),
        entries: &[BlobEntry],
        order: &[usize],
        progress: Option<&dyn GitProgress>,
        summary: &mut ScanSummary,
    ) -> Vec<BlobFindings> {
        let sink = BlobSink {
            scanner: self,
            entries,
            progress,
            shared: Mutex::new((Vec::new(), ScanSummary::default())),
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
        };
        read::blobs(repo_path, packs, pos, entries, order, &sink);
        let (per_blob, counted) = sink.shared.into_inner().unwrap_or_else(|e| e.into_inner());
        summary.merge(counted);
        summary.files += sink.files.load(Ordering::Relaxed);
        summary.bytes += sink.bytes.load(Ordering::Relaxed);
        per_blob
    }
}

/// Where blob readers deliver contents: skip rules, scanning, and the shared results.
pub(crate) struct BlobSink<'a> {
    scanner: &'a Scanner,
    entries: &'a [BlobEntry],
    progress: Option<&'a dyn GitProgress>,
    shared: Mutex<(Vec<BlobFindings>, ScanSummary)>,
    files: AtomicU64,
    bytes: AtomicU64,
}

impl BlobSink<'_> {
    fn skip(&self, i: usize, reason: SkipReason, detail: String) {
        let mut g = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        g.1.skip(self.entries[i].path.clone(), reason, detail);
    }

    /// A blob could not be read.
    pub(crate) fn unreadable(&self, i: usize, why: &str) {
        self.skip(
            i,
            SkipReason::GitObjectError,
            format!("blob {}: {why}", self.entries[i].oid),
        );
    }

    /// `--max-file-size`.
    pub(crate) fn max_size(&self) -> u64 {
        self.scanner.options().max_file_size
    }

    /// Whether a blob of `size` bytes is over `--max-file-size`; records the skip if so. Readers
    /// ask this from the object header, before inflating anything, so memory stays bounded by
    /// the limit rather than by the largest blob in the repository.
    pub(crate) fn too_large(&self, i: usize, size: u64) -> bool {
        let max = self.scanner.options().max_file_size;
        if size <= max {
            return false;
        }
        if let Some(p) = self.progress {
            p.advance(size);
        }
        let detail = format!(
            "blob {} is {size} bytes > --max-file-size {max}",
            self.entries[i].oid
        );
        self.skip(i, SkipReason::TooLarge, detail);
        true
    }

    /// Scans the contents of entry `i`.
    pub(crate) fn deliver(&self, i: usize, bytes: &[u8]) {
        let entry = &self.entries[i];
        let opts = self.scanner.options();
        if self.too_large(i, bytes.len() as u64) {
            return;
        }
        if let Some(p) = self.progress {
            p.advance(bytes.len() as u64);
        }
        if bytes.starts_with(b"version https://git-lfs.github.com/spec/") {
            self.skip(
                i,
                SkipReason::LfsPointer,
                format!("blob {}: Git LFS pointer", entry.oid),
            );
            return;
        }
        if !opts.binary && crate::source::looks_binary(bytes) {
            self.skip(
                i,
                SkipReason::Binary,
                format!("blob {}: NUL byte in the first 8 KiB", entry.oid),
            );
            return;
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let origin = Origin::Git(Box::new(GitOrigin {
            path: entry.path.clone(),
            blob: entry.oid.to_string(),
            commit: None,
            commits_carrying: 0,
            present_at_head: false,
        }));
        let mut found = Vec::new();
        let mut local = ScanSummary::default();
        self.scanner.scan_blob(
            &crate::source::as_text(bytes),
            &origin,
            &mut found,
            &mut local,
        );
        let counted = local.examples
            + local.placeholders
            + local.not_credentials
            + local.allowlisted
            + local.below_confidence
            + local.baseline_suppressed;
        if !found.is_empty() || counted > 0 {
            let mut g = self.shared.lock().unwrap_or_else(|e| e.into_inner());
            g.1.merge(local);
            if !found.is_empty() {
                g.0.push(BlobFindings {
                    entry: i,
                    findings: found,
                });
            }
        }
    }
}

/// Resolves a ref name or revision to a commit id.
pub(crate) fn resolve_commit(repo: &Repository, name: &str) -> Result<Oid, git2::Error> {
    let obj = repo.revparse_single(name)?;
    Ok(obj.peel_to_commit()?.id())
}

/// Hands freed memory back to the system between phases. glibc keeps freed chunks in its
/// arenas: libgit2's caches from a large walk, and the readers' buffers after the scan, are tens
/// of MB that would otherwise stay resident through the next phase.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the kernel; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}
