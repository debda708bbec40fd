//! The reports' day rollups: each whole day (in the business time zone) keeps the facts of the
//! cycles that began in it (`figures::CycleFacts`), worked out once. A report of any filter and
//! period adds up its days' facts; a day is worked out again from its cycles only when an event
//! of it raised its version since (`report_versions`), or when the business hours changed.

use super::Store;
use super::reports::VERSION_DAY;
use crate::error::Result;
use crate::figures::{CycleFacts, Filter, Tally};
use crate::hours::BusinessHours;
use crate::model::Millis;
use bincode::Options;
use sqlx::Row;
use std::collections::HashMap;

/// One day of a period, and whether its kept facts still hold.
#[derive(Debug, Clone)]
struct Day {
    start: Millis,
    end: Millis,
    /// The period holds all of it (only whole days are kept).
    whole: bool,
    /// The versions of the UTC days it covers, as kept with its facts.
    stamp: String,
    /// Its kept facts hold.
    kept: bool,
}

/// How many kept days are read at once: enough to keep round trips few, few enough that a
/// period of years never sits in memory whole.
const DAYS_PER_READ: usize = 8;

/// How facts are kept: bincode with numbers as varints (most are small: ids, durations).
fn kept_form() -> impl bincode::Options {
    bincode::DefaultOptions::new()
}

/// The form of the kept facts: raised whenever `CycleFacts` changes, so that days kept in an
/// earlier form are worked out again rather than misread.
const FACTS_FORM: u32 = 2;

/// What kept facts depend on besides the cycles: their form, the business hours and the zone.
fn basis(hours: Option<&BusinessHours>, zone: &jiff::tz::TimeZone) -> String {
    let zone = zone.iana_name().map_or_else(|| format!("{zone:?}"), str::to_owned);
    crate::storable::hash(&format!("{FACTS_FORM}|{:?}|{zone}", hours.map(|h| format!("{h:?}"))))
}

/// The start of the day `at` falls in, in `zone`.
fn midnight(at: Millis, zone: &jiff::tz::TimeZone) -> Option<Millis> {
    let zoned = jiff::Timestamp::from_millisecond(at).ok()?.to_zoned(zone.clone());
    Some(zoned.start_of_day().ok()?.timestamp().as_millisecond())
}

