//! What agents do through the core: update conversations, find them, merge contacts; and the
//! customer-driven `/link`. On SQLite and PostgreSQL.

mod support;

use std::time::Duration;
use support::{Harness, TestDb, inbound};
use switchboard_core::model::{Author, ChannelKind, Direction, Priority, Status};
use switchboard_core::post::{ConversationUpdate, Post, PostKind};
use switchboard_core::store::agents::Role;
use switchboard_core::store::conversations::{AssigneeFilter, ConversationFilter};

on_both_backends!(
    updates_change_status_assignee_priority_and_tags,
    lists_filter_and_sort_by_waiting_time,
    search_finds_words_in_messages,
    merging_contacts_joins_their_identities_and_conversations,
    after_a_merge_a_reply_goes_to_the_chat_of_its_own_conversation,
    a_bot_answer_waits_on_the_customer_and_is_resolved_as_the_bots_after_silence,
    link_code_joins_a_second_channel_identity,
    a_wrong_link_code_is_refused,
    an_edit_replaces_the_text_and_keeps_the_earlier_one,
);

fn filter() -> ConversationFilter {
    ConversationFilter { limit: 100, ..Default::default() }
}

async fn reply(h: &Harness, conversation_id: i64, body: &str) {
    let post = Post::new(conversation_id, Author::Agent, None, body, PostKind::Reply { channel: None });
    h.core().post(post).await.unwrap();
}

async fn updates_change_status_assignee_priority_and_tags(db: &TestDb) {
    let h = Harness::start(db).await;
    let agent = h.store.create_agent("Ann@Example.com", "Ann", Role::Agent, "hash").await.unwrap();
    let id = h.core().ingest(inbound("a", "m-1", "help")).await.unwrap().conversation_id.unwrap();
    let update = ConversationUpdate {
        id,
        status: Some(Status::Pending),
        assignee: Some(Some(agent)),
        priority: Some(Priority::Urgent),
        tags: Some(vec!["withdrawal".into(), "vip".into()]),
        handoff: Some(true),
        ..Default::default()
    };
    h.core().update_conversation(update).await.unwrap();
    let c = h.store.conversation(id).await.unwrap().unwrap();
    assert_eq!((c.status, c.assignee_id, c.priority), (Status::Pending, Some(agent), Priority::Urgent));
    assert_eq!(c.tags, ["withdrawal", "vip"]);
    assert!(c.handoff_at.is_some(), "handed to people");
    // Handed back to the bot; and a resolved conversation's handoff ends too.
    let back = ConversationUpdate { id, handoff: Some(false), ..Default::default() };
    h.core().update_conversation(back).await.unwrap();
    assert_eq!(h.store.conversation(id).await.unwrap().unwrap().handoff_at, None);
    let again = ConversationUpdate { id, handoff: Some(true), ..Default::default() };
    h.core().update_conversation(again).await.unwrap();
    let resolve = ConversationUpdate { id, status: Some(Status::Resolved), ..Default::default() };
    h.core().update_conversation(resolve).await.unwrap();
    assert_eq!(h.store.conversation(id).await.unwrap().unwrap().handoff_at, None);
    let reopen = ConversationUpdate { id, status: Some(Status::Pending), ..Default::default() };
    h.core().update_conversation(reopen).await.unwrap();

    // The customer answers: pending becomes open again.
    h.core().ingest(inbound("a", "m-2", "here is the hash")).await.unwrap();
    assert_eq!(h.store.conversation(id).await.unwrap().unwrap().status, Status::Open);

    let unassign =
        ConversationUpdate { id, assignee: Some(None), status: Some(Status::Resolved), ..Default::default() };
    h.core().update_conversation(unassign).await.unwrap();
    let c = h.store.conversation(id).await.unwrap().unwrap();
    assert_eq!((c.status, c.assignee_id), (Status::Resolved, None));
    assert!(c.resolved_at.is_some());

    let missing = ConversationUpdate { id: 999_999, status: Some(Status::Open), ..Default::default() };
    assert!(h.core().update_conversation(missing).await.unwrap_err().to_string().contains("not found"));
    h.running.shutdown().await;
}

