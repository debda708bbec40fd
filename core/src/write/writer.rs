//! The group-commit writer task: one task owns every hot-path write.
//!
//! Callers queue a `WriteOp` and await its answer; the dispatcher queues its delivery reports.
//! The writer takes everything queued at that moment (up to `MAX_BATCH`), reads what the batch
//! needs (`read`: its inbound messages in one statement), has it planned in memory
//! (`crate::plan`), writes the rows with one statement per table (`flush`) and commits once: a
//! burst of concurrent messages costs a handful of round trips and one fsync, not several per
//! message. Only after the commit does a caller hear "durable"; only then are events published
//! and outbox entries dispatched.

use super::flush::{BEGIN_SQLITE, Finish, Statements, flush};
use super::read::{self, Key};
use super::{Erasure, WriteOp};
use crate::clock::now_ms;
use crate::commands::Command;
use crate::error::{CoreError, Result};
use crate::events::EventBus;
use crate::ingest::{Ingested, Threading};
use crate::l10n::Localizer;
use crate::model::{Message, MessageId};
use crate::outbox::{DeliveryReport, Dispatch, Handoff};
use crate::plan::ids::Ids;
use crate::plan::{AutoReplies, Context, Effects, Planner, Rules};
use crate::prepare::Prepared;
use crate::store::erasure::{self, Erased};
use crate::store::{Backend, Store};
use sqlx::AnyConnection;
use std::time::Instant;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

const MAX_BATCH: usize = 512;

/// Who opens and commits a batch's transaction. Each statement on SQLite is a round trip to the
/// connection's thread, and the writer task then waits its turn on the runtime again, behind
/// every send of a flood: a BEGIN and a COMMIT of their own made four round trips of a batch,
/// riding on the first and last statement they make two.
#[derive(Clone, Copy, PartialEq)]
enum Bracket {
    /// A transaction opened and committed around `apply`.
    Open,
    /// SQLite: BEGIN with the first statement, COMMIT with the last.
    Sqlite,
}

enum Outcome {
    Ingested(Result<Ingested>),
    Posted(Result<Message>),
    Done(Result<()>),
    Edited(Result<Option<MessageId>>),
    Recorded,
}

pub(crate) struct Writer {
    store: Store,
    localizer: Localizer,
    events: EventBus,
    rules: Rules,
    dispatch: Handoff,
    statements: Statements,
    lookup: String,
    /// SQLite: the lookup with the transaction's BEGIN before it, one round trip for both.
    begin_and_lookup: String,
    ids: Ids,
    staff: crate::StaffCache,
    tasks: crate::tasks::Tasks,
    auto_replies: AutoReplies,
}

impl Writer {
    pub fn new(
        store: Store,
        localizer: Localizer,
        events: EventBus,
        rules: Rules,
        dispatch: Handoff,
        staff: crate::StaffCache,
        tasks: crate::tasks::Tasks,
    ) -> Writer {
        let backend = store.backend();
        Writer {
            store,
            localizer,
            events,
            rules,
            dispatch,
            statements: Statements::new(backend),
            lookup: read::statement(backend),
            begin_and_lookup: format!("{BEGIN_SQLITE};\n{}", read::statement(backend)),
            ids: Ids::default(),
            staff,
            tasks,
            auto_replies: Default::default(),
        }
    }

    pub async fn run(
        mut self,
        mut ops: mpsc::Receiver<WriteOp>,
        mut reports: mpsc::Receiver<DeliveryReport>,
        stop: CancellationToken,
    ) {
        loop {
            // Writes first: a batch of delivery reports alone would make a waiting write wait
            // one more commit; reports queued meanwhile join the batch (`take_batch`).
            let first = tokio::select! {
                biased;
                op = ops.recv() => op,
                Some(report) = reports.recv() => Some(WriteOp::Delivery(Box::new(report))),
                () = stop.cancelled() => None,
            };
            let Some(first) = first else { break };
            let batch = take_batch(first, &mut ops, &mut reports);
            self.commit(batch).await;
        }
        // Shutting down: refuse new work, finish what was queued.
        ops.close();
        reports.close();
        loop {
            let first = match ops.recv().await {
                Some(op) => op,
                None => match reports.recv().await {
                    Some(report) => WriteOp::Delivery(Box::new(report)),
                    None => break,
                },
            };
            let batch = take_batch(first, &mut ops, &mut reports);
            self.commit(batch).await;
        }
    }

