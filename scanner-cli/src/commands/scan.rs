//! `keyward scan`: the working tree (and standard input).

use std::path::PathBuf;

use anyhow::{Context, Result};
use scanner_core::{Report, Scanner};

use super::setup;
use crate::args::ScanArgs;
use crate::exit::ExitCode;
use crate::output::write_report;

pub fn run(args: ScanArgs) -> Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let root = paths
        .iter()
        .find(|p| p.as_os_str() != "-")
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let config = setup::config(&args.common, &root)?;
    let canaries = setup::canaries(&config);
    let scanner = setup::scanner(&args.common, config, args.follow, args.no_ignore)?;
    let mut report = scan(&scanner, &paths)?;
    responder::annotate(&mut report, &canaries);
    super::verify::after_scan(&mut report, &args.common.aws, &canaries)?;
    write_report(&args.common.output, &report, scanner.rules())?;
    Ok(super::exit_code(&report, args.common.strict))
}

pub fn scan(scanner: &Scanner, paths: &[PathBuf]) -> Result<Report> {
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