async fn lists_filter_and_sort_by_waiting_time(db: &TestDb) {
    let h = Harness::start(db).await;
    let core = h.core();
    let agent = h.store.create_agent("bo@example.com", "Bo", Role::Agent, "hash").await.unwrap();
    let first = core.ingest(inbound("first", "m-1", "oldest question")).await.unwrap().conversation_id.unwrap();
    tokio::time::sleep(Duration::from_millis(5)).await;
    let second = core.ingest(inbound("second", "m-2", "newer question")).await.unwrap().conversation_id.unwrap();
    tokio::time::sleep(Duration::from_millis(5)).await;
    let third = core.ingest(inbound("third", "m-3", "newest question")).await.unwrap().conversation_id.unwrap();
    // An answered conversation no longer waits: it sorts after the waiting ones.
    reply(&h, first, "on it").await;
    let update = ConversationUpdate {
        id: second,
        assignee: Some(Some(agent)),
        tags: Some(vec!["kyc".into()]),
        ..Default::default()
    };
    core.update_conversation(update).await.unwrap();

    let ids = |list: Vec<switchboard_core::store::conversations::ConversationSummary>| -> Vec<i64> {
        list.iter().map(|c| c.conversation.id).collect()
    };
    let open = ConversationFilter { status: Some(Status::Open), ..filter() };
    assert_eq!(ids(h.store.list_conversations(&open).await.unwrap()), [second, third, first]);
    let mine = ConversationFilter { assignee: AssigneeFilter::Agent(agent), ..filter() };
    assert_eq!(ids(h.store.list_conversations(&mine).await.unwrap()), [second]);
    let unassigned = ConversationFilter { assignee: AssigneeFilter::Unassigned, ..filter() };
    assert_eq!(ids(h.store.list_conversations(&unassigned).await.unwrap()), [third, first]);
    let tagged = ConversationFilter { tag: Some("kyc".into()), ..filter() };
    assert_eq!(ids(h.store.list_conversations(&tagged).await.unwrap()), [second]);
    let telegram = ConversationFilter { channel: Some(ChannelKind::Telegram), ..filter() };
    assert!(h.store.list_conversations(&telegram).await.unwrap().is_empty());
    let english = ConversationFilter { language: Some("en".into()), ..filter() };
    assert_eq!(h.store.list_conversations(&english).await.unwrap().len(), 3);

    let counts = h.store.view_counts(agent).await.unwrap();
    assert_eq!((counts.open, counts.mine, counts.unassigned), (3, 1, 2));
    let summary = &h.store.list_conversations(&mine).await.unwrap()[0];
    assert_eq!(summary.contact_name, "Customer second");
    assert!(summary.last_body.as_deref().unwrap().starts_with("We received"));
    h.running.shutdown().await;
}

async fn search_finds_words_in_messages(db: &TestDb) {
    let h = Harness::start(db).await;
    let id = h.core().ingest(inbound("s", "m-1", "My USDT withdrawal to TRC20 is stuck")).await.unwrap();
    h.core().ingest(inbound("t", "m-2", "password reset")).await.unwrap();
    for (words, hits) in [("trc20", 1), ("WITHDRAWAL to", 1), ("100%", 0), ("reset", 1), ("nothing", 0)] {
        let search = ConversationFilter { search: Some(words.into()), ..filter() };
        let found = h.store.list_conversations(&search).await.unwrap();
        assert_eq!(found.len(), hits, "{words}");
        if words == "trc20" {
            assert_eq!(found[0].conversation.id, id.conversation_id.unwrap());
        }
    }
    h.running.shutdown().await;
}

