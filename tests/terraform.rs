//! Terraform state, plan JSON, backend state and variable files, end to end: fixtures are built
//! here (the way Terraform writes them), scanned by the real binary, and every finding is
//! checked for its rule, address, attribute path, serial/lineage, and the exact line and column
//! of its value (computed from the fixture text, never hard-coded).

use std::fs;
use std::path::Path;

use serde_json::{json, Value};

use crate::git::git;
use crate::util::{findings, key_id, run, run_stdin, scan_json, secret, Rng, B64};

#[path = "../benches/tfstate_gen.rs"]
mod tfstate_gen;

const LINEAGE: &str = "3f1c9a27-8b4e-4d02-a6f5-7e9b0c2d1a84";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A made-up alphanumeric secret.
fn token(seed: u64, n: usize) -> String {
    Rng::new(seed).pick(ALNUM, n)
}

/// A made-up classic GitHub token (`ghp_` + 36 alphanumerics).
fn ghp(seed: u64) -> String {
    format!("ghp_{}", token(seed, 36))
}

/// A made-up RSA private key in PEM form.
fn pem(seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut body = format!("MIIEpAIBAAKCAQEA{}", rng.pick(B64, 48));
    for _ in 0..8 {
        body.push_str(&rng.pick(B64, 64));
    }
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
        lines.join("\n")
    )
}

/// JSON as Terraform writes it: two-space indentation, and Go's escaping of `<`, `>` and `&`.
fn tf_json(v: &Value) -> String {
    let text = serde_json::to_string_pretty(v).unwrap();
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        + "\n"
}

/// A state v4 document.
fn v4(serial: u64, outputs: Value, resources: Value) -> Value {
    json!({
        "version": 4,
        "terraform_version": "1.7.5",
        "serial": serial,
        "lineage": LINEAGE,
        "outputs": outputs,
        "resources": resources,
        "check_results": null
    })
}

/// The text of a value as it is written inside a JSON string (escaped the way [`tf_json`] does).
fn raw(value: &str) -> String {
    let quoted = tf_json(&json!(value));
    let quoted = quoted.trim_end();
    quoted[1..quoted.len() - 1].to_string()
}

/// 1-based line and column (in characters) of byte offset `at` of `text`.
fn line_col(text: &str, at: usize) -> (u64, u64) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line as u64, before[line_start..].chars().count() as u64 + 1)
}

/// Byte offset of the `nth` (0-based) occurrence of `needle`; there must be exactly `count`.
fn offset_nth(text: &str, needle: &str, nth: usize, count: usize) -> usize {
    let all: Vec<usize> = text.match_indices(needle).map(|(i, _)| i).collect();
    assert_eq!(
        all.len(),
        count,
        "{needle:?} should occur {count} time(s) in the fixture"
    );
    all[nth]
}

/// Line and column where `needle` starts; it must occur exactly once in `text`.
fn pos(text: &str, needle: &str) -> (u64, u64) {
    line_col(text, offset_nth(text, needle, 0, 1))
}

/// Asserts that `f` starts and ends exactly where `needle` (occurrence `nth` of `count`) does.
fn assert_span_nth(f: &Value, text: &str, needle: &str, nth: usize, count: usize) {
    let at = offset_nth(text, needle, nth, count);
    let (line, column) = line_col(text, at);
    let (end_line, end_column) = line_col(text, at + needle.len());
    let got = (
        f["line"].as_u64().unwrap(),
        f["column"].as_u64().unwrap(),
        f["end"]["line"].as_u64().unwrap(),
        f["end"]["column"].as_u64().unwrap(),
    );
    assert_eq!(
        got,
        (line, column, end_line, end_column),
        "span of {needle:?} in finding {f:#}"
    );
}

/// Asserts that `f` covers exactly the only occurrence of `needle`.
fn assert_span(f: &Value, text: &str, needle: &str) {
    assert_span_nth(f, text, needle, 0, 1)
}

fn tf(f: &Value) -> &Value {
    &f["annotations"]["terraform"]
}

/// The one finding with this rule and address (and, if given, attribute).
fn one<'a>(all: &'a [Value], rule: &str, address: &str, attribute: Option<&str>) -> &'a Value {
    let hits: Vec<&Value> = all
        .iter()
        .filter(|f| {
            f["rule"] == rule
                && tf(f)["address"] == address
                && attribute.is_none_or(|a| tf(f)["attribute"] == a)
        })
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "one {rule} finding at {address} {attribute:?} in {all:#?}"
    );
    hits[0]
}

/// The one finding whose secret is `secret`.
fn by_secret<'a>(all: &'a [Value], secret: &str) -> &'a Value {
    let hits: Vec<&Value> = all.iter().filter(|f| f["secret"] == secret).collect();
    assert_eq!(hits.len(), 1, "one finding of {secret} in {all:#?}");
    hits[0]
}

