//! The Terraform state parser and structural rules, through the scanner.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use scanner_core::{RuleSet, ScanOptions, Scanner};

fuzz_target!(|data: &[u8]| {
    static S: OnceLock<Scanner> = OnceLock::new();
    let s = S.get_or_init(|| Scanner::new(RuleSet::default_rules(), ScanOptions::default()));
    scanner_core::fuzzing::terraform(s, data);
});
