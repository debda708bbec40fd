//! What agents, the bot and the API change: posts, conversation updates, merges, customers'
//! edits, and several of them committed as one decision (`Core::apply_together`).

use crate::Core;
use crate::error::{CoreError, Result};
use crate::ingest::{Inbound, Ingested};
use crate::model::{ChannelKind, ContactId, Message, MessageId};
use crate::post::{ConversationUpdate, Post};
use crate::prepare::{self, Origin};
use crate::write::WriteOp;
use std::time::Instant;
use tokio::sync::oneshot;

impl Core {
    /// Adds an agent's or the bot's reply (through the outbox) or private note. A reply that asks
    /// the customer for a recovery phrase or private key is refused and never queued.
    pub async fn post(&self, post: Post) -> Result<Message> {
        let prepared = prepare::post(self.attachments(), post).await?;
        let (tx, rx) = oneshot::channel();
        self.send(WriteOp::Post(Box::new(prepared), tx)).await?;
        rx.await.map_err(|_| CoreError::ShuttingDown)?
    }

    /// Changes a conversation's status, assignee, priority or tags.
    pub async fn update_conversation(&self, update: ConversationUpdate) -> Result<()> {
        prepare::update(&update)?;
        let (tx, rx) = oneshot::channel();
        self.send(WriteOp::Update(Box::new(update), tx)).await?;
        rx.await.map_err(|_| CoreError::ShuttingDown)?
    }

    /// Applies `changes` in their order in one commit: each answer is that change's, as from
    /// `ingest`, `post` or `update_conversation` (an agent's "reply and resolve" is one decision).
    pub async fn apply_together(&self, changes: Vec<Change>) -> Vec<Result<Changed>> {
        enum Waiting {
            Ingest(oneshot::Receiver<Result<Ingested>>, Origin),
            Post(oneshot::Receiver<Result<Message>>),
            Update(oneshot::Receiver<Result<()>>),
            Refused(CoreError),
        }
        let started = Instant::now();
        let mut ops = Vec::with_capacity(changes.len());
        let mut waiting = Vec::with_capacity(changes.len());
        for change in changes {
            let prepared = match change {
                Change::Ingest(inbound) => match prepare::screen(inbound) {
                    Ok(screened) => {
                        prepare::keep_files(self.attachments(), screened).await.map(|(prepared, origin)| {
                            let (tx, rx) = oneshot::channel();
                            (WriteOp::Ingest(Box::new(prepared), tx), Waiting::Ingest(rx, origin))
                        })
                    }
                    Err(error) => Err(error),
                },
                Change::Post(post) => prepare::post(self.attachments(), post).await.map(|prepared| {
                    let (tx, rx) = oneshot::channel();
                    (WriteOp::Post(Box::new(prepared), tx), Waiting::Post(rx))
                }),
                Change::Update(update) => prepare::update(&update).map(|()| {
                    let (tx, rx) = oneshot::channel();
                    (WriteOp::Update(Box::new(update), tx), Waiting::Update(rx))
                }),
                Change::Merge { survivor, merged } => {
                    let (reply, rx) = oneshot::channel();
                    Ok((WriteOp::Merge { survivor, merged, reply }, Waiting::Update(rx)))
                }
            };
            match prepared {
                Ok((op, wait)) => {
                    ops.push(op);
                    waiting.push(wait);
                }
                Err(error) => waiting.push(Waiting::Refused(error)),
            }
        }
        if !ops.is_empty() && self.send(WriteOp::Many(ops)).await.is_err() {
            return waiting.into_iter().map(|_| Err(CoreError::ShuttingDown)).collect();
        }
        let mut results = Vec::with_capacity(waiting.len());
        for wait in waiting {
            let gone = |_| CoreError::ShuttingDown;
            results.push(match wait {
                Waiting::Ingest(rx, origin) => rx.await.map_err(gone).and_then(|r| r).map(|ingested| {
                    self.ingested(&ingested, origin, started);
                    Changed::Ingested(ingested)
                }),
                Waiting::Post(rx) => rx.await.map_err(gone).and_then(|r| r).map(Changed::Posted),
                Waiting::Update(rx) => rx.await.map_err(gone).and_then(|r| r).map(|()| Changed::Updated),
                Waiting::Refused(error) => Err(error),
            });
        }
        results
    }

    /// Joins `merged` into `survivor`: its identities, conversations and messages move over.
    pub async fn merge_contacts(&self, survivor: ContactId, merged: ContactId) -> Result<()> {
        let (reply, rx) = oneshot::channel();
        self.send(WriteOp::Merge { survivor, merged, reply }).await?;
        rx.await.map_err(|_| CoreError::ShuttingDown)?
    }

    /// A customer edited a message on their platform: the stored text follows (redacted like any
    /// inbound text), the earlier text is kept. `None` when the message is not one we stored.
    pub async fn edit(&self, channel: ChannelKind, external_id: &str, body: &str) -> Result<Option<MessageId>> {
        let edit = prepare::edit(channel, external_id, body)?;
        let (tx, rx) = oneshot::channel();
        self.send(WriteOp::Edit(Box::new(edit), tx)).await?;
        rx.await.map_err(|_| CoreError::ShuttingDown)?
    }
}

/// One change of `Core::apply_together`.
#[derive(Debug)]
pub enum Change {
    Ingest(Inbound),
    Post(Post),
    Update(ConversationUpdate),
    /// `Core::merge_contacts`.
    Merge {
        survivor: ContactId,
        merged: ContactId,
    },
}

/// What a change of `Core::apply_together` did.
#[derive(Debug)]
pub enum Changed {
    Ingested(Ingested),
    Posted(Message),
    Updated,
}
