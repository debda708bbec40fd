//! The SLA clocks on hand-built histories: business hours with a lunch break, a holiday, a
//! pending pause, warnings, breaches met late, the policy chosen.

use super::*;
use jiff::Timestamp;

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;

fn at(text: &str) -> Millis {
    text.parse::<Timestamp>().unwrap().as_millisecond()
}

fn policy(first: Option<i64>, next: Option<i64>, resolution: Option<i64>, business_hours: bool) -> Policy {
    Policy {
        id: 1,
        name: "standard".into(),
        first_response: first,
        next_response: next,
        resolution,
        business_hours,
        priority: None,
        team_id: None,
        channel: None,
    }
}

/// Mon–Fri 09:00–12:00 and 13:00–18:00 in Shanghai (UTC+8), Friday 2026-12-25 a holiday.
fn hours() -> BusinessHours {
    BusinessHours::parse("mon-fri 09:00-12:00; mon-fri 13:00-18:00", "Asia/Shanghai", "2026-12-25").unwrap()
}

#[test]
fn a_deadline_skips_the_lunch_break_the_night_and_a_holiday() {
    let hours = hours();
    let first = policy(Some(2 * HOUR), None, None, true);
    // Reached Thursday 2026-12-24 at 11:30 local (03:30Z): 30 minutes before lunch, then 13:00–14:30.
    let reached = at("2026-12-24T03:30:00Z");
    let found = clocks(&[(Step::Reached, reached)], &first, Some(&hours), 0.8, reached);
    assert_eq!(found.first_response_due_at, Some(at("2026-12-24T06:30:00Z")));

    // Reached Thursday at 17:00 local: one hour left that day, Friday is a holiday, the weekend
    // is closed: due Monday 2026-12-28 at 10:00 local.
    let late = at("2026-12-24T09:00:00Z");
    let found = clocks(&[(Step::Reached, late)], &first, Some(&hours), 0.8, late);
    assert_eq!(found.first_response_due_at, Some(at("2026-12-28T02:00:00Z")));

    // Without business hours the same target is two hours on the clock.
    let wall = policy(Some(2 * HOUR), None, None, false);
    let found = super::clocks(&[(Step::Reached, late)], &wall, Some(&hours), 0.8, late);
    assert_eq!(found.first_response_due_at, Some(late + 2 * HOUR));
}

#[test]
fn a_pending_pause_moves_the_deadlines_and_stops_the_checks() {
    let resolution = policy(None, None, Some(4 * HOUR), false);
    let t0 = at("2026-12-01T00:00:00Z");
    let history = [(Step::Reached, t0), (Step::Agent, t0 + HOUR), (Step::Pending, t0 + HOUR)];
    // Pending since one hour in: while it waits on the customer, the deadline is counted as if
    // the wait ended now, and nothing is checked.
    let waiting = clocks(&history, &resolution, None, 0.8, t0 + 10 * HOUR);
    assert!(waiting.paused);
    assert_eq!(waiting.resolution_due_at, Some(t0 + 10 * HOUR + 3 * HOUR));
    assert_eq!(waiting.check_at, None);
    assert!(waiting.breached.is_empty());

    // The customer wrote back after five hours pending: three hours are left from then.
    let mut history = history.to_vec();
    history.push((Step::Customer, t0 + 6 * HOUR));
    let resumed = clocks(&history, &resolution, None, 0.8, t0 + 6 * HOUR);
    assert!(!resumed.paused);
    assert_eq!(resumed.resolution_due_at, Some(t0 + 9 * HOUR));
    // Warned at 80% of four hours (3h12m of counted time: 1h before the pause, 2h12m after).
    assert_eq!(resumed.check_at, Some(t0 + 6 * HOUR + 2 * HOUR + 12 * MIN));
    let warned = clocks(&history, &resolution, None, 0.8, t0 + 8 * HOUR + 30 * MIN);
    assert_eq!(warned.warned, [SlaTarget::Resolution]);
    assert_eq!(warned.check_at, Some(t0 + 9 * HOUR));
    let breached = clocks(&history, &resolution, None, 0.8, t0 + 9 * HOUR);
    assert_eq!(breached.breached, [SlaTarget::Resolution]);
    assert!(breached.warned.is_empty());
}

#[test]
fn a_target_met_late_stays_breached_and_met_ones_stop() {
    let all = policy(Some(15 * MIN), Some(30 * MIN), Some(8 * HOUR), false);
    let t0 = at("2026-12-01T00:00:00Z");
    let history = [
        (Step::Reached, t0),
        (Step::Agent, t0 + 20 * MIN),
        (Step::Customer, t0 + HOUR),
        (Step::Customer, t0 + HOUR + 5 * MIN),
    ];
    let found = clocks(&history, &all, None, 0.8, t0 + HOUR + 10 * MIN);
    assert_eq!(found.first_response_due_at, None, "met: no longer running");
    assert_eq!(found.breached, [SlaTarget::FirstResponse], "met five minutes late");
    // The next response counts from the customer's first unanswered message.
    assert_eq!(found.next_response_due_at, Some(t0 + HOUR + 30 * MIN));
    assert_eq!(found.resolution_due_at, Some(t0 + 8 * HOUR));
}

#[test]
fn no_clock_runs_before_the_conversation_reaches_people() {
    let all = policy(Some(15 * MIN), None, None, false);
    let found = clocks(&[(Step::Customer, 0)], &all, None, 0.8, HOUR);
    assert_eq!(found, Clocks::default());
}

#[test]
fn the_most_specific_policy_applies() {
    let mut general = policy(Some(HOUR), None, None, false);
    general.id = 1;
    let mut urgent = policy(Some(15 * MIN), None, None, false);
    urgent.id = 2;
    urgent.priority = Some(Priority::Urgent);
    let mut urgent_mail = policy(Some(30 * MIN), None, None, false);
    urgent_mail.id = 3;
    urgent_mail.priority = Some(Priority::Urgent);
    urgent_mail.channel = Some(ChannelKind::Email);
    let policies = [general, urgent, urgent_mail];
    let id = |p: Priority, c: ChannelKind| choose(&policies, p, None, c).map(|p| p.id);
    assert_eq!(id(Priority::Normal, ChannelKind::Telegram), Some(1));
    assert_eq!(id(Priority::Urgent, ChannelKind::Telegram), Some(2));
    assert_eq!(id(Priority::Urgent, ChannelKind::Email), Some(3));
    let mut team_only = policy(Some(HOUR), None, None, false);
    team_only.team_id = Some(7);
    assert_eq!(choose(&[team_only], Priority::Normal, None, ChannelKind::Email), None);
}
