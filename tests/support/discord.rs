//! A fake Discord, faithful to the API docs where the gateway exercises it.
//!
//! REST under `/api/v10` (`Authorization: Bot <token>` checked): `/gateway`, `/gateway/bot`,
//! `/users/@me`, channel messages (create, list), threads from messages, DMs, interaction
//! callbacks and webhook follow-ups, global commands; a per-channel limit answered with 429,
//! `Retry-After`, `X-RateLimit-*` and a JSON `retry_after` in float seconds. The gateway
//! (WebSocket, JSON text frames): HELLO, heartbeat/ACK, IDENTIFY with intents (4004 on a bad
//! token, 4014 when Message Content is refused), READY with `resume_gateway_url`,
//! GUILD_CREATE, MESSAGE_CREATE (content blanked in guilds without the Message Content
//! intent), INTERACTION_CREATE, RESUME with replay of missed events, op 7 and op 9. The REST
//! handlers are in `discord/rest.rs`.

mod rest;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::Message as Ws;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

pub const TOKEN: &str = "MTAxMDEwMTAxMDEw.fake.discord-token";
pub const BOT_ID: u64 = 4242;
pub const APPLICATION_ID: u64 = 4343;
pub const GUILD_ID: u64 = 5000;
pub const SUPPORT_CHANNEL: u64 = 5001;
const MESSAGE_CONTENT: u64 = 1 << 15;

/// switchboard serving `dir` with its Discord channel on `fake` (`SUPPORT_CHANNEL` as the
/// support channel), plus `extra` settings.
pub fn start_switchboard(dir: &std::path::Path, fake: &FakeDiscord, extra: &[(&str, &str)]) -> super::Server {
    let support = SUPPORT_CHANNEL.to_string();
    let mut env = vec![
        ("SWITCHBOARD_DISCORD_TOKEN", TOKEN),
        ("SWITCHBOARD_DISCORD_API_URL", fake.url.as_str()),
        ("SWITCHBOARD_DISCORD_SUPPORT_CHANNELS", support.as_str()),
    ];
    env.extend_from_slice(extra);
    super::Server::start(dir, &env)
}

/// What the gateway tells a connected session.
#[derive(Clone, Debug)]
enum Control {
    Dispatch,
    Reconnect,
    InvalidSession,
    Drop,
    /// A close frame with this code; 4007 and 4009 also end the session (not resumable).
    Close(u16),
}

#[derive(Default)]
struct State_ {
    next_id: u64,
    /// Every message posted by the bot: (channel, payload, message id).
    sent: Vec<(String, Value, String)>,
    followups: Vec<(String, Value)>,
    callbacks: Vec<(String, Value)>,
    threads: Vec<(String, String, String)>,
    commands: Option<Value>,
    /// Messages per channel (customers' and the bot's), for GET messages.
    history: HashMap<String, Vec<Value>>,
    /// Gateway: every dispatch, in order.
    events: Vec<(String, Value)>,
    /// Per session: the log index of what each sequence number carried (READY is 1, the
    /// entry at position p is sequence p + 2; `None` for GUILD_CREATE), and where it began.
    sessions: HashMap<String, (usize, Vec<Option<usize>>)>,
    identifies: u32,
    resumes: u32,
    session_id: String,
    refuse_message_content: bool,
    /// While set, dispatches are logged but not sent (a gap a fresh session must catch up on).
    muted: bool,
    /// Per channel: sends allowed per window, and the window. Windows are fixed, from a
    /// channel's first request, as Discord's buckets are (not a refilling token bucket).
    limit: Option<(usize, Duration)>,
    /// Whether answers carry Discord's `X-RateLimit-*` headers (they do; a proxy may strip them).
    limit_headers: bool,
    windows: HashMap<String, (Instant, usize)>,
    too_many: u32,
    /// Channels whose messages are refused with 403 (the user closed DMs).
    forbidden: Vec<String>,
    /// Files served at `/cdn/<name>`.
    cdn: HashMap<String, Vec<u8>>,
    /// Until then every REST call is refused, a global 429 and a 502 in turn (an outage).
    outage_until: Option<Instant>,
    /// Calls refused by the outage: (429s, 502s).
    outage_refused: (u32, u32),
}

#[derive(Clone)]
pub struct FakeDiscord {
    pub url: String,
    pub gateway_url: String,
    state: Arc<Mutex<State_>>,
    control: broadcast::Sender<Control>,
}

type Shared = (Arc<Mutex<State_>>, String);

