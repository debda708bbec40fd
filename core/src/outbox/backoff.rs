//! Retry policy for transient send failures: exponential backoff with jitter.

use rand::Rng;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    pub base: Duration,
    pub max: Duration,
    /// Transient failures after which a message is marked failed.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { base: Duration::from_secs(1), max: Duration::from_secs(300), max_attempts: 12 }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempts + 1`: base·2^(attempts-1), capped, scaled by a random
    /// factor in [0.5, 1] so that many failed sends do not retry in lockstep.
    pub fn delay(&self, attempts: u32) -> Duration {
        let exp = self.base.saturating_mul(1u32 << attempts.saturating_sub(1).min(20));
        let capped = exp.min(self.max);
        capped.mul_f64(rand::rng().random_range(0.5..=1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_stay_capped() {
        let p = RetryPolicy::default();
        for attempts in 1..30 {
            let d = p.delay(attempts);
            let ceiling = p.base.saturating_mul(1 << (attempts - 1).min(20)).min(p.max);
            assert!(d <= ceiling && d >= ceiling / 2, "attempt {attempts}: {d:?}");
        }
    }
}
