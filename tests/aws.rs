//! AWS credentials in every place they sit in real repositories, and the look-alikes that must
//! never be reported.

use std::path::Path;

use crate::util::{base64_encode, findings, key_id, scan_json, secret, session_token};

struct Case {
    file: &'static str,
    content: String,
    /// (key id, secret key, session token, 1-based line of the key id)
    expect: Vec<(String, Option<String>, Option<String>, usize)>,
}

fn write(dir: &Path, file: &str, content: &str) {
    let p = dir.join(file);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

fn pair(n: u64) -> (String, String) {
    (key_id("AKIA", n), secret(n))
}

fn positive_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut add = |file: &'static str,
                   content: String,
                   expect: Vec<(String, Option<String>, Option<String>, usize)>| {
        cases.push(Case {
            file,
            content,
            expect,
        });
    };
    // ~/.aws/credentials with several profiles: each id pairs with its own secret.
    let (a, sa) = pair(1);
    let (b, sb) = pair(2);
    let (c, sc) = pair(3);
    add(
        "home/.aws/credentials",
        format!("[default]\naws_access_key_id = {a}\naws_secret_access_key = {sa}\n\n[prod]\naws_access_key_id={b}\naws_secret_access_key={sb}\nregion=eu-west-1\n[ci]\naws_secret_access_key = {sc}\naws_access_key_id = {c}\n"),
        vec![(a, Some(sa), None, 2), (b, Some(sb), None, 6), (c, Some(sc), None, 11)],
    );
    let (k, s) = pair(4);
    add(
        ".env",
        format!("DEBUG=1\nAWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n"),
        vec![(k, Some(s), None, 2)],
    );
    let (k, s) = pair(5);
    add(
        ".bash_history",
        format!(
            "ls\nexport AWS_ACCESS_KEY_ID=\"{k}\"\nexport AWS_SECRET_ACCESS_KEY='{s}'\naws s3 ls\n"
        ),
        vec![(k, Some(s), None, 2)],
    );
    let (k, s) = pair(6);
    add(
        "config/app.yaml",
        format!("aws:\n  access_key_id: {k}\n  secret_access_key: \"{s}\"\n  region: us-east-1\n"),
        vec![(k, Some(s), None, 2)],
    );
    let (k, s) = pair(7);
    add("config/app.json", format!("{{\n  \"aws\": {{\n    \"accessKeyId\": \"{k}\",\n    \"secretAccessKey\": \"{s}\"\n  }}\n}}\n"), vec![(k, Some(s), None, 3)]);
    let (k, s) = pair(8);
    add(
        "config/app.toml",
        format!("[aws]\naccess_key = \"{k}\"\nsecret_key = \"{s}\"\n"),
        vec![(k, Some(s), None, 2)],
    );
    let (k, s) = pair(9);
    add(
        "config/app.ini",
        format!("[s3]\nkey={k}\nsecret={s}\n"),
        vec![(k, Some(s), None, 2)],
    );
    let (k, s) = pair(10);
    add(".github/workflows/deploy.yml", format!("jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      AWS_ACCESS_KEY_ID: {k}\n      AWS_SECRET_ACCESS_KEY: {s}\n    steps:\n      - run: make deploy\n"), vec![(k, Some(s), None, 5)]);
    let (k, s) = pair(11);
    add("docker-compose.yml", format!("services:\n  app:\n    image: app\n    environment:\n      - AWS_ACCESS_KEY_ID={k}\n      - AWS_SECRET_ACCESS_KEY={s}\n"), vec![(k, Some(s), None, 5)]);
    let (k, s) = pair(12);
    add("src/upload.py", format!("import boto3\n\ns3 = boto3.client(\n    's3',\n    aws_access_key_id='{k}',\n    aws_secret_access_key='{s}',\n)\n"), vec![(k, Some(s), None, 5)]);
    let (k, s) = pair(13);
    add(
        "src/Main.java",
        format!(
            "class Main {{\n  AWSCredentials c = new BasicAWSCredentials(\"{k}\", \"{s}\");\n}}\n"
        ),
        vec![(k, Some(s), None, 2)],
    );
    let (k, s) = pair(14);
    add("main.go", format!("package main\n\nvar creds = credentials.NewStaticCredentials(\"{k}\", \"{s}\", \"\")\n"), vec![(k, Some(s), None, 3)]);
    let (k, s) = pair(15);
    add(
        "src/s3.js",
        format!(
            "const s3 = new AWS.S3({{\n  accessKeyId: '{k}',\n  secretAccessKey: '{s}',\n}});\n"
        ),
        vec![(k, Some(s), None, 2)],
    );
    let (k, s) = pair(16);
    add("Program.cs", format!("var client = new AmazonS3Client(new BasicAWSCredentials(\"{k}\", \"{s}\"), RegionEndpoint.USEast1);\n"), vec![(k, Some(s), None, 1)]);
    let (k, s) = pair(17);
    add("exports/credentials.csv", format!("User name,Password,Access key ID,Secret access key,Console login link\ndeploy,,{k},{s},https://123456789012.signin.aws.amazon.com/console\n"), vec![(k, Some(s), None, 2)]);
    let (k, s) = pair(18);
    add(
        ".s3cfg",
        format!("[default]\naccess_key = {k}\nhost_base = s3.amazonaws.com\nsecret_key = {s}\n"),
        vec![(k, Some(s), None, 2)],
    );
    let (k, s) = pair(19);
    add("analysis.ipynb", format!("{{\n \"cells\": [\n  {{\n   \"cell_type\": \"code\",\n   \"source\": [\n    \"import boto3\\n\",\n    \"session = boto3.Session(aws_access_key_id=\\\"{k}\\\",\\n\",\n    \"    aws_secret_access_key=\\\"{s}\\\")\\n\"\n   ]\n  }}\n ]\n}}\n"), vec![(k, Some(s), None, 7)]);
    let k = key_id("AKIA", 20);
    add("share.md", format!("Download: https://bucket.s3.amazonaws.com/report.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={k}%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Signature=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0\n"), vec![(k, None, None, 1)]);
    let (k, s) = pair(21);
    add(
        "windows.env",
        format!("AWS_ACCESS_KEY_ID={k}\r\nAWS_SECRET_ACCESS_KEY={s}\r\nOTHER=1\r\n"),
        vec![(k, Some(s), None, 1)],
    );
    let k = key_id("AKIA", 22);
    let s = format!("/{}", &secret(22)[1..]);
    add(
        "slash.env",
        format!("AWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n"),
        vec![(k, Some(s), None, 1)],
    );
    let k = key_id("AKIA", 23);
    let s = format!("+{}", &secret(23)[1..]);
    add(
        "plus.yaml",
        format!("key: {k}\nsecret: \"{s}\"\n"),
        vec![(k, Some(s), None, 1)],
    );
    // Temporary credentials as `aws sts assume-role` prints them: three JSON fields, secret first.
    let k = key_id("ASIA", 24);
    let (s, t) = (secret(24), session_token(24));
    add("sts.json", format!("{{\n    \"Credentials\": {{\n        \"SecretAccessKey\": \"{s}\",\n        \"SessionToken\": \"{t}\",\n        \"Expiration\": \"2024-01-01T00:00:00Z\",\n        \"AccessKeyId\": \"{k}\"\n    }}\n}}\n"), vec![(k, Some(s), Some(t), 6)]);
    // Kubernetes Secret: id and secret base64-encoded as separate values.
    let (k, s) = pair(25);
    let b = |v: &str| base64_encode(v.as_bytes());
    add("k8s/secret.yaml", format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws\ndata:\n  AWS_ACCESS_KEY_ID: {}\n  AWS_SECRET_ACCESS_KEY: {}\n", b(&k), b(&s)), vec![(k, Some(s), None, 6)]);
    // A whole credentials file base64-encoded in one blob (CI variable dumps).
    let (k, s) = pair(26);
    let blob = b(&format!(
        "[default]\naws_access_key_id = {k}\naws_secret_access_key = {s}\n"
    ));
    add(
        "ci/vars.txt",
        format!("AWS_CREDENTIALS_B64={blob}\n"),
        vec![(k, Some(s), None, 1)],
    );
    // URL-encoded form data.
    let (k, s) = pair(27);
    let enc = s.replace('/', "%2F").replace('+', "%2B");
    add("logs/request.log", format!("POST /login body=aws_access_key_id%3D{k}%26aws_secret_access_key%3D{enc}%26region%3Dus-east-1\n"), vec![(k, Some(s), None, 1)]);
    let (k, s) = pair(28);
    add("hadoop/core-site.xml", format!("<configuration>\n  <property>\n    <name>fs.s3a.access.key</name>\n    <value>{k}</value>\n  </property>\n  <property>\n    <name>fs.s3a.secret.key</name>\n    <value>{s}</value>\n  </property>\n</configuration>\n"), vec![(k, Some(s), None, 4)]);
    let (k, s) = pair(29);
    add(
        "app.properties",
        format!("aws.accessKeyId={k}\naws.secretKey={s}\n"),
        vec![(k, Some(s), None, 1)],
    );
    let (k, s) = pair(30);
    let enc = s.replace('/', "%2F").replace('+', "%2B");
    add(
        "spark/job.scala",
        format!("val df = spark.read.parquet(\"s3a://{k}:{enc}@my-bucket/data/\")\n"),
        vec![(k, Some(s), None, 1)],
    );
    let (k, s) = pair(31);
    add(
        "notes/incident.md",
        format!("| user | key | secret |\n|------|-----|--------|\n| ci   | {k} | {s} |\n"),
        vec![(k, Some(s), None, 3)],
    );
    let (k, s) = pair(32);
    add("logs/app.log", format!("2024-01-01T00:00:00Z DEBUG boto3 credentials loaded: access_key={k} secret_key={s} token=None\n"), vec![(k, Some(s), None, 1)]);
    let (k, s) = pair(33);
    add("charts/app/values.yaml", format!("env:\n  - name: AWS_ACCESS_KEY_ID\n    value: \"{k}\"\n  - name: AWS_SECRET_ACCESS_KEY\n    value: \"{s}\"\n"), vec![(k, Some(s), None, 3)]);
    let (k, s) = pair(34);
    add(
        "ansible/group_vars/all.yml",
        format!("---\naws_access_key: {k}\naws_secret_key: {s}\n"),
        vec![(k, Some(s), None, 2)],
    );
    let (k, s) = pair(35);
    add(
        "serverless.yml",
        format!(
            "provider:\n  name: aws\n  environment:\n    ACCESS_KEY: {k}\n    SECRET_KEY: {s}\n"
        ),
        vec![(k, Some(s), None, 4)],
    );
    let (k, s) = pair(36);
    add(
        "Pulumi.dev.yaml",
        format!("config:\n  aws:accessKey: {k}\n  aws:secretKey: {s}\n  aws:region: us-east-1\n"),
        vec![(k, Some(s), None, 2)],
    );
    let (k, s) = pair(37);
    add("main.tf", format!("provider \"aws\" {{\n  region     = \"us-west-2\"\n  access_key = \"{k}\"\n  secret_key = \"{s}\"\n}}\n"), vec![(k, Some(s), None, 3)]);
    let k = key_id("AKIA", 38);
    add(
        "lone.txt",
        format!("the key was {k} and nothing else\n"),
        vec![(k, None, None, 1)],
    );
    cases
}

#[test]
fn every_aws_placement_is_found_and_paired() {
    let cases = positive_cases();
    let dir = tempfile::tempdir().unwrap();
    for c in &cases {
        write(dir.path(), c.file, &c.content);
    }
    let (code, report) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let all = findings(&report);
    let mut failures = Vec::new();
    for c in &cases {
        for (id, sec, tok, line) in &c.expect {
            let Some(f) = all
                .iter()
                .find(|f| f["rule"] == "aws-access-key-id" && f["secret"] == id.as_str())
            else {
                failures.push(format!("{}: key id {id} not found", c.file));
                continue;
            };
            if f["path"] != c.file {
                failures.push(format!("{}: wrong path {}", c.file, f["path"]));
            }
            if f["line"] != *line as u64 {
                failures.push(format!("{}: line {} != {line}", c.file, f["line"]));
            }
            let comp = |name: &str| {
                f["companions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|x| x["name"] == name)
                    .map(|x| x["secret"].as_str().unwrap().to_string())
            };
            if comp("secret_access_key") != *sec {
                failures.push(format!(
                    "{}: secret {:?} != {:?}",
                    c.file,
                    comp("secret_access_key"),
                    sec
                ));
            }
            if comp("session_token") != *tok {
                failures.push(format!(
                    "{}: session token {:?} != {:?}",
                    c.file,
                    comp("session_token"),
                    tok
                ));
            }
            let want = if sec.is_some() { "high" } else { "medium" };
            if f["confidence"] != want {
                failures.push(format!(
                    "{}: confidence {} != {want}",
                    c.file, f["confidence"]
                ));
            }
        }
        // A paired secret is reported once, with its key id, not again on its own.
        let in_file: Vec<_> = all.iter().filter(|f| f["path"] == c.file).collect();
        if in_file.len() != c.expect.len() {
            let rules: Vec<_> = in_file
                .iter()
                .map(|f| format!("{}={}", f["rule"], f["secret"]))
                .collect();
            failures.push(format!(
                "{}: {} findings, want {}: {rules:?}",
                c.file,
                in_file.len(),
                c.expect.len()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn base64_and_url_encoded_findings_point_at_the_encoded_text() {
    let dir = tempfile::tempdir().unwrap();
    let (k, s) = pair(40);
    let blob =
        base64_encode(format!("aws_access_key_id={k}\naws_secret_access_key={s}\n").as_bytes());
    write(dir.path(), "b64.txt", &format!("x: 1\nBLOB={blob}\n"));
    let (_, report) = scan_json(dir.path(), &[]);
    let f = &findings(&report)[0];
    assert_eq!(f["encoding"], "base64");
    assert_eq!(f["line"], 2);
    let col = f["column"].as_u64().unwrap() as usize;
    assert!(col > "BLOB=".len(), "column {col} inside the blob");
}

#[test]
fn lone_secret_with_aws_context_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let s = secret(41);
    write(
        dir.path(),
        "only-secret.env",
        &format!("AWS_SECRET_ACCESS_KEY={s}\n"),
    );
    write(
        dir.path(),
        "resource.json",
        &format!("{{\"SecretAccessKey\": \"{}\"}}\n", secret(42)),
    );
    let (_, report) = scan_json(dir.path(), &[]);
    let all = findings(&report);
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(all.iter().all(|f| f["rule"] == "aws-secret-access-key"));
    assert!(all.iter().any(|f| f["secret"] == s.as_str()));
}

#[test]
fn look_alikes_are_never_reported() {
    let dir = tempfile::tempdir().unwrap();
    let k = key_id("AKIA", 50);
    let sha = "3f786850e387550fdab836ed7e6dc881de23001b";
    let files: Vec<(&str, String)> = vec![
        ("doc.md", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n".into()),
        ("placeholder.env", "AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX\nAWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}\n".into()),
        ("template.env", "AWS_ACCESS_KEY_ID=<your-key>\nAWS_SECRET_ACCESS_KEY=<your-secret>\n".into()),
        ("short.txt", format!("id {} and {k}Q\n", &k[..19])),
        ("workflow.yml", "env:\n  AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}\n  AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n".into()),
        ("cfn.yaml", "SecretAccessKey: '{{resolve:secretsmanager:prod/aws:SecretString:secret}}'\n".into()),
        ("masked.log", "AWS_ACCESS_KEY_ID=AKIA****************\nAWS_SECRET_ACCESS_KEY=****************************************\n".into()),
        ("sha.txt", format!("commit {sha}\nsecret_key = {sha}\n")),
        ("package-lock.json", "\"integrity\": \"sha512-0Bv9nqzH3x7QwM6oBNo0b1fXrJ8t3wHc6Qz1a0fX9vY2k2m8WnDq0gk1kq0L3m7VgX5kZbYQ9m1o6Gx8D2xq6ZZ3Q==\"\n".into()),
        ("index.html", "<script src=\"a.js\" integrity=\"sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC\"></script>\n".into()),
        ("kms.txt", "ciphertext: AQICAHhCSyB2j3Cv3HA5ia4nA+kF9Q3r0jqNzWfNfD2Qp3n2XwGtJ7cJbQXrM9kz1bVTfA8oAAAAfjB8BgkqhkiG9w0BBwagbzBtAgEAMGgGCSqGSIb3DQEHATAeBglghkgBZQMEAS4wEQQM\n".into()),
        ("id_rsa.pub", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7vbqajDhA5NnjGjWbV9xYqfFz3kKpVw8zRk9c0sJ2hQ4Gf1p6mXtE3uN8oLrYbWdAa2iC5vHsTz7Rq0eDkJgUfM4nPl1wX9yKcBhZ6iO3tVs2aGjQrLm8E5uFd0Nx7WkHpT4zYbCv1Se user@host\n".into()),
        ("arn.txt", "arn:aws:iam::123456789012:role/deploy AIDAJQABLZS4A3QDU576Q AROAJQABLZS4A3QDU576Q\n".into()),
        ("s3.json", "{\"VersionId\": \"3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo\"}\n".into()),
        ("redacted.txt", "aws_secret_access_key = [REDACTED]\naws_access_key_id = AKIA[REDACTED]\n".into()),
    ];
    for (name, content) in &files {
        write(dir.path(), name, content);
    }
    let (code, report) = scan_json(dir.path(), &[]);
    assert_eq!(
        code,
        0,
        "{}",
        serde_json::to_string_pretty(&report).unwrap()
    );
    assert!(
        report["summary"]["examples"].as_u64().unwrap() >= 2,
        "doc examples are counted"
    );
}

#[test]
fn a_real_key_next_to_a_git_sha_does_not_pair_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let k = key_id("AKIA", 51);
    write(
        dir.path(),
        "notes.txt",
        &format!("key {k}\ncommit 3f786850e387550fdab836ed7e6dc881de23001b\n"),
    );
    let (_, report) = scan_json(dir.path(), &[]);
    let all = findings(&report);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["confidence"], "medium");
    assert!(all[0]["companions"].as_array().unwrap().is_empty());
}

#[test]
fn key_intelligence_appears_in_json_and_sarif() {
    let dir = tempfile::tempdir().unwrap();
    let s = secret(60);
    write(
        dir.path(),
        "temp.env",
        &format!("AWS_ACCESS_KEY_ID=ASIAY34FZKBOKMUTVV7A\nAWS_SECRET_ACCESS_KEY={s}\n"),
    );
    // A configured canary account marks the key as a canary.
    write(
        dir.path(),
        "canary.toml",
        "[aws]\ncanary_accounts = [\"609629065308\"]\n",
    );
    let (_, report) = scan_json(dir.path(), &[]);
    let aws = &findings(&report)[0]["annotations"]["aws"];
    assert_eq!(aws["class"], "temporary");
    assert_eq!(aws["account"], "609629065308");
    assert_eq!(aws["canary"], false);
    assert_eq!(aws["verifiable"], false, "ASIA without its session token");
    let (_, report) = scan_json(dir.path(), &["--config", "canary.toml"]);
    let aws = &findings(&report)[0]["annotations"]["aws"];
    assert_eq!(aws["canary"], true);
    let r = crate::util::run(&["scan", ".", "--format", "sarif"], dir.path());
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        doc["runs"][0]["results"][0]["properties"]["aws"]["account"],
        "609629065308"
    );
}