/// Checks the document facts every finding of a v4 state carries.
fn assert_v4_facts(f: &Value, serial: u64) {
    let t = tf(f);
    assert_eq!(t["format"], "state-v4", "{f:#}");
    assert_eq!(t["serial"], serial, "{f:#}");
    assert_eq!(t["lineage"], LINEAGE, "{f:#}");
    assert_eq!(t["terraform_version"], "1.7.5", "{f:#}");
    assert!(f["annotations"]["remediation"].is_string(), "{f:#}");
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn rules_of(all: &[Value]) -> Vec<String> {
    let mut r: Vec<String> = all
        .iter()
        .map(|f| format!("{} {}", f["rule"], tf(f)["address"]))
        .collect();
    r.sort();
    r
}

#[test]
fn v4_state_with_module_for_each_count_and_deposed_instances() {
    let dir = tempfile::tempdir().unwrap();
    let (blue_id, blue_secret) = (key_id("AKIA", 601), secret(601));
    let (old_id, old_secret) = (key_id("AKIA", 602), secret(602));
    let ses = Rng::new(603).pick(B64, 44);
    // Generated passwords may hold `&` and `<`, which Terraform writes as \u0026 and \u003c.
    let pw = format!("{}&{}<{}", token(604, 7), token(605, 6), token(606, 5));
    let state = v4(
        42,
        json!({}),
        json!([
            {
                "module": "module.ci",
                "mode": "managed",
                "type": "aws_iam_access_key",
                "name": "deploy",
                "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
                "instances": [
                    {
                        "index_key": "blue",
                        "schema_version": 0,
                        "attributes": {
                            "create_date": "2024-02-11T09:14:07Z",
                            "encrypted_secret": null,
                            "id": blue_id,
                            "pgp_key": null,
                            "secret": blue_secret,
                            "ses_smtp_password_v4": ses,
                            "status": "Active",
                            "user": "ci-deploy"
                        },
                        "sensitive_attributes": [
                            [{"type": "get_attr", "value": "secret"}],
                            [{"type": "get_attr", "value": "ses_smtp_password_v4"}]
                        ]
                    },
                    {
                        "index_key": "blue",
                        "deposed": "5e2b9c1a",
                        "schema_version": 0,
                        "attributes": {
                            "create_date": "2023-11-02T17:40:55Z",
                            "id": old_id,
                            "secret": old_secret,
                            "status": "Active",
                            "user": "ci-deploy"
                        },
                        "sensitive_attributes": []
                    }
                ]
            },
            {
                "mode": "managed",
                "type": "random_password",
                "name": "db",
                "provider": "provider[\"registry.terraform.io/hashicorp/random\"]",
                "instances": [{
                    "index_key": 0,
                    "schema_version": 3,
                    "attributes": {
                        "id": "none",
                        "length": 18,
                        "override_special": "&<!",
                        "result": pw,
                        "special": true
                    },
                    "sensitive_attributes": [[{"type": "get_attr", "value": "result"}]]
                }]
            }
        ]),
    );
    let text = tf_json(&state);
    assert!(text.contains("\\u0026"), "Go escaping in the fixture");
    write(dir.path(), "terraform.tfstate", &text);
    let (code, v) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let all = findings(&v);
    assert_eq!(all.len(), 4, "{:#?}", rules_of(all));
    let blue = r#"module.ci.aws_iam_access_key.deploy["blue"]"#;

    // The key pair: the pattern rules report the key id with its secret, and the structural
    // rule for the secret agrees.
    let current = all
        .iter()
        .find(|f| f["secret"] == blue_id.as_str())
        .expect("current key");
    assert_eq!(current["rule"], "aws-access-key-id");
    assert_eq!(current["confidence"], "high");
    assert_span(current, &text, &blue_id);
    let comp = &current["companions"][0];
    assert_eq!(comp["name"], "secret_access_key");
    assert_eq!(comp["secret"], blue_secret.as_str());
    let (l, c) = pos(&text, &blue_secret);
    assert_eq!(
        (comp["line"].as_u64(), comp["column"].as_u64()),
        (Some(l), Some(c))
    );
    let t = tf(current);
    assert_eq!(t["address"], blue);
    assert_eq!(t["attribute"], "id");
    assert_eq!(t["section"], "resources");
    assert_eq!(t["state_rule"], "tfstate-aws-iam-access-key-secret");
    assert!(t.get("deposed").is_none(), "{t}");
    assert_v4_facts(current, 42);
    let remediation = current["annotations"]["remediation"].as_str().unwrap();
    assert!(
        remediation.contains(&format!("terraform apply -replace='{blue}'")),
        "{remediation}"
    );
    assert!(remediation.contains("keyward respond"), "{remediation}");

    // The deposed object of the same instance: same address, its deposed key.
    let deposed = all
        .iter()
        .find(|f| f["secret"] == old_id.as_str())
        .expect("deposed key");
    assert_eq!(deposed["rule"], "aws-access-key-id");
    assert_span(deposed, &text, &old_id);
    assert_eq!(deposed["companions"][0]["secret"], old_secret.as_str());
    assert_eq!(tf(deposed)["address"], blue);
    assert_eq!(tf(deposed)["deposed"], "5e2b9c1a");
    assert_v4_facts(deposed, 42);
    let remediation = deposed["annotations"]["remediation"].as_str().unwrap();
    assert!(
        remediation.contains("deposed") && remediation.contains("5e2b9c1a"),
        "a deposed object is not what -replace replaces: {remediation}"
    );
    assert!(!remediation.contains("-replace"), "{remediation}");

    // A structural rule that the pattern rules cannot know, paired with the key id.
    let smtp = one(all, "tfstate-aws-ses-smtp-password", blue, None);
    assert_eq!(tf(smtp)["attribute"], "ses_smtp_password_v4");
    assert_eq!(smtp["secret"], ses.as_str());
    assert_span(smtp, &text, &ses);
    assert_eq!(smtp["companions"][0]["name"], "access_key_id");
    assert_eq!(smtp["companions"][0]["secret"], blue_id.as_str());
    assert_v4_facts(smtp, 42);

    // count instance; the secret decodes, the span covers its escaped form.
    let rp = one(
        all,
        "tfstate-random-password",
        "random_password.db[0]",
        None,
    );
    assert_eq!(tf(rp)["attribute"], "result");
    assert_eq!(tf(rp)["state_rule"], "tfstate-random-password");
    assert_eq!(rp["secret"], pw.as_str());
    assert_eq!(rp["confidence"], "high");
    assert_span(rp, &text, &raw(&pw));
    assert_v4_facts(rp, 42);
    assert!(rp["annotations"]["remediation"]
        .as_str()
        .unwrap()
        .contains("terraform apply -replace='random_password.db[0]'"));
}

#[test]
fn v3_state_with_module_paths_flat_attributes_and_a_sensitive_output() {
    let dir = tempfile::tempdir().unwrap();
    let admin = token(611, 32);
    let db_pw = token(612, 20);
    let replica_pw = token(613, 22);
    // Ten or more entries: the flat-map count `data.%` is then "10", which is no secret.
    let data: Vec<(String, String)> = (0..10)
        .map(|i| (format!("data.key_{i}"), token(620 + i, 24)))
        .collect();
    let mut k8s_attrs = serde_json::Map::new();
    k8s_attrs.insert("data.%".into(), json!(data.len().to_string()));
    for (k, val) in &data {
        k8s_attrs.insert(k.clone(), json!(val));
    }
    k8s_attrs.insert("id".into(), json!("default/app"));
    k8s_attrs.insert("metadata.#".into(), json!("1"));
    k8s_attrs.insert("metadata.0.name".into(), json!("app"));
    let state = json!({
        "version": 3,
        "terraform_version": "0.11.14",
        "serial": 17,
        "lineage": LINEAGE,
        "modules": [
            {"path": ["root"], "outputs": {}, "resources": {}, "depends_on": []},
            {
                "path": ["root", "ci"],
                "outputs": {
                    "admin_token": {"sensitive": true, "type": "string", "value": admin},
                    "artifact_bucket": {"sensitive": false, "type": "string", "value": "ci-artifacts-eu-7f3a"}
                },
                "resources": {
                    "aws_db_instance.main": {
                        "type": "aws_db_instance",
                        "depends_on": [],
                        "primary": {
                            "id": "ci-db",
                            "attributes": {"engine": "postgres", "id": "ci-db", "password": db_pw, "username": "ci"},
                            "meta": {},
                            "tainted": false
                        },
                        "deposed": [],
                        "provider": "provider.aws"
                    },
                    "aws_db_instance.replica.1": {
                        "type": "aws_db_instance",
                        "depends_on": ["aws_db_instance.main"],
                        "primary": {
                            "id": "ci-db-r1",
                            "attributes": {"id": "ci-db-r1", "password": replica_pw, "replicate_source_db": "ci-db"},
                            "meta": {},
                            "tainted": false
                        },
                        "deposed": [],
                        "provider": "provider.aws"
                    },
                    "kubernetes_secret.app": {
                        "type": "kubernetes_secret",
                        "depends_on": [],
                        "primary": {"id": "default/app", "attributes": k8s_attrs, "meta": {}, "tainted": false},
                        "deposed": [],
                        "provider": "provider.kubernetes"
                    }
                },
                "depends_on": []
            }
        ]
    });
    let text = tf_json(&state);
    write(dir.path(), "terraform.tfstate", &text);
    let (code, v) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let all = findings(&v);
    assert_eq!(all.len(), 3 + data.len(), "{:#?}", rules_of(all));
    for f in all {
        let t = tf(f);
        assert_eq!(t["format"], "state-v3", "{f:#}");
        assert_eq!(t["serial"], 17);
        assert_eq!(t["lineage"], LINEAGE);
        assert_eq!(t["terraform_version"], "0.11.14");
        assert_ne!(f["secret"], "10", "a flat-map count is not a secret");
    }
    let out = one(
        all,
        "tfstate-sensitive-output",
        "module.ci.output.admin_token",
        None,
    );
    assert_eq!(out["secret"], admin.as_str());
    assert_eq!(tf(out)["section"], "outputs");
    assert_span(out, &text, &admin);
    let main = one(
        all,
        "tfstate-database-password",
        "module.ci.aws_db_instance.main",
        Some("password"),
    );
    assert_eq!(main["secret"], db_pw.as_str());
    assert_span(main, &text, &db_pw);
    let replica = one(
        all,
        "tfstate-database-password",
        "module.ci.aws_db_instance.replica[1]",
        Some("password"),
    );
    assert_span(replica, &text, &replica_pw);
    for (k, val) in &data {
        let f = one(
            all,
            "tfstate-provider-credential",
            "module.ci.kubernetes_secret.app",
            Some(k),
        );
        assert_eq!(f["secret"], val.as_str());
        assert_span(f, &text, val);
    }
}

#[test]
fn sensitive_attributes_of_any_resource_and_sensitive_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let mq_pw = token(631, 20);
    let api_secret = token(632, 30);
    let dsn = token(634, 28);
    let admin = token(633, 26);
    let state = v4(
        9,
        json!({
            "admin_token": {"value": admin, "type": "string", "sensitive": true},
            "endpoint": {"value": "amqps://b-7f3a9c.mq.eu-west-1.amazonaws.com:5671", "type": "string"}
        }),
        json!([
            {
                "mode": "managed",
                "type": "aws_mq_broker",
                "name": "bus",
                "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
                "instances": [{
                    "schema_version": 0,
                    "attributes": {
                        "broker_name": "bus",
                        "engine_type": "RabbitMQ",
                        "user": [{"console_access": false, "groups": [], "password": mq_pw, "username": "app"}]
                    },
                    "sensitive_attributes": [[
                        {"type": "get_attr", "value": "user"},
                        {"type": "index", "value": {"value": 0, "type": "number"}},
                        {"type": "get_attr", "value": "password"}
                    ]]
                }]
            },
            {
                "module": "module.workers",
                "mode": "managed",
                "type": "aws_lambda_function",
                "name": "worker",
                "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
                "instances": [{
                    "index_key": "eu",
                    "schema_version": 0,
                    "attributes": {
                        "environment": [{"variables": {"API_SECRET": api_secret, "LOG_LEVEL": "info", "UPSTREAM_DSN": dsn}}],
                        "function_name": "worker-eu",
                        "runtime": "python3.12"
                    },
                    "sensitive_attributes": [
                        [
                            {"type": "get_attr", "value": "environment"},
                            {"type": "index", "value": {"value": 0, "type": "number"}},
                            {"type": "get_attr", "value": "variables"},
                            {"type": "index", "value": {"value": "API_SECRET", "type": "string"}}
                        ],
                        [
                            {"type": "get_attr", "value": "environment"},
                            {"type": "index", "value": {"value": 0, "type": "number"}},
                            {"type": "get_attr", "value": "variables"},
                            {"type": "index", "value": {"value": "UPSTREAM_DSN", "type": "string"}}
                        ]
                    ]
                }]
            }
        ]),
    );
    let text = tf_json(&state);
    write(dir.path(), "terraform.tfstate", &text);
    let (_, v) = scan_json(dir.path(), &[]);
    let all = findings(&v);
    assert_eq!(all.len(), 4, "{:#?}", rules_of(all));
    // Values the generic rules also recognize by their key keep the generic finding; the
    // structural rule is recorded as agreeing.
    let mq = one(
        all,
        "generic-password-assignment",
        "aws_mq_broker.bus",
        Some("user[0].password"),
    );
    assert_eq!(mq["secret"], mq_pw.as_str());
    assert_eq!(tf(mq)["state_rule"], "tfstate-sensitive-attribute");
    assert_span(mq, &text, &mq_pw);
    assert_v4_facts(mq, 9);
    let worker = r#"module.workers.aws_lambda_function.worker["eu"]"#;
    let api = one(
        all,
        "generic-secret-assignment",
        worker,
        Some("environment[0].variables.API_SECRET"),
    );
    assert_eq!(api["secret"], api_secret.as_str());
    assert_eq!(tf(api)["state_rule"], "tfstate-sensitive-attribute");
    assert_span(api, &text, &api_secret);
    // A value only its place marks as a secret.
    let lambda = one(
        all,
        "tfstate-sensitive-attribute",
        worker,
        Some("environment[0].variables.UPSTREAM_DSN"),
    );
    assert_eq!(lambda["secret"], dsn.as_str());
    assert_eq!(lambda["confidence"], "medium");
    assert_eq!(tf(lambda)["state_rule"], "tfstate-sensitive-attribute");
    assert_span(lambda, &text, &dsn);
    assert_v4_facts(lambda, 9);
    let out = one(all, "tfstate-sensitive-output", "output.admin_token", None);
    assert_eq!(out["secret"], admin.as_str());
    assert_eq!(tf(out)["section"], "outputs");
    assert!(tf(out).get("attribute").is_none(), "{out:#}");
    assert_span(out, &text, &admin);
    assert_v4_facts(out, 9);
    assert!(out["annotations"]["remediation"]
        .as_str()
        .unwrap()
        .contains("output.admin_token"));
}

