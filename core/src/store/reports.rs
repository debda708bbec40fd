//! What reports are computed from: the conversation cycles that began in a period (the
//! `cycles` rollup the ledger keeps, with each cycle's category, reference and survey), and
//! which agents replied in each.

use super::Store;
use crate::error::Result;
use crate::model::*;
use sqlx::Row;
use std::collections::HashMap;

/// One conversation cycle: from its opening (or a reopening) to its resolution.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CycleRow {
    pub conversation_id: ConversationId,
    pub reference: String,
    pub started_at: Millis,
    /// Began with a reopening rather than the conversation's opening.
    pub reopened: bool,
    /// When the conversation opened (its first cycle's start).
    pub opened_at: Millis,
    pub channel: String,
    pub locale: Option<String>,
    pub category: Option<String>,
    /// When people were reached: a hand-off, or the cycle's start where no bot answered.
    pub reached_at: Option<Millis>,
    /// The first reply of an agent.
    pub first_human_at: Option<Millis>,
    pub first_agent_id: Option<AgentId>,
    pub assignee_id: Option<AgentId>,
    pub handoff_reason: Option<String>,
    pub customer_messages: i64,
    pub bot_replies: i64,
    pub agent_replies: i64,
    pub resolved_at: Option<Millis>,
    /// `agent`, `bot` (the customer said it was solved) or `idle` (the bot's answer met silence).
    pub resolved_by: Option<String>,
    pub resolver_id: Option<AgentId>,
    /// The cycle's survey: `due`, `asked`, `rated`, `cancelled`, `skipped`.
    pub survey: Option<String>,
    pub rating: Option<i64>,
    pub comment: Option<String>,
    /// Replies per agent in this cycle (who is credited with it).
    pub agents: Vec<(AgentId, i64)>,
}

