//! The decoding layer (base64 views, percent decoding) and its span mappings.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| scanner_core::fuzzing::decode(data));