#[test]
fn show_json_state_and_plan() {
    let dir = tempfile::tempdir().unwrap();
    let out_tok = token(641, 28);
    let api_pw = token(642, 24);
    let mq_pw = token(643, 20);
    let db_pw = token(644, 22);
    let show = json!({
        "format_version": "1.0",
        "terraform_version": "1.7.5",
        "values": {
            "outputs": {"api_token": {"sensitive": true, "type": "string", "value": out_tok}},
            "root_module": {
                "resources": [{
                    "address": "random_password.api",
                    "mode": "managed",
                    "type": "random_password",
                    "name": "api",
                    "provider_name": "registry.terraform.io/hashicorp/random",
                    "schema_version": 3,
                    "values": {"id": "none", "length": 24, "result": api_pw, "special": false},
                    "sensitive_values": {"result": true}
                }],
                "child_modules": [{
                    "address": "module.app",
                    "resources": [{
                        "address": "module.app.aws_mq_broker.bus[\"eu\"]",
                        "mode": "managed",
                        "type": "aws_mq_broker",
                        "name": "bus",
                        "index": "eu",
                        "values": {"broker_name": "bus-eu", "user": [{"password": mq_pw, "username": "app"}]},
                        "sensitive_values": {"user": [{"password": true}]}
                    }],
                    "child_modules": [{
                        "address": "module.app.module.db",
                        "resources": [{
                            "address": "module.app.module.db.aws_db_instance.main",
                            "mode": "managed",
                            "type": "aws_db_instance",
                            "name": "main",
                            "values": {"engine": "postgres", "password": db_pw, "username": "app"},
                            "sensitive_values": {"password": true}
                        }]
                    }]
                }]
            }
        }
    });
    let show_text = tf_json(&show);
    write(dir.path(), "show.json", &show_text);

    let old_pw = token(645, 22);
    let new_pw = token(646, 22);
    let lambda_secret = token(647, 30);
    let lambda_values = json!({
        "environment": [{"variables": {"LOG_LEVEL": "info", "UPSTREAM_DSN": lambda_secret}}],
        "function_name": "worker"
    });
    let plan = json!({
        "format_version": "1.2",
        "terraform_version": "1.7.5",
        "planned_values": {"root_module": {"resources": [{
            "address": "aws_lambda_function.worker",
            "mode": "managed",
            "type": "aws_lambda_function",
            "name": "worker",
            "values": lambda_values,
            "sensitive_values": {"environment": [{"variables": {"UPSTREAM_DSN": true}}]}
        }]}},
        "resource_changes": [
            {
                "address": "module.db.aws_db_instance.main",
                "module_address": "module.db",
                "mode": "managed",
                "type": "aws_db_instance",
                "name": "main",
                "change": {
                    "actions": ["update"],
                    "before": {"password": old_pw, "username": "app"},
                    "after": {"password": new_pw, "username": "app"},
                    "after_unknown": {},
                    "before_sensitive": {"password": true},
                    "after_sensitive": {"password": true}
                }
            },
            {
                "address": "aws_lambda_function.worker",
                "mode": "managed",
                "type": "aws_lambda_function",
                "name": "worker",
                "change": {
                    "actions": ["create"],
                    "before": null,
                    "after": lambda_values,
                    "after_unknown": {"arn": true},
                    "before_sensitive": false,
                    "after_sensitive": {"environment": [{"variables": {"UPSTREAM_DSN": true}}]}
                }
            }
        ]
    });
    let plan_text = tf_json(&plan);
    write(dir.path(), "plan.json", &plan_text);

    let (code, v) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let all = findings(&v);
    assert_eq!(all.len(), 4 + 4, "{:#?}", rules_of(all));
    for f in all {
        assert_eq!(tf(f)["format"], "show-json", "{f:#}");
        assert_eq!(tf(f)["terraform_version"], "1.7.5");
        assert!(
            tf(f).get("serial").is_none(),
            "show/plan JSON has no serial"
        );
    }
    let in_show: Vec<Value> = all
        .iter()
        .filter(|f| f["path"] == "show.json")
        .cloned()
        .collect();
    let out = one(
        &in_show,
        "tfstate-sensitive-output",
        "output.api_token",
        None,
    );
    assert_eq!(tf(out)["section"], "values");
    assert_span(out, &show_text, &out_tok);
    let rp = one(
        &in_show,
        "tfstate-random-password",
        "random_password.api",
        Some("result"),
    );
    assert_span(rp, &show_text, &api_pw);
    let mq = one(
        &in_show,
        "generic-password-assignment",
        r#"module.app.aws_mq_broker.bus["eu"]"#,
        Some("user[0].password"),
    );
    assert_eq!(tf(mq)["state_rule"], "tfstate-sensitive-attribute");
    assert_span(mq, &show_text, &mq_pw);
    let db = one(
        &in_show,
        "tfstate-database-password",
        "module.app.module.db.aws_db_instance.main",
        Some("password"),
    );
    assert_span(db, &show_text, &db_pw);

    let in_plan: Vec<&Value> = all.iter().filter(|f| f["path"] == "plan.json").collect();
    let by_secret = |s: &str| -> Vec<&Value> {
        in_plan
            .iter()
            .copied()
            .filter(|f| f["secret"] == s)
            .collect()
    };
    let before = by_secret(&old_pw);
    assert_eq!(before.len(), 1);
    assert_eq!(before[0]["rule"], "tfstate-database-password");
    assert_eq!(tf(before[0])["address"], "module.db.aws_db_instance.main");
    assert_eq!(tf(before[0])["section"], "resource_changes.before");
    assert_span(before[0], &plan_text, &old_pw);
    let after = by_secret(&new_pw);
    assert_eq!(after.len(), 1);
    assert_eq!(tf(after[0])["section"], "resource_changes.after");
    assert_span(after[0], &plan_text, &new_pw);
    // The lambda secret is in planned_values and in the change's `after`.
    let mut lambda = by_secret(&lambda_secret);
    lambda.sort_by_key(|f| f["line"].as_u64());
    assert_eq!(lambda.len(), 2, "{lambda:#?}");
    let sections: Vec<&Value> = lambda.iter().map(|f| &tf(f)["section"]).collect();
    assert_eq!(sections, vec!["planned_values", "resource_changes.after"]);
    for (i, f) in lambda.iter().enumerate() {
        assert_eq!(f["rule"], "tfstate-sensitive-attribute");
        assert_eq!(tf(f)["address"], "aws_lambda_function.worker");
        assert_eq!(tf(f)["attribute"], "environment[0].variables.UPSTREAM_DSN");
        assert_span_nth(f, &plan_text, &lambda_secret, i, 2);
    }
}

