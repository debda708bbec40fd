//! The dispatcher: lanes of queued messages per destination, sent one at a time each within
//! the throttles, retried after `retry_after` or a backoff, and reported to the writer.

use super::claims::Claims;
use super::outage::Outages;
use super::throttle::Window;
use super::{DeliveryReport, Dispatch, OutboxEntry, RetryPolicy, Throttle};
use crate::channel::{Channels, Delivered, SendError};
use crate::clock::now_ms;
use crate::error::Result;
use crate::model::ChannelKind;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::{Id, JoinSet};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone)]
pub struct DispatcherConfig {
    pub throttles: HashMap<ChannelKind, Throttle>,
    pub retry: RetryPolicy,
    /// Sends in flight at once, over all lanes.
    pub max_in_flight: usize,
    /// A send that takes longer counts as a transient failure.
    pub send_timeout: Duration,
    /// How long a shutdown waits for sends in flight before leaving them queued.
    pub drain_limit: Duration,
}

impl Default for DispatcherConfig {
    fn default() -> Self {
        DispatcherConfig {
            throttles: HashMap::new(),
            retry: RetryPolicy::default(),
            max_in_flight: 256,
            send_timeout: Duration::from_secs(60),
            drain_limit: Duration::from_secs(10),
        }
    }
}

/// A lane is one destination: its messages go out one at a time, in order.
pub(super) type LaneKey = (ChannelKind, String);

struct Item {
    entry: OutboxEntry,
    queued: Instant,
    /// Not to be sent before: a recovered entry's retry time, moved onto the monotonic clock
    /// (the wall clock may jump). Retries in this run wait on `Lane::not_before`, which is on
    /// the monotonic clock too.
    due: Instant,
}

struct Lane {
    queue: VecDeque<Item>,
    busy: bool,
    not_before: Instant,
    bucket: Option<Window>,
    /// Waiting out a backoff after a transient failure (not a platform's `retry_after`).
    backing_off: bool,
    /// Its head is being sent as its channel's probe during an outage (see `outage`).
    probing: bool,
}

struct Done {
    result: Result<Delivered, SendError>,
}

pub(crate) struct Dispatcher {
    channels: Channels,
    config: DispatcherConfig,
    lanes: HashMap<LaneKey, Lane>,
    /// Lanes that may be able to send now.
    ready: VecDeque<LaneKey>,
    /// Lanes waiting for a time (retry_after, backoff, throttle).
    timers: BTreeMap<Instant, Vec<LaneKey>>,
    globals: HashMap<ChannelKind, Window>,
    in_flight: JoinSet<Done>,
    /// Each send in flight: its lane, and when it was counted against the throttles.
    in_flight_lanes: HashMap<Id, (LaneKey, Instant)>,
    outages: Outages,
    reports: mpsc::Sender<DeliveryReport>,
    depth: usize,
    /// The channels this instance sends, with their epochs; shared with the writer.
    claims: Claims,
    /// The outbox ids queued or in flight here: a claim that finds one again adds nothing.
    held: HashSet<i64>,
}

impl Dispatcher {
    pub fn new(
        channels: Channels,
        config: DispatcherConfig,
        reports: mpsc::Sender<DeliveryReport>,
        claims: Claims,
    ) -> Self {
        Dispatcher {
            channels,
            config,
            lanes: HashMap::new(),
            ready: VecDeque::new(),
            timers: BTreeMap::new(),
            globals: HashMap::new(),
            in_flight: JoinSet::new(),
            in_flight_lanes: HashMap::new(),
            outages: Outages::default(),
            reports,
            depth: 0,
            claims,
            held: HashSet::new(),
        }
    }