async fn merging_contacts_joins_their_identities_and_conversations(db: &TestDb) {
    let h = Harness::start(db).await;
    let a = h.core().ingest(inbound("alice-web", "m-1", "hi from the web")).await.unwrap();
    let mut telegram = inbound("alice-tg", "m-2", "hi from telegram");
    telegram.channel = ChannelKind::Telegram;
    let b = h.core().ingest(telegram).await.unwrap();
    let contact_a = h.store.conversation(a.conversation_id.unwrap()).await.unwrap().unwrap().contact_id;
    let contact_b = h.store.conversation(b.conversation_id.unwrap()).await.unwrap().unwrap().contact_id;
    assert_ne!(contact_a, contact_b);

    h.core().merge_contacts(contact_a, contact_b).await.unwrap();
    let contact = h.store.contact(contact_a).await.unwrap().unwrap();
    let mut channels: Vec<_> = contact.identities.iter().map(|i| i.channel).collect();
    channels.sort_by_key(|c| c.as_str());
    assert_eq!(channels, [ChannelKind::Telegram, ChannelKind::Webchat]);
    // The merged contact answers as the survivor.
    assert_eq!(h.store.contact(contact_b).await.unwrap().unwrap().id, contact_a);
    let moved = h.store.conversation(b.conversation_id.unwrap()).await.unwrap().unwrap();
    assert_eq!(moved.contact_id, contact_a);
    let history = h.store.contact_messages(contact_a, 0).await.unwrap();
    assert!(
        history.iter().any(|m| m.body == "hi from telegram") && history.iter().any(|m| m.body == "hi from the web")
    );

    // Their next message lands with the survivor.
    let mut again = inbound("alice-tg", "m-3", "me again");
    again.channel = ChannelKind::Telegram;
    let c = h.core().ingest(again).await.unwrap();
    let conversation = h.store.conversation(c.conversation_id.unwrap()).await.unwrap().unwrap();
    assert_eq!(conversation.contact_id, contact_a);

    assert!(h.core().merge_contacts(contact_a, contact_a).await.is_err());
    assert!(h.core().merge_contacts(contact_a, 999_999).await.unwrap_err().to_string().contains("not found"));
    h.running.shutdown().await;
}

async fn after_a_merge_a_reply_goes_to_the_chat_of_its_own_conversation(db: &TestDb) {
    let h = Harness::start(db).await;
    let second = h.core().ingest(inbound("visitor-2", "m-1", "second visitor asks")).await.unwrap();
    let first = h.core().ingest(inbound("visitor-1", "m-2", "first visitor asks")).await.unwrap();
    let contact_of = |id| {
        let store = h.store.clone();
        async move { store.conversation(id).await.unwrap().unwrap().contact_id }
    };
    let (survivor, merged) =
        (contact_of(first.conversation_id.unwrap()).await, contact_of(second.conversation_id.unwrap()).await);
    h.core().merge_contacts(survivor, merged).await.unwrap();
    h.stub.wait_for(2, Duration::from_secs(5)).await;

    // Replying in the second visitor's conversation reaches the second visitor, though the first
    // wrote last.
    let to_second = second.conversation_id.unwrap();
    reply(&h, to_second, "answer for the second").await;
    let sent = h.stub.wait_for(3, Duration::from_secs(5)).await;
    assert_eq!(sent[2].message.destination.chat, "visitor-2");
    // The agent may pick the other identity on purpose.
    let identities = h.store.contact(survivor).await.unwrap().unwrap().identities;
    let first_identity = identities.iter().find(|i| i.external_id == "visitor-1").unwrap().id;
    let mut post = Post::new(to_second, Author::Agent, None, "sent to the first", PostKind::Reply { channel: None });
    post.identity_id = Some(first_identity);
    h.core().post(post).await.unwrap();
    let sent = h.stub.wait_for(4, Duration::from_secs(5)).await;
    assert_eq!(sent[3].message.destination.chat, "visitor-1");
    // An identity of someone else is refused.
    let stranger = h.core().ingest(inbound("stranger", "m-3", "hello")).await.unwrap();
    let stranger_contact = contact_of(stranger.conversation_id.unwrap()).await;
    let stranger_identity = h.store.contact(stranger_contact).await.unwrap().unwrap().identities[0].id;
    let mut wrong = Post::new(to_second, Author::Agent, None, "misdirected", PostKind::Reply { channel: None });
    wrong.identity_id = Some(stranger_identity);
    assert!(h.core().post(wrong).await.is_err());
    h.running.shutdown().await;
}

