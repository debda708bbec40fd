//! Business hours: when people answer. Outside them the bot keeps answering what it can, and a
//! handoff tells the customer when a person will be back.
//!
//! Written as `mon-fri 09:00-18:00; sat 10:00-14:00` in a time zone (`Asia/Shanghai`), with
//! holidays as dates (`2026-12-25, 2027-01-01`).

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};
use std::collections::HashSet;

#[derive(Debug, Clone)]
pub struct BusinessHours {
    zone: TimeZone,
    zone_name: String,
    /// Opening spans per weekday (Monday first), in minutes after midnight.
    week: [Vec<(u16, u16)>; 7],
    holidays: HashSet<Date>,
}

impl BusinessHours {
    /// Parses the schedule; errors say what is wrong in words an operator can act on.
    pub fn parse(schedule: &str, zone: &str, holidays: &str) -> Result<BusinessHours, String> {
        let tz =
            TimeZone::get(zone.trim()).map_err(|_| format!("unknown time zone {zone:?} (e.g. Asia/Shanghai, UTC)"))?;
        let mut week: [Vec<(u16, u16)>; 7] = Default::default();
        for rule in schedule.split(';').map(str::trim).filter(|r| !r.is_empty()) {
            let (days, span) =
                rule.split_once(' ').ok_or_else(|| format!("{rule:?}: expected e.g. mon-fri 09:00-18:00"))?;
            let (from, to) =
                span.trim().split_once('-').ok_or_else(|| format!("{rule:?}: expected a span like 09:00-18:00"))?;
            let (from, to) = (minutes(from)?, minutes(to)?);
            if from >= to {
                return Err(format!("{rule:?}: the span must end after it starts"));
            }
            for day in weekdays(days)? {
                week[day].push((from, to));
            }
        }
        let holidays = holidays
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| d.parse::<Date>().map_err(|_| format!("{d:?} is not a date like 2026-12-25")))
            .collect::<Result<_, _>>()?;
        Ok(BusinessHours { zone: tz, zone_name: zone.trim().to_owned(), week, holidays })
    }

    pub fn is_open(&self, now: Timestamp) -> bool {
        let local = now.to_zoned(self.zone.clone());
        if self.holidays.contains(&local.date()) {
            return false;
        }
        let minute = local.hour() as u16 * 60 + local.minute() as u16;
        self.week[day_index(local.weekday())].iter().any(|(from, to)| (*from..*to).contains(&minute))
    }

    /// When people are next at work (within the coming four weeks), in the schedule's zone.
    pub fn next_opening(&self, now: Timestamp) -> Option<Zoned> {
        let local = now.to_zoned(self.zone.clone());
        let minute = local.hour() as u16 * 60 + local.minute() as u16;
        for offset in 0..28i64 {
            let date = local.date().checked_add(offset.days()).ok()?;
            if self.holidays.contains(&date) {
                continue;
            }
            let mut starts: Vec<u16> = self.week[day_index(date.weekday())].iter().map(|(from, _)| *from).collect();
            starts.sort_unstable();
            let Some(start) = starts.into_iter().find(|from| offset > 0 || *from > minute) else { continue };
            let time = Time::new((start / 60) as i8, (start % 60) as i8, 0, 0).ok()?;
            return date.to_datetime(time).to_zoned(self.zone.clone()).ok();
        }
        None
    }

    /// How much of `[from, to)` (Unix milliseconds) falls within business hours: a duration as
    /// people count it, nights, weekends and holidays left out. Day by day in the schedule's
    /// zone, so a span of weeks costs a few dozen steps.
    pub fn open_ms_between(&self, from: i64, to: i64) -> i64 {
        self.open_spans(from, to).iter().map(|(a, b)| b - a).sum()
    }

    /// The open spans within `[from, to)`, in order, each clipped to it.
    pub fn open_spans(&self, from: i64, to: i64) -> Vec<(i64, i64)> {
        let mut spans = Vec::new();
        if to <= from {
            return spans;
        }
        let (Ok(start), Ok(end)) = (Timestamp::from_millisecond(from), Timestamp::from_millisecond(to)) else {
            return spans;
        };
        let (start, end) = (start.to_zoned(self.zone.clone()), end.to_zoned(self.zone.clone()));
        let mut date = start.date();
        while date <= end.date() {
            if !self.holidays.contains(&date) {
                let mut day: Vec<(i64, i64)> = Vec::new();
                for (opens, closes) in &self.week[day_index(date.weekday())] {
                    let at = |minute: u16| -> Option<i64> {
                        let time = Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0).ok();
                        // 24:00 is the next day's midnight.
                        let (day, time) = match time {
                            Some(time) => (date, time),
                            None => (date.tomorrow().ok()?, Time::midnight()),
                        };
                        Some(day.to_datetime(time).to_zoned(self.zone.clone()).ok()?.timestamp().as_millisecond())
                    };
                    if let (Some(opens), Some(closes)) = (at(*opens), at(*closes)) {
                        let (a, b) = (opens.max(from), closes.min(to));
                        if a < b {
                            day.push((a, b));
                        }
                    }
                }
                day.sort_unstable();
                spans.extend(day);
            }
            let Ok(next) = date.tomorrow() else { break };
            date = next;
        }
        spans
    }

    /// The schedule's time zone (reports count hours of the day in it).
    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// The zone's name as configured (`Asia/Shanghai`), which customers are told times in.
    pub fn zone_name(&self) -> &str {
        &self.zone_name
    }

    /// "2026-11-24 09:00 (Asia/Shanghai)": readable in every language.
    pub fn describe(&self, when: &Zoned) -> String {
        format!("{} ({})", when.strftime("%Y-%m-%d %H:%M"), self.zone_name)
    }
}

