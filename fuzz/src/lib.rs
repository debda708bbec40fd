//! One input, one run: what each fuzz target does with the bytes it is given. The targets in
//! `fuzz_targets/` call these under libFuzzer; `tests/fuzz_corpora.rs` replays every file of
//! `fuzz/corpus/` through them in the ordinary test suite. A panic is a finding; so is a broken
//! invariant, checked here with `assert!`.

use std::collections::HashSet;
use std::sync::OnceLock;

/// A `getUpdates` answer (or one webhook update) as Telegram might send it: read update by
/// update, each normalized. Whatever the bytes, nothing panics and every update with an id is
/// either read or reported unreadable.
pub fn telegram_updates(data: &[u8]) {
    use switchboard_telegram::inbound::{BotIdentity, Normalized, normalize};
    use switchboard_telegram::updates::{Answer, read_answer, read_one};
    let me = BotIdentity { id: 42, username: Some("support_bot".into()) };
    let check = |normalized: Normalized| {
        if let Normalized::Message(inbound) = normalized {
            assert!(!inbound.external_id.is_empty(), "a message without an id");
        }
    };
    // Reading catches teloxide's own panics (see RELIABILITY.md); normalizing must not panic.
    if let Some(Answer::Updates(batch)) = with_library_panics_caught(|| read_answer(data)) {
        for update in &batch.updates {
            check(normalize(update, &me));
        }
    }
    if let Some(Ok(update)) = with_library_panics_caught(|| read_one(data)) {
        check(normalize(&update, &me));
    }
}

/// Runs a library call that switchboard guards with `catch_unwind` (teloxide's and serenity's
/// known panics, RELIABILITY.md) with a silent panic hook: libFuzzer's hook would abort on the
/// panic before the guard catches it, and end the run on a finding already made. Whatever the
/// call panics with is caught — by switchboard's guard, or here.
fn with_library_panics_caught<T>(call: impl FnOnce() -> T) -> Option<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(call));
    std::panic::set_hook(hook);
    result.ok()
}

/// A Discord gateway dispatch's `d`: read as a message (normalized for a server whose support
/// channel is the message's own) and as an interaction (a slash command or a pressed button).
pub fn discord_events(data: &[u8]) {
    use serenity::model::application::Interaction;
    use switchboard_discord::inbound::{Scope, choice, command, normalize, read_message};
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    if let Some(Ok(message)) = with_library_panics_caught(|| read_message(value.clone())) {
        for support_channels in [HashSet::new(), HashSet::from([message.channel_id.get()])] {
            let _ = normalize(&message, &Scope { bot_id: 42, support_channels });
        }
    }
    // Interactions are read by serenity's gateway before they reach switchboard: a panic there
    // is serenity's (see RELIABILITY.md); fuzzing goes on past it.
    match with_library_panics_caught(|| serde_json::from_value::<Interaction>(value)) {
        Some(Ok(Interaction::Command(interaction))) => drop(command(&interaction)),
        Some(Ok(Interaction::Component(interaction))) => drop(choice(&interaction)),
        _ => {}
    }
}

/// Raw bytes as a mail delivered by IMAP: every mail becomes a message, however broken.
pub fn email_mime(data: &[u8]) {
    use switchboard_email::inbound::{Rules, normalize};
    let rules = Rules {
        own_address: "support@example.test".into(),
        max_attachment_bytes: 4096,
        original_name: "original.eml".into(),
        unreadable_body: "(unreadable mail)".into(),
    };
    let normalized = normalize(data, &rules);
    assert!(!normalized.inbound.external_id.is_empty(), "a mail without an id");
}

/// Any text through the secret scanner: no panic, and what it leaves holds no secret it would
/// find again (a redaction never exposes a second recovery phrase or key).
pub fn safety_scan(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let scan = switchboard_core::safety::scan(&text);
    if !scan.findings.is_empty() {
        let again = switchboard_core::safety::scan(&scan.redacted);
        assert!(again.findings.is_empty(), "secrets left after redaction: {:?}", again.findings);
    }
}

/// A knowledge-base article file (TOML front matter, Markdown body).
pub fn kb_article(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(article) = switchboard_bot::article::Article::parse(&text) {
        let _ = article.language();
    }
}

/// A configuration file: refused with a reason or read, never a panic.
pub fn config_toml(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Err(error) = switchboard::config::Config::from_toml(&text) {
        assert!(!error.to_string().is_empty());
    }
}

