//! One module per subcommand.

mod baseline;
mod git;
mod hook;
mod progress;
mod respond;
mod rules;
mod scan;
mod setup;
mod tfstate;
mod verify;

use anyhow::Result;
use scanner_core::Report;

use crate::args::{Cli, Command};
use crate::exit::ExitCode;

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Scan(args) => scan::run(args),
        Command::Git(args) => git::run(args),
        Command::Baseline { command } => baseline::run(command),
        Command::Hook { command } => hook::run(command),
        Command::Rules { command } => rules::run(command),
        Command::Tfstate(args) => tfstate::run(args),
        Command::Respond(args) => respond::run(args),
    }
}

/// Live keys first (`--verify`), then findings; then, under `--strict`, inputs that could not
/// be read.
pub fn exit_code(report: &Report, strict: bool) -> ExitCode {
    if report.findings.iter().any(|f| {
        f.annotations
            .get("verification")
            .and_then(|v| v.get("status"))
            .is_some_and(|s| s == "live")
    }) {
        ExitCode::LiveKey
    } else if !report.findings.is_empty() {
        ExitCode::Findings
    } else if strict && report.summary.skipped_errors() > 0 {
        ExitCode::Incomplete
    } else {
        ExitCode::Clean
    }
}
