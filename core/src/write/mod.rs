//! The writer: the one task that runs the hot path's SQL. It takes what is queued (`WriteOp`s
//! and the dispatcher's delivery reports) as one batch, reads what the batch needs (`read`),
//! has it planned in memory (`crate::plan`), writes the planned rows (`flush`) and commits once;
//! then it releases the batch: answers, events, outbox entries.

mod complaints;
mod flush;
mod ids;
mod ledger;
mod read;
mod surveys;
mod writer;

pub(crate) use writer::Writer;

use crate::error::Result;
use crate::ingest::Ingested;
use crate::model::{AgentId, ContactId, Message, MessageId};
use crate::outbox::DeliveryReport;
use crate::post::ConversationUpdate;
use crate::prepare::{Edit, Prepared, PreparedPost};
use crate::store::erasure::Erased;
use tokio::sync::oneshot;

pub(crate) enum WriteOp {
    Ingest(Box<Prepared>, oneshot::Sender<Result<Ingested>>),
    Post(Box<PreparedPost>, oneshot::Sender<Result<Message>>),
    Update(Box<ConversationUpdate>, oneshot::Sender<Result<()>>),
    Merge {
        survivor: ContactId,
        merged: ContactId,
        reply: oneshot::Sender<Result<()>>,
    },
    Edit(Box<Edit>, oneshot::Sender<Result<Option<MessageId>>>),
    Delivery(Box<DeliveryReport>),
    /// Personal data deleted for good: committed alone, between the writes around it.
    Erase(Erasure, oneshot::Sender<Result<Option<Erased>>>),
    /// Writes submitted together, to be committed in one batch, in their order.
    Many(Vec<WriteOp>),
}

/// What an `Erase` deletes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Erasure {
    /// A contact, on request (`by` the admin who asked).
    Contact { id: ContactId, by: Option<AgentId> },
    /// Messages created before this time (the retention period).
    OlderThan(crate::model::Millis),
}

impl WriteOp {
    /// Whether planning this write needs a read of the store beyond the batch's first lookup.
    fn reads(&self) -> bool {
        match self {
            WriteOp::Ingest(prepared, _) => matches!(prepared.command, Some(crate::commands::Command::Link(Some(_)))),
            WriteOp::Post(..) | WriteOp::Update(..) | WriteOp::Edit(..) | WriteOp::Merge { .. } => true,
            WriteOp::Delivery(_) | WriteOp::Erase(..) | WriteOp::Many(_) => false,
        }
    }

    /// The conversation a write concerns, where it names one before planning (for logs).
    pub(super) fn conversation_id(&self) -> Option<crate::model::ConversationId> {
        match self {
            WriteOp::Post(post, _) => Some(post.post.conversation_id),
            WriteOp::Update(update, _) => Some(update.id),
            WriteOp::Delivery(report) => report.entry().conversation_id,
            _ => None,
        }
    }

    /// What kind of write this is (for logs: never its text).
    pub(super) fn kind(&self) -> &'static str {
        match self {
            WriteOp::Ingest(..) => "ingest",
            WriteOp::Post(..) => "post",
            WriteOp::Update(..) => "update",
            WriteOp::Merge { .. } => "merge",
            WriteOp::Edit(..) => "edit",
            WriteOp::Delivery(..) => "delivery",
            WriteOp::Many(..) => "many",
            WriteOp::Erase(..) => "erase",
        }
    }
}
