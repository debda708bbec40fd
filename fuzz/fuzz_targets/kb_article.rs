//! Fuzz target: see `switchboard_fuzz::kb_article`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| switchboard_fuzz::kb_article(data));
