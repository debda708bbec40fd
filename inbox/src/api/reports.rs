//! `/api/v1/reports/*`: the summary, the agents' figures and the CSV export of a period, each
//! computed by `switchboard_core::figures` from the same cycles (docs/metrics.md).

use crate::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use std::time::UNIX_EPOCH;
use switchboard_core::clock::now_ms;
use switchboard_core::figures::{self, AgentFigures, Filter, Summary};
use switchboard_core::model::Millis;
use switchboard_core::store::complaints::ComplaintFigures;
use switchboard_core::store::incidents::IncidentFigures;
use switchboard_core::store::reports::CycleRow;

/// A period and what to count in it.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// A date (`2026-11-23`), an RFC 3339 time or Unix milliseconds; default: 30 days before `to`.
    pub from: Option<String>,
    /// Likewise, not included; default: now.
    pub to: Option<String>,
    /// Only this channel's conversations.
    pub channel: Option<String>,
    /// Only the conversations this agent replied in.
    pub agent: Option<i64>,
    /// Only conversations in this language (`en-US`).
    pub language: Option<String>,
    pub category: Option<String>,
    /// Only this team's conversations.
    pub team: Option<i64>,
}

impl Period {
    /// `[from, to)` in Unix milliseconds.
    pub fn bounds(&self) -> Result<(Millis, Millis), ApiError> {
        let to = self.to.as_deref().map(|t| instant(t, "to")).transpose()?.unwrap_or_else(now_ms);
        let from = self.from.as_deref().map(|f| instant(f, "from")).transpose()?.unwrap_or(to - 30 * 86_400_000);
        if from >= to {
            return Err(ApiError::Unprocessable("from must be before to".into()));
        }
        Ok((from, to))
    }

    pub fn filter(&self) -> Filter {
        let given = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
        Filter {
            channel: given(&self.channel),
            agent: self.agent,
            language: given(&self.language),
            category: given(&self.category),
            team: self.team,
        }
    }
}

/// Parses `2026-11-23`, `2026-11-23T10:00:00Z` or Unix milliseconds.
fn instant(text: &str, name: &str) -> Result<i64, ApiError> {
    if let Ok(ms) = text.parse::<i64>() {
        return Ok(ms);
    }
    let full = if text.len() == 10 { format!("{text}T00:00:00Z") } else { text.to_owned() };
    humantime::parse_rfc3339_weak(&full)
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_millis() as i64)
        .ok_or_else(|| ApiError::Unprocessable(format!("{name}: expected a date (2026-11-23) or an RFC 3339 time")))
}

/// The tally of the period `period` names, with its filters, days in the business time zone.
pub async fn tally(state: &AppState, period: &Period) -> Result<figures::Tally, ApiError> {
    let hours = state.hours.as_ref().as_ref();
    let zone = hours.map(|h| h.zone().clone()).unwrap_or(jiff::tz::TimeZone::UTC);
    Ok(state.core.store().report_tally(period.bounds()?, &period.filter(), hours, &zone).await?)
}

/// `GET /api/v1/reports/summary`: the conversations' figures, with the period's complaints and
/// incidents.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SummaryReport {
    #[serde(flatten)]
    pub summary: Summary,
    /// Complaints opened in the period: closed since, overdue, how long closing took.
    pub complaints: ComplaintFigures,
    pub incidents: IncidentFigures,
}

#[utoipa::path(get, path = "/api/v1/reports/summary", operation_id = "report_summary", tag = "reports", params(Period), responses((status = 200, body = SummaryReport)))]
pub async fn summary(
    State(state): State<AppState>,
    query: Result<Query<Period>, QueryRejection>,
) -> Result<Json<SummaryReport>, ApiError> {
    let Query(period) = query?;
    let summary = tally(&state, &period).await?.summary();
    let (from, to) = period.bounds()?;
    let complaints = state.core.store().complaint_figures(from, to, now_ms()).await?;
    let incidents = state.core.store().incident_figures(from, to).await?;
    Ok(Json(SummaryReport { summary, complaints, incidents }))
}

/// `GET /api/v1/reports/agents`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AgentsReport {
    pub agents: Vec<AgentRow>,
}

/// One agent's figures, with their name.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AgentRow {
    pub name: String,
    #[serde(flatten)]
    pub figures: AgentFigures,
}

#[utoipa::path(get, path = "/api/v1/reports/agents", operation_id = "report_agents", tag = "reports", params(Period), responses((status = 200, body = AgentsReport)))]
pub async fn agents(
    State(state): State<AppState>,
    query: Result<Query<Period>, QueryRejection>,
) -> Result<Json<AgentsReport>, ApiError> {
    let Query(period) = query?;
    let tally = tally(&state, &period).await?;
    Ok(Json(AgentsReport { agents: agent_rows(&state, &period, &tally).await? }))
}

/// The agents' figures of a period's tally, named, with their review scores.
pub async fn agent_rows(state: &AppState, period: &Period, tally: &figures::Tally) -> Result<Vec<AgentRow>, ApiError> {
    let (from, to) = period.bounds()?;
    let reviews = state.core.store().review_scores(from, to).await?;
    let names = names(state).await?;
    Ok(tally
        .agents(period.agent)
        .into_iter()
        .map(|mut figures| {
            if let Some(&(score, count)) = reviews.get(&figures.agent_id) {
                (figures.review_score, figures.reviews) = (Some(score), count);
            }
            AgentRow { name: names.get(&figures.agent_id).cloned().unwrap_or_default(), figures }
        })
        .collect())
}

