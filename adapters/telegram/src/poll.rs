//! Long polling and the ingestion of a batch of updates (shared with the webhook): each batch is
//! committed together, its files fetched first, and the offset moves past it once it is durable.

use crate::inbound::{BotIdentity, MediaRef, Normalized, edit_of, media_of, normalize};
use crate::{TelegramChannel, inbound, updates};
use std::time::Duration;
use switchboard_core::Core;
use switchboard_core::error::CoreError;
use switchboard_core::ingest::Inbound;
use switchboard_core::lease::Held;
use switchboard_core::model::ChannelKind;
use teloxide::prelude::Requester;
use tokio_util::sync::CancellationToken;

/// Long-poll wait; teloxide's client gives up after 17 s.
const POLL_TIMEOUT_S: u32 = 10;

impl TelegramChannel {
    /// `getUpdates` from `offset`, long-polling, read update by update (`updates`): the raw
    /// answer is never logged, and one unreadable update does not fail the others.
    async fn get_updates(&self, offset: i64) -> updates::Answer {
        let mut url = self.bot.api_url();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().push(&format!("bot{}", self.token)).push("getUpdates");
        }
        let parameters = serde_json::json!({ "offset": offset, "timeout": POLL_TIMEOUT_S });
        let request =
            self.bot.client().post(url).json(&parameters).timeout(Duration::from_secs(u64::from(POLL_TIMEOUT_S) + 15));
        let response = match request.send().await {
            Ok(response) => response,
            // reqwest's error names the URL, and with it the token: hidden.
            Err(error) => return updates::Answer::Failed(self.hide(&error.without_url().to_string())),
        };
        match response.bytes().await {
            Ok(body) => updates::read_answer(&body),
            Err(error) => updates::Answer::Failed(self.hide(&error.without_url().to_string())),
        }
    }
}

/// The role of the one instance that polls: Telegram answers 409 to a second `getUpdates`.
pub const POLL_ROLE: &str = "telegram:poll";

/// Where the poller of bot `id` stands: the next `getUpdates` offset, moved only by the role's
/// holder. Per bot: update ids are a bot's own, and another token's offset would skip updates.
fn offset_cursor(bot: u64) -> String {
    format!("telegram:offset:{bot}")
}

/// Long polling until `stop`, by whichever instance holds the poller's role: the others stand
/// by and one of them takes over within a lease's life when the poller dies.
pub async fn poll(channel: TelegramChannel, core: Core, me: BotIdentity, stop: CancellationToken) {
    channel.health.stand_by(true);
    core.lead(POLL_ROLE, stop, |held| {
        let channel = channel.clone();
        channel.health.stand_by(false);
        let polling = poll_while_held(channel.clone(), core.clone(), me.clone(), held);
        async move {
            polling.await;
            channel.health.stand_by(true);
        }
    })
    .await;
}

