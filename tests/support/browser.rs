//! The browser the UI tests drive: chromedriver and headless Chromium on loopback, and the
//! steps the tests share (sign in, say something in the chat, wait for a page, screenshots).

use crate::support::Server;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const PASSWORD: &str = "correct horse battery";
pub const WAIT: Duration = Duration::from_secs(15);

/// chromedriver on a free loopback port, stopped on drop.
pub struct Driver {
    child: Child,
    url: String,
    _profiles: tempfile::TempDir,
}

impl Driver {
    pub fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("chromedriver")
            .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is needed for the browser tests: apt-get install chromium chromium-driver (scripts/test.sh does)");
        let deadline = std::time::Instant::now() + WAIT;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(std::time::Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, url: format!("http://127.0.0.1:{port}"), _profiles: tempfile::tempdir().unwrap() }
    }

    pub async fn browser(&self, lang: &str) -> Client {
        let profile = tempfile::tempdir_in(self._profiles.path()).unwrap().keep();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium_binary(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--window-size=1280,800", format!("--lang={lang}"),
                    format!("--user-data-dir={}", profile.display()),
                ],
                // Headless Chromium takes its Accept-Language from this, not from --lang.
                // Notifications allowed, as if the agent said yes when the page asked.
                "prefs": { "intl.accept_languages": lang, "profile.default_content_setting_values.notifications": 1 },
            }),
        );
        // Chromium can be slow to come up on a loaded machine: try again within a deadline.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let attempt = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&self.url)
                .await;
            match attempt {
                Ok(client) => return client,
                Err(error) if tokio::time::Instant::now() < deadline => {
                    eprintln!("browser session not ready ({error}); retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(error) => panic!("no browser session: {error}"),
            }
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromium_binary() -> &'static str {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .unwrap_or("/usr/bin/chromium")
}

pub async fn screenshot(browser: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), browser.screenshot().await.unwrap()).unwrap();
}

pub async fn script(browser: &Client, source: &str) -> serde_json::Value {
    browser.execute(source, vec![]).await.unwrap()
}

/// Polls a page until `source` returns true.
pub async fn until(browser: &Client, what: &str, source: &str) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while script(browser, source).await != json!(true) {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn sign_in(browser: &Client, server: &Server, email: &str) {
    browser.goto(&server.url("/login")).await.unwrap();
    browser.find(Locator::Css("input[name=email]")).await.unwrap().send_keys(email).await.unwrap();
    browser.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    browser.find(Locator::Css("#login button")).await.unwrap().click().await.unwrap();
    until(browser, "the inbox after signing in", "return location.pathname === '/inbox'").await;
}

pub async fn customer_says(browser: &Client, text: &str) {
    let body = browser.find(Locator::Css("#body")).await.unwrap();
    body.send_keys(text).await.unwrap();
    browser.find(Locator::Css("#compose button")).await.unwrap().click().await.unwrap();
}