async fn names(state: &AppState) -> Result<std::collections::HashMap<i64, String>, ApiError> {
    Ok(state.core.store().agents().await?.into_iter().map(|a| (a.id, a.name)).collect())
}

#[utoipa::path(get, path = "/api/v1/reports/export.csv", operation_id = "report_export", tag = "reports", params(Period),
    responses((status = 200, description = "One row per conversation cycle, RFC 4180, UTF-8", content_type = "text/csv")))]
pub async fn export(
    State(state): State<AppState>,
    query: Result<Query<Period>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(period) = query?;
    let (from, to) = period.bounds()?;
    let names = names(&state).await?;
    let filter = period.filter();
    // A day of cycles at a time, sent as it is read: the first rows leave at once, and a
    // period of millions never sits in memory whole.
    let header =
        "reference,channel,language,category,agent,opened,first_response,resolved,resolved_by,rating,comment\r\n";
    let days = futures_util::stream::unfold(from, move |start| {
        let (state, names, filter) = (state.clone(), names.clone(), filter.clone());
        async move {
            if start >= to {
                return None;
            }
            let end = (start + EXPORT_CHUNK).min(to);
            let rows = match state.core.store().report_cycles(start, end).await {
                Ok(cycles) => Ok(csv_rows(&cycles, &filter, &names)),
                Err(error) => {
                    tracing::warn!(%error, "the export stopped: its cycles could not be read");
                    Err(std::io::Error::other("the export could not be completed"))
                }
            };
            Some((rows, end))
        }
    });
    let body = futures_util::stream::once(async move { Ok(header.to_owned()) }).chain(days);
    let disposition = "attachment; filename=\"switchboard-report.csv\"";
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, disposition)],
        axum::body::Body::from_stream(body),
    )
        .into_response())
}

/// How much of a period the export reads at a time.
const EXPORT_CHUNK: Millis = 86_400_000;

/// The CSV rows of the cycles `filter` keeps, one per cycle.
fn csv_rows(cycles: &[CycleRow], filter: &Filter, names: &std::collections::HashMap<i64, String>) -> String {
    let time = |at: Option<Millis>| at.map(switchboard_core::clock::rfc3339).unwrap_or_default();
    let mut csv = String::new();
    for cycle in cycles.iter().filter(|c| filter.keeps(c)) {
        let agent = cycle.resolver_id.or(cycle.first_agent_id).and_then(|a| names.get(&a).cloned());
        let fields = [
            cycle.reference.clone(),
            cycle.channel.clone(),
            cycle.locale.clone().unwrap_or_default(),
            cycle.category.clone().unwrap_or_default(),
            agent.unwrap_or_default(),
            time(Some(cycle.started_at)),
            time(cycle.first_human_at),
            time(cycle.resolved_at),
            cycle.resolved_by.clone().unwrap_or_default(),
            cycle.rating.map(|r| r.to_string()).unwrap_or_default(),
            cycle.comment.clone().unwrap_or_default(),
        ];
        let row: Vec<String> = fields.iter().map(|f| quoted(f)).collect();
        csv.push_str(&row.join(","));
        csv.push_str("\r\n");
    }
    csv
}

/// `GET /api/v1/reports/gaps`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GapsReport {
    /// Clusters of similar questions the bot had no confident answer to, the most asked first.
    pub gaps: Vec<switchboard_core::gaps::Gap>,
}

/// The knowledge base's gaps in a period (its language filter applies).
pub async fn gaps_of(state: &AppState, period: &Period) -> Result<Vec<switchboard_core::gaps::Gap>, ApiError> {
    let (from, to) = period.bounds()?;
    let mut questions = state.core.store().unanswered_questions(from, to).await?;
    if let Some(language) = period.filter().language {
        questions.retain(|(_, l)| l.as_deref() == Some(language.as_str()));
    }
    let mut gaps = switchboard_core::gaps::cluster(&questions);
    gaps.truncate(20);
    Ok(gaps)
}

#[utoipa::path(get, path = "/api/v1/reports/gaps", operation_id = "report_gaps", tag = "reports", params(Period), responses((status = 200, body = GapsReport)))]
pub async fn gaps(
    State(state): State<AppState>,
    query: Result<Query<Period>, QueryRejection>,
) -> Result<Json<GapsReport>, ApiError> {
    let Query(period) = query?;
    Ok(Json(GapsReport { gaps: gaps_of(&state, &period).await? }))
}

/// A field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break (its
/// quotes doubled). A leading `=`, `+`, `-` or `@` is kept but quoted with a `'` before it, so
/// that a spreadsheet never runs a customer's comment as a formula.
fn quoted(field: &str) -> String {
    let field = match field.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{field}"),
        _ => field.to_owned(),
    };
    if field.contains([',', '"', '\n', '\r']) || field.starts_with('\'') {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_as_rfc_4180_says_and_formulas_are_defused() {
        assert_eq!(quoted("plain"), "plain");
        assert_eq!(quoted("a, b"), "\"a, b\"");
        assert_eq!(quoted("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quoted("two\nlines"), "\"two\nlines\"");
        assert_eq!(quoted("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(quoted("客服很耐心"), "客服很耐心");
    }

    #[test]
    fn periods_parse_dates_times_and_milliseconds() {
        assert_eq!(instant("1970-01-02", "from").unwrap(), 86_400_000);
        assert_eq!(instant("1970-01-01T00:00:01Z", "from").unwrap(), 1000);
        assert_eq!(instant("5", "from").unwrap(), 5);
        assert!(instant("yesterday", "from").is_err());
    }
}
