//! Fuzz target: see `switchboard_fuzz::api_bodies`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard_fuzz::api_bodies(data));
