//! Incidents, complaints and announcements on both backends: an incident's versions told to
//! each linked customer once and its resolution resolving them without a survey; a surge
//! suggested once and mailed to the admins who asked; `/complaint` and `/status` through the
//! planner; an announcement's segment, sends and `/stop`.

mod support;

use support::{Harness, TestDb, inbound};
use switchboard_core::clock::now_ms;
use switchboard_core::events::Event;
use switchboard_core::incidents::surge::Thresholds;
use switchboard_core::incidents::{IncidentChange, IncidentStatus};
use switchboard_core::model::*;
use switchboard_core::store::agents::{AgentChange, Role};
use switchboard_core::store::announcements::Segment;
use switchboard_core::store::incidents::LinkedBy;

async fn incidents_tell_each_version_once_and_resolve_without_a_survey(db: &TestDb) {
    let h = Harness::start(db).await;
    let (core, store) = (h.core(), &h.store);
    let now = now_ms();
    let message = [("en-US".to_owned(), "We are on it.".to_owned())].into();
    let change = IncidentChange {
        title: Some("ETH withdrawals delayed".into()),
        keywords: Some(vec!["withdrawal".into()]),
        message: Some(message),
        ..Default::default()
    };
    let id = store.create_incident(change, now).await.unwrap();
    let mut linked = Vec::new();
    for who in ["a", "b", "c"] {
        let ingested = core.ingest(inbound(who, &format!("{who}-1"), "withdrawal stuck")).await.unwrap();
        linked.push(ingested.conversation_id.unwrap());
    }
    assert!(store.link_incident(id, linked[0], LinkedBy::Bot, now).await.unwrap());
    assert!(!store.link_incident(id, linked[0], LinkedBy::Agent, now).await.unwrap(), "linked once");
    for conversation in &linked[1..] {
        store.link_incident(id, *conversation, LinkedBy::Agent, now).await.unwrap();
    }
    let sends = || h.stub.sent().into_iter().filter(|s| s.message.body.contains("ETH withdrawals delayed")).count();
    // The bot told the first; the two linked by agents hear the current message.
    assert_eq!(core.tell_incident_updates().await.unwrap(), 2);
    assert_eq!(core.tell_incident_updates().await.unwrap(), 0, "told once");
    // A new title only: nobody is told. A new status: everybody, once.
    let retitled = IncidentChange { title: Some("ETH withdrawals delayed".into()), ..Default::default() };
    assert_eq!(store.change_incident(id, retitled, now).await.unwrap().version, 1);
    let monitoring = IncidentChange { status: Some(IncidentStatus::Monitoring), ..Default::default() };
    assert_eq!(store.change_incident(id, monitoring, now).await.unwrap().version, 2);
    assert_eq!(core.tell_incident_updates().await.unwrap(), 3);
    let resolved = IncidentChange { status: Some(IncidentStatus::Resolved), ..Default::default() };
    let incident = store.change_incident(id, resolved, now).await.unwrap();
    assert!(incident.resolved_at.is_some());
    assert_eq!(core.tell_incident_updates().await.unwrap(), 3);
    // The stub also delivers the three acknowledgements: wait for the incident's own messages.
    support::eventually("2 + 3 + 3 incident messages delivered", || async { sends() >= 8 }).await;
    assert_eq!(sends(), 8, "2 + 3 + 3, none twice");
    for conversation in &linked {
        let c = store.conversation(*conversation).await.unwrap().unwrap();
        assert_eq!(c.status, Status::Resolved);
        assert!(store.surveys(*conversation).await.unwrap().is_empty(), "no survey after an incident");
    }
    h.running.shutdown().await;
}

