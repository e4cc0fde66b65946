//! Entry points for the fuzz targets in `fuzz/` (and their regression tests): internal layers
//! driven with arbitrary bytes, with their invariants asserted. Not part of the stable API.

use crate::matcher::decode::{base64_run_around, decode_base64, has_escape, unescape, DecodedView};

/// The decoding layer: base64 views and escape decoding (percent, JSON, HTML), with their span mappings.
pub fn decode(data: &[u8]) {
    let view = DecodedView::build(data, 0..data.len());
    let n = view.bytes().len();
    for (a, b) in [(0, n), (n / 3, n / 2), (n / 2, n), (n.saturating_sub(1), n)] {
        let r = view.to_original(&(a..b));
        assert!(
            r.start <= r.end && r.end <= data.len(),
            "{r:?} outside 0..{}",
            data.len()
        );
        let _ = view.is_decoded(&(a..b));
    }
    if let Some(run) = base64_run_around(data, data.len() / 2) {
        assert!(run.start <= run.end && run.end <= data.len());
        let _ = decode_base64(&data[run]);
    }
    if has_escape(data) {
        let d = unescape(data);
        assert!(d.bytes.len() <= data.len());
        let m = d.bytes.len();
        for (a, b) in [(0, m), (m / 3, m / 2), (m / 2, m)] {
            let r = d.encoded_range(&(a..b));
            assert!(r.start <= r.end && r.end <= data.len(), "{r:?}");
        }
    }
}

/// The Terraform layer, through the scanner: state/plan JSON (serde top level, positional tree,
/// escape decoding, structural rules), `.tfvars` and `.tfvars.json`. Every finding's span and
/// location must lie inside the input.
pub fn terraform(scanner: &crate::Scanner, data: &[u8]) {
    for name in ["terraform.tfstate", "prod.tfvars", "prod.tfvars.json"] {
        let report = scanner.scan_bytes(data, crate::Origin::File { path: name.into() });
        for f in &report.findings {
            assert!(
                f.span.start <= f.span.end && f.span.end <= data.len(),
                "{:?}",
                f.span
            );
            assert!(f.location.line >= 1 && f.location.end_line >= f.location.line);
        }
    }
}

/// Report writers: JSON and SARIF of a scan of `data` must always parse back, and the text
/// writer must not fail.
pub fn reports(scanner: &crate::Scanner, data: &[u8]) {
    use crate::report::{write_json, write_sarif, write_text, TextOptions, WriteOptions};
    let report = scanner.scan_bytes(
        data,
        crate::Origin::File {
            path: "fuzz/\u{1b}[31m\n.env".into(),
        },
    );
    for show_secrets in [false, true] {
        let opts = WriteOptions { show_secrets };
        let mut json = Vec::new();
        write_json(&mut json, &report, &opts).expect("json");
        serde_json::from_slice::<serde_json::Value>(&json).expect("JSON report parses back");
        let mut sarif = Vec::new();
        write_sarif(&mut sarif, &report, scanner.rules(), &opts).expect("sarif");
        serde_json::from_slice::<serde_json::Value>(&sarif).expect("SARIF parses back");
    }
    let mut text = Vec::new();
    write_text(&mut text, &report, &TextOptions::default()).expect("text");
}

/// The configuration and rule-file parsers: errors are values, never panics.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(c) = crate::Config::from_toml("fuzz.toml", &text) {
        let _ = c.allow.path_allowed("a/b.txt");
    }
    let _ = crate::RuleSet::from_toml("fuzz.toml", &text);
    let _ = crate::tfstate::parse_state_rules(&text);
}
