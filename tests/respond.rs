//! `--verify` and `keyward respond` against the moto AWS emulator on loopback (real SDK, no
//! real AWS), plus the loopback CloudTrail server for LookupEvents.

use std::os::unix::fs::PermissionsExt;

use crate::aws_emulator::{skip, FakeCloudTrail, Moto, TrailEvent};
use crate::util::{findings, key_id, secret, session_token, Rng, B32};

/// A key id that encodes `account` (the inverse of the published decoding), so the canary
/// test does not depend on any real canary key.
fn key_for_account(account: u64, seed: u64) -> String {
    let six_bytes: u64 = (1 << 47) | (account << 7);
    let bits50 = six_bytes << 2;
    let mut id = String::from("AKIA");
    for i in (0..10).rev() {
        id.push(B32[((bits50 >> (i * 5)) & 31) as usize] as char);
    }
    id.push_str(&Rng::new(seed).pick(B32, 6));
    id
}

fn write(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn responder_account(key: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("k.env"),
        format!("AWS_ACCESS_KEY_ID={key}\n"),
    )
    .unwrap();
    let r = crate::util::run(
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--no-progress",
            "--confidence",
            "low",
        ],
        dir.path(),
    );
    json(&r.stdout)["findings"][0]["annotations"]["aws"]["account"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("bad JSON ({e}): {stdout}"))
}

fn verification_of<'a>(report: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    &findings(report)
        .iter()
        .find(|f| f["annotations"]["aws"]["key_id"] == key)
        .unwrap_or_else(|| panic!("no finding for {key}: {report:#}"))["annotations"]
        ["verification"]
}

