//! switchboard-core: the conversation core. Platform SDKs and HTTP frameworks never enter it;
//! adapters reach it through [`Core`] and it reaches them through [`channel::Channel`].

pub mod announcements;
pub mod attachments;
mod changes;
pub mod channel;
pub mod clock;
pub mod commands;
pub mod complaints;
pub mod config;
pub mod desk;
pub mod error;
pub mod events;
mod fanout;
pub mod figures;
pub mod gaps;
pub mod hours;
mod idle;
pub mod incidents;
pub mod ingest;
pub mod l10n;
pub mod lease;
pub mod limits;
pub mod links;
pub mod markdown;
pub mod model;
pub mod observe;
pub mod outbox;
mod plan;
pub mod post;
mod prepare;
pub mod privacy;
pub mod resume;
mod roster;
pub mod search;
pub mod settings;
pub mod storable;
pub mod store;
pub mod stub;
pub mod surveys;
pub(crate) mod tasks;
mod write;

/// Crypto safety (`switchboard-safety`), as core runs it on every text.
pub use switchboard_safety as safety;

pub use changes::{Change, Changed};
pub use config::CoreConfig;

pub use tasks::CoreHealth;

use crate::attachments::AttachmentStore;
use crate::channel::Channels;
use crate::error::{CoreError, Result};
use crate::events::EventBus;
use crate::l10n::Localizer;
use crate::outbox::Dispatcher;
use crate::roster::StaffCache;
use crate::store::Store;
use crate::write::{WriteOp, Writer};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

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
    /// How long after its opening a complaint is due.
    complaint_due: Duration,
    /// This process among the instances sharing the database.
    instance: String,
    lease_ttl: Duration,
    roles: lease::Roles,
}

/// The core's background tasks; [`Running::shutdown`] drains them.
pub struct Running {
    core: Core,
    stop_dispatcher: CancellationToken,
    stop_writer: CancellationToken,
    dispatcher: JoinHandle<()>,
    writer: JoinHandle<()>,
    /// The exchange of events with other instances (PostgreSQL only).
    stop_fanout: CancellationToken,
    fanout: Vec<JoinHandle<()>>,
    /// The roles that send each channel's outbox (`outbox::claims`).
    stop_claims: CancellationToken,
    claiming: Vec<JoinHandle<()>>,
}