impl FakeDiscord {
    pub async fn start() -> FakeDiscord {
        let state = Arc::new(Mutex::new(State_ { next_id: 900_000_000_000_000_000, ..State_::default() }));
        let (control, _) = broadcast::channel(1024);
        let ws_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let gateway_url = format!("ws://{}", ws_listener.local_addr().unwrap());
        let http_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", http_listener.local_addr().unwrap());
        let fake = FakeDiscord { url, gateway_url: gateway_url.clone(), state: state.clone(), control };
        let shared: Shared = (state.clone(), gateway_url);
        let app = Router::new()
            .route("/api/v10/gateway", get(rest::gateway))
            .route("/api/v10/gateway/bot", get(rest::gateway_bot))
            .route("/api/v10/users/@me", get(rest::me))
            .route("/api/v10/users/@me/channels", post(rest::open_dm))
            .route("/api/v10/channels/{channel}/messages", post(rest::create_message).get(rest::list_messages))
            .route("/api/v10/channels/{channel}/messages/{message}/threads", post(rest::start_thread))
            .route("/api/v10/interactions/{id}/{token}/callback", post(rest::callback))
            .route("/api/v10/webhooks/{application}/{token}", post(rest::follow_up))
            .route("/api/v10/applications/{application}/commands", put(rest::commands))
            .route("/cdn/{name}", get(rest::cdn))
            .layer(axum::middleware::from_fn_with_state(state.clone(), rest::outage))
            .fallback(|uri: axum::http::Uri| async move {
                eprintln!("fake Discord: no route for {uri}");
                (StatusCode::NOT_FOUND, Json(json!({"message": "404: Not Found", "code": 0})))
            })
            .with_state(shared);
        tokio::spawn(async move { axum::serve(http_listener, app).await.unwrap() });
        let gateway = fake.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = ws_listener.accept().await {
                let gateway = gateway.clone();
                tokio::spawn(async move { gateway.session(tcp).await });
            }
        });
        fake
    }

    /// Makes IDENTIFY with the Message Content intent fail with close code 4014.
    pub fn refuse_message_content(&self) {
        self.state.lock().unwrap().refuse_message_content = true;
    }

    /// Allows `n` messages per channel per `window` (fixed windows, as Discord's buckets), and
    /// says so in every answer's `X-RateLimit-*` headers; more are answered 429.
    pub fn limit(&self, n: usize, window: Duration) {
        let mut state = self.state.lock().unwrap();
        (state.limit, state.limit_headers) = (Some((n, window)), true);
    }

    /// `limit`, with the headers stripped (as by a proxy): only 429s tell the client.
    pub fn limit_silently(&self, n: usize, window: Duration) {
        let mut state = self.state.lock().unwrap();
        (state.limit, state.limit_headers) = (Some((n, window)), false);
    }

    pub fn next_id(&self) -> u64 {
        let mut state = self.state.lock().unwrap();
        state.next_id += 1;
        state.next_id
    }

    /// A customer's message: stored in the channel's history and dispatched as MESSAGE_CREATE.
    pub fn customer_message(&self, channel: u64, guild: Option<u64>, user: u64, name: &str, content: &str) -> u64 {
        let id = self.next_id();
        let mut message = json!({
            "id": id.to_string(), "channel_id": channel.to_string(), "content": content,
            "author": {"id": user.to_string(), "username": name, "discriminator": "0", "avatar": null, "global_name": name},
            "timestamp": "2026-11-23T10:00:00.000000+00:00", "edited_timestamp": null, "tts": false,
            "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
            "pinned": false, "type": 0
        });
        if let Some(guild) = guild {
            message["guild_id"] = json!(guild.to_string());
        }
        self.state.lock().unwrap().history.entry(channel.to_string()).or_default().push(message.clone());
        self.dispatch("MESSAGE_CREATE", message);
        id
    }

    /// A customer's message with a file, served by the fake's CDN.
    pub fn customer_file(&self, channel: u64, user: u64, name: &str, content_type: &str, bytes: &[u8]) -> u64 {
        let id = self.next_id();
        self.state.lock().unwrap().cdn.insert(name.to_owned(), bytes.to_vec());
        let url = format!("{}/cdn/{name}", self.url);
        let message = json!({
            "id": id.to_string(), "channel_id": channel.to_string(), "content": "",
            "author": {"id": user.to_string(), "username": "customer", "discriminator": "0", "avatar": null},
            "timestamp": "2026-11-23T10:00:00.000000+00:00", "edited_timestamp": null, "tts": false,
            "mention_everyone": false, "mentions": [], "mention_roles": [], "embeds": [], "pinned": false, "type": 0,
            "attachments": [{"id": id.to_string(), "filename": name, "size": bytes.len(), "url": url, "proxy_url": url,
                             "content_type": content_type}]
        });
        self.state.lock().unwrap().history.entry(channel.to_string()).or_default().push(message.clone());
        self.dispatch("MESSAGE_CREATE", message);
        id
    }

    /// Refuses every message to `channel` with 403 (Cannot send messages to this user).
    pub fn forbid(&self, channel: u64) {
        self.state.lock().unwrap().forbidden.push(channel.to_string());
    }

    /// The customer presses a button of a message the bot sent.
    pub fn press_button(&self, channel: u64, customer: u64, custom_id: &str) -> u64 {
        let id = self.next_id();
        let sent = self
            .state
            .lock()
            .unwrap()
            .sent
            .iter()
            .rev()
            .find(|(c, p, _)| {
                *c == channel.to_string()
                    && p["components"].as_array().is_some_and(|rows| {
                        rows.iter()
                            .any(|r| r["components"].as_array().unwrap().iter().any(|b| b["custom_id"] == custom_id))
                    })
            })
            .cloned()
            .expect("a message with that button");
        let (_, payload, message_id) = sent;
        self.dispatch(
            "INTERACTION_CREATE",
            json!({
                "id": id.to_string(), "application_id": APPLICATION_ID.to_string(), "type": 3,
                "data": {"custom_id": custom_id, "component_type": 2},
                "channel_id": channel.to_string(),
                "user": {"id": customer.to_string(), "username": "customer", "discriminator": "0", "avatar": null},
                "token": format!("interaction-token-{id}"), "version": 1, "locale": "en-US",
                "message": {
                    "id": message_id, "channel_id": channel.to_string(), "content": payload["content"],
                    "author": user(BOT_ID, "support", true), "timestamp": "2026-11-23T10:00:00.000000+00:00",
                    "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
                    "attachments": [], "embeds": [], "pinned": false, "type": 0, "components": payload["components"]
                },
                "app_permissions": "0", "entitlements": [], "attachment_size_limit": 10485760,
                "authorizing_integration_owners": {}, "context": 1
            }),
        );
        id
    }

    /// A slash command from a user in a DM channel.
    pub fn slash_command(&self, channel: u64, user: u64, name: &str, options: &[(&str, &str)], locale: &str) -> u64 {
        let id = self.next_id();
        let options: Vec<Value> = options.iter().map(|(n, v)| json!({"name": n, "type": 3, "value": v})).collect();
        self.dispatch(
            "INTERACTION_CREATE",
            json!({
                "id": id.to_string(), "application_id": APPLICATION_ID.to_string(), "type": 2,
                "data": {"id": "77", "name": name, "type": 1, "options": options},
                "channel_id": channel.to_string(),
                "user": {"id": user.to_string(), "username": "customer", "discriminator": "0", "avatar": null},
                "token": format!("interaction-token-{id}"), "version": 1, "locale": locale,
                "app_permissions": "0", "entitlements": [], "attachment_size_limit": 10485760,
                "authorizing_integration_owners": {}, "context": 1
            }),
        );
        id
    }

    fn dispatch(&self, kind: &str, data: Value) {
        self.state.lock().unwrap().events.push((kind.to_owned(), data));
        let _ = self.control.send(Control::Dispatch);
    }

    /// Op 7: the client must reconnect and resume.
    pub fn force_reconnect(&self) {
        let _ = self.control.send(Control::Reconnect);
    }

    /// Op 9 (not resumable): the client must identify afresh; what happened in between is
    /// not replayed.
    pub fn invalidate_session(&self) {
        let _ = self.control.send(Control::InvalidSession);
    }

    /// Closes the socket without a word.
    pub fn drop_connection(&self) {
        let _ = self.control.send(Control::Drop);
    }

    /// Closes the socket with a close frame of `code` (Discord's gateway close codes); after 4007
    /// (invalid sequence) or 4009 (session timed out) the session cannot be resumed.
    pub fn close_with(&self, code: u16) {
        let _ = self.control.send(Control::Close(code));
    }

    /// For `length` from now every REST call is refused: a global 429 (`Retry-After` 3) and a
    /// 502 from the front end (an HTML page) in turn. The gateway stays up.
    pub fn outage(&self, length: Duration) {
        self.state.lock().unwrap().outage_until = Some(Instant::now() + length);
    }

    /// Calls the outage refused: (429s, 502s).
    pub fn outage_refused(&self) -> (u32, u32) {
        self.state.lock().unwrap().outage_refused
    }

    /// While muted, events are logged but not delivered (a gap in the gateway's stream).
    pub fn mute(&self, muted: bool) {
        self.state.lock().unwrap().muted = muted;
    }

    pub fn sent(&self) -> Vec<(String, Value)> {
        self.state.lock().unwrap().sent.iter().map(|(c, p, _)| (c.clone(), p.clone())).collect()
    }

    pub fn followups(&self) -> Vec<(String, Value)> {
        self.state.lock().unwrap().followups.clone()
    }

    pub fn callbacks(&self) -> Vec<(String, Value)> {
        self.state.lock().unwrap().callbacks.clone()
    }

    /// (parent channel, message, thread) of every thread opened.
    pub fn threads(&self) -> Vec<(String, String, String)> {
        self.state.lock().unwrap().threads.clone()
    }

    pub fn commands(&self) -> Option<Value> {
        self.state.lock().unwrap().commands.clone()
    }

    pub fn identifies(&self) -> u32 {
        self.state.lock().unwrap().identifies
    }

    pub fn resumes(&self) -> u32 {
        self.state.lock().unwrap().resumes
    }

    pub fn too_many(&self) -> u32 {
        self.state.lock().unwrap().too_many
    }

    async fn session(&self, tcp: tokio::net::TcpStream) {
        let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else { return };
        let mut control = self.control.subscribe();
        let hello = json!({"op": 10, "d": {"heartbeat_interval": 41250}, "s": null, "t": null});
        if ws.send(Ws::Text(hello.to_string())).await.is_err() {
            return;
        }
        // The session this connection serves; None before READY or RESUME.
        let mut session: Option<String> = None;
        let mut intents = 0u64;
        loop {
            tokio::select! {
                frame = ws.next() => {
                    let Some(Ok(frame)) = frame else { return };
                    let Ws::Text(text) = frame else { continue };
                    let Ok(payload) = serde_json::from_str::<Value>(&text) else { continue };
                    match payload["op"].as_u64() {
                        Some(1) => {
                            let _ = ws.send(Ws::Text(json!({"op": 11, "d": null, "s": null, "t": null}).to_string())).await;
                        }
                        Some(2) => {
                            let token = payload["d"]["token"].as_str().unwrap_or_default().trim_start_matches("Bot ");
                            intents = payload["d"]["intents"].as_u64().unwrap_or(0);
                            if token != TOKEN {
                                close(&mut ws, 4004, "Authentication failed.").await;
                                return;
                            }
                            if intents & MESSAGE_CONTENT != 0 && self.state.lock().unwrap().refuse_message_content {
                                close(&mut ws, 4014, "Disallowed intent(s).").await;
                                return;
                            }
                            let id = {
                                let mut state = self.state.lock().unwrap();
                                state.identifies += 1;
                                let id = format!("session-{}", state.identifies);
                                // A fresh session starts after everything logged so far.
                                let start = state.events.len();
                                state.sessions.insert(id.clone(), (start, vec![None]));
                                id
                            };
                            let ready = ready_payload(&id, &self.gateway_url);
                            let _ = ws.send(Ws::Text(json!({"op": 0, "s": 1, "t": "READY", "d": ready}).to_string())).await;
                            let guild = json!({"op": 0, "s": 2, "t": "GUILD_CREATE", "d": guild_payload()});
                            let _ = ws.send(Ws::Text(guild.to_string())).await;
                            session = Some(id);
                        }
                        Some(6) => {
                            let id = payload["d"]["session_id"].as_str().unwrap_or_default().to_owned();
                            let seq = payload["d"]["seq"].as_u64().unwrap_or(0) as usize;
                            let known = {
                                let mut state = self.state.lock().unwrap();
                                state.resumes += 1;
                                match state.sessions.get_mut(&id) {
                                    // Forget what the client did not get: it is sent again.
                                    Some((_, delivered)) => {
                                        delivered.truncate(seq.saturating_sub(1));
                                        true
                                    }
                                    None => false,
                                }
                            };
                            if !known {
                                let _ = ws.send(Ws::Text(json!({"op": 9, "d": false, "s": null, "t": null}).to_string())).await;
                                continue;
                            }
                            session = Some(id.clone());
                            if !self.deliver(&mut ws, &id, intents).await {
                                return;
                            }
                            let seq = self.state.lock().unwrap().sessions[&id].1.len() + 1;
                            let _ = ws.send(Ws::Text(json!({"op": 0, "s": seq, "t": "RESUMED", "d": {}}).to_string())).await;
                            self.state.lock().unwrap().sessions.get_mut(&id).unwrap().1.push(None);
                        }
                        _ => {}
                    }
                }
                message = control.recv() => {
                    match message {
                        Ok(Control::Dispatch) | Err(broadcast::error::RecvError::Lagged(_)) => {
                            let muted = self.state.lock().unwrap().muted;
                            if let Some(id) = session.as_deref().filter(|_| !muted)
                                && !self.deliver(&mut ws, id, intents).await
                            {
                                return;
                            }
                        }
                        Ok(Control::Reconnect) => {
                            let _ = ws.send(Ws::Text(json!({"op": 7, "d": null, "s": null, "t": null}).to_string())).await;
                        }
                        Ok(Control::InvalidSession) => {
                            if let Some(id) = session.take() {
                                self.state.lock().unwrap().sessions.remove(&id);
                            }
                            let _ = ws.send(Ws::Text(json!({"op": 9, "d": false, "s": null, "t": null}).to_string())).await;
                        }
                        Ok(Control::Drop) | Err(broadcast::error::RecvError::Closed) => return,
                        Ok(Control::Close(code)) => {
                            if matches!(code, 4007 | 4009)
                                && let Some(id) = session.take()
                            {
                                self.state.lock().unwrap().sessions.remove(&id);
                            }
                            close(&mut ws, code, "Closed by the gateway.").await;
                            return;
                        }
                    }
                }
            }
        }
    }

    /// Sends the session every logged dispatch it has not had; false when the socket is gone.
    async fn deliver<S>(&self, ws: &mut S, session: &str, intents: u64) -> bool
    where
        S: futures_util::Sink<Ws> + Unpin,
    {
        loop {
            let next = {
                let state = self.state.lock().unwrap();
                let Some((start, delivered)) = state.sessions.get(session) else { return true };
                let from = delivered.iter().rev().find_map(|i| *i).map_or(*start, |i| i + 1);
                state.events.get(from).cloned().map(|(kind, data)| (from, kind, data, delivered.len() as u64 + 2))
            };
            let Some((index, kind, mut data, seq)) = next else { return true };
            if kind == "MESSAGE_CREATE" && data.get("guild_id").is_some() && intents & MESSAGE_CONTENT == 0 {
                data["content"] = json!("");
            }
            let frame = json!({"op": 0, "s": seq, "t": kind, "d": data});
            if ws.send(Ws::Text(frame.to_string())).await.is_err() {
                return false;
            }
            if let Some((_, delivered)) = self.state.lock().unwrap().sessions.get_mut(session) {
                delivered.push(Some(index));
            }
        }
    }
}

