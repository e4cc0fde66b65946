//! `.keyward.toml` and rule-file parsing.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| scanner_core::fuzzing::config(data));