impl Core {
    /// Starts the writer and the dispatcher (which resumes every pending outbox entry).
    pub async fn start(store: Store, config: CoreConfig, channels: Channels) -> Result<Running> {
        let localizer = Localizer::embedded();
        let events = EventBus::new();
        // The detector's tables take a moment to build: before the first message, not during it.
        tokio::task::spawn_blocking(safety::warm_up);
        let staff = roster::load(&store).await?;
        let (write_tx, write_rx) = mpsc::channel(8192);
        let (report_tx, report_rx) = mpsc::channel(8192);
        let (dispatch_tx, dispatch_rx) = mpsc::unbounded_channel();
        let attachments = AttachmentStore::new(&config.data_dir);
        // On PostgreSQL other instances may store replies too: every entry is claimed from the
        // table by its channel's owner (see `outbox::claims`).
        let several = store.backend() == store::Backend::Postgres;
        let wakes = several.then(|| Arc::new(outbox::claims::Wakes::new(channels.kinds())));
        let handoff = outbox::Handoff { send: dispatch_tx, claims: Default::default(), wakes };

        let tasks = tasks::Tasks::default();
        let stop_writer = CancellationToken::new();
        let writer = Writer::new(
            store.clone(),
            localizer.clone(),
            events.clone(),
            crate::plan::Rules {
                reopen_window_ms: config.reopen_window.as_millis() as i64,
                csat_delay_ms: config.csat_delay.map(|delay| delay.as_millis() as i64),
                complaint_due_ms: config.complaint_due.as_millis() as i64,
            },
            handoff.clone(),
            staff.clone(),
            tasks.clone(),
        );
        let writer =
            tokio::spawn(tasks.watch(tasks::Task::Writer, writer.run(write_rx, report_rx, stop_writer.clone())));

        let stop_dispatcher = CancellationToken::new();
        let dispatcher =
            Dispatcher::new(channels.clone(), config.dispatcher.clone(), report_tx, handoff.claims.clone());
        let dispatcher = dispatcher.run(dispatch_rx, stop_dispatcher.clone());
        let dispatcher = tokio::spawn(tasks.watch(tasks::Task::Dispatcher, dispatcher));

        let instance = config.instance.clone();
        let stop_fanout = CancellationToken::new();
        let fanout = fanout::start(&store, &instance, &events, &stop_fanout).await;

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
            complaint_due: config.complaint_due,
            instance,
            lease_ttl: config.lease_ttl,
            roles: lease::Roles::default(),
        };
        let core = Core { inner: Arc::new(inner) };
        let stop_claims = CancellationToken::new();
        let claiming = core
            .inner
            .channels
            .kinds()
            .map(|channel| {
                let stored = handoff.wakes.as_ref().and_then(|wakes| wakes.of(channel));
                tokio::spawn(core.clone().claim(channel, handoff.send.clone(), stored, stop_claims.clone()))
            })
            .collect();
        Ok(Running {
            core,
            stop_dispatcher,
            stop_writer,
            dispatcher,
            writer,
            stop_fanout,
            fanout,
            stop_claims,
            claiming,
        })
    }

    /// Sends `channel`'s outbox whenever this instance holds its role, until `stop`.
    async fn claim(
        self,
        channel: model::ChannelKind,
        dispatch: mpsc::UnboundedSender<outbox::Dispatch>,
        stored: Option<Arc<tokio::sync::Notify>>,
        stop: CancellationToken,
    ) {
        let role = outbox::claims::role(channel);
        self.lead(&role, stop, |held| {
            outbox::claims::keep_claiming(self.clone(), channel, held, dispatch.clone(), stored.clone())
        })
        .await;
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// This process's name among the instances sharing the database (`CoreConfig::instance`).
    pub fn instance(&self) -> &str {
        &self.inner.instance
    }

    /// Whether the writer and the dispatcher are running: without either, nothing is stored or
    /// nothing is sent, and the process must not pass for healthy.
    pub fn health(&self) -> CoreHealth {
        self.inner.tasks.health()
    }

    /// Each channel's connection state, where it has one (`/healthz`).
    pub fn channel_health(&self) -> Vec<(model::ChannelKind, channel::ChannelState)> {
        self.inner.channels.health()
    }

    pub fn localizer(&self) -> &Localizer {
        &self.inner.localizer
    }

    /// How soon people usually answer, in `locale`'s words ("2 hours", "30 分钟"): the one
    /// promise the chat page and the bot's hand-off both make.
    pub fn response_time(&self, locale: &str) -> String {
        l10n::duration_words(&self.inner.localizer, locale, self.inner.response_time)
    }

    /// How long after its opening a complaint is due (`SWITCHBOARD_COMPLAINT_DUE`).
    pub fn complaint_due(&self) -> Duration {
        self.inner.complaint_due
    }

    pub fn events(&self) -> &EventBus {
        &self.inner.events
    }

    pub fn attachments(&self) -> &AttachmentStore {
        &self.inner.attachments
    }

    pub(crate) async fn send(&self, op: WriteOp) -> Result<()> {
        self.inner.writer.send(op).await.map_err(|_| CoreError::ShuttingDown)
    }
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

    /// Stops every task at once, as a crash would: nothing drains, no role is given up (each
    /// lapses with its lease), what was pending stays in the outbox for whoever comes next.
    pub fn abort(self) {
        self.core.inner.tasks.stopping();
        let tasks = [self.dispatcher, self.writer].into_iter().chain(self.fanout).chain(self.claiming);
        tasks.for_each(|task| task.abort());
    }

    /// Drains: sends in flight finish and are recorded, queued writes are committed, then the
    /// tasks exit. Messages still pending stay in the outbox for the next start.
    pub async fn shutdown(self) {
        self.core.inner.tasks.stopping();
        self.stop_dispatcher.cancel();
        if let Err(error) = self.dispatcher.await {
            tracing::error!(%error, "dispatcher task ended abnormally");
        }
        // The roles are given up once nothing more is sent here: their next holders begin at once.
        self.stop_claims.cancel();
        for task in self.claiming {
            let _ = task.await;
        }
        self.stop_writer.cancel();
        if let Err(error) = self.writer.await {
            tracing::error!(%error, "writer task ended abnormally");
        }
        // After the writer: the events of its last commits still go out.
        self.stop_fanout.cancel();
        for task in self.fanout {
            let _ = task.await;
        }
    }
}
