//! Turning the shared options into a configured scanner: configuration discovery, baseline,
//! confidence, limits.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context, Result};
use scanner_core::{Confidence, Config, ScanOptions, Scanner};

use crate::args::{CommonArgs, ConfidenceArg};

/// Loads the configuration for scanning `root` (explicit `--config`, else discovered).
pub fn config(common: &CommonArgs, root: &Path) -> Result<Config> {
    if let Some(path) = &common.config {
        return Ok(Config::load(path)?);
    }
    if common.no_config {
        return Ok(Config::defaults());
    }
    match Config::discover(root) {
        Some(path) => Ok(Config::load(&path)?),
        None => Ok(Config::defaults()),
    }
}

/// Reads a baseline file: one `fingerprint rule-id` per line; `#` comments.
pub fn baseline(path: &Path) -> Result<HashSet<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read baseline {}", path.display()))?;
    let mut out = HashSet::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fp = line.split_whitespace().next().unwrap_or_default();
        if fp.len() != 32 || !fp.bytes().all(|b| b.is_ascii_hexdigit()) {
            anyhow::bail!(
                "{}:{}: not a keyward fingerprint: `{fp}`",
                path.display(),
                n + 1
            );
        }
        out.insert(fp.to_ascii_lowercase());
    }
    Ok(out)
}

/// Builds the scanner; `follow`/`no_ignore` only matter for working-tree scans.
pub fn scanner(
    common: &CommonArgs,
    config: Config,
    follow: bool,
    no_ignore: bool,
) -> Result<Scanner> {
    let baseline = match &common.baseline {
        Some(p) => baseline(p)?,
        None => HashSet::new(),
    };
    let options = ScanOptions {
        follow_links: follow,
        no_ignore,
        binary: common.binary,
        max_file_size: common.max_file_size,
        threads: common.threads,
        min_confidence: match common.confidence {
            ConfidenceArg::Low => Confidence::Low,
            ConfidenceArg::Medium => Confidence::Medium,
            ConfidenceArg::High => Confidence::High,
        },
        allow: config.allow.clone(),
        baseline,
    };
    if common.threads > 0 {
        // History scanning uses rayon's global pool; size it like the walker.
        std::env::set_var("RAYON_NUM_THREADS", common.threads.to_string());
    }
    Ok(Scanner::new(config.rules, options))
}

/// The canary account list: shipped accounts plus the configuration's.
pub fn canaries(config: &Config) -> responder::CanaryList {
    let mut list = responder::CanaryList::builtin();
    list.extend(config.aws_canary_accounts.iter().map(String::as_str));
    list
}