#[test]
fn pattern_secret_in_null_resource_triggers_is_annotated_with_its_address() {
    let dir = tempfile::tempdir().unwrap();
    let (t1, t2) = (ghp(651), ghp(652));
    let state = v4(
        5,
        json!({}),
        json!([{
            "module": "module.bootstrap",
            "mode": "managed",
            "type": "null_resource",
            "name": "runner",
            "provider": "provider[\"registry.terraform.io/hashicorp/null\"]",
            "instances": [{
                "index_key": 1,
                "schema_version": 0,
                "attributes": {
                    "id": "6301826517034123456",
                    "triggers": {"GH_TOKEN": t1, "ci/token": t2, "repo": "corp/infra"}
                },
                "sensitive_attributes": []
            }]
        }]),
    );
    let text = tf_json(&state);
    write(dir.path(), "terraform.tfstate", &text);
    let (code, v) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let all = findings(&v);
    assert_eq!(all.len(), 2, "{:#?}", rules_of(all));
    let address = "module.bootstrap.null_resource.runner[1]";
    for (tok, attribute) in [(&t1, "triggers.GH_TOKEN"), (&t2, r#"triggers["ci/token"]"#)] {
        let f = one(all, "github-pat-classic", address, Some(attribute));
        assert_eq!(f["secret"], tok.as_str());
        assert_span(f, &text, tok);
        assert!(
            tf(f).get("state_rule").is_none(),
            "no structural rule: {f:#}"
        );
        assert_v4_facts(f, 5);
        assert!(f["annotations"]["remediation"]
            .as_str()
            .unwrap()
            .contains(address));
    }
}

#[test]
fn secrets_inside_json_escaped_strings_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let key = pem(661);
    let in_json = ghp(662);
    let db_pw = token(663, 20);
    let secret_string = serde_json::to_string(&json!({
        "github_token": in_json,
        "password": db_pw,
        "username": "svc"
    }))
    .unwrap();
    // Tokens one per line: in the file each follows a `\n` escape, which hides the word
    // boundary the token rule needs; only the decoded value shows it.
    let (line1, line2) = (ghp(664), ghp(665));
    let content = format!("# deploy tokens\n{line1}\n{line2}\n");
    let state = v4(
        3,
        json!({}),
        json!([
            {
                "mode": "managed",
                "type": "tls_private_key",
                "name": "ssh",
                "provider": "provider[\"registry.terraform.io/hashicorp/tls\"]",
                "instances": [{
                    "schema_version": 1,
                    "attributes": {"algorithm": "RSA", "id": "9c1e4f0b", "private_key_pem": key, "rsa_bits": 2048},
                    "sensitive_attributes": []
                }]
            },
            {
                "mode": "managed",
                "type": "aws_secretsmanager_secret_version",
                "name": "api",
                "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
                "instances": [{
                    "schema_version": 0,
                    "attributes": {
                        "id": "arn:aws:secretsmanager:eu-west-1:318204967551:secret:api-Q7cVb2|terraform-2024",
                        "secret_id": "arn:aws:secretsmanager:eu-west-1:318204967551:secret:api-Q7cVb2",
                        "secret_string": secret_string,
                        "version_stages": ["AWSCURRENT"]
                    },
                    "sensitive_attributes": []
                }]
            },
            {
                "mode": "managed",
                "type": "local_file",
                "name": "tokens",
                "provider": "provider[\"registry.terraform.io/hashicorp/local\"]",
                "instances": [{
                    "schema_version": 0,
                    "attributes": {"content": content, "filename": "./tokens.txt", "id": "0f3a"},
                    "sensitive_attributes": []
                }]
            }
        ]),
    );
    let text = tf_json(&state);
    assert!(text.contains(r#"\"github_token\":"#) && text.contains("\\nghp_"));
    write(dir.path(), "terraform.tfstate", &text);
    let (code, v) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let all = findings(&v);
    assert_eq!(all.len(), 5, "{:#?}", rules_of(all));

    // The private key: a pattern rule knows the PEM block even with `\n` escapes; the
    // structural rule for tls_private_key agrees.
    let k = one(
        all,
        "private-key-rsa",
        "tls_private_key.ssh",
        Some("private_key_pem"),
    );
    assert_eq!(tf(k)["state_rule"], "tfstate-tls-private-key");
    let raw_key = raw(&key);
    let block = raw_key.trim_end_matches("\\n");
    assert_span(k, &text, block);

    // A token inside the escaped JSON document of secret_string.
    let t = one(
        all,
        "github-pat-classic",
        "aws_secretsmanager_secret_version.api",
        Some("secret_string"),
    );
    assert_eq!(t["secret"], in_json.as_str());
    assert_eq!(tf(t)["state_rule"], "tfstate-secretsmanager-secret-string");
    assert_span(t, &text, &in_json);
    // And the password next to it, found by its key inside the escaped document.
    let p = one(
        all,
        "generic-password-assignment",
        "aws_secretsmanager_secret_version.api",
        Some("secret_string"),
    );
    assert_eq!(p["secret"], db_pw.as_str());
    assert_eq!(tf(p)["state_rule"], "tfstate-secretsmanager-secret-string");
    assert_span(p, &text, &db_pw);

    // Tokens only the decoded value shows, reported at their place in the file.
    for tok in [&line1, &line2] {
        let f = all
            .iter()
            .find(|f| f["secret"] == tok.as_str())
            .unwrap_or_else(|| panic!("{tok} after a \\n escape: {all:#?}"));
        assert_eq!(f["rule"], "github-pat-classic");
        assert_eq!(tf(f)["address"], "local_file.tokens");
        assert_eq!(tf(f)["attribute"], "content");
        assert_span(f, &text, tok);
    }
}

#[test]
fn placeholders_empty_values_and_references_are_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    let state = v4(
        2,
        json!({"db_password": {"value": "", "type": "string", "sensitive": true}}),
        json!([
            {"mode": "managed", "type": "random_password", "name": "unset", "instances": [
                {"attributes": {"id": "none", "length": 16, "result": ""}, "sensitive_attributes": [[{"type": "get_attr", "value": "result"}]]}
            ]},
            {"mode": "managed", "type": "aws_db_instance", "name": "main", "instances": [
                {"attributes": {"engine": "postgres", "manage_master_user_password": true, "password": "${var.db_password}", "username": "app"}}
            ]},
            {"mode": "managed", "type": "aws_db_instance", "name": "masked", "instances": [
                {"attributes": {"engine": "mysql", "password": "********", "username": "app"}}
            ]},
            {"mode": "managed", "type": "github_actions_secret", "name": "deploy", "instances": [
                {"attributes": {"encrypted_value": "${var.sealed}", "plaintext_value": "", "repository": "infra", "secret_name": "DEPLOY_TOKEN"}}
            ]},
            {"mode": "managed", "type": "aws_ssm_parameter", "name": "token", "instances": [
                {"attributes": {"name": "/ci/token", "type": "SecureString", "value": "changeme"}}
            ]},
            {"mode": "managed", "type": "kubernetes_secret", "name": "app", "instances": [
                {"attributes": {"data": {"password": "<password>", "api_key": "${API_KEY}"}, "id": "default/app"}}
            ]},
            {"mode": "managed", "type": "aws_iam_access_key", "name": "pgp", "instances": [
                {"attributes": {"encrypted_secret": "wcBMA0b8AgEQAg", "pgp_key": "keybase:ci", "secret": null, "status": "Active"}}
            ]}
        ]),
    );
    write(dir.path(), "terraform.tfstate", &tf_json(&state));
    write(
        dir.path(),
        "prod.tfvars",
        "region          = \"eu-west-1\"\ndb_password     = \"changeme\"\nadmin_password  = \"\"\nclient_secret   = \"<client-secret>\"\napi_token       = \"${TF_API_TOKEN}\"\nvault_token     = var.from_vault\n",
    );
    write(
        dir.path(),
        "prod.tfvars.json",
        "{\"db_password\": \"\", \"api_key\": \"TODO\", \"region\": \"eu-west-1\"}\n",
    );
    let (code, v) = scan_json(dir.path(), &[]);
    assert_eq!(code, 0, "{v:#}");
    assert!(findings(&v).is_empty(), "{v:#}");
    // 8 placeholder values in the state, 4 in prod.tfvars, 2 in prod.tfvars.json.
    assert!(
        v["summary"]["placeholders"].as_u64().unwrap() >= 14,
        "{}",
        v["summary"]
    );
}

#[test]
fn terraform_json_is_recognized_by_content_whatever_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let pw1 = token(671, 18);
    let pw2 = token(672, 18);
    let doc = |pw: &str| {
        v4(
            8,
            json!({}),
            json!([{"mode": "managed", "type": "random_password", "name": "db", "instances": [
                {"attributes": {"id": "none", "length": 18, "result": pw}}
            ]}]),
        )
    };
    let state = tf_json(&doc(&pw1));
    write(dir.path(), "state.json", &state);
    // A byte-order mark and leading blank lines do not hide it either.
    let bom = format!("\u{feff}\n\n{}", tf_json(&doc(&pw2)));
    write(dir.path(), "backups/2024-03-01.json", &bom);
    // The same shape without Terraform's markers is just JSON.
    let lookalike = json!({"name": "app", "resources": [{"type": "random_password", "instances": [
        {"attributes": {"result": token(673, 18)}}
    ]}]});
    write(dir.path(), "app.json", &tf_json(&lookalike));
    let (_, v) = scan_json(dir.path(), &[]);
    let all = findings(&v);
    assert_eq!(all.len(), 2, "{:#?}", rules_of(all));
    let f = all.iter().find(|f| f["path"] == "state.json").unwrap();
    assert_eq!(f["rule"], "tfstate-random-password");
    assert_eq!(f["secret"], pw1.as_str());
    assert_span(f, &state, &pw1);
    assert_v4_facts(f, 8);
    let f = all
        .iter()
        .find(|f| f["path"] == "backups/2024-03-01.json")
        .unwrap();
    assert_eq!(f["secret"], pw2.as_str());
    assert_span(f, &bom, &pw2);
    assert_eq!(tf(f)["address"], "random_password.db");
}

