//! The command line: exit codes, formats, ignore files, configuration, rules commands.

use std::fs;

use crate::util::{findings, key_id, run, run_stdin, scan_json, secret};

fn creds(n: u64) -> (String, String, String) {
    let (k, s) = (key_id("AKIA", n), secret(n));
    let text = format!("AWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n");
    (k, s, text)
}

#[test]
fn exit_codes_clean_findings_and_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("ok.txt"), "hello\n").unwrap();
    assert_eq!(run(&["scan"], dir.path()).code, 0, "default path is `.`");
    let (_, _, text) = creds(80);
    fs::write(dir.path().join("bad.env"), text).unwrap();
    assert_eq!(run(&["scan", "."], dir.path()).code, 1);
    assert_eq!(run(&["scan", "--format", "yaml"], dir.path()).code, 2);
    assert_eq!(run(&["frobnicate"], dir.path()).code, 2);
    let r = run(&["scan", ".", "--config", "missing.toml"], dir.path());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.toml"), "{}", r.stderr);
}

#[test]
fn text_output_is_redacted_unless_show_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let (k, s, text) = creds(81);
    fs::write(dir.path().join("a.env"), text).unwrap();
    let r = run(&["scan", "."], dir.path());
    assert_eq!(r.code, 1);
    // The secret key never appears; the key id is an identifier (CloudTrail logs it) and appears
    // only as the `aws` annotation's key_id, which `keyward respond` needs.
    assert!(!r.stdout.contains(&s), "{}", r.stdout);
    assert_eq!(r.stdout.matches(k.as_str()).count(), 1, "{}", r.stdout);
    assert!(r.stdout.contains(&format!("key_id={k}")), "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!("{}…{} (20)", &k[..4], &k[16..])),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("a.env:1:19"), "{}", r.stdout);
    assert!(r.stdout.contains("1 finding in 1 file"), "{}", r.stdout);
    assert!(!r.stdout.contains("\x1b["), "no colour when not a terminal");
    let shown = run(&["scan", ".", "--show-secrets"], dir.path());
    assert!(shown.stdout.contains(&k) && shown.stdout.contains(&s));
}

#[test]
fn json_report_has_the_documented_fields() {
    let dir = tempfile::tempdir().unwrap();
    let (k, _, text) = creds(82);
    fs::write(dir.path().join("a.env"), format!("# config\n{text}")).unwrap();
    let r = run(&["scan", ".", "--format", "json"], dir.path());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema"], "keyward-report/1");
    let f = &findings(&v)[0];
    for field in [
        "rule",
        "rule_name",
        "confidence",
        "severity",
        "path",
        "line",
        "column",
        "end",
        "secret",
        "fingerprint",
        "companions",
        "tags",
    ] {
        assert!(!f[field].is_null(), "missing {field}");
    }
    assert_eq!(f["line"], 2);
    assert_eq!(f["column"], 19);
    assert_eq!(f["end"]["column"], 39);
    assert_eq!(f["secret"], format!("{}…{} (20)", &k[..4], &k[16..]));
    assert_eq!(v["summary"]["files"], 1);
    // Deterministic: the same input gives byte-identical output.
    let again = run(&["scan", ".", "--format", "json"], dir.path());
    assert_eq!(r.stdout, again.stdout);
}

#[test]
fn output_file_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let (k, _, text) = creds(83);
    let r = run_stdin(
        &["scan", "-", "--format", "json", "--show-secrets"],
        dir.path(),
        text.as_bytes(),
    );
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(findings(&v)[0]["secret"], k.as_str());
    assert_eq!(findings(&v)[0]["path"], "-");
    fs::write(dir.path().join("x.env"), &text).unwrap();
    let r = run(
        &[
            "scan",
            "x.env",
            "--format",
            "sarif",
            "--output",
            "out.sarif",
        ],
        dir.path(),
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    let doc: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("out.sarif")).unwrap()).unwrap();
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 1);
}

#[test]
fn gitignore_is_honoured_hidden_files_scanned_git_dir_never() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let (k1, _, t1) = creds(84);
    let (k2, _, t2) = creds(85);
    let (k3, _, t3) = creds(86);
    let (k4, _, t4) = creds(87);
    fs::write(p.join(".gitignore"), "ignored/\n*.secret\n").unwrap();
    fs::create_dir_all(p.join("ignored")).unwrap();
    fs::write(p.join("ignored/creds.env"), &t1).unwrap();
    fs::write(p.join(".env"), &t2).unwrap();
    fs::create_dir_all(p.join(".git")).unwrap();
    fs::write(p.join(".git/config"), &t3).unwrap();
    fs::write(p.join("k.secret"), &t4).unwrap();
    fs::write(p.join(".keywardignore"), "vendor/\n").unwrap();
    fs::create_dir_all(p.join("vendor")).unwrap();
    fs::write(p.join("vendor/x.env"), creds(88).2).unwrap();
    let (_, v) = scan_json(p, &[]);
    let ids: Vec<&str> = findings(&v)
        .iter()
        .map(|f| f["secret"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![k2.as_str()], "only the hidden .env");
    let (_, v) = scan_json(p, &["--no-ignore"]);
    let ids: Vec<&str> = findings(&v)
        .iter()
        .map(|f| f["secret"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&k1.as_str()) && ids.contains(&k4.as_str()) && !ids.contains(&k3.as_str()),
        "{ids:?}"
    );
}

