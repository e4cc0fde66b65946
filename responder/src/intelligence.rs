//! Offline key intelligence, always on for AWS findings and never touching the network: the
//! key's class from its prefix, the AWS account decoded from the key id where the format encodes
//! it, whether the account belongs to a canary-token service, and whether it is a documentation
//! example. Canary and example keys are never contacted by any later step.

use std::collections::BTreeMap;

use scanner_core::{Finding, Report};
use serde::{Deserialize, Serialize};

/// What kind of credential a key id is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyClass {
    /// `AKIA`: a long-term IAM user access key.
    LongTerm,
    /// `ASIA`: temporary STS credentials; useless without the session token.
    Temporary,
    /// `ABIA`: an AWS STS service bearer token.
    StsBearer,
    /// `ACCA`: a context-specific credential.
    ContextSpecific,
    /// An identifier (`AIDA` user, `AROA` role, `AGPA` group, …): not a credential.
    Identifier,
    /// Unknown prefix.
    Unknown,
}

impl KeyClass {
    /// Class of a key id by its 4-letter prefix.
    pub fn of(key_id: &str) -> KeyClass {
        match key_id.get(..4) {
            Some("AKIA") => KeyClass::LongTerm,
            Some("ASIA") => KeyClass::Temporary,
            Some("ABIA") => KeyClass::StsBearer,
            Some("ACCA") => KeyClass::ContextSpecific,
            Some("AIDA" | "AROA" | "AGPA" | "ANPA" | "ANVA" | "AIPA" | "APKA" | "ASCA") => {
                KeyClass::Identifier
            }
            _ => KeyClass::Unknown,
        }
    }
}

/// Everything known offline about a leaked key id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyIntel {
    /// The key id. Access key ids are identifiers, not secrets (CloudTrail and the IAM console
    /// show them); reports carry it so `keyward respond --from` works on redacted reports.
    pub key_id: String,
    /// Key class.
    pub class: KeyClass,
    /// AWS account id decoded from the key id, when the format encodes one.
    pub account: Option<String>,
    /// The account belongs to a canary-token service: never contact it.
    pub canary: bool,
    /// Canary service name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canary_service: Option<String>,
    /// A documentation example key: never contact it.
    pub example: bool,
    /// The secret access key was found with it.
    pub secret_found: bool,
    /// The session token was found with it (needed for ASIA keys).
    pub session_token_found: bool,
    /// Whether verification may ever send this key (paired, not canary, not example,
    /// and for ASIA keys with the session token).
    pub verifiable: bool,
}

/// The AWS account id encoded in a key id: the 10 characters after the 4-letter prefix,
/// base32-decoded; bits 1..=40 of the first 6 bytes (mask `0x7fffffffff80`, shifted 7) are the
/// account. Key ids whose fifth character is A–P predate this encoding and carry no account.
///
/// ```
/// assert_eq!(responder::account_id("ASIAY34FZKBOKMUTVV7A").as_deref(), Some("609629065308"));
/// assert_eq!(responder::account_id("AKIAIOSFODNN7EXAMPLE"), None);
/// ```
pub fn account_id(key_id: &str) -> Option<String> {
    let b = key_id.as_bytes();
    if b.len() != 20
        || !b[4..]
            .iter()
            .all(|c| c.is_ascii_uppercase() || (b'2'..=b'7').contains(c))
    {
        return None;
    }
    if (b'A'..=b'P').contains(&b[4]) {
        return None;
    }
    // 10 base32 characters = 50 bits; the first 48 of them are the 6 bytes we need.
    let mut bits: u64 = 0;
    for &c in &b[4..14] {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        } as u64;
        bits = bits << 5 | v;
    }
    let six_bytes = bits >> 2; // 50 bits → the top 48
    let account = (six_bytes & 0x7fff_ffff_ff80) >> 7;
    Some(format!("{account:012}"))
}

#[derive(Debug, Deserialize)]
struct CanaryFile {
    #[serde(default)]
    canary: Vec<CanaryEntry>,
}

#[derive(Debug, Deserialize)]
struct CanaryEntry {
    account: String,
    service: String,
}

/// Accounts of canary-token services (`rules/aws-canary-accounts.toml`, extendable).
#[derive(Debug, Clone, Default)]
pub struct CanaryList {
    accounts: BTreeMap<String, String>,
}

