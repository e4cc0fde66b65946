//! Which commits to scan: all refs (default), one ref's history (`--branch`), what HEAD adds over
//! a base (`--since`), or a range (`--range A..B`). Oldest first, parents before children, so the
//! first commit that shows a blob is the one that introduced it.

use std::path::Path;

use git2::{Oid, Repository, Sort};

use super::{resolve_commit, GitError, GitOptions};

pub(crate) struct Commits {
    pub(crate) ids: Vec<Oid>,
    /// Parents named by scanned commits but absent (shallow clone, or missing objects).
    pub(crate) missing_parents: u64,
}

fn missing(what: &'static str, name: &str, repo: &Path, shallow: bool) -> GitError {
    let hint = if shallow {
        format!(
            "this is a shallow clone; fetch the base first, e.g. `git fetch --unshallow` or `git fetch --deepen=1000 origin {0}` (in GitHub Actions: actions/checkout with fetch-depth: 0)",
            name.trim_start_matches("origin/")
        )
    } else {
        format!(
            "fetch it first, e.g. `git fetch origin {}` (in GitHub Actions: actions/checkout with fetch-depth: 0)",
            name.trim_start_matches("origin/")
        )
    };
    GitError::MissingRef {
        what,
        name: name.to_string(),
        repo: repo.display().to_string(),
        hint,
    }
}

pub(crate) fn commits(
    repo: &Repository,
    path: &Path,
    opts: &GitOptions,
) -> Result<Commits, GitError> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    let shallow = repo.is_shallow();
    if !opts.tips.is_empty() {
        for t in &opts.tips {
            walk.push(
                resolve_commit(repo, t).map_err(|_| missing("pushed commit", t, path, shallow))?,
            )?;
        }
        for h in &opts.hide {
            // The remote's old tip may be unknown locally (someone else pushed): then only
            // remote-tracking refs bound the walk.
            if let Ok(id) = resolve_commit(repo, h) {
                walk.hide(id)?;
            }
        }
        if opts.hide_remotes {
            for r in repo.references_glob("refs/remotes/*")?.flatten() {
                if let Ok(c) = r.peel_to_commit() {
                    walk.hide(c.id())?;
                }
            }
        }
    } else if let Some(range) = &opts.range {
        let (a, b) = range.split_once("..").ok_or_else(|| GitError::MissingRef {
            what: "--range",
            name: range.clone(),
            repo: path.display().to_string(),
            hint: "expected A..B".into(),
        })?;
        let a = resolve_commit(repo, a).map_err(|_| missing("--range start", a, path, shallow))?;
        let b = resolve_commit(repo, if b.is_empty() { "HEAD" } else { b })
            .map_err(|_| missing("--range end", b, path, shallow))?;
        walk.push(b)?;
        walk.hide(a)?;
    } else {
        let tip = match &opts.branch {
            Some(b) => {
                Some(resolve_commit(repo, b).map_err(|_| missing("--branch", b, path, shallow))?)
            }
            None if opts.since.is_some() => Some(
                resolve_commit(repo, "HEAD").map_err(|_| missing("HEAD", "HEAD", path, shallow))?,
            ),
            None => None,
        };
        match tip {
            Some(t) => walk.push(t)?,
            None => {
                // Every ref that points at a commit (branches, tags, remote-tracking refs), and a
                // detached HEAD. An empty repository has none: nothing to scan.
                for r in repo.references()?.flatten() {
                    if let Ok(c) = r.peel_to_commit() {
                        walk.push(c.id())?;
                    }
                }
                if let Ok(head) = repo.head() {
                    if let Ok(c) = head.peel_to_commit() {
                        walk.push(c.id())?;
                    }
                }
            }
        }
        if let Some(since) = &opts.since {
            let base = resolve_commit(repo, since)
                .map_err(|_| missing("--since", since, path, shallow))?;
            walk.hide(base)?;
        }
    }
    let mut ids = Vec::new();
    for id in walk {
        ids.push(id?);
    }
    // A shallow clone's boundary commits are grafted to have no parents; `.git/shallow` lists
    // them, one per line.
    let missing_parents = if shallow {
        std::fs::read_to_string(repo.path().join("shallow"))
            .map(|s| s.lines().filter(|l| !l.is_empty()).count() as u64)
            .unwrap_or(0)
    } else {
        0
    };
    Ok(Commits {
        ids,
        missing_parents,
    })
}
