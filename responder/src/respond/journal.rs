//! The incident journal: every mutating action is appended (JSON lines, file mode 0600) before
//! and after it runs, so an interrupted `respond --apply` resumes where it stopped and never
//! repeats a completed mutation.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::ResponderError;

/// One journal line.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct JournalEntry {
    /// UTC time (RFC 3339).
    pub time: String,
    /// Action id from the plan.
    pub action: String,
    /// `started`, `completed` or `failed`.
    pub phase: String,
    /// AWS request id of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Error or note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// An append-only journal file.
#[derive(Debug)]
pub struct IncidentJournal {
    path: PathBuf,
    entries: Vec<JournalEntry>,
}

/// Creates (or opens) a file readable by its owner only.
pub(crate) fn private_file(path: &Path, append: bool) -> Result<std::fs::File, ResponderError> {
    let mut o = std::fs::OpenOptions::new();
    o.create(true).write(true);
    if append {
        o.append(true);
    } else {
        o.truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let f = o.open(path).map_err(|source| ResponderError::Io {
        path: path.display().to_string(),
        source,
    })?;
    #[cfg(unix)]
    {
        // An existing file keeps its mode on open: tighten it.
        use std::os::unix::fs::PermissionsExt;
        let _ = f.set_permissions(std::fs::Permissions::from_mode(0o600));
    }
    Ok(f)
}

/// Writes a whole file with mode 0600.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), ResponderError> {
    let mut f = private_file(path, false)?;
    f.write_all(bytes).map_err(|source| ResponderError::Io {
        path: path.display().to_string(),
        source,
    })
}

impl IncidentJournal {
    /// Opens the journal at `path`, reading what an earlier run recorded.
    pub fn open(path: &Path) -> Result<IncidentJournal, ResponderError> {
        let entries = match std::fs::read_to_string(path) {
            Ok(text) => text
                .lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => {
                return Err(ResponderError::Io {
                    path: path.display().to_string(),
                    source,
                })
            }
        };
        Ok(IncidentJournal {
            path: path.to_path_buf(),
            entries,
        })
    }

    /// Actions that completed in any run.
    pub fn completed(&self) -> BTreeSet<String> {
        self.entries
            .iter()
            .filter(|e| e.phase == "completed")
            .map(|e| e.action.clone())
            .collect()
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> &[JournalEntry] {
        &self.entries
    }

    /// Appends an entry and flushes it to disk before returning.
    pub fn record(
        &mut self,
        action: &str,
        phase: &str,
        request_id: Option<String>,
        detail: Option<String>,
    ) -> Result<(), ResponderError> {
        let e = JournalEntry {
            time: super::now_rfc3339(),
            action: action.to_string(),
            phase: phase.to_string(),
            request_id,
            detail,
        };
        let mut f = private_file(&self.path, true)?;
        let line = serde_json::to_string(&e).unwrap_or_default();
        writeln!(f, "{line}")
            .and_then(|_| f.sync_data())
            .map_err(|source| ResponderError::Io {
                path: self.path.display().to_string(),
                source,
            })?;
        self.entries.push(e);
        Ok(())
    }
}
