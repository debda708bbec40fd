//! The desk on both backends: routing to teams, balanced and round-robin assignment within
//! capacities, the backlog taken as agents come online, reassignment when an assignee goes
//! offline, and SLA warnings then breaches on a fake clock, each told once.

mod support;

use support::{Harness, TestDb, inbound};
use switchboard_core::Core;
use switchboard_core::clock::now_ms;
use switchboard_core::desk::assign::Mode;
use switchboard_core::desk::automation::LOOP_LIMIT;
use switchboard_core::desk::rules::Rule;
use switchboard_core::desk::{Desk, DeskSettings};
use switchboard_core::events::Event;
use switchboard_core::figures::Filter;
use switchboard_core::model::*;
use switchboard_core::post::{ConversationUpdate, PostKind};
use switchboard_core::store::Store;
use switchboard_core::store::agents::{AgentChange, Availability, Role};
use switchboard_core::store::sla_policies::PolicyChange;
use switchboard_core::store::teams::TeamChange;

const MIN: i64 = 60_000;

fn desk(mode: Mode) -> Desk {
    Desk { settings: DeskSettings { assignment: mode, capacity: 3, ..DeskSettings::default() }, hours: None }
}

/// `n` customers' conversations handed to people, in order.
async fn handed_off(core: &Core, prefix: &str, n: usize) -> Vec<ConversationId> {
    let mut ids = Vec::new();
    for i in 0..n {
        let who = format!("{prefix}{i}");
        let id = core.ingest(inbound(&who, &format!("{who}-1"), "my deposit")).await.unwrap().conversation_id.unwrap();
        core.update_conversation(ConversationUpdate { id, handoff: Some(true), ..Default::default() }).await.unwrap();
        ids.push(id);
    }
    ids
}

async fn set(store: &Store, agent: AgentId, availability: Availability) {
    let change = AgentChange { availability: Some(availability), ..AgentChange::default() };
    store.change_agent(agent, &change).await.unwrap();
}

/// How many open conversations each agent holds.
async fn held(store: &Store, agents: &[AgentId]) -> Vec<usize> {
    let mut counts = Vec::new();
    for agent in agents {
        let filter = switchboard_core::store::conversations::ConversationFilter {
            status: Some(Status::Open),
            assignee: switchboard_core::store::conversations::AssigneeFilter::Agent(*agent),
            limit: 100,
            ..Default::default()
        };
        counts.push(store.list_conversations(&filter).await.unwrap().len());
    }
    counts
}

async fn notes(store: &Store, id: ConversationId) -> Vec<String> {
    let messages = store.conversation_messages(id, 0).await.unwrap();
    messages.into_iter().filter(|m| m.author == Author::System).map(|m| m.body).collect()
}

