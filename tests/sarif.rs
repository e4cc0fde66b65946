//! SARIF output validated against the official SARIF 2.1.0 JSON schema.

use crate::util::{key_id, run, secret};

fn schema() -> serde_json::Value {
    let text = include_str!("fixtures/sarif-schema-2.1.0.json");
    serde_json::from_str(text).unwrap()
}

#[test]
fn sarif_validates_against_the_2_1_0_schema_and_hides_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let (k, s) = (key_id("AKIA", 70), secret(70));
    std::fs::create_dir_all(dir.path().join("dir with space")).unwrap();
    std::fs::write(
        dir.path().join("dir with space/creds.env"),
        format!("AWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("gh.txt"),
        "token=ghp_Yf3kQ9wX2mLp7RtZ0vB8nC4sJ6hD1aE5gK7u\n",
    )
    .unwrap();
    let r = run(&["scan", ".", "--format", "sarif"], dir.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stdout.contains(&s), "secret leaked into SARIF");
    assert!(
        !r.stdout
            .contains("ghp_Yf3kQ9wX2mLp7RtZ0vB8nC4sJ6hD1aE5gK7u"),
        "token leaked into SARIF"
    );
    // The key id appears once, as properties.aws.key_id (an identifier, not a credential).
    assert_eq!(r.stdout.matches(k.as_str()).count(), 1, "{}", r.stdout);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");

    let run0 = &doc["runs"][0];
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    for res in results {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"]);
        assert!(rules[idx]["properties"]["security-severity"].is_string());
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            !uri.starts_with('/') && !uri.starts_with("file:"),
            "relative uri {uri}"
        );
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(
            res["partialFingerprints"]["keyward/v1"]
                .as_str()
                .unwrap()
                .len()
                == 32
        );
    }
    let aws = results
        .iter()
        .find(|r| r["ruleId"] == "aws-access-key-id")
        .unwrap();
    assert_eq!(
        aws["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "dir%20with%20space/creds.env"
    );
    assert_eq!(aws["level"], "error");
    assert_eq!(
        aws["locations"][0]["physicalLocation"]["region"]["startColumn"],
        19
    );
    // The pair is fixed only by removing both values: the secret key is the second location
    // (line 2, after `AWS_SECRET_ACCESS_KEY=`) and a related location named for its role.
    let second = &aws["locations"][1]["physicalLocation"];
    assert_eq!(
        second["artifactLocation"]["uri"],
        "dir%20with%20space/creds.env"
    );
    assert_eq!(second["region"]["startLine"], 2);
    assert_eq!(second["region"]["startColumn"], 23);
    assert_eq!(second["region"]["endColumn"], 63);
    assert_eq!(
        aws["relatedLocations"][0]["message"]["text"],
        "secret_access_key"
    );
    assert_eq!(aws["relatedLocations"][0]["physicalLocation"], *second);
    let gh = results
        .iter()
        .find(|r| r["ruleId"] != "aws-access-key-id")
        .unwrap();
    assert_eq!(gh["locations"].as_array().unwrap().len(), 1);
    assert!(gh.get("relatedLocations").is_none());

    let shown = run(
        &["scan", ".", "--format", "sarif", "--show-secrets"],
        dir.path(),
    );
    assert!(shown.stdout.contains(&k) && shown.stdout.contains(&s));
}

#[test]
fn sarif_with_no_findings_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "nothing here\n").unwrap();
    let r = run(&["scan", ".", "--format", "sarif"], dir.path());
    assert_eq!(r.code, 0);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let schema = schema();
    assert!(jsonschema::validator_for(&schema).unwrap().is_valid(&doc));
}
