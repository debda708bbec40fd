//! A fake Telegram Bot API on 127.0.0.1, faithful to the documented behaviour the gateway
//! relies on: `/bot<token>/<method>` with case-insensitive methods; the `ok` / `result` /
//! `error_code` / `description` / `parameters` envelope; `getUpdates` where an `offset`
//! confirms every earlier update and `timeout` long-polls, and a second `getUpdates` while one
//! is pending ends the pending one with 409 "terminated by other getUpdates request" (two
//! pollers of one bot, as Telegram treats them); 429 with `retry_after` when told to.

#![allow(dead_code)]

use axum::extract::{Path, State};
use axum::routing::any;
use axum::{Json, Router};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

pub const TOKEN: &str = "123456:TEST-token";
pub const BOT_ID: u64 = 4242;

#[derive(Default)]
struct Inner {
    /// Queued updates: their id and their JSON text, as sent (which may be malformed on purpose).
    updates: Vec<(i64, String)>,
    next_update_id: i64,
    /// The highest offset a client sent: every update below it is confirmed.
    confirmed: i64,
    sent: Vec<Value>,
    /// When each of `sent` arrived.
    sent_at: Vec<std::time::Instant>,
    sends: usize,
    /// Every n-th send answers 429 (retry_after 1).
    throttle_every: Option<usize>,
    /// Every n-th send answers 502 Bad Gateway.
    fail_every: Option<usize>,
    next_message_id: i64,
    /// Chats whose user blocked the bot: sends answer 403.
    blocked: Vec<i64>,
    /// Enforce Telegram's limits (1 message/s per chat, 30/s overall) with 429s.
    enforce_limits: bool,
    last_send: std::collections::HashMap<i64, std::time::Instant>,
    recent: std::collections::VecDeque<std::time::Instant>,
    too_many: usize,
    /// The webhook set with `setWebhook`: (url, secret_token).
    webhook: Option<(String, String)>,
    /// Files `getFile` knows: (file_id, bytes).
    files: Vec<(String, Vec<u8>)>,
    /// `setMyCommands` calls: (language_code, commands).
    commands: Vec<(Option<String>, Value)>,
    /// The next `sendPhoto`/`sendDocument` answers 429.
    refuse_next_file: bool,
    /// `sendPhoto` and `sendDocument` calls: (method, parameters).
    files_sent: Vec<(String, Value)>,
    /// `answerCallbackQuery` calls: the query ids answered.
    answered: Vec<String>,
    /// Until then every call is refused, 429 and 502 in turn (an outage of the Bot API).
    outage_until: Option<std::time::Instant>,
    /// Calls refused by the outage: (429s, 502s).
    outage_refused: (usize, usize),
    /// The pending `getUpdates`, by request number: a newer one ends it with a 409.
    polling: Option<(u64, Arc<Notify>)>,
    polls: u64,
    /// `getUpdates` requests ended by another one (two pollers at once).
    conflicts: usize,
}

#[derive(Clone)]
pub struct FakeTelegram {
    inner: Arc<Mutex<Inner>>,
    arrived: Arc<Notify>,
    /// While true, `setMyCommands` calls wait without an answer.
    commands_held: Arc<tokio::sync::watch::Sender<bool>>,
    /// Ends the fake's serving.
    stopped: Arc<Notify>,
    pub url: String,
}

impl FakeTelegram {
    pub async fn start() -> FakeTelegram {
        let (fake, listener) = Self::bind();
        tokio::spawn(fake.serve(listener));
        fake
    }