async fn balanced_within_capacity_and_the_backlog_follows_availability(db: &TestDb) {
    let h = Harness::start(db).await;
    let (core, store) = (h.core(), &h.store);
    let mut agents = Vec::new();
    for name in ["Ann", "Bo", "Cy"] {
        agents.push(store.create_agent(&format!("{name}@x.test"), name, Role::Agent, "x").await.unwrap());
    }
    let capped = AgentChange { capacity: Some(Some(2)), ..AgentChange::default() };
    store.change_agent(agents[0], &capped).await.unwrap();
    let team = TeamChange {
        name: Some("Transactions".into()),
        member_ids: Some(agents.clone()),
        lead_id: Some(Some(agents[0])),
        languages: Some(vec![]),
        categories: Some(vec![]),
    };
    let team = store.create_team(team).await.unwrap();
    set(store, agents[0], Availability::Online).await;
    set(store, agents[1], Availability::Online).await;
    let ids = handed_off(&core, "c", 6).await;

    let looked = core.desk_step(&desk(Mode::Balanced), now_ms()).await.unwrap();
    assert_eq!((looked.routed, looked.assigned), (6, 5));
    assert_eq!(held(store, &agents).await, [2, 3, 0], "Ann's own limit is 2, the installation's 3; Cy is offline");
    let first = store.conversation(ids[0]).await.unwrap().unwrap();
    assert_eq!(first.team_id, Some(team));
    let why = notes(store, ids[0]).await;
    assert!(why.iter().any(|n| n.contains("Transactions") && n.contains("Routed")), "{why:?}");
    assert!(why.iter().any(|n| n.starts_with("Assigned to") && n.contains("balanced: 0 open")), "{why:?}");
    let waiting = store.conversation(ids[5]).await.unwrap().unwrap();
    assert_eq!(waiting.assignee_id, None, "the sixth waits: nobody online is under capacity");

    set(store, agents[2], Availability::Online).await;
    let looked = core.desk_step(&desk(Mode::Balanced), now_ms()).await.unwrap();
    assert_eq!(looked.assigned, 1, "the backlog goes to the agent who came online");
    assert_eq!(held(store, &agents).await, [2, 3, 1]);

    set(store, agents[1], Availability::Offline).await;
    let looked = core.desk_step(&desk(Mode::Balanced), now_ms()).await.unwrap();
    assert_eq!(looked.reassigned, 3, "Bo's conversations leave with Bo");
    assert_eq!(held(store, &agents).await, [2, 0, 3], "Cy takes two, up to capacity; one waits");
    let again = core.desk_step(&desk(Mode::Balanced), now_ms()).await.unwrap();
    assert_eq!((again.reassigned, again.assigned), (0, 0), "nobody is free: nothing moves twice");
    h.running.shutdown().await;
}

async fn round_robin_takes_turns_and_skips_who_is_away(db: &TestDb) {
    let h = Harness::start(db).await;
    let (core, store) = (h.core(), &h.store);
    let mut agents = Vec::new();
    for name in ["Ann", "Bo", "Cy", "Di"] {
        let id = store.create_agent(&format!("{name}@x.test"), name, Role::Agent, "x").await.unwrap();
        set(store, id, Availability::Online).await;
        agents.push(id);
    }
    set(store, agents[3], Availability::Away).await;
    let ids = handed_off(&core, "r", 6).await;
    let mut desk = desk(Mode::RoundRobin);
    desk.settings.capacity = 10;
    core.desk_step(&desk, now_ms()).await.unwrap();
    let mut order = Vec::new();
    for id in &ids {
        order.push(store.conversation(*id).await.unwrap().unwrap().assignee_id.unwrap());
    }
    let turns: Vec<AgentId> = agents[..3].iter().chain(&agents[..3]).copied().collect();
    assert_eq!(order, turns, "in turn, oldest conversation first; Di is away");
    assert!(notes(store, ids[0]).await.iter().any(|n| n.contains("round robin in all agents")));
    h.running.shutdown().await;
}

