//! Wall-clock helpers: the store keeps times as Unix milliseconds. And `every`, the loop of the
//! periodic sweeps.

use crate::model::Millis;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub fn now_ms() -> Millis {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Runs `job` now and then every `period` until `stop`; a turn that fails is logged as
/// `failed` and the job runs again at the next turn. A turn that overruns delays the next
/// rather than bunching them.
pub async fn every<F, Fut, E>(period: Duration, stop: tokio_util::sync::CancellationToken, failed: &str, mut job: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    let mut ticks = tokio::time::interval(period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = stop.cancelled() => return,
        }
        if let Err(error) = job().await {
            tracing::warn!(%error, "{failed}");
        }
    }
}

/// RFC 3339 with millisecond precision, UTC (`2026-11-23T18:01:44.123Z`).
pub fn rfc3339(ms: Millis) -> String {
    let t = UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64);
    humantime::format_rfc3339_millis(t).to_string()
}
