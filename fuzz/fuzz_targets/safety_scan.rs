//! Fuzz target: see `switchboard_fuzz::safety_scan`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard_fuzz::safety_scan(data));