    /// The fake on a runtime of its own (two threads), as a remote server is: its answers do not
    /// queue behind the client's own tasks.
    pub fn start_apart() -> FakeTelegram {
        let (fake, listener) = Self::bind();
        let serving = fake.serve(listener);
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            runtime.block_on(serving);
        });
        fake
    }

    /// Answers requests until `stop`.
    fn serve(&self, listener: std::net::TcpListener) -> impl Future<Output = ()> + Send + 'static {
        let (app, stopped) = (self.router(), self.stopped.clone());
        async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            tokio::select! {
                served = axum::serve(listener, app).into_future() => served.unwrap(),
                () = stopped.notified() => {}
            }
        }
    }

    /// Stops the fake, dropping its connections.
    pub fn stop(&self) {
        self.stopped.notify_one();
    }

    fn bind() -> (FakeTelegram, std::net::TcpListener) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let fake = FakeTelegram {
            inner: Arc::new(Mutex::new(Inner { next_update_id: 1000, next_message_id: 5000, ..Default::default() })),
            arrived: Arc::new(Notify::new()),
            commands_held: Arc::new(tokio::sync::watch::Sender::new(false)),
            stopped: Arc::new(Notify::new()),
            url: format!("http://{}", listener.local_addr().unwrap()),
        };
        (fake, listener)
    }

    fn router(&self) -> Router {
        Router::new()
            .route("/{bot}/{method}", any(call))
            .route("/file/{bot}/{*path}", any(file))
            .with_state(self.clone())
    }

    /// Queues an update (its `update_id` is assigned) and wakes long polls.
    pub fn push(&self, update: Value) -> i64 {
        self.push_raw(&update.to_string())
    }

    /// Queues an update given as JSON text, sent exactly as written: Telegram's answers can hold
    /// what a strict parser refuses (a lone UTF-16 surrogate escape such as `"\ud800"`). The
    /// text is an object; its `update_id` is added at the front.
    pub fn push_raw(&self, update: &str) -> i64 {
        let mut inner = self.inner.lock().unwrap();
        inner.next_update_id += 1;
        let id = inner.next_update_id;
        let rest = update.trim().strip_prefix('{').expect("an update is a JSON object");
        let text = format!("{{\"update_id\":{id},{rest}");
        inner.updates.push((id, text));
        drop(inner);
        self.arrived.notify_waiters();
        id
    }

    pub fn sent(&self) -> Vec<Value> {
        self.inner.lock().unwrap().sent.clone()
    }

    /// The number of messages received so far (cheaper than `sent()` in a hot loop).
    pub fn sent_count(&self) -> usize {
        self.inner.lock().unwrap().sent.len()
    }

    /// Arrival times of the messages received, with their `reply_parameters.message_id` and chat.
    pub fn arrivals(&self) -> Vec<(i64, i64, std::time::Instant)> {
        let inner = self.inner.lock().unwrap();
        inner
            .sent
            .iter()
            .zip(&inner.sent_at)
            .map(|(s, at)| {
                (s["chat_id"].as_i64().unwrap_or(0), s["reply_parameters"]["message_id"].as_i64().unwrap_or(0), *at)
            })
            .collect()
    }

    pub fn confirmed(&self) -> i64 {
        self.inner.lock().unwrap().confirmed
    }

    pub fn webhook(&self) -> Option<(String, String)> {
        self.inner.lock().unwrap().webhook.clone()
    }

    /// Makes a file available to `getFile` and download.
    pub fn add_file(&self, file_id: &str, bytes: Vec<u8>) {
        self.inner.lock().unwrap().files.push((file_id.to_owned(), bytes));
    }

    pub fn commands(&self) -> Vec<(Option<String>, Value)> {
        self.inner.lock().unwrap().commands.clone()
    }

    /// `setMyCommands` calls get no answer until `answer_commands` (a Bot API that hangs).
    pub fn hold_commands(&self) {
        self.commands_held.send_replace(true);
    }

    pub fn answer_commands(&self) {
        self.commands_held.send_replace(false);
    }

    pub fn refuse_next_file(&self) {
        self.inner.lock().unwrap().refuse_next_file = true;
    }

    pub fn files_sent(&self) -> Vec<(String, Value)> {
        self.inner.lock().unwrap().files_sent.clone()
    }

    pub fn answered(&self) -> Vec<String> {
        self.inner.lock().unwrap().answered.clone()
    }

    pub fn block(&self, chat: i64) {
        self.inner.lock().unwrap().blocked.push(chat);
    }

    pub fn enforce_limits(&self) {
        self.inner.lock().unwrap().enforce_limits = true;
    }

    /// How many 429s the fake answered.
    pub fn too_many(&self) -> usize {
        self.inner.lock().unwrap().too_many
    }

    pub fn throttle_every(&self, n: usize) {
        self.inner.lock().unwrap().throttle_every = Some(n);
    }

    pub fn fail_every(&self, n: usize) {
        self.inner.lock().unwrap().fail_every = Some(n);
    }

    /// For `length` from now every call — `getUpdates` and sends alike — is refused: 429 with
    /// `retry_after` 5 and 502 Bad Gateway (an HTML page, as Telegram's front end answers it)
    /// in turn. Nothing is confirmed or sent meanwhile.
    pub fn outage(&self, length: Duration) {
        self.inner.lock().unwrap().outage_until = Some(std::time::Instant::now() + length);
    }

    /// Calls the outage refused: (429s, 502s).
    /// How many pending `getUpdates` another one ended (two pollers at once).
    pub fn conflicts(&self) -> usize {
        self.inner.lock().unwrap().conflicts
    }

    pub fn outage_refused(&self) -> (usize, usize) {
        self.inner.lock().unwrap().outage_refused
    }
}

