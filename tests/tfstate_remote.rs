//! `keyward tfstate`: Terraform state read from an S3 backend on the moto server (real SDK,
//! path-style requests on loopback).

use crate::aws_emulator::{skip, Moto};
use crate::util::{findings, Rng};

fn github_token(seed: u64) -> String {
    format!(
        "ghp_{}",
        Rng::new(seed).pick(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            36
        )
    )
}

fn state(serial: u64, token: &str) -> String {
    format!(
        r#"{{
  "version": 4,
  "terraform_version": "1.6.6",
  "serial": {serial},
  "lineage": "5d0c6f1e-8a4b-4f7e-9c21-3b2a1d0e9f88",
  "outputs": {{}},
  "resources": [
    {{
      "mode": "managed",
      "type": "null_resource",
      "name": "hook",
      "instances": [
        {{
          "attributes": {{
            "id": "8812731",
            "triggers": {{ "token": "{token}" }}
          }}
        }}
      ]
    }}
  ]
}}
"#
    )
}

fn tokens_found(stdout: &str) -> Vec<String> {
    let report: serde_json::Value =
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let mut t: Vec<String> = findings(&report)
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["secret"].as_str().unwrap(),
                f["path"].as_str().unwrap()
            )
        })
        .collect();
    t.sort();
    t
}

#[test]
fn reads_current_versions_workspaces_and_the_backend_block() {
    if skip() {
        return;
    }
    let moto = Moto::start(None);
    let (old, new, blue) = (github_token(1), github_token(2), github_token(3));
    assert!(moto.s3("PUT", "/tf-state", b"").0 < 300);
    let versioning = b"<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status></VersioningConfiguration>";
    assert!(moto.s3("PUT", "/tf-state?versioning", versioning).0 < 300);
    assert!(
        moto.s3(
            "PUT",
            "/tf-state/prod/terraform.tfstate",
            state(1, &old).as_bytes()
        )
        .0 < 300
    );
    assert!(
        moto.s3(
            "PUT",
            "/tf-state/prod/terraform.tfstate",
            state(2, &new).as_bytes()
        )
        .0 < 300
    );
    assert!(
        moto.s3(
            "PUT",
            "/tf-state/env:/blue/prod/terraform.tfstate",
            state(7, &blue).as_bytes()
        )
        .0 < 300
    );
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut a = vec!["tfstate"];
        a.extend_from_slice(args);
        a.extend_from_slice(&["--format", "json", "--show-secrets", "--no-progress"]);
        let r = moto.keyward(&a, dir.path(), None, None);
        assert_eq!(r.code, 1, "{args:?}: {}{}", r.stdout, r.stderr);
        r.stdout
    };

    // The current version only.
    let out = run(&["s3://tf-state/prod/terraform.tfstate"]);
    assert_eq!(
        tokens_found(&out),
        vec![format!("{new} s3://tf-state/prod/terraform.tfstate")]
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &findings(&report)[0];
    assert_eq!(
        f["annotations"]["terraform"]["address"],
        "null_resource.hook"
    );
    assert_eq!(f["annotations"]["terraform"]["attribute"], "triggers.token");
    assert_eq!(f["annotations"]["terraform"]["serial"], 2);
    let text = state(2, &new);
    let line = text.lines().position(|l| l.contains(&new)).unwrap() + 1;
    let column = text.lines().nth(line - 1).unwrap().find(&new).unwrap() + 1;
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(line as u64), Some(column as u64))
    );

    // Every version: the old token is still in the bucket.
    let out = run(&["s3://tf-state/prod/terraform.tfstate", "--all-versions"]);
    let found = tokens_found(&out);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found
            .iter()
            .any(|t| t.starts_with(&old) && t.contains("?versionId=")),
        "{found:?}"
    );
    assert!(found.iter().any(|t| t.starts_with(&new)), "{found:?}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let latest: Vec<bool> = findings(&report)
        .iter()
        .map(|f| {
            f["annotations"]["s3_object"]["is_latest"]
                .as_bool()
                .unwrap()
        })
        .collect();
    assert!(
        latest.contains(&true) && latest.contains(&false),
        "{latest:?}"
    );

    // A workspace, and all of them.
    let out = run(&[
        "s3://tf-state/prod/terraform.tfstate",
        "--workspace",
        "blue",
    ]);
    assert_eq!(
        tokens_found(&out),
        vec![format!(
            "{blue} s3://tf-state/env:/blue/prod/terraform.tfstate"
        )]
    );
    let out = run(&["s3://tf-state/prod/terraform.tfstate", "--all-workspaces"]);
    assert_eq!(tokens_found(&out).len(), 2);

    // The backend block of a configuration names the same object.
    std::fs::write(
        dir.path().join("main.tf"),
        "terraform {\n  backend \"s3\" {\n    bucket = \"tf-state\"\n    key    = \"prod/terraform.tfstate\"\n    region = \"us-east-1\"\n  }\n}\n",
    )
    .unwrap();
    let out = run(&["--backend", "."]);
    assert_eq!(
        tokens_found(&out),
        vec![format!("{new} s3://tf-state/prod/terraform.tfstate")]
    );
}

#[test]
fn a_missing_object_is_a_clear_error() {
    if skip() {
        return;
    }
    let moto = Moto::start(None);
    assert!(moto.s3("PUT", "/empty-bucket", b"").0 < 300);
    let dir = tempfile::tempdir().unwrap();
    let r = moto.keyward(
        &[
            "tfstate",
            "s3://empty-bucket/nothing.tfstate",
            "--no-progress",
        ],
        dir.path(),
        None,
        None,
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("s3:GetObject") && r.stderr.contains("NoSuchKey"),
        "{}",
        r.stderr
    );
    let r = moto.keyward(
        &["tfstate", "not-a-url", "--no-progress"],
        dir.path(),
        None,
        None,
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("s3://BUCKET/KEY"), "{}", r.stderr);
}
