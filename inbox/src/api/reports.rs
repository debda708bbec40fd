//! `/api/v1/reports/summary`: response and resolution times and rates over a period.

use crate::AppState;
use crate::error::ApiError;
use crate::wire::{Percentiles, ResolvedBy, Satisfaction, Summary};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::UNIX_EPOCH;
use switchboard_core::clock::now_ms;
use switchboard_core::model::Author;
use switchboard_core::store::reports::ReportRow;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// A date (`2026-11-23`), an RFC 3339 time or Unix milliseconds; default: 30 days before `to`.
    from: Option<String>,
    /// Likewise; default: now.
    to: Option<String>,
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

#[utoipa::path(get, path = "/api/v1/reports/summary", operation_id = "report_summary", tag = "reports", params(Period), responses((status = 200, body = Summary)))]
pub async fn summary(
    State(state): State<AppState>,
    query: Result<Query<Period>, QueryRejection>,
) -> Result<Json<Summary>, ApiError> {
    let Query(period) = query?;
    let to = period.to.as_deref().map(|t| instant(t, "to")).transpose()?.unwrap_or_else(now_ms);
    let from = period.from.as_deref().map(|f| instant(f, "from")).transpose()?.unwrap_or(to - 30 * 86_400_000);
    if from >= to {
        return Err(ApiError::Unprocessable("from must be before to".into()));
    }
    let rows = state.core.store().report_rows(from, to).await?;
    Ok(Json(summarize(&rows)))
}

fn summarize(rows: &[ReportRow]) -> Summary {
    let seconds = |end: fn(&ReportRow) -> Option<i64>| -> Vec<f64> {
        let mut values: Vec<f64> =
            rows.iter().filter_map(|r| end(r).map(|at| (at - r.created_at).max(0) as f64 / 1000.0)).collect();
        values.sort_by(|a, b| a.total_cmp(b));
        values
    };
    let first_response = seconds(|r| r.first_response_at);
    let resolution = seconds(|r| r.resolved_at);
    let resolved = rows.iter().filter(|r| r.resolved_at.is_some()).count();
    let count_by = |key: fn(&ReportRow) -> String| {
        let mut counts = BTreeMap::new();
        for row in rows {
            *counts.entry(key(row)).or_insert(0) += 1;
        }
        counts
    };
    let percentiles = |values: &[f64]| Percentiles { p50: percentile(values, 0.5), p90: percentile(values, 0.9) };
    Summary {
        conversations: rows.len() as u64,
        first_response_s: percentiles(&first_response),
        resolution_s: percentiles(&resolution),
        resolution_rate: if rows.is_empty() { 0.0 } else { resolved as f64 / rows.len() as f64 },
        resolved_by: ResolvedBy {
            agent: rows.iter().filter(|r| r.resolved_by == Some(Author::Agent)).count() as u64,
            bot: rows.iter().filter(|r| r.resolved_by == Some(Author::Bot)).count() as u64,
        },
        csat: Satisfaction { avg: None, count: 0 },
        by_channel: count_by(|r| r.channel.clone()),
        by_category: count_by(|r| r.category.clone().unwrap_or_else(|| "uncategorized".into())),
        by_language: count_by(|r| r.locale.clone().unwrap_or_else(|| "unknown".into())),
    }
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(created: i64, first: Option<i64>, resolved: Option<i64>, channel: &str) -> ReportRow {
        ReportRow {
            resolved_by: resolved.map(|_| if channel == "telegram" { Author::Bot } else { Author::Agent }),
            created_at: created,
            first_response_at: first,
            resolved_at: resolved,
            channel: channel.into(),
            category: None,
            locale: Some("en-US".into()),
        }
    }

    #[test]
    fn the_summary_counts_and_takes_percentiles() {
        let rows = [
            row(0, Some(10_000), Some(60_000), "webchat"),
            row(0, Some(20_000), None, "webchat"),
            row(0, Some(30_000), Some(120_000), "telegram"),
            row(0, None, None, "telegram"),
        ];
        let s = serde_json::to_value(summarize(&rows)).unwrap();
        assert_eq!(s["conversations"], 4);
        assert_eq!(s["first_response_s"]["p50"], 20.0);
        assert_eq!(s["first_response_s"]["p90"], 30.0);
        assert_eq!(s["resolution_s"]["p50"], 60.0);
        assert_eq!(s["resolution_rate"], 0.5);
        assert_eq!((s["resolved_by"]["agent"].as_u64(), s["resolved_by"]["bot"].as_u64()), (Some(1), Some(1)));
        assert_eq!(s["by_channel"]["telegram"], 2);
        assert_eq!(s["by_language"]["en-US"], 4);
        assert!(summarize(&[]).first_response_s.p50.is_none());
    }

    #[test]
    fn periods_parse_dates_times_and_milliseconds() {
        assert_eq!(instant("1970-01-02", "from").unwrap(), 86_400_000);
        assert_eq!(instant("1970-01-01T00:00:01Z", "from").unwrap(), 1000);
        assert_eq!(instant("5", "from").unwrap(), 5);
        assert!(instant("yesterday", "from").is_err());
    }
}