/// A private text message from user `user` in chat `chat`.
pub fn text_update(chat: i64, user: i64, message_id: i64, text: &str, language: &str) -> Value {
    json!({
        "message": {
            "message_id": message_id, "date": 1_700_000_000, "text": text,
            "from": {"id": user, "is_bot": false, "first_name": "Customer", "last_name": format!("{user}"), "language_code": language},
            "chat": {"id": chat, "type": "private", "first_name": "Customer"}
        }
    })
}

fn ok(result: Value) -> (axum::http::StatusCode, Json<Value>) {
    (axum::http::StatusCode::OK, Json(json!({ "ok": true, "result": result })))
}

fn error(code: u16, description: &str, parameters: Option<Value>) -> (axum::http::StatusCode, Json<Value>) {
    let mut body = json!({ "ok": false, "error_code": code, "description": description });
    if let Some(parameters) = parameters {
        body["parameters"] = parameters;
    }
    (axum::http::StatusCode::from_u16(code).unwrap(), Json(body))
}

/// Parameters as the Bot API takes them: a JSON body, a URL-encoded form or multipart form data.
fn parameters(headers: &axum::http::HeaderMap, body: &[u8]) -> Value {
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if let Some(boundary) = content_type.split("boundary=").nth(1) {
        let text = String::from_utf8_lossy(body);
        let mut params = serde_json::Map::new();
        for part in text.split(&format!("--{}", boundary.trim_matches('"'))) {
            let Some((head, value)) = part.split_once("\r\n\r\n") else { continue };
            let Some(name) = head.split("name=\"").nth(1).and_then(|n| n.split('"').next()) else { continue };
            let value = value.trim_end_matches("\r\n");
            if let Some(filename) = head.split("filename=\"").nth(1).and_then(|n| n.split('"').next()) {
                params.insert(name.to_owned(), json!({"filename": filename, "content": value}));
                continue;
            }
            params.insert(name.to_owned(), serde_json::from_str(value).unwrap_or_else(|_| json!(value)));
        }
        // A field may name another part instead of holding the file: `attach://<part>`.
        let attached: Vec<(String, Value)> = params
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), params.get(v.as_str()?.strip_prefix("attach://")?)?.clone())))
            .collect();
        params.extend(attached);
        return Value::Object(params);
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let text = String::from_utf8_lossy(body);
        let params = text
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_owned(), serde_json::from_str(v).unwrap_or_else(|_| json!(v))))
            .collect();
        return Value::Object(params);
    }
    serde_json::from_slice(body).unwrap_or(Value::Null)
}

