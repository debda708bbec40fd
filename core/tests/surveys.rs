//! The satisfaction survey through the real core on both backends: due after an agent's
//! resolution, asked at its time (a fake clock: the sweep takes the time it runs at), the
//! rating and the comment kept without reopening, cancelled when the customer writes first,
//! asked again after a reopened cycle, and never for the bot's resolutions, machines' mail or
//! when surveys are off.

mod support;

use std::sync::Arc;
use std::time::Duration;
use support::{Harness, TestDb, inbound};
use switchboard_core::model::{Author, ChannelKind, Direction, Status};
use switchboard_core::post::{ConversationUpdate, Post, PostKind};
use switchboard_core::stub::StubChannel;

const DELAY: Duration = Duration::from_secs(300);

fn later() -> i64 {
    switchboard_core::clock::now_ms() + DELAY.as_millis() as i64 + 1
}

async fn agent_replies_and_resolves(h: &Harness, conversation: i64) {
    let agent = h
        .store
        .create_agent(&format!("a{conversation}@x.test"), "Ana", switchboard_core::store::agents::Role::Agent, "x")
        .await
        .ok();
    let reply =
        Post::new(conversation, Author::Agent, agent, "Done: your deposit arrived.", PostKind::Reply { channel: None });
    h.core().post(reply).await.unwrap();
    let resolve = ConversationUpdate { id: conversation, status: Some(Status::Resolved), ..Default::default() };
    h.core().update_conversation(resolve).await.unwrap();
}

fn press(who: &str, id: &str, rating: u8) -> switchboard_core::ingest::Inbound {
    let mut press = inbound(who, id, &"★".repeat(rating as usize));
    press.choice = Some(format!("csat:{rating}"));
    press
}

async fn a_rating_and_its_comment_are_kept_with_the_resolved_conversation(db: &TestDb) {
    let h = Harness::start(db).await;
    let id = h.core().ingest(inbound("ada", "a-1", "where is my deposit?")).await.unwrap().conversation_id.unwrap();
    agent_replies_and_resolves(&h, id).await;
    let surveys = h.store.surveys(id).await.unwrap();
    assert_eq!(surveys.len(), 1);
    assert_eq!(surveys[0].state, "due");

    // Not before its time; at its time, once.
    let before = h.stub.wait_for(2, Duration::from_secs(10)).await.len();
    assert_eq!(h.core().ask_due_surveys(switchboard_core::clock::now_ms()).await.unwrap(), 0);
    assert_eq!(h.core().ask_due_surveys(later()).await.unwrap(), 1);
    assert_eq!(h.core().ask_due_surveys(later()).await.unwrap(), 0);
    let sent = h.stub.wait_for(before + 1, Duration::from_secs(10)).await;
    let ask = &sent[before].message;
    let ids: Vec<&str> = ask.buttons.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["csat:1", "csat:2", "csat:3", "csat:4", "csat:5"]);
    assert!(ask.body.contains(&format!("#{id}")), "names the ticket: {}", ask.body);

    let rated = h.core().ingest(press("ada", "a-2", 4)).await.unwrap();
    assert_eq!(rated.conversation_id, Some(id));
    let comment = h.core().ingest(inbound("ada", "a-3", "quick and kind, thanks")).await.unwrap();
    assert_eq!(comment.conversation_id, Some(id));
    let conversation = h.store.conversation(id).await.unwrap().unwrap();
    assert_eq!(conversation.status, Status::Resolved, "feedback does not reopen");
    let survey = &h.store.surveys(id).await.unwrap()[0];
    assert_eq!((survey.state.as_str(), survey.rating), ("rated", Some(4)));
    assert_eq!(survey.comment.as_deref(), Some("quick and kind, thanks"));
    assert_eq!(survey.channel.as_deref(), Some("webchat"));
    // Thanked twice: for the rating, then for the comment.
    let sent = h.stub.wait_for(before + 3, Duration::from_secs(10)).await;
    assert!(sent[before + 1..].iter().all(|s| s.message.buttons.is_empty()));

    // A further message is a new request: the conversation reopens, a new cycle; resolved
    // again, it is asked again.
    let again = h.core().ingest(inbound("ada", "a-4", "one more: how do I withdraw?")).await.unwrap();
    assert_eq!(again.conversation_id, Some(id));
    assert_eq!(h.store.conversation(id).await.unwrap().unwrap().status, Status::Open);
    agent_replies_and_resolves(&h, id).await;
    assert_eq!(h.core().ask_due_surveys(later()).await.unwrap(), 1);
    let surveys = h.store.surveys(id).await.unwrap();
    assert_eq!(surveys.iter().map(|s| s.state.as_str()).collect::<Vec<_>>(), ["rated", "asked"]);
    assert!(surveys[1].cycle_started_at > surveys[0].resolved_at, "the second cycle began at the reopening");
    h.running.shutdown().await;
}