#[test]
fn inline_allow_suppresses_and_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let k = key_id("AKIA", 89);
    fs::write(
        dir.path().join("t.py"),
        format!("KEY = '{k}'  # keyward:allow test fixture\n"),
    )
    .unwrap();
    let (code, v) = scan_json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(v["summary"]["allowlisted"], 1);
}

#[test]
fn inline_allow_on_a_multi_line_finding_covers_only_that_finding() {
    // The comment on the key's first line allows the key; a token on the key's last line is a
    // finding of its own, as it would be on a line of its own.
    let dir = tempfile::tempdir().unwrap();
    let body = secret(92);
    let token = format!("ghp_{}", &secret(93).replace(['+', '/'], "x")[..36]);
    fs::write(
        dir.path().join("k.js"),
        format!(
            "const KEY = /* keyward:allow test key */ `-----BEGIN OPENSSH PRIVATE KEY-----\n\
             b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n\
             {body}{body}\n\
             -----END OPENSSH PRIVATE KEY-----`; const TOKEN = \"{token}\";\n"
        ),
    )
    .unwrap();
    let (_, v) = scan_json(dir.path(), &[]);
    let rules: Vec<&str> = findings(&v)
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["github-pat-classic"], "{v}");
    assert_eq!(v["summary"]["allowlisted"], 1);
}

#[test]
fn config_adds_disables_and_allowlists() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::create_dir_all(p.join(".git")).unwrap();
    fs::create_dir_all(p.join("sub/fixtures")).unwrap();
    fs::write(
        p.join(".keyward.toml"),
        r#"
disable_rules = ["aws-secret-access-key"]

[allow]
paths = ['''(^|/)fixtures/''']

[[rules]]
id = "acme-token"
name = "Acme token"
keywords = ["acme_"]
regex = '''(?P<secret>acme_[a-z0-9]{24})'''
confidence = "high"
examples = ["t = acme_q8w7e6r5t4y3u2i1o9p8a7s6"]
negative_examples = ["acme_short"]
"#,
    )
    .unwrap();
    fs::write(p.join("sub/a.txt"), "tok acme_q8w7e6r5t4y3u2i1o9p8a7s6\n").unwrap();
    fs::write(
        p.join("sub/b.env"),
        format!("AWS_SECRET_ACCESS_KEY={}\n", secret(90)),
    )
    .unwrap();
    fs::write(p.join("sub/fixtures/c.env"), creds(91).2).unwrap();
    // Discovered from the repository root even when scanning a subdirectory.
    let r = run(&["scan", "sub", "--format", "json"], p);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let rules: Vec<&str> = findings(&v)
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"acme-token"), "{rules:?}");
    assert!(
        !rules.contains(&"aws-secret-access-key"),
        "disabled: {rules:?}"
    );
    assert!(findings(&v)
        .iter()
        .all(|f| !f["path"].as_str().unwrap().contains("fixtures")));
    assert_eq!(v["summary"]["skipped"]["allowlisted-path"], 1);
    let r = run(&["rules", "check", ".keyward.toml"], p);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = run(&["scan", "sub", "--no-config", "--format", "json"], p);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(findings(&v)
        .iter()
        .any(|f| f["rule"] == "aws-secret-access-key"));
}

#[test]
fn bad_config_names_file_line_and_problem() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("k.toml"), "[[rules]]\nid = \"x\"\nname = \"x\"\nkeywords = [\"abc\"]\nregex = '(?P<secret>[a-'\nconfidence = \"high\"\n").unwrap();
    let r = run(&["scan", ".", "--config", "k.toml"], dir.path());
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("k.toml:2: rule `x`: invalid regex"),
        "{}",
        r.stderr
    );
    fs::write(dir.path().join("k.toml"), "disable_rules = [\n").unwrap();
    let r = run(&["scan", ".", "--config", "k.toml"], dir.path());
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("k.toml") && r.stderr.contains("line 1"),
        "{}",
        r.stderr
    );
}

#[test]
fn rules_list_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(&["rules", "list", "--format", "json"], dir.path());
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v.as_array().unwrap().len() >= 60, "at least 60 rules");
    fs::write(
        dir.path().join("r.toml"),
        "[[rules]]\nid = \"weak\"\nname = \"w\"\nkeywords = [\"tok_\"]\nregex = '(?P<secret>tok_[0-9]{4})'\nconfidence = \"low\"\nexamples = [\"tok_12\"]\nnegative_examples = [\"tok_9876\"]\n",
    )
    .unwrap();
    let r = run(&["rules", "check", "r.toml"], dir.path());
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("rule `weak`: example \"tok_12\""),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("negative example \"tok_9876\": matched"),
        "{}",
        r.stdout
    );
}

