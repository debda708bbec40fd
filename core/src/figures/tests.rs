//! The figures' definitions held to a hand-built history whose answers are worked out by hand.

use super::*;

const MIN: i64 = 60_000;
/// Monday 2026-11-23 00:00 UTC.
const MONDAY: i64 = 1_795_392_000_000;

const UTC: jiff::tz::TimeZone = jiff::tz::TimeZone::UTC;

fn summary(cycles: &[CycleRow], filter: &Filter, hours: Option<&BusinessHours>) -> Summary {
    Tally::of(cycles, filter, hours, &UTC).summary()
}

fn cycle(id: i64, started: i64) -> CycleRow {
    CycleRow {
        conversation_id: id,
        reference: format!("#{}", 1000 + id),
        started_at: started,
        opened_at: started,
        channel: "webchat".into(),
        locale: Some("en-US".into()),
        customer_messages: 1,
        ..Default::default()
    }
}

/// 1. No bot: an agent (7) answers 10 minutes in, resolves at 30, rated 5.
/// 2. The bot answers, the customer asks for a person at 20 minutes, agent 8 answers at 50 and
///    agent 7 at 55, agent 8 resolves at 60; rated 2 — credited to both.
/// 3. The bot answers and the customer says it solved it.
/// 4. Conversation 1 reopened on Tuesday 09:00; agent 7 answers 4 minutes later; still open;
///    asked nothing yet.
/// 5. The bot answers, then silence: resolved as idle (the bot's resolutions are not surveyed).
fn history() -> Vec<CycleRow> {
    let day = 24 * 60 * MIN;
    vec![
        CycleRow {
            reached_at: Some(MONDAY + 9 * 60 * MIN),
            first_human_at: Some(MONDAY + 9 * 60 * MIN + 10 * MIN),
            first_agent_id: Some(7),
            agent_replies: 1,
            resolved_at: Some(MONDAY + 9 * 60 * MIN + 30 * MIN),
            resolved_by: Some("agent".into()),
            resolver_id: Some(7),
            survey: Some("rated".into()),
            rating: Some(5),
            agents: vec![(7, 1)],
            ..cycle(1, MONDAY + 9 * 60 * MIN)
        },
        CycleRow {
            bot_replies: 1,
            reached_at: Some(MONDAY + 10 * 60 * MIN + 20 * MIN),
            handoff_reason: Some("asked".into()),
            first_human_at: Some(MONDAY + 10 * 60 * MIN + 50 * MIN),
            first_agent_id: Some(8),
            agent_replies: 2,
            resolved_at: Some(MONDAY + 11 * 60 * MIN),
            resolved_by: Some("agent".into()),
            resolver_id: Some(8),
            survey: Some("rated".into()),
            rating: Some(2),
            agents: vec![(7, 1), (8, 1)],
            channel: "telegram".into(),
            ..cycle(2, MONDAY + 10 * 60 * MIN)
        },
        CycleRow {
            bot_replies: 1,
            resolved_at: Some(MONDAY + 12 * 60 * MIN + 2 * MIN),
            resolved_by: Some("bot".into()),
            locale: Some("zh-CN".into()),
            ..cycle(3, MONDAY + 12 * 60 * MIN)
        },
        CycleRow {
            reopened: true,
            opened_at: MONDAY + 9 * 60 * MIN,
            reached_at: Some(MONDAY + day + 9 * 60 * MIN),
            first_human_at: Some(MONDAY + day + 9 * 60 * MIN + 4 * MIN),
            first_agent_id: Some(7),
            agent_replies: 1,
            agents: vec![(7, 1)],
            ..cycle(1, MONDAY + day + 9 * 60 * MIN)
        },
        CycleRow {
            bot_replies: 1,
            resolved_at: Some(MONDAY + day + 10 * 60 * MIN),
            resolved_by: Some("idle".into()),
            survey: None,
            ..cycle(5, MONDAY + day + 9 * 60 * MIN)
        },
    ]
}

#[test]
fn first_response_counts_from_people_reached_and_each_reopened_cycle_counts_again() {
    let s = summary(&history(), &Filter::default(), None);
    assert_eq!((s.conversations, s.cycles), (4, 5));
    // Cycle 1: 10 min; cycle 2: 30 min from the hand-off (not 50 from the start: the bot's
    // time is left out); the reopened cycle: 4 min. Sorted 4, 10, 30: median 10, p90 30.
    assert_eq!(s.first_response_s, Percentiles { p50: Some(600.0), p90: Some(1800.0) });
    // Resolutions: 30 min, 60 min, 2 min, 60 min → sorted 2, 30, 60, 60: median 30, p90 60.
    assert_eq!(s.resolution_s, Percentiles { p50: Some(1800.0), p90: Some(3600.0) });
    assert_eq!(s.resolution_rate, 4.0 / 5.0);
    assert_eq!(s.resolved_by, ResolvedBy { agent: 2, bot: 1, idle: 1 });
    assert_eq!(s.handoffs.get("asked"), Some(&1));
    assert_eq!(s.by_channel.get("telegram"), Some(&1));
    assert_eq!(s.by_language.get("zh-CN"), Some(&1));
}

#[test]
fn satisfaction_counts_ratings_per_survey_asked() {
    let s = summary(&history(), &Filter::default(), None);
    assert_eq!((s.csat.avg, s.csat.count), (Some(3.5), 2));
    assert_eq!(s.csat.distribution.get("5"), Some(&1));
    assert_eq!(s.csat.distribution.get("3"), Some(&0));
    assert_eq!(s.csat.response_rate, Some(1.0));
    let mut unanswered = history();
    unanswered[3].survey = Some("asked".into());
    assert_eq!(summary(&unanswered, &Filter::default(), None).csat.response_rate, Some(2.0 / 3.0));
}

