//! Receiving: the thin I/O shell around `normalize`. IDLE when the server offers it, polling
//! otherwise; the mailbox's UIDVALIDITY and last UID are checkpointed in the store only after
//! every mail up to it is durable, so a restart or a dropped connection neither misses mail
//! (what arrived while down is fetched on start) nor duplicates it (redelivery is deduplicated
//! by Message-ID in the core).

use crate::inbound::{Normalized, Rules, normalize};
use crate::settings::{Security, Settings};
use futures_util::TryStreamExt;
use std::time::Duration;
use switchboard_core::Core;
use switchboard_core::channel::Health;
use switchboard_core::error::CoreError;
use switchboard_core::store::leases::Lease;

use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_util::sync::CancellationToken;

type Session = async_imap::Session<TlsStream<TcpStream>>;

/// Mails fetched per request: bounded memory with 1,000 mails waiting at start.
const FETCH_CHUNK: usize = 50;
/// Without IDLE, how often the mailbox is checked.
const POLL_INTERVAL: Duration = Duration::from_secs(10);
/// IDLE is renewed before servers' 30-minute inactivity limit (RFC 2177).
const IDLE_RENEW: Duration = Duration::from_secs(25 * 60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    #[error("connecting to {0}: {1}")]
    Connect(String, std::io::Error),
    #[error("TLS with {0}: {1}")]
    Tls(String, std::io::Error),
    #[error("IMAP: {0}")]
    Imap(#[from] async_imap::error::Error),
    #[error("the server does not offer STARTTLS; refusing to send the password in clear")]
    NoStartTls,
    #[error("store: {0}")]
    Store(#[from] CoreError),
    #[error("timed out")]
    Timeout,
    #[error("another instance reads this mailbox now")]
    Deposed,
}

/// Where a mailbox stands (its UIDVALIDITY and last UID), written under the lease of the one
/// instance that reads it.
struct Checkpoint {
    name: String,
    lease: Lease,
}

impl Checkpoint {
    async fn save(&self, core: &Core, validity: u32, last: u32) -> Result<(), ReceiveError> {
        match core.store().set_cursor_fenced(&self.name, &format!("{validity}:{last}"), &self.lease).await? {
            true => Ok(()),
            false => Err(ReceiveError::Deposed),
        }
    }
}

/// The name of a mailbox's checkpoint.
fn mailbox_key(settings: &Settings) -> String {
    format!("email:{}@{}:{}/{}", settings.imap.user, settings.imap.host, settings.imap.port, settings.mailbox)
}

/// Receives until `stop`, on whichever instance holds the mailbox's role (IMAP has no notion of
/// several readers sharing a position): the others stand by.
pub async fn receive(settings: Settings, rules: Rules, core: Core, health: Health, stop: CancellationToken) {
    // Named by the folder alone: `/healthz` lists roles, and the login is nobody's business.
    let role = format!("imap:{}", settings.mailbox);
    health.stand_by(true);
    core.lead(&role, stop, |held| {
        let checkpoint = Checkpoint { name: mailbox_key(&settings), lease: held.lease };
        health.stand_by(false);
        let receiving =
            receive_while_held(settings.clone(), rules.clone(), core.clone(), health.clone(), checkpoint, held.lost);
        let health = health.clone();
        async move {
            receiving.await;
            health.stand_by(true);
        }
    })
    .await;
}

/// While the role holds: connects, catches up, waits for new mail; reconnects with backoff.
async fn receive_while_held(
    settings: Settings,
    rules: Rules,
    core: Core,
    health: Health,
    checkpoint: Checkpoint,
    stop: CancellationToken,
) {
    let mut failures: u32 = 0;
    loop {
        let result = session(&settings, &rules, &core, &health, &mut failures, &checkpoint, &stop).await;
        health.set(false);
        match result {
            Ok(()) => return,
            Err(ReceiveError::Deposed) => {
                tracing::warn!(mailbox = settings.mailbox, "another instance reads this mailbox now; stopping");
                return;
            }
            Err(error) => {
                failures += 1;
                let pause = Duration::from_millis((500u64 << failures.min(6)).min(30_000));
                tracing::warn!(%error, ?pause, "mailbox connection lost; reconnecting");
                tokio::select! {
                    () = tokio::time::sleep(pause) => {}
                    () = stop.cancelled() => return,
                }
            }
        }
    }
}

async fn session(
    settings: &Settings,
    rules: &Rules,
    core: &Core,
    health: &Health,
    failures: &mut u32,
    checkpoint: &Checkpoint,
    stop: &CancellationToken,
) -> Result<(), ReceiveError> {
    let mut session =
        tokio::time::timeout(CONNECT_TIMEOUT, connect(settings)).await.map_err(|_| ReceiveError::Timeout)??;
    let mailbox = session.select(&settings.mailbox).await?;
    let validity = mailbox.uid_validity.unwrap_or(0);
    let idle = session.capabilities().await?.has_str("IDLE");
    // A changed UIDVALIDITY renumbers the mailbox: start over (Message-IDs dedupe).
    let mut last = match core.store().cursor(&checkpoint.name).await? {
        Some(value) => match value.split_once(':') {
            Some((v, uid)) if v == validity.to_string() => uid.parse().unwrap_or(0),
            _ => 0,
        },
        None => 0,
    };
    health.set(true);
    *failures = 0;
    tracing::info!(mailbox = settings.mailbox, idle, last, "mailbox connected");
    loop {
        last = catch_up(&mut session, rules, core, checkpoint, validity, last, stop).await?;
        if stop.is_cancelled() {
            let _ = session.logout().await;
            return Ok(());
        }
        if idle {
            let mut handle = session.idle();
            handle.init().await?;
            let (wait, _interrupt) = handle.wait_with_timeout(IDLE_RENEW);
            tokio::select! {
                response = wait => { response?; }
                () = stop.cancelled() => return Ok(()),
            }
            session = handle.done().await?;
        } else {
            tokio::select! {
                () = tokio::time::sleep(POLL_INTERVAL) => {}
                () = stop.cancelled() => return Ok(()),
            }
            session.noop().await?;
        }
    }
}

/// Ingests every mail above `last`, in UID order, checkpointing after each chunk; returns the
/// new last UID.
async fn catch_up(
    session: &mut Session,
    rules: &Rules,
    core: &Core,
    checkpoint: &Checkpoint,
    validity: u32,
    mut last: u32,
    stop: &CancellationToken,
) -> Result<u32, ReceiveError> {
    let mut uids: Vec<u32> =
        session.uid_search(format!("UID {}:*", last + 1)).await?.into_iter().filter(|u| *u > last).collect();
    uids.sort_unstable();
    for chunk in uids.chunks(FETCH_CHUNK) {
        let set: Vec<String> = chunk.iter().map(u32::to_string).collect();
        let fetched: Vec<_> = session.uid_fetch(set.join(","), "(UID BODY.PEEK[])").await?.try_collect().await?;
        let mut mails: Vec<(u32, Normalized)> =
            fetched.iter().filter_map(|f| Some((f.uid?, normalize(f.body().unwrap_or_default(), rules)))).collect();
        mails.sort_by_key(|(uid, _)| *uid);
        // One queue per sender, in mailbox order (a customer's mails, and the replies to them,
        // keep their order); senders proceed together so the writer commits them as one.
        let mut by_sender: Vec<(String, Vec<(u32, Normalized)>)> = Vec::new();
        for (uid, mail) in mails {
            last = last.max(uid);
            let sender = mail.inbound.sender.external_id.clone();
            match by_sender.iter_mut().find(|(s, _)| *s == sender) {
                Some((_, queue)) => queue.push((uid, mail)),
                None => by_sender.push((sender, vec![(uid, mail)])),
            }
        }
        let queues = by_sender.into_iter().map(|(_, queue)| async move {
            for (uid, mail) in queue {
                ingest(core, mail, uid).await?;
            }
            Ok::<(), ReceiveError>(())
        });
        for result in futures_util::future::join_all(queues).await {
            result?;
        }
        // Every mail up to `last` is durable: only now may the mailbox position move.
        checkpoint.save(core, validity, last).await?;
        if stop.is_cancelled() {
            break;
        }
    }
    Ok(last)
}

async fn ingest(core: &Core, normalized: Normalized, uid: u32) -> Result<(), ReceiveError> {
    metrics::counter!("switchboard_email_received_total").increment(1);
    match core.ingest(normalized.inbound).await {
        Ok(_) => Ok(()),
        // Refused for good (empty, too long; or kept as a stand-in by the core): skipping it must
        // not block the mailbox. Only what may succeed later is tried again.
        Err(error) if !error.is_transient() => {
            tracing::warn!(uid, %error, "mail refused");
            Ok(())
        }
        Err(error) => Err(error.into()),
    }
}

async fn connect(settings: &Settings) -> Result<Session, ReceiveError> {
    let endpoint = &settings.imap;
    let address = format!("{}:{}", endpoint.host, endpoint.port);
    let tcp = TcpStream::connect(&address).await.map_err(|e| ReceiveError::Connect(address.clone(), e))?;
    let config = settings.tls_client();
    let tls = match endpoint.security {
        Security::Implicit => {
            crate::tls::connect(config, &endpoint.host, tcp).await.map_err(|e| ReceiveError::Tls(address.clone(), e))?
        }
        Security::StartTls | Security::Opportunistic => {
            let mut plain = async_imap::Client::new(tcp);
            plain.read_response().await.map_err(|e| ReceiveError::Connect(address.clone(), e))?;
            plain.run_command_and_check_ok("STARTTLS", None).await.map_err(|_| ReceiveError::NoStartTls)?;
            let tcp = plain.into_inner();
            crate::tls::connect(config, &endpoint.host, tcp).await.map_err(|e| ReceiveError::Tls(address.clone(), e))?
        }
    };
    let mut client = async_imap::Client::new(tls);
    if endpoint.security == Security::Implicit {
        client.read_response().await.map_err(|e| ReceiveError::Connect(address.clone(), e))?;
    }
    client.login(&endpoint.user, &endpoint.password).await.map_err(|(error, _)| error.into())
}
