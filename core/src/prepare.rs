//! The first stage of every write, without the database: an inbound message's text made
//! storable and checked, its secrets redacted, its language and command read (`screen`); an
//! agent's post checked (`post`); files kept on disk (`keep_files`). What it makes (`Prepared`,
//! `PreparedPost`, `Edit`) is what the planner reads.

use crate::attachments::{AttachmentStore, Stored};
use crate::channel::{Destination, OutboundAttachment};
use crate::commands::Command;
use crate::error::{CoreError, Result, panic_message};
use crate::ingest::{Inbound, MAX_BODY_BYTES};
use crate::model::ChannelKind;
use crate::post::{ConversationUpdate, Post, PostKind};
use crate::safety::{Entity, Finding};
use crate::{l10n, safety, storable};

/// An inbound message after the work that needs no database.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub inbound: Inbound,
    pub findings: Vec<Finding>,
    pub entities: Vec<Entity>,
    pub detected_language: Option<String>,
    pub command: Option<Command>,
    pub attachments: Vec<Stored>,
}

/// An agent's (or the bot's) post with its files already on disk.
#[derive(Debug)]
pub(crate) struct PreparedPost {
    pub post: Post,
    pub attachments: Vec<Stored>,
    /// The same files as a channel sends them.
    pub outbound: Vec<OutboundAttachment>,
}

/// A customer's edit, already redacted.
#[derive(Debug, Clone)]
pub(crate) struct Edit {
    pub channel: ChannelKind,
    pub external_id: String,
    pub body: String,
    pub redactions: i64,
}

/// Puts a screened message's files into the attachment store.
pub(crate) async fn keep_files(
    files: &AttachmentStore,
    (mut prepared, origin): (Prepared, Origin),
) -> Result<(Prepared, Origin)> {
    for a in std::mem::take(&mut prepared.inbound.attachments) {
        prepared.attachments.push(files.put(&a.filename, &a.content_type, &a.bytes).await?);
    }
    Ok((prepared, origin))
}

/// `keep_files` for a batch: each message's files (fsynced one by one) on a task of its own, so
/// that a batch of photos is not kept one after another.
pub(crate) async fn keep_all_files(
    files: &AttachmentStore,
    screened: Vec<Result<(Prepared, Origin)>>,
) -> Vec<Result<(Prepared, Origin)>> {
    let kept: Vec<_> = screened
        .into_iter()
        .map(|screened| match screened {
            Ok(screened) if !screened.0.inbound.attachments.is_empty() => {
                let files = files.clone();
                Kept::Later(tokio::spawn(async move { keep_files(&files, screened).await }))
            }
            other => Kept::Now(Box::new(other)),
        })
        .collect();
    let mut prepared = Vec::with_capacity(kept.len());
    for kept in kept {
        prepared.push(match kept {
            Kept::Now(screened) => *screened,
            Kept::Later(task) => {
                task.await.unwrap_or_else(|error| Err(CoreError::Internal(format!("keeping files failed: {error}"))))
            }
        });
    }
    prepared
}

/// Checks a post (the guard against asking for secrets, its size) and keeps its files.
pub(crate) async fn post(files: &AttachmentStore, mut post: Post) -> Result<PreparedPost> {
    storable::clean_in_place(&mut post.body);
    if post.body.trim().is_empty() && post.attachments.is_empty() {
        return Err(CoreError::Invalid("body is empty".into()));
    }
    // The bot's replies are the knowledge base's articles, published by admins, and one of them
    // tells customers to enter their phrase into the official app when restoring: words the
    // guard cannot tell from a request. Everyone else's replies are judged.
    let judged = post.author != crate::model::Author::Bot;
    if judged && matches!(post.kind, PostKind::Reply { .. }) && safety::guard::asks_for_secret(&post.body) {
        tracing::warn!(
            conversation_id = post.conversation_id,
            agent_id = post.agent_id,
            "refused a reply asking the customer for a recovery phrase or private key"
        );
        return Err(CoreError::Refused(
            "this reply asks the customer for a recovery phrase or private key; support never does".into(),
        ));
    }
    if post.body.len() > MAX_BODY_BYTES {
        return Err(CoreError::Invalid(format!("body is longer than {MAX_BODY_BYTES} bytes")));
    }
    let mut attachments = Vec::with_capacity(post.attachments.len());
    let mut outbound = Vec::with_capacity(post.attachments.len());
    for a in std::mem::take(&mut post.attachments) {
        let stored = files.put(&a.filename, &a.content_type, &a.bytes).await?;
        outbound.push(OutboundAttachment {
            filename: stored.filename.clone(),
            content_type: stored.content_type.clone(),
            path: files.path_of(&stored.storage_key).expect("a key the store just made"),
        });
        attachments.push(stored);
    }
    Ok(PreparedPost { post, attachments, outbound })
}

