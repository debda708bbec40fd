//! Reading settings: every component parses and checks its own section from one `Source` (the
//! configuration file and the environment, merged by the binary), and a bad value names the
//! setting as the operator set it.

use std::time::Duration;

/// Where settings come from: the raw value of a key (`telegram_token`) and the name to blame
/// when it is wrong (`SWITCHBOARD_TELEGRAM_TOKEN`, or that and where the file set it).
pub trait Source {
    fn get(&self, key: &str) -> Option<(String, String)>;
}

/// A setting refused, with why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{setting}: {reason}")]
pub struct SettingError {
    pub setting: String,
    pub reason: String,
}

/// The environment variable that sets `key`.
pub fn env_name(key: &str) -> String {
    format!("SWITCHBOARD_{}", key.to_ascii_uppercase())
}

/// Typed reads of a `Source`.
#[derive(Clone, Copy)]
pub struct Settings<'a> {
    source: &'a dyn Source,
}

impl<'a> Settings<'a> {
    pub fn new(source: &'a dyn Source) -> Settings<'a> {
        Settings { source }
    }

    /// The raw value and the name to blame.
    pub fn get(&self, key: &str) -> Option<(String, String)> {
        self.source.get(key)
    }

    /// The value of `key`, when it is set to something other than blanks.
    pub fn value(&self, key: &str) -> Option<String> {
        self.get(key).map(|(v, _)| v).filter(|v| !v.trim().is_empty())
    }

    /// `key` read by `parse` (its value trimmed), or `default` when it is not set.
    pub fn parse<T>(
        &self,
        key: &str,
        default: T,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<T, SettingError> {
        match self.get(key) {
            None => Ok(default),
            Some((value, setting)) => parse(value.trim()).map_err(|reason| SettingError { setting, reason }),
        }
    }

    /// An error naming `key` as set (or as its environment variable, when it is not set).
    pub fn invalid(&self, key: &str, reason: impl Into<String>) -> SettingError {
        let setting = self.get(key).map(|(_, setting)| setting).unwrap_or_else(|| env_name(key));
        SettingError { setting, reason: reason.into() }
    }

    /// An http(s) base URL without its trailing `/`.
    pub fn base_url(&self, key: &str, default: &str) -> Result<String, SettingError> {
        self.parse(key, default.to_owned(), |v| {
            if v.starts_with("http://") || v.starts_with("https://") {
                Ok(v.trim_end_matches('/').to_owned())
            } else {
                Err(format!("{v:?} is not an http(s) URL"))
            }
        })
    }

    /// A duration above zero (`30m`, `4h`, `7d`); `example` shows the operator the form.
    pub fn duration(&self, key: &str, default: Duration, example: &str) -> Result<Duration, SettingError> {
        self.parse(key, default, |v| {
            humantime::parse_duration(v)
                .ok()
                .filter(|d| !d.is_zero())
                .ok_or_else(|| format!("{v:?} is not a duration like {example}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<&'static str, &'static str>);

    impl Source for Map {
        fn get(&self, key: &str) -> Option<(String, String)> {
            self.0.get(key).map(|v| (v.to_string(), env_name(key)))
        }
    }

    #[test]
    fn a_bad_value_names_its_setting_and_an_unset_one_takes_the_default() {
        let source = Map(HashMap::from([("reopen_window", "soon"), ("api_url", "https://x.test/")]));
        let settings = Settings::new(&source);
        let error = settings.duration("reopen_window", Duration::from_secs(1), "7d").unwrap_err();
        assert_eq!(error.setting, "SWITCHBOARD_REOPEN_WINDOW");
        assert!(error.reason.contains("\"soon\""), "{error}");
        assert_eq!(settings.duration("response_time", Duration::from_secs(9), "4h"), Ok(Duration::from_secs(9)));
        assert_eq!(settings.base_url("api_url", "https://default.test").unwrap(), "https://x.test");
        assert_eq!(settings.invalid("unset_key", "why").setting, "SWITCHBOARD_UNSET_KEY");
    }
}
