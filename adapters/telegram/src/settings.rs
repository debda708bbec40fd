//! The Telegram settings: the bot token, the Bot API base, and webhook mode's URL and secret.

use std::fmt;
use switchboard_core::settings::{SettingError, Settings as Source};

/// The keys this adapter reads.
pub const KEYS: &[&str] = &["telegram_token", "telegram_api_url", "telegram_webhook_url", "telegram_webhook_secret"];

#[derive(Clone)]
pub struct Settings {
    pub token: String,
    /// The Bot API base: Telegram's, a local Bot API server, or a test fake.
    pub api_url: String,
    /// Webhook mode: the public URL Telegram posts to, and the secret every call must carry.
    pub webhook: Option<(String, String)>,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let webhook = self.webhook.as_ref().map(|(url, _)| url);
        write!(f, "Telegram {{ api_url: {:?}, webhook: {webhook:?}, token and secret hidden }}", self.api_url)
    }
}

impl Settings {
    /// Telegram runs when its token is set.
    pub fn read(settings: &Source<'_>) -> Result<Option<Settings>, SettingError> {
        let Some(token) = settings.value("telegram_token") else { return Ok(None) };
        if !token.contains(':') {
            return Err(settings.invalid("telegram_token", "expected a bot token like 123456:ABC-DEF…"));
        }
        let api_url = settings.base_url("telegram_api_url", "https://api.telegram.org")?;
        let webhook_url = settings.parse("telegram_webhook_url", None, |v| {
            if v.is_empty() {
                Ok(None)
            } else if v.starts_with("https://") || v.starts_with("http://") {
                Ok(Some(v.to_owned()))
            } else {
                Err(format!("{v:?} is not an http(s) URL"))
            }
        })?;
        let webhook = match webhook_url {
            None => None,
            Some(url) => {
                let secret = settings.get("telegram_webhook_secret").map(|(v, _)| v).unwrap_or_default();
                let valid = (16..=256).contains(&secret.len())
                    && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                if !valid {
                    return Err(settings.invalid(
                        "telegram_webhook_secret",
                        "webhook mode needs a secret of 16 to 256 letters, digits, _ or -",
                    ));
                }
                Some((url, secret))
            }
        };
        Ok(Some(Settings { token: token.trim().to_owned(), api_url, webhook }))
    }
}
