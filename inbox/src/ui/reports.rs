//! `/inbox/reports`: a period and filters, the headline figures, server-drawn SVG charts (volume,
//! first response and resolution per day, satisfaction, hand-offs, the weekday × hour heatmap),
//! the agents' table and the knowledge base's gaps — the figures of `switchboard_core::figures`,
//! as the API and the CSV give them.

use super::charts;
use super::pages::{SignedIn, agent_json, page_error, strings, urlencode};
use crate::AppState;
use crate::api::reports::{Period, agent_rows, tally};
use axum::extract::{Query, State};
use axum::response::Response;
use minijinja::context;
use switchboard_core::figures::{Day, Percentiles};

/// Seconds as minutes, one decimal.
fn minutes(seconds: Option<f64>) -> Option<f64> {
    seconds.map(|s| (s / 6.0).round() / 10.0)
}

/// Seconds as hours, one decimal.
fn hours(seconds: Option<f64>) -> Option<f64> {
    seconds.map(|s| (s / 360.0).round() / 10.0)
}

/// The period's query string, for the export link and the filters' form.
fn query_string(period: &Period) -> String {
    let mut parts = Vec::new();
    for (name, value) in [
        ("from", period.from.clone()),
        ("to", period.to.clone()),
        ("channel", period.channel.clone()),
        ("agent", period.agent.map(|a| a.to_string())),
        ("language", period.language.clone()),
        ("category", period.category.clone()),
        ("team", period.team.map(|t| t.to_string())),
    ] {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            parts.push(format!("{name}={}", urlencode(&value)));
        }
    }
    parts.join("&")
}

/// The day-by-day charts: volume, first response, resolution, satisfaction.
fn day_charts(days: &[Day], t: &std::collections::BTreeMap<String, String>) -> [String; 4] {
    let word = |key: &str| t.get(key).cloned().unwrap_or_default();
    let dates: Vec<String> = days.iter().map(|d| d.date.clone()).collect();
    let pair = |pick: fn(&Day) -> Percentiles, scale: fn(Option<f64>) -> Option<f64>| {
        vec![
            ("p50".to_owned(), days.iter().map(|d| scale(pick(d).p50)).collect()),
            ("p90".to_owned(), days.iter().map(|d| scale(pick(d).p90)).collect()),
        ]
    };
    [
        charts::bars(&dates, &days.iter().map(|d| d.cycles as f64).collect::<Vec<_>>(), &word("reports-cycles")),
        charts::lines(&dates, &pair(|d| d.first_response_s, minutes), &word("reports-minutes")),
        charts::lines(&dates, &pair(|d| d.resolution_s, hours), &word("reports-hours")),
        charts::lines(&dates, &[(word("reports-csat"), days.iter().map(|d| d.csat).collect())], "1–5"),
    ]
}

