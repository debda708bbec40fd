//! The desk's settings: auto-assignment and its limits, when availability lapses, when an
//! unanswered assignment moves on, and when an SLA warns.

use super::assign::Mode;
use crate::model::ChannelKind;
use crate::settings::{SettingError, Settings};
use std::time::Duration;

pub const KEYS: &[&str] = &[
    "assignment",
    "assignment_capacity",
    "assignment_weights",
    "reassign_after",
    "availability_idle",
    "availability_grace",
    "sla_warning",
    "surge",
    "surge_window",
    "surge_min_requesters",
    "surge_factor",
    "surge_every",
    "peak_wait",
];

#[derive(Debug, Clone, PartialEq)]
pub struct DeskSettings {
    /// `SWITCHBOARD_ASSIGNMENT`: `off` (default), `round_robin` or `balanced`.
    pub assignment: Mode,
    /// Open conversations an agent takes before auto-assignment skips them (their own limit, set
    /// by an admin, wins).
    pub capacity: u32,
    /// What one open conversation weighs in a balanced load, per channel (mail 0.5, chats 1).
    pub weights: Vec<(ChannelKind, f64)>,
    /// An assignee who has not answered the waiting customer for this long is replaced (none: never).
    pub reassign_after: Option<Duration>,
    /// "Online" lapses to "away" after this long without the inbox open.
    pub availability_idle: Duration,
    /// A dropped connection within this long still counts as the inbox open (new conversations
    /// still come); after it, none come until the inbox is back.
    pub availability_grace: Duration,
    /// The share of a target at which its warning falls due.
    pub sla_warning: f64,
    /// When distinct customers asking about one topic make a surge (none: surges are not
    /// looked for): `SWITCHBOARD_SURGE` (`on`, `off`), `_WINDOW`, `_MIN_REQUESTERS`, `_FACTOR`.
    pub surge: Option<crate::incidents::surge::Thresholds>,
    /// How often surges are looked for.
    pub surge_every: Duration,
    /// Peak-load mode starts (on its own) when the expected wait passes this.
    pub peak_wait: Duration,
}

impl Default for DeskSettings {
    fn default() -> Self {
        DeskSettings {
            assignment: Mode::Off,
            capacity: 10,
            weights: vec![(ChannelKind::Email, 0.5)],
            reassign_after: None,
            availability_idle: Duration::from_secs(15 * 60),
            availability_grace: Duration::from_secs(2 * 60),
            sla_warning: 0.8,
            surge: Some(crate::incidents::surge::Thresholds::default()),
            surge_every: Duration::from_secs(60),
            peak_wait: Duration::from_secs(30 * 60),
        }
    }
}

impl DeskSettings {
    pub fn read(settings: &Settings<'_>) -> Result<DeskSettings, SettingError> {
        let defaults = DeskSettings::default();
        Ok(DeskSettings {
            assignment: settings.parse("assignment", defaults.assignment, |v| match v {
                "off" => Ok(Mode::Off),
                "round_robin" => Ok(Mode::RoundRobin),
                "balanced" => Ok(Mode::Balanced),
                other => Err(format!("{other:?}: expected off, round_robin or balanced")),
            })?,
            capacity: settings.parse("assignment_capacity", defaults.capacity, |v| {
                v.parse::<u32>()
                    .ok()
                    .filter(|n| *n <= 10_000)
                    .ok_or_else(|| format!("{v:?} is not a number of conversations"))
            })?,
            weights: settings.parse("assignment_weights", defaults.weights, weights)?,
            reassign_after: settings.parse("reassign_after", None, |v| match v {
                "off" => Ok(None),
                v => humantime::parse_duration(v)
                    .map(Some)
                    .map_err(|_| format!("{v:?} is not a duration like 30m, or off")),
            })?,
            availability_idle: settings.duration("availability_idle", defaults.availability_idle, "15m")?,
            availability_grace: settings.duration("availability_grace", defaults.availability_grace, "2m")?,
            sla_warning: settings.parse("sla_warning", defaults.sla_warning, share)?,
            surge: surge(settings)?,
            surge_every: settings.duration("surge_every", defaults.surge_every, "1m")?,
            peak_wait: settings.duration("peak_wait", defaults.peak_wait, "30m")?,
        })
    }