#[test]
fn verify_sends_exactly_one_get_caller_identity_per_key_and_nothing_for_canaries() {
    if skip() {
        return;
    }
    let moto = Moto::start(None);
    let (live_id, live_secret) = moto.user_with_key("deploy");
    let canary_id = key_for_account(992_382_622_183, 7);
    let dir = tempfile::tempdir().unwrap();
    // The live key twice (two files): one request. A canary pair: no request.
    let live = format!("aws_access_key_id = {live_id}\naws_secret_access_key = {live_secret}\n");
    write(dir.path(), "a.env", &live);
    write(dir.path(), "b.env", &live);
    write(
        dir.path(),
        "canary.env",
        &format!(
            "aws_access_key_id = {canary_id}\naws_secret_access_key = {}\n",
            secret(7)
        ),
    );
    moto.record();
    let r = moto.keyward(
        &["scan", ".", "--verify", "--format", "json", "--no-progress"],
        dir.path(),
        None,
        None,
    );
    assert_eq!(r.code, 3, "a live key exits 3: {}", r.stderr);
    let report = json(&r.stdout);
    let v = verification_of(&report, &live_id);
    assert_eq!(v["status"], "live", "{v}");
    assert_eq!(v["arn"], "arn:aws:iam::123456789012:user/deploy");
    assert_eq!(v["account"], "123456789012");
    let canary = verification_of(&report, &canary_id);
    assert_eq!(canary["status"], "not-sent");
    assert!(canary["reason"].as_str().unwrap().contains("canary"));
    let live_finding = findings(&report)
        .iter()
        .find(|f| f["annotations"]["aws"]["key_id"] == live_id.as_str())
        .unwrap();
    assert_eq!(
        live_finding["severity"].as_f64(),
        Some(10.0),
        "live raises severity"
    );
    let calls = moto.recorded();
    assert_eq!(calls.len(), 1, "exactly one request: {calls:?}");
    assert_eq!(calls[0].action, "GetCallerIdentity");
    assert_eq!(calls[0].service, "sts");
    assert_eq!(calls[0].key_id, live_id, "signed with the leaked key");
    assert!(
        !r.stdout.contains(&live_secret),
        "the secret stays redacted"
    );
    assert!(
        r.stderr.contains("2 live") && r.stderr.contains("(1 STS requests)"),
        "{}",
        r.stderr
    );

    // --respond: a plan and report for the live key, nothing applied, nothing for the canary.
    let trail = crate::aws_emulator::FakeCloudTrail::start(Vec::new());
    let r = moto.keyward(
        &[
            "scan",
            ".",
            "--verify",
            "--respond",
            "--incident-dir",
            "inc",
            "--no-progress",
            "--region",
            "us-east-1",
        ],
        dir.path(),
        Some(&trail),
        None,
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    let inc = dir.path().join("inc").join(&live_id);
    let md = std::fs::read_to_string(inc.join("report.md")).unwrap();
    assert!(
        md.contains("**Live**") && md.contains("deactivate-key"),
        "{md}"
    );
    assert!(!dir.path().join("inc").join(&canary_id).exists());
    assert_eq!(
        moto.key_statuses("deploy"),
        vec![(live_id.clone(), "Active".to_string())]
    );
}

#[test]
fn without_verify_nothing_is_sent_and_refused_keys_are_invalid() {
    if skip() {
        return;
    }
    // Credential checks on from the first request: a made-up key is refused.
    let moto = Moto::start(Some(0));
    let dir = tempfile::tempdir().unwrap();
    let id = key_id("AKIA", 31);
    write(
        dir.path(),
        "c.env",
        &format!(
            "AWS_ACCESS_KEY_ID={id}\nAWS_SECRET_ACCESS_KEY={}\n",
            secret(31)
        ),
    );
    moto.record();
    let r = moto.keyward(
        &["scan", ".", "--format", "json", "--no-progress"],
        dir.path(),
        None,
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(moto.recorded().is_empty(), "no --verify, no request");
    let r = moto.keyward(
        &["scan", ".", "--verify", "--format", "json", "--no-progress"],
        dir.path(),
        None,
        None,
    );
    assert_eq!(
        r.code, 1,
        "an invalid key is a finding, not a live one: {}",
        r.stderr
    );
    let v = verification_of(&json(&r.stdout), &id).clone();
    assert_eq!(v["status"], "invalid", "{v}");
    assert_eq!(v["code"], "InvalidClientTokenId");
}

#[test]
fn unreachable_sts_is_unknown_not_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let id = key_id("ASIA", 41);
    write(
        dir.path(),
        "s.env",
        &format!(
            "AWS_ACCESS_KEY_ID={id}\nAWS_SECRET_ACCESS_KEY={}\nAWS_SESSION_TOKEN={}\n",
            secret(41),
            session_token(41)
        ),
    );
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut c = crate::util::keyward();
    crate::aws_emulator::aws_env(&mut c, &format!("http://127.0.0.1:{port}"));
    let out = c
        .args(["scan", ".", "--verify", "--format", "json", "--no-progress"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json(&String::from_utf8_lossy(&out.stdout));
    let v = verification_of(&report, &id);
    assert_eq!(v["status"], "unknown", "{v}");
}

fn events(arn: &str) -> Vec<TrailEvent> {
    let t0 = 1_790_000_000; // within the last 90 days of the test's clock is not required: the fake ignores the window
    vec![
        TrailEvent {
            time: t0,
            name: "GetCallerIdentity",
            region: "us-east-1",
            ip: "203.0.113.7",
            arn: arn.into(),
            error: None,
        },
        TrailEvent {
            time: t0 + 60,
            name: "ListBuckets",
            region: "us-east-1",
            ip: "203.0.113.7",
            arn: arn.into(),
            error: None,
        },
        TrailEvent {
            time: t0 + 120,
            name: "CreateUser",
            region: "us-east-1",
            ip: "203.0.113.7",
            arn: arn.into(),
            error: None,
        },
        TrailEvent {
            time: t0 + 180,
            name: "RunInstances",
            region: "eu-west-1",
            ip: "198.51.100.9",
            arn: arn.into(),
            error: Some("UnauthorizedOperation"),
        },
    ]
}

#[test]
fn respond_plans_without_mutating_then_applies_and_resumes_from_the_journal() {
    if skip() {
        return;
    }
    let moto = Moto::start(None);
    let (id, key_secret) = moto.user_with_key("ci-deployer");
    let trail = FakeCloudTrail::start(events("arn:aws:iam::123456789012:user/ci-deployer"));
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "leak.env",
        &format!("aws_access_key_id = {id}\naws_secret_access_key = {key_secret}\n"),
    );
    let scan = moto.keyward(
        &["scan", ".", "--format", "json", "--no-progress"],
        dir.path(),
        None,
        None,
    );
    std::fs::write(dir.path().join("report.json"), &scan.stdout).unwrap();
    let fp = findings(&json(&scan.stdout))[0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    let common = [
        "--incident-dir",
        "incidents",
        "--regions",
        "us-east-1,eu-west-1",
        "--rate",
        "50",
    ];

    // Plan mode: read-only calls only, the key stays active.
    moto.record();
    let mut args = vec!["respond", "--from", "report.json", "--finding", &fp];
    args.extend(common);
    let r = moto.keyward(&args, dir.path(), Some(&trail), None);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("[todo] deactivate-key"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("aws iam update-access-key --user-name ci-deployer"),
        "{}",
        r.stdout
    );
    let calls = moto.recorded();
    let mutating: Vec<_> = calls
        .iter()
        .filter(|c| {
            ![
                "GetAccessKeyInfo",
                "GetAccessKeyLastUsed",
                "ListAccessKeys",
                "ListAttachedUserPolicies",
            ]
            .contains(&c.action.as_str())
        })
        .collect();
    assert!(
        mutating.is_empty(),
        "plan mode made other calls: {mutating:?}"
    );
    assert!(
        calls.iter().all(|c| c.key_id != id),
        "the leaked key is never used by respond"
    );
    assert_eq!(
        moto.key_statuses("ci-deployer"),
        vec![(id.clone(), "Active".to_string())]
    );
    // LookupEvents: every requested region, paginated (us-east-1 has 3 events: 2 pages).
    let lookups = trail.requests.lock().unwrap().clone();
    assert_eq!(
        lookups.iter().filter(|(r, _)| r == "us-east-1").count(),
        2,
        "{lookups:?}"
    );
    assert_eq!(
        lookups.iter().filter(|(r, _)| r == "eu-west-1").count(),
        1,
        "{lookups:?}"
    );
    assert!(lookups.iter().all(|(_, k)| *k == id));

    let inc = dir.path().join("incidents").join(&id);
    let report_md = std::fs::read_to_string(inc.join("report.md")).unwrap();
    assert!(
        report_md.contains("| RunInstances | eu-west-1 | 198.51.100.9"),
        "{report_md}"
    );
    assert!(report_md.contains("**CreateUser**"), "flagged: {report_md}");
    assert!(report_md.contains("Not yet contained"), "{report_md}");
    assert!(report_md.contains("Hardening checklist"));
    let rj: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(inc.join("report.json")).unwrap()).unwrap();
    assert_eq!(rj["investigation"]["owner_user"], "ci-deployer");
    assert_eq!(rj["investigation"]["cloudtrail"]["events"], 4);
    assert_eq!(rj["source"]["path"], "leak.env");

    // Apply, then apply again with --rotate: the deactivation is not repeated.
    moto.record();
    let mut args = vec!["respond", "--key-id", &id, "--apply", "--yes"];
    args.extend(common);
    let r = moto.keyward(&args, dir.path(), Some(&trail), None);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        moto.key_statuses("ci-deployer"),
        vec![(id.clone(), "Inactive".to_string())]
    );
    let mut args = vec!["respond", "--key-id", &id, "--apply", "--yes", "--rotate"];
    args.extend(common);
    let r = moto.keyward(&args, dir.path(), Some(&trail), None);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let updates = moto
        .recorded()
        .iter()
        .filter(|c| c.action == "UpdateAccessKey")
        .count();
    assert_eq!(updates, 1, "a completed mutation is never repeated");
    assert_eq!(
        moto.key_statuses("ci-deployer").len(),
        2,
        "replacement key created"
    );
    for f in [
        "journal.jsonl",
        "report.md",
        "report.json",
        "plan.json",
        "replacement-key.json",
    ] {
        let mode = std::fs::metadata(inc.join(f)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{f}");
    }
    let journal = std::fs::read_to_string(inc.join("journal.jsonl")).unwrap();
    assert_eq!(
        journal
            .matches("\"action\":\"deactivate-key\",\"phase\":\"completed\"")
            .count(),
        1,
        "{journal}"
    );
    let report_md = std::fs::read_to_string(inc.join("report.md")).unwrap();
    assert!(
        report_md.contains("Contained by keyward respond"),
        "{report_md}"
    );
    assert!(report_md.contains("request id"), "{report_md}");
}

#[test]
fn an_interrupted_apply_runs_the_unfinished_action_again() {
    if skip() {
        return;
    }
    let moto = Moto::start(None);
    let (id, _) = moto.user_with_key("batch");
    let trail = FakeCloudTrail::start(Vec::new());
    let dir = tempfile::tempdir().unwrap();
    let inc = dir.path().join("incidents").join(&id);
    std::fs::create_dir_all(&inc).unwrap();
    // The previous run died after journaling the start of the call.
    std::fs::write(
        inc.join("journal.jsonl"),
        "{\"time\":\"2026-01-01T00:00:00Z\",\"action\":\"deactivate-key\",\"phase\":\"started\"}\n",
    )
    .unwrap();
    let r = moto.keyward(
        &[
            "respond",
            "--key-id",
            &id,
            "--apply",
            "--yes",
            "--incident-dir",
            "incidents",
            "--regions",
            "us-east-1",
        ],
        dir.path(),
        Some(&trail),
        None,
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        moto.key_statuses("batch"),
        vec![(id.clone(), "Inactive".to_string())]
    );
    let journal = std::fs::read_to_string(inc.join("journal.jsonl")).unwrap();
    assert!(journal.contains("\"phase\":\"completed\""), "{journal}");
}

#[test]
fn temporary_keys_get_the_revoke_older_sessions_policy_on_their_role() {
    if skip() {
        return;
    }
    let moto = Moto::start(None);
    moto.query(
        "iam",
        &[
            ("Action", "CreateRole"),
            ("RoleName", "deploy-role"),
            (
                "AssumeRolePolicyDocument",
                r#"{"Version":"2012-10-17","Statement":[]}"#,
            ),
            ("Version", "2010-05-08"),
        ],
    );
    let id = key_id("ASIA", 55);
    let trail = FakeCloudTrail::start(vec![TrailEvent {
        time: 1_790_000_000,
        name: "GetObject",
        region: "us-east-1",
        ip: "203.0.113.8",
        arn: "arn:aws:sts::123456789012:assumed-role/deploy-role/ci-1234".into(),
        error: None,
    }]);
    let dir = tempfile::tempdir().unwrap();
    let r = moto.keyward(
        &[
            "respond",
            "--key-id",
            &id,
            "--apply",
            "--yes",
            "--incident-dir",
            "inc",
            "--regions",
            "us-east-1",
            "--json",
        ],
        dir.path(),
        Some(&trail),
        None,
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let incident = json(&r.stdout);
    let action = &incident["plan"]["actions"][0];
    assert_eq!(action["id"], "revoke-older-sessions", "{incident:#}");
    assert_eq!(action["api"], "iam:PutRolePolicy");
    let xml = moto.query(
        "iam",
        &[
            ("Action", "GetRolePolicy"),
            ("RoleName", "deploy-role"),
            ("PolicyName", "AWSRevokeOlderSessions"),
            ("Version", "2010-05-08"),
        ],
    );
    assert!(
        xml.contains("aws%3ATokenIssueTime") || xml.contains("aws:TokenIssueTime"),
        "{xml}"
    );
}

#[test]
fn canary_and_example_keys_cause_no_request_at_all() {
    if skip() {
        return;
    }
    let moto = Moto::start(None);
    moto.record();
    let dir = tempfile::tempdir().unwrap();
    let canary_id = key_for_account(992_382_622_183, 9);
    assert_eq!(responder_account(&canary_id), "992382622183");
    for key in [canary_id.as_str(), "AKIAIOSFODNN7EXAMPLE"] {
        let r = moto.keyward(
            &[
                "respond",
                "--key-id",
                key,
                "--secret-stdin",
                "--apply",
                "--yes",
                "--incident-dir",
                "inc",
            ],
            dir.path(),
            None,
            Some(format!("{}\n", secret(9)).as_bytes()),
        );
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("no-action"), "{}", r.stdout);
    }
    assert!(moto.recorded().is_empty(), "{:?}", moto.recorded());
}
