//! The contacts page's store on both backends: the list newest first and paged, found by name,
//! handle, e-mail address, phone-like id or attribute; attributes and notes kept, moved by a
//! merge, gone with an erasure.

mod support;

use std::collections::BTreeMap;
use support::{Harness, TestDb, inbound};
use switchboard_core::model::ChannelKind;
use switchboard_core::store::Store;
use switchboard_core::store::agents::Role;
use switchboard_core::store::conversations::ConversationFilter;

async fn contact_of(store: &Store, conversation: Option<i64>) -> i64 {
    store.conversation(conversation.unwrap()).await.unwrap().unwrap().contact_id
}

async fn names(store: &Store, search: Option<&str>, before: Option<i64>, limit: i64) -> Vec<String> {
    let listed = store.list_contacts(search, before, limit).await.unwrap();
    listed.into_iter().map(|c| c.name).collect()
}

fn set(pairs: &[(&str, Option<&str>)]) -> BTreeMap<String, Option<String>> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), v.map(str::to_owned))).collect()
}

async fn contacts_are_listed_newest_first_and_found_every_way(db: &TestDb) {
    let h = Harness::start(db).await;
    let core = h.core();
    let mut mail = inbound("olga.petrova@example.com", "e-1", "hello");
    mail.channel = ChannelKind::Email;
    mail.sender.display_name = "Olga Petrova".into();
    let olga = contact_of(&h.store, core.ingest(mail).await.unwrap().conversation_id).await;
    let mut phone = inbound("+15550102000", "w-1", "hi");
    phone.sender.display_name = "Kenji".into();
    let kenji = contact_of(&h.store, core.ingest(phone).await.unwrap().conversation_id).await;
    let mut tg = inbound("777000111", "t-1", "hey");
    tg.channel = ChannelKind::Telegram;
    tg.sender.display_name = "张伟".into();
    let zhang = contact_of(&h.store, core.ingest(tg).await.unwrap().conversation_id).await;

    assert_eq!(names(&h.store, None, None, 50).await, ["张伟", "Kenji", "Olga Petrova"]);
    assert_eq!(names(&h.store, None, None, 2).await, ["张伟", "Kenji"], "a page");
    assert_eq!(names(&h.store, None, Some(kenji), 2).await, ["Olga Petrova"], "the next page");
    for (search, who) in [
        ("petrova", "Olga Petrova"),
        ("olga.petrova@example.com", "Olga Petrova"),
        ("+1 (555) 010-2000", "Kenji"),
        ("15550102000", "Kenji"),
        ("777000111", "张伟"),
        ("张", "张伟"),
    ] {
        assert_eq!(names(&h.store, Some(search), None, 50).await, [who], "{search}");
    }
    let listed = &h.store.list_contacts(Some("olga"), None, 50).await.unwrap()[0];
    assert_eq!((listed.conversations, listed.handles.clone()), (1, vec!["email:olga.petrova@example.com".to_owned()]));

    h.store
        .change_contact(olga, Some("Olga P."), &set(&[("UID", Some("88123")), ("VIP", Some("gold"))]), 1)
        .await
        .unwrap();
    assert_eq!(names(&h.store, Some("88123"), None, 50).await, ["Olga P."], "by an attribute");
    let by_attribute = ConversationFilter { search: Some("gold".into()), limit: 50, ..Default::default() };
    assert_eq!(h.store.list_conversations(&by_attribute).await.unwrap().len(), 1, "conversations by an attribute");
    h.store.change_contact(olga, None, &set(&[("VIP", None)]), 2).await.unwrap();
    let details = h.store.contact_details(olga).await.unwrap();
    assert_eq!(details.attributes, BTreeMap::from([("UID".to_owned(), "88123".to_owned())]));
    assert_eq!(names(&h.store, Some("gold"), None, 50).await, Vec::<String>::new(), "a removed value is not found");
    let too_long = set(&[("note", Some(&"x".repeat(501)))]);
    assert!(h.store.change_contact(zhang, None, &too_long, 3).await.is_err());
    assert!(h.store.contact_details(zhang).await.unwrap().attributes.is_empty(), "nothing of a refused change");
    h.running.shutdown().await;
}

async fn notes_and_attributes_follow_a_merge_and_leave_with_an_erasure(db: &TestDb) {
    let h = Harness::start(db).await;
    let core = h.core();
    let agent = h.store.create_agent("ann@x.test", "Ann", Role::Agent, "x").await.unwrap();
    let a = contact_of(&h.store, core.ingest(inbound("a", "a-1", "first")).await.unwrap().conversation_id).await;
    let b = contact_of(&h.store, core.ingest(inbound("b", "b-1", "second")).await.unwrap().conversation_id).await;
    h.store.change_contact(a, None, &set(&[("KYC level", Some("2"))]), 1).await.unwrap();
    h.store.change_contact(b, None, &set(&[("KYC level", Some("1")), ("UID", Some("77"))]), 1).await.unwrap();
    let note = h.store.add_contact_note(b, agent, "Asked twice about the same deposit", 2).await.unwrap();
    assert!(h.store.add_contact_note(b, agent, "   ", 2).await.is_err());
    core.merge_contacts(a, b).await.unwrap();
    let merged = h.store.contact_details(a).await.unwrap();
    assert_eq!(merged.attributes["KYC level"], "2", "the survivor's own value wins");
    assert_eq!(merged.attributes["UID"], "77", "the merged contact's other attributes join");
    assert_eq!(merged.notes.iter().map(|n| n.id).collect::<Vec<_>>(), [note.id]);
    assert_eq!(merged.tickets.len(), 2, "both tickets");
    let other = h.store.create_agent("bo@x.test", "Bo", Role::Agent, "x").await.unwrap();
    assert!(!h.store.delete_contact_note(a, note.id, Some(other)).await.unwrap(), "not another agent's note");
    assert!(h.store.delete_contact_note(a, note.id, Some(agent)).await.unwrap());
    h.store.add_contact_note(a, agent, "Verified by video call", 3).await.unwrap();
    core.erase_contact(a, None).await.unwrap().expect("erased");
    let details = h.store.contact_details(a).await.unwrap();
    assert!(details.attributes.is_empty() && details.notes.is_empty() && details.tickets.is_empty());
    assert!(h.store.list_contacts(Some("77"), None, 50).await.unwrap().is_empty());
    h.running.shutdown().await;
}

on_both_backends!(
    contacts_are_listed_newest_first_and_found_every_way,
    notes_and_attributes_follow_a_merge_and_leave_with_an_erasure
);