#[test]
fn backend_state_in_dot_terraform_with_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let (ak, sk) = (key_id("AKIA", 681), secret(681));
    let s3 = json!({
        "version": 3,
        "serial": 1,
        "lineage": LINEAGE,
        "backend": {
            "type": "s3",
            "config": {
                "access_key": ak,
                "acl": null,
                "bucket": "corp-tf-state",
                "dynamodb_table": "tf-locks",
                "encrypt": true,
                "key": "prod/terraform.tfstate",
                "profile": null,
                "region": "eu-west-1",
                "secret_key": sk,
                "token": null
            },
            "hash": 2806171341u64
        },
        "modules": [{"path": ["root"], "outputs": {}, "resources": {}, "depends_on": []}]
    });
    let s3_text = tf_json(&s3);
    write(dir.path(), ".terraform/terraform.tfstate", &s3_text);
    let sas = format!(
        "sv=2022-11-02&ss=b&srt=co&sp=rwdlac&se=2025-01-01T00:00:00Z&sig={}%3D",
        token(682, 43)
    );
    let azure = json!({
        "version": 3,
        "serial": 4,
        "lineage": LINEAGE,
        "backend": {
            "type": "azurerm",
            "config": {
                "container_name": "tfstate",
                "key": "prod.terraform.tfstate",
                "sas_token": sas,
                "storage_account_name": "corptfstate"
            },
            "hash": 99
        }
    });
    let azure_text = tf_json(&azure);
    write(
        dir.path(),
        "envs/azure/.terraform/terraform.tfstate",
        &azure_text,
    );
    let (code, v) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let all = findings(&v);
    assert_eq!(all.len(), 2, "{:#?}", rules_of(all));

    let f = all
        .iter()
        .find(|f| f["path"] == ".terraform/terraform.tfstate")
        .unwrap();
    assert_eq!(f["rule"], "aws-access-key-id");
    assert_eq!(f["secret"], ak.as_str());
    assert_span(f, &s3_text, &ak);
    assert_eq!(f["companions"][0]["secret"], sk.as_str());
    let (l, c) = pos(&s3_text, &sk);
    assert_eq!(f["companions"][0]["line"], l);
    assert_eq!(f["companions"][0]["column"], c);
    let t = tf(f);
    assert_eq!(t["address"], r#"terraform.backend["s3"]"#);
    assert_eq!(t["attribute"], "access_key");
    assert_eq!(t["section"], "backend");
    assert_eq!(t["format"], "backend");
    assert_eq!(t["serial"], 1);
    assert_eq!(t["lineage"], LINEAGE);
    assert_eq!(t["state_rule"], "tfstate-s3-backend-secret");
    assert!(f["annotations"]["remediation"]
        .as_str()
        .unwrap()
        .contains("backend block"));

    let f = all
        .iter()
        .find(|f| f["path"] == "envs/azure/.terraform/terraform.tfstate")
        .unwrap();
    assert_eq!(f["secret"], sas.as_str());
    assert_span(f, &azure_text, &raw(&sas));
    let t = tf(f);
    assert_eq!(t["address"], r#"terraform.backend["azurerm"]"#);
    assert_eq!(t["attribute"], "sas_token");
    assert_eq!(t["state_rule"], "tfstate-backend-credential");
    assert_eq!(t["serial"], 4);
}

#[test]
fn tfvars_and_tfvars_json() {
    let dir = tempfile::tempdir().unwrap();
    let db_pw = token(691, 16);
    let gh = ghp(692);
    let tfvars = format!(
        "region        = \"eu-west-1\"\ndb_password   = \"{db_pw}\"\napi_token_ttl = \"3600\"\ntags = {{\n  owner = \"ops\"\n}}\n\ngithub_token  = \"{gh}\"\n"
    );
    write(dir.path(), "envs/prod.tfvars", &tfvars);
    let client = token(693, 32);
    let (primary, secondary) = (token(694, 24), token(695, 24));
    let json_text = tf_json(&json!({
        "kms_key_id": "alias/prod",
        "oauth_client_secret": client,
        "region": "eu-west-1",
        "service_credentials": {"primary": primary, "secondary": secondary}
    }));
    write(dir.path(), "envs/prod.auto.tfvars.json", &json_text);
    let (code, v) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let all = findings(&v);
    assert_eq!(all.len(), 5, "{:#?}", rules_of(all));
    for f in all {
        let t = tf(f);
        assert_eq!(t["section"], "variables", "{f:#}");
        assert!(t.get("attribute").is_none() && t.get("format").is_none());
        assert!(f["annotations"]["remediation"]
            .as_str()
            .unwrap()
            .contains("TF_VAR_"));
    }
    // The generic password rule knows this one by its name too; the variable rule agrees.
    let f = by_secret(all, &db_pw);
    assert_eq!(f["rule"], "generic-password-assignment");
    assert_eq!(f["path"], "envs/prod.tfvars");
    assert_eq!(tf(f)["address"], "var.db_password");
    assert_eq!(tf(f)["state_rule"], "tfvars-secret-variable");
    assert_span(f, &tfvars, &db_pw);
    let f = one(all, "github-pat-classic", "var.github_token", None);
    assert_eq!(tf(f)["state_rule"], "tfvars-secret-variable");
    assert_span(f, &tfvars, &gh);
    let f = by_secret(all, &client);
    assert_eq!(f["path"], "envs/prod.auto.tfvars.json");
    assert_eq!(tf(f)["address"], "var.oauth_client_secret");
    assert_eq!(tf(f)["state_rule"], "tfvars-secret-variable");
    assert_span(f, &json_text, &client);
    // Only the variable's name says these are secrets.
    for s in [&primary, &secondary] {
        let f = by_secret(all, s);
        assert_eq!(f["rule"], "tfvars-secret-variable");
        assert_eq!(f["confidence"], "medium");
        assert_eq!(tf(f)["address"], "var.service_credentials");
        assert_span(f, &json_text, s);
    }
}

#[test]
fn malformed_terraform_json_is_counted_and_still_scanned_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let gh = ghp(701);
    let pw = token(702, 18);
    let state = tf_json(&v4(
        11,
        json!({}),
        json!([
            {"mode": "managed", "type": "null_resource", "name": "hook", "instances": [
                {"attributes": {"id": "1", "triggers": {"token": gh}}}
            ]},
            {"mode": "managed", "type": "random_password", "name": "db", "instances": [
                {"attributes": {"id": "none", "result": pw}}
            ]}
        ]),
    ));
    // Cut inside the password, like an interrupted upload.
    let cut = state.find(&pw).unwrap() + 5;
    let truncated = &state[..cut];
    write(dir.path(), "terraform.tfstate", truncated);
    // A variables file with a trailing comma.
    let client = token(703, 30);
    let bad_json =
        format!("{{\n  \"region\": \"eu-west-1\",\n  \"client_secret\": \"{client}\",\n}}\n");
    write(dir.path(), "prod.tfvars.json", &bad_json);
    let (code, v) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["skipped"]["malformed-terraform"], 2, "{v:#}");
    let skipped = v["skipped"].as_array().unwrap();
    let detail = |path: &str| -> String {
        let s = skipped
            .iter()
            .find(|s| s["path"] == path)
            .unwrap_or_else(|| panic!("{path} skipped: {skipped:#?}"));
        assert_eq!(s["reason"], "malformed-terraform");
        s["detail"].as_str().unwrap().to_string()
    };
    // The parser runs out of input on the last line, at its last character.
    let (last_line, last_col) = line_col(truncated, truncated.len());
    let d = detail("terraform.tfstate");
    assert!(
        d.contains(&format!("line {last_line} column {}", last_col - 1)),
        "{d}"
    );
    // The stray `}` after the trailing comma.
    let (l, c) = line_col(&bad_json, bad_json.rfind('}').unwrap());
    let d = detail("prod.tfvars.json");
    assert!(d.contains(&format!("line {l} column {c}")), "{d}");

    // Both files are still scanned as text: the pattern rules find the token and the client
    // secret (without Terraform annotations).
    let all = findings(&v);
    assert_eq!(all.len(), 2, "{:#?}", rules_of(all));
    let f = by_secret(all, &gh);
    assert_eq!(f["rule"], "github-pat-classic");
    assert_eq!(f["path"], "terraform.tfstate");
    assert_span(f, truncated, &gh);
    assert!(f["annotations"].get("terraform").is_none(), "{f:#}");
    let f = by_secret(all, &client);
    assert_eq!(f["path"], "prod.tfvars.json");
    assert_span(f, &bad_json, &client);
    assert!(f["annotations"].get("terraform").is_none(), "{f:#}");
}

