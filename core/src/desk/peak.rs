//! Peak-load mode: when the people's queue outgrows what the agents present can take, or the
//! expected wait passes `peak_wait` (or an operator switches it on), each customer waiting for a
//! person is told their place in the queue and an estimate from the recent handling rate, in
//! their language — again only when it changed materially, and never within ten minutes of the
//! last time. The rules are pure; `Core::tell_queue_places` is the timers' step.

use super::Desk;
use crate::Core;
use crate::error::Result;
use crate::model::{Author, Millis, Reference};
use crate::post::{Post, PostKind};
use crate::store::desk::Queued;
use serde::Serialize;

crate::model::string_enum!(
    /// How peak-load mode is switched: by the queue (`auto`), or by hand.
    PeakMode { Auto = "auto", On = "on", Off = "off" }
);

/// A customer is told again no sooner than this.
pub const RETELL_MS: Millis = 10 * 60_000;
/// Without a recent handling rate, what one present agent is assumed to take per hour.
const ASSUMED_PER_AGENT_HOUR: f64 = 6.0;

/// Where the queue stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeakStatus {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "auto"))]
    pub mode: PeakMode,
    /// Customers are being told their place.
    pub active: bool,
    /// Conversations waiting for a person, nobody on them.
    pub queued: usize,
    /// Open conversations the agents present can still take.
    pub free: u32,
    /// Agents present.
    pub present: usize,
    /// Conversations agents answered in the last hour (0 while nobody waits).
    pub handled_last_hour: i64,
    /// The expected wait of the last in the queue, in seconds (none: no agent to estimate by).
    pub expected_wait_s: Option<i64>,
}

/// A place as told (or to tell).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub position: i64,
    pub wait_s: Option<i64>,
}

/// The wait at `position` (1 = next) at `per_hour` conversations an hour.
pub fn wait_at(position: usize, per_hour: f64) -> Option<i64> {
    (per_hour > 0.0).then(|| (position as f64 * 3600.0 / per_hour).round() as i64)
}

/// The rate estimates go by: the last hour's, else what the agents present are assumed to take.
pub fn rate(handled_last_hour: i64, present: usize) -> f64 {
    if handled_last_hour > 0 { handled_last_hour as f64 } else { present as f64 * ASSUMED_PER_AGENT_HOUR }
}

/// Whether the customer is told `now_place`, having been told `told` at `told_at` (none: never
/// in this cycle): the first time, or after ten minutes when the place or the wait moved by a
/// quarter (at least two places, or five minutes).
pub fn worth_telling(told: Option<(Place, Millis)>, now_place: Place, now: Millis) -> bool {
    let Some((before, at)) = told else { return true };
    if now - at < RETELL_MS {
        return false;
    }
    let moved = |a: i64, b: i64, least: i64| (a - b).abs() >= least.max(a.abs().max(b.abs()) / 4);
    moved(before.position, now_place.position, 2)
        || match (before.wait_s, now_place.wait_s) {
            (Some(a), Some(b)) => moved(a, b, 300),
            (a, b) => a.is_some() != b.is_some(),
        }
}

impl Core {
    /// Where the queue stands at `now`, and whether peak-load mode is on.
    pub async fn peak_status(&self, desk: &Desk, now: Millis) -> Result<PeakStatus> {
        Ok(self.peak_and_queue(desk, now).await?.0)
    }

    /// `peak_status` with the queue it counted, in the desk's order (read once a look).
    async fn peak_and_queue(&self, desk: &Desk, now: Millis) -> Result<(PeakStatus, Vec<Queued>)> {
        let store = self.store();
        let mode = store.peak_mode().await?;
        let queue = store.desk_backlog().await?;
        let queued = queue.len();
        let grace = desk.settings.availability_grace.as_millis() as Millis;
        let staff = store.desk_staff(now - grace).await?;
        let present: Vec<_> = staff.iter().filter(|s| s.present).collect();
        let free = present
            .iter()
            .map(|s| s.capacity.unwrap_or(desk.settings.capacity).saturating_sub(s.open.iter().map(|(_, n)| n).sum()))
            .sum();
        // An empty queue needs no rate (the look runs every second).
        let handled_last_hour = if queued == 0 { 0 } else { store.answered_since(now - 3_600_000).await? };
        let expected_wait_s = wait_at(queued, rate(handled_last_hour, present.len()));
        let past_wait = expected_wait_s.is_none_or(|w| w > desk.settings.peak_wait.as_secs() as i64);
        let active = match mode {
            PeakMode::On => true,
            PeakMode::Off => false,
            // Nobody present is not a peak: the hand-off already says when people answer.
            PeakMode::Auto => !present.is_empty() && queued > 0 && (queued as u32 > free || past_wait),
        };
        let status =
            PeakStatus { mode, active, queued, free, present: present.len(), handled_last_hour, expected_wait_s };
        Ok((status, queue))
    }