/// The days of `[from, to)` in `zone`: each `(start, end, whole)`.
fn zone_days(from: Millis, to: Millis, zone: &jiff::tz::TimeZone) -> Vec<(Millis, Millis, bool)> {
    let next_midnight = |at: Millis| {
        let zoned = jiff::Timestamp::from_millisecond(at).ok()?.to_zoned(zone.clone());
        Some(zoned.tomorrow().ok()?.start_of_day().ok()?.timestamp().as_millisecond())
    };
    let mut days = Vec::new();
    let Some(mut start) = midnight(from, zone) else { return vec![(from, to, false)] };
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

impl Store {
    /// The days of `[from, to)` and whether each one's kept facts hold.
    async fn period_days(
        &self,
        (from, to): (Millis, Millis),
        basis: &str,
        zone: &jiff::tz::TimeZone,
    ) -> Result<Vec<Day>> {
        let versions: HashMap<i64, i64> =
            sqlx::query("SELECT day, version FROM report_versions WHERE day >= $1 AND day <= $2")
                .bind(from / VERSION_DAY - 1)
                .bind(to / VERSION_DAY + 1)
                .fetch_all(self.pool())
                .await?
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                .collect::<Result<_>>()?;
        let stamps: HashMap<i64, String> = sqlx::query(
            "SELECT day_start, stamp FROM report_days WHERE basis = $1 AND day_start >= $2 AND day_start < $3",
        )
        .bind(basis)
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_>>()?;
        Ok(zone_days(from, to, zone)
            .into_iter()
            .map(|(start, end, whole)| {
                let stamp: Vec<String> = (start / VERSION_DAY..=(end - 1) / VERSION_DAY)
                    .map(|day| versions.get(&day).copied().unwrap_or(0).to_string())
                    .collect();
                let stamp = stamp.join(",");
                let kept = whole && stamps.get(&start) == Some(&stamp);
                Day { start, end, whole, stamp, kept }
            })
            .collect())
    }

    /// Works a day out from its cycles and keeps it when it is whole. Returns its cycles.
    async fn work_out_day(
        &self,
        day: &Day,
        basis: &str,
        hours: Option<&BusinessHours>,
        zone: &jiff::tz::TimeZone,
    ) -> Result<Vec<super::reports::CycleRow>> {
        let cycles = self.report_cycles(day.start, day.end).await?;
        if day.whole {
            let facts: Vec<CycleFacts<'_>> = cycles.iter().map(|c| CycleFacts::of(c, hours, zone)).collect();
            let blob = kept_form().serialize(&facts).expect("facts serialize");
            sqlx::query(
                "INSERT INTO report_days (day_start, basis, stamp, cycles, facts) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (basis, day_start) DO UPDATE SET stamp = excluded.stamp, cycles = excluded.cycles, \
                 facts = excluded.facts",
            )
            .bind(day.start)
            .bind(basis)
            .bind(&day.stamp)
            .bind(cycles.len() as i64)
            .bind(blob)
            .execute(self.pool())
            .await?;
        }
        Ok(cycles)
    }

    /// The kept facts of `days` (consecutive), by day start.
    async fn kept_facts(&self, days: &[Day], basis: &str) -> Result<HashMap<Millis, Vec<u8>>> {
        let (Some(first), Some(last)) = (days.first(), days.last()) else { return Ok(HashMap::new()) };
        if !days.iter().any(|day| day.kept) {
            return Ok(HashMap::new());
        }
        let rows = sqlx::query(
            "SELECT day_start, facts FROM report_days WHERE basis = $1 AND day_start >= $2 AND day_start < $3",
        )
        .bind(basis)
        .bind(first.start)
        .bind(last.end)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// The tally of the cycles `filter` keeps that began in `[from, to)`, business hours
    /// counted by `hours`, days in `zone`: each whole day from its kept facts while they hold,
    /// else worked out from its cycles (and kept).
    pub async fn report_tally(
        &self,
        (from, to): (Millis, Millis),
        filter: &Filter,
        hours: Option<&BusinessHours>,
        zone: &jiff::tz::TimeZone,
    ) -> Result<Tally> {
        let basis = basis(hours, zone);
        let mut tally = Tally::default();
        for chunk in self.period_days((from, to), &basis, zone).await?.chunks(DAYS_PER_READ) {
            let kept = self.kept_facts(chunk, &basis).await?;
            for day in chunk {
                let facts = kept.get(&day.start).filter(|_| day.kept).and_then(|blob| {
                    kept_form()
                        .deserialize::<Vec<CycleFacts<'_>>>(blob)
                        .inspect_err(
                            |error| tracing::warn!(%error, day = day.start, "a kept report day is worked out again"),
                        )
                        .ok()
                });
                if let Some(facts) = facts {
                    facts.iter().filter(|f| filter.keeps_facts(f)).for_each(|f| tally.add(f));
                    continue;
                }
                let cycles = self.work_out_day(day, &basis, hours, zone).await?;
                for cycle in cycles.iter().filter(|c| filter.keeps(c)) {
                    tally.add(&CycleFacts::of(cycle, hours, zone));
                }
            }
        }
        Ok(tally.starting(from))
    }

    /// Keeps every whole day from the first cycle until `until` worked out, so that reports
    /// find their days ready; returns how many days were worked out again.
    pub async fn keep_report_days(
        &self,
        until: Millis,
        hours: Option<&BusinessHours>,
        zone: &jiff::tz::TimeZone,
    ) -> Result<usize> {
        let first: Option<i64> =
            sqlx::query("SELECT MIN(started_at) FROM cycles").fetch_one(self.pool()).await?.try_get(0)?;
        let Some(first) = first.filter(|first| *first < until).and_then(|first| midnight(first, zone)) else {
            return Ok(0);
        };
        let basis = basis(hours, zone);
        let mut worked = 0;
        for day in self.period_days((first, until), &basis, zone).await? {
            if day.whole && !day.kept {
                self.work_out_day(&day, &basis, hours, zone).await?;
                worked += 1;
            }
        }
        Ok(worked)
    }
}
