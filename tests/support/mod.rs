//! Runs the real `switchboard` binary for end-to-end tests.

#![allow(dead_code)]

pub mod chain;
pub mod discord;
pub mod fault_proxy;
pub mod flood;
pub mod mail;
pub mod telegram;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Server {
    pub child: Child,
    pub base: String,
    pub dir: PathBuf,
    /// Where the server's log (standard error) goes; read for secrets when the server is dropped.
    log: PathBuf,
    /// What must never appear in that log: the secrets the server was given.
    secrets: Vec<String>,
}

/// Secrets the tests hand to switchboard other than through its environment: agents' passwords
/// (given to the CLI) and customers' recovery phrases (two consecutive words of each suffice).
const KNOWN_SECRETS: &[&str] =
    &["correct horse battery", "bunker trophy", "robot prevent", "doctor protect", "abstract depart", "support-pass"];

/// The secret values of a server's environment: tokens, secrets, passwords, and the password in
/// a URL's user part.
fn secrets_of(env: &[(&str, &str)]) -> Vec<String> {
    let mut secrets: Vec<String> = KNOWN_SECRETS.iter().map(|s| (*s).to_owned()).collect();
    for (key, value) in env {
        if ["TOKEN", "SECRET", "PASSWORD"].iter().any(|k| key.contains(k)) {
            secrets.push((*value).to_owned());
        }
        if let Some((_, rest)) = value.split_once("://")
            && let Some((user, _)) = rest.split_once('@')
            && let Some((_, password)) = user.split_once(':')
        {
            secrets.push(password.to_owned());
        }
    }
    secrets.retain(|s| s.len() >= 6);
    secrets
}

impl Server {
    /// Starts `switchboard serve` on a free loopback port with its database in `dir`. Its log
    /// is kept beside (`dir/server-N.log`), shown when the test fails, and checked for secrets.
    pub fn start(dir: &Path, env: &[(&str, &str)]) -> Server {
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Self::start_logging(dir, env, dir.join(format!("server-{n}.log")))
    }

    /// `start`, with the server's log written to `dir/server.log` for the test to read.
    pub fn start_logged(dir: &Path, env: &[(&str, &str)]) -> Server {
        Self::start_logging(dir, env, dir.join("server.log"))
    }

    fn start_logging(dir: &Path, env: &[(&str, &str)], log: PathBuf) -> Server {
        let stderr = Stdio::from(std::fs::File::create(&log).expect("create the server's log"));
        let mut command = Command::new(env!("CARGO_BIN_EXE_switchboard"));
        command
            .arg("serve")
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("SWITCHBOARD_LISTEN", "127.0.0.1:0")
            .env("SWITCHBOARD_DATABASE_URL", format!("sqlite://{}", dir.join("switchboard.db").display()))
            .env("SWITCHBOARD_DATA_DIR", dir.join("data"))
            .env("SWITCHBOARD_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr);
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("start switchboard");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = tx.send(line);
            }
            for _ in lines {}
        });
        // A deadline, not a wait: the server reports as soon as it listens. Building the
        // knowledge base's index and model takes a debug build tens of seconds on a busy machine.
        let line = rx.recv_timeout(Duration::from_secs(120)).expect("switchboard did not report its address");
        let base =
            line.split_whitespace().find(|w| w.starts_with("http://")).expect("address in the first line").to_owned();
        Server { child, base, dir: dir.to_owned(), log, secrets: secrets_of(env) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// SIGKILL: no shutdown, no draining.
    pub fn kill9(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().unwrap();
    }

    /// SIGTERM, then waits for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        if std::thread::panicking() {
            let lines: Vec<&str> = log.lines().collect();
            eprintln!("--- the server's log ({}), last lines ---", self.log.display());
            for line in &lines[lines.len().saturating_sub(60)..] {
                eprintln!("{line}");
            }
            return;
        }
        for secret in &self.secrets {
            assert!(!log.contains(secret.as_str()), "a secret reached the server's log {}", self.log.display());
        }
    }
}

/// Creates an agent with the real CLI; returns nothing, the password is `password`.
pub fn add_agent(dir: &Path, email: &str, name: &str, role: &str, password: &str) {
    let url = format!("sqlite://{}", dir.join("switchboard.db").display());
    add_agent_to(dir, &url, email, name, role, password)
}

/// `add_agent` on the store at `url`.
pub fn add_agent_to(dir: &Path, url: &str, email: &str, name: &str, role: &str, password: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["agent", "add", "--email", email, "--name", name, "--role", role])
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SWITCHBOARD_DATABASE_URL", url)
        .env("SWITCHBOARD_AGENT_PASSWORD", password)
        .output()
        .unwrap();
    assert!(out.status.success(), "agent add: {}", String::from_utf8_lossy(&out.stderr));
}

/// Signs in through the API; returns the bearer token.
pub async fn sign_in(http: &reqwest::Client, server: &Server, email: &str, password: &str) -> String {
    let response = http
        .post(server.url("/api/v1/login"))
        .json(&serde_json::json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "sign in as {email}");
    response.json::<serde_json::Value>().await.unwrap()["token"].as_str().unwrap().to_owned()
}

