//! `keyward rules list` and `keyward rules check FILE`.

use anyhow::{bail, Context, Result};
use scanner_core::{check_examples, Config, RuleSet};

use crate::args::{ListFormat, RulesCommand};
use crate::exit::ExitCode;

pub fn run(cmd: RulesCommand) -> Result<ExitCode> {
    match cmd {
        RulesCommand::List { config, format } => {
            let rules = match config {
                Some(p) => Config::load(&p)?.rules,
                None => RuleSet::default_rules(),
            };
            list(&rules, format)?;
            Ok(ExitCode::Clean)
        }
        RulesCommand::Check { files } => {
            let mut failed = 0usize;
            let mut total = 0usize;
            let mut pieces = 0usize;
            for file in &files {
                let text = std::fs::read_to_string(file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                let name = file.display().to_string();
                // A rule file is also a valid configuration, so one parser serves both; only the
                // rules the file defines are checked.
                let cfg = Config::from_toml(&name, &text)?;
                pieces += cfg.own_pieces;
                let mut rules = RuleSet::default();
                for id in &cfg.own_rules {
                    if let Some(r) = cfg.rules.get(id) {
                        rules.insert(scanner_core::Rule::from_spec(r.spec().clone(), &name));
                    }
                }
                total += rules.len();
                let failures = check_examples(&rules);
                for f in &failures {
                    println!("FAIL {name}: {f}");
                }
                failed += failures.len();
                let examples: usize = rules
                    .iter()
                    .map(|r| r.spec().examples.len() + r.spec().negative_examples.len())
                    .sum();
                println!(
                    "{name}: {} rules, {examples} examples, {} shared pieces, {} failures",
                    rules.len(),
                    cfg.own_pieces,
                    failures.len()
                );
            }
            if total == 0 && pieces == 0 {
                bail!("no rules or shared pieces found in the given files");
            }
            Ok(if failed == 0 {
                ExitCode::Clean
            } else {
                ExitCode::Findings
            })
        }
    }
}

fn list(rules: &RuleSet, format: ListFormat) -> Result<()> {
    match format {
        ListFormat::Text => {
            for r in rules.iter() {
                println!(
                    "{:<40} {:<7} {:<14} {}",
                    r.id(),
                    r.confidence().as_str(),
                    r.origin(),
                    r.name()
                );
            }
            let state = scanner_core::tfstate::state_rules();
            for r in state {
                println!(
                    "{:<40} {:<7} {:<14} {}",
                    r.id,
                    r.confidence.as_str(),
                    "terraform-state.toml",
                    r.name
                );
            }
            eprintln!(
                "{} pattern rules, {} Terraform structural rules",
                rules.len(),
                state.len()
            );
        }
        ListFormat::Json => {
            let items: Vec<_> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id(),
                        "name": r.name(),
                        "confidence": r.confidence().as_str(),
                        "keywords": r.keywords(),
                        "tags": r.tags(),
                        "origin": r.origin(),
                    })
                })
                .chain(scanner_core::tfstate::state_rules().iter().map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "name": r.name,
                        "confidence": r.confidence.as_str(),
                        "kind": r.kind,
                        "resource_types": r.resource_types,
                        "attributes": r.attributes,
                        "tags": r.tags,
                        "origin": "terraform-state.toml",
                    })
                }))
                .collect();
            println!("{}", serde_json::to_string_pretty(&items)?);
        }
    }
    Ok(())
}
