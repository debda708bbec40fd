//! The configuration: one typed struct, loaded once from a TOML file and the environment
//! (which wins), validated before anything starts. A bad value names its setting.
//!
//! Every file key has an environment twin: `database_url` ↔ `SWITCHBOARD_DATABASE_URL`; tables
//! flatten with `_` (`[throttle.telegram] global` ↔ `SWITCHBOARD_THROTTLE_TELEGRAM_GLOBAL`).

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use switchboard_core::model::ChannelKind;
use switchboard_core::outbox::{Rate, Throttle};
use switchboard_core::store::Store;

const PREFIX: &str = "SWITCHBOARD_";
const DEFAULT_FILE: &str = "switchboard.toml";

/// A value that must never be printed (bot tokens, passwords).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: Secret,
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub log: String,
    pub log_format: LogFormat,
    /// Bearer token `/metrics` asks for; None = open.
    pub metrics_token: Option<Secret>,
    pub reopen_window: Duration,
    /// How soon people usually answer: the chat page and the bot's hand-off promise it.
    pub response_time: Duration,
    pub throttles: HashMap<ChannelKind, Throttle>,
    pub retry_max_attempts: u32,
    /// Settings named by docs/reference.md for components this build does not include yet (channel
    /// credentials, the knowledge base): accepted, and reported at start as unused.
    pub pending_settings: HashMap<&'static str, Secret>,
    /// Telegram runs when its token is set.
    pub telegram: Option<TelegramConfig>,
    /// The knowledge base loaded into the store at start, when the folder exists.
    pub kb_dir: PathBuf,
    /// When people answer; unset = always.
    pub business_hours: Option<switchboard_bot::hours::BusinessHours>,
    /// The bot's confidence needed to answer, and to offer articles as choices.
    pub bot_thresholds: switchboard_bot::Thresholds,
    /// A conversation the bot answered is resolved (as the bot's) after the customer stays
    /// silent this long.
    pub bot_resolve_after: Duration,
    /// How much one visitor may ask of the public web-chat API.
    pub webchat_limits: switchboard_webchat::Limits,
    /// Messages and attachments older than this are deleted (`None`: kept for ever).
    pub retention: Option<Duration>,
    /// Discord runs when its token is set.
    pub discord: Option<switchboard_discord::Settings>,
    /// Email runs when its IMAP URL is set (with SMTP and a From address).
    pub email: Option<switchboard_email::settings::Settings>,
    /// Largest file kept from a customer, in bytes.
    pub attachment_max_bytes: u64,
    /// Block-explorer URL templates that replace the defaults: `(chain, kind)` → template.
    pub explorers: Vec<(&'static str, &'static str, String)>,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines (coloured on a terminal only).
    Text,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, Clone)]
pub struct TelegramConfig {
    pub token: Secret,
    /// The Bot API base: Telegram's, a local Bot API server, or a test fake.
    pub api_url: String,
    /// Webhook mode: the public URL Telegram posts to, and the secret every call must carry.
    pub webhook: Option<(String, Secret)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{setting}: {reason}")]
    Invalid { setting: String, reason: String },
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
}

/// Settings of components that are not part of this build yet.
const PENDING_KEYS: &[&str] = &[];

const KEYS: &[&str] = &[
    "kb_dir",
    "business_hours",
    "business_timezone",
    "business_holidays",
    "bot_answer_at",
    "bot_offer_at",
    "bot_resolve_after",
    "discord_token",
    "discord_api_url",
    "discord_support_channels",
    "imap_url",
    "smtp_url",
    "email_from",
    "tls_ca_file",
    "telegram_token",
    "telegram_api_url",
    "database_url",
    "listen",
    "data_dir",
    "log",
    "log_format",
    "metrics_token",
    "reopen_window",
    "response_time",
    "retry_max_attempts",
    "retention",
    "webchat_sessions_per_address",
    "webchat_messages_per_session",
    "webchat_messages_per_address",
];

struct Sources {
    file: HashMap<String, String>,
    file_name: Option<String>,
}

impl Sources {
    /// The raw value of `key` and the name to blame when it is wrong.
    fn get(&self, key: &str) -> Option<(String, String)> {
        let env = format!("{PREFIX}{}", key.to_ascii_uppercase());
        if let Ok(value) = std::env::var(&env) {
            return Some((value, env));
        }
        let value = self.file.get(key)?;
        let file = self.file_name.as_deref().unwrap_or(DEFAULT_FILE);
        Some((value.clone(), format!("{env} ({key} in {file})")))
    }

