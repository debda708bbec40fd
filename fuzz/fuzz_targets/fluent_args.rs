//! Fuzz target: see `switchboard_fuzz::fluent_args`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard_fuzz::fluent_args(data));
