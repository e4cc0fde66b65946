//! Step 1, read-only: what the responder identity can learn about a leaked key — its account,
//! owner, last use, the owner's other keys, AWS's quarantine policy, and what the key did
//! according to CloudTrail over the exposure window.

use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime};

use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
use aws_sdk_iam::primitives::DateTime;
use serde::Serialize;

use super::{fmt_time, RespondOptions};

/// Events that suggest persistence, privilege escalation or data exfiltration.
pub const FLAGGED_EVENTS: &[&str] = &[
    "CreateUser",
    "CreateAccessKey",
    "CreateLoginProfile",
    "UpdateLoginProfile",
    "AttachUserPolicy",
    "AttachRolePolicy",
    "AttachGroupPolicy",
    "PutUserPolicy",
    "PutRolePolicy",
    "PutGroupPolicy",
    "CreateRole",
    "UpdateAssumeRolePolicy",
    "AddUserToGroup",
    "CreatePolicyVersion",
    "SetDefaultPolicyVersion",
    "ModifySnapshotAttribute",
    "ModifyDBSnapshotAttribute",
    "ModifyDBClusterSnapshotAttribute",
    "ModifyImageAttribute",
    "PutBucketPolicy",
    "PutBucketAcl",
    "DeleteTrail",
    "StopLogging",
    "UpdateTrail",
    "DeleteDetector",
    "RunInstances",
    "CreateFunction20150331",
    "GetSecretValue",
    "GetFederationToken",
    "CreateKeyPair",
    "ImportKeyPair",
];

/// Regions enabled by default in every commercial account: searched when `account:ListRegions`
/// is not allowed.
pub const DEFAULT_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "sa-east-1",
];

/// One of the owner's access keys.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerKey {
    /// Key id.
    pub id: String,
    /// `Active` or `Inactive`.
    pub status: String,
    /// Creation time.
    pub created: Option<String>,
    /// Age in days.
    pub age_days: Option<u64>,
    /// Older than 90 days.
    pub older_than_90_days: bool,
}

/// One CloudTrail event made with the key.
#[derive(Debug, Clone, Serialize)]
pub struct TrailEvent {
    /// Event time.
    pub time: String,
    /// API call.
    pub name: String,
    /// Region.
    pub region: String,
    /// Source IP.
    pub source_ip: String,
    /// User agent.
    pub user_agent: String,
    /// Error code, when the call failed.
    pub error: Option<String>,
    /// Identity ARN.
    pub principal_arn: Option<String>,
    /// Event id.
    pub id: String,
}

/// What CloudTrail says the key did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CloudTrailSummary {
    /// Window start.
    pub window_start: String,
    /// Window end.
    pub window_end: String,
    /// Regions searched.
    pub regions: Vec<String>,
    /// Events found.
    pub events: usize,
    /// Count by event name.
    pub by_event_name: BTreeMap<String, usize>,
    /// Count by source IP.
    pub source_ips: BTreeMap<String, usize>,
    /// Count by user agent.
    pub user_agents: BTreeMap<String, usize>,
    /// Count by region.
    pub by_region: BTreeMap<String, usize>,
    /// Count by error code.
    pub errors: BTreeMap<String, usize>,
    /// Persistence and escalation events.
    pub flagged: Vec<TrailEvent>,
    /// Every event, oldest first (capped at 1000).
    pub timeline: Vec<TrailEvent>,
    /// Requests made.
    pub requests: usize,
}

/// Everything step 1 learned.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Investigation {
    /// Account owning the key (sts:GetAccessKeyInfo).
    pub account: Option<String>,
    /// IAM user owning the key (iam:GetAccessKeyLastUsed).
    pub owner_user: Option<String>,
    /// Last use time.
    pub last_used: Option<String>,
    /// Last service used.
    pub last_used_service: Option<String>,
    /// Last region used.
    pub last_used_region: Option<String>,
    /// The owner's keys.
    pub owner_keys: Vec<OwnerKey>,
    /// Status of the leaked key itself.
    pub key_status: Option<String>,
    /// AWS's compromised-key quarantine policy, when attached to the owner.
    pub quarantine_policy: Option<String>,
    /// ARN the key acts as (from verification or CloudTrail).
    pub principal_arn: Option<String>,
    /// CloudTrail findings.
    pub cloudtrail: CloudTrailSummary,
    /// Athena query for organization trails (windows beyond 90 days).
    pub athena_query: String,
    /// Calls that failed (permissions, throttling): the investigation is partial.
    pub errors: Vec<String>,
}

