//! The matcher (every default rule, decoding layers, companions, filters) on arbitrary bytes.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use scanner_core::{Origin, RuleSet, ScanOptions, Scanner};

fn scanner() -> &'static Scanner {
    static S: OnceLock<Scanner> = OnceLock::new();
    S.get_or_init(|| {
        let options = ScanOptions {
            min_confidence: scanner_core::Confidence::Low,
            ..ScanOptions::default()
        };
        Scanner::new(RuleSet::default_rules(), options)
    })
}

fuzz_target!(|data: &[u8]| {
    let report = scanner().scan_bytes(data, Origin::Stdin);
    for f in &report.findings {
        assert!(f.span.end <= data.len());
    }
});
