//! Token buckets for platform rate limits (per destination and per channel).

use crate::error::CoreError;
use std::collections::VecDeque;
use std::str::FromStr;
use std::time::Duration;
use tokio::time::Instant;

/// `count` sends per `per`, with bursts of up to `count`. Written `30/s`, `20/min`, `5/5s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub count: u32,
    pub per: Duration,
}

impl FromStr for Rate {
    type Err = CoreError;
    fn from_str(text: &str) -> Result<Rate, CoreError> {
        let invalid = || CoreError::Invalid(format!("rate {text:?}: expected N/s, N/min, N/h or N/<duration>"));
        let (count, per) = text.trim().split_once('/').ok_or_else(invalid)?;
        let count: u32 = count.trim().parse().map_err(|_| invalid())?;
        let per = match per.trim() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "min" | "m" | "minute" => Duration::from_secs(60),
            "h" | "hour" => Duration::from_secs(3600),
            other => humantime::parse_duration(other).map_err(|_| invalid())?,
        };
        if count == 0 || per.is_zero() {
            return Err(invalid());
        }
        Ok(Rate { count, per })
    }
}

/// The limits of one channel; `None` is unlimited.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Throttle {
    pub per_destination: Option<Rate>,
    /// For destinations the channel calls groups (a Telegram group allows fewer than a chat).
    pub per_group: Option<Rate>,
    pub global: Option<Rate>,
}

/// A token bucket: `rate.count` at once, then `rate.count` per `rate.per`.
#[derive(Debug, Clone)]
pub struct Bucket {
    rate: Rate,
    tokens: f64,
    updated: Instant,
}

impl Bucket {
    pub fn new(rate: Rate, now: Instant) -> Bucket {
        Bucket { rate, tokens: rate.count as f64, updated: now }
    }

    fn refill(&mut self, now: Instant) {
        let per_second = self.rate.count as f64 / self.rate.per.as_secs_f64();
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * per_second).min(self.rate.count as f64);
        self.updated = now;
    }

    /// How long until one token is available (zero when one is).
    pub fn wait(&mut self, now: Instant) -> Duration {
        self.refill(now);
        if self.tokens >= 1.0 {
            Duration::ZERO
        } else {
            let per_second = self.rate.count as f64 / self.rate.per.as_secs_f64();
            Duration::from_secs_f64((1.0 - self.tokens) / per_second)
        }
    }

    pub fn take(&mut self, now: Instant) {
        self.refill(now);
        self.tokens -= 1.0;
    }

    pub fn is_full(&mut self, now: Instant) -> bool {
        self.refill(now);
        self.tokens >= self.rate.count as f64
    }
}

/// A platform's sending limit: at most `rate.count` sends within any `rate.per`, a sliding
/// window over the last sends' times. (A token bucket refilled continuously would let twice the
/// count through in the first period — 30 at once, then 30 more within the second — which
/// platforms that count a sliding window, as Telegram does, answer with 429.)
#[derive(Debug, Clone)]
pub struct Window {
    rate: Rate,
    /// The times of the sends still inside the window, oldest first.
    sent: VecDeque<Instant>,
}

impl Window {
    pub fn new(rate: Rate, _now: Instant) -> Window {
        Window { rate, sent: VecDeque::with_capacity(rate.count as usize) }
    }

    fn forget(&mut self, now: Instant) {
        while self.sent.front().is_some_and(|t| *t + self.rate.per <= now) {
            self.sent.pop_front();
        }
    }

    /// How long until one more send fits in the window (zero when one does).
    pub fn wait(&mut self, now: Instant) -> Duration {
        self.forget(now);
        match self.sent.front() {
            Some(oldest) if self.sent.len() >= self.rate.count as usize => (*oldest + self.rate.per) - now,
            _ => Duration::ZERO,
        }
    }

    pub fn take(&mut self, now: Instant) {
        self.forget(now);
        if self.sent.len() >= self.rate.count as usize {
            self.sent.pop_front();
        }
        self.sent.push_back(now);
    }

    /// The send counted at `taken` completed at `now`: from now on it counts from then. The
    /// platform counts arrivals, and a request slow to arrive must not let the next one in too
    /// soon after it.
    pub fn completed(&mut self, taken: Instant, now: Instant) {
        if let Some(sent) = self.sent.iter_mut().find(|t| **t == taken) {
            *sent = now;
            self.sent.make_contiguous().sort();
        }
    }

    /// Nothing sent within the window: as if new.
    pub fn is_full(&mut self, now: Instant) -> bool {
        self.forget(now);
        self.sent.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse_in_the_forms_operators_write() {
        assert_eq!("30/s".parse::<Rate>().unwrap(), Rate { count: 30, per: Duration::from_secs(1) });
        assert_eq!("20/min".parse::<Rate>().unwrap().per, Duration::from_secs(60));
        assert_eq!("5/5s".parse::<Rate>().unwrap().per, Duration::from_secs(5));
        assert!("0/s".parse::<Rate>().is_err());
        assert!("fast".parse::<Rate>().is_err());
    }

    #[test]
    fn a_bucket_allows_a_burst_then_paces() {
        let start = Instant::now();
        let mut bucket = Bucket::new("2/s".parse().unwrap(), start);
        bucket.take(start);
        bucket.take(start);
        let wait = bucket.wait(start);
        assert!(wait > Duration::from_millis(400) && wait <= Duration::from_millis(500), "{wait:?}");
        assert_eq!(bucket.wait(start + Duration::from_millis(500)), Duration::ZERO);
    }

    #[test]
    fn a_window_allows_a_burst_then_never_more_than_its_count_within_any_period() {
        let start = Instant::now();
        let ms = Duration::from_millis;
        let mut window = Window::new("2/s".parse().unwrap(), start);
        window.take(start);
        window.take(start + ms(100));
        assert_eq!(window.wait(start + ms(200)), ms(800), "the first send leaves the window at 1 s");
        assert_eq!(window.wait(start + ms(1000)), Duration::ZERO);
        window.take(start + ms(1000));
        assert_eq!(window.wait(start + ms(1000)), ms(100), "then the second one");
        window.completed(start + ms(1000), start + ms(1050));
        window.take(start + ms(1100));
        assert_eq!(window.wait(start + ms(1100)), ms(950), "a send counts from its completion");
        assert!(!window.is_full(start + ms(2000)));
        assert!(window.is_full(start + ms(2100)));
    }
}