    /// Runs until `stop`; then lets the sends in flight finish and reports them.
    pub async fn run(mut self, mut incoming: mpsc::UnboundedReceiver<Dispatch>, stop: CancellationToken) {
        let mut sweep = tokio::time::interval(Duration::from_secs(60));
        loop {
            let wake = self.pump();
            let sleep = tokio::time::sleep_until(wake.unwrap_or_else(|| Instant::now() + Duration::from_secs(3600)));
            tokio::select! {
                biased;
                () = stop.cancelled() => break,
                Some(done) = self.in_flight.join_next_with_id(), if !self.in_flight.is_empty() => {
                    self.complete(done).await;
                }
                dispatch = incoming.recv() => match dispatch {
                    Some(Dispatch::Send(entries)) => self.enqueue(entries),
                    Some(Dispatch::Claimed { channel, epoch, entries }) => self.claimed(channel, epoch, entries),
                    Some(Dispatch::Disown { channel, epoch }) => self.disown(channel, epoch),
                    Some(Dispatch::Withdraw(ids)) => self.withdraw(&ids),
                    None => break,
                },
                () = sleep => self.wake_timers(),
                _ = sweep.tick() => self.sweep(),
            }
        }
        // Let sends in flight finish and record them, within a bound: whatever is still
        // unanswered stays pending in the outbox and is sent again after the restart.
        let drain = tokio::time::sleep(self.config.drain_limit);
        tokio::pin!(drain);
        loop {
            tokio::select! {
                done = self.in_flight.join_next_with_id() => match done {
                    Some(done) => self.complete(done).await,
                    None => break,
                },
                () = &mut drain => {
                    tracing::warn!(unfinished = self.in_flight.len(), "sends still unanswered at shutdown stay queued");
                    self.in_flight.abort_all();
                    break;
                }
            }
        }
    }

    /// This instance now sends `channel` under `epoch` (a later epoch replaces an earlier one).
    fn claimed(&mut self, channel: ChannelKind, epoch: i64, entries: Vec<OutboxEntry>) {
        match self.claims.get(channel) {
            Some(current) if current > epoch => return,
            Some(current) if current == epoch => {}
            _ => {
                self.drop_queued(channel);
                self.claims.set(channel, Some(epoch));
                tracing::info!(%channel, epoch, pending = entries.len(), "sending this channel's outbox");
            }
        }
        self.enqueue(entries);
    }

    /// The role of `channel` under `epoch` is lost.
    fn disown(&mut self, channel: ChannelKind, epoch: i64) {
        if self.claims.get(channel) == Some(epoch) {
            self.claims.set(channel, None);
            self.drop_queued(channel);
        }
    }

    /// Forgets `channel`'s queued entries, but not a send in flight (its report is fenced).
    fn drop_queued(&mut self, channel: ChannelKind) {
        for (_, lane) in self.lanes.iter_mut().filter(|((kind, _), _)| *kind == channel) {
            let keep = usize::from(lane.busy).min(lane.queue.len());
            for item in lane.queue.drain(keep..) {
                self.held.remove(&item.entry.id);
                self.depth -= 1;
            }
        }
        metrics::gauge!("switchboard_outbox_depth").set(self.depth as f64);
    }

    /// Queues entries claimed under this instance's current epoch of their channel; the rest
    /// are not this instance's to send.
    fn enqueue(&mut self, entries: Vec<OutboxEntry>) {
        let now = Instant::now();
        for entry in entries {
            if entry.claim.is_none() || entry.claim != self.claims.get(entry.channel) || !self.held.insert(entry.id) {
                continue;
            }
            let key = (entry.channel, entry.message.destination.chat.clone());
            let throttle = self.config.throttles.get(&entry.channel).copied().unwrap_or_default();
            let group = self.channels.get(entry.channel).is_some_and(|c| c.is_group(&entry.message.destination));
            let rate = if group { throttle.per_group.or(throttle.per_destination) } else { throttle.per_destination };
            let lane = self.lanes.entry(key.clone()).or_insert_with(|| Lane {
                queue: VecDeque::new(),
                busy: false,
                not_before: now,
                bucket: rate.map(|rate| Window::new(rate, now)),
                backing_off: false,
                probing: false,
            });
            let was_idle = lane.queue.is_empty() && !lane.busy;
            // A recovered entry's time to retry is on the wall clock of an earlier run: it
            // never waits longer than the longest backoff from now.
            let wait = Duration::from_millis((entry.next_attempt_at - now_ms()).max(0) as u64);
            let due = now + wait.min(self.config.retry.max);
            // In the order the messages were stored: an entry claimed from another instance may
            // come after a later one of this instance's (never before one already sent).
            let after = usize::from(lane.busy).min(lane.queue.len());
            let id = entry.message.message_id;
            let at = lane.queue.iter().skip(after).position(|i| i.entry.message.message_id > id);
            lane.queue.insert(at.map_or(lane.queue.len(), |p| p + after), Item { entry, queued: now, due });
            self.depth += 1;
            if was_idle {
                self.ready.push_back(key);
            }
        }
        metrics::gauge!("switchboard_outbox_depth").set(self.depth as f64);
    }