async fn sla_warns_then_breaches_once_raising_priority_and_telling_the_assignee_and_lead(db: &TestDb) {
    let h = Harness::start(db).await;
    let (core, store) = (h.core(), &h.store);
    let ann = store.create_agent("ann@x.test", "Ann", Role::Agent, "x").await.unwrap();
    let lead = store.create_agent("lee@x.test", "Lee", Role::Agent, "x").await.unwrap();
    let team = TeamChange { name: Some("Accounts".into()), lead_id: Some(Some(lead)), ..TeamChange::default() };
    let team = store.create_team(team).await.unwrap();
    let policy = PolicyChange {
        name: Some("Standard".into()),
        first_response: Some(Some(15 * MIN)),
        resolution: Some(Some(8 * 60 * MIN)),
        ..PolicyChange::default()
    };
    store.create_sla_policy(&policy).await.unwrap();
    let mut events = core.events().subscribe();
    let id = handed_off(&core, "s", 1).await[0];
    let assign = ConversationUpdate { id, assignee: Some(Some(ann)), team: Some(Some(team)), ..Default::default() };
    core.update_conversation(assign).await.unwrap();
    let reached = store.conversation(id).await.unwrap().unwrap().handoff_at.unwrap();
    let desk = desk(Mode::Off);

    let looked = core.desk_step(&desk, reached + 5 * MIN).await.unwrap();
    assert_eq!((looked.warnings, looked.breaches), (0, 0));
    let clocks = store.conversation(id).await.unwrap().unwrap().sla.expect("held to the policy");
    assert_eq!(clocks.first_response_due_at, Some(reached + 15 * MIN));
    assert_eq!(clocks.resolution_due_at, Some(reached + 8 * 60 * MIN));

    let looked = core.desk_step(&desk, reached + 12 * MIN).await.unwrap();
    assert_eq!((looked.warnings, looked.breaches), (1, 0), "80% of 15 minutes");
    assert_eq!(store.conversation(id).await.unwrap().unwrap().priority, Priority::High);
    let again = core.desk_step(&desk, reached + 13 * MIN).await.unwrap();
    assert_eq!(again.warnings, 0, "told once");

    let looked = core.desk_step(&desk, reached + 16 * MIN).await.unwrap();
    assert_eq!(looked.breaches, 1);
    assert_eq!(store.conversation(id).await.unwrap().unwrap().priority, Priority::Urgent);
    let clocks = store.conversation(id).await.unwrap().unwrap().sla.unwrap();
    assert_eq!(clocks.breached, [SlaTarget::FirstResponse]);
    assert_eq!(core.desk_step(&desk, reached + 17 * MIN).await.unwrap().breaches, 0, "told once");
    let said = notes(store, id).await;
    assert!(said.iter().any(|n| n.starts_with("SLA warning: the first response is due")), "{said:?}");
    assert!(said.iter().any(|n| n.starts_with("SLA breached: the first response")), "{said:?}");

    let mut told = Vec::new();
    while let Ok(published) = events.try_recv() {
        if let Event::Sla { target, breached, agents, .. } = published.event {
            told.push((target, breached, agents));
        }
    }
    assert_eq!(
        told,
        [(SlaTarget::FirstResponse, false, vec![ann, lead]), (SlaTarget::FirstResponse, true, vec![ann, lead])]
    );

    // The reports count the cycle as held to an SLA and not within it, for its team and agent.
    let reply = switchboard_core::post::Post::new(id, Author::Agent, Some(ann), "Looking now", PostKind::Note);
    core.post(switchboard_core::post::Post { kind: PostKind::Reply { channel: None }, ..reply }).await.unwrap();
    let zone = jiff::tz::TimeZone::UTC;
    let period = (reached - 60 * MIN, now_ms() + MIN);
    let tally = store.report_tally(period, &Filter::default(), None, &zone).await.unwrap();
    let summary = tally.summary();
    assert_eq!((summary.sla.held, summary.sla.met, summary.sla.within_rate), (1, 0, Some(0.0)));
    assert_eq!(summary.by_team[&team.to_string()].sla.held, 1);
    assert_eq!(tally.agents(Some(ann))[0].sla.held, 1);
    let other_team = Filter { team: Some(team + 1), ..Filter::default() };
    assert!(store.report_tally(period, &other_team, None, &zone).await.unwrap().is_empty());
    h.running.shutdown().await;
}

fn rule(json: serde_json::Value) -> Rule {
    serde_json::from_value(json).unwrap()
}

async fn runs(store: &Store, id: ConversationId) -> Vec<(i64, String)> {
    store.rule_runs(id).await.unwrap().into_iter().map(|r| (r.rule_id, r.outcome)).collect()
}

