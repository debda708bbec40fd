//! `TelegramChannel`: the Bot API client — sends through the outbox's `Channel` (errors
//! classified into wait, retry, give up, the token hidden), deletes, and who the bot is.

use crate::inbound::BotIdentity;
use crate::outbound;
use async_trait::async_trait;
use switchboard_core::channel::{
    Capabilities, Channel, Delivered, Destination, Formatting, OutboundMessage, SendError,
};
use switchboard_core::model::ChannelKind;
use switchboard_core::resume::SendProgress;
use teloxide::RequestError;
use teloxide::payloads::SendMessageSetters;
use teloxide::prelude::Requester;
use teloxide::requests::{JsonRequest, Payload};
use teloxide::types::{ChatId, MessageId, ParseMode, ReplyParameters, ThreadId};

#[derive(Clone)]
pub struct TelegramChannel {
    pub(crate) bot: teloxide::Bot,
    pub(crate) token: String,
    /// Files larger than this are not fetched; the customer is told so.
    pub(crate) max_attachment_bytes: u64,
    /// Messages that take several requests (long text, files) and failed part-way: how many
    /// requests went through and the first one's id, so a retry sends only the rest.
    progress: std::sync::Arc<SendProgress<Option<String>>>,
    /// Whether the last `getUpdates` (or `setWebhook`) went through.
    pub(crate) health: switchboard_core::channel::Health,
}

/// The Bot API serves files up to 20 MB through `getFile`.
pub const DEFAULT_MAX_ATTACHMENT_BYTES: u64 = 20 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum TelegramError {
    #[error("the Bot API URL {0:?} is not a URL")]
    BadApiUrl(String),
    #[error("Telegram refused the bot: {0}")]
    Refused(String),
}

impl TelegramChannel {
    pub fn new(token: &str, api_url: &str) -> Result<TelegramChannel, TelegramError> {
        let url = api_url.trim_end_matches('/').parse().map_err(|_| TelegramError::BadApiUrl(api_url.to_owned()))?;
        Ok(TelegramChannel {
            bot: teloxide::Bot::new(token).set_api_url(url),
            token: token.to_owned(),
            max_attachment_bytes: DEFAULT_MAX_ATTACHMENT_BYTES,
            progress: Default::default(),
            health: switchboard_core::channel::Health::new(ChannelKind::Telegram),
        })
    }

    pub fn with_max_attachment_bytes(mut self, limit: u64) -> Self {
        self.max_attachment_bytes = limit;
        self
    }

    /// Who the bot is (`getMe`); also proves the token works.
    pub async fn identity(&self) -> Result<BotIdentity, TelegramError> {
        let me = self.bot.get_me().await.map_err(|e| TelegramError::Refused(self.hide(&e.to_string())))?;
        Ok(BotIdentity { id: me.user.id.0, username: me.user.username.clone() })
    }

    /// The bot token never reaches logs or errors.
    pub(crate) fn hide(&self, text: &str) -> String {
        text.replace(&self.token, "***")
    }

