//! The Discord settings: the bot token, the REST origin and the channels that are support desks.

use std::collections::HashSet;
use std::fmt;
use switchboard_core::settings::{SettingError, Settings as Source};

/// The keys this adapter reads.
pub const KEYS: &[&str] = &["discord_token", "discord_api_url", "discord_support_channels"];

#[derive(Clone)]
pub struct Settings {
    pub token: String,
    /// REST origin (`https://discord.com`, or a test fake); the gateway URL comes from it.
    pub api_url: String,
    pub support_channels: HashSet<u64>,
    pub max_attachment_bytes: u64,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Discord")
            .field("api_url", &self.api_url)
            .field("support_channels", &self.support_channels)
            .field("max_attachment_bytes", &self.max_attachment_bytes)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// Discord runs when its token is set; files above `max_attachment_bytes` are not kept.
    pub fn read(settings: &Source<'_>, max_attachment_bytes: u64) -> Result<Option<Settings>, SettingError> {
        let Some(token) = settings.value("discord_token") else { return Ok(None) };
        let api_url = settings.base_url("discord_api_url", "https://discord.com")?;
        let support_channels = settings.parse("discord_support_channels", HashSet::new(), |v| {
            v.split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(|id| id.parse::<u64>().map_err(|_| format!("{id:?} is not a channel id")))
                .collect()
        })?;
        Ok(Some(Settings { token: token.trim().to_owned(), api_url, support_channels, max_attachment_bytes }))
    }
}