pub async fn page(State(state): State<AppState>, signed_in: SignedIn, Query(period): Query<Period>) -> Response {
    let SignedIn { session, locale } = signed_in;
    let t = strings(&state, &locale);
    let tally = match tally(&state, &period).await {
        Ok(tally) => tally,
        Err(error) => return page_error(&state, &locale, error),
    };
    let (agents, gaps) =
        match (agent_rows(&state, &period, &tally).await, crate::api::reports::gaps_of(&state, &period).await) {
            (Ok(agents), Ok(gaps)) => (agents, gaps),
            (Err(error), _) | (_, Err(error)) => return page_error(&state, &locale, error),
        };
    let (from, to) = period.bounds().unwrap_or_default();
    let now = switchboard_core::clock::now_ms();
    let desk = async {
        let store = state.core.store();
        Ok::<_, switchboard_core::error::CoreError>((
            store.complaint_figures(from, to, now).await?,
            store.incident_figures(from, to).await?,
        ))
    };
    let (complaints, incidents) = match desk.await {
        Ok(figures) => figures,
        Err(error) => return page_error(&state, &locale, error.into()),
    };
    let business = state.hours.as_ref().as_ref();
    let zone = business.map(|h| h.zone().clone()).unwrap_or(jiff::tz::TimeZone::UTC);
    let summary = tally.summary();
    let days = tally.days();
    let [volume, first_response, resolution, csat_trend] = day_charts(&days, &t);
    let word = |key: &str| t.get(key).cloned().unwrap_or_default();
    let ratings: Vec<String> = (1..=5).map(|n| n.to_string()).collect();
    let distribution: Vec<f64> =
        ratings.iter().map(|n| summary.csat.distribution.get(n).copied().unwrap_or(0) as f64).collect();
    let reasons: Vec<String> = summary.handoffs.keys().map(|r| word(&format!("handoff-reason-{r}"))).collect();
    let handoffs: Vec<f64> = summary.handoffs.values().map(|&n| n as f64).collect();
    let weekdays: Vec<String> = word("reports-weekdays").split(',').map(|d| d.trim().to_owned()).collect();
    let weekdays: [String; 7] = std::array::from_fn(|i| weekdays.get(i).cloned().unwrap_or_default());
    let heatmap = charts::heatmap(&tally.heatmap(), &weekdays);
    let all_agents = state.core.store().agents().await.unwrap_or_default();
    let teams = state.core.store().teams().await.unwrap_or_default();
    // Agents see the reviews of their own work; admins everyone's.
    let reviewed = (session.agent.role != switchboard_core::store::agents::Role::Admin).then_some(session.agent.id);
    let name_of = |id: i64| all_agents.iter().find(|a| a.id == id).map(|a| a.name.clone()).unwrap_or_default();
    let reviews: Vec<_> = state
        .core
        .store()
        .reviews(reviewed, None)
        .await
        .unwrap_or_default()
        .into_iter()
        .take(20)
        .map(|r| {
            context! { id => r.conversation_id, reference => r.reference, agent => name_of(r.agent_id),
            score => r.score.round() as i64, comment => r.comment }
        })
        .collect();
    let date = |ms: i64| jiff::Timestamp::from_millisecond(ms).map(|t| t.to_zoned(zone.clone()).date().to_string());
    state.ui.render(
        "reports.html",
        context! {
            t => t, locale => locale, me => agent_json(&session), csrf => session.csrf,
            s => summary, query => query_string(&period), period => context! {
                from => period.from.clone().or(date(from).ok()), to => period.to.clone().or(date(to).ok()),
                channel => period.channel, agent => period.agent, language => period.language, category => period.category,
                team => period.team,
            },
            within_sla => summary.sla.within_rate.map(|r| (r * 100.0).round() as i64),
            complaints => context! { opened => complaints.opened, closed => complaints.closed, overdue => complaints.overdue,
                p50 => hours(complaints.resolution_s.p50) },
            incidents => incidents,
            teams => teams.iter().filter_map(|team| {
                let figures = summary.by_team.get(&team.id.to_string())?;
                Some(context! { name => team.name, cycles => figures.cycles, held => figures.sla.held,
                    within => figures.sla.within_rate.map(|r| (r * 100.0).round() as i64) })
            }).collect::<Vec<_>>(),
            all_teams => teams.iter().map(|t| context! { id => t.id, name => t.name }).collect::<Vec<_>>(),
            first_response => context! { p50 => minutes(summary.first_response_s.p50), p90 => minutes(summary.first_response_s.p90),
                business => minutes(summary.first_response_business_s.p50) },
            resolution => context! { p50 => hours(summary.resolution_s.p50), p90 => hours(summary.resolution_s.p90),
                business => hours(summary.resolution_business_s.p50) },
            zone => zone.iana_name().unwrap_or("UTC"),
            charts => context! {
                volume, first_response, resolution, csat_trend, heatmap,
                csat_distribution => charts::bars(&ratings, &distribution, &word("reports-ratings")),
                handoffs => charts::bars(&reasons, &handoffs, &word("reports-cycles")),
            },
            has_data => !days.is_empty(),
            agents => agents.iter().map(|a| context! {
                name => a.name, conversations => a.figures.conversations, replies => a.figures.replies,
                first_response => minutes(a.figures.first_response_s.p50), resolved => a.figures.resolved,
                resolution => hours(a.figures.resolution_s.p50), csat => a.figures.csat.avg.map(|v| (v * 10.0).round() / 10.0),
                ratings => a.figures.csat.count, review => a.figures.review_score.map(|v| v.round()), reviews => a.figures.reviews,
                within_sla => a.figures.sla.within_rate.map(|r| (r * 100.0).round() as i64), sla_held => a.figures.sla.held,
            }).collect::<Vec<_>>(),
            all_agents => all_agents.iter().map(|a| context! { id => a.id, name => a.name }).collect::<Vec<_>>(),
            channels => ["telegram", "discord", "email", "webchat"],
            languages => state.core.localizer().available(),
            gaps => gaps,
            reviews => reviews,
        },
    )
}
