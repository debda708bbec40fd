//! Fuzz target: see `switchboard_fuzz::discord_events`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard_fuzz::discord_events(data));
