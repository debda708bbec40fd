//! Every input of the fuzz corpora (`fuzz/corpus/TARGET/`), replayed through its target's own
//! code: what fuzzing found once stays fixed, without running the fuzzer.

#[path = "../fuzz/src/lib.rs"]
mod targets;

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "{}: an empty corpus", dir.display());
    for path in &inputs {
        let data = std::fs::read(path).unwrap();
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            panic!("{target}: {} fails", path.display());
        }
    }
    eprintln!("{target}: {} inputs replayed", inputs.len());
}

#[test]
fn telegram_updates_corpus_replays() {
    replay("telegram_updates", targets::telegram_updates);
}

#[test]
fn discord_events_corpus_replays() {
    replay("discord_events", targets::discord_events);
}

#[test]
fn email_mime_corpus_replays() {
    replay("email_mime", targets::email_mime);
}

#[test]
fn safety_scan_corpus_replays() {
    replay("safety_scan", targets::safety_scan);
}

#[test]
fn kb_article_corpus_replays() {
    replay("kb_article", targets::kb_article);
}

#[test]
fn config_toml_corpus_replays() {
    replay("config_toml", targets::config_toml);
}

#[test]
fn api_bodies_corpus_replays() {
    replay("api_bodies", targets::api_bodies);
}

#[test]
fn fluent_args_corpus_replays() {
    replay("fluent_args", targets::fluent_args);
}