    /// Drops queued entries that were deleted before they were sent. A lane's head that is in
    /// flight stays: its send has begun, and its report finds no row to update.
    fn withdraw(&mut self, ids: &[i64]) {
        let ids: std::collections::HashSet<i64> = ids.iter().copied().collect();
        for lane in self.lanes.values_mut() {
            let before = lane.queue.len();
            let mut position = 0;
            lane.queue.retain(|item| {
                let in_flight = position == 0 && lane.busy;
                position += 1;
                let keep = in_flight || !ids.contains(&item.entry.id);
                if !keep {
                    self.held.remove(&item.entry.id);
                }
                keep
            });
            self.depth -= before - lane.queue.len();
        }
        metrics::gauge!("switchboard_outbox_depth").set(self.depth as f64);
    }

    fn wake_timers(&mut self) {
        let now = Instant::now();
        while let Some(entry) = self.timers.first_entry() {
            if *entry.key() > now {
                break;
            }
            self.ready.extend(entry.remove());
        }
    }

    /// Starts every send that may start now; returns when to look again.
    fn pump(&mut self) -> Option<Instant> {
        self.wake_timers();
        let now = Instant::now();
        while self.in_flight.len() < self.config.max_in_flight {
            let Some(key) = self.ready.pop_front() else {
                break;
            };
            let Some(lane) = self.lanes.get_mut(&key) else {
                continue;
            };
            if lane.busy {
                continue;
            }
            let Some(head) = lane.queue.front() else {
                continue;
            };
            let due = lane.not_before.max(head.due);
            if due > now {
                self.timers.entry(due).or_default().push(key);
                continue;
            }
            let Some(channel) = self.channels.get(key.0).cloned() else {
                // Not running in this process (no credentials yet): keep it queued, look again later.
                tracing::warn!(channel = %key.0, "no channel to deliver to; message stays queued");
                lane.not_before = now + Duration::from_secs(60);
                self.timers.entry(lane.not_before).or_default().push(key);
                continue;
            };
            let throttle = self.config.throttles.get(&key.0).copied().unwrap_or_default();
            let mut global =
                throttle.global.map(|rate| self.globals.entry(key.0).or_insert_with(|| Window::new(rate, now)));
            let wait = lane
                .bucket
                .as_mut()
                .map_or(Duration::ZERO, |b| b.wait(now))
                .max(global.as_deref_mut().map_or(Duration::ZERO, |g| g.wait(now)));
            if !wait.is_zero() {
                self.timers.entry(now + wait).or_default().push(key);
                continue;
            }
            if let Some(bucket) = lane.bucket.as_mut() {
                bucket.take(now);
            }
            if let Some(bucket) = global {
                bucket.take(now);
            }
            lane.busy = true;
            let message = head.entry.message.clone();
            let timeout = self.config.send_timeout;
            let handle = self.in_flight.spawn(async move {
                let result = match tokio::time::timeout(timeout, channel.send(&message)).await {
                    Ok(result) => result,
                    Err(_) => Err(SendError::Transient(format!("no answer within {timeout:?}"))),
                };
                Done { result }
            });
            self.in_flight_lanes.insert(handle.id(), (key, now));
        }
        self.timers.keys().next().copied()
    }

