//! Where and how the report is written: stdout or `--output`, in the chosen format.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};

use anyhow::{Context, Result};
use scanner_core::report::{write_json, write_sarif, write_text, TextOptions, WriteOptions};
use scanner_core::{Report, RuleSet};

use crate::args::{ColorArg, Format, OutputArgs};

pub fn write_report(args: &OutputArgs, report: &Report, rules: &RuleSet) -> Result<()> {
    let to_tty = args.output.is_none() && io::stdout().is_terminal();
    let mut sink: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let opts = WriteOptions {
        show_secrets: args.show_secrets,
    };
    match args.format {
        Format::Text => {
            let color = match args.color {
                ColorArg::Always => true,
                ColorArg::Never => false,
                ColorArg::Auto => to_tty && std::env::var_os("NO_COLOR").is_none(),
            };
            let topts = TextOptions {
                color,
                show_secrets: args.show_secrets,
                verbose: args.verbose,
            };
            write_text(&mut sink, report, &topts)
        }
        Format::Json => write_json(&mut sink, report, &opts),
        Format::Sarif => write_sarif(&mut sink, report, rules, &opts),
    }
    .and_then(|_| sink.flush())
    .or_else(|e| {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Ok(())
        } else {
            Err(e)
        }
    })
    .context("cannot write the report")?;
    if args.format != Format::Text && args.output.is_some() {
        let s = &report.summary;
        eprintln!(
            "keyward: {} finding(s) in {} file(s); {} skipped",
            s.findings,
            s.files,
            s.skipped_total()
        );
    }
    Ok(())
}
