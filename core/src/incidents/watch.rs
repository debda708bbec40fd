//! The incidents' timers, run by the timers' leader: a look for surges now and then (a
//! suggestion for admins when one starts), and the linked customers told of every change soon
//! after it is made.

use super::surge::{Thresholds, detect};
use crate::Core;
use crate::error::Result;
use crate::events::Event;
use crate::model::Millis;
use crate::store::incidents::Suggestion;
use std::time::Duration;

/// How much history a look reads: the day that makes a topic's usual level.
const HISTORY_MS: Millis = 24 * 3_600_000;
/// The most questions a look reads (the newest).
const MAX_QUESTIONS: i64 = 20_000;
/// A topic suggested, or opened by an admin, this recently is not suggested again.
const QUIET_MS: Millis = 6 * 3_600_000;

const TELL_EVERY: Duration = Duration::from_secs(5);
/// Customers writing bring the next look forward, to at most one this often: a surge is
/// suggested within seconds of its customers, and a flood costs one look per ten seconds.
const LOOK_AFTER_QUESTIONS: Duration = Duration::from_secs(10);

/// Until `stop`: surges looked for every `look_every`, and soon after customers write (when
/// `surges` is set); updates told as soon as an incident changes (and every few seconds, for
/// what a failure or a restart left).
pub async fn run(
    core: Core,
    surges: Option<Thresholds>,
    look_every: Duration,
    stop: tokio_util::sync::CancellationToken,
) {
    let mut events = core.events().subscribe();
    let mut tell = tokio::time::interval(TELL_EVERY);
    let mut look = tokio::time::interval(look_every);
    let mut second = tokio::time::interval(Duration::from_secs(1));
    for ticks in [&mut tell, &mut look, &mut second] {
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    }
    let soon = LOOK_AFTER_QUESTIONS.min(look_every);
    let (mut looked_at, mut asked) = (tokio::time::Instant::now(), false);
    loop {
        let looking = tokio::select! {
            () = stop.cancelled() => return,
            _ = tell.tick() => false,
            _ = look.tick() => true,
            _ = second.tick() => {
                if !(asked && looked_at.elapsed() >= soon) {
                    continue;
                }
                true
            }
            event = events.recv() => match event {
                Ok(published) if matches!(published.event, Event::IncidentChanged { .. } | Event::Resync) => false,
                Ok(published) if matches!(published.event, Event::MessageCreated { identity_id: Some(_), .. }) => {
                    asked = true;
                    continue;
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                _ => continue,
            },
        };
        if let (true, Some(thresholds)) = (looking, surges) {
            (looked_at, asked) = (tokio::time::Instant::now(), false);
            if let Err(error) = core.look_for_surges(crate::clock::now_ms(), thresholds).await {
                tracing::warn!(%error, "surges were not looked for this time");
            }
        }
        match core.tell_incident_updates().await {
            Ok(0) => {}
            Ok(told) => tracing::info!(told, "linked customers told of their incident's change"),
            Err(error) => tracing::warn!(%error, "incident updates were not told this time; they are tried again"),
        }
    }
}

impl Core {
    /// Looks for surges at `now`: each new one is stored as a suggested incident (unless an
    /// incident already covers it) and announced to the inbox. Returns the new suggestions' ids.
    pub async fn look_for_surges(&self, now: Millis, thresholds: Thresholds) -> Result<Vec<i64>> {
        let asked = self.store().questions_since(now - HISTORY_MS, MAX_QUESTIONS).await?;
        let known = self.store().incidents(false).await?;
        let recent = |created: &str| {
            jiff::Timestamp::from_millisecond(now - QUIET_MS)
                .is_ok_and(|since| created.parse::<jiff::Timestamp>().is_ok_and(|c| c >= since))
        };
        let mut suggested = Vec::new();
        for surge in detect(&asked, now, thresholds) {
            // Covered: an incident that is open (or recent) and whose keywords match most of the
            // surge's questions.
            let covered = known
                .iter()
                .filter(|i| i.status != super::IncidentStatus::Resolved || recent(&i.created_at))
                .any(|i| 2 * surge.examples.iter().filter(|e| i.matches(e)).count() > surge.examples.len());
            if covered {
                continue;
            }
            let suggestion = Suggestion {
                topic: surge.topic.clone(),
                title: surge.title.clone(),
                keywords: surge.keywords.clone(),
                examples: surge.examples.clone(),
                requesters: surge.requesters as i64,
            };
            if let Some(id) = self.store().suggest_incident(&suggestion, now - QUIET_MS, now).await? {
                tracing::warn!(
                    incident = id,
                    topic = %surge.topic,
                    requesters = surge.requesters,
                    usual = surge.usual,
                    "a surge: an incident is suggested"
                );
                metrics::counter!("switchboard_incident_suggestions_total").increment(1);
                self.events().publish(Event::IncidentSuggested { incident_id: id });
                suggested.push(id);
            }
        }
        metrics::counter!("switchboard_surge_looks_total").increment(1);
        Ok(suggested)
    }
}