#[test]
fn confidence_flag_selects_what_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.txt"),
        format!("id {}\n", key_id("AKIA", 92)),
    )
    .unwrap();
    assert_eq!(
        run(&["scan", ".", "--confidence", "high"], dir.path()).code,
        0
    );
    assert_eq!(
        run(&["scan", ".", "--confidence", "medium"], dir.path()).code,
        1
    );
}

#[test]
fn findings_in_fixtures_and_examples_are_lowered_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::create_dir_all(p.join("tests/fixtures")).unwrap();
    let (k, _, text) = creds(93);
    fs::write(p.join("tests/fixtures/creds.env"), &text).unwrap();
    fs::write(
        p.join(".env.example"),
        format!("AWS_ACCESS_KEY_ID={}\n", key_id("AKIA", 94)),
    )
    .unwrap();
    let (code, v) = scan_json(p, &[]);
    assert_eq!(code, 1);
    let all = findings(&v);
    assert_eq!(
        all.len(),
        1,
        "the pair stays (high → medium); the lone id drops to low"
    );
    assert_eq!(all[0]["secret"], k.as_str());
    assert_eq!(all[0]["confidence"], "medium");
    assert_eq!(
        all[0]["annotations"]["context"],
        "test, example or documentation directory"
    );
    assert_eq!(
        v["summary"]["below_confidence"], 1,
        "counted, not silently dropped"
    );
    let (_, v) = scan_json(p, &["--confidence", "low"]);
    assert_eq!(findings(&v).len(), 2);
}

/// Scans `dir`: at the default confidence the only finding is the AWS pair of `key`, at high
/// confidence and not lowered; at low confidence the one finding `generic` picks out is there,
/// lowered to low for `reason`.
fn pair_kept_generic_lowered(
    dir: &std::path::Path,
    key: &str,
    generic: impl Fn(&serde_json::Value) -> bool,
    reason: &str,
) {
    let (_, v) = scan_json(dir, &[]);
    let all = findings(&v);
    assert_eq!(
        all.len(),
        1,
        "only the AWS pair at the default confidence: {all:?}"
    );
    assert_eq!(all[0]["secret"], key);
    assert_eq!(all[0]["confidence"], "high");
    assert!(all[0]["annotations"].get("context").is_none());
    let (_, v) = scan_json(dir, &["--confidence", "low"]);
    let lowered: Vec<_> = findings(&v).iter().filter(|f| generic(f)).collect();
    assert_eq!(lowered.len(), 1, "{lowered:?}");
    assert_eq!(lowered[0]["confidence"], "low");
    assert_eq!(lowered[0]["annotations"]["context"], reason);
}

#[test]
fn readmes_lower_generic_findings_but_not_provider_keys() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let (k, _, text) = creds(95);
    let readme =
        format!("# Setup\n\n```yaml\ndatabase:\n  password: \"Vq3#nT8pLw2eRk\"\n```\n\n{text}");
    fs::write(p.join("README.md"), &readme).unwrap();
    let is_generic =
        |f: &serde_json::Value| f["tags"].as_array().unwrap().iter().any(|t| t == "generic");
    pair_kept_generic_lowered(p, &k, is_generic, "documentation file");
    // The same text in a configuration file is reported at medium.
    fs::remove_file(p.join("README.md")).unwrap();
    fs::write(p.join("settings.yml"), &readme).unwrap();
    let (_, v) = scan_json(p, &[]);
    assert!(findings(&v).iter().any(|f| f["confidence"] == "medium"
        && f["tags"].as_array().unwrap().iter().any(|t| t == "generic")));
}

#[test]
fn a_value_introduced_as_an_example_is_lowered_but_a_provider_key_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let (k, _, pair) = creds(96);
    // A provider key right under the phrase is as live as anywhere else.
    let comment = format!(
        "/*\n * Pass the shared token, for example:\n *\n *   zorbly_token=Qm7xT2pLk9vR4sW8nB3cY6dF1gH5jK0z\n */\n# for example:\n{pair}"
    );
    fs::write(p.join("driver.c"), &comment).unwrap();
    pair_kept_generic_lowered(
        p,
        &k,
        |f| f["rule"] == "generic-named-token-assignment",
        "introduced as an example in the text",
    );
    // Without the introducing phrase the same line is a medium finding.
    fs::write(
        p.join("driver.c"),
        comment.replace("for example:", "as follows"),
    )
    .unwrap();
    let (_, v) = scan_json(p, &[]);
    assert!(findings(&v)
        .iter()
        .any(|f| f["rule"] == "generic-named-token-assignment" && f["confidence"] == "medium"));
}