async fn call(
    State(fake): State<FakeTelegram>,
    Path((bot, method)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if let Some(refusal) = outage_refusal(&fake) {
        return refusal;
    }
    let polling = bot == format!("bot{TOKEN}")
        && method.eq_ignore_ascii_case("getupdates")
        && fake.inner.lock().unwrap().webhook.is_none();
    if polling {
        return get_updates(fake, parameters(&headers, &body)).await;
    }
    call_json(fake, bot, method, headers, body).await.into_response()
}

/// While an outage lasts, the refusal for this call.
fn outage_refusal(fake: &FakeTelegram) -> Option<axum::response::Response> {
    use axum::response::IntoResponse;
    let mut inner = fake.inner.lock().unwrap();
    if inner.outage_until.is_none_or(|until| std::time::Instant::now() >= until) {
        return None;
    }
    let (throttled, failed) = inner.outage_refused;
    if throttled <= failed {
        inner.outage_refused.0 += 1;
        Some(error(429, "Too Many Requests: retry after 5", Some(json!({ "retry_after": 5 }))).into_response())
    } else {
        inner.outage_refused.1 += 1;
        let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n";
        let html = [(axum::http::header::CONTENT_TYPE, "text/html")];
        Some((axum::http::StatusCode::BAD_GATEWAY, html, page).into_response())
    }
}

/// `getUpdates`: the updates from `offset` on (each earlier one confirmed), long-polling up to
/// `timeout` seconds; the answer written from the updates' own text.
async fn get_updates(fake: FakeTelegram, params: Value) -> axum::response::Response {
    use axum::response::IntoResponse;
    let offset = params["offset"].as_i64().unwrap_or(0);
    let timeout = params["timeout"].as_u64().unwrap_or(0).min(10);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    // This request is the pending one now; one still pending is ended.
    let terminated = Arc::new(Notify::new());
    let number = {
        let mut inner = fake.inner.lock().unwrap();
        inner.polls += 1;
        let number = inner.polls;
        if let Some((_, earlier)) = inner.polling.replace((number, terminated.clone())) {
            inner.conflicts += 1;
            earlier.notify_one();
        }
        number
    };
    // A request that ends, or whose client went away, is pending no more.
    let _pending = Pending { fake: fake.clone(), number };
    loop {
        let notified = fake.arrived.notified();
        {
            let mut inner = fake.inner.lock().unwrap();
            if offset > 0 {
                inner.confirmed = inner.confirmed.max(offset);
                inner.updates.retain(|(id, _)| *id >= offset);
            }
            let limit = params["limit"].as_u64().unwrap_or(100) as usize;
            let ready: Vec<&str> = inner.updates.iter().take(limit).map(|(_, text)| text.as_str()).collect();
            if !ready.is_empty() || tokio::time::Instant::now() >= deadline {
                let body = format!("{{\"ok\":true,\"result\":[{}]}}", ready.join(","));
                return ([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response();
            }
        }
        tokio::select! {
            _ = tokio::time::timeout_at(deadline, notified) => {}
            () = terminated.notified() => {
                let conflict = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
                return error(409, conflict, None).into_response();
            }
        }
    }
}

/// The pending `getUpdates` while it lives.
struct Pending {
    fake: FakeTelegram,
    number: u64,
}

impl Drop for Pending {
    fn drop(&mut self) {
        let mut inner = self.fake.inner.lock().unwrap();
        if inner.polling.as_ref().is_some_and(|(number, _)| *number == self.number) {
            inner.polling = None;
        }
    }
}

async fn call_json(
    fake: FakeTelegram,
    bot: String,
    method: String,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> (axum::http::StatusCode, Json<Value>) {
    if bot != format!("bot{TOKEN}") {
        return error(401, "Unauthorized", None);
    }
    let params = parameters(&headers, &body);
    match method.to_ascii_lowercase().as_str() {
        "getme" => ok(json!({
            "id": BOT_ID, "is_bot": true, "first_name": "Support", "username": "support_bot",
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false
        })),
        "getupdates" if fake.inner.lock().unwrap().webhook.is_some() => error(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            None,
        ),
        "setwebhook" => {
            let url = params["url"].as_str().unwrap_or_default().to_owned();
            let secret = params["secret_token"].as_str().unwrap_or_default().to_owned();
            fake.inner.lock().unwrap().webhook = Some((url, secret));
            ok(json!(true))
        }
        "deletewebhook" => {
            fake.inner.lock().unwrap().webhook = None;
            ok(json!(true))
        }
        "sendmessage" => {
            let mut inner = fake.inner.lock().unwrap();
            inner.sends += 1;
            if inner.blocked.contains(&params["chat_id"].as_i64().unwrap_or(0)) {
                return error(403, "Forbidden: bot was blocked by the user", None);
            }
            if inner.fail_every.is_some_and(|n| inner.sends.is_multiple_of(n)) {
                return error(502, "Bad Gateway", None);
            }
            if inner.throttle_every.is_some_and(|n| inner.sends.is_multiple_of(n)) {
                inner.too_many += 1;
                return error(429, "Too Many Requests: retry after 1", Some(json!({ "retry_after": 1 })));
            }
            if inner.enforce_limits {
                let now = std::time::Instant::now();
                let chat = params["chat_id"].as_i64().unwrap_or(0);
                while inner.recent.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1)) {
                    inner.recent.pop_front();
                }
                // A little slack for timers: the limits are Telegram's approximations too.
                let chat_too_soon =
                    inner.last_send.get(&chat).is_some_and(|t| now.duration_since(*t) < Duration::from_millis(950));
                if chat_too_soon || inner.recent.len() >= 30 {
                    inner.too_many += 1;
                    return error(429, "Too Many Requests: retry after 1", Some(json!({ "retry_after": 1 })));
                }
                inner.last_send.insert(chat, now);
                inner.recent.push_back(now);
            }
            inner.next_message_id += 1;
            let message_id = inner.next_message_id;
            inner.sent.push(params.clone());
            inner.sent_at.push(std::time::Instant::now());
            let chat = params["chat_id"].as_i64().unwrap_or(0);
            let chat_json = if chat < 0 {
                json!({"id": chat, "type": "supergroup", "title": "Support", "is_forum": true})
            } else {
                json!({"id": chat, "type": "private", "first_name": "Customer"})
            };
            ok(json!({
                "message_id": message_id, "date": 1_700_000_000, "text": params["text"],
                "from": {"id": BOT_ID, "is_bot": true, "first_name": "Support", "username": "support_bot"},
                "chat": chat_json
            }))
        }
        method @ ("sendphoto" | "senddocument") => {
            let field = if method == "sendphoto" { "photo" } else { "document" };
            if !params[field]["filename"].is_string() {
                return error(400, &format!("Bad Request: there is no {field} in the request"), None);
            }
            let mut inner = fake.inner.lock().unwrap();
            if std::mem::take(&mut inner.refuse_next_file) {
                return error(429, "Too Many Requests: retry after 1", Some(json!({ "retry_after": 1 })));
            }
            inner.next_message_id += 1;
            let message_id = inner.next_message_id;
            inner.files_sent.push((method.to_owned(), params.clone()));
            let chat = params["chat_id"].as_i64().unwrap_or(0);
            let mut message = json!({
                "message_id": message_id, "date": 1_700_000_000,
                "from": {"id": BOT_ID, "is_bot": true, "first_name": "Support", "username": "support_bot"},
                "chat": {"id": chat, "type": "private", "first_name": "Customer"}
            });
            message[field] = if field == "photo" {
                json!([{"file_id": "p1", "file_unique_id": "u1", "width": 1, "height": 1, "file_size": 67}])
            } else {
                json!({"file_id": "d1", "file_unique_id": "u2", "file_size": 3})
            };
            ok(message)
        }
        "setmycommands" => {
            let _ = fake.commands_held.subscribe().wait_for(|held| !held).await;
            let language = params["language_code"].as_str().map(str::to_owned);
            fake.inner.lock().unwrap().commands.push((language, params["commands"].clone()));
            ok(json!(true))
        }
        "getfile" => {
            let id = params["file_id"].as_str().unwrap_or_default().to_owned();
            match fake.inner.lock().unwrap().files.iter().find(|(f, _)| *f == id) {
                Some((_, bytes)) => ok(json!({
                    "file_id": id, "file_unique_id": format!("u-{id}"), "file_size": bytes.len(),
                    "file_path": format!("documents/{id}.bin")
                })),
                None => error(400, "Bad Request: invalid file_id", None),
            }
        }
        "deletemessage" => ok(json!(true)),
        "answercallbackquery" => match params["callback_query_id"].as_str() {
            Some(id) => {
                fake.inner.lock().unwrap().answered.push(id.to_owned());
                ok(json!(true))
            }
            None => {
                error(400, "Bad Request: query is too old and response timeout expired or query ID is invalid", None)
            }
        },
        _ => error(404, "Not Found: method not found", None),
    }
}

/// `GET /file/bot<token>/<file_path>` (clients may encode the `/` of the path as `%2F`).
async fn file(
    State(fake): State<FakeTelegram>,
    Path((bot, path)): Path<(String, String)>,
) -> (axum::http::StatusCode, Vec<u8>) {
    if bot != format!("bot{TOKEN}") {
        return (axum::http::StatusCode::UNAUTHORIZED, Vec::new());
    }
    let path = path.replace("%2F", "/");
    let id = path.trim_start_matches("documents/").trim_end_matches(".bin");
    match fake.inner.lock().unwrap().files.iter().find(|(f, _)| f == id) {
        Some((_, bytes)) => (axum::http::StatusCode::OK, bytes.clone()),
        None => (axum::http::StatusCode::NOT_FOUND, Vec::new()),
    }
}