    async fn complete(&mut self, done: Result<(Id, Done), tokio::task::JoinError>) {
        let (id, result) = match done {
            Ok((id, done)) => (id, done.result),
            Err(error) => (error.id(), Err(SendError::Transient(format!("send task failed: {error}")))),
        };
        let Some((key, taken)) = self.in_flight_lanes.remove(&id) else {
            return;
        };
        let Some(lane) = self.lanes.get_mut(&key) else {
            return;
        };
        lane.busy = false;
        lane.backing_off = false;
        let probed = std::mem::take(&mut lane.probing);
        let now = Instant::now();
        if let Some(bucket) = lane.bucket.as_mut() {
            bucket.completed(taken, now);
        }
        if let Some(bucket) = self.globals.get_mut(&key.0) {
            bucket.completed(taken, now);
        }
        let kind = key.0;
        let channel = kind.as_str();
        let report = match result {
            Ok(delivered) => {
                let item = lane.queue.pop_front().expect("the in-flight entry heads its lane");
                self.held.remove(&item.entry.id);
                self.depth -= 1;
                metrics::counter!("switchboard_messages_out_total", "channel" => channel).increment(1);
                metrics::histogram!("switchboard_delivery_seconds", "channel" => channel)
                    .record(item.queued.elapsed().as_secs_f64());
                if !lane.queue.is_empty() {
                    self.ready.push_back(key.clone());
                }
                self.retry_backed_off(key.0, now);
                DeliveryReport::Sent { entry: item.entry, external_id: delivered.external_id }
            }
            Err(error) => {
                let head = &mut lane.queue.front_mut().expect("the in-flight entry heads its lane").entry;
                // A platform's "retry after" is an instruction, not a failure, and a probe of a
                // platform that is down tells about the platform, not the message: neither grows
                // the backoff nor brings a message nearer to being given up.
                let probe_failed = probed && matches!(error, SendError::Transient(_));
                if !matches!(error, SendError::RetryAfter(_)) && !probe_failed {
                    head.attempts += 1;
                }
                let retry_in = match &error {
                    SendError::RetryAfter(after) => Some(*after),
                    SendError::Transient(_) if head.attempts < self.config.retry.max_attempts => {
                        let (wait, probe) = self.outages.failed(&key, self.config.retry.delay(head.attempts), now);
                        lane.backing_off = true;
                        lane.probing = probe;
                        Some(wait)
                    }
                    SendError::Transient(_) | SendError::Permanent(_) | SendError::Gone(_) => None,
                };
                let kind = match error {
                    SendError::RetryAfter(_) => "retry_after",
                    SendError::Transient(_) => "transient",
                    SendError::Permanent(_) => "permanent",
                    SendError::Gone(_) => "gone",
                };
                metrics::counter!("switchboard_delivery_failures_total", "channel" => channel, "kind" => kind)
                    .increment(1);
                match retry_in {
                    Some(wait) => {
                        tracing::info!(channel, attempts = head.attempts, ?wait, %error, "send deferred");
                        lane.not_before = now + wait;
                        head.next_attempt_at = now_ms() + wait.as_millis() as i64;
                        self.ready.push_back(key);
                        DeliveryReport::Retry { entry: head.clone(), error: error.to_string() }
                    }
                    None => {
                        tracing::warn!(channel, attempts = head.attempts, %error, "send failed for good");
                        let item = lane.queue.pop_front().expect("checked above");
                        self.held.remove(&item.entry.id);
                        self.depth -= 1;
                        if !lane.queue.is_empty() {
                            self.ready.push_back(key);
                        }
                        let gone = matches!(error, SendError::Gone(_));
                        DeliveryReport::Failed { entry: item.entry, error: error.to_string(), gone }
                    }
                }
            }
        };
        if self.claims.get(kind) != report.entry().claim {
            // Lost while it was in flight: a retry is its next owner's.
            self.drop_queued(kind);
        }
        metrics::gauge!("switchboard_outbox_depth").set(self.depth as f64);
        if self.reports.send(report).await.is_err() {
            tracing::error!("writer gone: a delivery report was not recorded (it will be resent)");
        }
    }

    /// A send on `channel` succeeded: after an outage, the lanes of that channel still backing
    /// off are due now (their order and throttles still hold: `pump` checks both).
    fn retry_backed_off(&mut self, channel: ChannelKind, now: Instant) {
        for key in self.outages.succeeded(channel) {
            let Some(lane) = self.lanes.get_mut(&key) else { continue };
            if !std::mem::take(&mut lane.backing_off) || lane.busy {
                continue;
            }
            lane.not_before = now;
            self.ready.push_back(key);
        }
    }

    /// Forgets lanes with nothing queued whose throttle has fully recovered.
    fn sweep(&mut self) {
        let now = Instant::now();
        self.lanes.retain(|_, lane| {
            !lane.queue.is_empty() || lane.busy || lane.bucket.as_mut().is_some_and(|b| !b.is_full(now))
        });
    }
}
