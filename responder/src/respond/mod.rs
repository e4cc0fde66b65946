//! `keyward respond`: `classify → verify → investigate → plan → apply → report` for one leaked
//! AWS key. Every AWS call except the optional `sts:GetCallerIdentity` check is made as the
//! responder's own identity from the standard credential chain, never with the leaked key.

mod apply;
mod investigate;
mod journal;
mod plan;
mod report;

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use aws_sdk_iam::primitives::{DateTime, DateTimeFormat};
use serde::Serialize;

pub use investigate::{
    CloudTrailSummary, Investigation, TrailEvent, DEFAULT_REGIONS, FLAGGED_EVENTS,
};
pub use journal::{IncidentJournal, JournalEntry};
pub use plan::{revoke_older_sessions_policy, Action, ActionKind, Plan, REVOKE_POLICY_NAME};

use crate::error::ResponderError;
use crate::intelligence::{classify, CanaryList, KeyIntel};
use crate::sdk::{block_on, responder_config, AwsTarget};
use crate::verify::Verification;

/// Where the leak was found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LeakSource {
    /// Path (or URL) of the file or blob.
    pub path: Option<String>,
    /// Line.
    pub line: Option<usize>,
    /// Commit that introduced it.
    pub commit: Option<String>,
    /// Author of that commit.
    pub author: Option<String>,
    /// Commit date (the start of the exposure window).
    pub date: Option<String>,
    /// Finding fingerprint.
    pub fingerprint: Option<String>,
    /// Rule.
    pub rule: Option<String>,
}

/// The key to respond to.
#[derive(Debug, Clone, Default)]
pub struct RespondInput {
    /// Access key id.
    pub key_id: String,
    /// The leaked secret, when given: used only for `sts:GetCallerIdentity`.
    pub secret: Option<String>,
    /// Session token of an ASIA key.
    pub session_token: Option<String>,
    /// A verification already done (from a report).
    pub verification: Option<Verification>,
    /// Where it leaked.
    pub source: LeakSource,
}

/// How `respond` behaves.
#[derive(Debug, Clone)]
pub struct RespondOptions {
    /// Responder identity, region and endpoint.
    pub target: AwsTarget,
    /// Perform the plan's mutating actions.
    pub apply: bool,
    /// Delete the key after deactivating it.
    pub delete: bool,
    /// Create a replacement key.
    pub rotate: bool,
    /// Incident folders go here.
    pub incident_dir: PathBuf,
    /// Exposure window start (RFC 3339); default: the leak's commit date, else 90 days ago.
    pub since: Option<String>,
    /// CloudTrail regions (default: the regions enabled by default).
    pub regions: Vec<String>,
    /// CloudTrail request rate.
    pub requests_per_second: f64,
    /// Canary accounts.
    pub canaries: CanaryList,
}

impl Default for RespondOptions {
    fn default() -> Self {
        RespondOptions {
            target: AwsTarget::default(),
            apply: false,
            delete: false,
            rotate: false,
            incident_dir: PathBuf::from("keyward-incidents"),
            since: None,
            regions: Vec::new(),
            requests_per_second: 2.0,
            canaries: CanaryList::builtin(),
        }
    }
}

/// What a `respond` run produced.
#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    /// Incident id (the key id).
    pub id: String,
    /// Folder holding plan, journal and reports.
    pub dir: PathBuf,
    /// Offline intelligence.
    pub intel: KeyIntel,
    /// Verification result.
    pub verification: Option<Verification>,
    /// Where it leaked.
    pub source: LeakSource,
    /// What step 1 found (absent for canary and example keys: nothing was contacted).
    pub investigation: Option<Investigation>,
    /// The plan.
    pub plan: Plan,
    /// Journal entries (every run).
    pub journal: Vec<JournalEntry>,
    /// Whether this run applied the plan.
    pub applied: bool,
    /// Report time.
    pub generated: String,
}

/// RFC 3339 UTC time.
pub(crate) fn fmt_time(t: &DateTime) -> String {
    t.fmt(DateTimeFormat::DateTime).unwrap_or_default()
}

pub(crate) fn now_rfc3339() -> String {
    let t = DateTime::from(SystemTime::now());
    // Whole seconds: policy conditions and journals do not need more.
    fmt_time(&DateTime::from_secs(t.secs()))
}

fn parse_time(s: &str) -> Option<SystemTime> {
    DateTime::from_str(s, DateTimeFormat::DateTime)
        .ok()
        .and_then(|d| SystemTime::try_from(d).ok())
}