    fn parse<T>(&self, key: &str, default: T, parse: impl Fn(&str) -> Result<T, String>) -> Result<T, ConfigError> {
        match self.get(key) {
            None => Ok(default),
            Some((value, setting)) => parse(value.trim()).map_err(|reason| ConfigError::Invalid { setting, reason }),
        }
    }
}

impl Config {
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let sources = match path {
            Some(path) => Sources { file: read_file(path)?, file_name: Some(path.display().to_string()) },
            None if Path::new(DEFAULT_FILE).exists() => {
                Sources { file: read_file(Path::new(DEFAULT_FILE))?, file_name: None }
            }
            None => Sources { file: HashMap::new(), file_name: None },
        };
        Config::from_sources(sources)
    }

    /// The configuration a file with this text would give (the environment still overrides it).
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let file = read_toml(text).map_err(|reason| ConfigError::File { path: DEFAULT_FILE.into(), reason })?;
        Config::from_sources(Sources { file, file_name: None })
    }

    fn from_sources(sources: Sources) -> Result<Config, ConfigError> {
        for key in sources.file.keys() {
            let known = KEYS.contains(&key.as_str())
                || PENDING_KEYS.contains(&key.as_str())
                || throttle_key(key).is_some()
                || explorer_key(key).is_some();
            if !known {
                return Err(ConfigError::File {
                    path: sources.file_name.clone().unwrap_or_else(|| DEFAULT_FILE.into()),
                    reason: format!("unknown setting {key:?}"),
                });
            }
        }

        let database_url = sources.parse("database_url", "sqlite://switchboard.db".to_owned(), |v| {
            Store::backend_of(v).map(|_| v.to_owned()).map_err(|e| e.to_string())
        })?;
        let listen = sources.parse("listen", SocketAddr::from(([127, 0, 0, 1], 8080)), |v| {
            v.parse().map_err(|_| format!("{v:?} is not an address like 127.0.0.1:8080"))
        })?;
        let reopen_window = sources.parse("reopen_window", Duration::from_secs(7 * 24 * 3600), |v| {
            humantime::parse_duration(v).map_err(|e| format!("{v:?} is not a duration like 7d or 12h: {e}"))
        })?;
        let bot_resolve_after = sources.parse("bot_resolve_after", Duration::from_secs(24 * 3600), |v| {
            humantime::parse_duration(v)
                .ok()
                .filter(|d| !d.is_zero())
                .ok_or_else(|| format!("{v:?} is not a duration like 24h or 30m"))
        })?;
        let retry_max_attempts = sources.parse("retry_max_attempts", 12, |v| {
            v.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| format!("{v:?} is not a positive number"))
        })?;
        let mut throttles = HashMap::new();
        for &kind in ChannelKind::ALL {
            let mut throttle = platform_throttle(kind);
            let rate = |v: &str| v.parse::<Rate>().map(Some).map_err(|e| e.to_string());
            let name = kind.as_str();
            throttle.per_destination =
                sources.parse(&format!("throttle_{name}_per_destination"), throttle.per_destination, rate)?;
            throttle.per_group = sources.parse(&format!("throttle_{name}_per_group"), throttle.per_group, rate)?;
            throttle.global = sources.parse(&format!("throttle_{name}_global"), throttle.global, rate)?;
            throttles.insert(kind, throttle);
        }
        let mut explorers = Vec::new();
        for &chain in switchboard_inbox::explorers::CHAINS {
            for &kind in switchboard_inbox::explorers::KINDS {
                let key = format!("explorer_{chain}_{kind}");
                let template = sources.parse(&key, None, |v| {
                    if v.starts_with("https://") || v.starts_with("http://") {
                        Ok(Some(v.to_owned()))
                    } else {
                        Err(format!("{v:?} is not an http(s) URL template like https://etherscan.io/tx/{{value}}"))
                    }
                })?;
                if let Some(template) = template {
                    explorers.push((chain, kind, template));
                }
            }
        }
        let telegram = match sources.get("telegram_token").filter(|(v, _)| !v.trim().is_empty()) {
            None => None,
            Some((token, setting)) => {
                if !token.contains(':') {
                    return Err(ConfigError::Invalid {
                        setting,
                        reason: "expected a bot token like 123456:ABC-DEF…".into(),
                    });
                }
                let api_url = sources.parse("telegram_api_url", "https://api.telegram.org".to_owned(), |v| {
                    if v.starts_with("http://") || v.starts_with("https://") {
                        Ok(v.trim_end_matches('/').to_owned())
                    } else {
                        Err(format!("{v:?} is not an http(s) URL"))
                    }
                })?;
                let webhook_url = sources.parse("telegram_webhook_url", None, |v| {
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
                        let (secret, setting) = sources.get("telegram_webhook_secret").unwrap_or_default();
                        let setting =
                            if setting.is_empty() { "SWITCHBOARD_TELEGRAM_WEBHOOK_SECRET".to_owned() } else { setting };
                        let valid = (16..=256).contains(&secret.len())
                            && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                        if !valid {
                            return Err(ConfigError::Invalid {
                                setting,
                                reason: "webhook mode needs a secret of 16 to 256 letters, digits, _ or -".into(),
                            });
                        }
                        Some((url, Secret(secret)))
                    }
                };
                Some(TelegramConfig { token: Secret(token.trim().to_owned()), api_url, webhook })
            }
        };
        let attachment_max_bytes = sources.parse("attachment_max_mb", 20 * 1024 * 1024, |v| {
            v.parse::<u64>()
                .ok()
                .filter(|mb| (1..=2048).contains(mb))
                .map(|mb| mb * 1024 * 1024)
                .ok_or_else(|| format!("{v:?} is not a size in MB from 1 to 2048"))
        })?;
        let value = |key: &str| sources.get(key).map(|(v, _)| v).filter(|v| !v.trim().is_empty());
        let email = match value("imap_url") {
            None => None,
            Some(imap) => Some(
                switchboard_email::settings::Settings::parse(
                    &imap,
                    value("smtp_url").as_deref(),
                    value("email_from").as_deref(),
                    value("tls_ca_file").as_deref(),
                    attachment_max_bytes,
                )
                .map_err(|e| ConfigError::Invalid { setting: e.setting.to_owned(), reason: e.reason })?,
            ),
        };
        let business_hours = match sources.get("business_hours").filter(|(v, _)| !v.trim().is_empty()) {
            None => None,
            Some((schedule, setting)) => {
                let zone = value("business_timezone").unwrap_or_else(|| "UTC".to_owned());
                let holidays = value("business_holidays").unwrap_or_default();
                Some(
                    switchboard_bot::hours::BusinessHours::parse(&schedule, &zone, &holidays)
                        .map_err(|reason| ConfigError::Invalid { setting, reason })?,
                )
            }
        };
        let confidence = |v: &str| match v.trim().parse::<f32>() {
            Ok(c) if (0.0..=1.0).contains(&c) => Ok(c),
            _ => Err(format!("{v:?} is not a confidence between 0 and 1")),
        };
        let defaults = switchboard_bot::Thresholds::default();
        let answer = sources.parse("bot_answer_at", defaults.answer, confidence)?;
        // Lowering only the answer threshold lowers the offer threshold with it.
        let offer = sources.parse("bot_offer_at", defaults.offer.min(answer), confidence)?;
        let bot_thresholds = switchboard_bot::Thresholds { answer, offer };
        if bot_thresholds.offer > bot_thresholds.answer {
            return Err(ConfigError::Invalid {
                setting: format!("{PREFIX}BOT_OFFER_AT"),
                reason: format!(
                    "{} is above the answer threshold {} (offering needs less confidence than answering)",
                    bot_thresholds.offer, bot_thresholds.answer
                ),
            });
        }
        let discord = match value("discord_token") {
            None => None,
            Some(token) => {
                let api_url = sources.parse("discord_api_url", "https://discord.com".to_owned(), |v| {
                    if v.starts_with("http://") || v.starts_with("https://") {
                        Ok(v.trim_end_matches('/').to_owned())
                    } else {
                        Err(format!("{v:?} is not an http(s) URL"))
                    }
                })?;
                let support_channels = sources.parse("discord_support_channels", Default::default(), |v| {
                    v.split(',')
                        .map(str::trim)
                        .filter(|id| !id.is_empty())
                        .map(|id| id.parse::<u64>().map_err(|_| format!("{id:?} is not a channel id")))
                        .collect()
                })?;
                Some(switchboard_discord::Settings {
                    token: token.trim().to_owned(),
                    api_url,
                    support_channels,
                    max_attachment_bytes: attachment_max_bytes,
                })
            }
        };
        let mut pending_settings = HashMap::new();
        for &key in PENDING_KEYS {
            if let Some((value, _)) = sources.get(key).filter(|(v, _)| !v.trim().is_empty()) {
                pending_settings.insert(key, Secret(value));
            }
        }
        Ok(Config {
            database_url: Secret(database_url),
            listen,
            data_dir: sources.parse("data_dir", PathBuf::from("data"), |v| Ok(PathBuf::from(v)))?,
            log: std::env::var(format!("{PREFIX}LOG"))
                .or_else(|_| std::env::var("RUST_LOG"))
                .ok()
                .or_else(|| sources.file.get("log").cloned())
                .unwrap_or_else(|| "info,sqlx=warn,tower_http=info".to_owned()),
            log_format: sources.parse("log_format", LogFormat::Text, |v| match v {
                "text" => Ok(LogFormat::Text),
                "json" => Ok(LogFormat::Json),
                other => Err(format!("{other:?} is not text or json")),
            })?,
            metrics_token: sources
                .get("metrics_token")
                .map(|(v, _)| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .map(Secret),
            reopen_window,
            response_time: sources.parse("response_time", Duration::from_secs(4 * 3600), |v| {
                humantime::parse_duration(v)
                    .ok()
                    .filter(|d| !d.is_zero())
                    .ok_or_else(|| format!("{v:?} is not a duration like 30m or 4h"))
            })?,
            throttles,
            retry_max_attempts,
            webchat_limits: {
                let defaults = switchboard_webchat::Limits::default();
                let rate = |v: &str| match v {
                    "off" => Ok(None),
                    v => v.parse::<Rate>().map(Some).map_err(|e| e.to_string()),
                };
                switchboard_webchat::Limits {
                    sessions_per_address: sources.parse(
                        "webchat_sessions_per_address",
                        defaults.sessions_per_address,
                        rate,
                    )?,
                    messages_per_session: sources.parse(
                        "webchat_messages_per_session",
                        defaults.messages_per_session,
                        rate,
                    )?,
                    messages_per_address: sources.parse(
                        "webchat_messages_per_address",
                        defaults.messages_per_address,
                        rate,
                    )?,
                }
            },
            retention: sources.parse("retention", None, |v| match v {
                "" | "off" => Ok(None),
                v => humantime::parse_duration(v)
                    .ok()
                    .filter(|d| !d.is_zero())
                    .map(Some)
                    .ok_or_else(|| format!("{v:?} is not a duration like 365d, or off")),
            })?,
            pending_settings,
            telegram,
            kb_dir: sources.parse("kb_dir", PathBuf::from("kb"), |v| Ok(PathBuf::from(v)))?,
            business_hours,
            bot_thresholds,
            bot_resolve_after,
            discord,
            email,
            attachment_max_bytes,
            explorers,
        })
    }
}