async fn a_bot_answer_waits_on_the_customer_and_is_resolved_as_the_bots_after_silence(db: &TestDb) {
    use switchboard_core::store::conversations::{ConversationFilter, ViewCounts};
    let h = Harness::start(db).await;
    let agent = h.store.create_agent("ann@example.com", "Ann", Role::Agent, "hash").await.unwrap();
    let bot = |id| Post::new(id, Author::Bot, None, "Here is how deposits work.", PostKind::Reply { channel: None });
    let core = h.core();
    let open = |who: &str, id: &str| core.ingest(inbound(who, id, "where is my deposit"));
    let quiet = open("quiet", "q-1").await.unwrap().conversation_id.unwrap();
    let talks = open("talks", "t-1").await.unwrap().conversation_id.unwrap();
    let human = open("human", "h-1").await.unwrap().conversation_id.unwrap();
    for id in [quiet, talks, human] {
        h.core().post(bot(id)).await.unwrap();
    }
    // The bot answered: none of them waits on an agent any more; they have a view of their own.
    for id in [quiet, talks, human] {
        assert_eq!(h.store.waiting_since(id).await.unwrap(), None);
        assert!(h.store.conversation(id).await.unwrap().unwrap().bot_answered_at.is_some());
    }
    let counts = h.store.view_counts(agent).await.unwrap();
    assert_eq!(counts, ViewCounts { open: 0, unassigned: 0, bot: 3, ..counts.clone() });
    let view = |bot_answered| ConversationFilter { limit: 100, bot_answered: Some(bot_answered), ..Default::default() };
    assert_eq!(h.store.list_conversations(&view(true)).await.unwrap().len(), 3);
    assert!(h.store.list_conversations(&view(false)).await.unwrap().is_empty());

    // One customer writes again (waits on people now); another asks for a person (the bot's
    // words after the hand-off do not make it the bot's again).
    h.core().ingest(inbound("talks", "t-2", "it did not arrive")).await.unwrap();
    h.core().ingest(inbound("human", "h-2", "/human")).await.unwrap();
    h.core().post(bot(human)).await.unwrap();
    assert!(h.store.waiting_since(talks).await.unwrap().is_some());
    assert_eq!(h.store.conversation(talks).await.unwrap().unwrap().bot_answered_at, None);
    let counts = h.store.view_counts(agent).await.unwrap();
    assert_eq!((counts.open, counts.bot), (2, 1));

    // Too early: nothing. A day of silence later: only the quiet one, as the bot's.
    let now = switchboard_core::clock::now_ms();
    let day = Duration::from_secs(24 * 3600);
    assert_eq!(h.core().resolve_quiet_bot_answers(day, now).await.unwrap(), 0);
    let later = now + day.as_millis() as i64 + 1;
    assert_eq!(h.core().resolve_quiet_bot_answers(day, later).await.unwrap(), 1);
    assert_eq!(h.core().resolve_quiet_bot_answers(day, later).await.unwrap(), 0, "idempotent");
    let resolved = h.store.conversation(quiet).await.unwrap().unwrap();
    assert_eq!((resolved.status, resolved.resolved_by), (Status::Resolved, Some(Author::Bot)));
    for id in [talks, human] {
        assert_eq!(h.store.conversation(id).await.unwrap().unwrap().status, Status::Open);
    }
    // An agent's resolution is the agent's; the customer writing again reopens and clears it.
    let by_agent = ConversationUpdate { id: talks, status: Some(Status::Resolved), ..Default::default() };
    h.core().update_conversation(by_agent).await.unwrap();
    assert_eq!(h.store.conversation(talks).await.unwrap().unwrap().resolved_by, Some(Author::Agent));
    h.core().ingest(inbound("quiet", "q-2", "one more question")).await.unwrap();
    let reopened = h.store.conversation(quiet).await.unwrap().unwrap();
    assert_eq!((reopened.status, reopened.resolved_by), (Status::Open, None));
    h.running.shutdown().await;
}

