//! Real mail servers for the email tests: Dovecot (IMAP with IDLE, submission, LMTP) and an
//! SMTP MX on 127.0.0.1, started by `tests/support/mail/mail-peer.sh` (scripts/test.sh
//! installs the packages), one instance per test on its own ports.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

pub const SUPPORT: &str = "support@support.test";
pub const CUSTOMER: &str = "customer@customer.test";
pub const STRANGER: &str = "stranger@other.test";

static NEXT: AtomicU16 = AtomicU16::new(0);

pub struct MailPeer {
    pub dir: PathBuf,
    base: u16,
    catchall: Option<&'static str>,
}

impl MailPeer {
    /// Starts a peer whose unknown recipients land in the customer's mailbox (so that a reply
    /// to a bounce or to a machine would be seen).
    pub fn start() -> MailPeer {
        Self::start_with(Some(CUSTOMER))
    }

    /// Without a catch-all, mail to unknown local users is refused (550) by the MX, and the
    /// submission server passes that on.
    pub fn start_with(catchall: Option<&'static str>) -> MailPeer {
        assert!(
            std::path::Path::new("/usr/sbin/dovecot").exists(),
            "Dovecot is not installed: run scripts/test.sh, which installs it"
        );
        // Bases 10 apart never share a port (the offsets used are 24, 25, 143, 465, 587, 993).
        // All below Linux's ephemeral range (32768 and up), where an outgoing connection of any
        // process may already hold the port the peer is about to listen on.
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let base = 10_000 + (std::process::id() % 50) as u16 * 400 + n * 10;
        // Not under a private temp dir: the peer drops to `nobody` when run as root.
        let dir = std::env::temp_dir().join(format!("switchboard-mail-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let peer = MailPeer { dir, base, catchall };
        peer.run("start");
        peer
    }

    fn run(&self, action: &str) {
        if let Err(output) = self.try_run(action) {
            panic!("mail-peer.sh {action}: {output}");
        }
    }

    fn try_run(&self, action: &str) -> Result<(), String> {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/mail/mail-peer.sh");
        let out = Command::new("bash")
            .arg(script)
            .arg(action)
            .env("MAIL_PEER_DIR", &self.dir)
            .env("MAIL_PEER_PORT_BASE", self.base.to_string())
            .env("MAIL_PEER_USERS", format!("{SUPPORT}:support-pass {CUSTOMER}:customer-pass {STRANGER}:stranger-pass"))
            .env("MAIL_PEER_CATCHALL", self.catchall.unwrap_or(""))
            .output()
            .expect("run mail-peer.sh");
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
        }
    }

    /// Stops and starts the servers: every open connection drops, the mail stays.
    pub fn restart(&self) {
        self.run("stop");
        // The old processes may hold the ports for a moment after `stop` returns.
        let mut last = String::new();
        for _ in 0..20 {
            match self.try_run("start") {
                Ok(()) => return,
                Err(output) => last = output,
            }
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
        panic!("mail-peer.sh start after stop: {last}");
    }

    pub fn mx_port(&self) -> u16 {
        self.base + 25
    }

    pub fn imap_port(&self) -> u16 {
        self.base + 143
    }

    pub fn submission_port(&self) -> u16 {
        self.base + 587
    }

    /// The gateway's settings for this peer: IMAP with STARTTLS, submission with STARTTLS,
    /// the peer's self-signed certificate trusted.
    pub fn gateway_env(&self) -> Vec<(&'static str, String)> {
        self.gateway_env_via(self.imap_port(), self.submission_port())
    }

    /// `gateway_env` with IMAP and submission reached on other ports (a proxy's).
    pub fn gateway_env_via(&self, imap: u16, submission: u16) -> Vec<(&'static str, String)> {
        vec![
            ("SWITCHBOARD_IMAP_URL", format!("imap://support%40support.test:support-pass@127.0.0.1:{imap}/INBOX")),
            (
                "SWITCHBOARD_SMTP_URL",
                format!("smtp://support%40support.test:support-pass@127.0.0.1:{submission}?tls=starttls"),
            ),
            ("SWITCHBOARD_EMAIL_FROM", format!("Support <{SUPPORT}>")),
            ("SWITCHBOARD_TLS_CA_FILE", self.dir.join("cert.pem").display().to_string()),
        ]
    }

    /// The same with implicit TLS on both sides (`imaps://`, `smtps://`).
    pub fn gateway_env_implicit_tls(&self) -> Vec<(&'static str, String)> {
        let mut env = self.gateway_env();
        env[0].1 = format!("imaps://support%40support.test:support-pass@127.0.0.1:{}/INBOX", self.base + 993);
        env[1].1 = format!("smtps://support%40support.test:support-pass@127.0.0.1:{}", self.base + 465);
        env
    }

    /// Hands a mail to the MX, as the internet would.
    pub async fn deliver(&self, raw: &str) {
        use lettre::AsyncTransport;
        let message = mail_parser::MessageParser::default().parse(raw.as_bytes()).expect("a mail");
        let from = message.from().and_then(|a| a.first()).and_then(|a| a.address()).expect("From").to_owned();
        let envelope =
            lettre::address::Envelope::new(Some(from.parse().unwrap()), vec![SUPPORT.parse().unwrap()]).unwrap();
        let mx = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous("127.0.0.1")
            .port(self.mx_port())
            .build();
        mx.send_raw(&envelope, raw.replace("\r\n", "\n").replace('\n', "\r\n").as_bytes())
            .await
            .expect("the MX takes the mail");
    }

    /// Every mail in `address`'s mailbox, oldest first, raw.
    pub fn mailbox(&self, address: &str) -> Vec<String> {
        let mut mails = Vec::new();
        for folder in ["new", "cur"] {
            let path = self.dir.join("mail").join(address).join("Maildir").join(folder);
            for entry in std::fs::read_dir(&path).into_iter().flatten().flatten() {
                let modified = entry.metadata().and_then(|m| m.modified()).ok();
                mails.push((modified, entry.file_name(), std::fs::read_to_string(entry.path()).unwrap_or_default()));
            }
        }
        mails.sort();
        mails.into_iter().map(|(_, _, text)| text).collect()
    }

    /// Waits until `address` has at least `n` mails; returns them.
    pub async fn wait_for_mail(&self, address: &str, n: usize) -> Vec<String> {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let mails = self.mailbox(address);
            if mails.len() >= n {
                return mails;
            }
            assert!(std::time::Instant::now() < deadline, "{address} has {} mails, expected {n}", mails.len());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for MailPeer {
    fn drop(&mut self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/mail/mail-peer.sh");
        let _ = Command::new("bash").arg(script).arg("stop").env("MAIL_PEER_DIR", &self.dir).output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A header of a raw mail (first occurrence, unfolded).
pub fn header(raw: &str, name: &str) -> Option<String> {
    let message = mail_parser::MessageParser::default().parse(raw.as_bytes())?;
    message.header_raw(name).map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The decoded Subject of a raw mail.
pub fn subject_of(raw: &str) -> String {
    let message = mail_parser::MessageParser::default().parse(raw.as_bytes()).expect("a mail");
    message.subject().unwrap_or_default().to_owned()
}

/// The plain-text body of a raw mail.
pub fn text(raw: &str) -> String {
    let message = mail_parser::MessageParser::default().parse(raw.as_bytes()).expect("a mail");
    message.body_text(0).map(|t| t.into_owned()).unwrap_or_default()
}
