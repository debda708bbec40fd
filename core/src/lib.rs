//! switchboard-core: the conversation core. Platform SDKs and HTTP frameworks never enter it;
//! adapters reach it through [`Core`] and it reaches them through [`channel::Channel`].

pub mod channel;
pub mod clock;
pub mod commands;
pub mod error;
pub mod events;
mod idle;
pub mod ingest;
pub mod l10n;
pub mod limits;
pub mod model;
pub mod observe;
pub mod outbox;
pub mod post;
pub mod privacy;
pub mod resume;
pub mod safety;
pub mod storable;
pub mod store;
pub mod stub;
pub(crate) mod tasks;

pub use tasks::CoreHealth;

use crate::channel::Channels;
use crate::channel::{Destination, OutboundAttachment};
use crate::error::{CoreError, Result};
use crate::events::EventBus;
use crate::ingest::prepare::{Origin, screen, screen_all};
use crate::ingest::writer::{WriteOp, Writer};
use crate::ingest::{AttachmentStore, Inbound, Ingested, MAX_BODY_BYTES};
use crate::l10n::Localizer;
use crate::model::ChannelKind;
use crate::model::Message;
use crate::model::{AgentId, ContactId, MessageId};
use crate::outbox::{Dispatcher, DispatcherConfig};
use crate::post::{ConversationUpdate, Post, PostKind};
use crate::safety::staff::StaffHandle;
use crate::store::Store;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::RwLock;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

#[derive(Debug, Clone)]
pub struct CoreConfig {
    /// A customer writing within this long after their ticket was resolved reopens it.
    pub reopen_window: Duration,
    /// Attachment bytes live under `<data_dir>/attachments`.
    pub data_dir: PathBuf,
    pub dispatcher: DispatcherConfig,
    /// How soon people usually answer: what customers are promised, everywhere they are told.
    pub response_time: Duration,
}

impl Default for CoreConfig {
    fn default() -> Self {
        CoreConfig {
            reopen_window: Duration::from_secs(7 * 24 * 3600),
            data_dir: PathBuf::from("data"),
            dispatcher: DispatcherConfig::default(),
            response_time: Duration::from_secs(4 * 3600),
        }
    }
}

/// A cheap, cloneable handle on the running core.
#[derive(Clone)]
pub struct Core {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    localizer: Localizer,
    events: EventBus,
    attachments: AttachmentStore,
    writer: mpsc::Sender<WriteOp>,
    channels: Channels,
    /// Agents' public handles, for `/verify`; read by the writer at every batch.
    staff: StaffCache,
    tasks: tasks::Tasks,
    response_time: Duration,
}

/// The staff handles as the writer sees them: replaced whole when they change.
pub(crate) type StaffCache = Arc<RwLock<Arc<Vec<StaffHandle>>>>;

