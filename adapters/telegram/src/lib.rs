//! The Telegram channel: `inbound::normalize` and `outbound::render` are pure; this file is the
//! I/O around them — long polling that confirms an update only once it is durable (`poll`), and
//! sends that tell the outbox whether to wait (429), retry (network, 5xx) or give up (blocked).

pub mod inbound;
pub mod outbound;
mod poll;
pub mod settings;
pub mod updates;
mod webhook;

pub use poll::poll;
pub(crate) use poll::{ingest_batch, item_of, set_aside, wait};
pub use webhook::{Webhook, start_webhook};

use async_trait::async_trait;
use inbound::{BotIdentity, MediaRef};
use std::time::Duration;
use switchboard_core::channel::{
    Capabilities, Channel, Delivered, Destination, Formatting, OutboundMessage, SendError,
};
use switchboard_core::ingest::{Inbound, TooLarge};
use switchboard_core::model::ChannelKind;
use switchboard_core::model::InboundAttachment;
use switchboard_core::resume::SendProgress;
use teloxide::RequestError;
use teloxide::payloads::SendMessageSetters;
use teloxide::prelude::Requester;
use teloxide::requests::{JsonRequest, Payload};
use teloxide::types::{ChatId, MessageId, ParseMode, ReplyParameters, ThreadId};
use tokio_util::sync::CancellationToken;

/// Long-poll wait; teloxide's client gives up after 17 s.
const POLL_TIMEOUT_S: u32 = 10;
/// Rounds of `setMyCommands` for the locales refused, 2, 4, 8… seconds apart.
const COMMAND_ATTEMPTS: u32 = 5;

#[derive(Clone)]
pub struct TelegramChannel {
    bot: teloxide::Bot,
    token: String,
    /// Files larger than this are not fetched; the customer is told so.
    max_attachment_bytes: u64,
    /// Messages that take several requests (long text, files) and failed part-way: how many
    /// requests went through and the first one's id, so a retry sends only the rest.
    progress: std::sync::Arc<SendProgress<Option<String>>>,
    /// Whether the last `getUpdates` (or `setWebhook`) went through.
    health: switchboard_core::channel::Health,
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

    /// Fetches a message's files within the size limit; those over it are named on the message
    /// (`too_large`). A file that cannot be fetched leaves the message's marker (`[photo]`) in
    /// place: the message is stored either way.
    async fn fetch(&self, inbound: &mut Inbound, media: Vec<MediaRef>) {
        use teloxide::net::Download;
        let mut too_large = Vec::new();
        for file in media {
            if file.size.is_some_and(|size| size > self.max_attachment_bytes) {
                too_large.push(file.filename);
                continue;
            }
            let fetched = async {
                let meta = self
                    .bot
                    .get_file(teloxide::types::FileId(file.file_id.clone()))
                    .await
                    .map_err(|e| e.to_string())?;
                if u64::from(meta.size) > self.max_attachment_bytes {
                    return Ok(None);
                }
                let mut bytes = Vec::with_capacity(meta.size as usize);
                self.bot.download_file(&meta.path, &mut bytes).await.map_err(|e| e.to_string())?;
                Ok::<_, String>(Some(bytes))
            };
            match fetched.await {
                Ok(Some(bytes)) => inbound.attachments.push(InboundAttachment {
                    filename: file.filename,
                    content_type: file.content_type,
                    bytes,
                }),
                Ok(None) => too_large.push(file.filename),
                Err(error) => {
                    tracing::warn!(error = self.hide(&error), "could not fetch a file; the message keeps its marker")
                }
            }
        }
        inbound.too_large = TooLarge { files: too_large, limit: self.max_attachment_bytes };
    }

    /// Who the bot is (`getMe`); also proves the token works.
    pub async fn identity(&self) -> Result<BotIdentity, TelegramError> {
        let me = self.bot.get_me().await.map_err(|e| TelegramError::Refused(self.hide(&e.to_string())))?;
        Ok(BotIdentity { id: me.user.id.0, username: me.user.username.clone() })
    }

    /// Registers the customer commands (docs/reference.md) in Telegram's menu, described in every
    /// language the product speaks (the default list in English), on a task of its own:
    /// customers' messages are not held up by it (a hanging call, 429s and 5xx included). A
    /// locale refused is tried again later, a few times; `stop` ends the task.
    pub fn register_commands_in_background(
        &self,
        localizer: switchboard_core::l10n::Localizer,
        stop: CancellationToken,
    ) {
        let channel = self.clone();
        tokio::spawn(async move {
            let mut pending: Vec<String> = localizer.available().iter().map(|l| l.to_string()).collect();
            for attempt in 0..COMMAND_ATTEMPTS {
                let mut refused = Vec::new();
                for locale in pending {
                    match channel.register_commands(&localizer, &locale).await {
                        Ok(()) => {}
                        Err(RequestError::RetryAfter(seconds)) => {
                            wait(&stop, seconds.duration()).await;
                            refused.push(locale);
                        }
                        Err(error) => {
                            tracing::warn!(
                                locale,
                                attempt,
                                error = channel.hide(&error.to_string()),
                                "setMyCommands failed"
                            );
                            refused.push(locale);
                        }
                    }
                }
                pending = refused;
                if pending.is_empty() || stop.is_cancelled() {
                    return;
                }
                if attempt + 1 < COMMAND_ATTEMPTS {
                    wait(&stop, Duration::from_secs(2u64 << attempt)).await;
                }
            }
            tracing::warn!(locales = ?pending, "commands not registered; customers can still type them");
        });
    }

    /// One locale's menu.
    async fn register_commands(
        &self,
        localizer: &switchboard_core::l10n::Localizer,
        locale: &str,
    ) -> Result<(), RequestError> {
        use teloxide::payloads::SetMyCommandsSetters;
        use teloxide::types::BotCommand;
        let commands: Vec<BotCommand> = switchboard_core::commands::MENU
            .iter()
            .map(|c| BotCommand::new(c.name, localizer.text(locale, &format!("command-{}", c.name), &[])))
            .collect();
        let mut request = self.bot.set_my_commands(commands);
        let language = locale.split('-').next().unwrap_or(locale).to_owned();
        if locale != switchboard_core::l10n::FALLBACK {
            request = request.language_code(language);
        }
        request.await.map(|_| ())
    }

    /// The bot token never reaches logs or errors.
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

    fn hide(&self, text: &str) -> String {
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
