//! Roles one instance at a time may hold, through lease rows with a time to live: the Telegram
//! poller (Telegram answers 409 to a second `getUpdates`), the Discord gateway session, each
//! IMAP mailbox, the timers, each channel's outbox. An instance runs a role's work while its
//! lease holds, renews it at a third of its life, and stops the work the moment a renewal
//! fails or finds it taken: a paused instance that wakes up deposed stops before it acts, and
//! what it still tries to record is refused by the epoch (`Store::set_cursor_fenced`, the
//! outbox's claims). The others try again every fifth of the lease's life, so a dead holder's
//! role moves within `ttl + ttl / 5`. Nothing is session-scoped: it works behind a pooler.

use crate::Core;
use crate::store::leases::Lease;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// A role this instance holds, handed to the work it runs.
#[derive(Debug, Clone)]
pub struct Held {
    pub lease: Lease,
    /// Cancelled when the role is lost (or the instance stops): the work must end.
    pub lost: CancellationToken,
}

/// The roles this instance holds now, with their epochs (for `/healthz`).
#[derive(Clone, Default)]
pub(crate) struct Roles(Arc<Mutex<BTreeMap<String, i64>>>);

impl Roles {
    fn set(&self, role: &str, epoch: Option<i64>) {
        let mut roles = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match epoch {
            Some(epoch) => roles.insert(role.to_owned(), epoch),
            None => roles.remove(role),
        };
        metrics::gauge!("switchboard_roles_held").set(roles.len() as f64);
    }

    pub fn names(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).keys().cloned().collect()
    }
}

impl Core {
    /// Runs `work` whenever this instance holds `role`, until `stop`. `work` gets the lease
    /// and must return once `Held::lost` is cancelled; when it returns on its own the role is
    /// given up (and taken again at the next try, by whichever instance comes first).
    pub async fn lead<F, Fut>(&self, role: &str, stop: CancellationToken, mut work: F)
    where
        F: FnMut(Held) -> Fut,
        Fut: Future<Output = ()>,
    {
        let ttl = self.inner.lease_ttl;
        let store = self.store();
        let mut logged_waiting = false;
        while !stop.is_cancelled() {
            let epoch = match store.take_lease(role, self.instance(), ttl).await {
                Ok(epoch) => epoch,
                Err(error) => {
                    tracing::warn!(role, %error, "could not ask for a role; trying again");
                    None
                }
            };
            let Some(epoch) = epoch else {
                if !logged_waiting {
                    tracing::info!(role, "another instance holds this role; standing by");
                    logged_waiting = true;
                }
                pause(&stop, ttl / 5).await;
                continue;
            };
            logged_waiting = false;
            let lease = Lease { role: role.to_owned(), holder: self.instance().to_owned(), epoch };
            tracing::info!(role, epoch, "role taken");
            metrics::counter!("switchboard_roles_taken_total").increment(1);
            self.inner.roles.set(role, Some(epoch));
            let lost = stop.child_token();
            let renewing = renew(self.clone(), lease.clone(), lost.clone());
            let working = async {
                work(Held { lease: lease.clone(), lost: lost.clone() }).await;
                lost.cancel();
            };
            tokio::join!(renewing, working);
            self.inner.roles.set(role, None);
            if stop.is_cancelled() {
                // Handed on at once rather than after the lease lapses.
                if let Err(error) = store.release_lease(&lease).await {
                    tracing::warn!(role, %error, "could not give a role up; it lapses on its own");
                }
                return;
            }
            tracing::warn!(role, epoch, "role lost");
            pause(&stop, ttl / 5).await;
        }
    }

    /// The roles this instance holds now.
    pub fn roles(&self) -> Vec<String> {
        self.inner.roles.names()
    }
}

/// Renews `lease` until `lost`; cancels `lost` when the lease was taken over, or when no
/// renewal got through for two thirds of its life (it may have lapsed: better to stop than to
/// act beside a new holder).
async fn renew(core: Core, lease: Lease, lost: CancellationToken) {
    let ttl = core.inner.lease_ttl;
    let mut last_renewed = Instant::now();
    loop {
        pause(&lost, ttl / 3).await;
        if lost.is_cancelled() {
            return;
        }
        match core.store().renew_lease(&lease, ttl).await {
            Ok(true) => last_renewed = Instant::now(),
            Ok(false) => {
                tracing::warn!(role = lease.role, "the role was taken over");
                lost.cancel();
            }
            Err(error) if last_renewed.elapsed() >= ttl * 2 / 3 => {
                tracing::warn!(role = lease.role, %error, "the role could not be renewed in time; stopping it");
                lost.cancel();
            }
            Err(error) => tracing::warn!(role = lease.role, %error, "renewing a role failed; trying again"),
        }
    }
}

async fn pause(stop: &CancellationToken, pause: Duration) {
    tokio::select! {
        () = tokio::time::sleep(pause) => {}
        () = stop.cancelled() => {}
    }
}