    /// While peak-load mode is on, tells each waiting customer their place and expected wait
    /// when `worth_telling`; returns how many were told.
    pub async fn tell_queue_places(&self, desk: &Desk, now: Millis) -> Result<usize> {
        let (status, queue) = self.peak_and_queue(desk, now).await?;
        if !status.active {
            return Ok(0);
        }
        let store = self.store();
        let told = store.queue_notices().await?;
        let per_hour = rate(status.handled_last_hour, status.present);
        let mut posts = Vec::new();
        let mut places = Vec::new();
        for (i, queued) in queue.iter().enumerate() {
            let place = Place { position: i as i64 + 1, wait_s: wait_at(i + 1, per_hour) };
            let before = told.get(&queued.id).filter(|(cycle, ..)| *cycle == queued.cycle).map(|(_, p, at)| (*p, *at));
            if !worth_telling(before, place, now) {
                continue;
            }
            let locale = queued.locale.clone().unwrap_or_default();
            let body = self.place_text(&locale, queued.id, place);
            posts.push(crate::Change::Post(Post::new(
                queued.id,
                Author::System,
                None,
                body,
                PostKind::Reply { channel: None },
            )));
            places.push((queued.id, queued.cycle, place));
        }
        let mut sent = 0;
        for (result, (id, cycle, place)) in self.apply_together(posts).await.into_iter().zip(places) {
            match result {
                Ok(_) => sent += 1,
                Err(crate::error::CoreError::ShuttingDown) => return Err(crate::error::CoreError::ShuttingDown),
                // The customer cannot be reached where they wrote: not tried again until it moves.
                Err(error) => tracing::warn!(%error, conversation = id, "a queue place could not be told"),
            }
            store.keep_queue_notice(id, cycle, place, now).await?;
        }
        Ok(sent)
    }

    fn place_text(&self, locale: &str, id: crate::model::ConversationId, place: Place) -> String {
        use crate::l10n::Arg;
        let reference = Reference(id).to_string();
        let mut args = vec![("position", Arg::Number(place.position as f64)), ("reference", Arg::Text(&reference))];
        let wait = place.wait_s.map(|wait| {
            crate::l10n::duration_words(self.localizer(), locale, std::time::Duration::from_secs(wait.max(60) as u64))
        });
        let key = match &wait {
            Some(wait) => {
                args.push(("wait", Arg::Text(wait)));
                "queue-place"
            }
            None => "queue-place-unknown",
        };
        self.localizer().message(locale, key, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Millis = 60_000;

    #[test]
    fn a_place_is_told_first_then_only_when_it_moved_and_ten_minutes_passed() {
        let at = |position, wait| Place { position, wait_s: Some(wait) };
        assert!(worth_telling(None, at(7, 3_000), 0));
        let told = Some((at(7, 3_000), 0));
        assert!(!worth_telling(told, at(2, 600), 9 * MIN), "not within ten minutes, however it moved");
        assert!(worth_telling(told, at(4, 1_800), 11 * MIN), "three places and twenty minutes closer");
        assert!(!worth_telling(told, at(6, 2_600), 11 * MIN), "one place is no news");
        assert!(
            worth_telling(Some((Place { position: 3, wait_s: None }, 0)), at(3, 900), 11 * MIN),
            "an estimate at last"
        );
    }

    #[test]
    fn the_wait_follows_the_recent_rate_else_the_agents_present() {
        assert_eq!(wait_at(3, rate(12, 0)), Some(900), "twelve an hour: the third waits fifteen minutes");
        assert_eq!(wait_at(3, rate(0, 2)), Some(900), "two agents assumed at six an hour each");
        assert_eq!(wait_at(3, rate(0, 0)), None, "nobody to estimate by");
    }
}
