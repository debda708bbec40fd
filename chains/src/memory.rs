//! What the lookups remember: answers for a while (short while they can still change, long
//! once final), and the block each transaction was last seen confirmed in, so that a chain
//! reorganization is told rather than hidden.

use crate::report::{Status, TxReport};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// An answer that can still change: pending, too few confirmations, not found.
pub const SHORT: Duration = Duration::from_secs(15);
/// An answer deep enough to stay: credited, or failed in a block that deep.
pub const LONG: Duration = Duration::from_secs(3600);
/// Entries kept; the oldest go first.
const CAPACITY: usize = 10_000;

type Key = (String, String);

#[derive(Default)]
pub struct Memory {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    answers: HashMap<Key, (Instant, TxReport)>,
    /// The block a transaction was confirmed in, as last seen.
    confirmed_in: HashMap<Key, u64>,
    order: VecDeque<Key>,
}

impl Memory {
    pub fn cached(&self, chain: &str, value: &str) -> Option<TxReport> {
        let inner = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (until, report) = inner.answers.get(&(chain.to_owned(), value.to_owned()))?;
        (Instant::now() < *until).then(|| report.clone())
    }

    /// Keeps a fresh answer, first marking it when the block it was confirmed in is gone.
    pub fn remember(&self, chain: &str, value: &str, report: &mut TxReport) {
        let key = (chain.to_owned(), value.to_owned());
        let mut inner = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let was_in = inner.confirmed_in.get(&key).copied();
        match (report.status, report.block) {
            (Status::Confirmed | Status::Failed, Some(block)) => {
                if was_in.is_some_and(|was| was != block) {
                    report.reorganized_from_block = was_in;
                }
                inner.confirmed_in.insert(key.clone(), block);
            }
            _ => report.reorganized_from_block = was_in,
        }
        let final_answer = report.credited
            || (report.status == Status::Failed && report.confirmations >= report.required_confirmations);
        let ttl = if final_answer { LONG } else { SHORT };
        if inner.answers.insert(key.clone(), (Instant::now() + ttl, report.clone())).is_none() {
            inner.order.push_back(key);
        }
        while inner.order.len() > CAPACITY {
            if let Some(old) = inner.order.pop_front() {
                inner.answers.remove(&old);
                inner.confirmed_in.remove(&old);
            }
        }
    }
}
