//! The fake Discord's REST side: `/api/v10` routes and the CDN.

use super::*;

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bot {TOKEN}"))
}

fn unauthorized() -> Response {
    (StatusCode::UNAUTHORIZED, Json(json!({"message": "401: Unauthorized", "code": 0}))).into_response()
}

/// While an outage lasts, every call is refused: a global 429 and a 502 in turn.
pub(super) async fn outage(
    State(state): State<Arc<Mutex<State_>>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let refusal = {
        let mut state = state.lock().unwrap();
        match state.outage_until {
            Some(until) if Instant::now() < until => {
                let (throttled, failed) = state.outage_refused;
                if throttled <= failed {
                    state.outage_refused.0 += 1;
                    let body = json!({"message": "You are being rate limited.", "retry_after": 3.0, "global": true});
                    let headers =
                        [("retry-after", "3"), ("x-ratelimit-global", "true"), ("x-ratelimit-scope", "global")];
                    Some((StatusCode::TOO_MANY_REQUESTS, headers, Json(body)).into_response())
                } else {
                    state.outage_refused.1 += 1;
                    let page = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>";
                    Some((StatusCode::BAD_GATEWAY, [("content-type", "text/html")], page).into_response())
                }
            }
            _ => None,
        }
    };
    match refusal {
        Some(refusal) => refusal,
        None => next.run(request).await,
    }
}

pub(super) async fn gateway(State((_, gateway)): State<Shared>) -> Json<Value> {
    Json(json!({ "url": gateway }))
}

pub(super) async fn gateway_bot(State((_, gateway)): State<Shared>, headers: HeaderMap) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    Json(json!({"url": gateway, "shards": 1,
        "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1}}))
    .into_response()
}

pub(super) async fn me(headers: HeaderMap) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    Json(user(BOT_ID, "support", true)).into_response()
}

pub(super) async fn open_dm(State((state, _)): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    let id = {
        let mut state = state.lock().unwrap();
        state.next_id += 1;
        state.next_id
    };
    Json(json!({"id": id.to_string(), "type": 1, "recipients": [user(body["recipient_id"].as_str().unwrap_or("0").parse().unwrap_or(0), "customer", false)]}))
        .into_response()
}

pub(super) async fn create_message(
    State((state, _)): State<Shared>,
    Path(channel): Path<String>,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let bytes = axum::body::to_bytes(request.into_body(), 64 * 1024 * 1024).await.unwrap_or_default();
    let payload: Value = if content_type.starts_with("multipart/form-data") {
        // payload_json plus files[n]: keep the JSON and the file names.
        let text = String::from_utf8_lossy(&bytes);
        let json_start =
            text.find("name=\"payload_json\"").and_then(|at| text[at..].find("\r\n\r\n").map(|s| at + s + 4));
        let mut payload: Value = json_start
            .and_then(|start| text[start..].find("\r\n--").map(|end| &text[start..start + end]))
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or(json!({}));
        let files: Vec<String> = text
            .match_indices("filename=\"")
            .map(|(at, _)| text[at + 10..].split('"').next().unwrap_or("").to_owned())
            .collect();
        payload["uploaded"] = json!(files);
        payload
    } else {
        serde_json::from_slice(&bytes).unwrap_or(json!({}))
    };
    let mut state = state.lock().unwrap();
    if state.forbidden.contains(&channel) {
        return (StatusCode::FORBIDDEN, Json(json!({"message": "Cannot send messages to this user", "code": 50007})))
            .into_response();
    }
    let mut limit_headers = None;
    if let Some((n, window)) = state.limit {
        let now = Instant::now();
        let with_headers = state.limit_headers;
        let entry = state.windows.entry(channel.clone()).or_insert((now, 0));
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        if entry.1 < n && with_headers {
            let reset_after = window.saturating_sub(now.duration_since(entry.0)).as_secs_f64();
            limit_headers = Some((n, n - entry.1 - 1, reset_after));
        }
        if entry.1 >= n {
            let retry = window.saturating_sub(now.duration_since(entry.0)).as_secs_f64().max(0.001);
            state.too_many += 1;
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({"message": "You are being rate limited.", "retry_after": retry, "global": false})),
            )
                .into_response();
            let h = response.headers_mut();
            h.insert("retry-after", format!("{}", retry.ceil() as u64).parse().unwrap());
            h.insert("x-ratelimit-limit", n.to_string().parse().unwrap());
            h.insert("x-ratelimit-remaining", "0".parse().unwrap());
            h.insert("x-ratelimit-reset-after", format!("{retry:.3}").parse().unwrap());
            h.insert("x-ratelimit-bucket", "fake-channel-bucket".parse().unwrap());
            h.insert("x-ratelimit-scope", "user".parse().unwrap());
            return response;
        }
        entry.1 += 1;
    }
    state.next_id += 1;
    let id = state.next_id.to_string();
    let message = json!({
        "id": id, "channel_id": channel, "content": payload["content"].as_str().unwrap_or(""),
        "author": user(BOT_ID, "support", true), "timestamp": "2026-11-23T10:00:00.000000+00:00", "edited_timestamp": null,
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
        "pinned": false, "type": 0
    });
    state.history.entry(channel.clone()).or_default().push(message.clone());
    state.sent.push((channel, payload, id));
    let mut response = Json(message).into_response();
    // Discord tells every answer's bucket: its id (shared by the channels' message routes, each
    // channel a window of its own), what is left of the window and when it resets.
    if let Some((limit, remaining, reset_after)) = limit_headers {
        let h = response.headers_mut();
        h.insert("x-ratelimit-limit", limit.to_string().parse().unwrap());
        h.insert("x-ratelimit-remaining", remaining.to_string().parse().unwrap());
        h.insert("x-ratelimit-reset-after", format!("{reset_after:.3}").parse().unwrap());
        h.insert("x-ratelimit-bucket", "fake-channel-bucket".parse().unwrap());
    }
    response
}