#[test]
fn state_on_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let pw = token(711, 20);
    let gh = ghp(712);
    let text = tf_json(&v4(
        31,
        json!({}),
        json!([
            {"module": "module.db", "mode": "managed", "type": "aws_rds_cluster", "name": "aurora", "instances": [
                {"attributes": {"engine": "aurora-postgresql", "master_password": pw, "master_username": "root"}}
            ]},
            {"mode": "managed", "type": "null_resource", "name": "hook", "instances": [
                {"attributes": {"id": "1", "triggers": {"token": gh}}}
            ]}
        ]),
    ));
    // terraform state pull | keyward scan -
    let r = run_stdin(
        &[
            "scan",
            "-",
            "--format",
            "json",
            "--show-secrets",
            "--no-progress",
        ],
        dir.path(),
        text.as_bytes(),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let all = findings(&v);
    assert_eq!(all.len(), 2, "{:#?}", rules_of(all));
    let f = one(
        all,
        "tfstate-database-password",
        "module.db.aws_rds_cluster.aurora",
        Some("master_password"),
    );
    assert_eq!(f["path"], "-");
    assert_eq!(f["secret"], pw.as_str());
    assert_span(f, &text, &pw);
    assert_v4_facts(f, 31);
    let f = one(
        all,
        "github-pat-classic",
        "null_resource.hook",
        Some("triggers.token"),
    );
    assert_span(f, &text, &gh);
}