async fn the_customer_writing_first_cancels_the_survey(db: &TestDb) {
    let h = Harness::start(db).await;
    let id = h.core().ingest(inbound("bo", "b-1", "my withdrawal is stuck")).await.unwrap().conversation_id.unwrap();
    agent_replies_and_resolves(&h, id).await;
    h.core().ingest(inbound("bo", "b-2", "wait, it is still pending")).await.unwrap();
    assert_eq!(h.store.surveys(id).await.unwrap()[0].state, "cancelled");
    assert_eq!(h.core().ask_due_surveys(later()).await.unwrap(), 0);
    // An agent reopening it cancels it too.
    agent_replies_and_resolves(&h, id).await;
    let reopen = ConversationUpdate { id, status: Some(Status::Open), ..Default::default() };
    h.core().update_conversation(reopen).await.unwrap();
    assert_eq!(h.store.surveys(id).await.unwrap()[1].state, "cancelled");
    assert_eq!(h.core().ask_due_surveys(later()).await.unwrap(), 0);
    h.running.shutdown().await;
}

async fn a_low_rating_typed_as_a_number_raises_a_note_for_the_team(db: &TestDb) {
    let h = Harness::start(db).await;
    let id = h.core().ingest(inbound("cy", "c-1", "I lost money")).await.unwrap().conversation_id.unwrap();
    agent_replies_and_resolves(&h, id).await;
    h.core().ask_due_surveys(later()).await.unwrap();
    h.core().ingest(inbound("cy", "c-2", " 2 ")).await.unwrap();
    assert_eq!(h.store.surveys(id).await.unwrap()[0].rating, Some(2));
    let messages = h.store.conversation_messages(id, 0).await.unwrap();
    let note = messages.iter().find(|m| m.direction == Direction::Note && m.author == Author::System).unwrap();
    assert!(note.body.contains('2'), "{}", note.body);
    assert_eq!(h.store.conversation(id).await.unwrap().unwrap().status, Status::Resolved);
    h.running.shutdown().await;
}

async fn no_survey_for_the_bots_resolutions_nor_for_machines(db: &TestDb) {
    let h = Harness::start(db).await;
    let id = h.core().ingest(inbound("di", "d-1", "how do I deposit?")).await.unwrap().conversation_id.unwrap();
    let by_bot = ConversationUpdate { id, status: Some(Status::Resolved), by_bot: true, ..Default::default() };
    h.core().update_conversation(by_bot).await.unwrap();
    assert!(h.store.surveys(id).await.unwrap().is_empty());

    let mut auto_reply = inbound("ed", "e-1", "I am out of the office");
    auto_reply.automated = true;
    let id = h.core().ingest(auto_reply).await.unwrap().conversation_id.unwrap();
    agent_replies_and_resolves(&h, id).await;
    assert!(h.store.surveys(id).await.unwrap().is_empty());
    h.running.shutdown().await;
}

async fn surveys_off_asks_nothing(db: &TestDb) {
    let config = switchboard_core::CoreConfig { csat_delay: None, ..db.config() };
    let h = Harness::start_with(db, config, Arc::new(StubChannel::new(ChannelKind::Webchat))).await;
    let id = h.core().ingest(inbound("fa", "f-1", "hello")).await.unwrap().conversation_id.unwrap();
    agent_replies_and_resolves(&h, id).await;
    assert!(h.store.surveys(id).await.unwrap().is_empty());
    h.running.shutdown().await;
}

/// An erased customer's survey goes with them (its comment is their words), and so do the
/// report rows of their conversations.
async fn erasing_a_customer_erases_their_surveys_and_report_rows(db: &TestDb) {
    let h = Harness::start(db).await;
    let id = h.core().ingest(inbound("gil", "g-1", "close my account")).await.unwrap().conversation_id.unwrap();
    agent_replies_and_resolves(&h, id).await;
    h.core().ask_due_surveys(later()).await.unwrap();
    h.core().ingest(press("gil", "g-2", 3)).await.unwrap();
    h.core().ingest(inbound("gil", "g-3", "my name is Gil Moreau")).await.unwrap();
    assert!(h.store.surveys(id).await.unwrap()[0].comment.is_some());
    let contact = h.store.conversation(id).await.unwrap().unwrap().contact_id;
    h.core().erase_contact(contact, None).await.unwrap().unwrap();
    assert!(h.store.surveys(id).await.unwrap().is_empty());
    assert!(h.store.report_cycles(0, i64::MAX).await.unwrap().is_empty());
    h.running.shutdown().await;
}

on_both_backends!(
    erasing_a_customer_erases_their_surveys_and_report_rows,
    a_rating_and_its_comment_are_kept_with_the_resolved_conversation,
    the_customer_writing_first_cancels_the_survey,
    a_low_rating_typed_as_a_number_raises_a_note_for_the_team,
    no_survey_for_the_bots_resolutions_nor_for_machines,
    surveys_off_asks_nothing,
);
