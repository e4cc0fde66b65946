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
            for file in &files {
                let text = std::fs::read_to_string(file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                let name = file.display().to_string();
                // A `.keyward.toml` holds other keys beside `rules`; read only the rules.
                let rules = match RuleSet::from_toml(&name, &text) {
                    Ok(r) => r,
                    Err(_) if text.contains("disable_rules") || text.contains("[allow]") => {
                        let cfg = Config::from_toml(&name, &text)?;
                        let ids: Vec<String> = RuleSet::from_toml(&name, &rules_only(&text))
                            .map(|r| r.iter().map(|r| r.id().to_string()).collect())
                            .unwrap_or_default();
                        let mut set = RuleSet::default();
                        for id in ids {
                            if let Some(r) = cfg.rules.get(&id) {
                                set.insert(scanner_core::Rule::from_spec(r.spec().clone(), &name));
                            }
                        }
                        set
                    }
                    Err(e) => return Err(e.into()),
                };
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
                    "{name}: {} rules, {examples} examples, {} failures",
                    rules.len(),
                    failures.len()
                );
            }
            if total == 0 {
                bail!("no rules found in the given files");
            }
            Ok(if failed == 0 {
                ExitCode::Clean
            } else {
                ExitCode::Findings
            })
        }
    }
}

/// The `[[rules]]` part of a config file, for checking a `.keyward.toml`'s own rules.
fn rules_only(text: &str) -> String {
    match text.find("[[rules]]") {
        Some(i) => text[i..].to_string(),
        None => String::new(),
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
            eprintln!("{} rules", rules.len());
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
                .collect();
            println!("{}", serde_json::to_string_pretty(&items)?);
        }
    }
    Ok(())
}
