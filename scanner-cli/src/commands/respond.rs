//! `keyward respond`, and `--respond` after `--verify`: wires findings and flags to the
//! responder's flow and prints the plan.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{bail, Context, Result};
use scanner_core::{Finding, Origin, Report};

use super::verify::target;
use crate::args::{AwsArgs, RespondArgs};
use crate::exit::ExitCode;

pub fn run(args: RespondArgs) -> Result<ExitCode> {
    let mut input = match (&args.from, &args.finding, &args.key_id) {
        (Some(path), Some(fp), _) => input_from_report(path, fp)?,
        (_, _, Some(key)) => responder::RespondInput {
            key_id: key.clone(),
            ..Default::default()
        },
        _ => bail!("give --from REPORT.json --finding FINGERPRINT, or --key-id AKIA…"),
    };
    if args.secret_stdin {
        let mut lines = std::io::stdin().lock().lines();
        let secret = lines
            .next()
            .transpose()
            .context("cannot read the secret from standard input")?
            .unwrap_or_default();
        input.secret = Some(secret.trim().to_string()).filter(|s| !s.is_empty());
        input.session_token = lines
            .next()
            .transpose()
            .ok()
            .flatten()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
    }
    let opts = options(&args.aws, &args);
    let yes = args.yes;
    let mut confirm = |plan: &responder::Plan| confirm(plan, yes);
    let incident = responder::respond(&input, &opts, &mut confirm)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &incident)?;
        writeln!(out)?;
    } else {
        print_plan(&mut out, &incident)?;
    }
    Ok(ExitCode::Clean)
}

fn options(aws: &AwsArgs, args: &RespondArgs) -> responder::RespondOptions {
    let canaries = responder::CanaryList::builtin();
    responder::RespondOptions {
        target: target(aws),
        apply: args.apply,
        delete: args.delete,
        rotate: args.rotate,
        incident_dir: aws.incident_dir.clone(),
        since: args.since.clone(),
        regions: args.regions.clone(),
        requests_per_second: args.rate,
        canaries,
    }
}

/// Asks on the terminal; without one, only `--yes` applies.
fn confirm(plan: &responder::Plan, yes: bool) -> bool {
    if yes {
        return true;
    }
    let mutating: Vec<&responder::Action> = plan.actions.iter().filter(|a| a.mutating).collect();
    if !std::io::stdin().is_terminal() {
        eprintln!("keyward: not applying {} change(s) without confirmation: standard input is not a terminal (pass --yes)", mutating.len());
        return false;
    }
    eprintln!("keyward will now:");
    for a in &mutating {
        eprintln!("  - {}", a.description);
    }
    eprint!("Apply these {} change(s)? [y/N] ", mutating.len());
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    matches!(line.trim(), "y" | "Y" | "yes" | "YES")
}

fn print_plan(w: &mut dyn Write, i: &responder::Incident) -> Result<()> {
    writeln!(
        w,
        "Incident {} ({:?}), account {}",
        i.id,
        i.intel.class,
        i.intel.account.as_deref().unwrap_or("unknown")
    )?;
    if let Some(inv) = &i.investigation {
        writeln!(
            w,
            "  owner: {}; key status: {}; CloudTrail: {} events, {} flagged",
            inv.owner_user.as_deref().unwrap_or("unknown"),
            inv.key_status.as_deref().unwrap_or("unknown"),
            inv.cloudtrail.events,
            inv.cloudtrail.flagged.len()
        )?;
    }
    let done: std::collections::BTreeSet<&str> = i
        .journal
        .iter()
        .filter(|e| e.phase == "completed")
        .map(|e| e.action.as_str())
        .collect();
    writeln!(
        w,
        "{}:",
        if i.applied {
            "Actions"
        } else {
            "Plan (nothing changed; --apply performs it)"
        }
    )?;
    for a in &i.plan.actions {
        let mark = if done.contains(a.id.as_str()) {
            "done"
        } else if a.mutating {
            "todo"
        } else {
            "manual"
        };
        writeln!(w, "  [{mark}] {}: {}", a.id, a.description)?;
        if let Some(cli) = &a.cli {
            writeln!(w, "         {cli}")?;
        }
    }
    writeln!(w, "Report: {}", i.dir.join("report.md").display())?;
    Ok(())
}

/// Reads one finding of a JSON report (`keyward-report/1`).
fn input_from_report(path: &std::path::Path, fingerprint: &str) -> Result<responder::RespondInput> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let report: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a JSON report", path.display()))?;
    let findings = report["findings"]
        .as_array()
        .context("the report has no findings array")?;
    let f = findings
        .iter()
        .find(|f| f["fingerprint"] == fingerprint)
        .with_context(|| {
            format!(
                "no finding with fingerprint {fingerprint} in {}",
                path.display()
            )
        })?;
    let key_id = f["annotations"]["aws"]["key_id"]
        .as_str()
        .map(str::to_string)
        .or_else(|| {
            f["secret"]
                .as_str()
                .filter(|s| s.len() == 20 && !s.contains('…'))
                .map(str::to_string)
        })
        .context("that finding is not an AWS access key finding")?;
    let verification = f["annotations"]["verification"].clone();
    let commit = &f["origin"]["commit"];
    Ok(responder::RespondInput {
        key_id,
        secret: None,
        session_token: None,
        verification: serde_json::from_value(verification).ok(),
        source: responder::LeakSource {
            path: f["path"].as_str().map(str::to_string),
            line: f["line"].as_u64().map(|l| l as usize),
            commit: commit["id"].as_str().map(str::to_string),
            author: commit["author"]
                .as_str()
                .map(|a| format!("{a} <{}>", commit["email"].as_str().unwrap_or(""))),
            date: commit["date"].as_str().map(str::to_string),
            fingerprint: Some(fingerprint.to_string()),
            rule: f["rule"].as_str().map(str::to_string),
        },
    })
}

/// `--verify --respond`: a plan and report for every live key (never applied from a scan).
pub fn for_live_keys(report: &Report, aws: &AwsArgs) -> Result<()> {
    for f in &report.findings {
        let Some(v) = f.annotations.get("verification") else {
            continue;
        };
        if v["status"] != "live" {
            continue;
        }
        let input = input_from_finding(f, v);
        let opts = responder::RespondOptions {
            target: target(aws),
            incident_dir: aws.incident_dir.clone(),
            ..Default::default()
        };
        let incident = responder::respond(&input, &opts, &mut |_| false)?;
        eprintln!(
            "keyward: live key {}: plan and incident report in {}",
            incident.id,
            incident.dir.display()
        );
    }
    Ok(())
}

fn input_from_finding(f: &Finding, verification: &serde_json::Value) -> responder::RespondInput {
    let commit = match &f.origin {
        Origin::Git(g) => g.commit.clone(),
        _ => None,
    };
    responder::RespondInput {
        key_id: f.secret.expose_lossy(),
        secret: None,
        session_token: None,
        verification: serde_json::from_value(verification.clone()).ok(),
        source: responder::LeakSource {
            path: Some(f.origin.display_path()),
            line: Some(f.location.line),
            commit: commit.as_ref().map(|c| c.id.clone()),
            author: commit
                .as_ref()
                .map(|c| format!("{} <{}>", c.author, c.email)),
            date: commit.as_ref().map(|c| c.date.clone()),
            fingerprint: Some(f.fingerprint.clone()),
            rule: Some(f.rule_id.clone()),
        },
    }
}
