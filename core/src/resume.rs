//! How far a multi-part send got. A reply that goes out as several platform messages (a long
//! text split, then its files) and fails midway is resumed by its retry where it stopped, so no
//! part is sent twice. Keyed by the outbox entry's idempotency key. An entry the dispatcher gave
//! up on, or withdrew, is never finished: it is forgotten a day after its last progress, so the
//! map holds only sends under way.

use crate::channel::SendError;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Longer than any retry schedule (`RetryPolicy` gives up within hours).
const KEEP: Duration = Duration::from_secs(24 * 3600);

/// Per send: the parts done, what the first part gave (say, its platform id), and when.
pub struct SendProgress<T> {
    sends: Mutex<HashMap<String, (usize, T, Instant)>>,
}

impl<T: Clone + Default> Default for SendProgress<T> {
    fn default() -> Self {
        SendProgress { sends: Mutex::new(HashMap::new()) }
    }
}

impl<T: Clone + Default> SendProgress<T> {
    /// Where the send of `key` stands: parts already sent (0 for a first attempt) and what the
    /// first part gave.
    pub fn resume(&self, key: &str) -> (usize, T) {
        let sends = self.sends.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        sends.get(key).map(|(done, first, _)| (*done, first.clone())).unwrap_or_default()
    }

    /// `done` parts of `key` are sent; a retry starts after them.
    pub fn record(&self, key: &str, done: usize, first: T) {
        let now = Instant::now();
        let mut sends = self.sends.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        sends.retain(|_, (_, _, at)| now.duration_since(*at) < KEEP);
        sends.insert(key.to_owned(), (done, first, now));
    }

    /// The send of `key` is over — delivered, or failed for a reason a retry would not change.
    pub fn finish(&self, key: &str) {
        self.sends.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(key);
    }

    /// Sends the parts of the message `key` in order, from where an earlier attempt stopped:
    /// `send` sends one part and answers what it gave, and what the first part gave is the
    /// answer. A part that fails with a 429 or a transient error leaves the parts before it
    /// recorded, for the retry; any other failure ends the send.
    pub async fn send_parts<P, F, Fut>(
        &self,
        key: &str,
        parts: impl IntoIterator<Item = P>,
        mut send: F,
    ) -> Result<T, SendError>
    where
        F: FnMut(P) -> Fut,
        Fut: std::future::Future<Output = Result<T, SendError>>,
    {
        let (done, mut first) = self.resume(key);
        for (i, part) in parts.into_iter().enumerate().skip(done) {
            match send(part).await {
                Ok(gave) => {
                    if i == 0 {
                        first = gave;
                    }
                    self.record(key, i + 1, first.clone());
                }
                Err(error) => {
                    if !matches!(error, SendError::RetryAfter(_) | SendError::Transient(_)) {
                        self.finish(key);
                    }
                    return Err(error);
                }
            }
        }
        self.finish(key);
        Ok(first)
    }

    /// Sends under way (or given up less than a day ago).
    pub fn len(&self) -> usize {
        self.sends.lock().unwrap_or_else(std::sync::PoisonError::into_inner).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retry_resumes_after_the_parts_sent_and_a_finished_send_is_forgotten() {
        let progress: SendProgress<Option<String>> = SendProgress::default();
        assert_eq!(progress.resume("k1"), (0, None));
        progress.record("k1", 2, Some("42:7".into()));
        assert_eq!(progress.resume("k1"), (2, Some("42:7".into())));
        progress.finish("k1");
        assert_eq!(progress.resume("k1"), (0, None));
        assert!(progress.is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn a_send_given_up_midway_is_forgotten_after_a_day() {
        let progress: SendProgress<String> = SendProgress::default();
        progress.record("given-up", 1, "first".into());
        tokio::time::advance(KEEP + Duration::from_secs(1)).await;
        progress.record("current", 1, "first".into());
        assert_eq!(progress.len(), 1, "the abandoned send is gone");
        assert_eq!(progress.resume("given-up"), (0, String::new()));
    }
}
