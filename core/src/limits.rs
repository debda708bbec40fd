//! Rate limits for public endpoints: one token bucket per key (a client address, a session),
//! refused with the time to wait. Memory stays bounded under a spray of keys: buckets that have
//! refilled completely carry no state worth keeping and are dropped first.

use crate::outbox::{Bucket, Rate};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Above this many keys, full buckets are forgotten (and, if that is not enough, all of them).
const MAX_KEYS: usize = 100_000;

pub struct Limiter {
    rate: Option<Rate>,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Limiter {
    /// `None`: unlimited.
    pub fn new(rate: Option<Rate>) -> Limiter {
        Limiter { rate, buckets: Mutex::new(HashMap::new()) }
    }

    /// Counts one request of `key`: `Err(wait)` when its bucket is empty (nothing is taken then).
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        Self::check_all(&[(self, key)])
    }

    /// Counts one request against several limits at once: taken from all of them, or, when any
    /// is empty, from none (`Err` with the longest wait), so a refusal costs no other limit.
    pub fn check_all(limits: &[(&Limiter, &str)]) -> Result<(), Duration> {
        let now = Instant::now();
        let mut wait = Duration::ZERO;
        for (limiter, key) in limits {
            wait = wait.max(limiter.with_bucket(key, now, |bucket| bucket.wait(now)));
        }
        if !wait.is_zero() {
            return Err(wait);
        }
        for (limiter, key) in limits {
            limiter.with_bucket(key, now, |bucket| bucket.take(now));
        }
        Ok(())
    }

    fn with_bucket<T: Default>(&self, key: &str, now: Instant, use_it: impl FnOnce(&mut Bucket) -> T) -> T {
        let Some(rate) = self.rate else { return T::default() };
        let mut buckets = self.buckets.lock().expect("limiter lock");
        if buckets.len() >= MAX_KEYS && !buckets.contains_key(key) {
            buckets.retain(|_, bucket| !bucket.is_full(now));
            if buckets.len() >= MAX_KEYS {
                buckets.clear();
            }
        }
        use_it(buckets.entry(key.to_owned()).or_insert_with(|| Bucket::new(rate, now)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn each_key_has_its_own_burst_and_the_wait_is_told() {
        let limiter = Limiter::new(Some("3/min".parse().unwrap()));
        for _ in 0..3 {
            assert!(limiter.check("a").is_ok());
        }
        let wait = limiter.check("a").unwrap_err();
        assert!(wait > Duration::from_secs(19) && wait <= Duration::from_secs(20), "{wait:?}");
        assert!(limiter.check("b").is_ok(), "another key is not held back");
        tokio::time::advance(Duration::from_secs(20)).await;
        assert!(limiter.check("a").is_ok(), "one token refilled");
        assert!(Limiter::new(None).check("a").is_ok());
        // A refusal by one limit takes nothing from the other.
        let (wide, narrow) =
            (Limiter::new(Some("5/min".parse().unwrap())), Limiter::new(Some("1/min".parse().unwrap())));
        assert!(Limiter::check_all(&[(&wide, "k"), (&narrow, "k")]).is_ok());
        for _ in 0..3 {
            assert!(Limiter::check_all(&[(&wide, "k"), (&narrow, "k")]).is_err());
        }
        for _ in 0..4 {
            assert!(wide.check("k").is_ok(), "the wide limit kept its tokens");
        }
    }
}
