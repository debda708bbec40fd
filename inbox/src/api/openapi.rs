//! The OpenAPI document of `/api/v1`, built from the same route table as the router.

use super::{Access, routes};
use axum::Json;
use serde_json::{Map, Value, json};

pub fn build() -> Value {
    let mut paths = Map::new();
    for route in routes() {
        let path = paths.entry(route.path.to_owned()).or_insert_with(|| json!({}));
        let parameters: Vec<Value> = route
            .path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "integer" } }))
            .collect();
        let mut responses = json!({
            "200": { "description": "OK", "content": { "application/json": {} } },
            "400": { "$ref": "#/components/responses/Error" },
            "422": { "$ref": "#/components/responses/Error" },
        });
        if route.access != Access::Public {
            responses["401"] = json!({ "$ref": "#/components/responses/Error" });
        }
        if route.access == Access::Admin {
            responses["403"] = json!({ "$ref": "#/components/responses/Error" });
        }
        let mut operation = json!({
            "summary": route.summary,
            "operationId": format!("{} {}", route.method, route.path),
            "parameters": parameters,
            "responses": responses,
        });
        if route.access == Access::Public {
            operation["security"] = json!([]);
        }
        if matches!(route.method.as_str(), "POST" | "PUT" | "PATCH") {
            operation["requestBody"] = json!({ "content": { "application/json": { "schema": { "type": "object" } } } });
        }
        path[route.method.as_str().to_lowercase()] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": { "title": "switchboard inbox API", "version": env!("CARGO_PKG_VERSION") },
        "paths": paths,
        "security": [{ "bearer": [] }, { "cookie": [] }],
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer" },
                "cookie": { "type": "apiKey", "in": "cookie", "name": crate::auth::COOKIE,
                            "description": "State-changing requests also need the X-CSRF-Token header." },
            },
            "responses": {
                "Error": {
                    "description": "The request was refused",
                    "content": { "application/json": { "schema": {
                        "type": "object", "required": ["error"], "properties": { "error": { "type": "string" } }
                    } } },
                },
            },
        },
    })
}

pub async fn document() -> Json<Value> {
    Json(build())
}
