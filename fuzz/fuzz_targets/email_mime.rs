//! Fuzz target: see `switchboard_fuzz::email_mime`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard_fuzz::email_mime(data));
