//! `keyward git`: history (all refs, `--branch`, `--since`, `--range`), `--staged`, and the
//! pre-push hook mode.

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::{Context, Result};
use scanner_core::{GitOptions, GitProgress, Report};

use super::{progress::Bar, setup};
use crate::args::GitArgs;
use crate::exit::ExitCode;
use crate::output::write_report;

pub fn run(args: GitArgs) -> Result<ExitCode> {
    let repo = args.repo.clone().unwrap_or_else(|| PathBuf::from("."));
    // git computes the staged diff while the rules load.
    let staged = if args.staged {
        Some(pre_commit_hook::StagedDiff::start(&repo)?)
    } else {
        None
    };
    let config = setup::config(&args.common, &repo)?;
    let canaries = setup::canaries(&config);
    let scanner = setup::scanner(&args.common, config, false, false)?;
    let mut report = if let Some(diff) = staged {
        pre_commit_hook::scan_staged_diff(&scanner, diff)?
    } else {
        let options = if args.pre_push {
            pre_push_options()?
        } else {
            GitOptions {
                branch: args.branch.clone(),
                since: args.since.clone(),
                range: args.range.clone(),
                ..GitOptions::default()
            }
        };
        if args.pre_push && options.tips.is_empty() {
            return Ok(ExitCode::Clean); // only deletions are being pushed
        }
        let bar = Bar::new(!args.common.no_progress && !args.hook_message);
        scanner.scan_git_history(&repo, &options, bar.as_ref().map(|b| b as &dyn GitProgress))?
    };
    responder::annotate(&mut report, &canaries);
    super::verify::after_scan(&mut report, &args.common.aws, &canaries)?;
    if args.hook_message {
        // A hook talks to a person: the report and the way out go to stderr, stdout stays quiet.
        if !report.findings.is_empty() {
            let mut out = args.common.output;
            if out.output.is_none() {
                out.output = Some(PathBuf::from("/dev/stderr"));
            }
            write_report(&out, &report, scanner.rules())?;
            eprint!(
                "{}",
                pre_commit_hook::blocked_message(report.findings.len())
            );
        }
    } else {
        write_report(&args.common.output, &report, scanner.rules())?;
    }
    Ok(exit_code(&report, args.common.strict))
}

/// History scans also fail (exit 4) on unreadable objects without `--strict`: a corrupt
/// repository must not pass as clean.
fn exit_code(report: &Report, strict: bool) -> ExitCode {
    let code = super::exit_code(report, strict);
    if code == ExitCode::Clean && report.summary.skipped_errors() > 0 {
        ExitCode::Incomplete
    } else {
        code
    }
}

/// git passes `<local ref> <local sha> <remote ref> <remote sha>` lines to pre-push on stdin.
fn pre_push_options() -> Result<GitOptions> {
    const ZERO: &str = "0000000000000000000000000000000000000000";
    let mut opts = GitOptions::default();
    for line in std::io::stdin().lock().lines() {
        let line = line.context("cannot read the pushed refs from standard input")?;
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.len() < 4 {
            continue;
        }
        let (local, remote) = (parts[1], parts[3]);
        if local.trim_start_matches('0').is_empty() {
            continue; // deleting a remote ref pushes nothing
        }
        opts.tips.push(local.to_string());
        if remote == ZERO || remote.trim_start_matches('0').is_empty() {
            opts.hide_remotes = true; // new branch: what no remote has yet
        } else {
            opts.hide.push(remote.to_string());
        }
    }
    Ok(opts)
}
