//! Peak-load mode on both backends and a fake clock: with more customers waiting for a person
//! than the agents present can take, each is told their place and an estimate, in their
//! language; told again only after ten minutes and a material change; an operator's switch
//! holds; nobody present is no peak.

mod support;

use support::{Harness, TestDb, inbound};
use switchboard_core::Core;
use switchboard_core::clock::now_ms;
use switchboard_core::desk::peak::PeakMode;
use switchboard_core::desk::{Desk, DeskSettings};
use switchboard_core::model::*;
use switchboard_core::post::ConversationUpdate;
use switchboard_core::store::Store;
use switchboard_core::store::agents::{AgentChange, Availability, Role};

const MIN: i64 = 60_000;

/// Customers handed to people in order; `zh` ones write in Chinese.
async fn waiting(core: &Core, names: &[(&str, &str)]) -> Vec<ConversationId> {
    let mut ids = Vec::new();
    for (who, text) in names {
        let id = core.ingest(inbound(who, &format!("{who}-1"), text)).await.unwrap().conversation_id.unwrap();
        core.update_conversation(ConversationUpdate { id, handoff: Some(true), ..Default::default() }).await.unwrap();
        ids.push(id);
    }
    ids
}

/// The queue places told to `id`'s customer, oldest first.
async fn told(store: &Store, id: ConversationId) -> Vec<String> {
    let messages = store.conversation_messages(id, 0).await.unwrap();
    messages
        .into_iter()
        .filter(|m| {
            m.direction == Direction::Outbound && (m.body.contains("in the queue") || m.body.contains("排在第"))
        })
        .map(|m| m.body)
        .collect()
}

async fn places_are_told_in_each_language_again_only_when_they_moved_after_ten_minutes(db: &TestDb) {
    let h = Harness::start(db).await;
    let (core, store) = (h.core(), &h.store);
    let desk = Desk { settings: DeskSettings { capacity: 1, ..DeskSettings::default() }, hours: None };
    let ids = waiting(
        &core,
        &[("a", "my deposit is missing"), ("b", "我的充值还没到账"), ("c", "withdrawal stuck"), ("d", "fee question")],
    )
    .await;
    let now = now_ms();

    // Nobody present: no peak, nothing told.
    assert!(!core.peak_status(&desk, now).await.unwrap().active);
    assert_eq!(core.tell_queue_places(&desk, now).await.unwrap(), 0);

    // One agent present, full: four wait for nobody free.
    let ann = store.create_agent("ann@x.test", "Ann", Role::Agent, "x").await.unwrap();
    store
        .change_agent(ann, &AgentChange { availability: Some(Availability::Online), ..Default::default() })
        .await
        .unwrap();
    store.agent_seen(ann, now).await.unwrap();
    let mine = waiting(&core, &[("e", "help")]).await[0];
    core.update_conversation(ConversationUpdate { id: mine, assignee: Some(Some(ann)), ..Default::default() })
        .await
        .unwrap();
    let status = core.peak_status(&desk, now).await.unwrap();
    assert_eq!((status.active, status.queued, status.free, status.present), (true, 4, 0, 1), "{status:?}");
    assert_eq!(status.expected_wait_s, Some(40 * 60), "one agent assumed at six an hour: the fourth waits 40 minutes");
    assert_eq!(core.tell_queue_places(&desk, now).await.unwrap(), 4);
    let first = told(store, ids[0]).await;
    assert_eq!(first.len(), 1);
    assert!(first[0].contains("number 1") && first[0].contains("10 minutes"), "{first:?}");
    let chinese = told(store, ids[1]).await;
    assert!(chinese[0].contains("第 2 位") && chinese[0].contains("20 分钟"), "{chinese:?}");

    // Five minutes on, two gone ahead: not told again so soon.
    for id in &ids[..2] {
        core.update_conversation(ConversationUpdate { id: *id, assignee: Some(Some(ann)), ..Default::default() })
            .await
            .unwrap();
    }
    assert_eq!(core.tell_queue_places(&desk, now + 5 * MIN).await.unwrap(), 0);
    // Eleven minutes on (Ann's inbox still open): the two who moved up two places are told, once.
    store.agent_seen(ann, now + 11 * MIN).await.unwrap();
    assert_eq!(core.tell_queue_places(&desk, now + 11 * MIN).await.unwrap(), 2);
    assert!(told(store, ids[2]).await[1].contains("number 1"), "{:?}", told(store, ids[2]).await);
    assert_eq!(core.tell_queue_places(&desk, now + 12 * MIN).await.unwrap(), 0);
    store.agent_seen(ann, now + 30 * MIN).await.unwrap();
    assert!(core.peak_status(&desk, now + 30 * MIN).await.unwrap().active);
    assert_eq!(core.tell_queue_places(&desk, now + 30 * MIN).await.unwrap(), 0, "nothing moved: no news");

    // The operator switches it off: nothing is told, whatever the queue; `auto` again resumes.
    store.set_peak_mode(PeakMode::Off).await.unwrap();
    let late = waiting(&core, &[("f", "hello?")]).await[0];
    assert!(!core.peak_status(&desk, now + 31 * MIN).await.unwrap().active);
    assert_eq!(core.tell_queue_places(&desk, now + 31 * MIN).await.unwrap(), 0);
    store.set_peak_mode(PeakMode::Auto).await.unwrap();
    store.agent_seen(ann, now + 31 * MIN).await.unwrap();
    assert_eq!(core.tell_queue_places(&desk, now + 32 * MIN).await.unwrap(), 1);
    assert!(told(store, late).await[0].contains("number 3"), "{:?}", told(store, late).await);
    h.running.shutdown().await;
}

on_both_backends!(places_are_told_in_each_language_again_only_when_they_moved_after_ten_minutes);