struct Throttle {
    interval: Duration,
    last: Option<Instant>,
}

impl Throttle {
    async fn wait(&mut self) {
        if let Some(t) = self.last {
            tokio::time::sleep(self.interval.saturating_sub(t.elapsed())).await;
        }
        self.last = Some(Instant::now());
    }
}

pub(crate) async fn investigate(
    config: &aws_config::SdkConfig,
    key_id: &str,
    opts: &RespondOptions,
    window_start: SystemTime,
    known_arn: Option<String>,
) -> Investigation {
    let mut inv = Investigation {
        principal_arn: known_arn,
        ..Default::default()
    };
    let sts = aws_sdk_sts::Client::new(config);
    match sts.get_access_key_info().access_key_id(key_id).send().await {
        Ok(o) => inv.account = o.account().map(str::to_string),
        Err(e) => inv.errors.push(err("sts:GetAccessKeyInfo", e)),
    }
    let iam = aws_sdk_iam::Client::new(config);
    match iam
        .get_access_key_last_used()
        .access_key_id(key_id)
        .send()
        .await
    {
        Ok(o) => {
            inv.owner_user = o.user_name().map(str::to_string);
            if let Some(l) = o.access_key_last_used() {
                inv.last_used = l.last_used_date().map(fmt_time);
                inv.last_used_service = Some(l.service_name().to_string());
                inv.last_used_region = Some(l.region().to_string());
            }
        }
        Err(e) => inv.errors.push(err("iam:GetAccessKeyLastUsed", e)),
    }
    if let Some(user) = inv.owner_user.clone() {
        match iam.list_access_keys().user_name(&user).send().await {
            Ok(o) => {
                let now = SystemTime::now();
                for k in o.access_key_metadata() {
                    let age = k.create_date().and_then(|d| {
                        let created = SystemTime::try_from(*d).ok()?;
                        now.duration_since(created)
                            .ok()
                            .map(|x| x.as_secs() / 86_400)
                    });
                    let id = k.access_key_id().unwrap_or_default().to_string();
                    let status = k
                        .status()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default();
                    if id == key_id {
                        inv.key_status = Some(status.clone());
                    }
                    inv.owner_keys.push(OwnerKey {
                        id,
                        status,
                        created: k.create_date().map(fmt_time),
                        age_days: age,
                        older_than_90_days: age.is_some_and(|a| a > 90),
                    });
                }
            }
            Err(e) => inv.errors.push(err("iam:ListAccessKeys", e)),
        }
        match iam
            .list_attached_user_policies()
            .user_name(&user)
            .send()
            .await
        {
            Ok(o) => {
                inv.quarantine_policy = o
                    .attached_policies()
                    .iter()
                    .filter_map(|p| p.policy_name())
                    .find(|n| n.starts_with("AWSCompromisedKeyQuarantine"))
                    .map(str::to_string);
            }
            Err(e) => inv.errors.push(err("iam:ListAttachedUserPolicies", e)),
        }
    }
    inv.cloudtrail = lookup_events(config, key_id, opts, window_start, &mut inv.errors).await;
    if inv.principal_arn.is_none() {
        inv.principal_arn = inv
            .cloudtrail
            .timeline
            .iter()
            .find_map(|e| e.principal_arn.clone());
    }
    inv.athena_query = athena_query(key_id, window_start);
    inv
}

fn err<E: std::error::Error>(op: &str, e: E) -> String {
    format!("{op}: {}", crate::error::brief(&e))
}

