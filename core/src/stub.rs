//! `StubChannel`: a channel that records what it was asked to send, for tests and benchmarks.
//!
//! Scripted answers (`RetryAfter`, `Transient`, `Permanent`) are consumed in order, one per
//! send attempt; when the script is empty every send succeeds.

use crate::channel::{Capabilities, Channel, Delivered, Formatting, OutboundMessage, SendError};
use crate::model::ChannelKind;
use async_trait::async_trait;
use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;
use tokio::sync::Notify;

#[derive(Debug, Clone)]
pub struct SentRecord {
    pub message: OutboundMessage,
    pub at: Instant,
}

pub struct StubChannel {
    kind: ChannelKind,
    capabilities: Capabilities,
    script: Mutex<VecDeque<Result<(), SendError>>>,
    sent: Mutex<Vec<SentRecord>>,
    attempts: Mutex<Vec<SentRecord>>,
    changed: Notify,
    held: AtomicBool,
    released: Notify,
}

impl StubChannel {
    pub fn new(kind: ChannelKind) -> Self {
        StubChannel {
            kind,
            capabilities: Capabilities {
                max_length: 4096,
                formatting: Formatting::Plain,
                threads: false,
                edits: false,
                deletes: true,
                buttons: true,
            },
            script: Mutex::new(VecDeque::new()),
            sent: Mutex::new(Vec::new()),
            attempts: Mutex::new(Vec::new()),
            changed: Notify::new(),
            held: AtomicBool::new(false),
            released: Notify::new(),
        }
    }

    /// Queues answers for the next send attempts, in order.
    pub fn script(&self, answers: impl IntoIterator<Item = Result<(), SendError>>) {
        self.script.lock().unwrap().extend(answers);
    }

    /// While held, sends are recorded as attempts and then wait, like a platform that never
    /// answers (a crash mid-send leaves them unacknowledged).
    pub fn hold(&self, held: bool) {
        self.held.store(held, Ordering::SeqCst);
        if !held {
            self.released.notify_waiters();
        }
    }

    /// Every successful delivery, in the order the channel accepted them.
    pub fn sent(&self) -> Vec<SentRecord> {
        self.sent.lock().unwrap().clone()
    }

    /// Every attempt, successful or not.
    pub fn attempts(&self) -> Vec<SentRecord> {
        self.attempts.lock().unwrap().clone()
    }

    /// Waits until at least `n` messages were delivered or the deadline passes.
    pub async fn wait_for(&self, n: usize, deadline: std::time::Duration) -> Vec<SentRecord> {
        let until = tokio::time::Instant::now() + deadline;
        loop {
            let notified = self.changed.notified();
            let sent = self.sent();
            if sent.len() >= n {
                return sent;
            }
            if tokio::time::timeout_at(until, notified).await.is_err() {
                return self.sent();
            }
        }
    }
}

#[async_trait]
impl Channel for StubChannel {
    fn kind(&self) -> ChannelKind {
        self.kind
    }

    fn capabilities(&self) -> Capabilities {
        self.capabilities.clone()
    }

    /// Destinations named `group…` are groups.
    fn is_group(&self, destination: &crate::channel::Destination) -> bool {
        destination.chat.starts_with("group")
    }

    async fn send(&self, message: &OutboundMessage) -> Result<Delivered, SendError> {
        let record = SentRecord { message: message.clone(), at: Instant::now() };
        self.attempts.lock().unwrap().push(record.clone());
        while self.held.load(Ordering::SeqCst) {
            let released = self.released.notified();
            self.changed.notify_waiters();
            if !self.held.load(Ordering::SeqCst) {
                break;
            }
            released.await;
        }
        let answer = self.script.lock().unwrap().pop_front().unwrap_or(Ok(()));
        let result = answer.map(|()| {
            let mut sent = self.sent.lock().unwrap();
            sent.push(record);
            Delivered { external_id: Some(format!("stub-{}", sent.len())) }
        });
        self.changed.notify_waiters();
        result
    }
}
