//! Attribution, only for blobs with findings: the introducing commit's details, how many
//! commits carry each secret, and whether HEAD still holds it. One finding is kept per secret
//! and path: the one in the earliest blob (a key that stays while the file is edited 50 times is
//! one leak, introduced once).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use git2::{ObjectType, Oid, Repository};

use super::blobs::BlobWalk;
use super::commit_info;
use crate::finding::{Finding, Origin};

/// The finding blobs inside each tree, memoized by tree id (trees are shared across commits).
struct TreeIndex<'r> {
    repo: &'r Repository,
    wanted: &'r HashSet<Oid>,
    memo: HashMap<Oid, Rc<Vec<Oid>>>,
    /// Shared by every tree without a wanted blob (nearly all of them): one allocation, not one
    /// per tree.
    empty: Rc<Vec<Oid>>,
}

impl TreeIndex<'_> {
    fn blobs_in(&mut self, tree_id: Oid) -> Rc<Vec<Oid>> {
        if let Some(v) = self.memo.get(&tree_id) {
            return v.clone();
        }
        let mut found = Vec::new();
        if let Ok(tree) = self.repo.find_tree(tree_id) {
            let mut subtrees = Vec::new();
            for e in tree.iter() {
                match e.kind() {
                    Some(ObjectType::Blob) if self.wanted.contains(&e.id()) => found.push(e.id()),
                    Some(ObjectType::Tree) => subtrees.push(e.id()),
                    _ => {}
                }
            }
            for t in subtrees {
                found.extend(self.blobs_in(t).iter().copied());
            }
        }
        found.sort_unstable();
        found.dedup();
        let rc = if found.is_empty() {
            self.empty.clone()
        } else {
            Rc::new(found)
        };
        self.memo.insert(tree_id, rc.clone());
        rc
    }
}

pub(crate) fn attribute(
    repo: &Repository,
    commits: &[Oid],
    walk: &BlobWalk,
    per_blob: Vec<(usize, Vec<Finding>)>,
) -> Result<Vec<Finding>, git2::Error> {
    if per_blob.is_empty() {
        return Ok(Vec::new());
    }
    // Blobs holding each secret (by fingerprint), and the earliest finding per (secret, path).
    let mut blobs_of: HashMap<String, HashSet<Oid>> = HashMap::new();
    let mut earliest: HashMap<(String, String), (usize, Finding)> = HashMap::new();
    for (entry, findings) in per_blob {
        let e = &walk.entries[entry];
        for f in findings {
            blobs_of
                .entry(f.fingerprint.clone())
                .or_default()
                .insert(e.oid);
            let key = (f.fingerprint.clone(), e.path.clone());
            match earliest.get(&key) {
                Some((c, _)) if *c <= e.commit => {}
                _ => {
                    earliest.insert(key, (e.commit, f));
                }
            }
        }
    }
    let wanted: HashSet<Oid> = blobs_of.values().flatten().copied().collect();
    let mut trees = TreeIndex {
        repo,
        wanted: &wanted,
        memo: HashMap::new(),
        empty: Rc::new(Vec::new()),
    };
    let mut carriers: HashMap<&str, usize> = HashMap::new();
    for id in commits {
        let Ok(c) = repo.find_commit(*id) else {
            continue;
        };
        let inside: HashSet<Oid> = trees.blobs_in(c.tree_id()).iter().copied().collect();
        if inside.is_empty() {
            continue;
        }
        for (fp, blobs) in &blobs_of {
            if blobs.iter().any(|b| inside.contains(b)) {
                *carriers.entry(fp.as_str()).or_insert(0) += 1;
            }
        }
    }
    let at_head: HashSet<Oid> = match repo.head().ok().and_then(|h| h.peel_to_commit().ok()) {
        Some(h) => trees.blobs_in(h.tree_id()).iter().copied().collect(),
        None => HashSet::new(),
    };
    let mut infos = HashMap::new();
    let mut out = Vec::new();
    for ((fp, _), (commit_idx, mut f)) in earliest {
        let info = infos
            .entry(commit_idx)
            .or_insert_with(|| {
                repo.find_commit(commits[commit_idx])
                    .ok()
                    .map(|c| commit_info(&c))
            })
            .clone();
        if let Origin::Git(g) = &mut f.origin {
            g.commit = info;
            g.commits_carrying = carriers.get(fp.as_str()).copied().unwrap_or(0);
            g.present_at_head = blobs_of
                .get(&fp)
                .is_some_and(|b| b.iter().any(|x| at_head.contains(x)));
        }
        out.push(f);
    }
    Ok(out)
}