#[test]
fn the_bot_contains_what_it_resolves_of_what_it_answered() {
    let bot = summary(&history(), &Filter::default(), None).bot;
    assert_eq!(bot, BotFigures { answered: 3, resolved: 2, handed_off: 1, containment_rate: Some(2.0 / 3.0) });
}

#[test]
fn business_hours_leave_out_the_night() {
    let mut night = history();
    // Reached at Monday 17:50 UTC, answered Tuesday 09:10: 10 minutes of a 09:00-18:00 day
    // plus 10 minutes the next morning.
    night[0].reached_at = Some(MONDAY + 17 * 60 * MIN + 50 * MIN);
    night[0].first_human_at = Some(MONDAY + 24 * 60 * MIN + 9 * 60 * MIN + 10 * MIN);
    let hours = BusinessHours::parse("mon-fri 09:00-18:00", "UTC", "").unwrap();
    let only = Filter { channel: Some("webchat".into()), agent: Some(7), ..Default::default() };
    let s = summary(&night[..1], &only, Some(&hours));
    assert_eq!(s.first_response_business_s.p50, Some(1200.0));
    assert_eq!(s.first_response_s.p50, Some((15 * 60 + 20) as f64 * 60.0), "wall-clock: 15 hours 20");
}

#[test]
fn agents_are_credited_for_every_cycle_they_replied_in_and_never_for_the_bot() {
    let figures = Tally::of(&history(), &Filter::default(), None, &UTC).agents(None);
    assert_eq!(figures.iter().map(|a| a.agent_id).collect::<Vec<_>>(), [7, 8]);
    let (ann, bo) = (&figures[0], &figures[1]);
    assert_eq!((ann.conversations, ann.replies, ann.resolved), (3, 3, 1));
    assert_eq!(ann.first_response_s.p50, Some(240.0), "her first replies: 10 and 4 minutes");
    assert_eq!((ann.csat.avg, ann.csat.count), (Some(3.5), 2));
    assert_eq!((bo.conversations, bo.resolved), (1, 1));
    assert_eq!(bo.first_response_s.p50, Some(1800.0));
    assert_eq!(bo.resolution_s.p50, Some(3600.0));
    assert_eq!(bo.csat.avg, Some(2.0));
}

#[test]
fn days_and_the_heatmap_follow_the_time_zone() {
    let shanghai = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
    let tally = Tally::of(&history(), &Filter::default(), None, &shanghai);
    let days = tally.days();
    // Monday 09:00-12:00 UTC is Monday 17:00-20:00 in Shanghai; Tuesday 09:00 UTC is Tuesday 17:00.
    assert_eq!(
        days.iter().map(|d| (d.date.as_str(), d.cycles)).collect::<Vec<_>>(),
        [("2026-11-23", 3), ("2026-11-24", 2)]
    );
    assert_eq!(days[0].csat, Some(3.5));
    let grid = tally.heatmap();
    assert_eq!(grid[0][17], 1);
    assert_eq!(grid[1][17], 2);
    assert_eq!(grid.iter().flatten().sum::<u64>(), 5);
}

#[test]
fn kept_facts_tally_as_the_cycles_do() {
    let history = history();
    let hours = BusinessHours::parse("mon-fri 09:00-18:00", "Asia/Shanghai", "").unwrap();
    let zone = hours.zone().clone();
    let whole = Tally::of(&history, &Filter::default(), Some(&hours), &zone);
    let facts: Vec<CycleFacts<'_>> = history.iter().map(|c| CycleFacts::of(c, Some(&hours), &zone)).collect();
    let kept = bincode::serialize(&facts).unwrap();
    let mut read = Tally::default();
    bincode::deserialize::<Vec<CycleFacts<'_>>>(&kept).unwrap().iter().for_each(|f| read.add(f));
    assert_eq!(read, whole);
    assert_eq!(read.summary().first_response_business_s, whole.summary().first_response_business_s);
}

#[test]
fn many_durations_keep_percentiles_within_their_buckets() {
    let mut many = Durations::default();
    // 10,000 first responses of 1 to 10,000 seconds.
    for s in 1..=10_000 {
        many.push(s * 1000);
    }
    let p = many.percentiles();
    // Exactly 5,000 s and 9,000 s; buckets there are a minute wide.
    assert_eq!((p.p50, p.p90), (Some(4980.0), Some(9000.0)));
    let mut few = Durations::default();
    [90_500, 1_000, 3_000].into_iter().for_each(|ms| few.push(ms));
    assert_eq!(few.percentiles(), Percentiles { p50: Some(3.0), p90: Some(90.5) }, "few values stay exact");
}

#[test]
fn bucket_slots_start_where_their_buckets_do() {
    for ms in [0, 999, 1_000, 119_999, 120_000, 1_799_999, 1_800_000, 21_600_000, 259_199_999] {
        let index = slot(ms).expect("under 3 days");
        assert!(slot_start(index) <= ms && ms - slot_start(index) < 600_000, "{ms}");
        assert_eq!(slot(slot_start(index)), Some(index));
    }
    assert_eq!(slot(259_200_000), None, "3 days on: the tail");
    let mut long = Durations::default();
    (0..5000).for_each(|i| long.push(259_200_000 + i * 1000));
    assert_eq!(long.percentiles().p50, Some(259_200.0), "an hour-wide bucket");
}