fn init_repo(p: &Path) {
    git(p, &["init", "-q", "-b", "main"]);
    git(p, &["config", "commit.gpgsign", "false"]);
}

fn commit_all(p: &Path, msg: &str) -> String {
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", msg]);
    git(p, &["rev-parse", "HEAD"])
}

fn git_report(p: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["git", "."];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--format", "json", "--show-secrets", "--no-progress"]);
    let r = run(&args, p);
    let v = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", r.stdout, r.stderr));
    (r.code, v)
}

#[test]
fn state_committed_then_deleted_is_found_in_history() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init_repo(p);
    write(
        p,
        "main.tf",
        "resource \"random_password\" \"db\" {\n  length = 20\n}\n",
    );
    commit_all(p, "Initial configuration");
    let pw = token(721, 20);
    let gh = ghp(722);
    let resources = |with_hook: bool| {
        let mut r = vec![
            json!({"mode": "managed", "type": "random_password", "name": "db", "instances": [
                {"attributes": {"id": "none", "length": 20, "result": pw}, "sensitive_attributes": [[{"type": "get_attr", "value": "result"}]]}
            ]}),
        ];
        if with_hook {
            r.push(
                json!({"mode": "managed", "type": "null_resource", "name": "hook", "instances": [
                    {"attributes": {"id": "1", "triggers": {"token": gh}}}
                ]}),
            );
        }
        Value::Array(r)
    };
    let first = tf_json(&v4(1, json!({}), resources(false)));
    write(p, "infra/terraform.tfstate", &first);
    let intro = commit_all(p, "Add state by mistake");
    let second = tf_json(&v4(2, json!({}), resources(true)));
    write(p, "infra/terraform.tfstate", &second);
    let hook = commit_all(p, "Add deploy hook");
    git(p, &["rm", "-q", "infra/terraform.tfstate"]);
    write(p, ".gitignore", "*.tfstate\n");
    commit_all(p, "Stop tracking state");

    // The working tree is clean now...
    let (code, _) = scan_json(p, &[]);
    assert_eq!(code, 0);
    // ...history is not.
    let (code, v) = git_report(p, &[]);
    assert_eq!(code, 1);
    let all = findings(&v);
    assert_eq!(all.len(), 2, "{:#?}", rules_of(all));
    let f = one(
        all,
        "tfstate-random-password",
        "random_password.db",
        Some("result"),
    );
    assert_eq!(f["path"], "infra/terraform.tfstate");
    assert_eq!(f["origin"]["commit"]["id"], intro.as_str());
    assert_eq!(f["origin"]["present_at_head"], false);
    assert_eq!(f["secret"], pw.as_str());
    assert_span(f, &first, &pw);
    assert_v4_facts(f, 1);
    let f = one(
        all,
        "github-pat-classic",
        "null_resource.hook",
        Some("triggers.token"),
    );
    assert_eq!(f["origin"]["commit"]["id"], hook.as_str());
    assert_eq!(f["origin"]["commit"]["subject"], "Add deploy hook");
    assert_span(f, &second, &gh);
    assert_v4_facts(f, 2);
}

#[test]
fn staged_state_and_variables_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init_repo(p);
    write(p, "README.md", "infra\n");
    commit_all(p, "init");
    let pw = token(731, 20);
    let text = tf_json(&v4(
        6,
        json!({}),
        json!([{"module": "module.db", "mode": "managed", "type": "aws_db_instance", "name": "main", "instances": [
            {"attributes": {"engine": "postgres", "id": "db-1", "password": pw, "username": "app"}}
        ]}]),
    ));
    write(p, "terraform.tfstate", &text);
    let var_pw = token(732, 16);
    let tfvars = format!("region = \"eu-west-1\"\n\nredis_password = \"{var_pw}\"\n");
    write(p, "prod.tfvars", &tfvars);
    git(p, &["add", "terraform.tfstate", "prod.tfvars"]);
    let (code, v) = git_report(p, &["--staged"]);
    assert_eq!(code, 1);
    let all = findings(&v);
    assert_eq!(all.len(), 2, "{:#?}", rules_of(all));
    let f = one(
        all,
        "tfstate-database-password",
        "module.db.aws_db_instance.main",
        Some("password"),
    );
    assert_eq!(f["path"], "terraform.tfstate");
    assert_eq!(f["origin"]["kind"], "staged");
    assert_span(f, &text, &pw);
    assert_v4_facts(f, 6);
    let f = by_secret(all, &var_pw);
    assert_eq!(f["path"], "prod.tfvars");
    assert_eq!(tf(f)["address"], "var.redis_password");
    assert_eq!(tf(f)["state_rule"], "tfvars-secret-variable");
    assert_span(f, &tfvars, &var_pw);
}