async fn lookup_events(
    config: &aws_config::SdkConfig,
    key_id: &str,
    opts: &RespondOptions,
    start: SystemTime,
    errors: &mut Vec<String>,
) -> CloudTrailSummary {
    let end = SystemTime::now();
    let regions: Vec<String> = if opts.regions.is_empty() {
        enabled_regions(config, errors).await
    } else {
        opts.regions.clone()
    };
    let mut s = CloudTrailSummary {
        window_start: fmt_time(&DateTime::from(start)),
        window_end: fmt_time(&DateTime::from(end)),
        regions: regions.clone(),
        ..Default::default()
    };
    let mut throttle = Throttle {
        interval: Duration::from_secs_f64(1.0 / opts.requests_per_second.max(0.01)),
        last: None,
    };
    let Ok(attr) = LookupAttribute::builder()
        .attribute_key(LookupAttributeKey::AccessKeyId)
        .attribute_value(key_id)
        .build()
    else {
        return s;
    };
    let mut events = Vec::new();
    for region in &regions {
        let ct = aws_sdk_cloudtrail::Client::from_conf(
            aws_sdk_cloudtrail::config::Builder::from(config)
                .region(aws_config::Region::new(region.clone()))
                .build(),
        );
        let mut token: Option<String> = None;
        loop {
            throttle.wait().await;
            s.requests += 1;
            let resp = ct
                .lookup_events()
                .lookup_attributes(attr.clone())
                .start_time(DateTime::from(start))
                .end_time(DateTime::from(end))
                .set_next_token(token.clone())
                .send()
                .await;
            let page = match resp {
                Ok(p) => p,
                Err(e) => {
                    errors.push(err(&format!("cloudtrail:LookupEvents ({region})"), e));
                    break;
                }
            };
            for e in page.events() {
                events.push(trail_event(e, region));
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
    }
    events.sort_by(|a, b| a.time.cmp(&b.time).then(a.id.cmp(&b.id)));
    events.dedup_by(|a, b| a.id == b.id && !a.id.is_empty());
    s.events = events.len();
    for e in &events {
        *s.by_event_name.entry(e.name.clone()).or_default() += 1;
        *s.source_ips.entry(e.source_ip.clone()).or_default() += 1;
        *s.user_agents.entry(e.user_agent.clone()).or_default() += 1;
        *s.by_region.entry(e.region.clone()).or_default() += 1;
        if let Some(code) = &e.error {
            *s.errors.entry(code.clone()).or_default() += 1;
        }
        if FLAGGED_EVENTS.contains(&e.name.as_str()) {
            s.flagged.push(e.clone());
        }
    }
    events.truncate(1000);
    s.timeline = events;
    s
}

/// The account's enabled regions (`account:ListRegions`), or the regions every account has
/// enabled when the responder may not list them (the gap is recorded).
async fn enabled_regions(config: &aws_config::SdkConfig, errors: &mut Vec<String>) -> Vec<String> {
    use aws_sdk_account::types::RegionOptStatus;
    let account = aws_sdk_account::Client::new(config);
    let mut regions = Vec::new();
    let mut pages = account
        .list_regions()
        .region_opt_status_contains(RegionOptStatus::Enabled)
        .region_opt_status_contains(RegionOptStatus::EnabledByDefault)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(p) => regions.extend(
                p.regions()
                    .iter()
                    .filter_map(|r| r.region_name().map(str::to_string)),
            ),
            Err(e) => {
                errors.push(format!(
                    "{}; searched the regions enabled by default (add opt-in regions with --regions)",
                    err("account:ListRegions", e)
                ));
                return DEFAULT_REGIONS.iter().map(|s| s.to_string()).collect();
            }
        }
    }
    if regions.is_empty() {
        return DEFAULT_REGIONS.iter().map(|s| s.to_string()).collect();
    }
    regions.sort();
    regions
}

fn trail_event(e: &aws_sdk_cloudtrail::types::Event, region: &str) -> TrailEvent {
    let detail: serde_json::Value = e
        .cloud_trail_event()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    let text = |k: &str| detail[k].as_str().map(str::to_string);
    TrailEvent {
        time: e.event_time().map(fmt_time).unwrap_or_default(),
        name: e.event_name().unwrap_or_default().to_string(),
        region: text("awsRegion").unwrap_or_else(|| region.to_string()),
        source_ip: text("sourceIPAddress").unwrap_or_default(),
        user_agent: text("userAgent").unwrap_or_default(),
        error: text("errorCode"),
        principal_arn: detail["userIdentity"]["arn"].as_str().map(str::to_string),
        id: e.event_id().unwrap_or_default().to_string(),
    }
}

/// The query for an organization trail in Athena, for windows LookupEvents cannot reach.
fn athena_query(key_id: &str, start: SystemTime) -> String {
    let since = fmt_time(&DateTime::from(start));
    format!(
        "SELECT eventtime, eventsource, eventname, awsregion, sourceipaddress, useragent, errorcode, useridentity.arn\n\
         FROM cloudtrail_logs\n\
         WHERE useridentity.accesskeyid = '{key_id}'\n  AND eventtime >= '{since}'\n\
         ORDER BY eventtime;"
    )
}