async fn rules_act_on_events_and_idleness_once_and_a_loop_is_stopped(db: &TestDb) {
    let h = Harness::start(db).await;
    let (core, store) = (h.core(), &h.store);
    let desk = desk(Mode::Off);
    let vip = store
        .save_rule(rule(serde_json::json!({
            "name": "VIP first", "event": "message_received",
            "conditions": [{"field": "attribute", "name": "VIP", "value": "gold"},
                           {"field": "text", "operator": "contains", "value": ["withdraw", "提币"]}],
            "actions": [{"type": "add_tag", "tag": "vip"}, {"type": "set_priority", "priority": "high"},
                        {"type": "add_note", "body": "Gold customer: answer within the hour."}]
        })))
        .await
        .unwrap();
    let gold = core.ingest(inbound("g", "g-1", "hello")).await.unwrap().conversation_id.unwrap();
    let contact = store.conversation(gold).await.unwrap().unwrap().contact_id;
    let attributes = std::collections::BTreeMap::from([("VIP".to_owned(), Some("gold".to_owned()))]);
    store.change_contact(contact, None, &attributes, 1).await.unwrap();
    let plain = core.ingest(inbound("p", "p-1", "how do I withdraw?")).await.unwrap().conversation_id.unwrap();
    core.desk_step(&desk, now_ms()).await.unwrap();
    assert!(runs(store, gold).await.is_empty(), "\"hello\" does not ask about a withdrawal");
    core.ingest(inbound("g", "g-2", "my withdrawal is stuck")).await.unwrap();
    let looked = core.desk_step(&desk, now_ms()).await.unwrap();
    assert_eq!(looked.rules, 1);
    let after = store.conversation(gold).await.unwrap().unwrap();
    assert_eq!((after.tags.clone(), after.priority), (vec!["vip".to_owned()], Priority::High));
    assert_eq!(runs(store, gold).await.len(), 1, "logged on the conversation");
    assert!(notes(store, gold).await.iter().any(|n| n.contains("VIP first") && n.contains("tag vip")));
    assert!(runs(store, plain).await.is_empty(), "not a gold customer");
    assert_eq!(core.desk_step(&desk, now_ms()).await.unwrap().rules, 0, "once per message");

    let tried = core.try_rule(&store.rule(vip).await.unwrap().unwrap()).await.unwrap();
    let matching: Vec<ConversationId> = tried.iter().filter(|t| t.matches).map(|t| t.conversation_id).collect();
    assert_eq!((tried.len(), matching), (2, vec![gold]), "a dry run changes nothing");

    // Idle: once per quiet spell, on a fake clock.
    store
        .save_rule(rule(serde_json::json!({
            "name": "Nudge", "event": "idle", "idle_for": "2h",
            "conditions": [{"field": "tag", "operator": "not_contains", "value": "vip"}],
            "actions": [{"type": "add_tag", "tag": "stale"}]
        })))
        .await
        .unwrap();
    let later = now_ms() + 3 * 60 * MIN;
    assert_eq!(core.desk_step(&desk, later).await.unwrap().rules, 1, "the plain conversation only");
    assert_eq!(core.desk_step(&desk, later + MIN).await.unwrap().rules, 0);
    assert!(store.conversation(plain).await.unwrap().unwrap().tags.contains(&"stale".to_owned()));

    // Two rules answering each other: stopped after LOOP_LIMIT runs each.
    let reopen = rule(serde_json::json!({"name": "Reopen", "event": "resolved",
        "actions": [{"type": "set_status", "status": "open"}]}));
    let close = rule(serde_json::json!({"name": "Close", "event": "conversation_opened",
        "conditions": [{"field": "tag", "value": "stale"}],
        "actions": [{"type": "set_status", "status": "resolved"}]}));
    let (reopen, close) = (store.save_rule(reopen).await.unwrap(), store.save_rule(close).await.unwrap());
    let resolve = ConversationUpdate { id: plain, status: Some(Status::Resolved), ..Default::default() };
    core.update_conversation(resolve).await.unwrap();
    let mut steps = 0;
    while core.desk_step(&desk, later + 2 * MIN).await.unwrap().rules > 0 {
        steps += 1;
        assert!(steps < 50, "the loop goes on");
    }
    let done = runs(store, plain).await;
    let count = |rule: i64| done.iter().filter(|(r, o)| *r == rule && !o.contains("stopped")).count() as i64;
    assert_eq!((count(reopen), count(close)), (LOOP_LIMIT, LOOP_LIMIT));
    assert!(notes(store, plain).await.iter().any(|n| n.contains("stopped on this conversation")));
    h.running.shutdown().await;
}