impl CanaryList {
    /// The shipped list.
    pub fn builtin() -> CanaryList {
        let text = include_str!("../../rules/aws-canary-accounts.toml");
        let file: CanaryFile = toml::from_str(text).unwrap_or(CanaryFile { canary: Vec::new() });
        CanaryList {
            accounts: file
                .canary
                .into_iter()
                .map(|c| (c.account, c.service))
                .collect(),
        }
    }

    /// Adds accounts (from configuration).
    pub fn extend<'a>(&mut self, accounts: impl IntoIterator<Item = &'a str>) {
        for a in accounts {
            self.accounts
                .insert(a.to_string(), "configured canary account".into());
        }
    }

    /// The service owning `account`, if it is a canary account.
    pub fn service(&self, account: &str) -> Option<&str> {
        self.accounts.get(account).map(String::as_str)
    }
}

/// Classifies a key id with what was found beside it.
pub fn classify(
    key_id: &str,
    secret_found: bool,
    session_token_found: bool,
    canaries: &CanaryList,
) -> KeyIntel {
    let class = KeyClass::of(key_id);
    let account = account_id(key_id);
    let canary_service = account
        .as_deref()
        .and_then(|a| canaries.service(a))
        .map(str::to_string);
    let example = key_id.to_ascii_uppercase().contains("EXAMPLE");
    let canary = canary_service.is_some();
    let verifiable = secret_found
        && !canary
        && !example
        && match class {
            KeyClass::LongTerm => true,
            KeyClass::Temporary => session_token_found,
            _ => false,
        };
    KeyIntel {
        key_id: key_id.to_string(),
        class,
        account,
        canary,
        canary_service,
        example,
        secret_found,
        session_token_found,
        verifiable,
    }
}

pub(crate) fn intel_of(f: &Finding, canaries: &CanaryList) -> Option<KeyIntel> {
    if f.rule_id != "aws-access-key-id" {
        return None;
    }
    let key = f.secret.expose_lossy();
    let has = |name: &str| f.companions.iter().any(|c| c.name == name);
    Some(classify(
        &key,
        has("secret_access_key"),
        has("session_token"),
        canaries,
    ))
}

/// Adds `aws` annotations (class, account, canary, …) to every AWS key finding of `report`.
pub fn annotate(report: &mut Report, canaries: &CanaryList) {
    for f in &mut report.findings {
        if let Some(intel) = intel_of(f, canaries) {
            if let Ok(v) = serde_json::to_value(&intel) {
                f.annotations.insert("aws".into(), v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_decoding_matches_the_published_vector() {
        assert_eq!(
            account_id("ASIAY34FZKBOKMUTVV7A").as_deref(),
            Some("609629065308")
        );
        assert_eq!(
            account_id("AKIAIOSFODNN7EXAMPLE"),
            None,
            "fifth char I: no account"
        );
        assert_eq!(account_id("AKIA123"), None);
    }

    #[test]
    fn classes_and_canaries() {
        let canaries = CanaryList::builtin();
        assert_eq!(KeyClass::of("AKIAZZZZ"), KeyClass::LongTerm);
        assert_eq!(KeyClass::of("AROAZZZZ"), KeyClass::Identifier);
        let key = canary_key(&canaries);
        let intel = classify(&key, true, false, &canaries);
        assert!(intel.canary, "{intel:?}");
        assert!(!intel.verifiable, "canary keys are never sent");
        let temp = classify("ASIAY34FZKBOKMUTVV7A", true, false, &canaries);
        assert!(
            !temp.verifiable,
            "ASIA without session token cannot be verified"
        );
        assert!(classify("ASIAY34FZKBOKMUTVV7A", true, true, &canaries).verifiable);
        assert!(!classify("AKIAIOSFODNN7EXAMPLE", true, false, &canaries).verifiable);
    }

    /// Builds a key id that decodes to the first shipped canary account.
    fn canary_key(canaries: &CanaryList) -> String {
        let account: u64 = canaries.accounts.keys().next().unwrap().parse().unwrap();
        let six = 1 << 47 | account << 7; // bit 47 set in keys that encode an account
        let bits = six << 2; // 50 bits for 10 base32 characters
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut s = String::from("AKIA");
        for i in (0..10).rev() {
            s.push(alphabet[((bits >> (i * 5)) & 31) as usize] as char);
        }
        s.push_str("QRSTUV");
        assert_eq!(account_id(&s).unwrap(), format!("{account:012}"));
        s
    }
}
