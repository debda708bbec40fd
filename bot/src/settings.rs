//! The live bot's settings: business hours, its confidence thresholds, and when a conversation
//! it answered is resolved as its own.

use crate::decide::Thresholds;
use crate::hours::BusinessHours;
use crate::live::Settings;
use std::time::Duration;
use switchboard_core::settings::{SettingError, Settings as Source};

/// The keys the bot reads.
pub const KEYS: &[&str] =
    &["business_hours", "business_timezone", "business_holidays", "bot_answer_at", "bot_offer_at", "bot_resolve_after"];

impl Settings {
    pub fn read(settings: &Source<'_>) -> Result<Settings, SettingError> {
        let hours = match settings.get("business_hours").filter(|(v, _)| !v.trim().is_empty()) {
            None => None,
            Some((schedule, setting)) => {
                let zone = settings.value("business_timezone").unwrap_or_else(|| "UTC".to_owned());
                let holidays = settings.value("business_holidays").unwrap_or_default();
                Some(
                    BusinessHours::parse(&schedule, &zone, &holidays)
                        .map_err(|reason| SettingError { setting, reason })?,
                )
            }
        };
        Ok(Settings {
            hours,
            thresholds: thresholds(settings)?,
            resolve_after: Some(settings.duration(
                "bot_resolve_after",
                Duration::from_secs(24 * 3600),
                "24h or 30m",
            )?),
        })
    }
}

/// The confidence needed to answer, and to offer articles as choices.
pub fn thresholds(settings: &Source<'_>) -> Result<Thresholds, SettingError> {
    let confidence = |v: &str| match v.trim().parse::<f32>() {
        Ok(c) if (0.0..=1.0).contains(&c) => Ok(c),
        _ => Err(format!("{v:?} is not a confidence between 0 and 1")),
    };
    let defaults = Thresholds::default();
    let answer = settings.parse("bot_answer_at", defaults.answer, confidence)?;
    // Lowering only the answer threshold lowers the offer threshold with it.
    let offer = settings.parse("bot_offer_at", defaults.offer.min(answer), confidence)?;
    if offer > answer {
        return Err(settings.invalid(
            "bot_offer_at",
            format!("{offer} is above the answer threshold {answer} (offering needs less confidence than answering)"),
        ));
    }
    Ok(Thresholds { answer, offer })
}