/// `GET path` with a bearer token, decoded as JSON.
pub async fn get_json(http: &reqwest::Client, server: &Server, path: &str, token: &str) -> serde_json::Value {
    http.get(server.url(path)).bearer_auth(token).send().await.unwrap().json().await.unwrap()
}

/// Every conversation an agent sees, whatever its status (up to 100).
pub async fn conversations(http: &reqwest::Client, server: &Server, agent: &str) -> Vec<serde_json::Value> {
    let list = get_json(http, server, "/api/v1/conversations?status=all&limit=100", agent).await;
    list["conversations"].as_array().cloned().unwrap_or_default()
}

/// The messages of conversation `id`, as an agent sees them.
pub async fn messages(
    http: &reqwest::Client,
    server: &Server,
    agent: &str,
    id: &serde_json::Value,
) -> Vec<serde_json::Value> {
    let conversation = get_json(http, server, &format!("/api/v1/conversations/{id}"), agent).await;
    conversation["messages"].as_array().cloned().unwrap_or_default()
}

/// An attachment's bytes, downloaded by an agent from the `url` the API gave.
pub async fn download(http: &reqwest::Client, server: &Server, agent: &str, url: &str) -> Vec<u8> {
    let answer = http.get(server.url(url)).bearer_auth(agent).send().await.unwrap();
    answer.bytes().await.unwrap().to_vec()
}

/// An agent's reply with files: `body` and one `file` part per `(name, content type, bytes)`.
pub async fn post_files(
    http: &reqwest::Client,
    server: &Server,
    agent: &str,
    conversation: i64,
    body: &str,
    files: &[(&str, &str, &[u8])],
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new().text("body", body.to_owned());
    for (name, content_type, bytes) in files {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string());
        form = form.part("file", part.mime_str(content_type).unwrap());
    }
    let url = server.url(&format!("/api/v1/conversations/{conversation}/messages"));
    http.post(url).bearer_auth(agent).multipart(form).send().await.unwrap()
}

/// A server on a fresh database, and a client for it. Keep the folder alive with the server.
pub fn start(env: &[(&str, &str)]) -> (tempfile::TempDir, Server, reqwest::Client) {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), env);
    (dir, server, client())
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(40)).build().unwrap()
}

/// Opens a web-chat session and returns its token.
pub async fn session(http: &reqwest::Client, server: &Server, body: serde_json::Value) -> String {
    session_at(http, &server.base, body).await
}

/// `session` on the server at `base` (for tasks that hold only its address).
pub async fn session_at(http: &reqwest::Client, base: &str, body: serde_json::Value) -> String {
    let response = http.post(format!("{base}/webchat/v1/sessions")).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let json: serde_json::Value = response.json().await.unwrap();
    json["session_token"].as_str().unwrap().to_owned()
}

/// `POST /webchat/v1/messages` as the visitor holding `token`.
pub async fn send(http: &reqwest::Client, server: &Server, token: &str, body: serde_json::Value) -> reqwest::Response {
    http.post(server.url("/webchat/v1/messages")).bearer_auth(token).json(&body).send().await.unwrap()
}

/// One page of `GET /webchat/v1/messages{query}`.
pub async fn page(http: &reqwest::Client, server: &Server, token: &str, query: &str) -> Vec<serde_json::Value> {
    let response = http.get(server.url(&format!("/webchat/v1/messages{query}"))).bearer_auth(token).send().await;
    let json: serde_json::Value = response.unwrap().json().await.unwrap();
    json["messages"].as_array().unwrap().clone()
}

/// Every message a visitor can see, following `after` pages.
pub async fn all_messages(http: &reqwest::Client, server: &Server, token: &str) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    loop {
        let after = all.last().map_or(0, |m: &serde_json::Value| m["id"].as_i64().unwrap());
        let messages = page(http, server, token, &format!("?after={after}")).await;
        if messages.is_empty() {
            return all;
        }
        all.extend(messages);
    }
}

/// What `found` finds, polled until it does or the deadline passes.
pub async fn poll<T, F, Fut>(what: &str, deadline: Duration, mut found: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let until = tokio::time::Instant::now() + deadline;
    loop {
        if let Some(value) = found().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < until, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Polls `check` until it holds or the deadline passes.
pub async fn eventually<F, Fut>(what: &str, deadline: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let until = tokio::time::Instant::now() + deadline;
    while !check().await {
        assert!(tokio::time::Instant::now() < until, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The password of the agents `staffed` creates.
pub const STAFF_PASSWORD: &str = "correct horse battery";

/// A server with an admin (ann@example.com) and an agent (bob@example.com), both signed in;
/// returns their tokens, the admin's first.
pub async fn staffed() -> (tempfile::TempDir, Server, reqwest::Client, String, String) {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", STAFF_PASSWORD);
    add_agent(dir.path(), "bob@example.com", "Bob", "agent", STAFF_PASSWORD);
    let server = Server::start(dir.path(), &[]);
    let http = client();
    let admin = sign_in(&http, &server, "ann@example.com", STAFF_PASSWORD).await;
    let agent = sign_in(&http, &server, "bob@example.com", STAFF_PASSWORD).await;
    (dir, server, http, admin, agent)
}