#[test]
fn sarif_lists_the_structural_rule_and_points_at_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let pw = format!("{}&{}", token(741, 10), token(742, 9));
    let text = tf_json(&v4(
        12,
        json!({}),
        json!([{"mode": "managed", "type": "random_password", "name": "db", "instances": [
            {"index_key": "eu", "attributes": {"id": "none", "length": 20, "result": pw}}
        ]}]),
    ));
    write(dir.path(), "terraform.tfstate", &text);
    let r = run(
        &["scan", ".", "--format", "sarif", "--no-progress"],
        dir.path(),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stdout.contains(&pw) && !r.stdout.contains(&raw(&pw)));
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let schema: Value =
        serde_json::from_str(include_str!("fixtures/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run0 = &doc["runs"][0];
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let res = &results[0];
    assert_eq!(res["ruleId"], "tfstate-random-password");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let rule = &rules[res["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["id"], "tfstate-random-password");
    assert_eq!(
        rule["name"],
        "Generated password in Terraform state (random_password)"
    );
    assert!(rule["helpUri"].as_str().unwrap().starts_with("https://"));
    let loc = &res["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "terraform.tfstate");
    let value = raw(&pw);
    let at = offset_nth(&text, &value, 0, 1);
    let (l, c) = line_col(&text, at);
    let (el, ec) = line_col(&text, at + value.len());
    let region = &loc["region"];
    assert_eq!(
        (
            &region["startLine"],
            &region["startColumn"],
            &region["endLine"],
            &region["endColumn"]
        ),
        (&json!(l), &json!(c), &json!(el), &json!(ec))
    );
    let props = &res["properties"]["terraform"];
    assert_eq!(props["address"], r#"random_password.db["eu"]"#);
    assert_eq!(props["attribute"], "result");
    assert_eq!(props["serial"], 12);
}

#[test]
fn terraform_secrets_are_redacted_unless_shown() {
    let dir = tempfile::tempdir().unwrap();
    let (ak, sk) = (key_id("AKIA", 751), secret(751));
    let pw = token(752, 20);
    let out = token(753, 24);
    let var_pw = token(754, 16);
    let text = tf_json(&v4(
        4,
        json!({"admin_token": {"value": out, "type": "string", "sensitive": true}}),
        json!([
            {"mode": "managed", "type": "aws_iam_access_key", "name": "ci", "instances": [
                {"attributes": {"id": ak, "secret": sk, "status": "Active", "user": "ci"}}
            ]},
            {"mode": "managed", "type": "random_password", "name": "db", "instances": [
                {"attributes": {"id": "none", "result": pw}}
            ]}
        ]),
    ));
    write(dir.path(), "terraform.tfstate", &text);
    write(
        dir.path(),
        "prod.tfvars",
        &format!("db_password = \"{var_pw}\"\n"),
    );
    // The key id is shown in full on purpose (the `aws` annotation: an identifier, and what
    // `keyward respond --from` needs); the finding's own secret field is still redacted.
    let secrets = [&sk, &pw, &out, &var_pw];
    for format in ["text", "json", "sarif"] {
        let r = run(
            &["scan", ".", "--format", format, "--no-progress"],
            dir.path(),
        );
        assert_eq!(r.code, 1, "{}", r.stderr);
        for s in secrets {
            assert!(
                !r.stdout.contains(s.as_str()),
                "{format} shows {s}: {}",
                r.stdout
            );
        }
        assert!(
            r.stdout.contains("random_password.db"),
            "{format}: {}",
            r.stdout
        );
    }
    let r = run(
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--show-secrets",
            "--no-progress",
        ],
        dir.path(),
    );
    for s in secrets {
        assert!(r.stdout.contains(s.as_str()), "--show-secrets shows {s}");
    }
    let r = run(
        &["scan", ".", "--format", "json", "--no-progress"],
        dir.path(),
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let key = findings(&v)
        .iter()
        .find(|f| f["rule"] == "aws-access-key-id")
        .unwrap();
    assert_eq!(key["secret"], format!("{}…{} (20)", &ak[..4], &ak[16..]));
    assert_eq!(tf(key)["state_rule"], "tfstate-aws-iam-access-key-secret");
}

#[test]
fn generated_state_finds_every_planted_secret() {
    let dir = tempfile::tempdir().unwrap();
    let g = tfstate_gen::generate(2 * 1024 * 1024, 100, 40);
    assert!(g.planted.len() >= 6, "{}", g.planted.len());
    let text = String::from_utf8(g.bytes).unwrap();
    write(dir.path(), "terraform.tfstate", &text);
    let (code, v) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let all = findings(&v);
    for p in &g.planted {
        let at: Vec<&Value> = all
            .iter()
            .filter(|f| tf(f)["address"] == p.address.as_str())
            .collect();
        let hit = match &p.key_id {
            Some(id) => at.iter().find(|f| {
                f["secret"] == id.as_str() && f["companions"][0]["secret"] == p.secret.as_str()
            }),
            None => at
                .iter()
                .find(|f| f["secret"] == p.secret.as_str() && tf(f)["attribute"] == p.attribute),
        };
        let f = hit.unwrap_or_else(|| panic!("{p:?} not found among {at:#?}"));
        let value = p.key_id.clone().unwrap_or_else(|| raw(&p.secret));
        assert_span(f, &text, &value);
        assert_eq!(tf(f)["serial"], 1842);
    }
    // Nothing but the planted secrets and what sits next to them (the SES password of an
    // access key, the bcrypt hash Terraform marks sensitive) is reported.
    for f in all {
        let address = tf(f)["address"].as_str().unwrap();
        assert!(
            g.planted.iter().any(|p| p.address == address),
            "unexpected finding {f:#}"
        );
    }
}

#[test]
fn hundred_megabyte_state_with_20000_resources() {
    let dir = tempfile::tempdir().unwrap();
    let g = tfstate_gen::generate(100 * 1024 * 1024, 20_000, 1000);
    assert!(g.bytes.len() >= 100 * 1024 * 1024, "{}", g.bytes.len());
    std::fs::write(dir.path().join("terraform.tfstate"), &g.bytes).unwrap();
    let (code, v) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        v["summary"]["skipped"].as_object().map_or(0, |m| m.len()),
        0,
        "{}",
        v["skipped"]
    );
    let all = findings(&v);
    for p in &g.planted {
        let expected = p.key_id.as_deref().unwrap_or(&p.secret);
        assert!(
            all.iter()
                .any(|f| tf(f)["address"] == p.address.as_str() && f["secret"] == expected),
            "{p:?} not found"
        );
    }
}
