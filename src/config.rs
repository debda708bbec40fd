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
use switchboard_core::CoreConfig;
use switchboard_core::settings::{SettingError, Settings, Source, env_name};
use switchboard_core::store::Store;

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
    /// Where customers reach this service from outside (behind a reverse proxy: its URL): the
    /// origin of the links mail carries. `None`: the address listened on.
    pub public_url: Option<String>,
    pub log: String,
    pub log_format: LogFormat,
    /// Bearer token `/metrics` asks for; None = open.
    pub metrics_token: Option<Secret>,
    /// The knowledge base loaded into the store at start, when the folder exists.
    pub kb_dir: PathBuf,
    /// Messages and attachments older than this are deleted (`None`: kept for ever).
    pub retention: Option<Duration>,
    /// Largest file kept from a customer, in bytes.
    pub attachment_max_bytes: u64,
    /// The core: reopening, the promised response time, the data folder, the outbox.
    pub core: CoreConfig,
    /// The live bot: business hours, thresholds, resolving quiet conversations.
    pub bot: switchboard_bot::live::Settings,
    /// The desk: auto-assignment, availability, SLA warnings.
    pub desk: switchboard_core::desk::DeskSettings,
    /// How much one visitor may ask of the public web-chat API.
    pub webchat: switchboard_webchat::Limits,
    /// Block-explorer links in the inbox.
    pub explorers: switchboard_inbox::explorers::Explorers,
    /// The chains transactions are looked up on (`[chains.<name>]`); none: no lookups.
    pub chains: Vec<switchboard_chains::ChainSettings>,
    /// Telegram runs when its token is set.
    pub telegram: Option<switchboard_telegram::settings::Settings>,
    /// Discord runs when its token is set.
    pub discord: Option<switchboard_discord::Settings>,
    /// Email runs when its IMAP URL is set (with SMTP and a From address).
    pub email: Option<switchboard_email::settings::Settings>,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines (coloured on a terminal only).
    Text,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{setting}: {reason}")]
    Invalid { setting: String, reason: String },
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
}

/// The settings the binary reads itself; every component lists its own (`known_key`).
const KEYS: &[&str] = &[
    "database_url",
    "listen",
    "public_url",
    "log",
    "log_format",
    "metrics_token",
    "kb_dir",
    "retention",
    "attachment_max_mb",
];

/// Whether some component reads `key`.
fn known_key(key: &str) -> bool {
    let lists: [&[&str]; 9] = [
        KEYS,
        switchboard_core::config::KEYS,
        switchboard_core::desk::settings::KEYS,
        switchboard_core::outbox::KEYS,
        switchboard_bot::settings::KEYS,
        switchboard_webchat::KEYS,
        switchboard_telegram::settings::KEYS,
        switchboard_discord::settings::KEYS,
        switchboard_email::settings::KEYS,
    ];
    lists.iter().any(|keys| keys.contains(&key))
        || switchboard_core::outbox::is_throttle_key(key)
        || switchboard_inbox::explorers::Explorers::is_key(key)
        || switchboard_chains::settings::is_key(key)
}

/// The file's settings, and the environment, which wins.
struct Sources {
    file: HashMap<String, String>,
    file_name: Option<String>,
}

impl Source for Sources {
    fn get(&self, key: &str) -> Option<(String, String)> {
        let env = env_name(key);
        if let Ok(value) = std::env::var(&env) {
            return Some((value, env));
        }
        let value = self.file.get(key)?;
        let file = self.file_name.as_deref().unwrap_or(DEFAULT_FILE);
        Some((value.clone(), format!("{env} ({key} in {file})")))
    }
}

impl From<SettingError> for ConfigError {
    fn from(error: SettingError) -> Self {
        ConfigError::Invalid { setting: error.setting, reason: error.reason }
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
        if let Some(key) = sources.file.keys().find(|key| !known_key(key)) {
            return Err(ConfigError::File {
                path: sources.file_name.clone().unwrap_or_else(|| DEFAULT_FILE.into()),
                reason: format!("unknown setting {key:?}"),
            });
        }
        let settings = Settings::new(&sources);
        let attachment_max_bytes = settings.parse("attachment_max_mb", 20 * 1024 * 1024, |v| {
            v.parse::<u64>()
                .ok()
                .filter(|mb| (1..=2048).contains(mb))
                .map(|mb| mb * 1024 * 1024)
                .ok_or_else(|| format!("{v:?} is not a size in MB from 1 to 2048"))
        })?;
        Ok(Config {
            database_url: Secret(settings.parse("database_url", "sqlite://switchboard.db".to_owned(), |v| {
                Store::backend_of(v).map(|_| v.to_owned()).map_err(|e| e.to_string())
            })?),
            listen: settings.parse("listen", SocketAddr::from(([127, 0, 0, 1], 8080)), |v| {
                v.parse().map_err(|_| format!("{v:?} is not an address like 127.0.0.1:8080"))
            })?,
            public_url: match settings.value("public_url") {
                Some(_) => Some(settings.base_url("public_url", "")?),
                None => None,
            },
            log: std::env::var(env_name("log"))
                .or_else(|_| std::env::var("RUST_LOG"))
                .ok()
                .or_else(|| sources.file.get("log").cloned())
                .unwrap_or_else(|| "info,sqlx=warn,tower_http=info".to_owned()),
            log_format: settings.parse("log_format", LogFormat::Text, |v| match v {
                "text" => Ok(LogFormat::Text),
                "json" => Ok(LogFormat::Json),
                other => Err(format!("{other:?} is not text or json")),
            })?,
            metrics_token: settings.value("metrics_token").map(|v| Secret(v.trim().to_owned())),
            kb_dir: settings.parse("kb_dir", PathBuf::from("kb"), |v| Ok(PathBuf::from(v)))?,
            retention: settings.parse("retention", None, |v| match v {
                "" | "off" => Ok(None),
                v => humantime::parse_duration(v)
                    .ok()
                    .filter(|d| !d.is_zero())
                    .map(Some)
                    .ok_or_else(|| format!("{v:?} is not a duration like 365d, or off")),
            })?,
            attachment_max_bytes,
            core: CoreConfig::read(&settings)?,
            bot: switchboard_bot::live::Settings::read(&settings)?,
            desk: switchboard_core::desk::DeskSettings::read(&settings)?,
            webchat: switchboard_webchat::Limits::read(&settings)?,
            explorers: switchboard_inbox::explorers::Explorers::read(&settings)?,
            chains: switchboard_chains::settings::read(&settings, &chain_names(&sources.file))?,
            telegram: switchboard_telegram::settings::Settings::read(&settings)?,
            discord: switchboard_discord::Settings::read(&settings, attachment_max_bytes)?,
            email: switchboard_email::settings::Settings::read(&settings, attachment_max_bytes)?,
        })
    }
}

