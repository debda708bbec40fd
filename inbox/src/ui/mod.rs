//! The agents' web UI: server-rendered pages and fragments (minijinja, auto-escaped), the
//! script and style as embedded files under a Content-Security-Policy that forbids inline
//! script. Pages call the JSON API for every change and refresh fragments on live events.

mod agents;
mod charts;
mod contacts;
mod desk;
mod incidents;
mod kb;
mod pages;
pub(crate) use pages::INBOX_FILE;
mod reports;

use crate::AppState;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use minijinja::Environment;

pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                       connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("inbox.html", include_str!("../../templates/inbox.html")),
    ("list.html", include_str!("../../templates/list.html")),
    ("meta.html", include_str!("../../templates/meta.html")),
    ("thread.html", include_str!("../../templates/thread.html")),
    ("contact.html", include_str!("../../templates/contact.html")),
    ("contacts.html", include_str!("../../templates/contacts.html")),
    ("agents.html", include_str!("../../templates/agents.html")),
    ("desk.html", include_str!("../../templates/desk.html")),
    ("incidents.html", include_str!("../../templates/incidents.html")),
    ("canned.html", include_str!("../../templates/canned.html")),
    ("staff.html", include_str!("../../templates/staff.html")),
    ("kb.html", include_str!("../../templates/kb.html")),
    ("reports.html", include_str!("../../templates/reports.html")),
    ("error.html", include_str!("../../templates/error.html")),
];

pub struct Ui {
    env: Environment<'static>,
}

impl Ui {
    pub fn new() -> Ui {
        let mut env = Environment::new();
        // Every template is HTML: escape everything that is not marked safe.
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        for (name, source) in TEMPLATES {
            env.add_template(name, source).unwrap_or_else(|e| panic!("template {name}: {e}"));
        }
        Ui { env }
    }

    pub fn render(&self, name: &str, context: minijinja::Value) -> Response {
        match self.env.get_template(name).and_then(|t| t.render(context)) {
            Ok(html) => {
                let mut response = Html(html).into_response();
                let headers = response.headers_mut();
                headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
                headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
                headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
                response
            }
            Err(error) => {
                tracing::error!(%error, template = name, "rendering failed");
                (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "rendering failed").into_response()
            }
        }
    }
}

impl Default for Ui {
    fn default() -> Self {
        Self::new()
    }
}

const SCRIPT: &str = include_str!("../../assets/inbox.js");
const STYLE: &str = include_str!("../../assets/inbox.css");

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(pages::login))
        .route("/inbox", get(pages::inbox))
        .route("/inbox/fragments/list", get(pages::list_fragment))
        .route("/inbox/fragments/meta/{id}", get(pages::meta_fragment))
        .route("/inbox/fragments/thread/{id}", get(pages::thread_fragment))
        .route("/inbox/agents", get(agents::page))
        .route("/inbox/desk", get(desk::page))
        .route("/inbox/incidents", get(incidents::page))
        .route("/inbox/contacts", get(contacts::contacts))
        .route("/inbox/contacts/{id}", get(contacts::contact))
        .route("/inbox/canned", get(pages::canned))
        .route("/inbox/staff", get(pages::staff))
        .route("/inbox/kb", get(kb::page))
        .route("/inbox/reports", get(reports::page))
        .route("/inbox/assets/inbox.js", get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }))
        .route("/inbox/assets/inbox.css", get(|| async { asset("text/css; charset=utf-8", STYLE) }))
}
