//! Replays every input kept in `fuzz/regressions/<target>/` (crashes found by fuzzing, once
//! fixed) through the same entry points the fuzz targets use.

use std::path::Path;

use scanner_core::{fuzzing, Confidence, Origin, RuleSet, ScanOptions, Scanner};

fn inputs(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| std::fs::read(e.path()).unwrap())
        .collect()
}

#[test]
fn fuzz_regressions_replay() {
    let low = Scanner::new(
        RuleSet::default_rules(),
        ScanOptions {
            min_confidence: Confidence::Low,
            ..ScanOptions::default()
        },
    );
    let default = Scanner::new(RuleSet::default_rules(), ScanOptions::default());
    for data in inputs("matcher") {
        let r = low.scan_bytes(&data, Origin::Stdin);
        assert!(r.findings.iter().all(|f| f.span.end <= data.len()));
    }
    for data in inputs("decode") {
        fuzzing::decode(&data);
    }
    for data in inputs("terraform") {
        fuzzing::terraform(&default, &data);
    }
    for data in inputs("config") {
        fuzzing::config(&data);
    }
    for data in inputs("reports") {
        fuzzing::reports(&low, &data);
    }
    // The entry points themselves on a few fixed shapes, so this test means something even
    // before the first crash is kept.
    for data in [&b""[..], b"{", b"AKIA%41%4", b"{\"version\":4,\"lineage\":\"x\",\"resources\":[{\"instances\":[{\"attributes\":{\"a\":\"\\ud800\"}}]}]}"] {
        fuzzing::decode(data);
        fuzzing::terraform(&default, data);
        fuzzing::config(data);
        fuzzing::reports(&low, data);
    }
}
