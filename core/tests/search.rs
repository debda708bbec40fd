//! Full-text search through the real write path on both backends: a conversation is found by
//! its messages' words (Chinese by any run of characters), its reference, its contact's name
//! and handles, its tags; edits and erasure change what is found; the backfill indexes what
//! was stored before the indexes existed.

mod support;

use sqlx::Row;
use support::{Harness, TestDb, inbound};
use switchboard_core::model::{Author, ChannelKind};
use switchboard_core::post::{ConversationUpdate, Post, PostKind};
use switchboard_core::store::Store;
use switchboard_core::store::conversations::ConversationFilter;

fn search(text: &str) -> ConversationFilter {
    ConversationFilter { search: Some(text.into()), limit: 50, ..Default::default() }
}

/// The conversations `text` finds, and what each shows with its hits in brackets.
async fn found(store: &Store, text: &str) -> Vec<(i64, String)> {
    let found = store.list_conversations(&search(text)).await.unwrap();
    found
        .iter()
        .map(|s| {
            let shown =
                s.found.iter().flatten().map(|seg| if seg.hit { format!("[{}]", seg.text) } else { seg.text.clone() });
            (s.conversation.id, shown.collect())
        })
        .collect()
}

async fn words_of_every_kind_find_their_conversation(db: &TestDb) {
    let h = Harness::start(db).await;
    let core = h.core();
    let chinese = core.ingest(inbound("li", "c-1", "我的USDT充值还没有到账，已经两个小时了")).await.unwrap();
    let chinese = chinese.conversation_id.unwrap();
    let mut mail = inbound("ann.lee@example.com", "e-1", "Withdrawal pending since Monday");
    mail.channel = ChannelKind::Email;
    mail.sender.display_name = "Ann Lee".into();
    let mail = core.ingest(mail).await.unwrap().conversation_id.unwrap();
    let mut telegram = inbound("90210", "t-1", "hello");
    telegram.channel = ChannelKind::Telegram;
    telegram.sender.display_name = "Satoshi N".into();
    let telegram = core.ingest(telegram).await.unwrap().conversation_id.unwrap();

    for query in ["充值", "到账", "账", "没有到账", "usdt"] {
        assert_eq!(found(&h.store, query).await.first().map(|f| f.0), Some(chinese), "{query}");
    }
    assert_eq!(found(&h.store, "没有到账").await[0].1, "我的USDT充值还[没有到账]，已经两个小时了");
    assert_eq!(found(&h.store, "到了").await, [], "a run not in the text");
    assert_eq!(found(&h.store, "withdr").await, [(mail, "[Withdr]awal pending since Monday".to_owned())]);
    assert_eq!(found(&h.store, "ann.lee@example").await.first().map(|f| f.0), Some(mail), "by e-mail address");
    assert_eq!(found(&h.store, "Ann").await.first(), Some(&(mail, "[Ann] Lee".to_owned())), "by name");
    assert_eq!(found(&h.store, "satoshi").await.first().map(|f| f.0), Some(telegram));
    assert_eq!(found(&h.store, "90210").await.first().map(|f| f.0), Some(telegram), "by platform id");
    let reference = h.store.conversation(telegram).await.unwrap().unwrap().reference;
    assert_eq!(found(&h.store, &reference).await.first().map(|f| f.0), Some(telegram), "by reference");

    let tags = ConversationUpdate { id: mail, tags: Some(vec!["vip-desk".into()]), ..Default::default() };
    core.update_conversation(tags).await.unwrap();
    assert_eq!(found(&h.store, "vip-desk").await.first().map(|f| f.0), Some(mail), "by tag");
    let note = Post::new(telegram, Author::Agent, None, "Escalated to the compliance desk", PostKind::Note);
    core.post(note).await.unwrap();
    assert_eq!(found(&h.store, "compliance").await.first().map(|f| f.0), Some(telegram), "an agent's note");
    // Other filters still apply to what is found.
    let resolved = ConversationFilter { status: Some(switchboard_core::model::Status::Resolved), ..search("充值") };
    assert!(h.store.list_conversations(&resolved).await.unwrap().is_empty());
    h.running.shutdown().await;
}

async fn edits_and_erasure_change_what_is_found(db: &TestDb) {
    let h = Harness::start(db).await;
    let core = h.core();
    let mut first = inbound("mo", "m-1", "wrong network BEP20");
    first.channel = ChannelKind::Telegram;
    let id = core.ingest(first).await.unwrap().conversation_id.unwrap();
    core.edit(ChannelKind::Telegram, "m-1", "sent on the Arbitrum network").await.unwrap();
    assert_eq!(found(&h.store, "bep20").await, [], "the old words are gone");
    assert_eq!(found(&h.store, "arbitrum").await.first().map(|f| f.0), Some(id));
    let contact = h.store.conversation(id).await.unwrap().unwrap().contact_id;
    core.erase_contact(contact, None).await.unwrap().expect("erased");
    for query in ["arbitrum", "mo", "customer"] {
        assert_eq!(found(&h.store, query).await, [], "{query}");
    }
    for index in ["message_search", "contact_search", "identity_search"] {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT rowid FROM {index}")))
            .fetch_all(h.store.pool())
            .await
            .unwrap();
        assert!(rows.is_empty(), "{index} keeps nothing of the erased customer");
    }
    h.running.shutdown().await;
}

async fn the_backfill_indexes_what_was_stored_before(db: &TestDb) {
    let h = Harness::start(db).await;
    let core = h.core();
    let mut ids = Vec::new();
    for i in 0..5 {
        let text = format!("ticket number {i} about staking rewards");
        ids.push(
            core.ingest(inbound(&format!("old{i}"), &format!("o-{i}"), &text)).await.unwrap().conversation_id.unwrap(),
        );
    }
    // As a store from before the indexes: nothing indexed, everything below the marks.
    for index in ["message_search", "contact_search", "identity_search"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {index}"))).execute(h.store.pool()).await.unwrap();
    }
    sqlx::query("DELETE FROM search_backfill").execute(h.store.pool()).await.unwrap();
    for (source, table) in [("messages", "messages"), ("contacts", "contacts"), ("identities", "identities")] {
        let max: i64 = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT MAX(id) FROM {table}")))
            .fetch_one(h.store.pool())
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
        sqlx::query("INSERT INTO search_backfill (source, below) VALUES ($1, $2)")
            .bind(source)
            .bind(max + 1)
            .execute(h.store.pool())
            .await
            .unwrap();
    }
    assert_eq!(found(&h.store, "staking").await, []);
    let mut rounds = 0;
    while h.store.backfill_search().await.unwrap() > 0 {
        rounds += 1;
        assert!(rounds < 100, "the backfill ends");
    }
    let mut hits: Vec<i64> = found(&h.store, "staking").await.iter().map(|f| f.0).collect();
    hits.sort_unstable();
    assert_eq!(hits, ids);
    assert_eq!(found(&h.store, "old3").await.first().map(|f| f.0), Some(ids[3]), "identities too");
    h.running.shutdown().await;
}

on_both_backends!(
    words_of_every_kind_find_their_conversation,
    edits_and_erasure_change_what_is_found,
    the_backfill_indexes_what_was_stored_before
);