    /// What an open conversation on `channel` weighs.
    pub fn weight(&self, channel: ChannelKind) -> f64 {
        self.weights.iter().find(|(c, _)| *c == channel).map_or(1.0, |(_, w)| *w)
    }
}

/// The surge thresholds, unless `surge` is `off`.
fn surge(settings: &Settings<'_>) -> Result<Option<crate::incidents::surge::Thresholds>, SettingError> {
    let on = settings.parse("surge", true, |v| match v {
        "on" => Ok(true),
        "off" => Ok(false),
        other => Err(format!("{other:?}: expected on or off")),
    })?;
    let defaults = crate::incidents::surge::Thresholds::default();
    let window = settings.duration("surge_window", Duration::from_millis(defaults.window_ms as u64), "15m")?;
    let thresholds = crate::incidents::surge::Thresholds {
        window_ms: window.as_millis().clamp(60_000, 24 * 3_600_000) as i64,
        min_requesters: settings.parse("surge_min_requesters", defaults.min_requesters, |v| {
            v.parse::<usize>()
                .ok()
                .filter(|n| (2..=100_000).contains(n))
                .ok_or_else(|| format!("{v:?}: a number from 2"))
        })?,
        factor: settings.parse("surge_factor", defaults.factor, |v| {
            v.parse::<f64>()
                .ok()
                .filter(|f| (1.0..=1_000.0).contains(f))
                .ok_or_else(|| format!("{v:?}: a factor from 1"))
        })?,
    };
    Ok(on.then_some(thresholds))
}

/// `email=0.5, telegram=1`.
fn weights(value: &str) -> Result<Vec<(ChannelKind, f64)>, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (channel, weight) = pair.split_once('=').ok_or_else(|| format!("{pair:?}: expected channel=weight"))?;
            let channel = channel.trim().parse::<ChannelKind>().map_err(|e| e.to_string())?;
            let weight = weight.trim().parse::<f64>().ok().filter(|w| (0.0..=100.0).contains(w));
            Ok((channel, weight.ok_or_else(|| format!("{pair:?}: a weight from 0 to 100"))?))
        })
        .collect()
}

/// `80%` or `0.8`: a share between 1% and 100%.
fn share(value: &str) -> Result<f64, String> {
    let parsed = match value.strip_suffix('%') {
        Some(percent) => percent.trim().parse::<f64>().map(|p| p / 100.0),
        None => value.parse::<f64>(),
    };
    parsed.ok().filter(|s| (0.01..=1.0).contains(s)).ok_or_else(|| format!("{value:?} is not a share like 80%"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Source;

    struct Map(Vec<(&'static str, &'static str)>);
    impl Source for Map {
        fn get(&self, key: &str) -> Option<(String, String)> {
            self.0.iter().find(|(k, _)| *k == key).map(|(k, v)| (v.to_string(), k.to_string()))
        }
    }

    #[test]
    fn settings_read_with_their_defaults_and_refuse_nonsense() {
        let read = |pairs| DeskSettings::read(&Settings::new(&Map(pairs)));
        assert_eq!(read(vec![]).unwrap(), DeskSettings::default());
        let set = read(vec![
            ("assignment", "balanced"),
            ("assignment_capacity", "3"),
            ("assignment_weights", "email=0.25, discord=2"),
            ("reassign_after", "30m"),
            ("sla_warning", "75%"),
        ])
        .unwrap();
        assert_eq!(set.assignment, Mode::Balanced);
        assert_eq!(set.capacity, 3);
        assert_eq!(set.weight(ChannelKind::Email), 0.25);
        assert_eq!(set.weight(ChannelKind::Webchat), 1.0);
        assert_eq!(set.reassign_after, Some(Duration::from_secs(1800)));
        assert_eq!(set.sla_warning, 0.75);
        for bad in [("assignment", "random"), ("assignment_capacity", "-1"), ("sla_warning", "180%")] {
            assert!(read(vec![bad]).is_err(), "{bad:?}");
        }
    }
}
