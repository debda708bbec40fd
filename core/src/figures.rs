//! Every report figure, computed one way from the conversation cycles of a period
//! (`store::reports::CycleRow`), for the API, the reports page and the CSV alike. The
//! definitions are those of docs/metrics.md; the tests below hold them to a hand-built history.
//!
//! Each cycle's facts (`CycleFacts`: its durations, its local day and hour) are worked out once
//! and kept in the store's day rollups; a report of any filter and period adds up the facts its
//! filter keeps in a `Tally`. Durations stay exact while there are few of them and become
//! buckets of at most a few percent's width beyond (`Durations`).

use crate::hours::BusinessHours;
use crate::model::{AgentId, Millis};
use crate::store::reports::CycleRow;
use serde::Serialize;
use std::collections::BTreeMap as Map;
use std::collections::BTreeMap;

/// Which cycles a report counts; `None` counts all.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub channel: Option<String>,
    /// Cycles this agent replied in.
    pub agent: Option<AgentId>,
    pub language: Option<String>,
    pub category: Option<String>,
    pub team: Option<i64>,
}

/// The median and the 90th percentile (nearest rank), in seconds; `None` without values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Percentiles {
    pub p50: Option<f64>,
    pub p90: Option<f64>,
}

impl Percentiles {
    /// Of durations in milliseconds.
    pub fn of(mut ms: Vec<i64>) -> Percentiles {
        ms.sort_unstable();
        let at = |q: f64| -> Option<f64> {
            let rank = ((q * ms.len() as f64).ceil() as usize).clamp(1, ms.len().max(1));
            ms.get(rank - 1).map(|&v| v as f64 / 1000.0)
        };
        Percentiles { p50: at(0.5), p90: at(0.9) }
    }
}

/// Who ended the cycles that are resolved.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResolvedBy {
    pub agent: u64,
    /// The customer said the bot's answer solved it.
    pub bot: u64,
    /// The bot's answer met the customer's silence.
    pub idle: u64,
}

/// Satisfaction: the surveys' ratings (1–5).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Satisfaction {
    pub avg: Option<f64>,
    pub count: u64,
    /// How many of each rating, "1" to "5".
    pub distribution: BTreeMap<String, u64>,
    /// Ratings per survey asked; `None` when none was asked.
    pub response_rate: Option<f64>,
}

/// What the bot did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BotFigures {
    /// Cycles the bot answered in.
    pub answered: u64,
    /// Of those, resolved by the bot (solved, or silence after its answer).
    pub resolved: u64,
    /// Of those, handed to people.
    pub handed_off: u64,
    /// Resolved by the bot per cycle it answered.
    pub containment_rate: Option<f64>,
}

/// `GET /api/v1/reports/summary`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    /// Conversations with a cycle that began in the period.
    pub conversations: u64,
    /// Cycles that began in the period: openings and reopenings.
    pub cycles: u64,
    /// From people reached to the first agent's reply, per cycle.
    pub first_response_s: Percentiles,
    /// The same, counting business hours only (none configured: all hours).
    pub first_response_business_s: Percentiles,
    /// From the cycle's start to its resolution.
    pub resolution_s: Percentiles,
    pub resolution_business_s: Percentiles,
    /// Resolved cycles per cycle.
    pub resolution_rate: f64,
    pub resolved_by: ResolvedBy,
    pub csat: Satisfaction,
    pub bot: BotFigures,
    /// Hand-offs to people by reason (asked, upset, account, secret, not_sure, topic, transaction, agent).
    pub handoffs: BTreeMap<String, u64>,
    pub by_channel: BTreeMap<String, u64>,
    pub by_category: BTreeMap<String, u64>,
    pub by_language: BTreeMap<String, u64>,
    /// Cycles held to an SLA policy, and how many met every target.
    pub sla: SlaFigures,
    /// Per team (by id; `none`: no team): cycles and their SLA.
    pub by_team: BTreeMap<String, TeamFigures>,
}

/// Cycles held to an SLA policy and those within it (every target met).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlaFigures {
    pub held: u64,
    pub met: u64,
    /// `met / held`; none when no cycle was held.
    pub within_rate: Option<f64>,
}

impl SlaFigures {
    fn of(held: u64, met: u64) -> SlaFigures {
        SlaFigures { held, met, within_rate: ratio(met, held) }
    }
}

/// One team's cycles and SLA over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamFigures {
    pub cycles: u64,
    pub sla: SlaFigures,
}

/// Durations in milliseconds: every value while there are at most `EXACT` of them, and always
/// a histogram whose buckets are 1 s wide under 2 minutes, 10 s under 30 minutes, 1 minute under
/// 6 hours, 10 minutes under 3 days and an hour beyond.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Durations {
    count: u64,
    /// Every value, while `count <= EXACT`.
    exact: Vec<i64>,
    /// Counts of the buckets under 3 days, by their index (`slot`): a million values are
    /// counted without a map lookup each.
    slots: Vec<u64>,
    /// Counts of the hour-wide buckets from 3 days on, by their start.
    tail: Map<i64, u64>,
}