    fn classify(&self, error: RequestError) -> SendError {
        use teloxide::ApiError::*;
        match error {
            RequestError::RetryAfter(seconds) => SendError::RetryAfter(seconds.duration()),
            RequestError::Api(BotBlocked | ChatNotFound | UserDeactivated | BotKicked | BotKickedFromSupergroup) => {
                SendError::Gone(self.hide(&error.to_string()))
            }
            // Telegram's own words say whether the request itself was at fault.
            RequestError::Api(teloxide::ApiError::Unknown(ref text))
                if ["Bad Request", "Forbidden", "Unauthorized"].iter().any(|p| text.starts_with(p)) =>
            {
                SendError::Permanent(self.hide(text))
            }
            RequestError::Api(teloxide::ApiError::Unknown(ref text)) => SendError::Transient(self.hide(text)),
            RequestError::Api(_) | RequestError::MigrateToChatId(_) => {
                SendError::Permanent(self.hide(&error.to_string()))
            }
            RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. } => {
                SendError::Transient(self.hide(&error.to_string()))
            }
        }
    }

    async fn send_text(&self, part: &outbound::SendText, html: bool) -> Result<Sent, RequestError> {
        let mut payload =
            teloxide::payloads::SendMessage::new(ChatId(part.chat_id), if html { &part.html } else { &part.plain });
        if html {
            payload = payload.parse_mode(ParseMode::Html);
        }
        if let Some(thread) = part.thread_id {
            payload = payload.message_thread_id(ThreadId(MessageId(thread)));
        }
        if let Some(reply_to) = part.reply_to {
            payload = payload.reply_parameters(ReplyParameters::new(MessageId(reply_to)).allow_sending_without_reply());
        }
        if !part.buttons.is_empty() {
            let rows = part.buttons.iter().map(|row| {
                row.iter()
                    .map(|(label, data)| teloxide::types::InlineKeyboardButton::callback(label, data))
                    .collect::<Vec<_>>()
            });
            payload = payload.reply_markup(teloxide::types::InlineKeyboardMarkup::new(rows));
        }
        JsonRequest::new(self.bot.clone(), SendMessageForId(payload)).await
    }

    /// One request, with the fallbacks that keep the message: plain text when Telegram cannot
    /// parse our markup, a document when it will not take a photo.
    async fn send_request(&self, request: Request<'_>) -> Result<Sent, RequestError> {
        match request {
            Request::Text(part) => match self.send_text(part, true).await {
                Err(RequestError::Api(teloxide::ApiError::CantParseEntities(_))) => self.send_text(part, false).await,
                other => other,
            },
            Request::File(file) => match self.send_file(file).await {
                Err(RequestError::Api(_)) if file.photo => {
                    self.send_file(&outbound::SendFile { photo: false, ..file.clone() }).await
                }
                other => other,
            }
            .map(|message| Sent { message_id: message.id.0, chat: SentChat { id: message.chat.id.0 } }),
        }
    }

    async fn send_file(&self, file: &outbound::SendFile) -> Result<teloxide::types::Message, RequestError> {
        use teloxide::payloads::{SendDocumentSetters, SendPhotoSetters};
        let input = teloxide::types::InputFile::file(&file.path).file_name(file.filename.clone());
        let (chat, thread) = (ChatId(file.chat_id), file.thread_id.map(|t| ThreadId(MessageId(t))));
        let reply = file.reply_to.map(|r| ReplyParameters::new(MessageId(r)).allow_sending_without_reply());
        if file.photo {
            let mut request = self.bot.send_photo(chat, input);
            if let Some(thread) = thread {
                request = request.message_thread_id(thread);
            }
            if let Some(reply) = reply {
                request = request.reply_parameters(reply);
            }
            request.await
        } else {
            let mut request = self.bot.send_document(chat, input);
            if let Some(thread) = thread {
                request = request.message_thread_id(thread);
            }
            if let Some(reply) = reply {
                request = request.reply_parameters(reply);
            }
            request.await
        }
    }
}

/// `sendMessage`, its answer read only for what is kept of it. Telegram answers with the whole
/// message sent; parsing that into a `Message` cost as much CPU as the rest of the send.
#[derive(serde::Serialize)]
#[serde(transparent)]
struct SendMessageForId(teloxide::payloads::SendMessage);

impl Payload for SendMessageForId {
    type Output = Sent;
    const NAME: &'static str = teloxide::payloads::SendMessage::NAME;
}

/// What is kept of a message Telegram sent.
#[derive(serde::Deserialize)]
struct Sent {
    message_id: i32,
    chat: SentChat,
}

#[derive(serde::Deserialize)]
struct SentChat {
    id: i64,
}

/// One of the requests a message takes, in the order they are sent.
#[derive(Clone, Copy)]
enum Request<'a> {
    Text(&'a outbound::SendText),
    File(&'a outbound::SendFile),
}

#[async_trait]
impl Channel for TelegramChannel {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Telegram
    }

    fn health(&self) -> Option<switchboard_core::channel::Health> {
        Some(self.health.clone())
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            max_length: outbound::MAX_LENGTH,
            formatting: Formatting::Html,
            threads: true,
            edits: true,
            deletes: true,
            buttons: true,
        }
    }

    async fn send(&self, message: &OutboundMessage) -> Result<Delivered, SendError> {
        let texts = outbound::render(message).map_err(SendError::Permanent)?;
        let files = outbound::render_files(message).map_err(SendError::Permanent)?;
        let requests: Vec<Request<'_>> =
            texts.iter().map(Request::Text).chain(files.iter().map(Request::File)).collect();
        let first = self
            .progress
            .send_parts(&message.idempotency_key, requests, |request| async move {
                match self.send_request(request).await {
                    Ok(sent) => Ok(Some(format!("{}:{}", sent.chat.id, sent.message_id))),
                    Err(error) => Err(self.classify(error)),
                }
            })
            .await?;
        Ok(Delivered { external_id: first })
    }

    /// Telegram's group and supergroup chat ids are negative.
    fn is_group(&self, destination: &Destination) -> bool {
        destination.chat.starts_with('-')
    }

    async fn delete(&self, destination: &Destination, external_id: &str) -> Result<(), SendError> {
        let chat: i64 = destination.chat.parse().map_err(|_| SendError::Permanent("not a chat id".into()))?;
        let id: i32 = external_id
            .rsplit(':')
            .next()
            .and_then(|m| m.parse().ok())
            .ok_or_else(|| SendError::Permanent("not a message id".into()))?;
        self.bot.delete_message(ChatId(chat), MessageId(id)).await.map(|_| ()).map_err(|e| self.classify(e))
    }
}