/// Long polling while `held`. Each batch of updates is ingested together (one commit) and the
/// offset moves past them only when all are durable: a crash makes Telegram redeliver, and
/// redelivery is deduplicated by the core. An update that cannot be read, or that the core
/// refuses for good, is set aside alone (agents get a stand-in) so that nothing after it waits.
/// The offset is checkpointed under the role's epoch: a poller that finds it was deposed stops.
async fn poll_while_held(channel: TelegramChannel, core: Core, me: BotIdentity, held: Held) {
    let stop = held.lost.clone();
    // A webhook left from webhook mode would make getUpdates answer 409.
    if let Err(error) = channel.bot.delete_webhook().await {
        tracing::warn!(error = channel.hide(&error.to_string()), "deleteWebhook failed");
    }
    channel.register_commands_in_background(core.localizer().clone(), stop.clone());
    let cursor = offset_cursor(me.id);
    let mut offset: i64 = match core.store().cursor(&cursor).await {
        Ok(value) => value.and_then(|v| v.parse().ok()).unwrap_or(0),
        Err(error) => {
            tracing::warn!(%error, "the poller's offset could not be read; asking for every unconfirmed update");
            0
        }
    };
    let mut failures: u32 = 0;
    loop {
        let answer = tokio::select! {
            answer = channel.get_updates(offset) => answer,
            () = stop.cancelled() => break,
        };
        channel.health.set(matches!(answer, updates::Answer::Updates(_) | updates::Answer::RetryAfter(_)));
        let batch = match answer {
            updates::Answer::Updates(batch) => batch,
            updates::Answer::RetryAfter(seconds) => {
                wait(&stop, Duration::from_secs(seconds)).await;
                continue;
            }
            updates::Answer::Failed(reason) => {
                failures += 1;
                // 2, 4, 8, then every 10 s: a Bot API that is back is noticed within seconds.
                let pause = Duration::from_secs((1u64 << failures.min(4)).min(10));
                tracing::warn!(reason = channel.hide(&reason), ?pause, "getUpdates failed");
                wait(&stop, pause).await;
                continue;
            }
        };
        failures = 0;
        let items = batch.updates.iter().filter_map(|update| item_of(update, &me)).collect();
        let mut durable = match ingest_batch(&channel, &core, items).await {
            Ok(()) => true,
            Err(error) => {
                tracing::error!(%error, "updates not stored; they will be fetched again");
                false
            }
        };
        for unreadable in batch.unreadable {
            if let Err(error) = set_aside(&core, unreadable).await {
                tracing::error!(%error, "an unreadable update was not recorded; it will be fetched again");
                durable = false;
            }
        }
        match (durable, batch.last_id) {
            (true, Some(last)) => {
                offset = last + 1;
                match core.store().set_cursor_fenced(&cursor, &offset.to_string(), &held.lease).await {
                    Ok(true) => {}
                    Ok(false) => {
                        tracing::warn!("another instance polls Telegram now; this one stops");
                        break;
                    }
                    Err(error) => tracing::warn!(%error, "the poller's offset was not recorded; Telegram has it"),
                }
            }
            (true, None) => {}
            (false, _) => wait(&stop, Duration::from_secs(1)).await,
        }
    }
}

/// An update that could not be read: a stand-in for agents where its chat and sender are
/// known, else only the log (its id and why, never its text).
pub(crate) async fn set_aside(core: &Core, unreadable: updates::Unreadable) -> Result<(), CoreError> {
    metrics::counter!("switchboard_telegram_updates_unreadable_total").increment(1);
    let updates::Unreadable { update_id, chat, message_id, from, reason } = unreadable;
    let (Some(chat), Some((user, name))) = (chat, from) else {
        tracing::warn!(update_id, reason, "an update could not be read and names no chat; skipped");
        return Ok(());
    };
    let stand_in = switchboard_core::ingest::StandIn {
        channel: ChannelKind::Telegram,
        external_id: match message_id {
            Some(id) => format!("{chat}:{id}"),
            None => format!("update:{update_id}"),
        },
        chat: chat.to_string(),
        thread: None,
        sender: switchboard_core::ingest::Sender { external_id: user.to_string(), display_name: name, lang_hint: None },
        threading: Default::default(),
    };
    match core.ingest_stand_in(stand_in, &format!("update {update_id}: {reason}")).await {
        Ok(_) => Ok(()),
        Err(error) if error.is_transient() => Err(error),
        Err(error) => {
            tracing::warn!(update_id, %error, "a stand-in for an unreadable update was refused; skipped");
            Ok(())
        }
    }
}

/// What an update brings: a new message (with the files to fetch), or an edit.
pub(crate) enum Item {
    Message(Box<Inbound>, Vec<MediaRef>),
    /// A button press: stored like a message, then answered so the app stops its spinner.
    Choice(Box<Inbound>, String),
    Edit {
        external_id: String,
        body: String,
    },
}

