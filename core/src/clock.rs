//! Wall-clock helpers: the store keeps times as Unix milliseconds.

use crate::model::Millis;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub fn now_ms() -> Millis {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// RFC 3339 with millisecond precision, UTC (`2026-11-23T18:01:44.123Z`).
pub fn rfc3339(ms: Millis) -> String {
    let t = UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64);
    humantime::format_rfc3339_millis(t).to_string()
}
