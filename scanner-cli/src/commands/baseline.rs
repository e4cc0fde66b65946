//! `keyward baseline create`: the fingerprints of the current findings, sorted, one per line,
//! with the rule id (no line numbers, no commit ids), so rebases, squashes and line moves leave
//! it valid and merges rarely conflict.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::{Context, Result};
use scanner_core::GitOptions;

use super::{scan, setup};
use crate::args::{BaselineCommand, ColorArg, CommonArgs, Format, OutputArgs};
use crate::exit::ExitCode;

pub fn run(cmd: BaselineCommand) -> Result<ExitCode> {
    let BaselineCommand::Create {
        path,
        git,
        output,
        config,
        no_config,
        confidence,
    } = cmd;
    let common = CommonArgs {
        output: OutputArgs {
            format: Format::Text,
            output: None,
            show_secrets: false,
            verbose: false,
            color: ColorArg::Never,
        },
        config,
        no_config,
        baseline: None,
        binary: false,
        max_file_size: scanner_core::DEFAULT_MAX_FILE_SIZE,
        confidence,
        strict: false,
        threads: 0,
        no_progress: true,
        aws: Default::default(),
    };
    let root = path.unwrap_or_else(|| PathBuf::from("."));
    let config = setup::config(&common, &root)?;
    let scanner = setup::scanner(&common, config, false, false)?;
    let report = if git {
        scanner.scan_git_history(&root, &GitOptions::default(), None)?
    } else {
        scan::scan(&scanner, std::slice::from_ref(&root))?
    };
    let lines: BTreeSet<String> = report
        .findings
        .iter()
        .map(|f| format!("{} {}", f.fingerprint, f.rule_id))
        .collect();
    let mut text = String::from("# keyward baseline v1: fingerprint (hash of rule + secret) and rule id, one per line, sorted.\n# Findings listed here are counted but not reported when --baseline names this file.\n");
    for l in &lines {
        text.push_str(l);
        text.push('\n');
    }
    std::fs::write(&output, text).with_context(|| format!("cannot write {}", output.display()))?;
    eprintln!(
        "keyward: wrote {} fingerprint(s) to {}",
        lines.len(),
        output.display()
    );
    Ok(ExitCode::Clean)
}