/// What an update brings; `None` for updates that bring nothing.
pub(crate) fn item_of(update: &teloxide::types::Update, me: &BotIdentity) -> Option<Item> {
    if let Some((external_id, body)) = edit_of(update) {
        return Some(Item::Edit { external_id, body });
    }
    if let Some((inbound, query_id)) = inbound::choice_of(update) {
        return Some(Item::Choice(Box::new(inbound), query_id));
    }
    match normalize(update, me) {
        Normalized::Message(inbound) => Some(Item::Message(inbound, media_of(update))),
        Normalized::Skip(reason) => {
            tracing::debug!(update = update.id.0, reason, "update skipped");
            None
        }
    }
}

/// Ingests a batch of updates in their order, committed together: each message with its files
/// (fetched concurrently first), then the edits (which may concern a message of the same batch).
/// Something the core refuses for good is skipped; a transient failure is returned once the
/// rest is done, so that the batch is delivered again (what was stored is
/// recognised then as already stored).
pub(crate) async fn ingest_batch(channel: &TelegramChannel, core: &Core, items: Vec<Item>) -> Result<(), CoreError> {
    /// What follows a stored message.
    enum Then {
        Nothing,
        AnswerQuery(String),
    }
    let mut fetching = tokio::task::JoinSet::new();
    let mut inbounds = Vec::new();
    let mut then = Vec::new();
    let mut edits = Vec::new();
    for item in items {
        match item {
            Item::Message(mut inbound, media) if !media.is_empty() => {
                let (channel, slot) = (channel.clone(), inbounds.len());
                fetching.spawn(async move {
                    channel.fetch(&mut inbound, media).await;
                    (slot, inbound)
                });
                // Filled in once fetched.
                inbounds.push(None);
                then.push(Then::Nothing);
            }
            Item::Message(inbound, _) => {
                inbounds.push(Some(*inbound));
                then.push(Then::Nothing);
            }
            Item::Choice(inbound, query_id) => {
                inbounds.push(Some(*inbound));
                then.push(Then::AnswerQuery(query_id));
            }
            Item::Edit { external_id, body } => edits.push((external_id, body)),
        }
    }
    while let Some(fetched) = fetching.join_next().await {
        let (slot, inbound) = fetched.map_err(|e| CoreError::Invalid(format!("fetching files failed: {e}")))?;
        inbounds[slot] = Some(*inbound);
    }
    let inbounds = inbounds.into_iter().map(|inbound| inbound.expect("every file fetch reported")).collect();
    let mut failure = None;
    // Refused for good (empty, too long, or kept as a stand-in by the core): skipped; only what
    // may succeed later holds the batch back.
    let mut outcome = |result: Result<(), CoreError>| match result {
        Ok(()) => {}
        Err(error) if error.is_transient() => failure = Some(error),
        Err(error) => tracing::warn!(%error, "update refused"),
    };
    // What follows a stored message runs concurrently: a flood of button presses must not
    // answer them one round trip at a time.
    let mut following = tokio::task::JoinSet::new();
    for (result, then) in core.ingest_all(inbounds).await.into_iter().zip(then) {
        match (result, then) {
            (Ok(_), Then::AnswerQuery(query_id)) => {
                let channel = channel.clone();
                following.spawn(async move {
                    let answer = channel.bot.answer_callback_query(teloxide::types::CallbackQueryId(query_id)).await;
                    if let Err(error) = answer {
                        tracing::debug!(error = channel.hide(&error.to_string()), "answerCallbackQuery failed");
                    }
                });
            }
            (result, _) => outcome(result.map(|_| ())),
        }
    }
    following.join_all().await;
    for (external_id, body) in edits {
        outcome(core.edit(ChannelKind::Telegram, &external_id, &body).await.map(|_| ()));
    }
    failure.map_or(Ok(()), Err)
}

/// Sleeps `pause`, or less if `stop` comes first.
pub(crate) async fn wait(stop: &CancellationToken, pause: Duration) {
    tokio::select! {
        () = tokio::time::sleep(pause) => {},
        () = stop.cancelled() => {},
    }
}
