//! SLA clocks, pure: a cycle's history, its policy and the business hours in; each target's due
//! time, what was missed and when to look again out. Worked out again from the history whenever
//! it grows or a policy changes, so a changed target moves every open deadline with it.

use crate::hours::BusinessHours;
use crate::model::{ChannelKind, Millis, Priority, SlaTarget};
use serde::Serialize;

/// An SLA policy: targets (none: not measured) and the conversations it applies to (every
/// criterion it names must match; the most specific policy wins, then the oldest).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Policy {
    pub id: i64,
    pub name: String,
    /// Milliseconds.
    pub first_response: Option<i64>,
    pub next_response: Option<i64>,
    pub resolution: Option<i64>,
    /// Counted in business hours (the schedule, zone and holidays of the installation).
    pub business_hours: bool,
    pub priority: Option<Priority>,
    pub team_id: Option<i64>,
    pub channel: Option<ChannelKind>,
}

impl Policy {
    pub fn target(&self, target: SlaTarget) -> Option<i64> {
        match target {
            SlaTarget::FirstResponse => self.first_response,
            SlaTarget::NextResponse => self.next_response,
            SlaTarget::Resolution => self.resolution,
        }
    }

    /// How many criteria it names, if it applies to a conversation of this priority, team and
    /// channel.
    fn fits(&self, priority: Priority, team: Option<i64>, channel: ChannelKind) -> Option<usize> {
        let priority_fits = self.priority.is_none_or(|p| p == priority);
        let team_fits = self.team_id.is_none_or(|t| Some(t) == team);
        let channel_fits = self.channel.is_none_or(|c| c == channel);
        (priority_fits && team_fits && channel_fits).then(|| {
            usize::from(self.priority.is_some())
                + usize::from(self.team_id.is_some())
                + usize::from(self.channel.is_some())
        })
    }
}

/// The policy a conversation is held to: the most specific that fits, the oldest among equals.
pub fn choose(policies: &[Policy], priority: Priority, team: Option<i64>, channel: ChannelKind) -> Option<&Policy> {
    policies
        .iter()
        .filter_map(|p| p.fits(priority, team, channel).map(|n| (n, p)))
        .max_by(|(a, p), (b, q)| a.cmp(b).then(q.id.cmp(&p.id)))
        .map(|(_, p)| p)
}

/// What happened in a cycle, as the clocks read it (from the ledger).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// It reached people (the hand-off): the clocks start.
    Reached,
    Customer,
    Agent,
    /// Set pending (waits on the customer): the clocks pause …
    Pending,
    /// … until an agent sets it open again, or the customer writes.
    Resumed,
    Resolved,
}

/// A cycle's clocks at `now`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Clocks {
    /// Running targets' deadlines (none once met, or not measured).
    pub first_response_due_at: Option<Millis>,
    pub next_response_due_at: Option<Millis>,
    pub resolution_due_at: Option<Millis>,
    /// Targets missed in this cycle (met late, or not met by their deadline).
    pub breached: Vec<SlaTarget>,
    /// Running targets past their warning share.
    #[serde(skip)]
    pub warned: Vec<SlaTarget>,
    /// The next instant a warning or a deadline falls due (none while paused or when nothing runs).
    #[serde(skip)]
    pub check_at: Option<Millis>,
    /// Paused: the conversation waits on the customer.
    pub paused: bool,
}

/// Counting time: business hours or the clock, pauses left out.
struct Counter<'a> {
    hours: Option<&'a BusinessHours>,
    /// Sorted, not overlapping; an ongoing pause ends at `now` (as if it ended now).
    pauses: Vec<(Millis, Millis)>,
}

/// Deadlines further than this are not looked for (a schedule with almost no open hours).
const HORIZON_MS: i64 = 400 * 24 * 3600 * 1000;
const WINDOW_MS: i64 = 7 * 24 * 3600 * 1000;

impl Counter<'_> {
    /// The instant at which `amount` of counted time has passed since `start`.
    fn deadline(&self, start: Millis, amount: i64) -> Millis {
        let mut left = amount.max(0);
        let mut from = start;
        while from < start + HORIZON_MS {
            let to = from + WINDOW_MS;
            let base = match self.hours {
                Some(hours) => hours.open_spans(from, to),
                None => vec![(from, to)],
            };
            for (a, b) in base {
                for (x, y) in self.unpaused(a, b) {
                    if y - x >= left {
                        return x + left;
                    }
                    left -= y - x;
                }
            }
            from = to;
        }
        start + HORIZON_MS
    }

    /// `[a, b)` without the pauses.
    fn unpaused(&self, a: Millis, b: Millis) -> Vec<(Millis, Millis)> {
        let mut pieces = Vec::new();
        let mut cursor = a;
        for &(p, q) in self.pauses.iter().filter(|(p, q)| *q > a && *p < b) {
            if p > cursor {
                pieces.push((cursor, p.min(b)));
            }
            cursor = cursor.max(q);
        }
        if cursor < b {
            pieces.push((cursor, b));
        }
        pieces
    }
}

