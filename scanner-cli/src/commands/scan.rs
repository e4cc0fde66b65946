//! `keyward scan`: the working tree (and standard input).

use std::path::PathBuf;

use anyhow::{Context, Result};
use scanner_core::{Confidence, Config, Report, ScanOptions, Scanner};

use crate::args::{ConfidenceArg, ScanArgs};
use crate::exit::ExitCode;
use crate::output::write_report;

pub fn run(args: ScanArgs) -> Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let config = load_config(&args, &paths)?;
    let options = ScanOptions {
        follow_links: args.follow,
        no_ignore: args.no_ignore,
        binary: args.binary,
        max_file_size: args.max_file_size,
        threads: args.threads,
        min_confidence: match args.confidence {
            ConfidenceArg::Low => Confidence::Low,
            ConfidenceArg::Medium => Confidence::Medium,
            ConfidenceArg::High => Confidence::High,
        },
        allow: config.allow.clone(),
    };
    let scanner = Scanner::new(config.rules, options);
    let report = scan(&scanner, &paths)?;
    write_report(&args.output, &report, scanner.rules())?;
    Ok(exit_code(&report, args.strict))
}

fn scan(scanner: &Scanner, paths: &[PathBuf]) -> Result<Report> {
    let (stdin, files): (Vec<_>, Vec<_>) =
        paths.iter().cloned().partition(|p| p.as_os_str() == "-");
    let mut report = if files.is_empty() {
        Report::default()
    } else {
        scanner.scan_paths(&files)
    };
    if !stdin.is_empty() {
        let r = scanner
            .scan_reader(std::io::stdin().lock())
            .context("cannot read standard input")?;
        report.findings.extend(r.findings);
        let elapsed = report.summary.elapsed.max(r.summary.elapsed);
        report.summary.merge(r.summary);
        report.summary.elapsed = elapsed;
        report.summary.rules = scanner.rules().len();
        report.finish();
    }
    Ok(report)
}

fn load_config(args: &ScanArgs, paths: &[PathBuf]) -> Result<Config> {
    if let Some(path) = &args.config {
        return Ok(Config::load(path)?);
    }
    if args.no_config {
        return Ok(Config::defaults());
    }
    let first = paths.iter().find(|p| p.as_os_str() != "-");
    let found = match first {
        Some(p) => Config::discover(p),
        None => Config::discover(&PathBuf::from(".")),
    };
    match found {
        Some(path) => Ok(Config::load(&path)?),
        None => Ok(Config::defaults()),
    }
}

fn exit_code(report: &Report, strict: bool) -> ExitCode {
    if !report.findings.is_empty() {
        ExitCode::Findings
    } else if strict && report.summary.skipped_errors() > 0 {
        ExitCode::Incomplete
    } else {
        ExitCode::Clean
    }
}