/// Values kept one by one before only buckets remain.
const EXACT: usize = 4096;

/// The bucket widths, each up to where it stops: 1 s under 2 minutes, 10 s under 30 minutes,
/// 1 minute under 6 hours, 10 minutes under 3 days (an hour beyond).
const WIDTHS: [(i64, i64); 4] = [(120_000, 1_000), (1_800_000, 10_000), (21_600_000, 60_000), (259_200_000, 600_000)];
const TAIL_WIDTH: i64 = 3_600_000;

/// The index of the bucket a duration (≥ 0) falls in, under 3 days.
fn slot(ms: i64) -> Option<usize> {
    let (mut first, mut from) = (0, 0);
    for (until, width) in WIDTHS {
        if ms < until {
            return Some(first + ((ms - from) / width) as usize);
        }
        first += ((until - from) / width) as usize;
        from = until;
    }
    None
}

/// Where the bucket of index `slot` starts.
fn slot_start(mut slot: usize) -> i64 {
    let mut from = 0;
    for (until, width) in WIDTHS {
        let slots = ((until - from) / width) as usize;
        if slot < slots {
            return from + slot as i64 * width;
        }
        slot -= slots;
        from = until;
    }
    from
}

impl Durations {
    pub fn push(&mut self, ms: i64) {
        let ms = ms.max(0);
        self.count += 1;
        match slot(ms) {
            Some(slot) => {
                if slot >= self.slots.len() {
                    self.slots.resize(slot + 1, 0);
                }
                self.slots[slot] += 1;
            }
            None => *self.tail.entry(ms - ms % TAIL_WIDTH).or_default() += 1,
        }
        if self.count as usize <= EXACT {
            self.exact.push(ms);
        } else if !self.exact.is_empty() {
            self.exact = Vec::new();
        }
    }

    /// The buckets that hold values, shortest first: `(start, count)`.
    fn buckets(&self) -> impl Iterator<Item = (i64, u64)> + '_ {
        let slots = self.slots.iter().enumerate().filter(|(_, n)| **n > 0).map(|(i, n)| (slot_start(i), *n));
        slots.chain(self.tail.iter().map(|(start, n)| (*start, *n)))
    }

    /// The median and 90th percentile (nearest rank): exact among few values, else the start
    /// of the bucket the rank falls in.
    pub fn percentiles(&self) -> Percentiles {
        if self.count as usize <= EXACT {
            return Percentiles::of(self.exact.clone());
        }
        let at = |q: f64| -> Option<f64> {
            let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
            let mut seen = 0;
            self.buckets()
                .find(|(_, n)| {
                    seen += *n;
                    seen >= rank
                })
                .map(|(start, _)| start as f64 / 1000.0)
        };
        Percentiles { p50: at(0.5), p90: at(0.9) }
    }
}

/// Counts one more of `key`, allocating it only the first time.
fn count(map: &mut Map<String, u64>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_owned(), 1);
        }
    }
}

/// Ratings 1 to 5, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Ratings([u64; 5]);

impl Ratings {
    fn add(&mut self, rating: Option<u8>) {
        if let Some(r) = rating.filter(|r| (1..=5).contains(r)) {
            self.0[usize::from(r - 1)] += 1;
        }
    }

    fn count(&self) -> u64 {
        self.0.iter().sum()
    }

    fn avg(&self) -> Option<f64> {
        let count = self.count();
        (count > 0)
            .then(|| self.0.iter().enumerate().map(|(i, n)| (i as u64 + 1) * n).sum::<u64>() as f64 / count as f64)
    }

    fn satisfaction(&self, asked: u64) -> Satisfaction {
        Satisfaction {
            avg: self.avg(),
            count: self.count(),
            distribution: (1..=5).map(|n| (n.to_string(), self.0[n - 1])).collect(),
            response_rate: ratio(self.count(), asked),
        }
    }
}

/// What one agent did in the cycles tallied.
#[derive(Debug, Clone, Default, PartialEq)]
struct AgentTally {
    credited: u64,
    replies: u64,
    first_response: Durations,
    resolved: u64,
    resolution: Durations,
    ratings: Ratings,
    asked: u64,
    sla_held: u64,
    sla_met: u64,
}

/// One day's cycles (in the business time zone).
#[derive(Debug, Clone, Default, PartialEq)]
struct DayTally {
    cycles: u64,
    first_response: Durations,
    resolution: Durations,
    ratings: Ratings,
}