/// What each platform documents as its sending limits; operators can tighten or relax them.
fn platform_throttle(kind: ChannelKind) -> Throttle {
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

fn explorer_key(key: &str) -> Option<()> {
    let rest = key.strip_prefix("explorer_")?;
    let known = switchboard_inbox::explorers::CHAINS.iter().any(|chain| {
        rest.strip_prefix(chain)
            .and_then(|r| r.strip_prefix('_'))
            .is_some_and(|kind| switchboard_inbox::explorers::KINDS.contains(&kind))
    });
    known.then_some(())
}

fn throttle_key(key: &str) -> Option<()> {
    let rest = key.strip_prefix("throttle_")?;
    let (channel, limit) = rest.split_once('_')?;
    channel.parse::<ChannelKind>().ok()?;
    matches!(limit, "per_destination" | "per_group" | "global").then_some(())
}

fn read_file(path: &Path) -> Result<HashMap<String, String>, ConfigError> {
    let error = |reason: String| ConfigError::File { path: path.display().to_string(), reason };
    let text = std::fs::read_to_string(path).map_err(|e| error(e.to_string()))?;
    read_toml(&text).map_err(error)
}

fn read_toml(text: &str) -> Result<HashMap<String, String>, String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.message().to_owned())?;
    let mut flat = HashMap::new();
    flatten("", &table, &mut flat)?;
    Ok(flat)
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) -> Result<(), String> {
    for (key, value) in table {
        let key = if prefix.is_empty() { key.clone() } else { format!("{prefix}_{key}") };
        let text = match value {
            toml::Value::Table(inner) => {
                flatten(&key, inner, out)?;
                continue;
            }
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()))
                .collect::<Vec<_>>()
                .join(","),
            toml::Value::Datetime(d) => d.to_string(),
        };
        out.insert(key, text);
    }
    Ok(())
}
