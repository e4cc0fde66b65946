//! Exit codes are an interface: CI scripts branch on them. See README "Exit codes".

/// Process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Nothing found.
    Clean = 0,
    /// Findings reported.
    Findings = 1,
    /// Usage, configuration or fatal error.
    Error = 2,
    /// `--verify` found at least one live AWS key: escalate.
    LiveKey = 3,
    /// `--strict` and some input could not be scanned (no findings).
    Incomplete = 4,
}