/// Everything the reports show, counted over some cycles; tallies merge.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    cycles: u64,
    /// Cycles that opened their conversation.
    openings: u64,
    /// Conversations with a reopened cycle here, and when each opened: those opened before
    /// the period count as conversations of it too.
    reopened: Map<i64, Millis>,
    /// The earliest start of a cycle tallied (the period's start, for `reopened`).
    from: Option<Millis>,
    first_response: Durations,
    first_response_business: Durations,
    resolution: Durations,
    resolution_business: Durations,
    resolved: u64,
    resolved_by: Map<String, u64>,
    ratings: Ratings,
    asked: u64,
    bot_answered: u64,
    bot_resolved: u64,
    bot_handed_off: u64,
    handoffs: Map<String, u64>,
    by_channel: Map<String, u64>,
    by_category: Map<String, u64>,
    by_language: Map<String, u64>,
    agents: Map<AgentId, AgentTally>,
    /// By local date, `yyyymmdd`.
    days: Map<u32, DayTally>,
    /// Weekday (Monday 0) × 24 + hour, in the business time zone.
    hours: Map<u8, u64>,
    /// SLA: cycles held to a policy, and within it.
    sla_held: u64,
    sla_met: u64,
    /// Per team (0: none): cycles, held, met.
    teams: Map<i64, (u64, u64, u64)>,
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl Tally {
    /// Tallies the cycles `filter` keeps.
    pub fn of(cycles: &[CycleRow], filter: &Filter, hours: Option<&BusinessHours>, zone: &jiff::tz::TimeZone) -> Tally {
        let mut tally = Tally::default();
        for cycle in cycles.iter().filter(|c| filter.keeps(c)) {
            tally.add(&CycleFacts::of(cycle, hours, zone));
        }
        tally
    }

    /// Adds one cycle.
    pub fn add(&mut self, cycle: &CycleFacts<'_>) {
        self.cycles += 1;
        self.from = Some(self.from.map_or(cycle.started_at, |from| from.min(cycle.started_at)));
        match cycle.reopened {
            Some((conversation, opened)) => {
                self.reopened.insert(conversation, opened);
            }
            None => self.openings += 1,
        }
        if let Some(span) = cycle.first_response {
            self.first_response.push(span.wall);
            self.first_response_business.push(span.business);
        }
        if let Some(span) = cycle.resolution {
            self.resolved += 1;
            self.resolution.push(span.wall);
            self.resolution_business.push(span.business);
        }
        if let Some(by) = cycle.resolved_by {
            count(&mut self.resolved_by, by);
        }
        self.ratings.add(cycle.rating);
        self.asked += u64::from(cycle.asked);
        if cycle.bot_answered {
            self.bot_answered += 1;
            self.bot_resolved += u64::from(matches!(cycle.resolved_by, Some("bot" | "idle")));
            self.bot_handed_off += u64::from(cycle.handoff_reason.is_some());
        }
        if let Some(reason) = cycle.handoff_reason {
            count(&mut self.handoffs, reason);
        }
        count(&mut self.by_channel, cycle.channel);
        count(&mut self.by_category, cycle.category.unwrap_or("uncategorized"));
        count(&mut self.by_language, cycle.locale.unwrap_or("unknown"));
        let (held, met) = (u64::from(cycle.sla_met.is_some()), u64::from(cycle.sla_met == Some(true)));
        self.sla_held += held;
        self.sla_met += met;
        let team = self.teams.entry(cycle.team.unwrap_or(0)).or_default();
        *team = (team.0 + 1, team.1 + held, team.2 + met);
        self.add_agents(cycle);
        if let Some((date, slot)) = cycle.local {
            let day = self.days.entry(date).or_default();
            day.cycles += 1;
            if let Some(span) = cycle.first_response {
                day.first_response.push(span.wall);
            }
            if let Some(span) = cycle.resolution {
                day.resolution.push(span.wall);
            }
            day.ratings.add(cycle.rating);
            *self.hours.entry(slot).or_default() += 1;
        }
    }

    /// Every agent who replied in the cycle is credited with it (and its rating); the first
    /// reply's agent with its first response; the resolver with its resolution.
    fn add_agents(&mut self, cycle: &CycleFacts<'_>) {
        for (agent, replies) in &cycle.agents {
            let tally = self.agents.entry(*agent).or_default();
            tally.credited += 1;
            tally.replies += u64::from(*replies);
            tally.ratings.add(cycle.rating);
            tally.asked += u64::from(cycle.asked);
            tally.sla_held += u64::from(cycle.sla_met.is_some());
            tally.sla_met += u64::from(cycle.sla_met == Some(true));
        }
        if let (Some(agent), Some(span)) = (cycle.first_agent, cycle.first_response) {
            self.agents.entry(agent).or_default().first_response.push(span.wall);
        }
        if let (Some(agent), Some(span)) = (cycle.resolver, cycle.resolution) {
            let tally = self.agents.entry(agent).or_default();
            tally.resolved += 1;
            tally.resolution.push(span.wall);
        }
    }

    /// Whether no cycle was tallied.
    pub fn is_empty(&self) -> bool {
        self.cycles == 0
    }

    /// The tally of a period beginning at `from`: conversations reopened in it that opened
    /// before `from` count as its conversations too.
    pub fn starting(mut self, from: Millis) -> Tally {
        self.from = Some(from);
        self
    }

    /// The summary of the cycles tallied.
    pub fn summary(&self) -> Summary {
        let from = self.from.unwrap_or(Millis::MIN);
        let earlier = self.reopened.values().filter(|opened| **opened < from).count() as u64;
        let by = |who: &str| self.resolved_by.get(who).copied().unwrap_or(0);
        Summary {
            conversations: self.openings + earlier,
            cycles: self.cycles,
            first_response_s: self.first_response.percentiles(),
            first_response_business_s: self.first_response_business.percentiles(),
            resolution_s: self.resolution.percentiles(),
            resolution_business_s: self.resolution_business.percentiles(),
            resolution_rate: ratio(self.resolved, self.cycles).unwrap_or(0.0),
            resolved_by: ResolvedBy { agent: by("agent"), bot: by("bot"), idle: by("idle") },
            csat: self.ratings.satisfaction(self.asked),
            bot: BotFigures {
                answered: self.bot_answered,
                resolved: self.bot_resolved,
                handed_off: self.bot_handed_off,
                containment_rate: ratio(self.bot_resolved, self.bot_answered),
            },
            handoffs: self.handoffs.clone(),
            by_channel: self.by_channel.clone(),
            by_category: self.by_category.clone(),
            by_language: self.by_language.clone(),
            sla: SlaFigures::of(self.sla_held, self.sla_met),
            by_team: self
                .teams
                .iter()
                .map(|(team, (cycles, held, met))| {
                    let name = if *team == 0 { "none".to_owned() } else { team.to_string() };
                    (name, TeamFigures { cycles: *cycles, sla: SlaFigures::of(*held, *met) })
                })
                .collect(),
        }
    }

    /// Each agent who replied or resolved, by id (`only`: just that one).
    pub fn agents(&self, only: Option<AgentId>) -> Vec<AgentFigures> {
        self.agents
            .iter()
            .filter(|(agent, _)| only.is_none_or(|o| o == **agent))
            .map(|(agent, t)| AgentFigures {
                agent_id: *agent,
                conversations: t.credited,
                replies: t.replies,
                first_response_s: t.first_response.percentiles(),
                resolved: t.resolved,
                resolution_s: t.resolution.percentiles(),
                csat: t.ratings.satisfaction(t.asked),
                review_score: None,
                reviews: 0,
                sla: SlaFigures::of(t.sla_held, t.sla_met),
            })
            .collect()
    }

    /// Day by day (days without cycles left out).
    pub fn days(&self) -> Vec<Day> {
        self.days
            .iter()
            .map(|(date, d)| Day {
                date: facts::date_text(*date),
                cycles: d.cycles,
                first_response_s: d.first_response.percentiles(),
                resolution_s: d.resolution.percentiles(),
                csat: d.ratings.avg(),
                ratings: d.ratings.count(),
            })
            .collect()
    }

    /// Cycles begun per weekday (Monday first) and hour.
    pub fn heatmap(&self) -> [[u64; 24]; 7] {
        let mut grid = [[0; 24]; 7];
        for (slot, n) in &self.hours {
            let slot = (*slot as usize).min(7 * 24 - 1);
            grid[slot / 24][slot % 24] += n;
        }
        grid
    }
}

/// One agent's figures over a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentFigures {
    pub agent_id: AgentId,
    /// Cycles they replied in.
    pub conversations: u64,
    pub replies: u64,
    /// Over the cycles whose first reply was theirs.
    pub first_response_s: Percentiles,
    /// Cycles they resolved.
    pub resolved: u64,
    /// Over the cycles they resolved.
    pub resolution_s: Percentiles,
    /// The ratings of the cycles they replied in (every agent who replied is credited).
    pub csat: Satisfaction,
    /// The average of their quality reviews' scores (0–100), if reviewed.
    pub review_score: Option<f64>,
    pub reviews: u64,
    /// The cycles they replied in that were held to an SLA policy, and within it.
    pub sla: SlaFigures,
}

/// One day of a period, in the business time zone.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Day {
    /// `2026-11-23`.
    pub date: String,
    pub cycles: u64,
    pub first_response_s: Percentiles,
    pub resolution_s: Percentiles,
    pub csat: Option<f64>,
    pub ratings: u64,
}

mod facts;
pub use facts::{CycleFacts, Span, first_response, resolution};

#[cfg(test)]
mod tests;
