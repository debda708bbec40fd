//! The HTTP surface's edges. Requests made safe to handle before any handler runs: NUL
//! characters (which PostgreSQL refuses in text) removed from the path, the query, JSON and form
//! bodies, and a body over the limit answered 413 after it is read away, so the client gets the
//! answer instead of a reset connection. Answers of the APIs: every refusal is JSON
//! `{"error": …}`, including the framework's own (a malformed path parameter, a wrong method).

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

/// The largest body taken by a route that is not an upload (axum's JSON default).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// How much of an oversized body is read away to answer it; beyond, the connection is closed.
const MAX_DRAIN_BYTES: usize = 64 * 1024 * 1024;

pub async fn storable(request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    if let Some(uri) = without_nul(&parts.uri) {
        parts.uri = uri;
    }
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type.starts_with("multipart/") {
        // Uploads have their own, larger limit (checked by their routes).
        return next.run(Request::from_parts(parts, body)).await;
    }
    let json = content_type.starts_with("application/json") || content_type.ends_with("+json");
    let form = content_type.starts_with("application/x-www-form-urlencoded");
    let bytes = match read_limited(body).await {
        Ok(bytes) => bytes,
        Err(Read::TooLarge) => {
            let error = format!("the body is larger than {} MB", MAX_BODY_BYTES / (1024 * 1024));
            return (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(serde_json::json!({ "error": error }))).into_response();
        }
        Err(Read::Failed) => {
            let error = "the body could not be read";
            return (StatusCode::BAD_REQUEST, axum::Json(serde_json::json!({ "error": error }))).into_response();
        }
    };
    let bytes = match (json, form) {
        (true, _) => json_without_nul(bytes),
        (_, true) => form_without_nul(bytes),
        _ => bytes,
    };
    if json || form {
        parts.headers.remove(header::CONTENT_LENGTH);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

enum Read {
    TooLarge,
    Failed,
}

async fn read_limited(mut body: Body) -> Result<Bytes, Read> {
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { return Err(Read::Failed) };
        let Ok(data) = frame.into_data() else { continue };
        seen += data.len();
        if seen <= MAX_BODY_BYTES {
            kept.extend_from_slice(&data);
        } else if seen > MAX_DRAIN_BYTES {
            return Err(Read::TooLarge);
        }
    }
    if seen > MAX_BODY_BYTES { Err(Read::TooLarge) } else { Ok(kept.into()) }
}

/// `uri` with `%00` taken out of its path and query, if it had any.
fn without_nul(uri: &Uri) -> Option<Uri> {
    let text = uri.path_and_query()?.as_str();
    if !text.contains("%00") {
        return None;
    }
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(without_percent_nul(text).parse().ok()?);
    Uri::from_parts(parts).ok()
}

/// A form body with `%00` taken out (a raw NUL cannot be in one: it would be percent-encoded).
fn form_without_nul(bytes: Bytes) -> Bytes {
    match std::str::from_utf8(&bytes) {
        Ok(text) if text.contains("%00") => Bytes::from(without_percent_nul(text)),
        _ => bytes,
    }
}

/// Percent-encoded text without its `%00`s (the only way to write NUL in it).
fn without_percent_nul(text: &str) -> String {
    let mut cleaned = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('%') {
        cleaned.push_str(&rest[..at]);
        if rest[at..].starts_with("%00") {
            rest = &rest[at + 3..];
        } else {
            cleaned.push('%');
            rest = &rest[at + 1..];
        }
    }
    cleaned.push_str(rest);
    cleaned
}

/// A JSON body with NUL characters removed from every string (keys too). A body that is not
/// JSON is left for the handler to refuse.
fn json_without_nul(bytes: Bytes) -> Bytes {
    let raw_nul = bytes.contains(&0);
    let escaped_nul = bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"));
    if !raw_nul && !escaped_nul {
        return bytes;
    }
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&bytes) else { return bytes };
    clean_value(&mut value);
    serde_json::to_vec(&value).map(Bytes::from).unwrap_or(bytes)
}

fn clean_value(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(text) => switchboard_core::storable::clean_in_place(text),
        Value::Array(items) => items.iter_mut().for_each(clean_value),
        Value::Object(map) => {
            let entries = std::mem::take(map);
            for (key, mut item) in entries {
                clean_value(&mut item);
                map.insert(switchboard_core::storable::clean(&key).into_owned(), item);
            }
        }
        _ => {}
    }
}

/// On `/api/` and `/webchat/`: a refusal that is not JSON (the framework's plain-text rejections,
/// an empty 405) becomes `{"error": "<its text>"}` with the same status.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let api = path.starts_with("/api/") || path.starts_with("/webchat/");
    let response = next.run(request).await;
    let status = response.status();
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !api || json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = match http_body_util::Limited::new(body, 64 * 1024).collect().await {
        Ok(collected) => String::from_utf8_lossy(&collected.to_bytes()).trim().to_owned(),
        Err(_) => String::new(),
    };
    let error = if text.is_empty() { status.canonical_reason().unwrap_or("refused").to_lowercase() } else { text };
    let mut answer = (status, axum::Json(serde_json::json!({ "error": error }))).into_response();
    let kept =
        parts.headers.iter().filter(|(name, _)| **name != header::CONTENT_TYPE && **name != header::CONTENT_LENGTH);
    for (name, value) in kept {
        answer.headers_mut().insert(name.clone(), value.clone());
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_escapes_leave_paths_queries_and_json() {
        let uri: Uri = "/api/v1/conversations?q=a%00b&tag=%2500x".parse().unwrap();
        assert_eq!(without_nul(&uri).unwrap().to_string(), "/api/v1/conversations?q=ab&tag=%2500x");
        assert!(without_nul(&"/api/v1/conversations?q=a".parse().unwrap()).is_none());
        assert_eq!(form_without_nul(Bytes::from_static(b"email=a%00%40b&p=%2500")), "email=a%40b&p=%2500");
        let body = Bytes::from_static(br#"{"body":"a\u0000b","tags":["\u0000x"],"k\u0000":1}"#);
        let cleaned: serde_json::Value = serde_json::from_slice(&json_without_nul(body)).unwrap();
        assert_eq!(cleaned, serde_json::json!({"body": "ab", "tags": ["x"], "k": 1}));
        // A literal backslash before u0000 is text, not a NUL, and is kept.
        let literal = Bytes::from_static(br#"{"body":"a\\u0000b"}"#);
        let kept: serde_json::Value = serde_json::from_slice(&json_without_nul(literal)).unwrap();
        assert_eq!(kept["body"], "a\\u0000b");
    }
}
