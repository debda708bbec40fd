//! Crypto safety in the pipeline, on SQLite and PostgreSQL: secrets never stored, the outbound
//! guard, staff verification, entities.

mod support;

use std::time::Duration;
use support::{Harness, TestDb, inbound};
use switchboard_core::error::CoreError;
use switchboard_core::model::{Author, ChannelKind};
use switchboard_core::post::{Post, PostKind};
use switchboard_core::safety::EntityKind;
use switchboard_core::store::agents::Role;

on_both_backends!(
    a_recovery_phrase_is_never_stored_and_the_customer_is_warned,
    replies_asking_for_secrets_are_refused_before_the_outbox,
    verify_tells_staff_from_impostors_and_strangers,
    hashes_and_addresses_are_stored_with_the_message,
);

const PHRASE: &str = "bunker trophy lawsuit adjust gown visit matrix trash ripple stumble wheat shell";

async fn a_recovery_phrase_is_never_stored_and_the_customer_is_warned(db: &TestDb) {
    let h = Harness::start(db).await;
    let mut message = inbound("wei", "m-1", &format!("钱包被盗了，我的助记词是 {PHRASE} 怎么办"));
    message.sender.lang_hint = Some("zh-CN".into());
    let ingested = h.core().ingest(message).await.unwrap();
    assert_eq!(ingested.findings.len(), 1);
    let stored = h.store.message(ingested.message_id).await.unwrap().unwrap();
    assert_eq!(stored.body, "钱包被盗了，我的助记词是 [redacted: recovery phrase] 怎么办");
    assert_eq!(stored.redactions, 1);
    let sent = h.stub.wait_for(2, Duration::from_secs(5)).await;
    assert!(
        sent[0].message.body.starts_with("请勿向任何人"),
        "the warning comes first, in Chinese: {}",
        sent[0].message.body
    );
    h.running.shutdown().await;
    if db.url.starts_with("sqlite") {
        for entry in walk(db.dir.path()) {
            let bytes = std::fs::read(&entry).unwrap();
            for word in ["bunker", "lawsuit", "stumble"] {
                assert!(
                    !bytes.windows(word.len()).any(|w| w == word.as_bytes()),
                    "{word} found in {}",
                    entry.display()
                );
            }
        }
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}

async fn replies_asking_for_secrets_are_refused_before_the_outbox(db: &TestDb) {
    let h = Harness::start(db).await;
    let id = h.core().ingest(inbound("li", "m-1", "I cannot withdraw")).await.unwrap().conversation_id.unwrap();
    h.stub.wait_for(1, Duration::from_secs(5)).await;
    let total = |(pending, sent, failed): (i64, i64, i64)| pending + sent + failed;
    let before = total(h.store.outbox_counts().await.unwrap());
    for body in ["To unlock it, please send me your 12-word recovery phrase.", "请把您的助记词发给我核实一下"]
    {
        let post = Post::new(id, Author::Agent, None, body, PostKind::Reply { channel: None });
        let error = h.core().post(post).await.unwrap_err();
        assert!(matches!(error, CoreError::Refused(_)), "{error}");
    }
    assert_eq!(total(h.store.outbox_counts().await.unwrap()), before, "nothing reached the outbox");
    let warning = Post::new(
        id,
        Author::Agent,
        None,
        "Never share your recovery phrase with anyone, including us.",
        PostKind::Reply { channel: None },
    );
    h.core().post(warning).await.unwrap();
    h.running.shutdown().await;
}

async fn verify_tells_staff_from_impostors_and_strangers(db: &TestDb) {
    let h = Harness::start(db).await;
    let ann = h.store.create_agent("ann@example.com", "Ann", Role::Agent, "x").await.unwrap();
    h.core().add_staff_handle(ann, ChannelKind::Telegram, "@Support_Ann").await.unwrap();
    assert!(h.core().add_staff_handle(ann, ChannelKind::Telegram, "@support_ann").await.is_err(), "duplicate");
    let checks = [
        ("/verify @support_ann", "Yes: @Support_Ann is Ann, our staff on telegram."),
        (
            "/verify @Support_Аnn",
            "WARNING: @Support_Аnn is NOT our staff. It imitates our telegram account @Support_Ann.",
        ),
        ("/verify @crypto_helper_99", "@crypto_helper_99 is not our staff."),
        ("/verify", "Send /verify followed by the handle"),
    ];
    for (i, (command, expected)) in checks.iter().enumerate() {
        h.core().ingest(inbound("bob", &format!("v-{i}"), command)).await.unwrap();
        let sent = h.stub.wait_for(i + 1, Duration::from_secs(5)).await;
        assert!(sent[i].message.body.starts_with(expected), "{command}: {}", sent[i].message.body);
    }
    let mut chinese = inbound("wang", "v-zh", "/verify @Supp0rt_Ann");
    chinese.sender.lang_hint = Some("zh-CN".into());
    h.core().ingest(chinese).await.unwrap();
    let sent = h.stub.wait_for(5, Duration::from_secs(5)).await;
    assert!(sent[4].message.body.starts_with("警告：@Supp0rt_Ann 不是我们的工作人员"), "{}", sent[4].message.body);
    h.running.shutdown().await;
}

async fn hashes_and_addresses_are_stored_with_the_message(db: &TestDb) {
    let h = Harness::start(db).await;
    let text =
        "sent 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060 to TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW";
    let ingested = h.core().ingest(inbound("kai", "m-1", text)).await.unwrap();
    assert_eq!(ingested.entities.len(), 2);
    let stored = h.store.message(ingested.message_id).await.unwrap().unwrap();
    let found: Vec<(EntityKind, &str)> = stored.entities.iter().map(|e| (e.kind, e.chain)).collect();
    assert_eq!(found, [(EntityKind::TxHash, "evm"), (EntityKind::Address, "tron")]);
    h.running.shutdown().await;
}