/// A conversation update's own limits (its tags).
pub(crate) fn update(update: &ConversationUpdate) -> Result<()> {
    if let Some(tags) = &update.tags
        && (tags.len() > 50 || tags.iter().any(|t| t.trim().is_empty() || t.chars().count() > 50))
    {
        return Err(CoreError::Invalid("tags: at most 50, each 1 to 50 characters".into()));
    }
    Ok(())
}

/// A customer's edit of a message: redacted like any inbound text.
pub(crate) fn edit(channel: ChannelKind, external_id: &str, body: &str) -> Result<Edit> {
    if body.len() > MAX_BODY_BYTES || body.trim().is_empty() {
        return Err(CoreError::Invalid("an edit must have text, at most the message limit".into()));
    }
    let scan = safety::scan(&storable::clean(body));
    Ok(Edit {
        channel,
        external_id: external_id.to_owned(),
        body: scan.redacted,
        redactions: scan.findings.len() as i64,
    })
}

/// A screened message of a batch: ready, or with its files being kept by a task.
enum Kept {
    Now(Box<Result<(Prepared, Origin)>>),
    Later(tokio::task::JoinHandle<Result<(Prepared, Origin)>>),
}

/// Batches with up to this much text are screened on the task that ingests them: the scans cost
/// about 80 µs per KB of ordinary text, so this keeps a worker busy no longer than the hand-off
/// to a blocking thread can take under load.
const SCREEN_IN_PLACE_BYTES: usize = 1024;

/// Where an inbound message came from, kept for what follows its commit.
pub(crate) struct Origin {
    pub channel: ChannelKind,
    pub destination: Destination,
    pub external_id: String,
}

/// Checks a message and does the CPU work on it that needs neither the database nor I/O: the
/// secret scan and redaction, its language, its command. Its files stay in `inbound`.
pub(crate) fn screen(mut inbound: Inbound) -> Result<(Prepared, Origin)> {
    storable::clean_inbound(&mut inbound);
    validate(&inbound)?;
    let scan = safety::scan(&inbound.body);
    inbound.body = scan.redacted;
    inbound.sender.display_name = safety::redact(&inbound.sender.display_name).text;
    // The names of files left out are the customer's text too.
    for name in &mut inbound.too_large.files {
        *name = safety::redact(&storable::clean(name)).text;
    }
    let detected_language = l10n::detect_language(&inbound.body);
    let command = Command::parse(&inbound.body);
    let origin = Origin {
        channel: inbound.channel,
        destination: Destination { chat: inbound.chat.clone(), thread: inbound.thread.clone() },
        external_id: inbound.external_id.clone(),
    };
    let attachments = Vec::with_capacity(inbound.attachments.len());
    let prepared =
        Prepared { inbound, findings: scan.findings, entities: scan.entities, detected_language, command, attachments };
    Ok((prepared, origin))
}

/// `screen` for a batch. The checks and scans are CPU work in proportion to the text: a batch's
/// go in one piece to a blocking thread, not as one task per message queued behind every other
/// task of the runtime (a flood's sends), where the batch would wait for the slowest of them;
/// a batch of short messages is screened in place, cheaper than the hand-off.
pub(crate) async fn screen_all(inbounds: Vec<Inbound>) -> Vec<Result<(Prepared, Origin)>> {
    let count = inbounds.len();
    let text: usize = inbounds.iter().map(|i| i.body.len() + i.sender.display_name.len()).sum();
    if text <= SCREEN_IN_PLACE_BYTES {
        return inbounds.into_iter().map(screen_unwinding).collect();
    }
    let screened = tokio::task::spawn_blocking(move || inbounds.into_iter().map(screen_unwinding).collect());
    screened.await.unwrap_or_else(|_| (0..count).map(|_| Err(CoreError::ShuttingDown)).collect())
}

/// `screen`, with a panic on one message refusing that message alone: a batch redelivered
/// because of it would panic again, for ever.
fn screen_unwinding(inbound: Inbound) -> Result<(Prepared, Origin)> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| screen(inbound)))
        .unwrap_or_else(|panic| Err(CoreError::Internal(format!("preparing failed: {}", panic_message(&*panic)))))
}

fn validate(inbound: &Inbound) -> Result<()> {
    if inbound.external_id.is_empty() || inbound.sender.external_id.is_empty() || inbound.chat.is_empty() {
        return Err(CoreError::Invalid("message, sender and chat ids are required".into()));
    }
    if inbound.body.trim().is_empty() && inbound.attachments.is_empty() {
        return Err(CoreError::Invalid("message is empty".into()));
    }
    if inbound.body.len() > MAX_BODY_BYTES {
        return Err(CoreError::Invalid(format!(
            "message body is {} bytes; the limit is {MAX_BODY_BYTES}",
            inbound.body.len()
        )));
    }
    Ok(())
}
