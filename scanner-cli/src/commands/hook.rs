//! `keyward hook install|uninstall`.

use anyhow::{Context, Result};
use pre_commit_hook::{install, uninstall, HookKind, InstallMode};

use crate::args::{HookCommand, HookKind as Kind};
use crate::exit::ExitCode;

fn kind(k: Kind) -> HookKind {
    match k {
        Kind::PreCommit => HookKind::PreCommit,
        Kind::PrePush => HookKind::PrePush,
    }
}

pub fn run(cmd: HookCommand) -> Result<ExitCode> {
    match cmd {
        HookCommand::Install {
            hook,
            force,
            chain,
            repo,
        } => {
            let mode = if force {
                InstallMode::Force
            } else if chain {
                InstallMode::Chain
            } else {
                InstallMode::Refuse
            };
            let exe = std::env::current_exe().context("cannot locate the keyward binary")?;
            let done = install(&repo, kind(hook), mode, &exe)?;
            eprintln!("keyward: installed {}", done.path.display());
            if let Some(c) = done.chained {
                eprintln!("keyward: the existing hook runs first: {}", c.display());
            }
        }
        HookCommand::Uninstall { hook, repo } => {
            let kinds = match hook {
                Some(k) => vec![kind(k)],
                None => vec![HookKind::PreCommit, HookKind::PrePush],
            };
            for k in kinds {
                for p in uninstall(&repo, k)? {
                    eprintln!("keyward: removed {}", p.display());
                }
            }
        }
    }
    Ok(ExitCode::Clean)
}
