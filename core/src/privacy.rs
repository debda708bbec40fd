//! Personal data deleted for good: a contact's erasure on request (a privacy request) and the
//! retention period's sweep. The rows go in the writer, in a transaction of their own
//! (`store::erasure`); the files go after the commit, each only when no stored message still
//! refers to it (files are kept once per content). Like the idle sweep, the retention sweep
//! takes the time it runs at, so a test runs it at any hour.

use crate::Core;
use crate::error::{CoreError, Result};
use crate::model::{AgentId, ContactId, Millis};
use crate::store::Erased;
use crate::write::{Erasure, WriteOp};
use std::time::Duration;
use tokio::sync::oneshot;

impl Core {
    /// Erases a contact with every conversation, message, attachment, identity and session of
    /// theirs (and of contacts merged into them), leaving an audit entry that names no one.
    /// `None`: no such contact.
    pub async fn erase_contact(&self, id: ContactId, by: Option<AgentId>) -> Result<Option<Erased>> {
        self.erase(Erasure::Contact { id, by }).await
    }

    /// Deletes messages older than `retention` at `now` (with their attachments), and the
    /// conversations they leave empty. Replies still waiting to be sent are kept.
    pub async fn delete_past_retention(&self, retention: Duration, now: Millis) -> Result<Erased> {
        let cutoff = now - retention.as_millis() as i64;
        Ok(self.erase(Erasure::OlderThan(cutoff)).await?.unwrap_or_default())
    }

    async fn erase(&self, erasure: Erasure) -> Result<Option<Erased>> {
        let (reply, answer) = oneshot::channel();
        self.send(WriteOp::Erase(erasure, reply)).await?;
        let erased = answer.await.map_err(|_| CoreError::ShuttingDown)??;
        if let Some(erased) = &erased {
            self.remove_unreferenced(&erased.storage_keys).await;
            let kind = match erasure {
                Erasure::Contact { .. } => "contact",
                Erasure::OlderThan(_) => "retention",
            };
            if kind == "contact" || erased.messages > 0 || erased.conversations > 0 {
                tracing::info!(
                    kind,
                    conversations = erased.conversations,
                    messages = erased.messages,
                    attachments = erased.attachments,
                    "personal data deleted"
                );
                metrics::counter!("switchboard_erasures_total", "kind" => kind).increment(1);
            }
        }
        Ok(erased)
    }

    /// Removes the files no stored attachment refers to any more. A file that cannot be removed
    /// is logged and left: its rows are gone, nothing serves it.
    async fn remove_unreferenced(&self, keys: &[String]) {
        let mut keys: Vec<&String> = keys.iter().collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            match self.store().attachment_in_use(key).await {
                Ok(false) => {}
                Ok(true) => continue,
                Err(error) => {
                    tracing::warn!(%error, "an erased file was kept: whether it is still in use is unknown");
                    continue;
                }
            }
            let Some(path) = self.attachments().path_of(key) else { continue };
            if let Err(error) = tokio::fs::remove_file(&path).await
                && error.kind() != std::io::ErrorKind::NotFound
            {
                tracing::warn!(%error, path = %path.display(), "an erased file could not be removed");
            }
        }
    }
}

/// Deletes what is past `retention`, now and every `sweep_interval` until `stop`. A failed
/// sweep is logged and tried again at the next turn.
pub async fn sweep(core: Core, retention: Duration, stop: tokio_util::sync::CancellationToken) {
    let failed = "the retention sweep failed; it runs again later";
    crate::clock::every(sweep_interval(retention), stop, failed, || async {
        core.delete_past_retention(retention, crate::clock::now_ms()).await.map(drop)
    })
    .await;
}

/// How often the retention sweep runs: often enough that nothing outlives the period by much,
/// never more than once a second or less than once an hour.
pub fn sweep_interval(retention: Duration) -> Duration {
    (retention / 24).clamp(Duration::from_secs(1), Duration::from_secs(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sweep_runs_hourly_for_long_periods_and_often_for_short_ones() {
        assert_eq!(sweep_interval(Duration::from_secs(90 * 86400)), Duration::from_secs(3600));
        assert_eq!(sweep_interval(Duration::from_secs(48)), Duration::from_secs(2));
        assert_eq!(sweep_interval(Duration::from_secs(2)), Duration::from_secs(1));
    }
}
