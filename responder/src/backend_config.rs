//! `keyward tfstate --backend DIR`: where the configuration in DIR keeps its state. Reads the
//! `backend "s3"` block of DIR's `*.tf` files (Terraform reads only that directory, not below),
//! or, when the block is partial or absent, the backend that `terraform init` recorded in
//! `DIR/.terraform/terraform.tfstate`.
//!
//! Only literal `name = "value"` settings matter here, so a small reader of that HCL subset does
//! the job without a full HCL parser.

use std::path::Path;

use crate::error::ResponderError;
use crate::remote_state::S3StateLocation;

/// Settings of an S3 backend.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct S3Backend {
    /// Bucket.
    pub bucket: Option<String>,
    /// State key.
    pub key: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// Workspace key prefix (`env:` by default).
    pub workspace_key_prefix: Option<String>,
    /// Profile.
    pub profile: Option<String>,
    /// Custom S3 endpoint (`endpoint`, or `endpoints { s3 = … }`).
    pub endpoint: Option<String>,
}

impl S3Backend {
    /// The state location, once bucket and key are known.
    pub fn location(&self) -> Result<S3StateLocation, ResponderError> {
        match (&self.bucket, &self.key) {
            (Some(b), Some(k)) => Ok(S3StateLocation {
                bucket: b.clone(),
                key: k.clone(),
                workspace_key_prefix: self
                    .workspace_key_prefix
                    .clone()
                    .unwrap_or_else(|| "env:".into()),
            }),
            _ => Err(ResponderError::Input(
                "the s3 backend names no bucket and key (partial configuration?): pass s3://BUCKET/KEY instead".into(),
            )),
        }
    }

    fn fill(&mut self, name: &str, value: &str) {
        let slot = match name {
            "bucket" => &mut self.bucket,
            "key" => &mut self.key,
            "region" => &mut self.region,
            "workspace_key_prefix" => &mut self.workspace_key_prefix,
            "profile" => &mut self.profile,
            "endpoint" | "s3" => &mut self.endpoint,
            _ => return,
        };
        if slot.is_none() && !value.is_empty() {
            *slot = Some(value.to_string());
        }
    }
}

/// Reads the S3 backend of the configuration in `dir`.
pub fn read_s3_backend(dir: &Path) -> Result<S3Backend, ResponderError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ResponderError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tf"))
        .collect();
    files.sort();
    let mut backend = None;
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|source| ResponderError::Io {
            path: f.display().to_string(),
            source,
        })?;
        if let Some(b) = parse_s3_backend(&text) {
            backend = Some(b);
            break;
        }
    }
    let mut backend = backend.unwrap_or_default();
    let init_state = dir.join(".terraform").join("terraform.tfstate");
    if let Ok(text) = std::fs::read(&init_state) {
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&text) {
            if v["backend"]["type"] == "s3" {
                if let Some(cfg) = v["backend"]["config"].as_object() {
                    for (k, val) in cfg {
                        if let Some(s) = val.as_str() {
                            backend.fill(k, s);
                        }
                    }
                }
            }
        }
    }
    if backend == S3Backend::default() {
        return Err(ResponderError::Input(format!(
            "no `backend \"s3\"` block in {}/*.tf and no s3 backend in .terraform/terraform.tfstate",
            dir.display()
        )));
    }
    Ok(backend)
}

/// Finds `backend "s3" { … }` in HCL text and reads its literal settings.
pub fn parse_s3_backend(text: &str) -> Option<S3Backend> {
    let code = strip_comments(text);
    let re = regex::Regex::new(r#"backend\s+"s3"\s*\{"#).ok()?;
    let m = re.find(&code)?;
    let body = block_body(&code[m.end()..])?;
    let setting = regex::Regex::new(r#"(?m)^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]*)""#).ok()?;
    let mut b = S3Backend::default();
    for c in setting.captures_iter(body) {
        b.fill(&c[1], &c[2]);
    }
    Some(b)
}

/// The text up to the brace that closes a block whose `{` was just consumed.
fn block_body(s: &str) -> Option<&str> {
    let mut depth = 1usize;
    let mut in_str = false;
    let mut prev = 0u8;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        match b {
            b'"' if prev != b'\\' => in_str = !in_str,
            b'{' if !in_str => depth += 1,
            b'}' if !in_str => {
                depth -= 1;
                if depth == 0 {
                    return Some(&s[..i]);
                }
            }
            _ => {}
        }
        prev = b;
    }
    None
}

/// Removes `#`, `//` and `/* */` comments outside strings.
fn strip_comments(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if in_str {
            out.push(c);
            if c == b'\\' && i + 1 < b.len() {
                out.push(b[i + 1]);
                i += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
            i += 1;
        } else if c == b'"' {
            in_str = true;
            out.push(c);
            i += 1;
        } else if c == b'#' || (c == b'/' && b.get(i + 1) == Some(&b'/')) {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_literal_settings_of_the_s3_block() {
        let hcl = r#"
terraform {
  required_version = ">= 1.5"
  # backend "s3" { bucket = "commented-out" }
  backend "s3" {
    bucket               = "tf-state-prod"   // the bucket
    key                  = "net/terraform.tfstate"
    region               = "eu-west-1"
    workspace_key_prefix = "ws"
    endpoints {
      s3 = "http://127.0.0.1:9000"
    }
    assume_role { role_arn = "arn:aws:iam::1:role/x" }
  }
}
"#;
        let b = parse_s3_backend(hcl).unwrap();
        assert_eq!(b.bucket.as_deref(), Some("tf-state-prod"));
        assert_eq!(b.key.as_deref(), Some("net/terraform.tfstate"));
        assert_eq!(b.region.as_deref(), Some("eu-west-1"));
        assert_eq!(b.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        let l = b.location().unwrap();
        assert_eq!(l.object_key(Some("dev")), "ws/dev/net/terraform.tfstate");
        assert!(parse_s3_backend("terraform { backend \"local\" {} }").is_none());
    }
}
