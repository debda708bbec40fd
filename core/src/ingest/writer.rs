//! The group-commit writer: one task owns every hot-path write.
//!
//! Callers queue a `WriteOp` and await its answer. The writer takes everything queued at that
//! moment (up to `MAX_BATCH`), applies it in one transaction and commits once, so a burst of
//! concurrent messages costs one fsync, not one per message. Only after the commit does a
//! caller hear "durable"; only then are events published and outbox entries dispatched.

use super::apply::{self, Context, Effects};
use super::{Ingested, Prepared};
use crate::clock::now_ms;
use crate::error::{CoreError, Result};
use crate::events::EventBus;
use crate::l10n::Localizer;
use crate::model::Message;
use crate::outbox::{DeliveryReport, OutboxEntry};
use crate::post::Post;
use crate::store::{Backend, Store};
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

const MAX_BATCH: usize = 512;

pub(crate) enum WriteOp {
    Ingest(Box<Prepared>, oneshot::Sender<Result<Ingested>>),
    Post(Box<Post>, oneshot::Sender<Result<Message>>),
    Delivery(Box<DeliveryReport>),
}

enum Outcome {
    Ingested(Result<Ingested>),
    Posted(Result<Message>),
    Recorded,
}

pub(crate) struct Writer {
    pub store: Store,
    pub localizer: Localizer,
    pub events: EventBus,
    pub reopen_window_ms: i64,
    pub dispatch: mpsc::UnboundedSender<Vec<OutboxEntry>>,
}

impl Writer {
    pub async fn run(self, mut ops: mpsc::Receiver<WriteOp>, stop: CancellationToken) {
        loop {
            let first = tokio::select! {
                op = ops.recv() => op,
                () = stop.cancelled() => None,
            };
            let Some(first) = first else { break };
            let batch = take_batch(first, &mut ops);
            self.commit(batch).await;
        }
        // Shutting down: refuse new work, finish what was queued.
        ops.close();
        while let Some(first) = ops.recv().await {
            let batch = take_batch(first, &mut ops);
            self.commit(batch).await;
        }
    }

    async fn commit(&self, batch: Vec<WriteOp>) {
        let started = Instant::now();
        let size = batch.len();
        match self.apply_all(&batch).await {
            Ok((outcomes, effects)) => self.release(batch, outcomes, effects),
            Err(error) => {
                // One bad write must not fail its neighbours: redo each in its own transaction.
                tracing::warn!(%error, size, "batch failed; retrying its writes one by one");
                for op in batch {
                    match self.apply_all(std::slice::from_ref(&op)).await {
                        Ok((outcomes, effects)) => self.release(vec![op], outcomes, effects),
                        Err(error) => fail(op, error),
                    }
                }
            }
        }
        metrics::histogram!("switchboard_write_batch_size").record(size as f64);
        metrics::histogram!("switchboard_write_batch_seconds")
            .record(started.elapsed().as_secs_f64());
    }

    async fn apply_all(&self, batch: &[WriteOp]) -> Result<(Vec<Outcome>, Effects)> {
        let mut tx = match self.store.backend() {
            // Take the write lock up front: a deferred transaction that reads first can fail to
            // upgrade when another connection wrote in between.
            Backend::Sqlite => self.store.pool().begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.store.pool().begin().await?,
        };
        let cx = Context {
            backend: self.store.backend(),
            localizer: &self.localizer,
            reopen_window_ms: self.reopen_window_ms,
            now: now_ms(),
        };
        let mut effects = Effects::default();
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut sent = Vec::new();
        for op in batch {
            let outcome = match op {
                WriteOp::Ingest(prepared, _) => Outcome::Ingested(abort_on_db(
                    apply::ingest(&mut tx, &cx, prepared, &mut effects).await,
                )?),
                WriteOp::Post(post, _) => Outcome::Posted(abort_on_db(
                    apply::post(&mut tx, cx.now, post, &mut effects).await,
                )?),
                WriteOp::Delivery(report) => {
                    match report.as_ref() {
                        // Collected and recorded together below.
                        DeliveryReport::Sent { entry, external_id } => {
                            sent.push((entry, external_id.as_deref()))
                        }
                        other => apply::delivery(&mut tx, &cx, other, &mut effects).await?,
                    }
                    Outcome::Recorded
                }
            };
            outcomes.push(outcome);
        }
        if !sent.is_empty() {
            apply::deliveries_sent(&mut tx, &cx, &sent, &mut effects).await?;
        }
        tx.commit().await?;
        Ok((outcomes, effects))
    }

    fn release(&self, batch: Vec<WriteOp>, outcomes: Vec<Outcome>, effects: Effects) {
        for (op, outcome) in batch.into_iter().zip(outcomes) {
            match (op, outcome) {
                (WriteOp::Ingest(_, reply), Outcome::Ingested(result)) => {
                    let _ = reply.send(result);
                }
                (WriteOp::Post(_, reply), Outcome::Posted(result)) => {
                    let _ = reply.send(result);
                }
                _ => {}
            }
        }
        for event in effects.events {
            self.events.publish(event);
        }
        if !effects.outbox.is_empty() {
            let _ = self.dispatch.send(effects.outbox);
        }
    }
}

fn take_batch(first: WriteOp, ops: &mut mpsc::Receiver<WriteOp>) -> Vec<WriteOp> {
    let mut batch = vec![first];
    while batch.len() < MAX_BATCH {
        match ops.try_recv() {
            Ok(op) => batch.push(op),
            Err(_) => break,
        }
    }
    batch
}

/// A database error poisons the transaction: abort the batch. Any other error (not found,
/// invalid) was raised before the write touched anything, so it answers that write alone.
fn abort_on_db<T>(result: Result<T>) -> Result<Result<T>> {
    match result {
        Err(error @ CoreError::Database(_)) => Err(error),
        other => Ok(other),
    }
}

fn fail(op: WriteOp, error: CoreError) {
    tracing::error!(%error, "write failed");
    let message = error.to_string();
    match op {
        WriteOp::Ingest(_, reply) => {
            let _ = reply.send(Err(error));
        }
        WriteOp::Post(_, reply) => {
            let _ = reply.send(Err(error));
        }
        // The entry stays pending in the store and is sent again after a restart.
        WriteOp::Delivery(_) => tracing::error!(error = message, "delivery report lost"),
    }
}
