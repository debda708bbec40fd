//! The core's own settings: when a resolved conversation reopens, what customers are promised,
//! where files live, and the outbox's limits.

use crate::outbox::DispatcherConfig;
use crate::settings::{SettingError, Settings};
use std::path::PathBuf;
use std::time::Duration;

/// The keys the core reads, besides the outbox's (`outbox::KEYS`, `outbox::is_throttle_key`).
pub const KEYS: &[&str] =
    &["reopen_window", "response_time", "data_dir", "instance", "lease_ttl", "csat", "csat_delay", "complaint_due"];

#[derive(Debug, Clone)]
pub struct CoreConfig {
    /// A customer writing within this long after their ticket was resolved reopens it.
    pub reopen_window: Duration,
    /// Attachment bytes live under `<data_dir>/attachments`.
    pub data_dir: PathBuf,
    pub dispatcher: DispatcherConfig,
    /// How soon people usually answer: what customers are promised, everywhere they are told.
    pub response_time: Duration,
    /// This process's name among the instances sharing a database (`/healthz`, the metrics'
    /// `instance` label): the operator's, or a new random one at every start.
    pub instance: String,
    /// How long a role's lease (the Telegram poller, the timers, each channel's outbox…) lasts
    /// unrenewed: another instance takes over a dead holder's role within this and a fifth.
    pub lease_ttl: Duration,
    /// The satisfaction survey after an agent's resolution: how long after it the customer is
    /// asked (cancelled if they write first); `None`: no surveys (`csat = off`).
    pub csat_delay: Option<Duration>,
    /// A complaint is due this long after it is opened (agents may set another date).
    pub complaint_due: Duration,
}

impl Default for CoreConfig {
    fn default() -> Self {
        CoreConfig {
            reopen_window: Duration::from_secs(7 * 24 * 3600),
            data_dir: PathBuf::from("data"),
            dispatcher: DispatcherConfig::default(),
            response_time: Duration::from_secs(4 * 3600),
            instance: format!("{:012x}", rand::random::<u64>() >> 16),
            lease_ttl: Duration::from_secs(10),
            csat_delay: Some(Duration::from_secs(5 * 60)),
            complaint_due: Duration::from_secs(5 * 24 * 3600),
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
            instance: settings.parse("instance", defaults.instance, instance_name)?,
            lease_ttl: settings.duration("lease_ttl", defaults.lease_ttl, "10s")?,
            complaint_due: settings.duration("complaint_due", defaults.complaint_due, "5d")?,
            csat_delay: match settings.parse("csat", true, on_off)? {
                // Zero asks at once (at the next sweep, within a second).
                true => {
                    Some(settings.parse(
                        "csat_delay",
                        defaults.csat_delay.expect("on by default"),
                        |v| {
                            match v.trim() {
                                "0" => Ok(Duration::ZERO),
                                v => humantime::parse_duration(v)
                                    .map_err(|_| format!("{v:?} is not a duration like 5m or 0s")),
                            }
                        },
                    )?)
                }
                false => None,
            },
        })
    }
}

/// A switch: `on` or `off`.
fn on_off(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" | "1" => Ok(true),
        "off" | "false" | "no" | "0" => Ok(false),
        _ => Err(format!("{value:?} is neither on nor off")),
    }
}

/// An instance's name: it becomes a metrics label and a log field, so a short plain one.
fn instance_name(value: &str) -> Result<String, String> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
    if (1..=64).contains(&value.len()) && value.chars().all(plain) {
        Ok(value.to_owned())
    } else {
        Err(format!("{value:?} is not an instance name (1 to 64 letters, digits, '.', '_' or '-')"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_survey_waits_five_minutes_unless_told_otherwise_or_off() {
        use crate::settings::{Settings, Source};
        struct Map(Vec<(&'static str, &'static str)>);
        impl Source for Map {
            fn get(&self, key: &str) -> Option<(String, String)> {
                self.0.iter().find(|(k, _)| *k == key).map(|(k, v)| (v.to_string(), k.to_string()))
            }
        }
        let read = |pairs: Vec<(&'static str, &'static str)>| CoreConfig::read(&Settings::new(&Map(pairs)));
        assert_eq!(read(vec![]).unwrap().csat_delay, Some(Duration::from_secs(300)));
        assert_eq!(read(vec![("csat_delay", "0")]).unwrap().csat_delay, Some(Duration::ZERO));
        assert_eq!(read(vec![("csat_delay", "0s")]).unwrap().csat_delay, Some(Duration::ZERO));
        assert_eq!(read(vec![("csat_delay", "90s")]).unwrap().csat_delay, Some(Duration::from_secs(90)));
        assert_eq!(read(vec![("csat", "off")]).unwrap().csat_delay, None);
        assert!(read(vec![("csat_delay", "soon")]).is_err());
        assert!(read(vec![("csat", "maybe")]).is_err());
    }

    #[test]
    fn an_instance_is_named_plainly_or_gets_a_random_name() {
        assert_eq!(instance_name("sb-1.eu_west").unwrap(), "sb-1.eu_west");
        assert!(instance_name("two words").is_err());
        assert!(instance_name("").is_err());
        let (a, b) = (CoreConfig::default().instance, CoreConfig::default().instance);
        assert_ne!(a, b);
        assert_eq!(a.len(), 12);
    }
}
