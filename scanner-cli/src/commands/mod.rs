//! One module per subcommand.

mod rules;
mod scan;

use anyhow::Result;

use crate::args::{Cli, Command};
use crate::exit::ExitCode;

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Scan(args) => scan::run(args),
        Command::Rules { command } => rules::run(command),
    }
}
