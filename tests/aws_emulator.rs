//! The AWS side of the tests: the moto server (PyPI `moto[server]`, installed by
//! scripts/test.sh) started on 127.0.0.1 per test, with its request recorder; and a loopback
//! CloudTrail server for the one API moto lacks, LookupEvents (JSON 1.1), with recorded events.
//! Requests to both are made by the real AWS SDK inside the `keyward` binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::util::{keyward, run_command, Run};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// True when the AWS tests should be skipped (`KEYWARD_SKIP_AWS=1`).
pub fn skip() -> bool {
    if std::env::var_os("KEYWARD_SKIP_AWS").is_some() {
        eprintln!("KEYWARD_SKIP_AWS set: skipping a test that needs the moto server");
        return true;
    }
    false
}

/// A moto server on a free loopback port, killed on drop.
pub struct Moto {
    child: Child,
    pub url: String,
    _dir: tempfile::TempDir,
}

impl Moto {
    /// Starts moto; `no_auth_actions` turns on its credential checks after that many requests.
    pub fn start(no_auth_actions: Option<u32>) -> Moto {
        let port = free_port();
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new("moto_server");
        cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .current_dir(dir.path())
            .env("MOTO_ENABLE_RECORDING", "True")
            .env("MOTO_RECORDER_FILEPATH", dir.path().join("recording.jsonl"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(n) = no_auth_actions {
            cmd.env("INITIAL_NO_AUTH_ACTION_COUNT", n.to_string());
        }
        let child = cmd.spawn().unwrap_or_else(|e| {
            panic!("cannot start moto_server ({e}): run ./scripts/test.sh, which installs moto[server], or set KEYWARD_SKIP_AWS=1")
        });
        let moto = Moto {
            child,
            url: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = http(
                &moto.url,
                "POST",
                "/moto-api/recorder/start-recording",
                &[],
                b"",
            ) {
                if r.0 == 200 {
                    break;
                }
            }
            assert!(
                Instant::now() < deadline,
                "moto did not start on {}",
                moto.url
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    /// Starts recording requests (and forgets earlier ones).
    pub fn record(&self) {
        http(
            &self.url,
            "POST",
            "/moto-api/recorder/reset-recording",
            &[],
            b"",
        )
        .unwrap();
        http(
            &self.url,
            "POST",
            "/moto-api/recorder/start-recording",
            &[],
            b"",
        )
        .unwrap();
    }

    /// Requests recorded since [`Moto::record`]: (service, action, credential key id).
    pub fn recorded(&self) -> Vec<Recorded> {
        let (_, body) = http(
            &self.url,
            "GET",
            "/moto-api/recorder/download-recording",
            &[],
            b"",
        )
        .unwrap();
        String::from_utf8_lossy(&body)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .map(|v| {
                let auth = v["headers"]["Authorization"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                let cred = auth
                    .split("Credential=")
                    .nth(1)
                    .unwrap_or("")
                    .split('/')
                    .collect::<Vec<_>>();
                let body = match (v["body"].as_str(), v["body_encoded"].as_bool()) {
                    (Some(b), Some(true)) => decode_b64(b),
                    (Some(b), _) => b.to_string(),
                    _ => String::new(),
                };
                let action = body
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("Action="))
                    .map(str::to_string)
                    .unwrap_or_else(|| {
                        format!(
                            "{} {}",
                            v["method"].as_str().unwrap_or(""),
                            v["url"].as_str().unwrap_or("")
                        )
                    });
                Recorded {
                    key_id: cred.first().unwrap_or(&"").to_string(),
                    service: cred.get(3).unwrap_or(&"").to_string(),
                    action,
                }
            })
            .collect()
    }

    /// Calls an AWS query API on moto (IAM, STS) as the test's own admin; returns the XML.
    pub fn query(&self, service: &str, params: &[(&str, &str)]) -> String {
        let body: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect();
        let (code, out) = http(
            &self.url,
            "POST",
            "/",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Authorization", &fake_auth(service)),
            ],
            body.join("&").as_bytes(),
        )
        .unwrap();
        let text = String::from_utf8_lossy(&out).into_owned();
        assert!(code < 300, "{service} {params:?}: {code} {text}");
        text
    }

    /// Creates an IAM user and an access key for it; returns (key id, secret).
    pub fn user_with_key(&self, user: &str) -> (String, String) {
        self.query(
            "iam",
            &[
                ("Action", "CreateUser"),
                ("UserName", user),
                ("Version", "2010-05-08"),
            ],
        );
        let xml = self.query(
            "iam",
            &[
                ("Action", "CreateAccessKey"),
                ("UserName", user),
                ("Version", "2010-05-08"),
            ],
        );
        (
            xml_value(&xml, "AccessKeyId"),
            xml_value(&xml, "SecretAccessKey"),
        )
    }

    /// Status of each of a user's access keys.
    pub fn key_statuses(&self, user: &str) -> Vec<(String, String)> {
        let xml = self.query(
            "iam",
            &[
                ("Action", "ListAccessKeys"),
                ("UserName", user),
                ("Version", "2010-05-08"),
            ],
        );
        xml.split("<member>")
            .skip(1)
            .map(|m| (xml_value(m, "AccessKeyId"), xml_value(m, "Status")))
            .collect()
    }

    /// An S3 request (path-style) as the test's admin.
    pub fn s3(&self, method: &str, path: &str, body: &[u8]) -> (u16, String) {
        let (code, out) = http(
            &self.url,
            method,
            path,
            &[("Authorization", &fake_auth("s3"))],
            body,
        )
        .unwrap();
        (code, String::from_utf8_lossy(&out).into_owned())
    }

    /// Runs keyward with the AWS environment pointing at this moto (and `cloudtrail`, if any).
    pub fn keyward(
        &self,
        args: &[&str],
        cwd: &Path,
        cloudtrail: Option<&FakeCloudTrail>,
        stdin: Option<&[u8]>,
    ) -> Run {
        let mut c = keyward();
        aws_env(&mut c, &self.url);
        if let Some(ct) = cloudtrail {
            c.env("AWS_ENDPOINT_URL_CLOUDTRAIL", &ct.url);
        }
        c.args(args).current_dir(cwd);
        run_command(c, stdin)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The responder identity and endpoints, and nothing from the developer's own AWS set-up.
pub fn aws_env(c: &mut Command, endpoint: &str) {
    for (k, _) in std::env::vars() {
        if k.starts_with("AWS_") {
            c.env_remove(k);
        }
    }
    c.env("AWS_ACCESS_KEY_ID", "AKIAZZZZRESPONDERZZZ")
        .env("AWS_SECRET_ACCESS_KEY", "responder-secret-for-tests-only")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_CONFIG_FILE", "/nonexistent/keyward-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/keyward-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true");
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub key_id: String,
    pub service: String,
    pub action: String,
}

fn fake_auth(service: &str) -> String {
    format!("AWS4-HMAC-SHA256 Credential=AKIAZZZZTESTADMINZZZ/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=00")
}

pub fn xml_value(xml: &str, tag: &str) -> String {
    let open = format!("<{tag}>");
    xml.split(&open)
        .nth(1)
        .and_then(|r| r.split(&format!("</{tag}>")).next())
        .unwrap_or("")
        .to_string()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn decode_b64(s: &str) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|&c| c != b'=') {
        let Some(v) = A.iter().position(|&a| a == c) else {
            continue;
        };
        bits = bits << 6 | v as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A minimal HTTP/1.1 client (one request per connection).
pub fn http(
    base: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<(u16, Vec<u8>)> {
    let host = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(host)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    s.write_all(body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let code = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut body = raw.get(split + 4..).unwrap_or_default().to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Ok((code, body))
}

fn dechunk(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let Some(eol) = b[i..].windows(2).position(|w| w == b"\r\n") else {
            break;
        };
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&b[i..i + eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = i + eol + 2;
        out.extend_from_slice(&b[start..(start + size).min(b.len())]);
        i = start + size + 2;
    }
    out
}

/// One recorded CloudTrail event for the fake server.
#[derive(Debug, Clone)]
pub struct TrailEvent {
    pub time: i64,
    pub name: &'static str,
    pub region: &'static str,
    pub ip: &'static str,
    pub arn: String,
    pub error: Option<&'static str>,
}

/// A loopback server that speaks `CloudTrail_20131101.LookupEvents` (JSON 1.1): answers every
/// region with the events of that region, two per page, and records each request's region and
/// `AccessKeyId` lookup value.
pub struct FakeCloudTrail {
    pub url: String,
    pub requests: Arc<Mutex<Vec<(String, String)>>>,
}

impl FakeCloudTrail {
    pub fn start(events: Vec<TrailEvent>) -> FakeCloudTrail {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = serve_one(stream, &events, &log);
            }
        });
        FakeCloudTrail { url, requests }
    }
}

fn serve_one(
    stream: TcpStream,
    events: &[TrailEvent],
    log: &Mutex<Vec<(String, String)>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            if line == "\r\n" {
                break;
            }
            headers.push(line.trim_end().to_string());
        }
        let header = |name: &str| {
            headers.iter().find_map(|h| {
                h.split_once(':')
                    .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.trim().to_string())
            })
        };
        let len: usize = header("content-length")
            .and_then(|l| l.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        reader.read_exact(&mut body)?;
        let req: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let region = header("authorization")
            .and_then(|a| {
                a.split("Credential=")
                    .nth(1)
                    .map(|c| c.split('/').nth(2).unwrap_or("").to_string())
            })
            .unwrap_or_default();
        let key = req["LookupAttributes"][0]["AttributeValue"]
            .as_str()
            .unwrap_or("")
            .to_string();
        let target = header("x-amz-target").unwrap_or_default();
        log.lock().unwrap().push((region.clone(), key.clone()));
        let page: usize = req["NextToken"]
            .as_str()
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        let mine: Vec<&TrailEvent> = events.iter().filter(|e| e.region == region).collect();
        let chunk: Vec<serde_json::Value> = mine
            .iter()
            .skip(page * 2)
            .take(2)
            .map(|e| {
                let detail = serde_json::json!({
                    "eventName": e.name, "awsRegion": e.region, "sourceIPAddress": e.ip,
                    "userAgent": "aws-cli/2.15.0", "errorCode": e.error,
                    "userIdentity": {"arn": e.arn, "accessKeyId": key},
                });
                serde_json::json!({
                    "EventId": format!("{}-{}-{}", e.region, e.name, e.time),
                    "EventName": e.name, "EventTime": e.time, "EventSource": "iam.amazonaws.com",
                    "CloudTrailEvent": detail.to_string(),
                })
            })
            .collect();
        let mut resp = serde_json::json!({ "Events": chunk });
        if mine.len() > (page + 1) * 2 {
            resp["NextToken"] = serde_json::json!((page + 1).to_string());
        }
        let body = if target.ends_with("LookupEvents") {
            resp.to_string()
        } else {
            serde_json::json!({"__type": "UnknownOperationException"}).to_string()
        };
        let status = if target.ends_with("LookupEvents") {
            "200 OK"
        } else {
            "400 Bad Request"
        };
        write!(
            out,
            "HTTP/1.1 {status}\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-RequestId: fake-{}\r\nContent-Length: {}\r\n\r\n{body}",
            log.lock().unwrap().len(),
            body.len()
        )?;
        out.flush()?;
    }
}
