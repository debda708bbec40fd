//! The I/O shell every chain client shares: one HTTP endpoint, called at most `rate` times a
//! second, each call bounded by the timeout and the answer by a size limit, failures typed.

use crate::error::ChainError;
use serde_json::{Value, json};
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// Longest answer read; a transaction with its logs is a few kilobytes.
const MAX_ANSWER: usize = 4 * 1024 * 1024;

pub struct Endpoint {
    client: reqwest::Client,
    url: String,
    timeout: Duration,
    /// Time between calls, from the rate limit.
    spacing: Duration,
    /// When the next call may start.
    next: Mutex<Instant>,
    /// The provider's key, as the header it is sent in.
    key: Option<(&'static str, String)>,
}

impl Endpoint {
    pub fn new(client: reqwest::Client, settings: &crate::ChainSettings) -> Endpoint {
        let (url, timeout, rate) = (&settings.rpc_url, settings.timeout, settings.rate);
        let key = settings.api_key.as_ref().map(|key| match settings.kind {
            // TronGrid reads its key from a header of its own.
            crate::Kind::Tron => ("TRON-PRO-API-KEY", key.0.clone()),
            // EVM, Solana and Esplora providers take keys in the URL; a bearer token otherwise.
            _ => ("Authorization", format!("Bearer {}", key.0)),
        });
        Endpoint {
            key,
            client,
            url: url.trim_end_matches('/').to_owned(),
            timeout,
            spacing: Duration::from_secs(1) / rate.max(1),
            next: Mutex::new(Instant::now()),
        }
    }

    /// Waits for this call's turn under the rate limit.
    async fn turn(&self) {
        let start = {
            let mut next = self.next.lock().await;
            let start = (*next).max(Instant::now());
            *next = start + self.spacing;
            start
        };
        tokio::time::sleep_until(start).await;
    }

    /// `GET base/path`: the status and body text.
    pub async fn get(&self, path: &str) -> Result<(u16, String), ChainError> {
        self.send(self.client.get(format!("{}{path}", self.url))).await
    }

    /// `GET base/path`: the body of a 2xx answer, else the HTTP error.
    pub async fn get_ok(&self, path: &str) -> Result<String, ChainError> {
        match self.get(path).await? {
            (200..=299, body) => Ok(body),
            (status, body) => Err(ChainError::http(status, &body)),
        }
    }

    /// `POST base/path` with a JSON body; the answer must be JSON.
    pub async fn post(&self, path: &str, body: &Value) -> Result<Value, ChainError> {
        let (status, text) = self.send(self.client.post(format!("{}{path}", self.url)).json(body)).await?;
        if !(200..300).contains(&status) {
            return Err(ChainError::http(status, &text));
        }
        serde_json::from_str(&text).map_err(|e| ChainError::malformed(format!("not JSON ({e})")))
    }

    /// A JSON-RPC 2.0 call: its `result` (possibly `null`), or the error object typed.
    pub async fn call(&self, method: &str, params: Value) -> Result<Value, ChainError> {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let (status, text) = self.send(self.client.post(&self.url).json(&body)).await?;
        let answer: Value = serde_json::from_str(&text).map_err(|_| match status {
            200..=299 => ChainError::malformed(format!("{method}: not JSON")),
            _ => ChainError::http(status, &text),
        })?;
        if let Some(error) = answer.get("error").filter(|e| !e.is_null()) {
            return Err(ChainError::Rpc {
                code: error.get("code").and_then(Value::as_i64).unwrap_or(0),
                message: error.get("message").and_then(Value::as_str).unwrap_or("").to_owned(),
            });
        }
        if !(200..300).contains(&status) {
            return Err(ChainError::http(status, &text));
        }
        answer.get("result").cloned().ok_or_else(|| ChainError::malformed(format!("{method}: no result")))
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<(u16, String), ChainError> {
        let request = match &self.key {
            Some((header, value)) => request.header(*header, value),
            None => request,
        };
        self.turn().await;
        let exchange = async {
            let mut response = request.send().await.map_err(|e| ChainError::Unreachable(without_url(e)))?;
            let status = response.status().as_u16();
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(|e| ChainError::Unreachable(without_url(e)))? {
                body.extend_from_slice(&chunk);
                if body.len() > MAX_ANSWER {
                    return Err(ChainError::malformed(format!("an answer over {MAX_ANSWER} bytes")));
                }
            }
            Ok((status, String::from_utf8_lossy(&body).into_owned()))
        };
        tokio::time::timeout(self.timeout, exchange).await.map_err(|_| ChainError::Timeout(self.timeout))?
    }
}

/// reqwest's message and its causes, without the URL (which may carry an API key).
fn without_url(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