/// A request to one of the JSON routes: the first byte picks the body type, the rest is the
/// body. It goes through the server's own edges (NUL removal, the size limit, JSON errors) and
/// the route's extractor; the answer is a success or a client error, never a 5xx.
pub fn api_bodies(data: &[u8]) {
    use axum::body::Body;
    use axum::http::{Request, header};
    use tower::ServiceExt;
    let Some((&pick, body)) = data.split_first() else { return };
    let (path, content_type) = ROUTES[usize::from(pick) % ROUTES.len()];
    let request =
        Request::post(path).header(header::CONTENT_TYPE, content_type).body(Body::from(body.to_vec())).unwrap();
    let response = runtime().block_on(echo_router().clone().oneshot(request)).unwrap();
    assert!(!response.status().is_server_error(), "{path}: {}", response.status());
}

const ROUTES: &[(&str, &str)] = &[
    ("/session", "application/json"),
    ("/webchat-message", "application/json"),
    ("/login", "application/json"),
    ("/me", "application/json"),
    ("/agent", "application/json"),
    ("/canned", "application/json"),
    ("/merge", "application/json"),
    ("/reply", "application/json"),
    ("/article", "application/json"),
    ("/handle", "application/json"),
    ("/update", "application/json"),
    ("/update", "application/merge-patch+json"),
    ("/login", "application/x-www-form-urlencoded"),
];

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Builder::new_current_thread().build().unwrap())
}

/// Each route takes its body the way the real route does and answers 204.
fn echo_router() -> &'static axum::Router {
    use axum::Json;
    use axum::extract::rejection::JsonRejection;
    use axum::http::StatusCode;
    use axum::routing::post;
    use switchboard_inbox::api::requests::*;
    static ROUTER: OnceLock<axum::Router> = OnceLock::new();
    fn take<T>(body: Result<Json<T>, JsonRejection>) -> Result<StatusCode, (StatusCode, String)> {
        body.map(|_| StatusCode::NO_CONTENT).map_err(|e| (e.status(), e.body_text()))
    }
    ROUTER.get_or_init(|| {
        axum::Router::new()
            .route(
                "/session",
                post(|body: Option<Json<serde_json::Value>>| async move {
                    match body.map(|Json(v)| serde_json::from_value::<switchboard_webchat::wire::NewSession>(v)) {
                        Some(Err(_)) => StatusCode::UNPROCESSABLE_ENTITY,
                        _ => StatusCode::NO_CONTENT,
                    }
                }),
            )
            .route(
                "/webchat-message",
                post(|b: Result<Json<switchboard_webchat::wire::NewMessage>, JsonRejection>| async move { take(b) }),
            )
            .route("/login", post(|b: Result<Json<Login>, JsonRejection>| async move { take(b) }))
            .route("/me", post(|b: Result<Json<MeUpdate>, JsonRejection>| async move { take(b) }))
            .route("/agent", post(|b: Result<Json<NewAgent>, JsonRejection>| async move { take(b) }))
            .route("/canned", post(|b: Result<Json<Canned>, JsonRejection>| async move { take(b) }))
            .route("/merge", post(|b: Result<Json<Merge>, JsonRejection>| async move { take(b) }))
            .route("/reply", post(|b: Result<Json<NewMessage>, JsonRejection>| async move { take(b) }))
            .route("/article", post(|b: Result<Json<ArticleBody>, JsonRejection>| async move { take(b) }))
            .route("/handle", post(|b: Result<Json<NewHandle>, JsonRejection>| async move { take(b) }))
            .route(
                "/update",
                post(
                    |b: Result<Json<serde_json::Map<String, serde_json::Value>>, JsonRejection>| async move { take(b) },
                ),
            )
            .layer(axum::middleware::from_fn(switchboard::input::json_errors))
            .layer(axum::middleware::from_fn(switchboard::input::storable))
    })
}

/// Customer-facing text with arbitrary arguments, in an arbitrary locale: every message of the
/// catalogue formats to something, and locale negotiation and language detection take any text.
/// Input: locale, key number and `name=value` arguments, separated by newlines.
pub fn fluent_args(data: &[u8]) {
    use switchboard_core::l10n::{Localizer, choose_locale, detect_language};
    static KEYS: OnceLock<(Localizer, Vec<String>)> = OnceLock::new();
    let (localizer, keys) = KEYS.get_or_init(|| {
        let localizer = Localizer::embedded();
        let keys = localizer.with_prefix("en-US", "").into_keys().collect();
        (localizer, keys)
    });
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let locale = lines.next().unwrap_or_default();
    let key = lines.next().and_then(|k| k.parse::<usize>().ok()).unwrap_or_default();
    let args: Vec<(&str, &str)> = lines.map(|l| l.split_once('=').unwrap_or((l, ""))).collect();
    let key = &keys[key % keys.len()];
    let formatted = localizer.text(locale, key, &args);
    assert!(!formatted.is_empty() || key.is_empty(), "{key} formatted to nothing");
    let chosen = choose_locale(localizer, Some(locale), Some(locale), detect_language(&text).as_deref());
    assert!(localizer.available().contains(&chosen.as_str()), "{chosen} is not a shipped locale");
}
