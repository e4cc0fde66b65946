//! Step 4: the incident report, in Markdown for people and JSON for tools, written 0600 into the
//! incident folder from everything the earlier steps recorded.

use std::fmt::Write as _;

use super::journal::write_private;
use super::{write_json, Incident};
use crate::verify::Verification;

const HARDENING: &[&str] = &[
    "Use IAM roles (instance profiles, IRSA, OIDC federation in CI) instead of long-term access keys.",
    "Rotate any remaining access keys at least every 90 days; alert on older ones (IAM credential report / AWS Config access-keys-rotated).",
    "Restrict keys with aws:SourceIp / aws:SourceVpc conditions where a static key is unavoidable.",
    "Require IMDSv2 on every instance (HttpTokens=required).",
    "Keep an organization CloudTrail trail in every region, delivered to a separate log-archive account.",
    "Enable GuardDuty in every region and account; route its findings to on-call.",
    "Enable AWS Config with rules for key age and unused credentials.",
    "Install Keyward's pre-commit hook in every repository and its CI gate on every pipeline.",
];

pub(crate) fn write(incident: &Incident) -> Result<(), super::ResponderError> {
    write_json(&incident.dir.join("report.json"), incident)?;
    write_private(
        &incident.dir.join("report.md"),
        markdown(incident).as_bytes(),
    )
}

fn or_unknown(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("unknown")
}