    /// Commits `batch`; an erasure in it is committed on its own, after the writes before it
    /// and before the writes after it, so no plan ever writes about a row it removes.
    async fn commit(&mut self, mut batch: Vec<WriteOp>) {
        while let Some(at) = batch.iter().position(|op| matches!(op, WriteOp::Erase(..))) {
            let after = batch.split_off(at + 1);
            let Some(WriteOp::Erase(erasure, reply)) = batch.pop() else { unreachable!("found at {at}") };
            if !batch.is_empty() {
                self.commit_writes(batch).await;
            }
            let result = self.erase(erasure).await;
            if let Err(error) = &result {
                tracing::error!(%error, "an erasure failed; nothing of it was deleted");
            }
            let _ = reply.send(result);
            batch = after;
        }
        if !batch.is_empty() {
            self.commit_writes(batch).await;
        }
    }

    /// Runs an erasure in a transaction of its own and announces the conversations it removed.
    async fn erase(&mut self, erasure: Erasure) -> Result<Option<Erased>> {
        async fn run(conn: &mut AnyConnection, erasure: Erasure) -> Result<Option<Erased>> {
            match erasure {
                Erasure::Contact { id, by } => erasure::erase_contact(conn, id, by, now_ms()).await,
                Erasure::OlderThan(cutoff) => erasure::delete_older_than(conn, cutoff, now_ms()).await.map(Some),
            }
        }
        let erased = match self.store.backend() {
            Backend::Postgres => {
                let mut tx = self.store.pool().begin().await?;
                let erased = run(&mut tx, erasure).await?;
                tx.commit().await?;
                erased
            }
            Backend::Sqlite => {
                let mut conn = self.store.pool().acquire().await?;
                sqlx::query(BEGIN_SQLITE).execute(&mut *conn).await?;
                match run(&mut conn, erasure).await {
                    Ok(erased) => {
                        sqlx::query("COMMIT").execute(&mut *conn).await?;
                        erased
                    }
                    Err(error) => {
                        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
                        return Err(error);
                    }
                }
            }
        };
        if let Some(erased) = &erased {
            if !erased.withdrawn.is_empty() {
                self.dispatch.hand(Dispatch::Withdraw(erased.withdrawn.clone()));
            }
            if !erased.conversation_ids.is_empty() {
                let ids = erased.conversation_ids.clone();
                self.events.publish(crate::events::Event::ConversationsErased { ids });
            }
        }
        Ok(erased)
    }

    async fn commit_writes(&mut self, batch: Vec<WriteOp>) {
        let started = Instant::now();
        let size = batch.len();
        match self.apply_all(&batch).await {
            Ok((outcomes, effects)) => self.release(batch, outcomes, effects),
            Err(error) if error.is_transient() => {
                // The database or the disk is out of reach (or busy), not one write at fault:
                // trying each write alone would only wait out the outage once per write. Every
                // caller hears now that nothing was stored, and may send again.
                tracing::warn!(%error, size, "batch failed: the store is out of reach; nothing of it was stored");
                metrics::counter!("switchboard_write_batches_failed_total").increment(1);
                for op in batch {
                    fail(op, CoreError::Unavailable(error.to_string()));
                }
            }
            Err(error) => {
                // One bad write must not fail its neighbours: redo each in its own transaction.
                let conversations: Vec<_> = batch.iter().filter_map(WriteOp::conversation_id).collect();
                tracing::warn!(%error, size, ?conversations, "batch failed; retrying its writes one by one");
                metrics::counter!("switchboard_write_batches_failed_total").increment(1);
                self.tasks.batch_failed();
                for op in batch {
                    match self.apply_all(std::slice::from_ref(&op)).await {
                        Ok((outcomes, effects)) => self.release(vec![op], outcomes, effects),
                        Err(error) => {
                            fail(op, error);
                        }
                    }
                }
            }
        }
        metrics::histogram!("switchboard_write_batch_size").record(size as f64);
        metrics::histogram!("switchboard_write_batch_seconds").record(started.elapsed().as_secs_f64());
    }

