//! Announcements: an admin's message to a segment of customers (a channel, a language, who
//! wrote within some days), each recipient's copy posted into their latest conversation as a
//! reply through the outbox — so each platform's limits hold however many there are — with the
//! way to stop them (`/stop`) in their language. Sends are rows first, posted a chunk at a time
//! by the timers' leader, so a restart continues where it stopped.

use crate::Core;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::model::{AgentId, Author, Millis};
use crate::post::{Post, PostKind};
use crate::store::announcements::Segment;
use std::time::Duration;

/// Sends posted per commit.
const CHUNK: i64 = 500;
/// The most an announcement may say.
pub const MAX_BODY: usize = 4_000;
const EVERY: Duration = Duration::from_secs(2);

impl Core {
    /// Stores an announcement to `segment` and its recipients; they are sent from the timers.
    pub async fn announce(&self, body: &str, segment: &Segment, agent: Option<AgentId>, now: Millis) -> Result<i64> {
        let body = crate::storable::clean(body.trim()).into_owned();
        if body.is_empty() || body.chars().count() > MAX_BODY {
            return Err(CoreError::Invalid(format!("body: 1 to {MAX_BODY} characters")));
        }
        if segment.within_days.is_some_and(|d| !(1..=3650).contains(&d)) {
            return Err(CoreError::Invalid("within_days: 1 to 3650".into()));
        }
        let id = self.store().create_announcement(&body, segment, agent, now).await?;
        self.events().publish(Event::AnnouncementCreated { announcement_id: id });
        Ok(id)
    }

    /// Posts what is left of the announcements, a chunk per commit; how many were posted.
    pub async fn send_announcements(&self) -> Result<usize> {
        let mut posted = 0;
        loop {
            let pending = self.store().pending_sends(CHUNK).await?;
            if pending.is_empty() {
                return Ok(posted);
            }
            let mut posts = Vec::with_capacity(pending.len());
            let mut sends = Vec::with_capacity(pending.len());
            for send in pending {
                let Some(conversation) = send.conversation_id else {
                    self.store().mark_send(&send, 0).await?;
                    continue;
                };
                let stop = self.localizer().text(send.locale.as_deref().unwrap_or_default(), "announcement-stop", &[]);
                let mut post = Post::new(
                    conversation,
                    Author::System,
                    None,
                    format!("{}\n\n{stop}", send.body),
                    PostKind::Reply { channel: None },
                );
                (post.identity_id, post.bulk) = (Some(send.identity_id), true);
                posts.push(crate::Change::Post(post));
                sends.push(send);
            }
            for (result, send) in self.apply_together(posts).await.into_iter().zip(sends) {
                let message = match result {
                    Ok(crate::Changed::Posted(message)) => message.id,
                    Err(CoreError::ShuttingDown) => return Err(CoreError::ShuttingDown),
                    Err(error) => {
                        tracing::warn!(%error, contact = send.contact_id, "an announcement could not be posted");
                        0
                    }
                    Ok(_) => 0,
                };
                posted += usize::from(message != 0);
                self.store().mark_send(&send, message).await?;
            }
        }
    }
}

/// Until `stop`: announcements sent as soon as one is made (and every few seconds, for what a
/// restart left).
pub async fn run(core: Core, stop: tokio_util::sync::CancellationToken) {
    let mut events = core.events().subscribe();
    let mut ticks = tokio::time::interval(EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            _ = ticks.tick() => {}
            event = events.recv() => match event {
                Ok(published) if matches!(published.event, Event::AnnouncementCreated { .. }) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                _ => continue,
            },
        }
        match core.send_announcements().await {
            Ok(0) => {}
            Ok(posted) => tracing::info!(posted, "announcements handed to the outbox"),
            Err(error) => tracing::warn!(%error, "announcements were not sent this time; they are tried again"),
        }
    }
}
