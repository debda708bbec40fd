//! Shared harness of the core tests: a store on either backend, a running core with a
//! `StubChannel` for web chat, and builders for inbound messages.

#![allow(dead_code)]

pub mod postgres;

use std::sync::Arc;
use std::time::Duration;
use switchboard_core::channel::Channels;
use switchboard_core::ingest::{Inbound, Sender};
use switchboard_core::model::ChannelKind;
use switchboard_core::store::Store;
use switchboard_core::stub::StubChannel;
use switchboard_core::{Core, CoreConfig, Running};

pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestDb {
    pub url: String,
    pub dir: tempfile::TempDir,
}

impl TestDb {
    pub fn new(backend: Backend) -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = match backend {
            Backend::Sqlite => format!("sqlite://{}", dir.path().join("switchboard.db").display()),
            Backend::Postgres => postgres::fresh_database_url(),
        };
        TestDb { url, dir }
    }

    pub fn config(&self) -> CoreConfig {
        CoreConfig { data_dir: self.dir.path().join("data"), ..CoreConfig::default() }
    }
}

pub struct Harness {
    pub store: Store,
    pub running: Running,
    pub stub: Arc<StubChannel>,
}

impl Harness {
    pub async fn start(db: &TestDb) -> Harness {
        Self::start_with(db, db.config(), Arc::new(StubChannel::new(ChannelKind::Webchat))).await
    }

    pub async fn start_with(db: &TestDb, config: CoreConfig, stub: Arc<StubChannel>) -> Harness {
        let store = Store::open(&db.url).await.expect("open store");
        let mut channels = Channels::new();
        channels.register(stub.clone());
        let running = Core::start(store.clone(), config, channels).await.expect("start core");
        Harness { store, running, stub }
    }

    pub fn core(&self) -> Core {
        self.running.core()
    }
}

/// A web-chat message from `who`, with platform id `id`.
pub fn inbound(who: &str, id: &str, body: &str) -> Inbound {
    Inbound {
        channel: ChannelKind::Webchat,
        external_id: id.to_owned(),
        chat: who.to_owned(),
        thread: None,
        sender: Sender { external_id: who.to_owned(), display_name: format!("Customer {who}"), lang_hint: None },
        body: body.to_owned(),
        attachments: Vec::new(),
        too_large: Default::default(),
        threading: Default::default(),
        automated: false,
        choice: None,
    }
}

/// Polls `check` until it holds or five seconds pass.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Runs each named async test function once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(&super::support::TestDb::new(super::support::Backend::Sqlite)).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(&super::support::TestDb::new(super::support::Backend::Postgres)).await
                }
            )+
        }
    };
}