    /// Applies and commits `batch`, or nothing of it. A panic while planning or writing (a bug)
    /// is this batch's error, like a database's refusal: the writer itself goes on.
    async fn apply_all(&mut self, batch: &[WriteOp]) -> Result<(Vec<Outcome>, Effects)> {
        self.reserve_ids(batch).await?;
        match self.store.backend() {
            Backend::Postgres => {
                let mut tx = self.store.pool().begin().await?;
                let ingests = batch.iter().filter(|op| matches!(op, WriteOp::Ingest(..))).count();
                let counts = super::ids::IN_COMMIT_ORDER.map(|table| Ids::need(table, ingests, batch.len() - ingests));
                super::ids::draw_in_commit_order(&mut tx, &mut self.ids, counts).await?;
                let applied = unwinding(self.apply(&mut tx, batch, Bracket::Open)).await?;
                tx.commit().await?;
                Ok(applied)
            }
            Backend::Sqlite => {
                let mut conn = self.store.pool().acquire().await?;
                let applied = unwinding(self.apply(&mut conn, batch, Bracket::Sqlite)).await;
                if applied.is_err() {
                    // Whether or not the BEGIN ran: "no transaction is active" is fine here.
                    let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
                }
                applied
            }
        }
    }

    /// Tops up the pool of ids (`plan::ids`) to what `batch` may need, before its transaction:
    /// on PostgreSQL sequences are outside transactions anyway, on SQLite the block is kept
    /// even if the batch then fails.
    async fn reserve_ids(&mut self, batch: &[WriteOp]) -> Result<()> {
        let ingests = batch.iter().filter(|op| matches!(op, WriteOp::Ingest(..))).count();
        let mut short = self.ids.shortfall(ingests, batch.len() - ingests);
        if self.store.backend() == Backend::Postgres {
            // Drawn in the batch's transaction instead (`ids::draw_in_commit_order`).
            for table in super::ids::IN_COMMIT_ORDER {
                short[table as usize] = 0;
            }
        }
        if short.iter().all(|&count| count == 0) {
            return Ok(());
        }
        let mut conn = self.store.pool().acquire().await?;
        super::ids::reserve(&mut conn, self.store.backend(), &mut self.ids, short).await
    }

