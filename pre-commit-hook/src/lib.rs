//! Git hook integration: scanning what a commit would record (the staged changes), installing
//! and removing keyward's hooks, and the message a blocked commit prints.

mod install;
mod message;
mod staged;

pub use install::{install, uninstall, HookError, HookKind, InstallMode, Installed};
pub use message::blocked_message;
pub use staged::{scan_staged, scan_staged_diff, StagedDiff, StagedError};