/// The Markdown report.
pub(crate) fn markdown(i: &Incident) -> String {
    let mut m = String::new();
    let _ = writeln!(m, "# Incident report: leaked AWS access key {}\n", i.id);
    let _ = writeln!(m, "Generated {} by keyward respond.\n", i.generated);
    let _ = writeln!(m, "## What leaked\n");
    let _ = writeln!(m, "- Key id: `{}` ({:?})", i.id, i.intel.class);
    let _ = writeln!(
        m,
        "- Account (decoded from the key id): {}",
        or_unknown(&i.intel.account)
    );
    if let Some(inv) = &i.investigation {
        let _ = writeln!(
            m,
            "- Account (sts:GetAccessKeyInfo): {}",
            or_unknown(&inv.account)
        );
        let _ = writeln!(m, "- Owner: {}", or_unknown(&inv.owner_user));
        let _ = writeln!(m, "- Key status: {}", or_unknown(&inv.key_status));
    }
    let _ = writeln!(
        m,
        "- Canary token: {}; documentation example: {}",
        i.intel.canary, i.intel.example
    );
    let _ = writeln!(m, "\n## Where\n");
    let s = &i.source;
    let _ = writeln!(
        m,
        "- Path: {} (line {})",
        or_unknown(&s.path),
        s.line.map_or("?".into(), |l| l.to_string())
    );
    let _ = writeln!(
        m,
        "- Commit: {} by {} on {}",
        or_unknown(&s.commit),
        or_unknown(&s.author),
        or_unknown(&s.date)
    );
    let _ = writeln!(m, "- Finding fingerprint: {}", or_unknown(&s.fingerprint));
    let _ = writeln!(m, "\n## Verification\n");
    let _ = writeln!(
        m,
        "{}",
        match &i.verification {
            Some(Verification::Live { account, arn, .. }) =>
                format!("**Live**: the key works, as `{arn}` in account {account}."),
            Some(Verification::Invalid { code }) =>
                format!("Invalid: AWS refused the key ({code})."),
            Some(Verification::Unknown { reason }) => format!("Unknown: {reason}."),
            Some(Verification::NotSent { reason }) => format!("Not verified: {reason}."),
            None => "Not verified (no secret was given, or the key is a canary/example).".into(),
        }
    );
    if let Some(inv) = &i.investigation {
        let ct = &inv.cloudtrail;
        let _ = writeln!(m, "\n## Exposure window\n");
        let _ = writeln!(
            m,
            "From {} to {} (CloudTrail LookupEvents reaches back 90 days).",
            ct.window_start, ct.window_end
        );
        let _ = writeln!(m, "\n## What the key did (CloudTrail)\n");
        let _ = writeln!(
            m,
            "{} events in {} regions searched ({} requests).\n",
            ct.events,
            ct.regions.len(),
            ct.requests
        );
        for (title, map) in [
            ("Event names", &ct.by_event_name),
            ("Source IPs", &ct.source_ips),
            ("User agents", &ct.user_agents),
            ("Regions", &ct.by_region),
            ("Errors", &ct.errors),
        ] {
            if !map.is_empty() {
                let items: Vec<String> = map.iter().map(|(k, v)| format!("{k} ({v})")).collect();
                let _ = writeln!(m, "- {title}: {}", items.join(", "));
            }
        }
        if !ct.flagged.is_empty() {
            let _ = writeln!(
                m,
                "\n### Flagged events (persistence, escalation, exfiltration)\n"
            );
            for e in &ct.flagged {
                let _ = writeln!(
                    m,
                    "- {} **{}** in {} from {}{}",
                    e.time,
                    e.name,
                    e.region,
                    e.source_ip,
                    e.error
                        .as_ref()
                        .map(|c| format!(" — failed: {c}"))
                        .unwrap_or_default()
                );
            }
        }
        if !ct.timeline.is_empty() {
            let _ = writeln!(m, "\n### Timeline\n\n| Time | Event | Region | Source IP | User agent | Error |\n|---|---|---|---|---|---|");
            for e in &ct.timeline {
                let _ = writeln!(
                    m,
                    "| {} | {} | {} | {} | {} | {} |",
                    e.time,
                    e.name,
                    e.region,
                    e.source_ip,
                    e.user_agent.replace('|', "/"),
                    e.error.as_deref().unwrap_or("")
                );
            }
        }
        let _ = writeln!(m, "\nFor windows older than 90 days, query the organization trail in Athena:\n\n```sql\n{}\n```", inv.athena_query);
        if !inv.owner_keys.is_empty() {
            let _ = writeln!(m, "\n### The owner's access keys\n");
            for k in &inv.owner_keys {
                let _ = writeln!(
                    m,
                    "- {} {} created {} ({} days){}",
                    k.id,
                    k.status,
                    k.created.as_deref().unwrap_or("?"),
                    k.age_days.map_or("?".into(), |d| d.to_string()),
                    if k.older_than_90_days {
                        " — older than 90 days"
                    } else {
                        ""
                    }
                );
            }
        }
        if let Some(q) = &inv.quarantine_policy {
            let _ = writeln!(
                m,
                "\nAWS already attached its quarantine policy `{q}` to the owner."
            );
        }
        if !inv.errors.is_empty() {
            let _ = writeln!(m, "\n### Investigation gaps\n");
            for e in &inv.errors {
                let _ = writeln!(m, "- {e}");
            }
        }
    }
    let _ = writeln!(m, "\n## Actions\n");
    let completed = |id: &str| {
        i.journal
            .iter()
            .find(|e| e.action == id && e.phase == "completed")
    };
    for a in &i.plan.actions {
        let status = match completed(&a.id) {
            Some(e) => format!(
                "done at {} (request id {})",
                e.time,
                e.request_id.as_deref().unwrap_or("?")
            ),
            None if a.mutating => "not done".into(),
            None => "to do (manual)".into(),
        };
        let _ = writeln!(
            m,
            "- **{}** [{:?}] {} — {status}",
            a.id, a.kind, a.description
        );
        if let Some(cli) = &a.cli {
            let _ = writeln!(m, "  - `{cli}`");
        }
    }
    if !i.journal.is_empty() {
        let _ = writeln!(m, "\n### Journal\n");
        for e in &i.journal {
            let _ = writeln!(
                m,
                "- {} {} {}{}",
                e.time,
                e.action,
                e.phase,
                e.request_id
                    .as_ref()
                    .map(|r| format!(" (request id {r})"))
                    .unwrap_or_default()
            );
        }
    }
    let _ = writeln!(m, "\n## What is left\n");
    let left: Vec<&str> = i
        .plan
        .actions
        .iter()
        .filter(|a| completed(&a.id).is_none())
        .map(|a| a.description.as_str())
        .collect();
    if left.is_empty() {
        let _ = writeln!(m, "Nothing in the plan; answer the questions below.");
    }
    for l in left {
        let _ = writeln!(m, "- {l}");
    }
    let _ = writeln!(m, "\n## Post-incident questions\n");
    let _ = writeln!(
        m,
        "- Why did it happen? The key was committed to {}.",
        or_unknown(&s.path)
    );
    let _ = writeln!(
        m,
        "- When? First committed {} ({}).",
        or_unknown(&s.date),
        or_unknown(&s.commit)
    );
    let contained = i.journal.iter().any(|e| {
        e.phase == "completed"
            && (e.action == "deactivate-key"
                || e.action == "revoke-older-sessions"
                || e.action == "delete-key")
    });
    let _ = writeln!(
        m,
        "- How was it remediated? {}",
        if contained {
            "Contained by keyward respond (see Actions)."
        } else {
            "Not yet contained."
        }
    );
    let impact = i
        .investigation
        .as_ref()
        .map(|inv| {
            if inv.cloudtrail.events == 0 {
                "No CloudTrail events with this key in the searched window.".to_string()
            } else {
                format!(
                    "{} events, {} flagged.",
                    inv.cloudtrail.events,
                    inv.cloudtrail.flagged.len()
                )
            }
        })
        .unwrap_or_else(|| "unknown".into());
    let _ = writeln!(m, "- What was the impact? {impact}");
    let _ = writeln!(m, "\n## Hardening checklist\n");
    for h in HARDENING {
        let _ = writeln!(m, "- [ ] {h}");
    }
    m
}