    /// Applies `batch` in one transaction on `conn`: opened and committed by the caller
    /// (`Bracket::Open`), or, on SQLite, begun by the batch's first statement and committed by
    /// its last (`Bracket::Sqlite`). Reads, plans and writes in that order; a write that reads
    /// the store (an agent's change, a `/link`) first has what the batch planned before it
    /// written, so that it reads what it would read in a batch of its own.
    async fn apply(
        &mut self,
        conn: &mut AnyConnection,
        batch: &[WriteOp],
        bracket: Bracket,
    ) -> Result<(Vec<Outcome>, Effects)> {
        let inbound: Vec<&Prepared> = batch
            .iter()
            .filter_map(|op| match op {
                WriteOp::Ingest(prepared, _) => Some(prepared.as_ref()),
                _ => None,
            })
            .collect();
        let (found, begun) = self.read_inbound(conn, &inbound, batch, bracket).await?;
        let cx = Context {
            localizer: &self.localizer,
            rules: self.rules,
            now: now_ms(),
            staff: self.staff.read().expect("staff lock").clone(),
            auto_replies: &self.auto_replies,
            claims: self.dispatch.stamps(),
        };
        let mut planner = Planner::new(&cx, &mut self.ids, &inbound, &found);
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut sent = Vec::new();
        let mut found = found.iter();
        for op in batch {
            if op.reads() {
                flush(&mut planner.rows, conn, &self.statements, Finish::MIDWAY).await?;
            }
            outcomes.push(match op {
                WriteOp::Ingest(prepared, _) => {
                    let found = found.next().expect("one lookup per message");
                    let linked = match &prepared.command {
                        Some(Command::Link(Some(code))) => {
                            let (channel, sender) = (prepared.inbound.channel, &prepared.inbound.sender.external_id);
                            let at = read::link(conn, code, planner.known_contact(channel, sender), cx.now).await?;
                            Some(planner.link(prepared, found, code, &at))
                        }
                        _ => None,
                    };
                    Outcome::Ingested(Ok(planner.ingest(prepared, found, linked)))
                }
                WriteOp::Post(post, _) => Outcome::Posted(planner.post(post, &read::post(conn, &post.post).await?)),
                WriteOp::Update(update, _) => {
                    Outcome::Done(planner.update(update, read::conversation(conn, update.id).await?.as_ref()))
                }
                WriteOp::Edit(edit, _) => {
                    Outcome::Edited(Ok(planner.edit(edit, read::edited(conn, edit).await?.as_ref())))
                }
                WriteOp::Merge { survivor, merged, .. } => {
                    Outcome::Done(planner.merge(*survivor, *merged, &read::merge(conn, *survivor, *merged).await?))
                }
                WriteOp::Many(_) => unreachable!("take_batch flattens submitted groups"),
                WriteOp::Erase(..) => unreachable!("commit takes erasures out of the batch"),
                WriteOp::Delivery(report) => {
                    match report.as_ref() {
                        // Collected and recorded together below.
                        DeliveryReport::Sent { entry, external_id } => sent.push((entry, external_id.as_deref())),
                        other => planner.failed(other),
                    }
                    Outcome::Recorded
                }
            });
        }
        planner.sent(&sent);
        let finish = Finish { begin: !begun, commit: bracket == Bracket::Sqlite };
        flush(&mut planner.rows, conn, &self.statements, finish).await?;
        let effects = std::mem::take(&mut planner.effects);
        Ok((outcomes, effects))
    }

    /// The batch's first reads: what the store knows of its inbound messages (on SQLite, the
    /// transaction's BEGIN rides on that statement) and the conversations mails name. Returns
    /// them with whether the transaction has begun.
    async fn read_inbound(
        &self,
        conn: &mut AnyConnection,
        inbound: &[&Prepared],
        batch: &[WriteOp],
        bracket: Bracket,
    ) -> Result<(Vec<crate::plan::known::Found>, bool)> {
        let mut begun = bracket == Bracket::Open;
        let keys: Vec<Key> = inbound
            .iter()
            .map(|p| (p.inbound.channel, p.inbound.external_id.as_str(), p.inbound.sender.external_id.as_str()))
            .collect();
        let mut found = if keys.is_empty() {
            Vec::new()
        } else {
            if self.store.backend() == Backend::Postgres {
                read::lock_senders(conn, &keys).await?;
            }
            let sql = if begun { &self.lookup } else { &self.begin_and_lookup };
            begun = true;
            read::find(conn, sql, &keys).await?
        };
        // Anything but a delivered reply reads or writes on its own before the flush: begin now.
        if !begun
            && batch.iter().any(
                |op| !matches!(op, WriteOp::Delivery(report) if matches!(report.as_ref(), DeliveryReport::Sent { .. })),
            )
        {
            sqlx::query(BEGIN_SQLITE).execute(&mut *conn).await?;
            begun = true;
        }
        for (p, f) in inbound.iter().zip(found.iter_mut()) {
            if let Threading::Explicit { references, tagged } = &p.inbound.threading {
                f.named = read::named(conn, p.inbound.channel, references, *tagged).await?;
            }
        }
        Ok((found, begun))
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
                (WriteOp::Update(_, reply) | WriteOp::Merge { reply, .. }, Outcome::Done(result)) => {
                    let _ = reply.send(result);
                }
                (WriteOp::Edit(_, reply), Outcome::Edited(result)) => {
                    let _ = reply.send(result);
                }
                _ => {}
            }
        }
        for event in effects.events {
            if let crate::events::Event::HandedOff { reason, .. } = &event {
                metrics::counter!("switchboard_handoffs_total", "reason" => reason.as_str()).increment(1);
            }
            self.events.publish(event);
        }
        if !effects.outbox.is_empty() {
            self.dispatch.hand(Dispatch::Send(effects.outbox));
        }
    }
}

