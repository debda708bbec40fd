//! Outages of a platform, told apart from one failing destination: after a run of transient
//! failures on a channel with no success between them, one lane at a time probes the platform
//! every few seconds (its tries not counted against it), and the first success ends every
//! backoff on that channel at once — so that messages go out seconds after the platform is
//! back, not after backoffs that grew while it was down. The dispatcher owns the lanes; this
//! only remembers which of them wait.

use super::dispatcher::LaneKey;
use crate::model::ChannelKind;
use std::collections::HashMap;
use std::time::Duration;
use tokio::time::Instant;

/// Transient failures in a row (no success between them) that make an outage.
const OUTAGE_RUN: u32 = 3;
/// How often a platform that is down is tried.
const PROBE_EVERY: Duration = Duration::from_secs(5);

#[derive(Default)]
pub(super) struct Outages {
    channels: HashMap<ChannelKind, Run>,
}

/// A channel's sends since its last success.
#[derive(Default)]
struct Run {
    /// Lanes that failed transiently and wait out a backoff (some may have been tried since).
    waiting: Vec<LaneKey>,
    failures: u32,
    /// While the channel is down: when the next probe is due.
    next_probe: Option<Instant>,
}

impl Outages {
    /// A lane failed transiently and would wait `backoff`: the wait it gets instead, and
    /// whether it is now the channel's probe.
    pub fn failed(&mut self, key: &LaneKey, backoff: Duration, now: Instant) -> (Duration, bool) {
        let run = self.channels.entry(key.0).or_default();
        run.waiting.push(key.clone());
        run.failures += 1;
        let probe_due = run.next_probe.is_none_or(|at| at <= now);
        if run.failures >= OUTAGE_RUN && backoff > PROBE_EVERY && probe_due {
            run.next_probe = Some(now + PROBE_EVERY);
            return (PROBE_EVERY, true);
        }
        (backoff, false)
    }

    /// A send on `channel` succeeded. After an outage: the lanes that were waiting, to be tried
    /// now. After a lone failure or none: nothing (they keep their backoff).
    pub fn succeeded(&mut self, channel: ChannelKind) -> Vec<LaneKey> {
        let Some(run) = self.channels.get_mut(&channel) else { return Vec::new() };
        let outage = run.failures >= OUTAGE_RUN;
        run.failures = 0;
        run.next_probe = None;
        let waiting = std::mem::take(&mut run.waiting);
        if outage { waiting } else { Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lane(chat: &str) -> LaneKey {
        (ChannelKind::Telegram, chat.to_owned())
    }

    #[test]
    fn a_run_of_failures_makes_one_probe_at_a_time_and_a_success_frees_every_lane() {
        let mut outages = Outages::default();
        let now = Instant::now();
        let long = Duration::from_secs(60);
        assert_eq!(outages.failed(&lane("a"), long, now), (long, false));
        assert_eq!(outages.failed(&lane("b"), long, now), (long, false));
        assert_eq!(outages.failed(&lane("c"), long, now), (PROBE_EVERY, true), "the third failure in a row");
        assert_eq!(outages.failed(&lane("d"), long, now), (long, false), "one probe at a time");
        let later = now + PROBE_EVERY;
        assert_eq!(outages.failed(&lane("c"), long, later), (PROBE_EVERY, true), "the probe goes on");
        let freed: std::collections::HashSet<LaneKey> = outages.succeeded(ChannelKind::Telegram).into_iter().collect();
        assert_eq!(freed, ["a", "b", "c", "d"].map(lane).into_iter().collect());
        assert!(outages.succeeded(ChannelKind::Telegram).is_empty());
    }

    #[test]
    fn a_lone_failure_among_successes_keeps_its_backoff() {
        let mut outages = Outages::default();
        let now = Instant::now();
        let long = Duration::from_secs(60);
        assert_eq!(outages.failed(&lane("a"), long, now), (long, false));
        assert!(outages.succeeded(ChannelKind::Telegram).is_empty());
        assert_eq!(outages.failed(&lane("a"), long, now), (long, false));
        assert_eq!(outages.failed(&lane("b"), long, now), (long, false));
        assert!(outages.succeeded(ChannelKind::Telegram).is_empty());
        assert!(outages.succeeded(ChannelKind::Discord).is_empty(), "other channels are their own");
    }
}
