//! `normalize`: a Telegram update as the core's `Inbound`, or the reason it is skipped. Pure.

use switchboard_core::ingest::{Inbound, Sender};
use switchboard_core::model::ChannelKind;
use teloxide::types::{MediaKind, Message, MessageKind, Update, UpdateKind};

/// Who the bot is: groups address it by `@username` or by replying to it.
#[derive(Debug, Clone)]
pub struct BotIdentity {
    pub id: u64,
    pub username: Option<String>,
}

#[derive(Debug)]
pub enum Normalized {
    Message(Box<Inbound>),
    Skip(&'static str),
}

pub fn normalize(update: &Update, me: &BotIdentity) -> Normalized {
    let message = match &update.kind {
        UpdateKind::Message(message) => message,
        UpdateKind::EditedMessage(_) => return Normalized::Skip("edited message"),
        UpdateKind::Error(_) => return Normalized::Skip("unknown update kind"),
        _ => return Normalized::Skip("not a message"),
    };
    let Some(from) = &message.from else { return Normalized::Skip("no sender") };
    if from.is_bot {
        return Normalized::Skip("sent by a bot");
    }
    if !matches!(message.kind, MessageKind::Common(_)) {
        return Normalized::Skip("service message");
    }
    let mut body = message.text().or(message.caption()).unwrap_or_default().to_owned();
    if !message.chat.is_private() {
        let mention = me.username.as_ref().map(|u| format!("@{}", u.to_lowercase()));
        let mentioned = mention.as_ref().is_some_and(|m| body.to_lowercase().contains(m));
        let replies_to_bot = message.reply_to_message().and_then(|r| r.from.as_ref()).is_some_and(|u| u.id.0 == me.id);
        if !(mentioned || replies_to_bot || body.starts_with('/')) {
            return Normalized::Skip("group message not addressed to the bot");
        }
        if let Some(mention) = mention.filter(|_| mentioned && !body.starts_with('/')) {
            body = strip_mention(&body, &mention);
        }
    }
    if body.trim().is_empty() {
        // Media without a caption is kept, marked, rather than dropped.
        match media_marker(message) {
            Some(marker) => body = marker,
            None => return Normalized::Skip("nothing to read"),
        }
    }
    let name =
        [Some(from.first_name.as_str()), from.last_name.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    Normalized::Message(Box::new(Inbound {
        channel: ChannelKind::Telegram,
        external_id: format!("{}:{}", message.chat.id.0, message.id.0),
        chat: message.chat.id.0.to_string(),
        thread: message.thread_id.filter(|_| message.is_topic_message).map(|t| t.0.0.to_string()),
        sender: Sender {
            external_id: from.id.0.to_string(),
            display_name: if name.trim().is_empty() { from.username.clone().unwrap_or_default() } else { name },
            lang_hint: from.language_code.clone(),
        },
        body,
        attachments: Vec::new(),
        too_large: Default::default(),
        threading: Default::default(),
        automated: false,
        choice: None,
    }))
}

/// A customer's edit of an earlier message: its id as stored (`chat:message`) and the new text.
pub fn edit_of(update: &Update) -> Option<(String, String)> {
    let UpdateKind::EditedMessage(message) = &update.kind else { return None };
    if message.from.as_ref().is_none_or(|u| u.is_bot) {
        return None;
    }
    let text = message.text().or(message.caption())?.to_owned();
    Some((format!("{}:{}", message.chat.id.0, message.id.0), text))
}

/// A button press (`callback_query`) as the customer's message — the pressed button's label
/// (its data when the label is unknown) — and the query id to answer.
pub fn choice_of(update: &Update) -> Option<(Inbound, String)> {
    let UpdateKind::CallbackQuery(query) = &update.kind else { return None };
    let data = query.data.clone()?;
    let message = match &query.message {
        Some(teloxide::types::MaybeInaccessibleMessage::Regular(message)) => Some(message.as_ref()),
        _ => None,
    };
    let chat = message.map(|m| m.chat.id.0).unwrap_or(query.from.id.0 as i64);
    let label = message
        .and_then(|m| m.reply_markup())
        .and_then(|markup| {
            markup.inline_keyboard.iter().flatten().find_map(|button| match &button.kind {
                teloxide::types::InlineKeyboardButtonKind::CallbackData(d) if *d == data => Some(button.text.clone()),
                _ => None,
            })
        })
        .unwrap_or_else(|| data.clone());
    let name = [Some(query.from.first_name.as_str()), query.from.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Some((
        Inbound {
            channel: ChannelKind::Telegram,
            external_id: format!("callback:{}", query.id.0),
            chat: chat.to_string(),
            thread: message.and_then(|m| m.thread_id.filter(|_| m.is_topic_message)).map(|t| t.0.0.to_string()),
            sender: Sender {
                external_id: query.from.id.0.to_string(),
                display_name: name,
                lang_hint: query.from.language_code.clone(),
            },
            body: label,
            attachments: Vec::new(),
            too_large: Default::default(),
            threading: Default::default(),
            automated: false,
            choice: Some(data),
        },
        query.id.0.clone(),
    ))
}

/// A file a message carries, to be fetched with `getFile`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRef {
    pub file_id: String,
    pub filename: String,
    pub content_type: String,
    /// As Telegram states it, when it does.
    pub size: Option<u64>,
}

/// The files of a message update: the largest size of a photo; documents, voice messages,
/// video notes, videos and audio.
pub fn media_of(update: &Update) -> Vec<MediaRef> {
    let UpdateKind::Message(message) = &update.kind else { return Vec::new() };
    let MessageKind::Common(common) = &message.kind else { return Vec::new() };
    let media = |file: &teloxide::types::FileMeta, filename: String, content_type: String| MediaRef {
        file_id: file.id.to_string(),
        filename,
        content_type,
        size: Some(u64::from(file.size)),
    };
    match &common.media_kind {
        MediaKind::Photo(photo) => photo
            .photo
            .iter()
            .max_by_key(|p| p.width * p.height)
            .map(|p| media(&p.file, format!("photo-{}.jpg", message.id.0), "image/jpeg".into()))
            .into_iter()
            .collect(),
        MediaKind::Document(d) => vec![media(
            &d.document.file,
            d.document.file_name.clone().unwrap_or_else(|| format!("document-{}", message.id.0)),
            d.document.mime_type.as_ref().map(|m| m.to_string()).unwrap_or_else(|| "application/octet-stream".into()),
        )],
        MediaKind::Voice(v) => vec![media(&v.voice.file, format!("voice-{}.ogg", message.id.0), "audio/ogg".into())],
        MediaKind::VideoNote(v) => {
            vec![media(&v.video_note.file, format!("video-note-{}.mp4", message.id.0), "video/mp4".into())]
        }
        MediaKind::Video(v) => vec![media(
            &v.video.file,
            v.video.file_name.clone().unwrap_or_else(|| format!("video-{}.mp4", message.id.0)),
            "video/mp4".into(),
        )],
        MediaKind::Audio(a) => vec![media(
            &a.audio.file,
            a.audio.file_name.clone().unwrap_or_else(|| format!("audio-{}", message.id.0)),
            "audio/mpeg".into(),
        )],
        _ => Vec::new(),
    }
}

/// Removes `@botname` (any case) from a group message.
fn strip_mention(body: &str, mention: &str) -> String {
    let lower = body.to_lowercase();
    match lower.find(mention) {
        // Lowercasing keeps byte offsets for the ASCII of a username.
        Some(at) if body.is_char_boundary(at) && body.is_char_boundary(at + mention.len()) => {
            format!("{}{}", &body[..at], &body[at + mention.len()..]).trim().to_owned()
        }
        _ => body.to_owned(),
    }
}

fn media_marker(message: &Message) -> Option<String> {
    let MessageKind::Common(common) = &message.kind else { return None };
    Some(match &common.media_kind {
        MediaKind::Photo(_) => "[photo]".to_owned(),
        MediaKind::Document(d) => format!("[document: {}]", d.document.file_name.clone().unwrap_or_default()),
        MediaKind::Voice(_) => "[voice message]".to_owned(),
        MediaKind::VideoNote(_) => "[video note]".to_owned(),
        MediaKind::Video(_) => "[video]".to_owned(),
        MediaKind::Audio(_) => "[audio]".to_owned(),
        MediaKind::Sticker(s) => format!("[sticker {}]", s.sticker.emoji.clone().unwrap_or_default()),
        MediaKind::Location(l) => format!("[location {}, {}]", l.location.latitude, l.location.longitude),
        MediaKind::Contact(c) => format!("[contact {}]", c.contact.phone_number),
        _ => return None,
    })
}
