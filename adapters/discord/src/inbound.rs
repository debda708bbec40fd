//! Pure normalization: Discord events → the core's `Inbound`. No I/O.
//!
//! Where a message belongs: a DM is its own conversation's chat; in a support channel a
//! customer's message needs a thread for their ticket (the shell opens or finds it); in a
//! ticket thread it continues that ticket. Everything else in a guild, and everything written
//! by bots, webhooks or ourselves, is skipped.

use serenity::model::application::{CommandDataOptionValue, CommandInteraction, ComponentInteraction};
use serenity::model::channel::Message;
use std::collections::HashSet;
use switchboard_core::ingest::{Inbound, Sender, Threading};
use switchboard_core::model::ChannelKind;

/// What the pure step needs to know about this bot and this server.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub bot_id: u64,
    pub support_channels: HashSet<u64>,
}

/// A file on Discord's CDN to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    pub url: String,
    pub filename: String,
    pub content_type: String,
    pub size: u64,
}

#[derive(Debug)]
pub enum Normalized {
    /// A direct message: replies go to the same DM channel.
    Direct(Box<Inbound>, Vec<Media>),
    /// A customer's message in a support channel: the shell opens (or finds) their ticket's
    /// thread and sets `chat` to it.
    Support {
        channel: u64,
        message: u64,
        inbound: Box<Inbound>,
        media: Vec<Media>,
    },
    /// A message in a thread (continues that ticket when the thread is one of ours).
    Thread {
        thread: u64,
        inbound: Box<Inbound>,
        media: Vec<Media>,
    },
    Skip(&'static str),
}

pub fn normalize(message: &Message, scope: &Scope) -> Normalized {
    if message.author.id.get() == scope.bot_id {
        return Normalized::Skip("our own message");
    }
    if message.author.bot || message.webhook_id.is_some() {
        return Normalized::Skip("a bot or webhook");
    }
    if message.content.trim().is_empty() && message.attachments.is_empty() {
        return Normalized::Skip("nothing to read (no content: is the Message Content intent granted?)");
    }
    let channel = message.channel_id.get();
    let inbound = Box::new(Inbound {
        channel: ChannelKind::Discord,
        external_id: format!("{channel}:{}", message.id.get()),
        chat: channel.to_string(),
        thread: None,
        sender: Sender {
            external_id: message.author.id.get().to_string(),
            display_name: message.author.display_name().to_owned(),
            lang_hint: None,
        },
        body: message.content.clone(),
        attachments: Vec::new(),
        too_large: Default::default(),
        threading: Threading::Latest,
        automated: false,
        choice: None,
    });
    let media = message
        .attachments
        .iter()
        .map(|a| Media {
            url: a.url.clone(),
            filename: a.filename.clone(),
            content_type: a.content_type.clone().unwrap_or_else(|| "application/octet-stream".into()),
            size: u64::from(a.size),
        })
        .collect();
    match message.guild_id {
        None => Normalized::Direct(inbound, media),
        Some(_) if scope.support_channels.contains(&channel) => {
            Normalized::Support { channel, message: message.id.get(), inbound, media }
        }
        Some(_) => Normalized::Thread { thread: channel, inbound, media },
    }
}

/// A message object as Discord's REST API or gateway sends it. serenity panics on some values
/// instead of refusing them (found by fuzzing: an avatar hash with a non-ASCII character);
/// such a message is unreadable like any other.
pub fn read_message(value: serde_json::Value) -> Result<Message, String> {
    match std::panic::catch_unwind(|| serde_json::from_value::<Message>(value)) {
        Ok(read) => read.map_err(|error| error.to_string()),
        Err(_) => Err("its reading failed inside the Discord library".to_owned()),
    }
}

/// A slash command as the text command customers type everywhere (`/verify HANDLE`), in the
/// language of the person's Discord client. The answer goes back as a follow-up to it.
pub fn command(interaction: &CommandInteraction) -> Inbound {
    let mut text = format!("/{}", interaction.data.name);
    for option in &interaction.data.options {
        if let CommandDataOptionValue::String(value) = &option.value {
            text.push(' ');
            text.push_str(value);
        }
    }
    from_interaction(interaction.id.get(), interaction.channel_id.get(), &interaction.user, &interaction.locale, text)
}

/// A pressed button: the customer's choice, as the label they saw.
pub fn choice(interaction: &ComponentInteraction) -> Inbound {
    let custom_id = &interaction.data.custom_id;
    let label = interaction
        .message
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|component| match component {
            serenity::model::application::ActionRowComponent::Button(button) => {
                let id = match &button.data {
                    serenity::model::application::ButtonKind::NonLink { custom_id, .. } => Some(custom_id),
                    _ => None,
                };
                (id == Some(custom_id)).then(|| button.label.clone()).flatten()
            }
            _ => None,
        })
        .unwrap_or_else(|| custom_id.clone());
    let mut inbound = from_interaction(
        interaction.id.get(),
        interaction.channel_id.get(),
        &interaction.user,
        &interaction.locale,
        label,
    );
    inbound.choice = Some(custom_id.clone());
    inbound
}

