//! JSON, SARIF and text report writing: JSON and SARIF must always parse back.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use scanner_core::{RuleSet, ScanOptions, Scanner};

fuzz_target!(|data: &[u8]| {
    static S: OnceLock<Scanner> = OnceLock::new();
    let s = S.get_or_init(|| {
        let options = ScanOptions {
            min_confidence: scanner_core::Confidence::Low,
            ..ScanOptions::default()
        };
        Scanner::new(RuleSet::default_rules(), options)
    });
    scanner_core::fuzzing::reports(s, data);
});