async fn link_code_joins_a_second_channel_identity(db: &TestDb) {
    let h = Harness::start(db).await;
    let web = h.core().ingest(inbound("carol-web", "m-1", "my deposit is missing")).await.unwrap();
    let contact = h.store.conversation(web.conversation_id.unwrap()).await.unwrap().unwrap().contact_id;
    h.core().ingest(inbound("carol-web", "m-2", "/link")).await.unwrap();
    let sent = h.stub.wait_for(2, Duration::from_secs(5)).await;
    let text = &sent[1].message.body;
    let code = text.split_whitespace().nth(3).unwrap().trim_end_matches('.').to_owned();
    assert!(text.starts_with("Your code is ") && code.len() == 9, "{text}");

    // The customer sends the code from another channel, in lower case.
    let mut tg = inbound("carol-tg", "m-3", &format!("/link {}", code.to_lowercase()));
    tg.channel = ChannelKind::Telegram;
    let linked = h.core().ingest(tg).await.unwrap();
    let view = h.store.contact(contact).await.unwrap().unwrap();
    assert_eq!(view.identities.len(), 2, "{view:?}");
    let link_message = h.store.message(linked.message_id).await.unwrap().unwrap();
    assert_eq!(link_message.contact_id, contact);
    assert_eq!(link_message.direction, Direction::Inbound);

    // A code works once.
    let mut reuse = inbound("dave-tg", "m-4", &format!("/link {code}"));
    reuse.channel = ChannelKind::Telegram;
    h.core().ingest(reuse).await.unwrap();
    assert_eq!(h.store.contact(contact).await.unwrap().unwrap().identities.len(), 2);
    h.running.shutdown().await;
}

async fn a_wrong_link_code_is_refused(db: &TestDb) {
    let h = Harness::start(db).await;
    h.core().ingest(inbound("eve", "m-1", "/link ABCD-EFGH")).await.unwrap();
    let sent = h.stub.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(sent[0].message.body, "That code is unknown or has expired. Send /link to get a new one.");
    h.running.shutdown().await;
}

async fn an_edit_replaces_the_text_and_keeps_the_earlier_one(db: &TestDb) {
    let h = Harness::start(db).await;
    let ingested = h.core().ingest(inbound("zoe", "m-1", "deposit of 100 USDT missing")).await.unwrap();
    let edited = h.core().edit(ChannelKind::Webchat, "m-1", "deposit of 1000 USDT missing").await.unwrap();
    assert_eq!(edited, Some(ingested.message_id));
    let key = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    h.core().edit(ChannelKind::Webchat, "m-1", &format!("my private key {key}")).await.unwrap();
    let message = h.store.message(ingested.message_id).await.unwrap().unwrap();
    assert_eq!(message.body, "my private key [redacted: private key]", "edits are redacted too");
    assert!(message.edited_at.is_some());
    let history: Vec<String> =
        h.store.message_edits(ingested.message_id).await.unwrap().into_iter().map(|(b, _)| b).collect();
    assert_eq!(history, ["deposit of 100 USDT missing", "deposit of 1000 USDT missing"]);
    assert_eq!(h.core().edit(ChannelKind::Webchat, "never-seen", "x").await.unwrap(), None);
    h.running.shutdown().await;
}