/// What an interaction says, as the person's message in the channel it came from (in the
/// language of their Discord client).
fn from_interaction(id: u64, channel: u64, user: &serenity::model::user::User, locale: &str, body: String) -> Inbound {
    Inbound {
        channel: ChannelKind::Discord,
        external_id: format!("interaction:{id}"),
        chat: channel.to_string(),
        thread: None,
        sender: Sender {
            external_id: user.id.get().to_string(),
            display_name: user.display_name().to_owned(),
            lang_hint: Some(locale.to_owned()),
        },
        body,
        attachments: Vec::new(),
        too_large: Default::default(),
        threading: Threading::Latest,
        automated: false,
        choice: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(extra: serde_json::Value) -> Message {
        let mut m = json!({
            "id": "302917639565475840", "channel_id": "244567637332328449", "content": "my deposit is missing",
            "author": {"id": "114941315417899012", "username": "zeyla", "discriminator": "0", "avatar": null, "global_name": "Zey"},
            "timestamp": "2017-04-15T21:26:33.210000+00:00", "edited_timestamp": null, "tts": false,
            "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
            "pinned": false, "type": 0
        });
        for (k, v) in extra.as_object().unwrap() {
            m[k] = v.clone();
        }
        serde_json::from_value(m).unwrap()
    }

    fn scope() -> Scope {
        Scope { bot_id: 42, support_channels: [900u64].into_iter().collect() }
    }

    #[test]
    fn a_dm_is_its_own_chat() {
        let Normalized::Direct(inbound, media) = normalize(&message(json!({})), &scope()) else { panic!() };
        assert_eq!(inbound.chat, "244567637332328449");
        assert_eq!(inbound.external_id, "244567637332328449:302917639565475840");
        assert_eq!(inbound.sender.external_id, "114941315417899012");
        assert_eq!(inbound.sender.display_name, "Zey");
        assert!(media.is_empty());
    }

    #[test]
    fn support_channel_messages_need_a_thread_and_others_in_a_guild_are_threads_or_nothing() {
        let m = message(json!({"guild_id": "1", "channel_id": "900"}));
        assert!(matches!(normalize(&m, &scope()), Normalized::Support { channel: 900, .. }));
        let m = message(json!({"guild_id": "1", "channel_id": "901"}));
        assert!(matches!(normalize(&m, &scope()), Normalized::Thread { thread: 901, .. }));
    }

    #[test]
    fn bots_webhooks_and_ourselves_are_skipped() {
        let own = message(
            json!({"author": {"id": "42", "username": "support", "discriminator": "0", "avatar": null, "bot": true}}),
        );
        assert!(matches!(normalize(&own, &scope()), Normalized::Skip(_)));
        let bot = message(
            json!({"author": {"id": "7", "username": "other", "discriminator": "0", "avatar": null, "bot": true}}),
        );
        assert!(matches!(normalize(&bot, &scope()), Normalized::Skip(_)));
        let hook = message(json!({"webhook_id": "99"}));
        assert!(matches!(normalize(&hook, &scope()), Normalized::Skip(_)));
    }

    #[test]
    fn attachments_are_listed_to_fetch() {
        let m = message(json!({"attachments": [{"id": "1", "filename": "tx.png", "size": 2048,
            "url": "https://cdn.example/tx.png", "proxy_url": "https://cdn.example/tx.png", "content_type": "image/png"}]}));
        let Normalized::Direct(_, media) = normalize(&m, &scope()) else { panic!() };
        assert_eq!(media[0].filename, "tx.png");
        assert_eq!(media[0].content_type, "image/png");
    }
}