/// The chains named in the file (`[chains.bsc]`) or the environment (`SWITCHBOARD_CHAINS_BSC_…`).
fn chain_names(file: &HashMap<String, String>) -> std::collections::BTreeSet<String> {
    let env: Vec<String> = std::env::vars_os()
        .filter_map(|(name, _)| name.into_string().ok()?.strip_prefix("SWITCHBOARD_").map(str::to_ascii_lowercase))
        .collect();
    switchboard_chains::settings::names(file.keys().map(String::as_str).chain(env.iter().map(String::as_str)))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_components_settings_are_read_from_the_file() {
        let config = Config::from_toml(
            r#"
attachment_max_mb = 5
reopen_window = "2d"
retry_max_attempts = 3
bot_answer_at = 0.9
webchat_messages_per_session = "off"
explorer_evm_tx_hash = "https://explorer.example/tx/{value}"
[throttle.telegram]
global = "10/s"
[telegram]
token = "123456:ABC"
webhook_url = "https://support.example/telegram"
webhook_secret = "0123456789abcdef"
[discord]
token = "discord-token"
support_channels = ["42", "43"]
[chains.bsc]
kind = "evm"
rpc_url = "https://bsc.example/rpc/"
confirmations = 15
label = "BNB Smart Chain"
[chains.sol]
kind = "solana"
rpc_url = "http://127.0.0.1:8899"
tokens = ["EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v=USDC"]
[chains.tron]
kind = "tron"
rpc_url = "https://api.trongrid.io"
api_key = "a-trongrid-key"
"#,
        )
        .unwrap();
        assert_eq!(config.attachment_max_bytes, 5 * 1024 * 1024);
        assert_eq!(config.core.reopen_window, Duration::from_secs(2 * 24 * 3600));
        assert_eq!(config.core.dispatcher.retry.max_attempts, 3);
        let telegram_global = config.core.dispatcher.throttles[&switchboard_core::model::ChannelKind::Telegram].global;
        assert_eq!(telegram_global, "10/s".parse().ok());
        assert_eq!(config.bot.thresholds.answer, 0.9);
        assert_eq!(config.webchat.messages_per_session, None);
        let telegram = config.telegram.unwrap();
        assert_eq!(telegram.webhook.unwrap().0, "https://support.example/telegram");
        let discord = config.discord.unwrap();
        assert_eq!(discord.support_channels.len(), 2);
        assert_eq!(discord.max_attachment_bytes, 5 * 1024 * 1024);
        let [bsc, sol, tron] = config.chains.as_slice() else { panic!("three chains: {:?}", config.chains) };
        assert_eq!(
            (bsc.name.as_str(), bsc.rpc_url.as_str(), bsc.confirmations),
            ("bsc", "https://bsc.example/rpc", 15)
        );
        assert_eq!((bsc.label.as_str(), bsc.symbol.as_str()), ("BNB Smart Chain", "ETH"));
        assert_eq!((sol.kind, sol.confirmations), (switchboard_chains::Kind::Solana, 32));
        assert_eq!(sol.tokens["EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"], "USDC");
        assert_eq!(tron.api_key.as_ref().map(|k| k.0.as_str()), Some("a-trongrid-key"));
    }

    #[test]
    fn a_bad_value_names_the_setting_and_where_it_was_set() {
        let error = Config::from_toml("[telegram]\ntoken = \"no-colon\"").unwrap_err().to_string();
        assert!(error.starts_with("SWITCHBOARD_TELEGRAM_TOKEN (telegram_token in switchboard.toml)"), "{error}");
        let error = Config::from_toml("bot_answer_at = 0.2\nbot_offer_at = 0.5").unwrap_err().to_string();
        assert!(error.starts_with("SWITCHBOARD_BOT_OFFER_AT"), "{error}");
        let error = Config::from_toml("[chains.eth]\nkind = \"evm\"").unwrap_err().to_string();
        assert!(error.starts_with("SWITCHBOARD_CHAINS_ETH_RPC_URL"), "{error}");
        let error = Config::from_toml("[chains.eth]\nkind = \"evm\"\nrpc = \"x\"").unwrap_err().to_string();
        assert!(error.contains("unknown setting \"chains_eth_rpc\""), "{error}");
        let error = Config::from_toml("telegram_tokn = \"x\"").unwrap_err().to_string();
        assert!(error.contains("unknown setting \"telegram_tokn\""), "{error}");
    }
}
