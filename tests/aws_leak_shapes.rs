//! AWS credentials in the shapes real leaks take: CLI files, console CSV downloads, environment
//! files, container and CI configuration, SDK calls in many languages, STS output, logs,
//! notebooks, URLs and encoded forms. Every value is generated afresh on each run (the seed is
//! printed on failure and can be replayed with `KEYWARD_SHAPES_SEED`), so the suite checks the
//! shapes, not a fixed list of strings.

use std::fmt::Write as _;
use std::path::Path;

use crate::util::{base64_encode, findings, scan_json, Rng, B32, B64};

/// Rounds of fresh values per shape in one run.
const ROUNDS: usize = 3;

/// Substrings the global placeholder filter rejects (`docs/rules-format.md`); a generated value
/// holding one would be a false alarm of this test, not a miss of the scanner.
const PLACEHOLDER_MARKERS: &[&str] = &[
    "example",
    "xxxx",
    "****",
    "...",
    "${",
    "{{",
    "your_",
    "your-",
    "placeholder",
    "changeme",
    "redacted",
    "0123456789",
    "1234567890",
    "abcdefghij",
];

fn entropy(s: &str) -> f64 {
    scanner_core::matcher::shannon_entropy(s.as_bytes())
}

/// True when nothing in `s` would make the placeholder filter or an entropy floor reject it.
fn plausible(s: &str, min_entropy: f64) -> bool {
    let lower = s.to_ascii_lowercase();
    if PLACEHOLDER_MARKERS.iter().any(|m| lower.contains(m)) {
        return false;
    }
    // No ascending run of 4+ (the filter rejects bodies made of such runs).
    let b = lower.as_bytes();
    let mut run = 1;
    for i in 1..b.len() {
        if b[i].is_ascii_alphanumeric() && b[i] == b[i - 1] + 1 {
            run += 1;
            if run >= 4 {
                return false;
            }
        } else {
            run = 1;
        }
    }
    entropy(s) >= min_entropy + 0.2
}

struct Gen {
    rng: Rng,
}

#[derive(Clone, Copy)]
enum TokenKind {
    /// Current STS tokens (`IQoJb3JpZ2luX2Vj…`, several hundred to over a thousand chars).
    Iqoj,
    /// 2019-2021 tokens (`FwoGZXIvYXdz…`).
    Fwo,
    /// Legacy tokens (`AQoDYXdz…`).
    Aqod,
}

impl Gen {
    fn key_id(&mut self, prefix: &str) -> String {
        loop {
            let k = format!("{prefix}{}", self.rng.pick(B32, 16));
            if plausible(&k, 3.0) {
                return k;
            }
        }
    }

    fn akia(&mut self) -> String {
        self.key_id("AKIA")
    }

    fn asia(&mut self) -> String {
        self.key_id("ASIA")
    }

    /// A secret access key; a third of them start or end with `/` or `+`.
    fn secret(&mut self) -> String {
        loop {
            let mut s = self.rng.pick(B64, 40).into_bytes();
            match self.rng.below(6) {
                0 => s[0] = b'/',
                1 => s[0] = b'+',
                2 => s[39] = b'/',
                3 => s[39] = b'+',
                _ => {}
            }
            let s = String::from_utf8(s).unwrap();
            if plausible(&s, 4.1) {
                return s;
            }
        }
    }

    /// A secret that holds at least one `/` and one `+` (for escaping shapes).
    fn secret_with_specials(&mut self) -> String {
        loop {
            let s = self.secret();
            let mut b = s.into_bytes();
            let i = 5 + self.rng.below(10) as usize;
            let j = 20 + self.rng.below(10) as usize;
            b[i] = b'/';
            b[j] = b'+';
            let s = String::from_utf8(b).unwrap();
            if plausible(&s, 4.1) {
                return s;
            }
        }
    }

    fn token_of(&mut self, kind: TokenKind) -> String {
        loop {
            let t = match kind {
                TokenKind::Iqoj => {
                    let n = 300 + self.rng.below(700) as usize;
                    format!(
                        "IQoJb3JpZ2luX2VjE{}//////////wEaCXVzLWVhc3QtMSJHMEUCI{}",
                        self.rng.pick(B64, 2),
                        self.rng.pick(B64, n)
                    )
                }
                TokenKind::Fwo => {
                    let n = 260 + self.rng.below(140) as usize;
                    format!("FwoGZXIvYXdzE{}", self.rng.pick(B64, n))
                }
                TokenKind::Aqod => {
                    let n = 250 + self.rng.below(400) as usize;
                    format!("AQoDYXdzE{}", self.rng.pick(B64, n))
                }
            };
            // Whole base64 quanta; some tokens carry padding.
            let mut t = t[..t.len() / 4 * 4].to_string();
            if self.rng.below(4) == 0 {
                t.pop();
                t.push('=');
            }
            if plausible(&t, 4.5) {
                return t;
            }
        }
    }

    fn token(&mut self) -> String {
        let kind = match self.rng.below(4) {
            0 => TokenKind::Fwo,
            1 => TokenKind::Aqod,
            _ => TokenKind::Iqoj,
        };
        self.token_of(kind)
    }

    fn account(&mut self) -> String {
        format!("{}", 100_000_000_000 + self.rng.below(899_999_999_999))
    }

    fn word(&mut self) -> String {
        const WORDS: &[&str] = &[
            "deploy",
            "backup",
            "uploader",
            "ci",
            "analytics",
            "etl",
            "media",
            "reports",
        ];
        WORDS[self.rng.below(WORDS.len() as u64) as usize].to_string()
    }
}

/// What a shape must yield.
enum Check {
    /// The key id is reported (rule `aws-access-key-id`) with this secret and session token as
    /// its companions (`None`: no such companion), at high confidence when the secret is there.
    Id {
        id: String,
        secret: Option<String>,
        token: Option<String>,
    },
    /// The secret key is reported on its own (rule `aws-secret-access-key`).
    Secret(String),
    /// The session token is reported on its own.
    Token(String),
}

struct Shape {
    name: &'static str,
    file: &'static str,
    content: String,
    checks: Vec<Check>,
}

fn pair(id: &str, secret: &str) -> Check {
    Check::Id {
        id: id.into(),
        secret: Some(secret.into()),
        token: None,
    }
}

fn triple(id: &str, secret: &str, token: &str) -> Check {
    Check::Id {
        id: id.into(),
        secret: Some(secret.into()),
        token: Some(token.into()),
    }
}

fn id_only(id: &str) -> Check {
    Check::Id {
        id: id.into(),
        secret: None,
        token: None,
    }
}

fn url_encode(s: &str) -> String {
    s.replace('/', "%2F")
        .replace('+', "%2B")
        .replace('=', "%3D")
}

/// Code that a minifier leaves around a credential: identifiers, calls, short strings.
fn minified_noise(g: &mut Gen, n: usize) -> String {
    const IDENT: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut s = String::new();
    for _ in 0..n {
        let a = g.rng.pick(IDENT, 1);
        let b = g.rng.pick(IDENT, 2);
        let c = g.rng.pick(IDENT, 8);
        let _ = write!(
            s,
            "function {a}({b}){{return {b}&&{b}.{c}?{b}.{c}(\"{c}\"):void 0}}var {b}={a}({},\"{c}\");",
            g.rng.below(1000)
        );
    }
    s
}

