//! The outbox's settings: each channel's sending limits (what its platform documents, unless
//! the operator says otherwise) and how often a send is tried.

use super::{DispatcherConfig, Rate, RetryPolicy, Throttle};
use crate::model::ChannelKind;
use crate::settings::{SettingError, Settings};

/// The keys the dispatcher reads, besides `throttle_<channel>_<limit>` (`is_throttle_key`).
pub const KEYS: &[&str] = &["retry_max_attempts"];

impl DispatcherConfig {
    pub fn read(settings: &Settings<'_>) -> Result<DispatcherConfig, SettingError> {
        let mut throttles = std::collections::HashMap::new();
        for &kind in ChannelKind::ALL {
            let mut throttle = documented(kind);
            let rate = |v: &str| v.parse::<Rate>().map(Some).map_err(|e| e.to_string());
            let name = kind.as_str();
            throttle.per_destination =
                settings.parse(&format!("throttle_{name}_per_destination"), throttle.per_destination, rate)?;
            throttle.per_group = settings.parse(&format!("throttle_{name}_per_group"), throttle.per_group, rate)?;
            throttle.global = settings.parse(&format!("throttle_{name}_global"), throttle.global, rate)?;
            throttles.insert(kind, throttle);
        }
        let max_attempts = settings.parse("retry_max_attempts", RetryPolicy::default().max_attempts, |v| {
            v.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| format!("{v:?} is not a positive number"))
        })?;
        Ok(DispatcherConfig {
            throttles,
            retry: RetryPolicy { max_attempts, ..RetryPolicy::default() },
            ..DispatcherConfig::default()
        })
    }
}

/// Whether `key` is one of the throttle settings (`throttle_telegram_global`).
pub fn is_throttle_key(key: &str) -> bool {
    let Some((channel, limit)) = key.strip_prefix("throttle_").and_then(|rest| rest.split_once('_')) else {
        return false;
    };
    channel.parse::<ChannelKind>().is_ok() && matches!(limit, "per_destination" | "per_group" | "global")
}

/// What each platform documents as its sending limits; operators can tighten or relax them.
fn documented(kind: ChannelKind) -> Throttle {
    let rate = |s: &str| s.parse::<Rate>().ok();
    match kind {
        // Bot API FAQ: about one message per second in a chat, 20 per minute in a group, 30 per
        // second overall.
        ChannelKind::Telegram => {
            Throttle { per_destination: rate("1/s"), per_group: rate("20/min"), global: rate("30/s") }
        }
        // 5 messages per 5 s in a channel, 50 requests per second overall.
        ChannelKind::Discord => Throttle { per_destination: rate("5/5s"), per_group: None, global: rate("50/s") },
        ChannelKind::Email => Throttle { per_destination: rate("10/min"), per_group: None, global: rate("10/s") },
        ChannelKind::Webchat => Throttle::default(),
    }
}
