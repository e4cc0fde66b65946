//! Installing and removing keyward's hooks. The hooks directory is git's: `core.hooksPath` when
//! set, else `.git/hooks`. An existing hook is never overwritten silently: install refuses,
//! replaces it with `--force`, or keeps it and runs it first with `--chain`.

use std::fs;
use std::path::{Path, PathBuf};

use git2::Repository;

/// Marker line that identifies a hook written by keyward.
const MARKER: &str = "# keyward-hook";
/// Suffix of a chained (pre-existing) hook kept beside ours.
const CHAINED: &str = ".keyward-chained";

/// Which hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookKind {
    /// Scans the staged changes before each commit.
    PreCommit,
    /// Scans the commits being pushed.
    PrePush,
}

impl HookKind {
    /// Git's file name for the hook.
    pub fn file_name(self) -> &'static str {
        match self {
            HookKind::PreCommit => "pre-commit",
            HookKind::PrePush => "pre-push",
        }
    }
}

/// What to do with an existing hook that is not keyward's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstallMode {
    /// Refuse (the default).
    Refuse,
    /// Replace it.
    Force,
    /// Keep it and run it before keyward.
    Chain,
}

/// Where a hook was written.
#[derive(Debug)]
pub struct Installed {
    /// The hook file.
    pub path: PathBuf,
    /// The pre-existing hook that now runs first, if chained.
    pub chained: Option<PathBuf>,
}

/// Hook installation problems.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    /// Not a repository.
    #[error("{0}: not inside a git repository")]
    NotARepo(String),
    /// A foreign hook is in the way.
    #[error("{path} already exists and is not keyward's; rerun with --chain to run it before keyward, or --force to replace it")]
    Exists {
        /// The hook file.
        path: String,
    },
    /// File system error.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// libgit2 failure.
    #[error("git: {0}")]
    Git(#[from] git2::Error),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> HookError + '_ {
    move |source| HookError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The hooks directory git uses for the repository at `repo`.
pub fn hooks_dir(repo: &Path) -> Result<PathBuf, HookError> {
    let r =
        Repository::discover(repo).map_err(|_| HookError::NotARepo(repo.display().to_string()))?;
    let cfg = r.config()?;
    if let Ok(p) = cfg.get_path("core.hooksPath") {
        // Relative hooksPath is relative to the work tree (where hooks run).
        let base = r
            .workdir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| r.path().to_path_buf());
        return Ok(if p.is_absolute() { p } else { base.join(p) });
    }
    Ok(r.path().join("hooks"))
}

fn script(kind: HookKind, keyward: &Path, chained: bool) -> String {
    let exe = keyward.display().to_string().replace('\'', "'\\''");
    let mut s = format!(
        "#!/bin/sh\n{MARKER}: {} (written by `keyward hook install`; `keyward hook uninstall` removes it)\n\
         KEYWARD='{exe}'\n[ -x \"$KEYWARD\" ] || KEYWARD=keyward\n\
         BASELINE=\n[ -f .keyward-baseline ] && BASELINE='--baseline .keyward-baseline'\n",
        kind.file_name()
    );
    let chained_path = format!("\"$(dirname \"$0\")/{}{CHAINED}\"", kind.file_name());
    match kind {
        HookKind::PreCommit => {
            if chained {
                s.push_str(&format!("{chained_path} || exit $?\n"));
            }
            s.push_str("exec \"$KEYWARD\" git --staged --hook-message $BASELINE\n");
        }
        HookKind::PrePush => {
            // Both hooks read the pushed refs on stdin: keep a copy for each.
            s.push_str("input=$(cat)\n");
            if chained {
                s.push_str(&format!(
                    "printf '%s\\n' \"$input\" | {chained_path} \"$@\" || exit $?\n"
                ));
            }
            s.push_str("printf '%s\\n' \"$input\" | exec \"$KEYWARD\" git --pre-push --hook-message $BASELINE\n");
        }
    }
    s
}

fn make_executable(path: &Path) -> Result<(), HookError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).map_err(io(path))?;
    }
    Ok(())
}

/// Installs the hook `kind` for the repository at `repo`, running the keyward binary at
/// `keyward` (falling back to `keyward` on PATH if it moves).
pub fn install(
    repo: &Path,
    kind: HookKind,
    mode: InstallMode,
    keyward: &Path,
) -> Result<Installed, HookError> {
    let dir = hooks_dir(repo)?;
    fs::create_dir_all(&dir).map_err(io(&dir))?;
    let path = dir.join(kind.file_name());
    let chained_path = dir.join(format!("{}{CHAINED}", kind.file_name()));
    let mut chained = chained_path.exists().then(|| chained_path.clone());
    if path.exists() {
        let existing = fs::read_to_string(&path).unwrap_or_default();
        if !existing.contains(MARKER) {
            match mode {
                InstallMode::Refuse => {
                    return Err(HookError::Exists {
                        path: path.display().to_string(),
                    })
                }
                InstallMode::Force => {}
                InstallMode::Chain => {
                    fs::rename(&path, &chained_path).map_err(io(&path))?;
                    make_executable(&chained_path)?;
                    chained = Some(chained_path.clone());
                }
            }
        }
    }
    fs::write(&path, script(kind, keyward, chained.is_some())).map_err(io(&path))?;
    make_executable(&path)?;
    Ok(Installed { path, chained })
}

/// Removes keyward's hook `kind` (restoring a chained hook). Returns the removed files.
pub fn uninstall(repo: &Path, kind: HookKind) -> Result<Vec<PathBuf>, HookError> {
    let dir = hooks_dir(repo)?;
    let path = dir.join(kind.file_name());
    let chained_path = dir.join(format!("{}{CHAINED}", kind.file_name()));
    let mut removed = Vec::new();
    if path.exists()
        && fs::read_to_string(&path)
            .unwrap_or_default()
            .contains(MARKER)
    {
        fs::remove_file(&path).map_err(io(&path))?;
        removed.push(path.clone());
        if chained_path.exists() {
            fs::rename(&chained_path, &path).map_err(io(&chained_path))?;
        }
    }
    Ok(removed)
}