/// Runs the flow. `confirm` is asked before any mutating call when `opts.apply` is set; it
/// returning false leaves AWS untouched.
pub fn respond(
    input: &RespondInput,
    opts: &RespondOptions,
    confirm: &mut dyn FnMut(&Plan) -> bool,
) -> Result<Incident, ResponderError> {
    block_on(run(input, opts, confirm))?
}

async fn run(
    input: &RespondInput,
    opts: &RespondOptions,
    confirm: &mut dyn FnMut(&Plan) -> bool,
) -> Result<Incident, ResponderError> {
    let key_id = input.key_id.trim().to_string();
    if key_id.len() != 20
        || !key_id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Err(ResponderError::Input(
            "an AWS access key id has 20 characters of A-Z and 0-9 (AKIA…/ASIA…)".into(),
        ));
    }
    let intel = classify(
        &key_id,
        input.secret.is_some(),
        input.session_token.is_some(),
        &opts.canaries,
    );
    let dir = opts.incident_dir.join(&key_id);
    std::fs::create_dir_all(&dir).map_err(|source| ResponderError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
    }
    let mut journal = IncidentJournal::open(&dir.join("journal.jsonl"))?;
    let now = now_rfc3339();
    if intel.canary || intel.example {
        // A canary alerts its owner when used; an example key is nobody's. Contact nothing.
        let plan = Plan {
            key_id: key_id.clone(),
            actions: vec![Action {
                id: "no-action".into(),
                kind: ActionKind::Review,
                description: if intel.canary {
                    "Canary token: AWS was not contacted (using it would alert its owner and prove nothing). Remove it from the code if it is not meant to be there.".into()
                } else {
                    "Documentation example key: not a credential; AWS was not contacted.".into()
                },
                api: None,
                cli: None,
                mutating: false,
                params: serde_json::Value::Null,
            }],
        };
        let incident = Incident {
            id: key_id,
            dir: dir.clone(),
            intel,
            verification: None,
            source: input.source.clone(),
            investigation: None,
            plan,
            journal: journal.entries().to_vec(),
            applied: false,
            generated: now,
        };
        report::write(&incident)?;
        return Ok(incident);
    }
    let mut verification = input.verification.clone();
    if verification.is_none() && intel.verifiable {
        verification = Some(
            crate::verify::get_caller_identity(
                &opts.target,
                &key_id,
                input.secret.as_deref().unwrap_or_default(),
                input.session_token.as_deref(),
            )
            .await,
        );
    }
    let known_arn = match &verification {
        Some(Verification::Live { arn, .. }) if !arn.is_empty() => Some(arn.clone()),
        _ => None,
    };
    let window_start = opts
        .since
        .as_deref()
        .or(input.source.date.as_deref())
        .and_then(parse_time)
        .unwrap_or_else(|| SystemTime::now() - Duration::from_secs(90 * 86_400));
    // LookupEvents reaches back 90 days; older windows need the Athena query.
    let floor = SystemTime::now() - Duration::from_secs(90 * 86_400);
    let lookup_start = window_start.max(floor);
    let config = responder_config(&opts.target).await;
    let investigation =
        investigate::investigate(&config, &key_id, opts, lookup_start, known_arn).await;
    let plan = plan::make_plan(
        &key_id,
        &intel,
        &investigation,
        opts.delete,
        opts.rotate,
        &now,
    );
    write_json(&dir.join("plan.json"), &plan)?;
    let mut applied = false;
    if opts.apply && plan.actions.iter().any(|a| a.mutating) {
        if confirm(&plan) {
            apply::apply(&config, &plan, &mut journal, &dir).await?;
            applied = true;
        } else {
            journal.record(
                "apply",
                "declined",
                None,
                Some("not confirmed: nothing changed".into()),
            )?;
        }
    }
    let incident = Incident {
        id: key_id,
        dir: dir.clone(),
        intel,
        verification,
        source: input.source.clone(),
        investigation: Some(investigation),
        plan,
        journal: journal.entries().to_vec(),
        applied,
        generated: now,
    };
    report::write(&incident)?;
    Ok(incident)
}

pub(crate) fn write_json<T: Serialize>(
    path: &std::path::Path,
    v: &T,
) -> Result<(), ResponderError> {
    let text = serde_json::to_string_pretty(v).unwrap_or_default();
    journal::write_private(path, format!("{text}\n").as_bytes())
}
