//! The distinct blobs of the selected commits, each with the commit and path that introduced it.
//!
//! Each commit is diffed against its first parent (trees only, no content: unchanged subtrees
//! are skipped by id), so the work is proportional to what changed, not to the size of the tree.
//! Commits come oldest first, so the first sighting of a blob is its introduction; for a merge, a
//! blob that another parent already had at that path is not introduced by the merge.

use std::collections::HashMap;

use git2::{FileMode, Oid, Repository, Tree};

use crate::report::{ScanSummary, SkipReason};

/// One blob to scan.
pub(crate) struct BlobEntry {
    pub(crate) oid: Oid,
    /// Path where it was introduced (lossy UTF-8, `/`-separated).
    pub(crate) path: String,
    /// Index (into the commit list) of the introducing commit.
    pub(crate) commit: usize,
}

pub(crate) struct BlobWalk {
    pub(crate) entries: Vec<BlobEntry>,
}

pub(crate) fn enumerate(
    repo: &Repository,
    commits: &[Oid],
    summary: &mut ScanSummary,
) -> Result<BlobWalk, git2::Error> {
    let mut index: HashMap<Oid, usize> = HashMap::new();
    let mut entries = Vec::new();
    let mut submodules = std::collections::HashSet::new();
    let mut changed = Vec::new();
    for (ci, id) in commits.iter().enumerate() {
        let commit = match repo.find_commit(*id) {
            Ok(c) => c,
            Err(e) => {
                summary.skip(
                    format!("commit {id}"),
                    SkipReason::GitObjectError,
                    e.message().to_string(),
                );
                continue;
            }
        };
        let tree = match commit.tree() {
            Ok(t) => t,
            Err(e) => {
                summary.skip(
                    format!("commit {id}"),
                    SkipReason::GitObjectError,
                    format!("tree: {}", e.message()),
                );
                continue;
            }
        };
        let parents: Vec<Tree<'_>> = commit.parents().filter_map(|p| p.tree().ok()).collect();
        changed.clear();
        if let Err(e) = new_entries(repo, parents.first(), &tree, &mut Vec::new(), &mut changed) {
            summary.skip(
                format!("commit {id}"),
                SkipReason::GitObjectError,
                format!("tree: {}", e.message()),
            );
        }
        for (path, oid, mode) in changed.drain(..) {
            if mode == i32::from(FileMode::Commit) {
                if submodules.insert(path.clone()) {
                    summary.skip(
                        path,
                        SkipReason::Submodule,
                        "submodule: scan its own repository".into(),
                    );
                }
                continue;
            }
            if index.contains_key(&oid) {
                continue;
            }
            // A merge that takes the blob from another parent does not introduce it.
            let from_other_parent = parents.iter().skip(1).any(|t| {
                t.get_path(std::path::Path::new(&path))
                    .map(|e| e.id() == oid)
                    .unwrap_or(false)
            });
            if from_other_parent {
                continue;
            }
            index.insert(oid, entries.len());
            entries.push(BlobEntry {
                oid,
                path,
                commit: ci,
            });
        }
    }
    Ok(BlobWalk { entries })
}

/// Blobs (and gitlinks) of `new` that `old` does not have at the same path, descending only into
/// subtrees whose ids differ: the cost follows the change, not the tree size. (libgit2's
/// tree-to-tree diff spent most of a history scan expanding unchanged trees.)
fn new_entries(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: &Tree<'_>,
    prefix: &mut Vec<u8>,
    out: &mut Vec<(String, Oid, i32)>,
) -> Result<(), git2::Error> {
    let old_map: HashMap<Vec<u8>, (Oid, i32)> = old
        .map(|t| {
            t.iter()
                .map(|e| (e.name_bytes().to_vec(), (e.id(), e.filemode())))
                .collect()
        })
        .unwrap_or_default();
    for e in new.iter() {
        let name = e.name_bytes();
        let before = old_map.get(name).copied();
        if before.is_some_and(|(oid, _)| oid == e.id()) {
            continue;
        }
        let mode = e.filemode();
        let len = prefix.len();
        if !prefix.is_empty() {
            prefix.push(b'/');
        }
        prefix.extend_from_slice(name);
        if mode == i32::from(FileMode::Tree) {
            let sub = repo.find_tree(e.id())?;
            let old_sub = match before {
                Some((oid, m)) if m == i32::from(FileMode::Tree) => repo.find_tree(oid).ok(),
                _ => None,
            };
            new_entries(repo, old_sub.as_ref(), &sub, prefix, out)?;
        } else if mode == i32::from(FileMode::Blob)
            || mode == i32::from(FileMode::BlobExecutable)
            || mode == i32::from(FileMode::BlobGroupWritable)
            || mode == i32::from(FileMode::Commit)
        {
            out.push((String::from_utf8_lossy(prefix).into_owned(), e.id(), mode));
        }
        prefix.truncate(len);
    }
    Ok(())
}