impl Store {
    /// The cycles that began in `[from, to)`, the earliest first, with the agents who replied in
    /// each.
    pub async fn report_cycles(&self, from: Millis, to: Millis) -> Result<Vec<CycleRow>> {
        let rows = sqlx::query(
            "SELECT c.conversation_id, v.reference, c.started_at, c.reopened, c.channel, c.locale, v.category, \
             c.reached_at, c.first_human_at, c.first_agent_id, c.assignee_id, c.handoff_reason, c.customer_messages, \
             c.bot_replies, c.agent_replies, c.resolved_at, c.resolved_by, c.resolver_id, s.state, s.rating, s.comment, \
             v.created_at \
             FROM cycles c JOIN conversations v ON v.id = c.conversation_id \
             LEFT JOIN surveys s ON s.conversation_id = c.conversation_id AND s.cycle_started_at = c.started_at \
             WHERE c.started_at >= $1 AND c.started_at < $2 ORDER BY c.started_at, c.conversation_id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        let mut cycles = rows.iter().map(cycle_of).collect::<Result<Vec<_>>>()?;
        let mut credits: HashMap<(ConversationId, Millis), Vec<(AgentId, i64)>> = HashMap::new();
        let replies = sqlx::query(
            "SELECT conversation_id, cycle, agent_id, COUNT(*) FROM ledger \
             WHERE kind = 'agent_reply' AND agent_id IS NOT NULL AND cycle >= $1 AND cycle < $2 \
             GROUP BY conversation_id, cycle, agent_id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        for row in replies {
            let key = (row.try_get(0)?, row.try_get(1)?);
            credits.entry(key).or_default().push((row.try_get(2)?, row.try_get(3)?));
        }
        for cycle in &mut cycles {
            if let Some(mut agents) = credits.remove(&(cycle.conversation_id, cycle.started_at)) {
                agents.sort_unstable();
                cycle.agents = agents;
            }
        }
        Ok(cycles)
    }
}

fn cycle_of(r: &sqlx::any::AnyRow) -> Result<CycleRow> {
    Ok(CycleRow {
        conversation_id: r.try_get(0)?,
        reference: r.try_get(1)?,
        started_at: r.try_get(2)?,
        reopened: r.try_get::<i64, _>(3)? != 0,
        channel: r.try_get(4)?,
        locale: r.try_get(5)?,
        category: r.try_get(6)?,
        reached_at: r.try_get(7)?,
        first_human_at: r.try_get(8)?,
        first_agent_id: r.try_get(9)?,
        assignee_id: r.try_get(10)?,
        handoff_reason: r.try_get(11)?,
        customer_messages: r.try_get(12)?,
        bot_replies: r.try_get(13)?,
        agent_replies: r.try_get(14)?,
        resolved_at: r.try_get(15)?,
        resolved_by: r.try_get(16)?,
        resolver_id: r.try_get(17)?,
        survey: r.try_get(18)?,
        rating: r.try_get(19)?,
        comment: r.try_get(20)?,
        opened_at: r.try_get(21)?,
        agents: Vec::new(),
    })
}

impl Store {
    /// What customers asked that the bot had no confident answer to, in the cycles that began
    /// in `[from, to)`: the last message before each such hand-off, with the cycle's language.
    pub async fn unanswered_questions(&self, from: Millis, to: Millis) -> Result<Vec<(String, Option<String>)>> {
        let rows = sqlx::query(
            "SELECT (SELECT m.body FROM messages m WHERE m.conversation_id = c.conversation_id \
                     AND m.direction = 'inbound' AND m.author = 'contact' AND m.created_at >= c.started_at \
                     AND m.created_at <= c.reached_at ORDER BY m.id DESC LIMIT 1), c.locale \
             FROM cycles c WHERE c.started_at >= $1 AND c.started_at < $2 AND c.handoff_reason = 'not_sure' \
             ORDER BY c.started_at LIMIT 20000",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        let mut questions = Vec::with_capacity(rows.len());
        for row in rows {
            if let Some(body) = row.try_get::<Option<String>, _>(0)? {
                questions.push((body, row.try_get(1)?));
            }
        }
        Ok(questions)
    }
}

/// A day of the report versions (UTC).
pub(crate) const VERSION_DAY: Millis = 86_400_000;

/// The statement raising the version of each day (UTC) in which a cycle `starts` selects began
/// (`SELECT <a cycle's start> AS start …`): a day tally of it kept before no longer holds.
pub(crate) fn raise_versions(starts: &str) -> String {
    format!(
        "INSERT INTO report_versions (day, version) SELECT DISTINCT start / {VERSION_DAY}, 1 FROM ({starts}) AS s \
         WHERE true ON CONFLICT (day) DO UPDATE SET version = report_versions.version + 1"
    )
}

/// The days of `[from, to)` in `zone`: each `(start, end, whole)`, `whole` when the period
/// holds all of it (only whole days are kept in the cache).
fn zone_days(from: Millis, to: Millis, zone: &jiff::tz::TimeZone) -> Vec<(Millis, Millis, bool)> {
    let midnight = |at: Millis| -> Option<Millis> {
        let zoned = jiff::Timestamp::from_millisecond(at).ok()?.to_zoned(zone.clone());
        Some(zoned.start_of_day().ok()?.timestamp().as_millisecond())
    };
    let next_midnight = |start: Millis| -> Option<Millis> {
        let zoned = jiff::Timestamp::from_millisecond(start).ok()?.to_zoned(zone.clone());
        Some(zoned.tomorrow().ok()?.start_of_day().ok()?.timestamp().as_millisecond())
    };
    let mut days = Vec::new();
    let Some(mut start) = midnight(from) else { return vec![(from, to, false)] };
    while start < to {
        let Some(end) = next_midnight(start).filter(|end| *end > start) else {
            days.push((start.max(from), to, false));
            break;
        };
        days.push((start.max(from), end.min(to), start >= from && end <= to));
        start = end;
    }
    days
}

/// What a cached tally depends on besides the cycles: the filter, the business hours and the
/// time zone days are counted in.
fn tally_key(
    filter: &crate::figures::Filter,
    hours: Option<&crate::hours::BusinessHours>,
    zone: &jiff::tz::TimeZone,
) -> String {
    crate::storable::hash(&format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{}",
        filter.channel,
        filter.agent,
        filter.language,
        filter.category,
        hours.map(|h| format!("{h:?}")),
        zone.iana_name().unwrap_or("fixed")
    ))
}

impl Store {
    /// The tally of the cycles `filter` keeps that began in `[from, to)`, days counted in
    /// `zone`: each whole day's tally from the cache while no event of its days changed it,
    /// else computed from its cycles (and kept).
    pub async fn report_tally(
        &self,
        (from, to): (Millis, Millis),
        filter: &crate::figures::Filter,
        hours: Option<&crate::hours::BusinessHours>,
        zone: &jiff::tz::TimeZone,
    ) -> Result<crate::figures::Tally> {
        use crate::figures::Tally;
        let key = tally_key(filter, hours, zone);
        let versions: HashMap<i64, i64> =
            sqlx::query("SELECT day, version FROM report_versions WHERE day >= $1 AND day <= $2")
                .bind(from / VERSION_DAY - 1)
                .bind(to / VERSION_DAY + 1)
                .fetch_all(self.pool())
                .await?
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                .collect::<Result<_>>()?;
        let cached: HashMap<i64, (String, String)> = sqlx::query(
            "SELECT day_start, stamp, tally FROM report_cache WHERE filter = $1 AND day_start >= $2 AND day_start < $3",
        )
        .bind(&key)
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?))))
        .collect::<Result<_>>()?;
        let mut tally = Tally::default();
        for (start, end, whole) in zone_days(from, to, zone) {
            let stamp: Vec<String> = (start / VERSION_DAY..=(end - 1) / VERSION_DAY)
                .map(|day| versions.get(&day).copied().unwrap_or(0).to_string())
                .collect();
            let stamp = stamp.join(",");
            if whole
                && let Some((kept, json)) = cached.get(&start)
                && *kept == stamp
                && let Ok(day) = serde_json::from_str::<Tally>(json)
            {
                tally.merge(&day);
                continue;
            }
            let day = Tally::of(&self.report_cycles(start, end).await?, filter, hours, zone);
            // An empty day costs one indexed look to count again; keeping it would cost a write.
            if whole && !day.is_empty() {
                let json = serde_json::to_string(&day).expect("a tally serializes");
                sqlx::query(
                    "INSERT INTO report_cache (day_start, filter, stamp, tally) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (day_start, filter) DO UPDATE SET stamp = excluded.stamp, tally = excluded.tally",
                )
                .bind(start)
                .bind(&key)
                .bind(stamp)
                .bind(json)
                .execute(self.pool())
                .await?;
            }
            tally.merge(&day);
        }
        Ok(tally.starting(from))
    }
}
