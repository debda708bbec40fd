//! The Telegram channel: `inbound::normalize` and `outbound::render` are pure; around them the
//! I/O — the Bot API client (`channel`), long polling that confirms an update only once it is
//! durable (`poll`) or the webhook (`webhook`), files (`files`) and the command menu
//! (`commands`).

mod channel;
mod commands;
mod files;
pub mod inbound;
pub mod outbound;
mod poll;
pub mod settings;
pub mod updates;
mod webhook;

pub use channel::{DEFAULT_MAX_ATTACHMENT_BYTES, TelegramChannel, TelegramError};
pub use poll::poll;
pub(crate) use poll::{ingest_batch, item_of, set_aside, wait};
pub use webhook::{Webhook, start_webhook};
