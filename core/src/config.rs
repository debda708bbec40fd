//! The core's own settings: when a resolved conversation reopens, what customers are promised,
//! where files live, and the outbox's limits.

use crate::outbox::DispatcherConfig;
use crate::settings::{SettingError, Settings};
use std::path::PathBuf;
use std::time::Duration;

/// The keys the core reads, besides the outbox's (`outbox::KEYS`, `outbox::is_throttle_key`).
pub const KEYS: &[&str] = &["reopen_window", "response_time", "data_dir"];

#[derive(Debug, Clone)]
pub struct CoreConfig {
    /// A customer writing within this long after their ticket was resolved reopens it.
    pub reopen_window: Duration,
    /// Attachment bytes live under `<data_dir>/attachments`.
    pub data_dir: PathBuf,
    pub dispatcher: DispatcherConfig,
    /// How soon people usually answer: what customers are promised, everywhere they are told.
    pub response_time: Duration,
}

impl Default for CoreConfig {
    fn default() -> Self {
        CoreConfig {
            reopen_window: Duration::from_secs(7 * 24 * 3600),
            data_dir: PathBuf::from("data"),
            dispatcher: DispatcherConfig::default(),
            response_time: Duration::from_secs(4 * 3600),
        }
    }
}

impl CoreConfig {
    pub fn read(settings: &Settings<'_>) -> Result<CoreConfig, SettingError> {
        let defaults = CoreConfig::default();
        Ok(CoreConfig {
            reopen_window: settings.parse("reopen_window", defaults.reopen_window, |v| {
                humantime::parse_duration(v).map_err(|e| format!("{v:?} is not a duration like 7d or 12h: {e}"))
            })?,
            response_time: settings.duration("response_time", defaults.response_time, "30m or 4h")?,
            data_dir: settings.parse("data_dir", defaults.data_dir, |v| Ok(PathBuf::from(v)))?,
            dispatcher: DispatcherConfig::read(settings)?,
        })
    }
}
