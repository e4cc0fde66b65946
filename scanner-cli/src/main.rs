//! `keyward`: the command-line front end. It parses arguments, wires sources to the scanner and
//! the scanner to the writers, and maps results to exit codes. No scanning logic lives here.

mod args;
mod commands;
mod exit;
mod output;

use clap::Parser;

fn main() {
    let args = args::Cli::parse();
    let code = match commands::run(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("keyward: error: {err:#}");
            exit::ExitCode::Error
        }
    };
    std::process::exit(code as i32);
}