/// The clocks of one cycle's `history` (in order) under `policy` at `now`; a warning at
/// `warn_share` (0.8: 80%) of each target.
pub fn clocks(
    history: &[(Step, Millis)],
    policy: &Policy,
    hours: Option<&BusinessHours>,
    warn_share: f64,
    now: Millis,
) -> Clocks {
    let Some(reached) = history.iter().find(|(s, _)| *s == Step::Reached).map(|(_, at)| *at) else {
        return Clocks::default();
    };
    let (pauses, paused) = pauses_of(history, now);
    let counter = Counter { hours: hours.filter(|_| policy.business_hours), pauses };
    let mut out = Clocks { paused, ..Clocks::default() };
    let watch = |target: SlaTarget, start: Millis, met: Option<Millis>, out: &mut Clocks| -> Option<Millis> {
        let amount = policy.target(target)?;
        let due = counter.deadline(start, amount);
        let warn = counter.deadline(start, (amount as f64 * warn_share) as i64);
        match met {
            Some(met) => {
                if met > due {
                    out.breached.push(target);
                }
                None
            }
            None => {
                if now >= due {
                    out.breached.push(target);
                } else if now >= warn {
                    out.warned.push(target);
                }
                if !paused {
                    let next = [warn, due].into_iter().filter(|t| *t > now).min();
                    out.check_at = match (out.check_at, next) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
                Some(due)
            }
        }
    };
    let after = |step: Step, from: Millis| history.iter().find(|(s, at)| *s == step && *at >= from).map(|(_, at)| *at);
    let first = after(Step::Agent, reached);
    out.first_response_due_at = watch(SlaTarget::FirstResponse, reached, first, &mut out);
    if first.is_some() {
        for (start, answered) in waits(history, reached) {
            let due = watch(SlaTarget::NextResponse, start, answered, &mut out);
            out.next_response_due_at = due.or(out.next_response_due_at);
        }
    }
    out.resolution_due_at = watch(SlaTarget::Resolution, reached, after(Step::Resolved, reached), &mut out);
    out.breached.sort_by_key(|t| *t as u8);
    out.breached.dedup();
    out.warned.retain(|t| !out.breached.contains(t));
    out
}

/// The pauses (pending until the customer writes, an agent resumes, or it is resolved), an
/// ongoing one ending at `now`; and whether one is ongoing.
fn pauses_of(history: &[(Step, Millis)], now: Millis) -> (Vec<(Millis, Millis)>, bool) {
    let mut pauses = Vec::new();
    let mut since = None;
    for &(step, at) in history {
        match step {
            Step::Pending => since = since.or(Some(at)),
            Step::Customer | Step::Resumed | Step::Resolved => {
                if let Some(start) = since.take() {
                    pauses.push((start, at));
                }
            }
            Step::Reached | Step::Agent => {}
        }
    }
    let ongoing = since.is_some();
    if let Some(start) = since {
        pauses.push((start, now.max(start)));
    }
    (pauses, ongoing)
}

/// After the first response, each wait for the next one: from the customer's first message
/// after an agent's reply to the agent's next reply (none while it still waits).
fn waits(history: &[(Step, Millis)], reached: Millis) -> Vec<(Millis, Option<Millis>)> {
    let mut waits = Vec::new();
    let mut answered = false;
    let mut waiting: Option<Millis> = None;
    for &(step, at) in history.iter().filter(|(_, at)| *at >= reached) {
        match step {
            Step::Agent => {
                if let Some(start) = waiting.take() {
                    waits.push((start, Some(at)));
                }
                answered = true;
            }
            Step::Customer if answered && waiting.is_none() => waiting = Some(at),
            Step::Resolved => waiting = None,
            _ => {}
        }
    }
    if let Some(start) = waiting {
        waits.push((start, None));
    }
    waits
}

#[cfg(test)]
#[path = "sla_tests.rs"]
mod tests;