async fn close<S>(ws: &mut S, code: u16, reason: &'static str)
where
    S: futures_util::Sink<Ws> + Unpin,
{
    let frame = CloseFrame { code: CloseCode::from(code), reason: reason.into() };
    let _ = ws.send(Ws::Close(Some(frame))).await;
}

fn user(id: u64, name: &str, bot: bool) -> Value {
    json!({"id": id.to_string(), "username": name, "discriminator": "0", "avatar": null, "bot": bot, "global_name": null})
}

fn ready_payload(session: &str, gateway: &str) -> Value {
    json!({
        "v": 10, "user": {"id": BOT_ID.to_string(), "username": "support", "discriminator": "0", "avatar": null,
                          "bot": true, "verified": true, "mfa_enabled": false, "flags": 0},
        "guilds": [{"id": GUILD_ID.to_string(), "unavailable": true}],
        "session_id": session, "resume_gateway_url": gateway, "shard": [0, 1],
        "application": {"id": APPLICATION_ID.to_string(), "flags": 0}
    })
}

fn guild_payload() -> Value {
    json!({
        "id": GUILD_ID.to_string(), "name": "Crypto Wallet", "icon": null, "owner_id": "1", "afk_timeout": 300,
        "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0, "roles": [],
        "emojis": [], "features": [], "mfa_level": 0, "system_channel_flags": 0, "premium_tier": 0,
        "preferred_locale": "en-US", "nsfw_level": 0, "large": false, "member_count": 2, "joined_at": "2026-01-01T00:00:00+00:00",
        "channels": [{"id": SUPPORT_CHANNEL.to_string(), "type": 0, "guild_id": GUILD_ID.to_string(), "name": "support", "position": 0,
                      "permission_overwrites": [], "nsfw": false}],
        "members": [], "voice_states": [], "presences": [], "threads": [], "stage_instances": [], "stickers": [],
        "guild_scheduled_events": [], "premium_progress_bar_enabled": false, "unavailable": false
    })
}
