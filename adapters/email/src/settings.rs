//! The mail settings (IMAP, SMTP, From, an extra CA), parsed and checked before anything connects.

use lettre::message::Mailbox;
use std::fmt;
use std::sync::Arc;
use url::Url;

/// A bad setting, named as the operator set it.
#[derive(Debug, thiserror::Error)]
#[error("{setting}: {reason}")]
pub struct SettingsError {
    pub setting: &'static str,
    pub reason: String,
}

fn invalid(setting: &'static str, reason: impl Into<String>) -> SettingsError {
    SettingsError { setting, reason: reason.into() }
}

/// How a connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (`imaps://`, `smtps://`).
    Implicit,
    /// Plain, then STARTTLS before any password is sent.
    StartTls,
    /// SMTP only: STARTTLS when the server offers it (`smtp://` without `?tls=`).
    Opportunistic,
}

#[derive(Clone)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    pub security: Security,
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}:{} ({:?}, password hidden)", self.user, self.host, self.port, self.security)
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub imap: Endpoint,
    pub mailbox: String,
    pub smtp: Endpoint,
    pub from: Mailbox,
    /// An extra certificate authority (PEM) to trust, besides the public roots.
    pub ca_pem: Option<Vec<u8>>,
    pub max_attachment_bytes: u64,
}

/// The keys this adapter reads.
pub const KEYS: &[&str] = &["imap_url", "smtp_url", "email_from", "tls_ca_file"];

impl Settings {
    /// Mail runs when its IMAP URL is set (with SMTP and a From address); files above
    /// `max_attachment_bytes` are not kept.
    pub fn read(
        settings: &switchboard_core::settings::Settings<'_>,
        max_attachment_bytes: u64,
    ) -> Result<Option<Settings>, switchboard_core::settings::SettingError> {
        let Some(imap) = settings.value("imap_url") else { return Ok(None) };
        Settings::parse(
            &imap,
            settings.value("smtp_url").as_deref(),
            settings.value("email_from").as_deref(),
            settings.value("tls_ca_file").as_deref(),
            max_attachment_bytes,
        )
        .map(Some)
        .map_err(|e| switchboard_core::settings::SettingError { setting: e.setting.to_owned(), reason: e.reason })
    }

    pub fn parse(
        imap_url: &str,
        smtp_url: Option<&str>,
        from: Option<&str>,
        ca_file: Option<&str>,
        max_attachment_bytes: u64,
    ) -> Result<Settings, SettingsError> {
        const IMAP: &str = "SWITCHBOARD_IMAP_URL";
        const SMTP: &str = "SWITCHBOARD_SMTP_URL";
        let url = Url::parse(imap_url.trim()).map_err(|e| invalid(IMAP, format!("not a URL: {e}")))?;
        let (security, default_port) = match url.scheme() {
            "imaps" => (Security::Implicit, 993),
            "imap" => (Security::StartTls, 143),
            other => return Err(invalid(IMAP, format!("scheme {other:?}: expected imap:// or imaps://"))),
        };
        let imap = endpoint(&url, security, default_port).map_err(|r| invalid(IMAP, r))?;
        let mailbox = match url.path().trim_matches('/') {
            "" => "INBOX".to_owned(),
            path => percent_decode(path).map_err(|r| invalid(IMAP, r))?,
        };
        let smtp_url = smtp_url
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| invalid(SMTP, "needed with SWITCHBOARD_IMAP_URL to send replies"))?;
        let url = Url::parse(smtp_url.trim()).map_err(|e| invalid(SMTP, format!("not a URL: {e}")))?;
        let tls = url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.to_ascii_lowercase());
        let (security, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtps", _) => (Security::Implicit, 465),
            ("smtp", Some("starttls" | "required")) => (Security::StartTls, 587),
            ("smtp", None | Some("opportunistic")) => (Security::Opportunistic, 587),
            ("smtp", Some(other)) => return Err(invalid(SMTP, format!("tls={other}: expected tls=starttls"))),
            (other, _) => return Err(invalid(SMTP, format!("scheme {other:?}: expected smtp:// or smtps://"))),
        };
        let smtp = endpoint(&url, security, default_port).map_err(|r| invalid(SMTP, r))?;
        let from = from.filter(|s| !s.trim().is_empty()).ok_or_else(|| {
            invalid("SWITCHBOARD_EMAIL_FROM", "needed with SWITCHBOARD_IMAP_URL, e.g. Support <support@example.com>")
        })?;
        let from: Mailbox = from
            .trim()
            .parse()
            .map_err(|e| invalid("SWITCHBOARD_EMAIL_FROM", format!("{from:?} is not an address: {e}")))?;
        let ca_pem = match ca_file.filter(|s| !s.trim().is_empty()) {
            None => None,
            Some(path) => {
                let pem = std::fs::read(path.trim())
                    .map_err(|e| invalid("SWITCHBOARD_TLS_CA_FILE", format!("{path}: {e}")))?;
                crate::tls::client_config(Some(&pem)).map_err(|r| invalid("SWITCHBOARD_TLS_CA_FILE", r))?;
                Some(pem)
            }
        };
        Ok(Settings { imap, mailbox, smtp, from, ca_pem, max_attachment_bytes })
    }

    /// The TLS client configuration for both servers.
    pub fn tls_client(&self) -> Arc<tokio_rustls::rustls::ClientConfig> {
        crate::tls::client_config(self.ca_pem.as_deref()).expect("checked when parsed")
    }
}

fn endpoint(url: &Url, security: Security, default_port: u16) -> Result<Endpoint, String> {
    let host = url.host_str().filter(|h| !h.is_empty()).ok_or("no host")?.trim_matches(['[', ']']).to_owned();
    if url.username().is_empty() {
        return Err("no user (scheme://user:password@host:port)".into());
    }
    Ok(Endpoint {
        host,
        port: url.port().unwrap_or(default_port),
        user: percent_decode(url.username())?,
        password: percent_decode(url.password().unwrap_or_default())?,
        security,
    })
}

fn percent_decode(text: &str) -> Result<String, String> {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| "unreadable percent-encoding".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_of_the_contract_parse() {
        let s = Settings::parse(
            "imaps://support%40support.test:p%40ss+1@127.0.0.1:10993/INBOX",
            Some("smtp://support%40support.test:pw@127.0.0.1:10587?tls=starttls"),
            Some("Support <support@support.test>"),
            None,
            1024,
        )
        .unwrap();
        assert_eq!(s.imap.user, "support@support.test");
        assert_eq!(s.imap.password, "p@ss+1");
        assert_eq!((s.imap.port, s.imap.security), (10993, Security::Implicit));
        assert_eq!(s.mailbox, "INBOX");
        assert_eq!((s.smtp.port, s.smtp.security), (10587, Security::StartTls));
        assert!(!format!("{s:?}").contains("p@ss"), "passwords never print");
    }

    #[test]
    fn bad_settings_name_themselves() {
        let e = Settings::parse("pop3://a:b@h", Some("smtp://a:b@h"), Some("a@b.c"), None, 1).unwrap_err();
        assert_eq!(e.setting, "SWITCHBOARD_IMAP_URL");
        let e = Settings::parse("imap://a:b@h", None, Some("a@b.c"), None, 1).unwrap_err();
        assert_eq!(e.setting, "SWITCHBOARD_SMTP_URL");
        let e = Settings::parse("imap://a:b@h", Some("smtp://a:b@h"), Some("nope"), None, 1).unwrap_err();
        assert_eq!(e.setting, "SWITCHBOARD_EMAIL_FROM");
    }
}
