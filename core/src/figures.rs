//! Every report figure, computed one way from the conversation cycles of a period
//! (`store::reports::CycleRow`), for the API, the reports page and the CSV alike. The
//! definitions are those of docs/metrics.md; the tests below hold them to a hand-built history.

use crate::hours::BusinessHours;
use crate::model::{AgentId, Millis};
use crate::store::reports::CycleRow;
use serde::Serialize;
use std::collections::BTreeMap;

/// Which cycles a report counts; `None` counts all.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub channel: Option<String>,
    /// Cycles this agent replied in.
    pub agent: Option<AgentId>,
    pub language: Option<String>,
    pub category: Option<String>,
}

impl Filter {
    pub fn keeps(&self, cycle: &CycleRow) -> bool {
        self.channel.as_ref().is_none_or(|c| *c == cycle.channel)
            && self.agent.is_none_or(|a| cycle.agents.iter().any(|(agent, _)| *agent == a))
            && self.language.as_ref().is_none_or(|l| cycle.locale.as_deref() == Some(l.as_str()))
            && self.category.as_ref().is_none_or(|c| cycle.category.as_deref() == Some(c.as_str()))
    }
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
    /// Hand-offs to people by reason (asked, upset, account, secret, not_sure, topic, agent).
    pub handoffs: BTreeMap<String, u64>,
    pub by_channel: BTreeMap<String, u64>,
    pub by_category: BTreeMap<String, u64>,
    pub by_language: BTreeMap<String, u64>,
}

/// The durations of a kind, wall-clock and in business hours (`hours` none: all hours count).
fn durations(pairs: impl Iterator<Item = (Millis, Millis)>, hours: Option<&BusinessHours>) -> [Percentiles; 2] {
    let (wall, business): (Vec<i64>, Vec<i64>) = pairs
        .map(|(from, to)| {
            let wall = (to - from).max(0);
            (wall, hours.map_or(wall, |h| h.open_ms_between(from, to)))
        })
        .unzip();
    [Percentiles::of(wall), Percentiles::of(business)]
}

/// A cycle's first response: from people reached to the first agent's reply.
pub fn first_response(cycle: &CycleRow) -> Option<(Millis, Millis)> {
    Some((cycle.reached_at?, cycle.first_human_at?))
}

/// A cycle's resolution: from its start to its resolution.
pub fn resolution(cycle: &CycleRow) -> Option<(Millis, Millis)> {
    Some((cycle.started_at, cycle.resolved_at?))
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The ratings of `cycles`.
pub fn satisfaction<'a>(cycles: impl Iterator<Item = &'a CycleRow>) -> Satisfaction {
    let mut asked = 0;
    let mut ratings = Vec::new();
    for cycle in cycles {
        if matches!(cycle.survey.as_deref(), Some("asked" | "rated")) {
            asked += 1;
        }
        ratings.extend(cycle.rating);
    }
    let mut distribution: BTreeMap<String, u64> = (1..=5).map(|n| (n.to_string(), 0)).collect();
    for rating in &ratings {
        *distribution.entry(rating.to_string()).or_default() += 1;
    }
    let count = ratings.len() as u64;
    Satisfaction {
        avg: (count > 0).then(|| ratings.iter().sum::<i64>() as f64 / count as f64),
        count,
        distribution,
        response_rate: ratio(count, asked),
    }
}