/// The core's background tasks; [`Running::shutdown`] drains them.
pub struct Running {
    core: Core,
    stop_dispatcher: CancellationToken,
    stop_writer: CancellationToken,
    dispatcher: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl Core {
    /// Starts the writer and the dispatcher (which resumes every pending outbox entry).
    pub async fn start(store: Store, config: CoreConfig, channels: Channels) -> Result<Running> {
        let localizer = Localizer::embedded();
        let events = EventBus::new();
        // The detector's tables take a moment to build: before the first message, not during it.
        tokio::task::spawn_blocking(safety::warm_up);
        let staff: StaffCache =
            Arc::new(RwLock::new(Arc::new(store.staff_handles().await?.into_iter().map(|(_, _, h)| h).collect())));
        let (write_tx, write_rx) = mpsc::channel(8192);
        let (dispatch_tx, dispatch_rx) = mpsc::unbounded_channel();
        let attachments = AttachmentStore::new(&config.data_dir);
        let recovered = outbox::load_pending(&store, &attachments).await?;
        if !recovered.is_empty() {
            tracing::info!(pending = recovered.len(), "resuming outbox");
        }

        let tasks = tasks::Tasks::default();
        let stop_writer = CancellationToken::new();
        let writer = Writer::new(
            store.clone(),
            localizer.clone(),
            events.clone(),
            config.reopen_window.as_millis() as i64,
            dispatch_tx,
            staff.clone(),
            tasks.clone(),
        );
        let writer = tokio::spawn(tasks.watch(tasks::Task::Writer, writer.run(write_rx, stop_writer.clone())));

        let stop_dispatcher = CancellationToken::new();
        let dispatcher = Dispatcher::new(channels.clone(), config.dispatcher.clone(), write_tx.clone());
        let dispatcher = dispatcher.run(recovered, dispatch_rx, stop_dispatcher.clone());
        let dispatcher = tokio::spawn(tasks.watch(tasks::Task::Dispatcher, dispatcher));

        let inner = Inner {
            store,
            localizer,
            events,
            attachments,
            writer: write_tx,
            channels,
            staff,
            tasks,
            response_time: config.response_time,
        };
        let core = Core { inner: Arc::new(inner) };
        Ok(Running { core, stop_dispatcher, stop_writer, dispatcher, writer })
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Whether the writer and the dispatcher are running: without either, nothing is stored or
    /// nothing is sent, and the process must not pass for healthy.
    pub fn health(&self) -> CoreHealth {
        self.inner.tasks.health()
    }

    pub fn localizer(&self) -> &Localizer {
        &self.inner.localizer
    }

    /// How soon people usually answer, in `locale`'s words ("2 hours", "30 分钟"): the one
    /// promise the chat page and the bot's hand-off both make.
    pub fn response_time(&self, locale: &str) -> String {
        l10n::duration_words(&self.inner.localizer, locale, self.inner.response_time)
    }

    pub fn events(&self) -> &EventBus {
        &self.inner.events
    }

    pub fn attachments(&self) -> &AttachmentStore {
        &self.inner.attachments
    }

    /// Accepts one platform message. Returns once it is durable (committed); only then may an
    /// adapter acknowledge it to its platform.
    pub async fn ingest(&self, inbound: Inbound) -> Result<Ingested> {
        let span = tracing::info_span!("ingest", channel = %inbound.channel, conversation_id = tracing::field::Empty);
        async move {
            let started = Instant::now();
            let stand_in = ingest::StandIn::of(&inbound);
            let (prepared, origin) = self.keep_files(screen(inbound)?).await?;
            let (tx, rx) = oneshot::channel();
            self.send(WriteOp::Ingest(Box::new(prepared), tx)).await?;
            let ingested = match rx.await.map_err(|_| CoreError::ShuttingDown)? {
                Err(error) if ingest::stands_in_for(&error) => {
                    return self.ingest_stand_in(stand_in, &error.to_string()).await;
                }
                result => result?,
            };
            if let Some(id) = ingested.conversation_id {
                tracing::Span::current().record("conversation_id", id);
            }
            self.ingested(&ingested, origin, started);
            Ok(ingested)
        }
        .instrument(span)
        .await
    }

    /// Accepts a platform's batch of messages (a Telegram `getUpdates` answer) in their order,
    /// committed together: one commit for the batch rather than as many as the writer happens
    /// to split concurrent messages into. Each answer is that message's, as from `ingest`;
    /// returns once every accepted one is durable.
    #[tracing::instrument(skip_all, fields(messages = inbounds.len()))]
    pub async fn ingest_all(&self, inbounds: Vec<Inbound>) -> Vec<Result<Ingested>> {
        let started = Instant::now();
        let stand_ins: Vec<_> = inbounds.iter().map(ingest::StandIn::of).collect();
        let prepared = self.keep_all_files(screen_all(inbounds).await).await;
        let mut answers = Vec::with_capacity(prepared.len());
        let mut ops = Vec::with_capacity(prepared.len());
        for prepared in prepared {
            match prepared {
                Ok((prepared, origin)) => {
                    let (tx, rx) = oneshot::channel();
                    ops.push(WriteOp::Ingest(Box::new(prepared), tx));
                    answers.push(Ok((rx, origin)));
                }
                Err(error) => answers.push(Err(error)),
            }
        }
        if !ops.is_empty() && self.send(WriteOp::Many(ops)).await.is_err() {
            return answers.into_iter().map(|_| Err(CoreError::ShuttingDown)).collect();
        }
        let mut results = Vec::with_capacity(answers.len());
        for (answer, stand_in) in answers.into_iter().zip(stand_ins) {
            let result = match answer {
                Ok((rx, origin)) => match rx.await {
                    Ok(Ok(ingested)) => {
                        self.ingested(&ingested, origin, started);
                        Ok(ingested)
                    }
                    Ok(Err(error)) => Err(error),
                    Err(_) => Err(CoreError::ShuttingDown),
                },
                Err(error) => Err(error),
            };
            results.push(match result {
                Err(error) if ingest::stands_in_for(&error) => self.ingest_stand_in(stand_in, &error.to_string()).await,
                other => other,
            });
        }
        results
    }

    /// After a message is durable: its metrics, and the platform copy of a secret removed.
    fn ingested(&self, ingested: &Ingested, origin: Origin, started: Instant) {
        let channel = origin.channel;
        if !ingested.duplicate {
            metrics::counter!("switchboard_messages_in_total", "channel" => channel.as_str()).increment(1);
            if !ingested.findings.is_empty() {
                metrics::counter!("switchboard_secrets_redacted_total", "channel" => channel.as_str())
                    .increment(ingested.findings.len() as u64);
                self.delete_on_platform(channel, origin.destination, origin.external_id);
            }
        }
        metrics::histogram!("switchboard_ingest_seconds").record(started.elapsed().as_secs_f64());
    }

    /// Removes, where the platform allows it, the original of a message that carried a secret:
    /// what was stored is already redacted, but the customer's chat still shows it. Best effort.
    fn delete_on_platform(&self, kind: ChannelKind, destination: Destination, external_id: String) {
        let Some(channel) = self.inner.channels.get(kind).cloned() else { return };
        if !channel.capabilities().deletes {
            return;
        }
        tokio::spawn(async move {
            match channel.delete(&destination, &external_id).await {
                Ok(()) => tracing::info!(channel = %kind, "deleted a message that carried a secret"),
                Err(error) => {
                    tracing::warn!(channel = %kind, %error, "could not delete a message that carried a secret")
                }
            }
        });
    }

    /// Adds an agent's or the bot's reply (through the outbox) or private note. A reply that asks
    /// the customer for a recovery phrase or private key is refused and never queued.
    /// Tells the customer, in their conversation's language and on `channel`, which of their
    /// files were too large to keep. Failing to tell them is logged, not raised: their message
    /// is stored either way.
    pub async fn tell_too_large(
        &self,
        conversation: Option<model::ConversationId>,
        channel: ChannelKind,
        names: &[String],
        limit: u64,
    ) {
        let Some(id) = conversation else { return };
        let locale = match self.store().conversation(id).await {
            Ok(Some(c)) => c.locale.unwrap_or_default(),
            _ => String::new(),
        };
        // The names are the customer's text: a recovery phrase typed as one is not stored here either.
        let names: Vec<String> = names.iter().map(|n| safety::redact(&storable::clean(n)).text).collect();
        let body = self.localizer().text(
            &locale,
            "attachment-too-large",
            &[("files", &names.join(", ")), ("limit", &format!("{} MB", limit / (1024 * 1024)))],
        );
        let post = Post::new(id, model::Author::System, None, body, post::PostKind::Reply { channel: Some(channel) });
        if let Err(error) = self.post(post).await {
            tracing::warn!(%error, "could not tell the customer a file was too large");
        }
    }

    pub async fn post(&self, post: Post) -> Result<Message> {
        let prepared = self.prepare_post(post).await?;
        let (tx, rx) = oneshot::channel();
        self.send(WriteOp::Post(Box::new(prepared), tx)).await?;
        rx.await.map_err(|_| CoreError::ShuttingDown)?
    }

    /// Checks a post (the guard against asking for secrets, its size) and keeps its files.
    async fn prepare_post(&self, mut post: Post) -> Result<ingest::PreparedPost> {
        storable::clean_in_place(&mut post.body);
        if post.body.trim().is_empty() && post.attachments.is_empty() {
            return Err(CoreError::Invalid("body is empty".into()));
        }
        if matches!(post.kind, PostKind::Reply { .. }) && safety::guard::asks_for_secret(&post.body) {
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
            let stored = self.inner.attachments.put(&a.filename, &a.content_type, &a.bytes).await?;
            outbound.push(OutboundAttachment {
                filename: stored.filename.clone(),
                content_type: stored.content_type.clone(),
                path: self.inner.attachments.path_of(&stored.storage_key).expect("a key the store just made"),
            });
            attachments.push(stored);
        }
        Ok(ingest::PreparedPost { post, attachments, outbound })
    }

    /// Changes a conversation's status, assignee, priority or tags.
    pub async fn update_conversation(&self, update: ConversationUpdate) -> Result<()> {
        check_update(&update)?;
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
                Change::Ingest(inbound) => match screen(inbound) {
                    Ok(screened) => self.keep_files(screened).await.map(|(prepared, origin)| {
                        let (tx, rx) = oneshot::channel();
                        (WriteOp::Ingest(Box::new(prepared), tx), Waiting::Ingest(rx, origin))
                    }),
                    Err(error) => Err(error),
                },
                Change::Post(post) => self.prepare_post(post).await.map(|prepared| {
                    let (tx, rx) = oneshot::channel();
                    (WriteOp::Post(Box::new(prepared), tx), Waiting::Post(rx))
                }),
                Change::Update(update) => check_update(&update).map(|()| {
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
        if body.len() > MAX_BODY_BYTES || body.trim().is_empty() {
            return Err(CoreError::Invalid("an edit must have text, at most the message limit".into()));
        }
        let scan = safety::scan(&storable::clean(body));
        let edit = ingest::agent_ops::Edit {
            channel,
            external_id: external_id.to_owned(),
            body: scan.redacted,
            redactions: scan.findings.len() as i64,
        };
        let (tx, rx) = oneshot::channel();
        self.send(WriteOp::Edit(Box::new(edit), tx)).await?;
        rx.await.map_err(|_| CoreError::ShuttingDown)?
    }

    /// Records an agent's public handle on a channel (what `/verify` confirms).
    pub async fn add_staff_handle(&self, agent_id: AgentId, channel: ChannelKind, handle: &str) -> Result<i64> {
        let handle = &*storable::clean(handle);
        let canonical = safety::staff::canonical(handle);
        if canonical.is_empty() || canonical.chars().count() > 64 || canonical.chars().any(|c| c.is_whitespace()) {
            return Err(CoreError::Invalid("a handle is 1 to 64 characters without spaces".into()));
        }
        let id = self.inner.store.add_staff_handle(agent_id, channel, handle.trim()).await?;
        self.reload_staff().await?;
        Ok(id)
    }

    pub async fn remove_staff_handle(&self, id: i64) -> Result<()> {
        self.inner.store.remove_staff_handle(id).await?;
        self.reload_staff().await
    }

    async fn reload_staff(&self) -> Result<()> {
        let handles = self.inner.store.staff_handles().await?.into_iter().map(|(_, _, h)| h).collect();
        *self.inner.staff.write().expect("staff lock") = Arc::new(handles);
        Ok(())
    }

    pub(crate) async fn send(&self, op: WriteOp) -> Result<()> {
        self.inner.writer.send(op).await.map_err(|_| CoreError::ShuttingDown)
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

fn check_update(update: &ConversationUpdate) -> Result<()> {
    if let Some(tags) = &update.tags
        && (tags.len() > 50 || tags.iter().any(|t| t.trim().is_empty() || t.chars().count() > 50))
    {
        return Err(CoreError::Invalid("tags: at most 50, each 1 to 50 characters".into()));
    }
    Ok(())
}

impl Running {
    pub fn core(&self) -> Core {
        self.core.clone()
    }

    /// Resolves when a core task ended on its own (a panic, a bug): the process cannot go on
    /// without it and should end with a failure so that its supervisor restarts it.
    pub async fn died(&self) -> CoreHealth {
        self.core.inner.tasks.died().await
    }

    /// Drains: sends in flight finish and are recorded, queued writes are committed, then the
    /// tasks exit. Messages still pending stay in the outbox for the next start.
    pub async fn shutdown(self) {
        self.core.inner.tasks.stopping();
        self.stop_dispatcher.cancel();
        if let Err(error) = self.dispatcher.await {
            tracing::error!(%error, "dispatcher task ended abnormally");
        }
        self.stop_writer.cancel();
        if let Err(error) = self.writer.await {
            tracing::error!(%error, "writer task ended abnormally");
        }
    }
}
