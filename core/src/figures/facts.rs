//! What one conversation cycle adds to the reports, worked out once: its durations on the wall
//! clock and in business hours, its local day and hour, who is credited. The day rollups keep
//! these (`store::reports`), so a report of any filter tallies them without reading a cycle.

use super::Filter;
use crate::hours::BusinessHours;
use crate::model::{AgentId, ConversationId, Millis};
use crate::store::reports::CycleRow;
use serde::{Deserialize, Serialize};

/// A span measured two ways, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub wall: i64,
    /// Counting only business hours (all hours when none are configured).
    pub business: i64,
}

/// One cycle, as the figures see it; its words are borrowed from the cycle or the kept rollup
/// it is read from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CycleFacts<'a> {
    pub started_at: Millis,
    /// For a cycle that began with a reopening: its conversation, and when that opened.
    pub reopened: Option<(ConversationId, Millis)>,
    pub channel: &'a str,
    #[serde(borrow)]
    pub locale: Option<&'a str>,
    #[serde(borrow)]
    pub category: Option<&'a str>,
    /// From people reached to the first agent's reply.
    pub first_response: Option<Span>,
    /// From the cycle's start to its resolution.
    pub resolution: Option<Span>,
    #[serde(borrow)]
    pub resolved_by: Option<&'a str>,
    pub rating: Option<u8>,
    /// A survey was asked (and perhaps answered).
    pub asked: bool,
    /// The bot answered in the cycle.
    pub bot_answered: bool,
    #[serde(borrow)]
    pub handoff_reason: Option<&'a str>,
    /// Replies per agent (every one is credited with the cycle).
    pub agents: Vec<(AgentId, u32)>,
    pub first_agent: Option<AgentId>,
    pub resolver: Option<AgentId>,
    /// The local date of the start (`yyyymmdd`) and its weekday (Monday 0) × 24 + hour, in the
    /// business time zone.
    pub local: Option<(u32, u8)>,
    pub team: Option<i64>,
    /// Held to an SLA policy: whether every target was met.
    pub sla_met: Option<bool>,
}

/// A cycle's first response: from people reached to the first agent's reply.
pub fn first_response(cycle: &CycleRow) -> Option<(Millis, Millis)> {
    Some((cycle.reached_at?, cycle.first_human_at?))
}

/// A cycle's resolution: from its start to its resolution.
pub fn resolution(cycle: &CycleRow) -> Option<(Millis, Millis)> {
    Some((cycle.started_at, cycle.resolved_at?))
}

/// The local date (`yyyymmdd`) and weekday × 24 + hour of an instant in `zone`.
fn local(at: Millis, zone: &jiff::tz::TimeZone) -> Option<(u32, u8)> {
    let zoned = jiff::Timestamp::from_millisecond(at).ok()?.to_zoned(zone.clone());
    let date = zoned.year() as u32 * 10_000 + zoned.month() as u32 * 100 + zoned.day() as u32;
    Some((date, zoned.weekday().to_monday_zero_offset() as u8 * 24 + zoned.hour() as u8))
}

/// `yyyymmdd` as `2026-11-23`.
pub(super) fn date_text(date: u32) -> String {
    format!("{:04}-{:02}-{:02}", date / 10_000, date / 100 % 100, date % 100)
}

impl<'a> CycleFacts<'a> {
    /// The facts of `cycle`, business hours counted by `hours`, days in `zone`.
    pub fn of(cycle: &'a CycleRow, hours: Option<&BusinessHours>, zone: &jiff::tz::TimeZone) -> CycleFacts<'a> {
        let span = |(from, to): (Millis, Millis)| Span {
            wall: (to - from).max(0),
            business: hours.map_or(to - from, |h| h.open_ms_between(from, to)).max(0),
        };
        CycleFacts {
            started_at: cycle.started_at,
            reopened: cycle.reopened.then_some((cycle.conversation_id, cycle.opened_at)),
            channel: &cycle.channel,
            locale: cycle.locale.as_deref(),
            category: cycle.category.as_deref(),
            first_response: first_response(cycle).map(span),
            resolution: resolution(cycle).map(span),
            resolved_by: cycle.resolved_by.as_deref(),
            rating: cycle.rating.filter(|r| (1..=5).contains(r)).map(|r| r as u8),
            asked: matches!(cycle.survey.as_deref(), Some("asked" | "rated")),
            bot_answered: cycle.bot_replies > 0,
            handoff_reason: cycle.handoff_reason.as_deref(),
            agents: cycle.agents.iter().map(|(agent, n)| (*agent, (*n).clamp(0, u32::MAX as i64) as u32)).collect(),
            first_agent: cycle.first_agent_id,
            resolver: cycle.resolver_id,
            local: local(cycle.started_at, zone),
            team: cycle.team_id,
            sla_met: cycle.sla_policy_id.map(|_| cycle.sla_breaches == 0),
        }
    }
}

impl Filter {
    /// Whether the report counts this cycle.
    pub fn keeps(&self, cycle: &CycleRow) -> bool {
        self.matches(&cycle.channel, cycle.locale.as_deref(), cycle.category.as_deref(), |a| {
            cycle.agents.iter().any(|(agent, _)| *agent == a)
        }) && self.team.is_none_or(|t| cycle.team_id == Some(t))
    }

    /// Whether the report counts the cycle these facts are of.
    pub fn keeps_facts(&self, facts: &CycleFacts) -> bool {
        self.matches(facts.channel, facts.locale, facts.category, |a| facts.agents.iter().any(|(agent, _)| *agent == a))
            && self.team.is_none_or(|t| facts.team == Some(t))
    }

    fn matches(
        &self,
        channel: &str,
        locale: Option<&str>,
        category: Option<&str>,
        replied: impl Fn(AgentId) -> bool,
    ) -> bool {
        self.channel.as_deref().is_none_or(|c| c == channel)
            && self.agent.is_none_or(replied)
            && self.language.as_deref().is_none_or(|l| locale == Some(l))
            && self.category.as_deref().is_none_or(|c| category == Some(c))
    }
}
