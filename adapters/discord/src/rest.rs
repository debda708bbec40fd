//! The few REST calls the channel makes, with Discord's answers classified and its rate-limit
//! headers followed (`limits`): a request waits for its bucket's window rather than provoke a
//! 429. serenity's own HTTP client is not used for them: with its rate limiter disabled (needed
//! for a custom API origin) it neither waits on 429s nor keeps `retry_after`.

use crate::limits::{Answer, Limits, Route};
use crate::outbound::Part;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_core::channel::SendError;

#[derive(Clone)]
pub struct Rest {
    http: reqwest::Client,
    /// `<origin>/api/v10`
    base: String,
    token: String,
    limits: Arc<Limits>,
}

impl Rest {
    pub fn new(origin: &str, token: &str) -> Rest {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("an HTTP client");
        let base = format!("{}/api/v10", origin.trim_end_matches('/'));
        Rest { http, base, token: token.to_owned(), limits: Arc::default() }
    }

    /// The token never reaches logs or errors.
    pub fn hide(&self, text: &str) -> String {
        text.replace(&self.token, "***")
    }

    async fn call(&self, method: Method, path: &str, body: Option<Body>) -> Result<Value, SendError> {
        let route = Route::of(method.as_str(), path);
        while let Some(wait) = self.limits.before(&route, Instant::now()) {
            tokio::time::sleep(wait).await;
        }
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("Authorization", format!("Bot {}", self.token));
        request = match body {
            None => request,
            Some(Body::Json(json)) => request.json(&json),
            Some(Body::Multipart(form)) => request.multipart(form),
        };
        let response = request.send().await.map_err(|e| SendError::Transient(self.hide(&e.to_string())))?;
        let status = response.status();
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let retry_header = header("retry-after").and_then(|v| v.parse::<f64>().ok());
        let mut answer = Answer {
            status: status.as_u16(),
            bucket: header("x-ratelimit-bucket"),
            remaining: header("x-ratelimit-remaining").and_then(|v| v.parse().ok()),
            reset_after: header("x-ratelimit-reset-after").and_then(|v| v.parse().ok()),
            global: header("x-ratelimit-global").is_some() || header("x-ratelimit-scope").as_deref() == Some("global"),
            ..Answer::default()
        };
        let text = response.text().await.unwrap_or_default();
        let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if status == StatusCode::TOO_MANY_REQUESTS {
            answer.retry_after = json["retry_after"].as_f64().or(retry_header);
            answer.global |= json["global"].as_bool().unwrap_or(false);
        }
        self.limits.after(&route, &answer, Instant::now());
        if status.is_success() {
            return Ok(json);
        }
        let message = format!("{status}: {}", json["message"].as_str().unwrap_or(&text));
        Err(match status {
            StatusCode::TOO_MANY_REQUESTS => {
                // The body's float seconds are more precise than the header's.
                let seconds = json["retry_after"].as_f64().or(retry_header).unwrap_or(1.0);
                SendError::RetryAfter(Duration::from_secs_f64(seconds.clamp(0.0, 3600.0)))
            }
            // The bot left the guild, the user closed DMs or blocked it, the channel is gone.
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND => SendError::Gone(self.hide(&message)),
            s if s.is_server_error() => SendError::Transient(self.hide(&message)),
            _ => SendError::Permanent(self.hide(&message)),
        })
    }

    /// Posts one part of a message into a channel (a DM, a thread); returns the message id.
    pub async fn create_message(&self, channel: &str, part: &Part) -> Result<String, SendError> {
        let body = match part.files.is_empty() {
            true => Body::Json(part.payload.clone()),
            false => {
                let mut form = reqwest::multipart::Form::new().text("payload_json", part.payload.to_string());
                for (i, file) in part.files.iter().enumerate() {
                    let bytes = tokio::fs::read(&file.path)
                        .await
                        .map_err(|e| SendError::Permanent(format!("attachment {} unreadable: {e}", file.filename)))?;
                    let piece = reqwest::multipart::Part::bytes(bytes)
                        .file_name(file.filename.clone())
                        .mime_str(&file.content_type)
                        .unwrap_or_else(|_| reqwest::multipart::Part::bytes(Vec::new()));
                    form = form.part(format!("files[{i}]"), piece);
                }
                Body::Multipart(form)
            }
        };
        let message = self.call(Method::POST, &format!("/channels/{channel}/messages"), Some(body)).await?;
        Ok(message["id"].as_str().unwrap_or_default().to_owned())
    }

    /// Sends a follow-up to an interaction that was deferred (the answer to a slash command).
    pub async fn follow_up(&self, application: &str, token: &str, part: &Part) -> Result<String, SendError> {
        let path = format!("/webhooks/{application}/{token}");
        let message = self.call(Method::POST, &path, Some(Body::Json(part.payload.clone()))).await?;
        Ok(message["id"].as_str().unwrap_or_default().to_owned())
    }

    /// Acknowledges an interaction within Discord's three seconds: "thinking…", visible only to
    /// the person who asked.
    pub async fn defer(&self, interaction: &str, token: &str) -> Result<(), SendError> {
        let body = serde_json::json!({ "type": 5, "data": { "flags": 64 } });
        self.call(Method::POST, &format!("/interactions/{interaction}/{token}/callback"), Some(Body::Json(body)))
            .await?;
        Ok(())
    }

    /// Acknowledges a button press (the answer comes as a message like any other).
    pub async fn acknowledge_component(&self, interaction: &str, token: &str) -> Result<(), SendError> {
        let body = serde_json::json!({ "type": 6 });
        self.call(Method::POST, &format!("/interactions/{interaction}/{token}/callback"), Some(Body::Json(body)))
            .await?;
        Ok(())
    }

    /// Opens a thread on a customer's message in a support channel; returns its id.
    pub async fn start_thread(&self, channel: &str, message: &str, name: &str) -> Result<String, SendError> {
        let body = serde_json::json!({ "name": name, "auto_archive_duration": 10080 });
        let thread = self
            .call(Method::POST, &format!("/channels/{channel}/messages/{message}/threads"), Some(Body::Json(body)))
            .await?;
        Ok(thread["id"].as_str().unwrap_or_default().to_owned())
    }

    /// Messages of a channel after `after` (oldest first): what a fresh session missed.
    pub async fn messages_after(&self, channel: &str, after: &str) -> Result<Vec<Value>, SendError> {
        let list =
            self.call(Method::GET, &format!("/channels/{channel}/messages?after={after}&limit=100"), None).await?;
        let mut messages = list.as_array().cloned().unwrap_or_default();
        messages.sort_by_key(|m| m["id"].as_str().and_then(|id| id.parse::<u64>().ok()).unwrap_or(0));
        Ok(messages)
    }

    /// Replaces the application's global slash commands.
    pub async fn register_commands(&self, application: &str, commands: &Value) -> Result<(), SendError> {
        let path = format!("/applications/{application}/commands");
        self.call(Method::PUT, &path, Some(Body::Json(commands.clone()))).await?;
        Ok(())
    }
}

enum Body {
    Json(Value),
    Multipart(reqwest::multipart::Form),
}