pub(super) async fn list_messages(
    State((state, _)): State<Shared>,
    Path(channel): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    let after: u64 = query.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
    let state = state.lock().unwrap();
    let mut list: Vec<Value> = state
        .history
        .get(&channel)
        .map(|messages| {
            messages
                .iter()
                .filter(|m| m["id"].as_str().and_then(|id| id.parse::<u64>().ok()).unwrap_or(0) > after)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    // Newest first, as Discord lists them.
    list.reverse();
    Json(Value::Array(list)).into_response()
}

pub(super) async fn start_thread(
    State((state, _)): State<Shared>,
    Path((channel, message)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    let mut state = state.lock().unwrap();
    state.next_id += 1;
    let id = state.next_id.to_string();
    state.threads.push((channel.clone(), message, id.clone()));
    Json(json!({"id": id, "type": 11, "guild_id": GUILD_ID.to_string(), "parent_id": channel, "name": body["name"],
        "owner_id": BOT_ID.to_string(), "thread_metadata": {"archived": false, "auto_archive_duration": 10080,
        "archive_timestamp": "2026-11-23T10:00:00+00:00", "locked": false}}))
    .into_response()
}

pub(super) async fn callback(
    State((state, _)): State<Shared>,
    Path((id, token)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    if !token.starts_with("interaction-token-") {
        return (StatusCode::UNAUTHORIZED, Json(json!({"message": "Invalid interaction token", "code": 50027})))
            .into_response();
    }
    state.lock().unwrap().callbacks.push((id, body));
    StatusCode::NO_CONTENT.into_response()
}

pub(super) async fn follow_up(
    State((state, _)): State<Shared>,
    Path((application, token)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    if application != APPLICATION_ID.to_string() {
        return (StatusCode::NOT_FOUND, Json(json!({"message": "Unknown Webhook", "code": 10015}))).into_response();
    }
    let mut state = state.lock().unwrap();
    state.next_id += 1;
    let id = state.next_id.to_string();
    state.followups.push((token, body.clone()));
    Json(json!({"id": id, "channel_id": "0", "content": body["content"], "author": user(BOT_ID, "support", true),
        "timestamp": "2026-11-23T10:00:00.000000+00:00", "edited_timestamp": null, "tts": false, "mention_everyone": false,
        "mentions": [], "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0, "flags": 64}))
    .into_response()
}

pub(super) async fn cdn(State((state, _)): State<Shared>, Path(name): Path<String>) -> Response {
    match state.lock().unwrap().cdn.get(&name) {
        Some(bytes) => bytes.clone().into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

pub(super) async fn commands(
    State((state, _)): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    state.lock().unwrap().commands = Some(body.clone());
    Json(body).into_response()
}
