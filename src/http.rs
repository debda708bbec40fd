//! The HTTP surface: health, metrics, and each component's routes, under one server.

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use switchboard_core::Core;

/// Installs the process-wide metrics recorder (once) and returns the handle `/metrics` renders.
/// The process's metrics recorder; every series carries `instance` when one is given (when
/// several instances may share the database).
pub fn metrics_recorder(instance: Option<&str>) -> anyhow::Result<PrometheusHandle> {
    static HANDLE: std::sync::OnceLock<PrometheusHandle> = std::sync::OnceLock::new();
    if let Some(handle) = HANDLE.get() {
        return Ok(handle.clone());
    }
    let latency = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];
    let mut builder = PrometheusBuilder::new();
    if let Some(instance) = instance {
        builder = builder.add_global_label("instance", instance);
    }
    let handle = builder
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &latency)?
        .set_buckets_for_metric(
            Matcher::Full("switchboard_write_batch_size".into()),
            &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0],
        )?
        .install_recorder()?;
    switchboard_core::observe::describe();
    Ok(HANDLE.get_or_init(|| handle).clone())
}

/// Health, metrics, the web chat and the inbox, as `config` sets them.
pub fn router(
    core: Core,
    config: &crate::config::Config,
    metrics: PrometheusHandle,
    chains: std::sync::Arc<switchboard_chains::Chains>,
    links: switchboard_core::links::ChoiceLinks,
) -> Router {
    let metrics_token = config.metrics_token.as_ref().map(|t| t.0.clone());
    let (explorers, webchat_limits) = (config.explorers.clone(), config.webchat);
    let desk = switchboard_core::desk::Desk { settings: config.desk.clone(), hours: config.bot.hours.clone() };
    let tasks = core.clone();
    let scraped = core.clone();
    Router::new()
        .route(
            "/healthz",
            get(move || async move {
                // The gateway serves while a channel reconnects; the channel's state is reported
                // beside it for monitoring ("standby" where another instance holds it).
                let channels: serde_json::Map<_, _> = tasks
                    .channel_health()
                    .into_iter()
                    .map(|(kind, state)| (kind.as_str().to_owned(), state.as_str().into()))
                    .collect();
                let core = tasks.health();
                let mut body = serde_json::json!({ "status": if core.ok() { "ok" } else { "failing" } });
                // Which of the instances sharing the database answered, and the roles it holds
                // (one instance serves a SQLite file, and holds them all).
                if tasks.store().backend() == switchboard_core::store::Backend::Postgres {
                    body["instance"] = tasks.instance().into();
                    body["roles"] = tasks.roles().into();
                }
                if !core.ok() {
                    let state = |up: bool| if up { "running" } else { "stopped" };
                    body["writer"] = state(core.writer).into();
                    body["dispatcher"] = state(core.dispatcher).into();
                }
                if !channels.is_empty() {
                    body["channels"] = channels.into();
                }
                let status = if core.ok() { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
                (status, axum::Json(body))
            }),
        )
        .route(
            "/metrics",
            get(move |headers: axum::http::HeaderMap| {
                let (metrics, core, token) = (metrics.clone(), scraped.clone(), metrics_token.clone());
                async move {
                    if let Some(token) = token {
                        let presented = headers
                            .get(header::AUTHORIZATION)
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| v.strip_prefix("Bearer "))
                            .unwrap_or_default();
                        if !same(presented.trim().as_bytes(), token.as_bytes()) {
                            let error = serde_json::json!({ "error": "a bearer token is required (SWITCHBOARD_METRICS_TOKEN)" });
                            return (StatusCode::UNAUTHORIZED, axum::Json(error)).into_response();
                        }
                    }
                    if let Err(error) = switchboard_core::observe::refresh(core.store(), switchboard_core::clock::now_ms()).await {
                        tracing::warn!(%error, "the store's figures were not refreshed for this scrape");
                    }
                    let tasks = tokio::runtime::Handle::current().metrics().num_alive_tasks();
                    metrics::gauge!("switchboard_runtime_tasks").set(tasks as f64);
                    metrics.run_upkeep();
                    (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain; version=0.0.4")], metrics.render())
                        .into_response()
                }
            }),
        )
        .merge(switchboard_webchat::router(core.clone(), webchat_limits, links))
        .merge(switchboard_inbox::router(core, explorers, chains, desk, vec![switchboard_webchat::openapi()]))
        .route("/", axum::routing::get(|| async { axum::response::Redirect::to("/inbox") }))
        .layer(axum::middleware::from_fn(crate::input::json_errors))
        .layer(axum::middleware::from_fn(crate::input::storable))
        .layer(tower_http::trace::TraceLayer::new_for_http())
}

/// Compares without stopping at the first difference, so timing does not reveal the token.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
