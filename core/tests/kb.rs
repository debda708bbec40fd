//! The knowledge base's rows on SQLite and PostgreSQL: written, changed, retired and read
//! back whole (including the mark of a topic kept for people), with the operator's lexicon.

mod support;

use support::{Harness, TestDb};
use switchboard_core::store::kb::KbArticle;

on_both_backends!(articles_are_replaced_changed_and_retired_with_every_field);

fn article(id: &str, handoff: bool) -> KbArticle {
    KbArticle {
        id: id.to_owned(),
        topic: id.split('.').next().unwrap().to_owned(),
        locale: "en-US".to_owned(),
        title: format!("Title of {id}"),
        tags: vec!["a".to_owned(), "b".to_owned()],
        questions: vec!["first?".to_owned(), "second?".to_owned()],
        body: "Body.".to_owned(),
        retired: false,
        handoff,
    }
}

async fn articles_are_replaced_changed_and_retired_with_every_field(db: &TestDb) {
    let h = Harness::start(db).await;
    let store = h.core().store().clone();
    let (answer, kept) = (article("deposit.en", false), article("refund.en", true));
    let lexicon = vec!["moonbag | 月亮包".to_owned(), "launchpad | ido".to_owned()];
    store.replace_kb(&[answer.clone(), kept.clone()], &lexicon).await.unwrap();
    assert_eq!(store.kb_lexicon().await.unwrap(), lexicon);
    assert_eq!(store.kb_articles().await.unwrap(), vec![answer.clone(), kept.clone()]);

    // Changed through the inbox: the mark can be taken off and put back.
    let changed = KbArticle { handoff: false, title: "Refunds".to_owned(), ..kept.clone() };
    store.upsert_kb_article(&changed).await.unwrap();
    assert_eq!(store.kb_articles().await.unwrap()[1], changed);

    // A new import without the deposit article retires it and keeps it for the record.
    store.replace_kb(std::slice::from_ref(&kept), &[]).await.unwrap();
    assert!(store.kb_lexicon().await.unwrap().is_empty(), "a folder without a lexicon leaves none");
    let rows = store.kb_articles().await.unwrap();
    assert_eq!(rows, vec![KbArticle { retired: true, ..answer }, kept]);
    assert!(store.retire_kb_article("refund.en").await.unwrap());
    assert!(!store.retire_kb_article("missing.en").await.unwrap());
}