fn day_index(day: Weekday) -> usize {
    day.to_monday_zero_offset() as usize
}

fn minutes(text: &str) -> Result<u16, String> {
    let (h, m) = text.trim().split_once(':').ok_or_else(|| format!("{text:?} is not a time like 09:00"))?;
    let (h, m): (u16, u16) = (
        h.parse().map_err(|_| format!("{text:?}: bad hour"))?,
        m.parse().map_err(|_| format!("{text:?}: bad minute"))?,
    );
    if h > 24 || m > 59 || (h == 24 && m > 0) {
        return Err(format!("{text:?} is not a time of day"));
    }
    Ok(h * 60 + m)
}

fn weekdays(text: &str) -> Result<Vec<usize>, String> {
    const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let day = |name: &str| {
        NAMES
            .iter()
            .position(|n| name.trim().to_lowercase().starts_with(n))
            .ok_or_else(|| format!("{name:?} is not a weekday"))
    };
    let mut days = Vec::new();
    for part in text.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a)?, day(b)?);
                let mut d = a;
                loop {
                    days.push(d);
                    if d == b {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => days.push(day(part)?),
        }
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn business_time_between_leaves_out_nights_weekends_and_holidays() {
        let hours = BusinessHours::parse("mon-fri 09:00-18:00", "Asia/Shanghai", "2026-12-25").unwrap();
        let ms = |text: &str| at(text).as_millisecond();
        let hour = 3_600_000;
        // Monday 17:00 to Tuesday 10:00 in Shanghai: one hour on Monday, one on Tuesday.
        assert_eq!(hours.open_ms_between(ms("2026-11-23T09:00:00Z"), ms("2026-11-24T02:00:00Z")), 2 * hour);
        // Friday 17:30 to Monday 09:30: half an hour each side of the weekend.
        assert_eq!(hours.open_ms_between(ms("2026-11-27T09:30:00Z"), ms("2026-11-30T01:30:00Z")), hour);
        // Christmas (a Friday) counts nothing.
        assert_eq!(hours.open_ms_between(ms("2026-12-25T00:00:00Z"), ms("2026-12-25T12:00:00Z")), 0);
        // Within one opening: all of it; backwards: nothing.
        assert_eq!(hours.open_ms_between(ms("2026-11-23T02:00:00Z"), ms("2026-11-23T02:10:00Z")), hour / 6);
        assert_eq!(hours.open_ms_between(ms("2026-11-23T02:10:00Z"), ms("2026-11-23T02:00:00Z")), 0);
        let always = BusinessHours::parse("mon-sun 00:00-24:00", "UTC", "").unwrap();
        assert_eq!(always.open_ms_between(ms("2026-11-23T00:00:00Z"), ms("2026-11-30T00:00:00Z")), 7 * 24 * hour);
    }

    #[test]
    fn open_in_the_zone_closed_on_holidays_and_the_next_opening_is_found() {
        let hours =
            BusinessHours::parse("mon-fri 09:00-18:00; sat 10:00-14:00", "Asia/Shanghai", "2026-12-25").unwrap();
        // Monday 2026-11-23 10:00 in Shanghai is 02:00 UTC.
        assert!(hours.is_open(at("2026-11-23T02:00:00Z")));
        // Monday 20:00 in Shanghai: closed; next opening Tuesday 09:00.
        let evening = at("2026-11-23T12:00:00Z");
        assert!(!hours.is_open(evening));
        assert_eq!(hours.describe(&hours.next_opening(evening).unwrap()), "2026-11-24 09:00 (Asia/Shanghai)");
        // Friday 2026-12-25 is a holiday: the next opening is Saturday 10:00.
        let christmas = at("2026-12-25T03:00:00Z");
        assert!(!hours.is_open(christmas));
        assert_eq!(hours.describe(&hours.next_opening(christmas).unwrap()), "2026-12-26 10:00 (Asia/Shanghai)");
        assert!(BusinessHours::parse("mon-fri 18:00-09:00", "UTC", "").is_err());
        assert!(BusinessHours::parse("mon-fri 09:00-18:00", "Mars/Olympus", "").is_err());
    }
}
