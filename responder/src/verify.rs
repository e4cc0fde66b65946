//! `--verify`: is a leaked AWS key live? One `sts:GetCallerIdentity` call signed with the key
//! (and session token), for paired AKIA/ASIA keys only, rate-limited and with a timeout. This is
//! the only thing the leaked key is ever used for. Canary and documentation example keys are
//! never sent anywhere.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use scanner_core::{Confidence, Finding, Report};
use serde::{Deserialize, Serialize};

use crate::error::ResponderError;
use crate::intelligence::{intel_of, CanaryList, KeyIntel};
use crate::sdk::{block_on, leaked_key_config, AwsTarget};

/// What verification learned about one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Verification {
    /// The key works: AWS answered with its identity.
    Live {
        /// Account id.
        account: String,
        /// ARN of the identity.
        arn: String,
        /// User id.
        user_id: String,
    },
    /// AWS refused the key.
    Invalid {
        /// Error code (`InvalidClientTokenId`, `SignatureDoesNotMatch`, `ExpiredToken`).
        code: String,
    },
    /// No answer either way (network error, throttling, timeout).
    Unknown {
        /// Why.
        reason: String,
    },
    /// Never sent: canary, example, unpaired, or not a verifiable class.
    NotSent {
        /// Why.
        reason: String,
    },
}

/// How verification behaves.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Region and endpoint (credentials never come from here).
    pub target: AwsTarget,
    /// At most one request per this interval.
    pub min_interval: Duration,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            target: AwsTarget::default(),
            min_interval: Duration::from_millis(500),
        }
    }
}

/// Counts per outcome.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifySummary {
    /// Live keys.
    pub live: usize,
    /// Refused keys.
    pub invalid: usize,
    /// Undecided keys.
    pub unknown: usize,
    /// Keys not sent.
    pub not_sent: usize,
    /// Requests made.
    pub requests: usize,
}

fn not_sent_reason(intel: &KeyIntel) -> Option<&'static str> {
    if intel.canary {
        Some("canary-token account: never contacted")
    } else if intel.example {
        Some("documentation example key: never contacted")
    } else if !intel.secret_found {
        Some("no secret access key found with the key id")
    } else if !intel.verifiable {
        Some("key class cannot be verified (ASIA needs its session token; ABIA/ACCA are not sent)")
    } else {
        None
    }
}

fn companion(f: &Finding, name: &str) -> Option<String> {
    f.companions
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.secret.expose_lossy())
}

/// Verifies every AWS key finding of `report`, annotating each with `verification`. Live keys
/// are raised to the highest severity.
pub fn verify_report(
    report: &mut Report,
    canaries: &CanaryList,
    opts: &VerifyOptions,
) -> Result<VerifySummary, ResponderError> {
    block_on(verify_all(report, canaries, opts))
}

async fn verify_all(
    report: &mut Report,
    canaries: &CanaryList,
    opts: &VerifyOptions,
) -> VerifySummary {
    let mut summary = VerifySummary::default();
    // One request per distinct key, however many findings show it.
    let mut done: BTreeMap<(String, String, Option<String>), Verification> = BTreeMap::new();
    let mut last: Option<Instant> = None;
    for f in &mut report.findings {
        let Some(intel) = intel_of(f, canaries) else {
            continue;
        };
        let outcome = match not_sent_reason(&intel) {
            Some(reason) => Verification::NotSent {
                reason: reason.into(),
            },
            None => {
                let key_id = f.secret.expose_lossy();
                let secret = companion(f, "secret_access_key").unwrap_or_default();
                let token = companion(f, "session_token");
                let k = (key_id, secret, token);
                match done.get(&k) {
                    Some(v) => v.clone(),
                    None => {
                        if let Some(t) = last {
                            let wait = opts.min_interval.saturating_sub(t.elapsed());
                            tokio::time::sleep(wait).await;
                        }
                        last = Some(Instant::now());
                        summary.requests += 1;
                        let v = get_caller_identity(&opts.target, &k.0, &k.1, k.2.as_deref()).await;
                        done.insert(k, v.clone());
                        v
                    }
                }
            }
        };
        match &outcome {
            Verification::Live { .. } => {
                summary.live += 1;
                f.confidence = Confidence::High;
                f.severity = 10.0;
            }
            Verification::Invalid { .. } => summary.invalid += 1,
            Verification::Unknown { .. } => summary.unknown += 1,
            Verification::NotSent { .. } => summary.not_sent += 1,
        }
        if let Ok(v) = serde_json::to_value(&outcome) {
            f.annotations.insert("verification".into(), v);
        }
    }
    summary
}

/// Error codes with which STS refuses a key that is wrong, deleted, inactive or expired.
const REFUSED: &[&str] = &[
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "InvalidAccessKeyId",
    "UnrecognizedClientException",
    "InvalidToken",
];

pub(crate) async fn get_caller_identity(
    target: &AwsTarget,
    key_id: &str,
    secret: &str,
    token: Option<&str>,
) -> Verification {
    let config = leaked_key_config(target, key_id, secret, token).await;
    let sts = aws_sdk_sts::Client::new(&config);
    match sts.get_caller_identity().send().await {
        Ok(out) => Verification::Live {
            account: out.account().unwrap_or_default().to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
            user_id: out.user_id().unwrap_or_default().to_string(),
        },
        Err(SdkError::ServiceError(e)) => {
            let mut code = e.err().code().unwrap_or("").to_string();
            if code.is_empty() {
                // Some STS-compatible endpoints wrap errors differently (`<Errors><Error>`);
                // the code is still in the body.
                let body = String::from_utf8_lossy(e.raw().body().bytes().unwrap_or_default());
                code = body
                    .split("<Code>")
                    .nth(1)
                    .and_then(|r| r.split("</Code>").next())
                    .unwrap_or("")
                    .to_string();
            }
            if REFUSED.contains(&code.as_str()) {
                Verification::Invalid { code }
            } else {
                Verification::Unknown {
                    reason: format!(
                        "STS answered {}: {}",
                        if code.is_empty() { "an error" } else { &code },
                        e.err().message().unwrap_or("")
                    ),
                }
            }
        }
        Err(e) => Verification::Unknown {
            reason: aws_sdk_sts::error::DisplayErrorContext(&e).to_string(),
        },
    }
}