/// The summary of the cycles `filter` keeps.
pub fn summary(cycles: &[CycleRow], filter: &Filter, hours: Option<&BusinessHours>) -> Summary {
    let kept: Vec<&CycleRow> = cycles.iter().filter(|c| filter.keeps(c)).collect();
    let mut conversations: Vec<_> = kept.iter().map(|c| c.conversation_id).collect();
    conversations.sort_unstable();
    conversations.dedup();
    let [first_response_s, first_response_business_s] = durations(kept.iter().filter_map(|c| first_response(c)), hours);
    let [resolution_s, resolution_business_s] = durations(kept.iter().filter_map(|c| resolution(c)), hours);
    let resolved = kept.iter().filter(|c| c.resolved_at.is_some()).count() as u64;
    let by = |who: &str| kept.iter().filter(|c| c.resolved_by.as_deref() == Some(who)).count() as u64;
    let answered: Vec<&&CycleRow> = kept.iter().filter(|c| c.bot_replies > 0).collect();
    let bot_resolved =
        answered.iter().filter(|c| matches!(c.resolved_by.as_deref(), Some("bot" | "idle"))).count() as u64;
    let count_by = |key: &dyn Fn(&CycleRow) -> Option<String>, missing: &str| {
        let mut counts = BTreeMap::new();
        for cycle in &kept {
            *counts.entry(key(cycle).unwrap_or_else(|| missing.to_owned())).or_insert(0) += 1;
        }
        counts
    };
    let mut handoffs = BTreeMap::new();
    for reason in kept.iter().filter_map(|c| c.handoff_reason.clone()) {
        *handoffs.entry(reason).or_insert(0) += 1;
    }
    Summary {
        conversations: conversations.len() as u64,
        cycles: kept.len() as u64,
        first_response_s,
        first_response_business_s,
        resolution_s,
        resolution_business_s,
        resolution_rate: ratio(resolved, kept.len() as u64).unwrap_or(0.0),
        resolved_by: ResolvedBy { agent: by("agent"), bot: by("bot"), idle: by("idle") },
        csat: satisfaction(kept.iter().copied()),
        bot: BotFigures {
            answered: answered.len() as u64,
            resolved: bot_resolved,
            handed_off: answered.iter().filter(|c| c.handoff_reason.is_some()).count() as u64,
            containment_rate: ratio(bot_resolved, answered.len() as u64),
        },
        handoffs,
        by_channel: count_by(&|c| Some(c.channel.clone()), "unknown"),
        by_category: count_by(&|c| c.category.clone(), "uncategorized"),
        by_language: count_by(&|c| c.locale.clone(), "unknown"),
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
}

/// Each agent who replied or resolved in the cycles `filter` keeps, by id.
pub fn agents(cycles: &[CycleRow], filter: &Filter) -> Vec<AgentFigures> {
    let kept: Vec<&CycleRow> = cycles.iter().filter(|c| filter.keeps(c)).collect();
    let mut ids: Vec<AgentId> =
        kept.iter().flat_map(|c| c.agents.iter().map(|(a, _)| *a).chain(c.resolver_id)).collect();
    ids.sort_unstable();
    ids.dedup();
    if let Some(only) = filter.agent {
        ids.retain(|a| *a == only);
    }
    ids.into_iter()
        .map(|agent| {
            let credited: Vec<&&CycleRow> = kept.iter().filter(|c| c.agents.iter().any(|(a, _)| *a == agent)).collect();
            let replies =
                credited.iter().flat_map(|c| &c.agents).filter(|(a, _)| *a == agent).map(|(_, n)| *n).sum::<i64>();
            let firsts = kept.iter().filter(|c| c.first_agent_id == Some(agent)).filter_map(|c| first_response(c));
            let resolved: Vec<&&CycleRow> =
                kept.iter().filter(|c| c.resolver_id == Some(agent) && c.resolved_at.is_some()).collect();
            AgentFigures {
                agent_id: agent,
                conversations: credited.len() as u64,
                replies: replies as u64,
                first_response_s: Percentiles::of(firsts.map(|(from, to)| (to - from).max(0)).collect()),
                resolved: resolved.len() as u64,
                resolution_s: Percentiles::of(
                    resolved.iter().filter_map(|c| resolution(c)).map(|(from, to)| (to - from).max(0)).collect(),
                ),
                csat: satisfaction(credited.iter().map(|c| **c)),
                review_score: None,
                reviews: 0,
            }
        })
        .collect()
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

/// The local date and the weekday (Monday 0) and hour of an instant in `zone`.
fn local(at: Millis, zone: &jiff::tz::TimeZone) -> Option<(jiff::civil::Date, usize, usize)> {
    let zoned = jiff::Timestamp::from_millisecond(at).ok()?.to_zoned(zone.clone());
    Some((zoned.date(), zoned.weekday().to_monday_zero_offset() as usize, zoned.hour() as usize))
}

/// The cycles `filter` keeps, day by day (days with none are left out), in `zone`.
pub fn daily(cycles: &[CycleRow], filter: &Filter, zone: &jiff::tz::TimeZone) -> Vec<Day> {
    let mut days: BTreeMap<jiff::civil::Date, Vec<&CycleRow>> = BTreeMap::new();
    for cycle in cycles.iter().filter(|c| filter.keeps(c)) {
        if let Some((date, _, _)) = local(cycle.started_at, zone) {
            days.entry(date).or_default().push(cycle);
        }
    }
    days.into_iter()
        .map(|(date, day)| {
            let spans = |span: fn(&CycleRow) -> Option<(Millis, Millis)>| {
                Percentiles::of(day.iter().filter_map(|c| span(c)).map(|(from, to)| (to - from).max(0)).collect())
            };
            let csat = satisfaction(day.iter().copied());
            Day {
                date: date.to_string(),
                cycles: day.len() as u64,
                first_response_s: spans(first_response),
                resolution_s: spans(resolution),
                csat: csat.avg,
                ratings: csat.count,
            }
        })
        .collect()
}

/// Cycles begun per weekday (Monday first) and hour, in `zone`.
pub fn heatmap(cycles: &[CycleRow], filter: &Filter, zone: &jiff::tz::TimeZone) -> [[u64; 24]; 7] {
    let mut grid = [[0; 24]; 7];
    for cycle in cycles.iter().filter(|c| filter.keeps(c)) {
        if let Some((_, weekday, hour)) = local(cycle.started_at, zone) {
            grid[weekday][hour] += 1;
        }
    }
    grid
}

#[cfg(test)]
mod tests;
