//! How long the desk's look takes with a busy queue, on SQLite and on PostgreSQL.
//!
//! `cargo bench --bench desk [-- N]` starts the core on a fresh database with three teams of
//! seven agents (online, capacity 10, balanced assignment), two SLA policies and two rules,
//! then hands N customers' conversations (default 2,000; half in Chinese) to people through the
//! writer, as a storm would. It measures the first look (every conversation routed by language,
//! its clocks worked out, its rules run, the two language teams' 14 agents filled to capacity),
//! the next look (reading back what the first one wrote), a look with nothing new, a look
//! after 100 customers wrote again, and a look at a deadline 50 minutes on (warnings told), and
//! prints a Markdown table for BENCHMARKS.md.

#[path = "../core/tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::Instant;
use switchboard_core::channel::Channels;
use switchboard_core::clock::now_ms;
use switchboard_core::config::CoreConfig;
use switchboard_core::desk::assign::Mode;
use switchboard_core::desk::{Desk, DeskSettings, Looked};
use switchboard_core::model::ChannelKind;
use switchboard_core::post::ConversationUpdate;
use switchboard_core::store::Store;
use switchboard_core::store::agents::{AgentChange, Availability, Role};
use switchboard_core::store::sla_policies::PolicyChange;
use switchboard_core::store::teams::TeamChange;
use switchboard_core::stub::StubChannel;

/// Customer `who`'s `n`-th message.
fn inbound(who: &str, n: usize, body: &str) -> switchboard_core::ingest::Inbound {
    support::inbound(who, &format!("{who}-{n}"), body)
}

/// Teams, agents, policies and rules: the desk a busy exchange runs.
async fn staff(store: &Store) {
    for (t, (team, languages)) in
        [("Transactions", vec!["en"]), ("Chinese desk", vec!["zh"]), ("Accounts", vec![])].into_iter().enumerate()
    {
        let mut members = Vec::new();
        for a in 0..7 {
            let id = store.create_agent(&format!("a{t}{a}@x.test"), &format!("Agent {t}{a}"), Role::Agent, "x").await;
            let id = id.unwrap();
            let online = AgentChange { availability: Some(Availability::Online), ..AgentChange::default() };
            store.change_agent(id, &online).await.unwrap();
            members.push(id);
        }
        let change = TeamChange {
            name: Some(team.into()),
            lead_id: Some(Some(members[0])),
            member_ids: Some(members),
            languages: Some(languages.into_iter().map(str::to_owned).collect()),
            categories: Some(vec![]),
        };
        store.create_team(change).await.unwrap();
    }
    let minutes = |m: i64| Some(Some(m * 60_000));
    for (name, first, priority) in
        [("Standard", 60, None), ("Urgent", 15, Some(switchboard_core::model::Priority::Urgent))]
    {
        let policy = PolicyChange {
            name: Some(name.into()),
            first_response: minutes(first),
            next_response: minutes(2 * first),
            resolution: minutes(24 * 60),
            priority: Some(priority),
            ..PolicyChange::default()
        };
        store.create_sla_policy(&policy).await.unwrap();
    }
    for rule in [
        serde_json::json!({"name": "Withdrawals", "event": "message_received",
            "conditions": [{"field": "text", "operator": "contains", "value": ["withdraw", "提币"]}],
            "actions": [{"type": "add_tag", "tag": "withdrawal"}]}),
        serde_json::json!({"name": "Breaches to the lead", "event": "sla_breach",
            "actions": [{"type": "notify", "lead": true}]}),
    ] {
        store.save_rule(serde_json::from_value(rule).unwrap()).await.unwrap();
    }
}

async fn timed(core: &switchboard_core::Core, desk: &Desk, now: i64) -> (f64, Looked) {
    let started = Instant::now();
    let looked = core.desk_step(desk, now).await.unwrap();
    (started.elapsed().as_secs_f64() * 1000.0, looked)
}

async fn measure(backend: &str, url: &str, n: usize) -> Vec<String> {
    let store = Store::open(url).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = CoreConfig { data_dir: dir.path().to_owned(), csat_delay: None, ..CoreConfig::default() };
    let mut channels = Channels::new();
    channels.register(Arc::new(StubChannel::new(ChannelKind::Webchat)));
    let running = switchboard_core::Core::start(store.clone(), config, channels).await.unwrap();
    let core = running.core();
    staff(&store).await;
    let texts = ["my withdrawal is stuck", "充值没有到账", "how do I reset 2FA?", "提币一直在审核"];
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let ingested = core.ingest(inbound(&format!("c{i}"), 1, texts[i % texts.len()])).await.unwrap();
        ids.push(ingested.conversation_id.unwrap());
    }
    let handoffs = ids.iter().map(|id| {
        switchboard_core::Change::Update(ConversationUpdate { id: *id, handoff: Some(true), ..Default::default() })
    });
    for result in core.apply_together(handoffs.collect()).await {
        result.unwrap();
    }
    let desk = Desk {
        settings: DeskSettings { assignment: Mode::Balanced, capacity: 10, ..DeskSettings::default() },
        hours: None,
    };
    let mut rows = Vec::new();
    let mut row = |what: &str, (ms, looked): (f64, Looked)| {
        rows.push(format!(
            "| {backend} | {what} | {ms:.0} | {} | {} | {} | {} |",
            looked.routed,
            looked.assigned,
            looked.rules,
            looked.warnings + looked.breaches
        ));
    };
    row("first look: the storm routed, clocked, ruled, assigned", timed(&core, &desk, now_ms()).await);
    row("the next look: the first one's changes read back", timed(&core, &desk, now_ms()).await);
    row("a look with nothing new", timed(&core, &desk, now_ms()).await);
    for i in 0..n.min(100) {
        core.ingest(inbound(&format!("c{i}"), 2, "any news? I need to withdraw")).await.unwrap();
    }
    row("after 100 customers wrote again", timed(&core, &desk, now_ms()).await);
    row("50 minutes on: warnings due", timed(&core, &desk, now_ms() + 50 * 60_000).await);
    running.shutdown().await;
    store.close().await;
    rows
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(2_000);
    let dir = tempfile::tempdir().unwrap();
    let mut rows = vec![
        format!("{n} conversations handed to people at once; 3 teams of 7 agents, 2 SLA policies, 2 rules"),
        String::new(),
        "| backend | look | ms | routed | assigned | rules run | SLA told |".to_owned(),
        "|---|---|---|---|---|---|---|".to_owned(),
    ];
    rows.extend(measure("SQLite", &format!("sqlite://{}", dir.path().join("desk.db").display()), n).await);
    rows.extend(measure("PostgreSQL", &support::postgres::fresh_database_url(), n).await);
    println!("{}", rows.join("\n"));
}