/// `future`'s panic as an error. The writer's state it may have left half-changed is the
/// batch's own (planner, rows), or ids it took from the pool, which are then gaps.
async fn unwinding<T>(future: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    use futures_util::FutureExt;
    std::panic::AssertUnwindSafe(future).catch_unwind().await.unwrap_or_else(|panic| {
        Err(CoreError::Internal(format!("writing failed: {}", crate::error::panic_message(&*panic))))
    })
}

/// `first` and whatever else is queued (writes, then delivery reports), up to `MAX_BATCH` (or
/// past it, to keep writes submitted together in one batch).
fn take_batch(
    first: WriteOp,
    ops: &mut mpsc::Receiver<WriteOp>,
    reports: &mut mpsc::Receiver<DeliveryReport>,
) -> Vec<WriteOp> {
    fn add(batch: &mut Vec<WriteOp>, op: WriteOp) {
        match op {
            WriteOp::Many(many) => batch.extend(many),
            op => batch.push(op),
        }
    }
    let mut batch = Vec::new();
    add(&mut batch, first);
    while batch.len() < MAX_BATCH {
        match ops.try_recv() {
            Ok(op) => add(&mut batch, op),
            Err(_) => break,
        }
    }
    while batch.len() < MAX_BATCH {
        match reports.try_recv() {
            Ok(report) => batch.push(WriteOp::Delivery(Box::new(report))),
            Err(_) => break,
        }
    }
    batch
}

fn fail(op: WriteOp, error: CoreError) {
    let (kind, conversation_id) = (op.kind(), op.conversation_id());
    let channel = match &op {
        WriteOp::Ingest(prepared, _) => Some(prepared.inbound.channel.as_str()),
        _ => None,
    };
    tracing::error!(%error, kind, conversation_id, channel, "write failed");
    metrics::counter!("switchboard_writes_failed_total", "kind" => kind).increment(1);
    match op {
        WriteOp::Ingest(_, reply) => {
            let _ = reply.send(Err(error));
        }
        WriteOp::Post(_, reply) => {
            let _ = reply.send(Err(error));
        }
        WriteOp::Update(_, reply) | WriteOp::Merge { reply, .. } => {
            let _ = reply.send(Err(error));
        }
        WriteOp::Edit(_, reply) => {
            let _ = reply.send(Err(error));
        }
        // The entry stays pending in the store and is sent again after a restart.
        WriteOp::Delivery(_) => tracing::error!("a delivery report was not recorded"),
        WriteOp::Erase(_, reply) => {
            let _ = reply.send(Err(error));
        }
        WriteOp::Many(_) => unreachable!("take_batch flattens submitted groups"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_while_writing_is_that_batchs_error() {
        let failed: Result<()> = unwinding(async { panic!("index out of bounds") }).await;
        let error = failed.unwrap_err();
        assert!(matches!(error, CoreError::Internal(_)));
        assert!(error.to_string().contains("index out of bounds"), "{error}");
        assert_eq!(unwinding(async { Ok(7) }).await.unwrap(), 7);
    }
}
