//! The metrics an operator alerts on, in one catalogue: every series is described (`# HELP`)
//! and present from the first scrape — counters at 0 for each label they take, gauges set —
//! and the store's figures (conversations, the wait for agents, the outbox) are read at each
//! scrape, so they are true whichever instance or restart changed them.

use crate::error::Result;
use crate::model::{ChannelKind, HandoffReason, Status};
use crate::store::Store;
use metrics::{describe_counter, describe_gauge, describe_histogram};
use sqlx::Row;

/// The bot's decisions, as `switchboard_bot_decisions_total{action}` counts them.
pub const BOT_ACTIONS: &[&str] = &["answer", "offer", "handoff", "route", "warn", "incident"];

/// Describes every series and registers each at its starting value. Call once the recorder is
/// installed.
pub fn describe() {
    let channels = ChannelKind::ALL.iter().map(|c| c.as_str());
    describe_counter!("switchboard_messages_in_total", "Customer messages stored, by channel");
    describe_counter!("switchboard_messages_out_total", "Replies delivered, by channel");
    describe_counter!(
        "switchboard_erasures_total",
        "Deletions of personal data: a contact's erasure, or a retention sweep that removed something"
    );
    describe_counter!("switchboard_delivery_failures_total", "Failed send attempts, by channel and kind");
    describe_counter!("switchboard_secrets_redacted_total", "Recovery phrases and keys removed before storing");
    describe_counter!(
        "switchboard_messages_stood_in_total",
        "Messages that could not be read or stored, kept as stand-ins"
    );
    describe_counter!("switchboard_handoffs_total", "Conversations handed to people, by reason");
    describe_counter!(
        "switchboard_bot_decisions_total",
        "The bot's decisions: answer, offer, handoff, route, warn, incident"
    );
    describe_counter!("switchboard_surge_looks_total", "Looks for surges of customers asking about one topic");
    describe_counter!("switchboard_incident_suggestions_total", "Incidents suggested by a surge");
    describe_counter!("switchboard_bot_idle_resolutions_total", "Bot-answered conversations resolved after silence");
    describe_counter!("switchboard_write_batches_failed_total", "Write batches retried one write at a time");
    describe_counter!("switchboard_roles_taken_total", "Roles (pollers, timers, outboxes) this instance took");
    describe_gauge!("switchboard_roles_held", "Roles this instance holds now");
    describe_counter!("switchboard_writes_failed_total", "Writes that failed alone, by kind");
    describe_counter!("switchboard_telegram_updates_unreadable_total", "Telegram updates that could not be read");
    describe_counter!("switchboard_email_received_total", "Mails fetched from the mailbox");
    describe_counter!("switchboard_email_sent_total", "Mails submitted");
    describe_gauge!("switchboard_conversations", "Conversations by status");
    describe_gauge!("switchboard_conversations_waiting", "Open conversations waiting for an agent's answer");
    describe_gauge!(
        "switchboard_conversations_waiting_oldest_seconds",
        "How long the longest-waiting customer has waited for an agent"
    );
    describe_gauge!("switchboard_outbox_pending", "Replies waiting to be sent, by channel");
    describe_gauge!(
        "switchboard_outbox_oldest_pending_seconds",
        "Age of the oldest reply waiting to be sent, by channel"
    );
    describe_gauge!("switchboard_outbox_depth", "Replies the dispatcher holds in memory");
    describe_gauge!("switchboard_runtime_tasks", "Tasks alive in the server's runtime (a leak shows as growth)");
    describe_gauge!("switchboard_channel_connected", "1 while a channel's connection to its platform is up");
    describe_histogram!("switchboard_ingest_seconds", "From receipt to durable, per message");
    describe_histogram!("switchboard_delivery_seconds", "From queued to delivered, per reply");
    describe_histogram!("switchboard_write_batch_size", "Writes per committed batch");
    describe_histogram!("switchboard_write_batch_seconds", "Time to plan and commit one batch");

    metrics::counter!("switchboard_surge_looks_total").absolute(0);
    metrics::counter!("switchboard_incident_suggestions_total").absolute(0);
    for channel in channels.clone() {
        metrics::counter!("switchboard_messages_in_total", "channel" => channel).absolute(0);
        metrics::counter!("switchboard_messages_out_total", "channel" => channel).absolute(0);
        metrics::counter!("switchboard_secrets_redacted_total", "channel" => channel).absolute(0);
        metrics::counter!("switchboard_messages_stood_in_total", "channel" => channel).absolute(0);
        for kind in ["retry_after", "transient", "permanent", "gone"] {
            metrics::counter!("switchboard_delivery_failures_total", "channel" => channel, "kind" => kind).absolute(0);
        }
        metrics::gauge!("switchboard_outbox_pending", "channel" => channel).set(0.0);
        metrics::gauge!("switchboard_outbox_oldest_pending_seconds", "channel" => channel).set(0.0);
    }
    for reason in HandoffReason::ALL {
        metrics::counter!("switchboard_handoffs_total", "reason" => reason.as_str()).absolute(0);
    }
    for action in BOT_ACTIONS {
        metrics::counter!("switchboard_bot_decisions_total", "action" => *action).absolute(0);
    }
    for kind in ["ingest", "post", "update", "merge", "edit", "delivery"] {
        metrics::counter!("switchboard_writes_failed_total", "kind" => kind).absolute(0);
    }
    for name in [
        "switchboard_bot_idle_resolutions_total",
        "switchboard_write_batches_failed_total",
        "switchboard_roles_taken_total",
        "switchboard_telegram_updates_unreadable_total",
        "switchboard_email_received_total",
        "switchboard_email_sent_total",
    ] {
        metrics::counter!(name).absolute(0);
    }
    for status in Status::ALL {
        metrics::gauge!("switchboard_conversations", "status" => status.as_str()).set(0.0);
    }
    metrics::gauge!("switchboard_conversations_waiting").set(0.0);
    metrics::gauge!("switchboard_conversations_waiting_oldest_seconds").set(0.0);
    metrics::gauge!("switchboard_outbox_depth").set(0.0);
    metrics::gauge!("switchboard_roles_held").set(0.0);
    // Web chat is served by this process: up while it runs.
    metrics::gauge!("switchboard_channel_connected", "channel" => ChannelKind::Webchat.as_str()).set(1.0);
}

