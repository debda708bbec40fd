//! The email channel: IMAP in (IDLE, or polling), SMTP submission out.
//!
//! Shaped like every adapter: a pure `inbound::normalize` (raw mail → `Inbound`), a pure
//! `outbound::render` (`OutboundMessage` → a lettre message), and thin I/O around them
//! (`imap::receive`, `EmailChannel::send`). Threading state for replies travels with each
//! inbound message's link (`thread::MailThread`), so it survives restarts.

pub mod imap;
pub mod inbound;
pub mod notices;
pub mod outbound;
mod quote;
pub mod settings;
mod smtp;
pub mod thread;
mod tls;

use async_trait::async_trait;
use settings::Settings;
use switchboard_core::channel::{Capabilities, Channel, Delivered, Health, OutboundMessage, SendError};
use switchboard_core::error::CoreError;
use switchboard_core::model::ChannelKind;

pub use imap::receive;
pub use inbound::Rules;

/// Sends replies through SMTP submission.
#[derive(Clone)]
pub struct EmailChannel {
    settings: Settings,
    tls: std::sync::Arc<tokio_rustls::rustls::ClientConfig>,
    /// This installation's token in our Message-IDs (see `outbound::message_id`).
    instance: String,
    /// Whether the IMAP session is up.
    health: Health,
    /// Mail has no buttons: each offered choice becomes a signed link to confirm it with.
    links: Option<switchboard_core::links::ChoiceLinks>,
}

/// Where the installation's Message-ID token is kept.
const INSTANCE_CURSOR: &str = "email:message-id-instance";

impl EmailChannel {
    /// The channel, with this installation's Message-ID token (made on first start).
    pub async fn new(settings: Settings, store: &switchboard_core::store::Store) -> Result<EmailChannel, CoreError> {
        // Instances starting together agree on the first one's token.
        let instance = store.cursor_or_insert(INSTANCE_CURSOR, &instance_token()).await?;
        Ok(EmailChannel {
            tls: settings.tls_client(),
            settings,
            instance,
            health: Health::new(ChannelKind::Email),
            links: None,
        })
    }

    /// Offered choices as links to confirm them with (otherwise, a numbered list to answer).
    pub fn with_links(self, links: switchboard_core::links::ChoiceLinks) -> EmailChannel {
        EmailChannel { links: Some(links), ..self }
    }

    /// What the pure inbound step needs, with the localized names it uses.
    pub fn rules(&self, localizer: &switchboard_core::l10n::Localizer) -> Rules {
        Rules {
            own_address: self.settings.from.email.to_string().to_lowercase(),
            max_attachment_bytes: self.settings.max_attachment_bytes,
            original_name: localizer.text("", "mail-original-attachment", &[]),
            unreadable_body: localizer.text("", "mail-unreadable", &[]),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Sends agents' e-mail notices until `stop` (see `notices`), linking to the public origin
    /// of the choice links.
    pub async fn notify_agents(self, core: switchboard_core::Core, stop: tokio_util::sync::CancellationToken) {
        let inbox = self.links.as_ref().map(|l| l.base().to_owned()).unwrap_or_default();
        notices::send_notices(self, core, inbox, stop).await
    }

    /// Receives until `stop`: the IMAP loop, with this channel's settings and health.
    pub async fn receive(self, core: switchboard_core::Core, stop: tokio_util::sync::CancellationToken) {
        let rules = self.rules(core.localizer());
        imap::receive(self.settings, rules, core, self.health, stop).await
    }
}

#[async_trait]
impl Channel for EmailChannel {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }

    fn health(&self) -> Option<Health> {
        Some(self.health.clone())
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            max_length: switchboard_core::ingest::MAX_BODY_BYTES,
            formatting: switchboard_core::channel::Formatting::Plain,
            threads: true,
            edits: false,
            deletes: false,
            buttons: false,
        }
    }

    async fn send(&self, message: &OutboundMessage) -> Result<Delivered, SendError> {
        let mut files = Vec::with_capacity(message.attachments.len());
        for file in &message.attachments {
            let bytes = tokio::fs::read(&file.path)
                .await
                .map_err(|e| SendError::Permanent(format!("attachment {} unreadable: {e}", file.filename)))?;
            files.push(outbound::File {
                filename: file.filename.clone(),
                content_type: file.content_type.clone(),
                bytes,
            });
        }
        let mail = outbound::render(message, &self.settings.from, &self.instance, self.links.as_ref(), files)?;
        match smtp::submit(&self.settings.smtp, self.tls.clone(), mail.envelope(), &mail.formatted()).await {
            Ok(()) => {
                metrics::counter!("switchboard_email_sent_total").increment(1);
                let id = outbound::message_id(message, &self.instance, self.settings.from.email.domain());
                Ok(Delivered { external_id: Some(id) })
            }
            // 5xx: the server will never take it (unknown recipient, refused content).
            Err(error @ smtp::SubmitError::Refused(_)) => Err(SendError::Permanent(error.to_string())),
            // 4xx, connection and TLS trouble: try again later.
            Err(error) => Err(SendError::Transient(error.to_string())),
        }
    }
}

/// Eight random letters and digits.
fn instance_token() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..8).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}