fn shapes(g: &mut Gen) -> Vec<Shape> {
    let mut v: Vec<Shape> = Vec::new();
    let mut add = |name: &'static str, file: &'static str, content: String, checks: Vec<Check>| {
        v.push(Shape {
            name,
            file,
            content,
            checks,
        })
    };

    // --- AWS CLI files -------------------------------------------------------------------
    let (k1, s1, k2, s2, a3, s3, t3) = (
        g.akia(),
        g.secret(),
        g.akia(),
        g.secret(),
        g.asia(),
        g.secret(),
        g.token(),
    );
    add(
        "~/.aws/credentials with long-term and temporary profiles",
        "home/.aws/credentials",
        format!(
            "[default]\naws_access_key_id = {k1}\naws_secret_access_key = {s1}\n\n[deploy]\naws_access_key_id={k2}\naws_secret_access_key={s2}\nregion = eu-west-1\n\n[temp]\naws_access_key_id = {a3}\naws_secret_access_key = {s3}\naws_session_token = {t3}\n"
        ),
        vec![pair(&k1, &s1), pair(&k2, &s2), triple(&a3, &s3, &t3)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "~/.aws/config profile with session token",
        "home/.aws/config",
        format!(
            "[default]\nregion = us-east-1\noutput = json\n\n[profile ops]\nregion = us-west-2\naws_access_key_id = {a}\naws_secret_access_key = {s}\naws_session_token = {t}\n"
        ),
        vec![triple(&a, &s, &t)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "credentials file with BOM and CRLF (edited on Windows)",
        "Users/dev/.aws/credentials",
        format!("\u{feff}[default]\r\naws_access_key_id = {k}\r\naws_secret_access_key = {s}\r\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        ".boto [Credentials]",
        "home/.boto",
        format!("[Credentials]\naws_access_key_id = {k}\naws_secret_access_key = {s}\n\n[Boto]\nhttps_validate_certificates = True\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "aws configure set in shell history",
        "home/.bash_history",
        format!("aws --version\naws configure set aws_access_key_id {k}\naws configure set aws_secret_access_key {s}\naws configure set region us-east-1\naws s3 ls\n"),
        vec![pair(&k, &s)],
    );

    // --- IAM console downloads -----------------------------------------------------------
    let (k, s, user, acct) = (g.akia(), g.secret(), g.word(), g.account());
    add(
        "IAM console credentials.csv",
        "Downloads/credentials.csv",
        format!("User name,Password,Access key ID,Secret access key,Console login link\r\n{user},,{k},{s},https://{acct}.signin.aws.amazon.com/console\r\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "IAM console accessKeys.csv",
        "Downloads/ci_accessKeys.csv",
        format!("\u{feff}Access key ID,Secret access key\r\n{k},{s}\r\n"),
        vec![pair(&k, &s)],
    );

    // --- Environment ---------------------------------------------------------------------
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        ".env with temporary credentials",
        "app/.env",
        format!("NODE_ENV=production\nAWS_REGION=us-east-1\nAWS_ACCESS_KEY_ID={a}\nAWS_SECRET_ACCESS_KEY={s}\nAWS_SESSION_TOKEN={t}\nPORT=8080\n"),
        vec![triple(&a, &s, &t)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "shell export with quotes",
        "scripts/setenv.sh",
        format!("#!/bin/sh\nexport AWS_ACCESS_KEY_ID=\"{k}\"\nexport AWS_SECRET_ACCESS_KEY=\"{s}\"\nexport AWS_DEFAULT_REGION=us-east-1\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "inline environment on one command line",
        "scripts/sync.sh",
        format!("AWS_ACCESS_KEY_ID={k} AWS_SECRET_ACCESS_KEY={s} aws s3 sync ./build s3://site-bucket --delete\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Windows set and PowerShell $env:",
        "scripts/env.ps1",
        format!("set AWS_ACCESS_KEY_ID={k}\r\n$env:AWS_SECRET_ACCESS_KEY=\"{s}\"\r\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "PowerShell Set-AWSCredential",
        "scripts/profile.ps1",
        format!("Set-AWSCredential -AccessKey {k} -SecretKey {s} -StoreAs default\r\n"),
        vec![pair(&k, &s)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "printenv dump in a CI log",
        "ci/build-1234.log",
        format!("2024-03-01T10:00:00.000Z HOME=/root\n2024-03-01T10:00:00.000Z AWS_ACCESS_KEY_ID={a}\n2024-03-01T10:00:00.000Z AWS_SECRET_ACCESS_KEY={s}\n2024-03-01T10:00:00.000Z AWS_SESSION_TOKEN={t}\n2024-03-01T10:00:00.001Z PATH=/usr/bin\n"),
        vec![triple(&a, &s, &t)],
    );

    // --- Containers and orchestration -----------------------------------------------------
    let (k, s) = (g.akia(), g.secret());
    add(
        "Dockerfile ENV with continuation lines",
        "Dockerfile",
        format!("FROM python:3.12-slim\nENV AWS_ACCESS_KEY_ID={k} \\\n    AWS_SECRET_ACCESS_KEY={s} \\\n    AWS_DEFAULT_REGION=us-east-1\nCOPY . /app\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Dockerfile ENV space form and ARG",
        "worker/Dockerfile",
        format!("FROM alpine:3.19\nARG AWS_SECRET_ACCESS_KEY={s}\nENV AWS_ACCESS_KEY_ID {k}\nRUN apk add aws-cli\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "docker run -e",
        "Makefile",
        format!("run:\n\tdocker run --rm -e AWS_ACCESS_KEY_ID={k} -e AWS_SECRET_ACCESS_KEY={s} app:latest\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "docker-compose environment map",
        "compose.yaml",
        format!("services:\n  worker:\n    image: worker\n    environment:\n      AWS_ACCESS_KEY_ID: \"{k}\"\n      AWS_SECRET_ACCESS_KEY: \"{s}\"\n      AWS_REGION: us-east-1\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "docker-compose environment list",
        "deploy/docker-compose.yml",
        format!("services:\n  app:\n    image: app\n    environment:\n      - AWS_ACCESS_KEY_ID={k}\n      - AWS_SECRET_ACCESS_KEY={s}\n"),
        vec![pair(&k, &s)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "Kubernetes Deployment env name/value pairs",
        "k8s/deployment.yaml",
        format!("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        env:\n        - name: AWS_ACCESS_KEY_ID\n          value: {a}\n        - name: AWS_SECRET_ACCESS_KEY\n          value: {s}\n        - name: AWS_SESSION_TOKEN\n          value: {t}\n"),
        vec![triple(&a, &s, &t)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Kubernetes Secret with base64 data",
        "k8s/aws-secret.yaml",
        format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws-creds\ntype: Opaque\ndata:\n  AWS_ACCESS_KEY_ID: {}\n  AWS_SECRET_ACCESS_KEY: {}\n", base64_encode(k.as_bytes()), base64_encode(s.as_bytes())),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Kubernetes Secret with stringData",
        "k8s/aws-string.yaml",
        format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws-creds\nstringData:\n  access-key-id: {k}\n  secret-access-key: {s}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    let creds = format!("[default]\naws_access_key_id = {k}\naws_secret_access_key = {s}\n");
    add(
        "Kubernetes Secret holding a base64 credentials file",
        "k8s/aws-file.yaml",
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws-file\ndata:\n  credentials: {}\n",
            base64_encode(creds.as_bytes())
        ),
        vec![pair(&k, &s)],
    );

    // --- STS and metadata output -----------------------------------------------------------
    let (a, s, t, acct) = (g.asia(), g.secret(), g.token(), g.account());
    add(
        "aws sts assume-role output",
        "out/assume-role.json",
        format!("{{\n    \"Credentials\": {{\n        \"AccessKeyId\": \"{a}\",\n        \"SecretAccessKey\": \"{s}\",\n        \"SessionToken\": \"{t}\",\n        \"Expiration\": \"2024-06-01T12:00:00+00:00\"\n    }},\n    \"AssumedRoleUser\": {{\n        \"AssumedRoleId\": \"AROA{}:session\",\n        \"Arn\": \"arn:aws:sts::{acct}:assumed-role/deploy/session\"\n    }}\n}}\n", g.rng.pick(B32, 17)),
        vec![triple(&a, &s, &t)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "aws sts get-session-token output (compact)",
        "out/session.json",
        format!("{{\"Credentials\":{{\"AccessKeyId\":\"{a}\",\"SecretAccessKey\":\"{s}\",\"SessionToken\":\"{t}\",\"Expiration\":\"2024-06-01T12:00:00Z\"}}}}\n"),
        vec![triple(&a, &s, &t)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "credential_process output",
        "bin/creds-output.json",
        format!("{{\"Version\": 1, \"AccessKeyId\": \"{a}\", \"SecretAccessKey\": \"{s}\", \"SessionToken\": \"{t}\", \"Expiration\": \"2024-06-01T12:00:00Z\"}}\n"),
        vec![triple(&a, &s, &t)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "EC2 instance metadata credentials",
        "notes/imds.txt",
        format!("$ curl http://169.254.169.254/latest/meta-data/iam/security-credentials/app-role\n{{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"2024-06-01T10:00:00Z\",\n  \"Type\" : \"AWS-HMAC\",\n  \"AccessKeyId\" : \"{a}\",\n  \"SecretAccessKey\" : \"{s}\",\n  \"Token\" : \"{t}\",\n  \"Expiration\" : \"2024-06-01T16:00:00Z\"\n}}\n"),
        vec![triple(&a, &s, &t)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "STS XML response",
        "out/sts.xml",
        format!("<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <AssumeRoleResult>\n    <Credentials>\n      <AccessKeyId>{a}</AccessKeyId>\n      <SecretAccessKey>{s}</SecretAccessKey>\n      <SessionToken>{t}</SessionToken>\n      <Expiration>2024-06-01T12:00:00Z</Expiration>\n    </Credentials>\n  </AssumeRoleResult>\n</AssumeRoleResponse>\n"),
        vec![triple(&a, &s, &t)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "boto3 assume_role response printed as a Python dict",
        "logs/worker.out",
        format!("{{'Credentials': {{'AccessKeyId': '{a}', 'SecretAccessKey': '{s}', 'SessionToken': '{t}', 'Expiration': datetime.datetime(2024, 6, 1, 12, 0, tzinfo=tzutc())}}, 'AssumedRoleUser': {{'Arn': 'arn:aws:sts::123456789012:assumed-role/r/s'}}, 'ResponseMetadata': {{'HTTPStatusCode': 200}}}}\n"),
        vec![triple(&a, &s, &t)],
    );

    // --- JSON inside JSON, escaping ----------------------------------------------------------
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "JSON-escaped credentials inside a JSON log line",
        "logs/app.jsonl",
        format!("{{\"level\":\"debug\",\"msg\":\"{{\\\"AccessKeyId\\\":\\\"{a}\\\",\\\"SecretAccessKey\\\":\\\"{s}\\\",\\\"SessionToken\\\":\\\"{t}\\\"}}\"}}\n"),
        vec![triple(&a, &s, &t)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "credentials file as a JSON string with \\n escapes",
        "state/files.json",
        format!("{{\"files\": {{\"/root/.aws/credentials\": \"[default]\\naws_access_key_id = {k}\\naws_secret_access_key = {s}\\n\"}}}}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret_with_specials());
    add(
        "JSON with escaped slashes (PHP json_encode)",
        "storage/settings.json",
        format!(
            "{{\"s3\":{{\"key\":\"{k}\",\"secret\":\"{}\",\"region\":\"us-east-1\"}}}}\n",
            s.replace('/', "\\/")
        ),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret_with_specials());
    add(
        "JSON with \\u002B and \\u002F escapes (.NET System.Text.Json)",
        "logs/dotnet.json",
        format!(
            "{{\"AWS\":{{\"AccessKey\":\"{k}\",\"SecretKey\":\"{}\"}}}}\n",
            s.replace('+', "\\u002B").replace('/', "\\u002F")
        ),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "HTML-escaped JSON in an attribute",
        "public/index.html",
        format!("<div id=\"app\" data-config=\"{{&quot;accessKeyId&quot;:&quot;{k}&quot;,&quot;secretAccessKey&quot;:&quot;{s}&quot;}}\"></div>\n"),
        vec![pair(&k, &s)],
    );

    let (k, s) = (g.akia(), g.secret_with_specials());
    add(
        "HTML numeric character references (Go html/template)",
        "public/settings.html",
        format!(
            "<input name=\"access_key\" value=\"{k}\">\n<input name=\"secret_key\" value=\"{}\">\n",
            s.replace('+', "&#43;").replace('/', "&#x2F;")
        ),
        vec![pair(&k, &s)],
    );

    // --- Notebooks -----------------------------------------------------------------------
    let (k, s) = (g.akia(), g.secret());
    let (a, s2, t) = (g.asia(), g.secret(), g.token());
    add(
        "Jupyter notebook source and output cells",
        "notebooks/explore.ipynb",
        format!("{{\n \"cells\": [\n  {{\n   \"cell_type\": \"code\",\n   \"execution_count\": 1,\n   \"metadata\": {{}},\n   \"outputs\": [],\n   \"source\": [\n    \"import boto3\\n\",\n    \"s3 = boto3.client(\\\"s3\\\", aws_access_key_id=\\\"{k}\\\", aws_secret_access_key=\\\"{s}\\\")\"\n   ]\n  }},\n  {{\n   \"cell_type\": \"code\",\n   \"execution_count\": 2,\n   \"metadata\": {{}},\n   \"outputs\": [\n    {{\n     \"data\": {{\n      \"text/plain\": [\n       \"{{'AccessKeyId': '{a}',\\n\",\n       \" 'SecretAccessKey': '{s2}',\\n\",\n       \" 'SessionToken': '{t}',\\n\",\n       \" 'Expiration': datetime.datetime(2024, 6, 1, 12, 0, tzinfo=tzutc())}}\"\n      ]\n     }},\n     \"execution_count\": 2,\n     \"metadata\": {{}},\n     \"output_type\": \"execute_result\"\n    }}\n   ],\n   \"source\": [\n    \"sts.assume_role(RoleArn=arn, RoleSessionName='nb')['Credentials']\"\n   ]\n  }}\n ],\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}}\n"),
        vec![pair(&k, &s), triple(&a, &s2, &t)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "Jupyter stdout stream output",
        "notebooks/creds.ipynb",
        format!("{{\"cells\": [{{\"cell_type\": \"code\", \"outputs\": [{{\"name\": \"stdout\", \"output_type\": \"stream\", \"text\": [\"AWS_ACCESS_KEY_ID={a}\\n\", \"AWS_SECRET_ACCESS_KEY={s}\\n\", \"AWS_SESSION_TOKEN={t}\\n\"]}}], \"source\": [\"!env | grep AWS\"]}}], \"nbformat\": 4}}\n"),
        vec![triple(&a, &s, &t)],
    );

    // --- SDK calls -----------------------------------------------------------------------
    let (k, s) = (g.akia(), g.secret());
    add(
        "boto3.client on one line",
        "app/storage.py",
        format!("import boto3\n\ns3 = boto3.client('s3', aws_access_key_id='{k}', aws_secret_access_key='{s}', region_name='us-east-1')\n"),
        vec![pair(&k, &s)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "boto3.Session with session token",
        "app/session.py",
        format!("session = boto3.Session(\n    aws_access_key_id=\"{a}\",\n    aws_secret_access_key=\"{s}\",\n    aws_session_token=\"{t}\",\n)\n"),
        vec![triple(&a, &s, &t)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "boto 2 connect_s3 positional",
        "legacy/backup.py",
        format!("import boto\nconn = boto.connect_s3('{k}', '{s}')\nbucket = conn.get_bucket('backups')\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Python module constants",
        "app/settings.py",
        format!("AWS_ACCESS_KEY_ID = '{k}'\nAWS_SECRET_ACCESS_KEY = '{s}'\nAWS_STORAGE_BUCKET_NAME = 'media'\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Python os.environ assignment",
        "app/boot.py",
        format!("import os\nos.environ['AWS_ACCESS_KEY_ID'] = '{k}'\nos.environ['AWS_SECRET_ACCESS_KEY'] = '{s}'\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Java BasicAWSCredentials",
        "src/main/java/com/acme/S3.java",
        format!("package com.acme;\n\npublic class S3 {{\n    private static final AWSCredentials CREDS = new BasicAWSCredentials(\"{k}\", \"{s}\");\n}}\n"),
        vec![pair(&k, &s)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "Java SDK v2 AwsSessionCredentials.create",
        "src/main/java/com/acme/Sts.java",
        format!("AwsSessionCredentials creds = AwsSessionCredentials.create(\n    \"{a}\",\n    \"{s}\",\n    \"{t}\");\n"),
        vec![triple(&a, &s, &t)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Kotlin constants and BasicAWSCredentials",
        "src/main/kotlin/Storage.kt",
        format!("private const val ACCESS_KEY = \"{k}\"\nprivate const val SECRET_KEY = \"{s}\"\n\nval client = AmazonS3ClientBuilder.standard()\n    .withCredentials(AWSStaticCredentialsProvider(BasicAWSCredentials(ACCESS_KEY, SECRET_KEY)))\n    .build()\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Go NewStaticCredentials",
        "cmd/upload/main.go",
        format!("sess := session.Must(session.NewSession(&aws.Config{{\n\tRegion:      aws.String(\"us-east-1\"),\n\tCredentials: credentials.NewStaticCredentials(\"{k}\", \"{s}\", \"\"),\n}}))\n"),
        vec![pair(&k, &s)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "Go SDK v2 NewStaticCredentialsProvider with token",
        "internal/aws.go",
        format!("cfg.Credentials = credentials.NewStaticCredentialsProvider(\"{a}\", \"{s}\", \"{t}\")\n"),
        vec![triple(&a, &s, &t)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "JS new AWS.Config",
        "src/aws.js",
        format!("const config = new AWS.Config({{\n  accessKeyId: '{k}',\n  secretAccessKey: '{s}',\n  region: 'us-east-1'\n}});\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "JS AWS.config.update on one line",
        "src/init.js",
        format!("AWS.config.update({{accessKeyId: \"{k}\", secretAccessKey: \"{s}\", region: \"eu-west-1\"}});\n"),
        vec![pair(&k, &s)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "JS SDK v3 credentials object",
        "src/client.ts",
        format!("const s3 = new S3Client({{\n  region: \"us-east-1\",\n  credentials: {{\n    accessKeyId: \"{a}\",\n    secretAccessKey: \"{s}\",\n    sessionToken: \"{t}\",\n  }},\n}});\n"),
        vec![triple(&a, &s, &t)],
    );
    let (k, s) = (g.akia(), g.secret());
    let (pre, post) = (minified_noise(g, 120), minified_noise(g, 120));
    add(
        "minified JS bundle",
        "dist/main.3f9a1c.js",
        format!("{pre}var AWS_CFG={{region:\"us-east-1\",credentials:{{accessKeyId:\"{k}\",secretAccessKey:\"{s}\"}}}};{post}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        ".NET appsettings.json",
        "src/Api/appsettings.json",
        format!("{{\n  \"Logging\": {{ \"LogLevel\": {{ \"Default\": \"Information\" }} }},\n  \"AWS\": {{\n    \"Profile\": \"default\",\n    \"Region\": \"us-east-1\",\n    \"AccessKey\": \"{k}\",\n    \"SecretKey\": \"{s}\"\n  }}\n}}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "C# BasicAWSCredentials",
        "src/Api/Storage.cs",
        format!("var credentials = new BasicAWSCredentials(\"{k}\", \"{s}\");\nvar client = new AmazonS3Client(credentials, RegionEndpoint.USEast1);\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "PHP SDK client array",
        "public/upload.php",
        format!("<?php\n$s3 = new Aws\\S3\\S3Client([\n    'version'     => 'latest',\n    'region'      => 'us-east-1',\n    'credentials' => [\n        'key'    => '{k}',\n        'secret' => '{s}',\n    ],\n]);\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Laravel config with env() defaults",
        "config/filesystems.php",
        format!("'s3' => [\n    'driver' => 's3',\n    'key' => env('AWS_ACCESS_KEY_ID', '{k}'),\n    'secret' => env('AWS_SECRET_ACCESS_KEY', '{s}'),\n    'region' => env('AWS_DEFAULT_REGION', 'us-east-1'),\n],\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Ruby Aws::Credentials.new",
        "lib/uploader.rb",
        format!("Aws.config.update(\n  region: 'us-east-1',\n  credentials: Aws::Credentials.new('{k}', '{s}')\n)\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Ruby hash rockets (CarrierWave/fog)",
        "config/initializers/carrierwave.rb",
        format!("CarrierWave.configure do |config|\n  config.fog_credentials = {{\n    :provider              => 'AWS',\n    :aws_access_key_id     => '{k}',\n    :aws_secret_access_key => '{s}',\n    :region                => 'us-east-1'\n  }}\nend\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Rails storage.yml",
        "config/storage.yml",
        format!("amazon:\n  service: S3\n  access_key_id: {k}\n  secret_access_key: {s}\n  region: us-east-1\n  bucket: app-uploads\n"),
        vec![pair(&k, &s)],
    );

    let (k, s) = (g.akia(), g.secret());
    add(
        ".NET web.config appSettings",
        "src/Web/Web.config",
        format!("<configuration>\n  <appSettings>\n    <add key=\"AWSAccessKey\" value=\"{k}\" />\n    <add key=\"AWSSecretKey\" value=\"{s}\" />\n    <add key=\"AWSRegion\" value=\"us-east-1\" />\n  </appSettings>\n</configuration>\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "ECS task definition environment",
        "ecs/task-definition.json",
        format!("{{\n  \"family\": \"worker\",\n  \"containerDefinitions\": [\n    {{\n      \"name\": \"worker\",\n      \"environment\": [\n        {{ \"name\": \"AWS_ACCESS_KEY_ID\", \"value\": \"{k}\" }},\n        {{ \"name\": \"AWS_SECRET_ACCESS_KEY\", \"value\": \"{s}\" }}\n      ]\n    }}\n  ]\n}}\n"),
        vec![pair(&k, &s)],
    );

    // --- Infrastructure as code and CI -----------------------------------------------------
    let (k, s) = (g.akia(), g.secret());
    add(
        "Terraform provider block",
        "infra/provider.tf",
        format!("provider \"aws\" {{\n  region     = \"us-east-1\"\n  access_key = \"{k}\"\n  secret_key = \"{s}\"\n}}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Terraform tfvars",
        "infra/prod.auto.tfvars",
        format!(
            "aws_region     = \"us-east-1\"\naws_access_key = \"{k}\"\naws_secret_key = \"{s}\"\n"
        ),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Terraform S3 backend block",
        "infra/backend.tf",
        format!("terraform {{\n  backend \"s3\" {{\n    bucket     = \"tf-state\"\n    key        = \"prod/terraform.tfstate\"\n    region     = \"us-east-1\"\n    access_key = \"{k}\"\n    secret_key = \"{s}\"\n  }}\n}}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Jenkinsfile withEnv",
        "Jenkinsfile",
        format!("pipeline {{\n  agent any\n  stages {{\n    stage('Deploy') {{\n      steps {{\n        withEnv([\"AWS_ACCESS_KEY_ID={k}\", \"AWS_SECRET_ACCESS_KEY={s}\"]) {{\n          sh 'aws s3 sync build s3://site'\n        }}\n      }}\n    }}\n  }}\n}}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Jenkinsfile environment block",
        "ci/Jenkinsfile.deploy",
        format!("pipeline {{\n  environment {{\n    AWS_ACCESS_KEY_ID     = '{k}'\n    AWS_SECRET_ACCESS_KEY = '{s}'\n  }}\n}}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "GitHub Actions configure-aws-credentials",
        ".github/workflows/deploy.yml",
        format!("jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-access-key-id: {k}\n          aws-secret-access-key: {s}\n          aws-region: us-east-1\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "GitLab CI variables",
        ".gitlab-ci.yml",
        format!("variables:\n  AWS_DEFAULT_REGION: us-east-1\n  AWS_ACCESS_KEY_ID: \"{k}\"\n  AWS_SECRET_ACCESS_KEY: \"{s}\"\n\ndeploy:\n  script:\n    - aws s3 sync public s3://site\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Serverless config credentials command",
        "README-deploy.md",
        format!("Run once:\n\n```\nserverless config credentials --provider aws --key {k} --secret {s}\n```\n"),
        vec![pair(&k, &s)],
    );

    // --- Tools' own configuration files ---------------------------------------------------
    let (k, s) = (g.akia(), g.secret());
    let mut s3cfg = format!("[default]\naccess_key = {k}\naccess_token = \nadd_encoding_exts = \nadd_headers = \nbucket_location = US\nca_certs_file = \ncache_file = \ncheck_ssl_certificate = True\ncheck_ssl_hostname = True\ncloudfront_host = cloudfront.amazonaws.com\n");
    for opt in [
        "connection_max_age = 5",
        "connection_pooling = True",
        "content_disposition = ",
        "content_type = ",
        "default_mime_type = binary/octet-stream",
        "delay_updates = False",
        "delete_after = False",
        "delete_after_fetch = False",
        "delete_removed = False",
        "dry_run = False",
        "enable_multipart = True",
        "encoding = UTF-8",
        "encrypt = False",
        "expiry_date = ",
        "expiry_days = ",
        "expiry_prefix = ",
        "follow_symlinks = False",
        "force = False",
        "get_continue = False",
        "gpg_command = /usr/bin/gpg",
        "gpg_passphrase = ",
        "guess_mime_type = True",
        "host_base = s3.amazonaws.com",
        "host_bucket = %(bucket)s.s3.amazonaws.com",
        "human_readable_sizes = False",
        "multipart_chunk_size_mb = 15",
        "proxy_host = ",
        "proxy_port = 0",
        "public_url_use_https = False",
        "recursive = False",
        "reduced_redundancy = False",
        "requester_pays = False",
    ] {
        s3cfg.push_str(opt);
        s3cfg.push('\n');
    }
    let _ = write!(
        s3cfg,
        "secret_key = {s}\nsend_chunk = 65536\nserver_side_encryption = False\nsignature_v2 = False\n"
    );
    add(
        "s3cmd .s3cfg as s3cmd --configure writes it (id and secret 35 lines apart)",
        "home/.s3cfg",
        s3cfg,
        vec![id_only(&k), Check::Secret(s.clone())],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "rclone.conf",
        "home/.config/rclone/rclone.conf",
        format!("[s3remote]\ntype = s3\nprovider = AWS\nenv_auth = false\naccess_key_id = {k}\nsecret_access_key = {s}\nregion = us-east-1\nacl = private\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "s3fs passwd file",
        "etc/passwd-s3fs",
        format!("{k}:{s}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "s3fs passwd file with bucket",
        "home/.passwd-s3fs",
        format!("media-bucket:{k}:{s}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Spark conf space-separated",
        "conf/spark-defaults.conf",
        format!("spark.master yarn\nspark.hadoop.fs.s3a.access.key {k}\nspark.hadoop.fs.s3a.secret.key {s}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "spark-submit --conf on one line",
        "jobs/run.sh",
        format!("spark-submit --conf spark.hadoop.fs.s3a.access.key={k} --conf spark.hadoop.fs.s3a.secret.key={s} job.py\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Spring Cloud AWS properties",
        "src/main/resources/application.properties",
        format!("spring.application.name=api\ncloud.aws.credentials.access-key={k}\ncloud.aws.credentials.secret-key={s}\ncloud.aws.region.static=us-east-1\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Logstash S3 output",
        "logstash/pipeline.conf",
        format!("output {{\n  s3 {{\n    access_key_id => \"{k}\"\n    secret_access_key => \"{s}\"\n    bucket => \"logs\"\n  }}\n}}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Fluentd S3 output",
        "fluentd/fluent.conf",
        format!("<match app.**>\n  @type s3\n  aws_key_id {k}\n  aws_sec_key {s}\n  s3_bucket logs\n</match>\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Postman environment",
        "postman/prod.postman_environment.json",
        format!("{{\n  \"name\": \"prod\",\n  \"values\": [\n    {{\n      \"key\": \"accessKey\",\n      \"value\": \"{k}\",\n      \"enabled\": true\n    }},\n    {{\n      \"key\": \"secretKey\",\n      \"value\": \"{s}\",\n      \"enabled\": true\n    }}\n  ]\n}}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret_with_specials());
    add(
        "Airflow connection URI (URL-encoded secret)",
        "airflow/.env",
        format!(
            "AIRFLOW_CONN_AWS_DEFAULT=aws://{k}:{}@/?region_name=us-east-1\n",
            url_encode(&s)
        ),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "SQL insert of settings",
        "db/seed.sql",
        format!("INSERT INTO settings (name, value) VALUES\n  ('aws_access_key', '{k}'),\n  ('aws_secret_key', '{s}');\n"),
        vec![pair(&k, &s)],
    );

    // --- URLs --------------------------------------------------------------------------------
    let k = g.akia();
    let sig = g.rng.pick(b"0123456789abcdef", 64);
    add(
        "presigned SigV4 URL",
        "share/links.md",
        format!("[report](https://reports.s3.amazonaws.com/q1.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={k}%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=604800&X-Amz-SignedHeaders=host&X-Amz-Signature={sig})\n"),
        vec![id_only(&k)],
    );
    let (a, t) = (g.asia(), g.token());
    let sig = g.rng.pick(b"0123456789abcdef", 64);
    add(
        "presigned SigV4 URL with X-Amz-Security-Token",
        "share/temp-link.txt",
        format!("https://media.s3.us-east-1.amazonaws.com/v.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={a}%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=3600&X-Amz-Security-Token={}&X-Amz-SignedHeaders=host&X-Amz-Signature={sig}\n", url_encode(&t)),
        vec![Check::Id {
            id: a.clone(),
            secret: None,
            token: Some(t.clone()),
        }],
    );
    let k = g.akia();
    let sig = url_encode(&format!("{}=", g.rng.pick(B64, 27)));
    add(
        "presigned SigV2 URL",
        "share/old-link.html",
        format!("<a href=\"https://bucket.s3.amazonaws.com/file.zip?AWSAccessKeyId={k}&amp;Expires=1704067200&amp;Signature={sig}\">download</a>\n"),
        vec![id_only(&k)],
    );
    let (k, s) = (g.akia(), g.secret_with_specials());
    add(
        "URL-encoded form body",
        "logs/access.log",
        format!("10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] \"POST /api/settings HTTP/1.1\" 200 body=aws_access_key_id={k}&aws_secret_access_key={}&region=us-east-1\n", url_encode(&s)),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret_with_specials());
    add(
        "s3:// URL with credentials",
        "etl/job.conf",
        format!("source = \"s3://{k}:{}@data-lake/raw/\"\n", url_encode(&s)),
        vec![pair(&k, &s)],
    );

    // --- Layout variants ---------------------------------------------------------------------
    let (k, s) = (g.akia(), g.secret());
    add(
        "quoted values with trailing spaces and CRLF",
        "conf/app.cfg",
        format!("aws_access_key_id = \"{k}\"   \r\naws_secret_access_key = \"{s}\"   \r\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "unquoted values with trailing whitespace",
        "conf/other.ini",
        format!("[aws]\naccess_key = {k}  \t\nsecret_key = {s}  \n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "id:secret on one line",
        "notes/keys.txt",
        format!("prod uploader {k}:{s}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "id,secret on one line",
        "notes/keys.csv",
        format!("name,id,secret\nuploader,{k},{s}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "id and secret separated by spaces and pipes",
        "notes/handover.md",
        format!("| service | key | secret |\n|---|---|---|\n| backup | `{k}` | `{s}` |\nkey {k} secret {s}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "id and secret in a JSON array",
        "config/keys.json",
        format!("{{\"aws\": [\"{k}\", \"{s}\"]}}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "semicolon-separated connection string",
        "config/conn.txt",
        format!("S3=AccessKey={k};SecretKey={s};Region=us-east-1;\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "secret five lines below the id",
        "config/far.yml",
        format!("aws:\n  access_key_id: {k}\n  region: us-east-1\n  bucket: uploads\n  prefix: incoming/\n  acl: private\n  secret_access_key: {s}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "secret above the id",
        "config/reverse.yml",
        format!("secret: {s}\nregion: us-east-1\nbucket: data\nkey: {k}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "secret on the next line of a YAML block scalar",
        "config/block.yml",
        format!("aws_access_key_id: {k}\naws_secret_access_key: >-\n  {s}\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "file without trailing newline",
        "config/eof.env",
        format!("AWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "tab-separated values",
        "exports/keys.tsv",
        format!("user\taccess_key\tsecret_key\n{}\t{k}\t{s}\n", g.word()),
        vec![pair(&k, &s)],
    );

    // --- Logs --------------------------------------------------------------------------------
    let (k, s) = (g.akia(), g.secret());
    add(
        "application log key=value",
        "logs/service.log",
        format!("2024-01-01 00:00:00,123 INFO [main] s3 client created access_key={k} secret_key={s} region=us-east-1\n"),
        vec![pair(&k, &s)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "structured JSON log of credentials",
        "logs/events.ndjson",
        format!("{{\"ts\":\"2024-01-01T00:00:00Z\",\"event\":\"assumed\",\"credentials\":{{\"accessKeyId\":\"{a}\",\"secretAccessKey\":\"{s}\",\"sessionToken\":\"{t}\"}}}}\n"),
        vec![triple(&a, &s, &t)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Java toString in a stack trace",
        "logs/error.log",
        format!("ERROR c.a.Uploader - failed with BasicAWSCredentials(accessKey={k}, secretKey={s})\n\tat com.acme.Uploader.run(Uploader.java:42)\n"),
        vec![pair(&k, &s)],
    );

    // --- Mobile apps, CMS plugins, HTTP --------------------------------------------------------
    let (k, s) = (g.akia(), g.secret());
    add(
        "Android strings.xml",
        "app/src/main/res/values/strings.xml",
        format!("<resources>\n    <string name=\"app_name\">Uploader</string>\n    <string name=\"aws_access_key\">{k}</string>\n    <string name=\"aws_secret_key\">{s}</string>\n</resources>\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "iOS Info.plist",
        "ios/App/Info.plist",
        format!("<dict>\n\t<key>AWSAccessKey</key>\n\t<string>{k}</string>\n\t<key>AWSSecretKey</key>\n\t<string>{s}</string>\n</dict>\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Swift AWSStaticCredentialsProvider",
        "ios/App/AWS.swift",
        format!(
            "let provider = AWSStaticCredentialsProvider(accessKey: \"{k}\", secretKey: \"{s}\")\n"
        ),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "Rust aws_credential_types::Credentials::new",
        "src/storage.rs",
        format!("let creds = Credentials::new(\n    \"{k}\",\n    \"{s}\",\n    None,\n    None,\n    \"static\",\n);\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "wp-config.php define()",
        "wordpress/wp-config.php",
        format!("<?php\ndefine( 'AS3CF_SETTINGS', serialize( array(\n    'provider' => 'aws',\n    'access-key-id' => '{k}',\n    'secret-access-key' => '{s}',\n) ) );\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "PHP serialized option in a database dump",
        "backup/wp_options.sql",
        format!("INSERT INTO `wp_options` VALUES (412,'tantan_wordpress_s3','a:3:{{s:3:\\\"key\\\";s:20:\\\"{k}\\\";s:6:\\\"secret\\\";s:40:\\\"{s}\\\";s:6:\\\"bucket\\\";s:7:\\\"uploads\\\";}}','yes');\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "IAM create-access-key output",
        "out/create-access-key.json",
        format!("{{\n    \"AccessKey\": {{\n        \"UserName\": \"{}\",\n        \"AccessKeyId\": \"{k}\",\n        \"Status\": \"Active\",\n        \"SecretAccessKey\": \"{s}\",\n        \"CreateDate\": \"2024-01-01T00:00:00+00:00\"\n    }}\n}}\n", g.word()),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "curl --aws-sigv4 --user id:secret",
        "scripts/get.sh",
        format!("curl --aws-sigv4 \"aws:amz:us-east-1:s3\" --user \"{k}:{s}\" https://bucket.s3.amazonaws.com/file\n"),
        vec![pair(&k, &s)],
    );
    let (a, t) = (g.asia(), g.token());
    let sig = g.rng.pick(b"0123456789abcdef", 64);
    add(
        "captured SigV4 request headers",
        "logs/http-trace.txt",
        format!("GET /file HTTP/1.1\r\nHost: bucket.s3.amazonaws.com\r\nX-Amz-Date: 20240101T000000Z\r\nX-Amz-Security-Token: {t}\r\nAuthorization: AWS4-HMAC-SHA256 Credential={a}/20240101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature={sig}\r\n\r\n"),
        vec![Check::Id {
            id: a.clone(),
            secret: None,
            token: Some(t.clone()),
        }],
    );
    let k = g.akia();
    let sig = format!("{}=", g.rng.pick(B64, 27));
    add(
        "SigV2 Authorization header",
        "logs/s3-v2.txt",
        format!("PUT /photo.jpg HTTP/1.1\nAuthorization: AWS {k}:{sig}\n"),
        vec![id_only(&k)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "HTTP Basic header with base64 id:secret",
        "logs/proxy.log",
        format!(
            "Authorization: Basic {}\n",
            base64_encode(format!("{k}:{s}").as_bytes())
        ),
        vec![pair(&k, &s)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    let json =
        format!("{{\"AccessKeyId\":\"{a}\",\"SecretAccessKey\":\"{s}\",\"SessionToken\":\"{t}\"}}");
    add(
        "base64 of credential_process JSON",
        "ci/creds.b64",
        format!("CREDS={}\n", base64_encode(json.as_bytes())),
        vec![triple(&a, &s, &t)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "Kubernetes Secret with base64 temporary credentials",
        "k8s/aws-temp.yaml",
        format!("apiVersion: v1\nkind: Secret\ndata:\n  AWS_ACCESS_KEY_ID: {}\n  AWS_SECRET_ACCESS_KEY: {}\n  AWS_SESSION_TOKEN: {}\n", base64_encode(a.as_bytes()), base64_encode(s.as_bytes()), base64_encode(t.as_bytes())),
        vec![triple(&a, &s, &t)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "systemd unit Environment=",
        "etc/systemd/system/backup.service",
        format!("[Service]\nEnvironment=\"AWS_ACCESS_KEY_ID={k}\" \"AWS_SECRET_ACCESS_KEY={s}\"\nExecStart=/usr/local/bin/backup\n"),
        vec![pair(&k, &s)],
    );
    let (k, s) = (g.akia(), g.secret());
    add(
        "MinIO client config",
        "home/.mc/config.json",
        format!("{{\n  \"version\": \"10\",\n  \"aliases\": {{\n    \"s3\": {{\n      \"url\": \"https://s3.amazonaws.com\",\n      \"accessKey\": \"{k}\",\n      \"secretKey\": \"{s}\",\n      \"api\": \"s3v4\",\n      \"path\": \"dns\"\n    }}\n  }}\n}}\n"),
        vec![pair(&k, &s)],
    );

    let (k, s) = (g.akia(), g.secret());
    add(
        "terminal session log with ANSI colors",
        "logs/terminal.log",
        format!("$ ./show-creds\n\x1b[32mAccess key:\x1b[0m \x1b[1m{k}\x1b[0m\n\x1b[32mSecret key:\x1b[0m \x1b[1m{s}\x1b[0m\n"),
        vec![pair(&k, &s)],
    );
    let (a, s, t) = (g.asia(), g.secret(), g.token());
    add(
        "notebook stream output with escaped ANSI colors",
        "notebooks/colored.ipynb",
        format!("{{\"cells\": [{{\"cell_type\": \"code\", \"outputs\": [{{\"name\": \"stdout\", \"output_type\": \"stream\", \"text\": [\"\\u001b[1;32mAccessKeyId\\u001b[0m     \\u001b[1m{a}\\u001b[0m\\n\", \"\\u001b[1;32mSecretAccessKey\\u001b[0m \\u001b[1m{s}\\u001b[0m\\n\", \"\\u001b[1;32mSessionToken\\u001b[0m    \\u001b[1m{t}\\u001b[0m\\n\"]}}]}}]}}\n"),
        vec![triple(&a, &s, &t)],
    );

    // --- A secret without its key id ------------------------------------------------------
    for (name, file, fmt) in [
        (
            "lone secret: .env",
            "lone/.env",
            "AWS_SECRET_ACCESS_KEY={}\n",
        ),
        (
            "lone secret: credentials file",
            "lone/credentials",
            "[default]\naws_secret_access_key = {}\n",
        ),
        (
            "lone secret: JSON",
            "lone/secret.json",
            "{\"SecretAccessKey\": \"{}\"}\n",
        ),
        (
            "lone secret: JS object",
            "lone/cfg.js",
            "module.exports = { secretAccessKey: '{}' };\n",
        ),
        (
            "lone secret: AWS_SECRET_KEY",
            "lone/env.sh",
            "export AWS_SECRET_KEY=\"{}\"\n",
        ),
        (
            "lone secret: aws_secret_key YAML",
            "lone/vars.yml",
            "aws_secret_key: {}\n",
        ),
        (
            "lone secret: Ruby hash rocket",
            "lone/fog.rb",
            ":aws_secret_access_key => '{}',\n",
        ),
        (
            "lone secret: aws configure set",
            "lone/history",
            "aws configure set aws_secret_access_key {}\n",
        ),
        ("lone secret: S3_SECRET", "lone/s3.env", "S3_SECRET={}\n"),
        (
            "lone secret: AWS_ACCESS_SECRET",
            "lone/access.env",
            "AWS_ACCESS_SECRET='{}'\n",
        ),
        (
            "lone secret: Fluentd aws_sec_key",
            "lone/fluent.conf",
            "<match **>\n  @type s3\n  aws_sec_key {}\n</match>\n",
        ),
        (
            "lone secret: misnamed secret key id",
            "lone/misnamed.yml",
            "aws_secret_access_key_id: {}\n",
        ),
        (
            "lone secret: .NET web.config appSettings",
            "lone/web.config",
            "<appSettings>\n  <add key=\"AWSSecretKey\" value=\"{}\" />\n</appSettings>\n",
        ),
        (
            "lone secret: ECS task definition environment",
            "lone/taskdef.json",
            "{\"environment\": [{\"name\": \"AWS_SECRET_ACCESS_KEY\", \"value\": \"{}\"}]}\n",
        ),
        (
            "lone secret: Kubernetes env name/value",
            "lone/pod.yaml",
            "env:\n  - name: AWS_SECRET_ACCESS_KEY\n    value: \"{}\"\n",
        ),
        (
            "lone secret: CloudFormation Name/Value",
            "lone/stack.yaml",
            "Environment:\n  - Name: AWS_SECRET_ACCESS_KEY\n    Value: {}\n",
        ),
        (
            "lone secret: Terraform variable default",
            "lone/variables.tf",
            "variable \"aws_secret_key\" {\n  default = \"{}\"\n}\n",
        ),
    ] {
        let s = g.secret();
        add(name, file, fmt.replace("{}", &s), vec![Check::Secret(s)]);
    }
    let t = g.token();
    add(
        "lone session token",
        "lone/token.env",
        format!("AWS_SESSION_TOKEN={t}\n"),
        vec![Check::Token(t)],
    );
    v
}

fn write(dir: &Path, file: &str, content: &str) {
    let p = dir.join(file);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

fn seed() -> u64 {
    std::env::var("KEYWARD_SHAPES_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        })
}

/// Checks every shape's findings; returns one line per problem.
fn check_shape(all: &[serde_json::Value], path: &str, shape: &Shape) -> Vec<String> {
    let mut problems = Vec::new();
    let in_file: Vec<&serde_json::Value> = all.iter().filter(|f| f["path"] == path).collect();
    let mut used = vec![false; in_file.len()];
    let comp = |f: &serde_json::Value, name: &str| {
        f["companions"]
            .as_array()
            .and_then(|cs| cs.iter().find(|x| x["name"] == name))
            .and_then(|x| x["secret"].as_str())
            .map(str::to_string)
    };
    let mut values: Vec<&str> = Vec::new();
    for c in &shape.checks {
        let (rule, value) = match c {
            Check::Id { id, secret, token } => {
                values.push(id);
                values.extend(secret.as_deref());
                values.extend(token.as_deref());
                ("aws-access-key-id", id.as_str())
            }
            Check::Secret(s) => {
                values.push(s);
                ("aws-secret-access-key", s.as_str())
            }
            Check::Token(t) => {
                values.push(t);
                ("", t.as_str())
            }
        };
        let found = in_file
            .iter()
            .position(|f| f["secret"] == value && (rule.is_empty() || f["rule"] == rule));
        let Some(i) = found else {
            problems.push(format!("{rule} {value} not found"));
            continue;
        };
        used[i] = true;
        let f = in_file[i];
        if let Check::Id { secret, token, .. } = c {
            let got = comp(f, "secret_access_key");
            if got != *secret {
                problems.push(format!(
                    "{value}: secret companion {got:?}, want {secret:?}"
                ));
            }
            let got = comp(f, "session_token");
            if got != *token {
                problems.push(format!(
                    "{value}: session token companion {got:?}, want {token:?}"
                ));
            }
            let want = if secret.is_some() { "high" } else { "medium" };
            if f["confidence"] != want {
                problems.push(format!(
                    "{value}: confidence {}, want {want}",
                    f["confidence"]
                ));
            }
        }
    }
    // A value reported once: a paired secret is not reported again on its own, and nothing
    // else in the file is an AWS finding.
    for (i, f) in in_file.iter().enumerate() {
        if used[i] {
            continue;
        }
        let secret = f["secret"].as_str().unwrap_or("");
        let aws = f["rule"].as_str().unwrap_or("").starts_with("aws-");
        if aws
            || values
                .iter()
                .any(|v| secret.contains(v) || v.contains(secret))
        {
            problems.push(format!("extra finding {}={secret}", f["rule"]));
        }
    }
    problems
}

#[test]
fn aws_credentials_are_found_in_every_leak_shape() {
    let seed = seed();
    let mut g = Gen {
        rng: Rng::new(seed),
    };
    let dir = tempfile::tempdir().unwrap();
    let mut rounds = Vec::new();
    for r in 0..ROUNDS {
        let shapes = shapes(&mut g);
        for s in &shapes {
            write(dir.path(), &format!("r{r}/{}", s.file), &s.content);
        }
        rounds.push(shapes);
    }
    let (_, report) = scan_json(dir.path(), &[]);
    let all = findings(&report);
    let mut failures = Vec::new();
    for (r, shapes) in rounds.iter().enumerate() {
        for s in shapes {
            let path = format!("r{r}/{}", s.file);
            for p in check_shape(all, &path, s) {
                failures.push(format!("[{}] {path}: {p}", s.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "seed {seed} (replay with KEYWARD_SHAPES_SEED={seed}): {} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Documentation keys, masks and references in the same shapes stay silent.
#[test]
fn aws_look_alikes_in_leak_shapes_are_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    let files: &[(&str, &str)] = &[
        (
            "home/.aws/credentials",
            "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
        ),
        (
            "app/.env",
            "AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX\nAWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}\nAWS_SESSION_TOKEN=${AWS_SESSION_TOKEN}\n",
        ),
        (
            "app/settings.py",
            "AWS_ACCESS_KEY_ID = os.environ['AWS_ACCESS_KEY_ID']\nAWS_SECRET_ACCESS_KEY = os.getenv('AWS_SECRET_ACCESS_KEY')\n",
        ),
        (
            ".github/workflows/ci.yml",
            "with:\n  aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n  aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n",
        ),
        (
            "out/sts.json",
            "{\"Credentials\": {\"AccessKeyId\": \"ASIAXXXXXXXXXXXXXXXX\", \"SecretAccessKey\": \"****************************************\", \"SessionToken\": \"<session-token>\"}}\n",
        ),
        (
            "src/main/java/S3.java",
            "new BasicAWSCredentials(\"AKIAIOSFODNN7EXAMPLE\", \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\");\n",
        ),
        (
            "infra/provider.tf",
            "provider \"aws\" {\n  access_key = var.aws_access_key\n  secret_key = var.aws_secret_key\n}\n",
        ),
        (
            "k8s/secret.yaml",
            "data:\n  AWS_ACCESS_KEY_ID: QUtJQUlPU0ZPRE5ON0VYQU1QTEU=\n  AWS_SECRET_ACCESS_KEY: d0phbHJYVXRuRkVNSS9LN01ERU5HL2JQeFJmaUNZRVhBTVBMRUtFWQ==\n",
        ),
        (
            "storage/settings.json",
            "{\"key\":\"AKIAIOSFODNN7EXAMPLE\",\"secret\":\"wJalrXUtnFEMI\\/K7MDENG\\/bPxRfiCYEXAMPLEKEY\"}\n",
        ),
    ];
    for (name, content) in files {
        write(dir.path(), name, content);
    }
    let (code, report) = scan_json(dir.path(), &[]);
    assert_eq!(
        code,
        0,
        "{}",
        serde_json::to_string_pretty(&report).unwrap()
    );
}