/// Sets the gauges read from the store, as of `now` (Unix ms).
pub async fn refresh(store: &Store, now: crate::model::Millis) -> Result<()> {
    let rows =
        sqlx::query("SELECT status, COUNT(*) FROM conversations GROUP BY status").fetch_all(store.pool()).await?;
    for status in Status::ALL {
        let count = rows
            .iter()
            .find(|r| r.try_get::<String, _>(0).is_ok_and(|s| s == status.as_str()))
            .map_or(Ok(0), |r| r.try_get::<i64, _>(1))?;
        metrics::gauge!("switchboard_conversations", "status" => status.as_str()).set(count as f64);
    }
    // Waiting for an agent: the customer wrote last and no answer came (a bot answer waits on
    // the customer instead, and clears `waiting_since`).
    let waiting = sqlx::query(
        "SELECT COUNT(*), MIN(waiting_since) FROM conversations WHERE status <> 'resolved' AND waiting_since IS NOT NULL",
    )
    .fetch_one(store.pool())
    .await?;
    let (count, oldest): (i64, Option<i64>) = (waiting.try_get(0)?, waiting.try_get(1)?);
    metrics::gauge!("switchboard_conversations_waiting").set(count as f64);
    let age = oldest.map_or(0.0, |since| (now - since).max(0) as f64 / 1000.0);
    metrics::gauge!("switchboard_conversations_waiting_oldest_seconds").set(age);

    let pending =
        sqlx::query("SELECT channel, COUNT(*), MIN(created_at) FROM outbox WHERE state = 'pending' GROUP BY channel")
            .fetch_all(store.pool())
            .await?;
    for channel in ChannelKind::ALL {
        let row = pending.iter().find(|r| r.try_get::<String, _>(0).is_ok_and(|c| c == channel.as_str()));
        let (count, oldest) = match row {
            Some(row) => (row.try_get::<i64, _>(1)?, row.try_get::<Option<i64>, _>(2)?),
            None => (0, None),
        };
        metrics::gauge!("switchboard_outbox_pending", "channel" => channel.as_str()).set(count as f64);
        let age = oldest.map_or(0.0, |at| (now - at).max(0) as f64 / 1000.0);
        metrics::gauge!("switchboard_outbox_oldest_pending_seconds", "channel" => channel.as_str()).set(age);
    }
    Ok(())
}