async fn availability_lapses_an_unanswered_assignment_moves_on_and_a_changed_policy_moves_deadlines(db: &TestDb) {
    let h = Harness::start(db).await;
    let (core, store) = (h.core(), &h.store);
    let (ann, bo) = (
        store.create_agent("ann@x.test", "Ann", Role::Agent, "x").await.unwrap(),
        store.create_agent("bo@x.test", "Bo", Role::Agent, "x").await.unwrap(),
    );
    set(store, ann, Availability::Online).await;
    set(store, bo, Availability::Online).await;
    let policy =
        PolicyChange { name: Some("P".into()), first_response: Some(Some(60 * MIN)), ..PolicyChange::default() };
    let policy = store.create_sla_policy(&policy).await.unwrap();
    let id = handed_off(&core, "u", 1).await[0];
    let reached = store.conversation(id).await.unwrap().unwrap().handoff_at.unwrap();
    // A clock far ahead: presence is forgiven that long, availability does not lapse meanwhile.
    let mut desk = desk(Mode::RoundRobin);
    desk.settings.availability_grace = std::time::Duration::from_secs(86_400);
    desk.settings.availability_idle = std::time::Duration::from_secs(86_400);
    desk.settings.reassign_after = Some(std::time::Duration::from_secs(30 * 60));
    core.desk_step(&desk, now_ms()).await.unwrap();
    let first = store.conversation(id).await.unwrap().unwrap().assignee_id.unwrap();
    assert_eq!(core.desk_step(&desk, now_ms() + 10 * MIN).await.unwrap().reassigned, 0, "not yet");
    let looked = core.desk_step(&desk, now_ms() + 31 * MIN).await.unwrap();
    assert_eq!(looked.reassigned, 1, "unanswered for 30 minutes");
    let second = store.conversation(id).await.unwrap().unwrap().assignee_id.unwrap();
    assert_ne!(first, second);
    assert!(
        notes(store, id).await.iter().any(|n| n.contains("did not answer within 30 minutes")),
        "{:?}",
        notes(store, id).await
    );

    // The policy's target halves: the open deadline follows.
    let due = |c: Conversation| c.sla.and_then(|s| s.first_response_due_at);
    assert_eq!(due(store.conversation(id).await.unwrap().unwrap()), Some(reached + 60 * MIN));
    let halved = PolicyChange { first_response: Some(Some(30 * MIN)), ..PolicyChange::default() };
    store.change_sla_policy(policy, &halved).await.unwrap();
    core.desk_step(&desk, now_ms()).await.unwrap();
    assert_eq!(due(store.conversation(id).await.unwrap().unwrap()), Some(reached + 30 * MIN));

    // Nobody's inbox open for the idle time: online lapses to away.
    desk.settings.availability_idle = std::time::Duration::from_secs(15 * 60);
    assert_eq!(core.desk_step(&desk, now_ms() + 16 * MIN).await.unwrap().lapsed, 2);
    let agents = store.agents().await.unwrap();
    assert!(agents.iter().all(|a| a.availability == Availability::Away));
    h.running.shutdown().await;
}

on_both_backends!(
    balanced_within_capacity_and_the_backlog_follows_availability,
    round_robin_takes_turns_and_skips_who_is_away,
    sla_warns_then_breaches_once_raising_priority_and_telling_the_assignee_and_lead,
    rules_act_on_events_and_idleness_once_and_a_loop_is_stopped,
    availability_lapses_an_unanswered_assignment_moves_on_and_a_changed_policy_moves_deadlines
);
