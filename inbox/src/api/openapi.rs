//! The OpenAPI document of `/api/v1`: operations and schemas derived from the handlers and the
//! types they take and answer (`utoipa`), completed from the route table (who may call each
//! route, the refusals every route can give), so that neither can forget the other.

use super::{
    Access, agents, announcements, canned, complaints, contacts, conversations, events, incidents, kb, peak, reports,
    reviews, routes, rules, session, sla, staff, teams, tx,
};
use axum::Json;
use serde_json::{Value, json};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "switchboard inbox API", description = "The agents' API of switchboard."),
    paths(
        session::login,
        session::logout,
        session::me,
        session::update_me,
        agents::list,
        agents::create,
        agents::update,
        teams::list,
        teams::create,
        teams::update,
        teams::remove,
        incidents::list,
        incidents::show,
        incidents::create,
        incidents::update,
        incidents::link,
        complaints::list,
        complaints::open,
        complaints::change,
        announcements::preview,
        announcements::create,
        announcements::list,
        announcements::show,
        peak::status,
        peak::switch,
        sla::list,
        sla::create,
        sla::update,
        sla::remove,
        rules::list,
        rules::create,
        rules::update,
        rules::remove,
        rules::dry_run,
        rules::runs,
        tx::lookup,
        tx::address,
        conversations::list,
        conversations::show,
        conversations::update,
        conversations::bulk,
        conversations::post_message,
        contacts::list,
        contacts::show,
        contacts::change,
        contacts::add_note,
        contacts::delete_note,
        contacts::erase,
        contacts::messages,
        contacts::merge,
        contacts::attachment,
        canned::list,
        canned::create,
        canned::update,
        canned::remove,
        canned::add_files,
        canned::delete_file,
        kb::list,
        kb::put,
        kb::retire,
        kb::questions,
        kb::preview,
        staff::list,
        staff::add,
        staff::remove,
        reports::summary,
        reports::agents,
        reports::export,
        reports::gaps,
        reviews::rubric,
        reviews::set_rubric,
        reviews::list,
        reviews::create,
        events::stream,
        document,
    ),
    components(schemas(crate::wire::ErrorBody))
)]
struct Api;

/// The document, with `extra` (other components' routes served beside, e.g. web chat) merged in.
pub fn build(extra: &[utoipa::openapi::OpenApi]) -> Value {
    let mut api = Api::openapi();
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    for other in extra {
        api.merge(other.clone());
    }
    let mut doc = serde_json::to_value(api).expect("the document serializes");
    for route in routes() {
        let operation = &mut doc["paths"][route.path][route.method.as_str().to_lowercase()];
        if !operation.is_object() {
            // Caught by the tests: every route of the table is documented.
            continue;
        }
        operation["summary"] = route.summary.into();
        if route.access == Access::Public {
            operation["security"] = json!([]);
        }
        let error = json!({ "$ref": "#/components/responses/Error" });
        // Any route may name something that is not there (a path id, a `conversation_id`).
        let mut refusals = vec!["400", "404", "422"];
        if route.access != Access::Public {
            refusals.push("401");
        }
        // Admins only; and cookie sessions are refused changes without the CSRF token.
        if route.access == Access::Admin || (route.access != Access::Public && route.method != axum::http::Method::GET)
        {
            refusals.push("403");
        }
        if route.path == "/api/v1/login" {
            refusals.extend(["401", "429"]);
        }
        if route.method != axum::http::Method::GET {
            refusals.push("413");
        }
        for code in refusals {
            operation["responses"][code] = error.clone();
        }
    }
    doc["security"] = json!([{ "bearer": [] }, { "cookie": [] }]);
    let schemes = &mut doc["components"]["securitySchemes"];
    schemes["bearer"] = json!({ "type": "http", "scheme": "bearer" });
    schemes["cookie"] = json!({ "type": "apiKey", "in": "cookie", "name": crate::auth::COOKIE,
                                "description": "State-changing requests also need the X-CSRF-Token header." });
    doc["components"]["responses"] = json!({
        "Error": {
            "description": "The request was refused; `error` says why",
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } } },
        },
    });
    doc
}

/// The OpenAPI document of this API.
#[utoipa::path(get, path = "/api/v1/openapi.json", operation_id = "get_openapi", tag = "meta",
    responses((status = 200, description = "This document (OpenAPI 3.1)", body = Object)))]
pub async fn document(axum::extract::State(state): axum::extract::State<crate::AppState>) -> Json<Value> {
    Json(build(&state.extra_docs))
}