async fn a_surge_is_suggested_once_and_mailed_to_the_admins_who_asked(db: &TestDb) {
    let h = Harness::start(db).await;
    let (core, store) = (h.core(), &h.store);
    let admin = store.create_agent("ann@x.test", "Ann", Role::Admin, "x").await.unwrap();
    let mut notify = store.agent(admin).await.unwrap().unwrap().notify;
    notify.email_incidents = true;
    store.change_agent(admin, &AgentChange { notify: Some(notify), ..Default::default() }).await.unwrap();
    store.create_agent("bo@x.test", "Bo", Role::Agent, "x").await.unwrap();
    for n in 0..6 {
        let who = format!("s{n}");
        core.ingest(inbound(&who, &format!("{who}-1"), "is the TRON network down? my transfer is pending"))
            .await
            .unwrap();
    }
    for n in 0..20 {
        core.ingest(inbound("flood", &format!("flood-{n}"), "where is my refund")).await.unwrap();
    }
    let now = now_ms();
    let suggested = core.look_for_surges(now, Thresholds::default()).await.unwrap();
    assert_eq!(suggested.len(), 1, "the flood of one customer is no surge");
    assert!(core.look_for_surges(now, Thresholds::default()).await.unwrap().is_empty(), "one surge, one suggestion");
    let incident = store.incident(suggested[0]).await.unwrap().unwrap();
    assert_eq!((incident.status, incident.requesters), (IncidentStatus::Suggested, 6));
    let notices =
        core.agent_notices(&Event::IncidentSuggested { incident_id: incident.id }, "https://desk.test").await.unwrap();
    assert_eq!(notices.len(), 1, "only the admin who asked");
    assert!(notices[0].body.contains("6 customers") && notices[0].body.contains("https://desk.test/inbox/incidents"));
    h.running.shutdown().await;
}

async fn a_complaint_opens_by_command_and_status_shows_its_stage(db: &TestDb) {
    let h = Harness::start(db).await;
    let (core, store) = (h.core(), &h.store);
    let asked = core.ingest(inbound("k", "k-1", "my withdrawal vanished")).await.unwrap();
    let id = asked.conversation_id.unwrap();
    core.ingest(inbound("k", "k-2", "/complaint")).await.unwrap();
    let complaint = store.complaint(id, now_ms()).await.unwrap().unwrap();
    assert_eq!(complaint.stage, switchboard_core::complaints::ComplaintStage::Received);
    let conversation = store.conversation(id).await.unwrap().unwrap();
    assert_eq!(conversation.handoff_reason, Some(HandoffReason::Complaint));
    core.ingest(inbound("k", "k-3", "/complaint")).await.unwrap();
    assert_eq!(store.complaints(true, now_ms()).await.unwrap().len(), 1, "one open complaint per conversation");
    core.ingest(inbound("k", "k-4", "/status")).await.unwrap();
    let answers = h.stub.wait_for(4, std::time::Duration::from_secs(10)).await;
    assert!(
        answers.last().unwrap().message.body.contains("complaint"),
        "{:?}",
        answers.last().map(|a| &a.message.body)
    );
    let figures = store.complaint_figures(0, now_ms() + 1, now_ms()).await.unwrap();
    assert_eq!((figures.opened, figures.closed), (1, 0));
    h.running.shutdown().await;
}

async fn an_announcement_reaches_its_segment_once_and_stop_leaves_it(db: &TestDb) {
    let h = Harness::start(db).await;
    let (core, store) = (h.core(), &h.store);
    for who in ["x", "y", "z"] {
        core.ingest(inbound(who, &format!("{who}-1"), "hello")).await.unwrap();
    }
    core.ingest(inbound("z", "z-2", "/stop")).await.unwrap();
    let everyone = Segment { within_days: Some(7), ..Default::default() };
    let now = now_ms();
    assert_eq!(store.segment_size(&everyone, now).await.unwrap().get("webchat"), Some(&2));
    let chinese = Segment { language: Some("zh".into()), ..Default::default() };
    assert!(store.segment_size(&chinese, now).await.unwrap().is_empty());
    let id = core.announce("Maintenance on Sunday.", &everyone, None, now).await.unwrap();
    assert_eq!(core.send_announcements().await.unwrap(), 2);
    assert_eq!(core.send_announcements().await.unwrap(), 0, "each once");
    let sent = h.stub.wait_for(6, std::time::Duration::from_secs(10)).await;
    let copies: Vec<_> = sent.iter().filter(|s| s.message.body.starts_with("Maintenance on Sunday.")).collect();
    assert_eq!(copies.len(), 2);
    assert!(copies.iter().all(|c| c.message.body.contains("/stop")));
    let progress = store.announcement(id).await.unwrap().progress;
    assert_eq!(progress["webchat"].recipients, 2);
    h.running.shutdown().await;
}

on_both_backends!(
    incidents_tell_each_version_once_and_resolve_without_a_survey,
    a_surge_is_suggested_once_and_mailed_to_the_admins_who_asked,
    a_complaint_opens_by_command_and_status_shows_its_stage,
    an_announcement_reaches_its_segment_once_and_stop_leaves_it
);
