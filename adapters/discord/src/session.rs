//! The one gateway session of a deployment: instances sharing a database run it on the holder
//! of the role `discord:gateway` (two sessions would each receive, and store, every event),
//! and another instance connects within a lease's life when the holder dies.

use crate::DiscordChannel;
use crate::gateway::{StartError, connect};
use std::time::Duration;
use switchboard_core::Core;
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;

pub const GATEWAY_ROLE: &str = "discord:gateway";

/// Longer than a session takes to be READY (or refused).
const FIRST_SESSION: Duration = Duration::from_secs(40);

/// After a session ended in a refusal, the next try waits this long.
const AFTER_REFUSAL: Duration = Duration::from_secs(10);

/// Runs the gateway session whenever this instance holds the role, until `stop`. When no other
/// instance holds the role, the first session's outcome is awaited: a refusal that makes
/// running pointless (a wrong token, the Message Content intent not enabled) is returned, so a
/// misconfigured start fails loudly. Standing by, it returns at once.
pub async fn run(
    channel: DiscordChannel,
    core: Core,
    stop: CancellationToken,
) -> Result<tokio::task::JoinHandle<()>, StartError> {
    let held_elsewhere = core
        .store()
        .leases()
        .await
        .map(|leases| leases.iter().any(|l| l.role == GATEWAY_ROLE && l.holder != core.instance()))
        .unwrap_or(false);
    let (first_tx, first_rx) = oneshot::channel();
    let mut first_tx = Some(first_tx);
    channel.inner.health.stand_by(true);
    let task = tokio::spawn(async move {
        core.lead(GATEWAY_ROLE, stop, |held| {
            let first = first_tx.take();
            let (channel, core) = (channel.clone(), core.clone());
            channel.inner.health.stand_by(false);
            async move {
                let health = channel.inner.health.clone();
                match connect(channel, core, held.lost.clone()).await {
                    Ok(gateway) => {
                        if let Some(first) = first {
                            let _ = first.send(Ok(()));
                        }
                        let _ = gateway.await;
                    }
                    Err(error) => {
                        tracing::error!(%error, "Discord gateway did not start");
                        match first {
                            Some(first) => drop(first.send(Err(error))),
                            None => {
                                tokio::select! {
                                    () = tokio::time::sleep(AFTER_REFUSAL) => {}
                                    () = held.lost.cancelled() => {}
                                }
                            }
                        }
                    }
                }
                health.stand_by(true);
            }
        })
        .await;
    });
    if held_elsewhere {
        tracing::info!("another instance holds the Discord gateway session; standing by");
        return Ok(task);
    }
    // Bounded: an instance that started at the same moment may have taken the role first.
    match tokio::time::timeout(FIRST_SESSION, first_rx).await {
        Ok(Ok(Err(error))) => {
            task.abort();
            Err(error)
        }
        _ => Ok(task),
    }
}
