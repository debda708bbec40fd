//! How the core reaches a platform: the `Channel` trait every adapter implements.
//!
//! The core never names a platform SDK; it hands an `OutboundMessage` to the channel registered
//! for its `ChannelKind` and learns from a `SendError` whether to wait, retry or give up.

use crate::model::{Button, ChannelKind, MessageId};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// What a platform can do; `render` functions split and format according to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    /// Longest body one platform message may carry, in characters.
    pub max_length: usize,
    pub formatting: Formatting,
    pub threads: bool,
    pub edits: bool,
    pub deletes: bool,
    pub buttons: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formatting {
    Plain,
    Markdown,
    Html,
}

/// Where a reply goes on its platform: a chat (Telegram chat, Discord channel, mailbox address,
/// web-chat session) and optionally a thread inside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Destination {
    pub chat: String,
    pub thread: Option<String>,
}

/// One message for one platform destination, as the dispatcher hands it to a channel.
#[derive(Debug, Clone)]
pub struct OutboundMessage {
    pub message_id: MessageId,
    /// Stable across retries and restarts; channels that can deduplicate use it.
    pub idempotency_key: String,
    pub destination: Destination,
    pub body: String,
    /// Platform id of the message this one answers, when the platform threads replies.
    pub reply_to: Option<String>,
    pub buttons: Vec<Button>,
    /// Files sent with the text (an agent's upload), stored under the data directory.
    pub attachments: Vec<OutboundAttachment>,
    /// The conversation's reference as customers see it (`#1042`), for channels that show it
    /// (a mail subject's `[#REF]`).
    pub reference: Option<String>,
    /// Written by the gateway itself (acknowledgements, command answers), not by a person:
    /// mail marks it `Auto-Submitted: auto-replied`.
    pub automatic: bool,
    /// An announcement to many customers: mail carries `List-Unsubscribe` (RFC 2369).
    pub bulk: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundAttachment {
    pub filename: String,
    pub content_type: String,
    pub path: std::path::PathBuf,
}

/// A successful delivery: the platform's id for what it now holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivered {
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum SendError {
    /// The platform asked us to wait (Telegram `retry_after`, Discord 429).
    #[error("rate limited: retry after {0:?}")]
    RetryAfter(Duration),
    /// Worth retrying with backoff: network errors, 5xx.
    #[error("transient: {0}")]
    Transient(String),
    /// Retrying cannot help: the message was rejected.
    #[error("permanent: {0}")]
    Permanent(String),
    /// Retrying cannot help, for this message or the next: the recipient blocked us, deleted
    /// their account or left the chat. Their identity is marked unreachable.
    #[error("recipient unreachable: {0}")]
    Gone(String),
}

#[async_trait]
pub trait Channel: Send + Sync + 'static {
    fn kind(&self) -> ChannelKind;
    fn capabilities(&self) -> Capabilities;
    async fn send(&self, message: &OutboundMessage) -> Result<Delivered, SendError>;
    /// Whether a destination is a group (throttled by `Throttle::per_group` where set).
    /// Whether the connection to the platform is up (a mailbox, a gateway session, a poll);
    /// `None` for a channel without one (the web chat).
    fn health(&self) -> Option<Health> {
        None
    }

    fn is_group(&self, destination: &Destination) -> bool {
        let _ = destination;
        false
    }

    /// Deletes a message on the platform (used to remove a pasted secret). Channels without
    /// the `deletes` capability answer `Permanent`.
    async fn delete(&self, destination: &Destination, external_id: &str) -> Result<(), SendError> {
        let _ = (destination, external_id);
        Err(SendError::Permanent(format!("{} cannot delete messages", self.kind())))
    }
}

/// The channels this process runs, by kind.
#[derive(Clone, Default)]
pub struct Channels {
    by_kind: HashMap<ChannelKind, Arc<dyn Channel>>,
}

impl Channels {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn register(&mut self, channel: Arc<dyn Channel>) {
        self.by_kind.insert(channel.kind(), channel);
    }

    pub fn get(&self, kind: ChannelKind) -> Option<&Arc<dyn Channel>> {
        self.by_kind.get(&kind)
    }

    /// Each channel's connection state, where it has one, for `/healthz`.
    pub fn health(&self) -> Vec<(ChannelKind, ChannelState)> {
        let mut health: Vec<_> =
            self.by_kind.values().filter_map(|c| c.health()).map(|h| (h.kind, h.state())).collect();
        health.sort_by_key(|(kind, _)| kind.as_str());
        health
    }

    pub fn kinds(&self) -> impl Iterator<Item = ChannelKind> + '_ {
        self.by_kind.keys().copied()
    }
}

/// Pieces of at most `limit` characters, cut at the best boundary (paragraph, line, sentence,
/// word) in the last half of each: how channels with a length limit split long text.
pub fn split_text(text: &str, limit: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest: &str = text.trim();
    while rest.chars().count() > limit {
        let window: String = rest.chars().take(limit).collect();
        let floor = window.len() / 2;
        let cut = ["\n\n", "\n", ". ", "。", "! ", "? ", "！", "？", " "]
            .iter()
            .find_map(|sep| window.rfind(sep).filter(|&at| at >= floor).map(|at| at + sep.len()))
            .unwrap_or(window.len());
        parts.push(rest[..cut].trim_end().to_owned());
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() || parts.is_empty() {
        parts.push(rest.to_owned());
    }
    parts
}

/// Whether a channel's connection to its platform is up (a mailbox, a gateway session), for
/// `/healthz` and the `switchboard_channel_connected{channel}` gauge.
#[derive(Clone)]
pub struct Health {
    kind: ChannelKind,
    up: Arc<std::sync::atomic::AtomicBool>,
    /// Another instance receives from the platform (see `crate::lease`).
    standby: Arc<std::sync::atomic::AtomicBool>,
}

/// A channel's connection as `/healthz` tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelState {
    Connected,
    Reconnecting,
    /// Another instance of the deployment holds the connection (a poller, a gateway session).
    Standby,
}

impl ChannelState {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelState::Connected => "connected",
            ChannelState::Reconnecting => "reconnecting",
            ChannelState::Standby => "standby",
        }
    }
}

impl Health {
    /// Down until the channel says otherwise; the gauge exists from now on.
    pub fn new(kind: ChannelKind) -> Health {
        let health = Health { kind, up: Arc::default(), standby: Arc::default() };
        health.set(false);
        health
    }

    pub fn connected(&self) -> bool {
        self.up.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether another instance holds the connection; this one stands by meanwhile.
    pub fn stand_by(&self, standby: bool) {
        self.standby.store(standby, std::sync::atomic::Ordering::Relaxed);
        if standby {
            self.set(false);
        }
    }

    pub fn state(&self) -> ChannelState {
        if self.connected() {
            ChannelState::Connected
        } else if self.standby.load(std::sync::atomic::Ordering::Relaxed) {
            ChannelState::Standby
        } else {
            ChannelState::Reconnecting
        }
    }

    pub fn set(&self, up: bool) {
        self.up.store(up, std::sync::atomic::Ordering::Relaxed);
        metrics::gauge!("switchboard_channel_connected", "channel" => self.kind.as_str()).set(if up {
            1.0
        } else {
            0.0
        });
    }
}
