//! Property: any interleaving of customers' messages and commands, agents' and the bot's
//! replies, notes, conversation updates and contact merges, on several conversations, leaves the
//! store in the same state whether it is committed in batches (cut at random points) or write by
//! write, every write is answered the same way in both, and the state agrees with a simple model
//! of what each write must leave. On SQLite and PostgreSQL.
//!
//! The write-by-write run is the reference: each write sees everything before it committed,
//! which is what the planner promises a batch behaves like. The model checks what neither run
//! could get wrong the same way: each customer's messages are stored once each, in the order
//! sent; each conversation holds exactly the replies and notes posted to it, in order; a
//! conversation's priority and tags are those of the last update that set them.

mod support;

use sqlx::Row;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use support::{Backend, Harness, TestDb, inbound};
use switchboard_core::model::{AgentId, Author, ContactId, ConversationId, IdentityId, Priority, Status};
use switchboard_core::post::{ConversationUpdate, Post, PostKind};
use switchboard_core::store::agents::Role;
use switchboard_core::{Change, Changed};

const CUSTOMERS: usize = 3;

#[derive(Debug, Clone)]
enum Op {
    /// A customer writes: a question, or a command.
    Customer {
        who: usize,
        text: &'static str,
    },
    Reply {
        who: usize,
        by_bot: bool,
    },
    Note {
        who: usize,
    },
    Update {
        who: usize,
        status: Option<Status>,
        assignee: Option<Option<usize>>,
        priority: Option<Priority>,
        tags: Option<Vec<String>>,
        handoff: Option<bool>,
    },
    /// An agent merges one customer's contact into another's.
    Merge {
        survivor: usize,
        merged: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0..CUSTOMERS;
    let text = prop::sample::select(vec![
        "my deposit has not arrived",
        "still waiting",
        "/status",
        "/human",
        "/start",
        "/help",
        "/lang zh-CN",
        "/lang xx",
        "/verify @nobody",
        "/link",
        "/link AAAA-BBBB",
    ]);
    let status = prop::option::of(prop::sample::select(vec![Status::Open, Status::Pending, Status::Resolved]));
    let assignee = prop::option::of(prop::option::of(0..2usize));
    let priority = prop::option::of(prop::sample::select(vec![Priority::Low, Priority::Normal, Priority::Urgent]));
    let tags =
        prop::option::of(prop::collection::vec(prop::sample::select(vec!["vip".to_owned(), "usdt".to_owned()]), 0..3));
    let handoff = prop::option::of(any::<bool>());
    prop_oneof![
        3 => (who.clone(), text).prop_map(|(who, text)| Op::Customer { who, text }),
        2 => (who.clone(), any::<bool>()).prop_map(|(who, by_bot)| Op::Reply { who, by_bot }),
        1 => who.clone().prop_map(|who| Op::Note { who }),
        2 => (who.clone(), status, assignee, priority, tags, handoff).prop_map(|(who, status, assignee, priority, tags, handoff)| {
            Op::Update { who, status, assignee, priority, tags, handoff }
        }),
        1 => (who.clone(), who).prop_map(|(survivor, merged)| Op::Merge { survivor, merged }),
    ]
}

/// A store with `CUSTOMERS` customers, each with one open conversation, and two agents.
struct World {
    h: Harness,
    _db: TestDb,
    conversations: Vec<ConversationId>,
    /// Each customer's contact and identity as first stored.
    contacts: Vec<ContactId>,
    identities: Vec<Option<IdentityId>>,
    agents: Vec<AgentId>,
}

impl World {
    async fn new(backend: fn() -> Backend) -> World {
        let db = TestDb::new(backend());
        let h = Harness::start(&db).await;
        let (mut conversations, mut contacts, mut identities) = (Vec::new(), Vec::new(), Vec::new());
        for who in 0..CUSTOMERS {
            let first = inbound(&format!("c{who}"), &format!("c{who}-0"), "hello");
            let ingested = h.core().ingest(first).await.unwrap();
            conversations.push(ingested.conversation_id.unwrap());
            let message = h.store.message(ingested.message_id).await.unwrap().unwrap();
            contacts.push(message.contact_id);
            identities.push(message.identity_id);
        }
        let mut agents = Vec::new();
        for n in 0..2 {
            agents
                .push(h.store.create_agent(&format!("a{n}@example.com"), "Agent", Role::Agent, "hash").await.unwrap());
        }
        World { h, _db: db, conversations, contacts, identities, agents }
    }

    fn change(&self, n: usize, op: &Op) -> Change {
        match op {
            Op::Customer { who, text } => Change::Ingest(inbound(&format!("c{who}"), &format!("c{who}-m{n}"), text)),
            Op::Reply { who, by_bot } => {
                let (author, agent) = if *by_bot { (Author::Bot, None) } else { (Author::Agent, Some(self.agents[0])) };
                let reply = PostKind::Reply { channel: None };
                Change::Post(Post::new(self.conversations[*who], author, agent, format!("reply {n}"), reply))
            }
            Op::Note { who } => Change::Post(Post::new(
                self.conversations[*who],
                Author::Agent,
                Some(self.agents[1]),
                format!("note {n}"),
                PostKind::Note,
            )),
            Op::Update { who, status, assignee, priority, tags, handoff } => Change::Update(ConversationUpdate {
                id: self.conversations[*who],
                status: *status,
                assignee: assignee.map(|a| a.map(|i| self.agents[i])),
                priority: *priority,
                tags: tags.clone(),
                handoff: *handoff,
                ..Default::default()
            }),
            Op::Merge { survivor, merged } => {
                Change::Merge { survivor: self.contacts[*survivor], merged: self.contacts[*merged] }
            }
        }
    }

    /// The customers' first conversations, then any the writes opened.
    fn conversation_ids(&self, results: &[Changed]) -> Vec<ConversationId> {
        let mut ids: Vec<ConversationId> = self.conversations.clone();
        for result in results {
            if let Changed::Ingested(ingested) = result
                && let Some(id) = ingested.conversation_id
                && !ids.contains(&id)
            {
                ids.push(id);
            }
        }
        ids
    }

    /// Checks the state against what the writes must leave, whatever else they set off
    /// (acknowledgements, command answers, reopenings).
    async fn agrees_with_model(&self, ops: &[Op], results: &[Changed]) -> Result<(), TestCaseError> {
        let ids = self.conversation_ids(results);
        let mut sent: Vec<Vec<String>> = vec![vec!["hello".to_owned()]; CUSTOMERS];
        let mut posted: Vec<Vec<String>> = vec![Vec::new(); CUSTOMERS];
        let (mut priority, mut tags) = (vec![None; CUSTOMERS], vec![None; CUSTOMERS]);
        for (n, op) in ops.iter().enumerate() {
            match op {
                Op::Customer { who, text } => sent[*who].push((*text).to_owned()),
                Op::Reply { who, .. } => posted[*who].push(format!("reply {n}")),
                Op::Note { who } => posted[*who].push(format!("note {n}")),
                Op::Update { who, priority: p, tags: t, .. } => {
                    if p.is_some() {
                        priority[*who] = *p;
                    }
                    if t.is_some() {
                        tags[*who].clone_from(t);
                    }
                }
                Op::Merge { .. } => {}
            }
        }
        let mut stored_sent: Vec<Vec<String>> = vec![Vec::new(); CUSTOMERS];
        for id in &ids {
            let messages = self.h.store.conversation_messages(*id, 0).await.unwrap();
            if let Some(who) = self.conversations.iter().position(|c| c == id) {
                let stored: Vec<String> = messages
                    .iter()
                    .filter(|m| m.body.starts_with("reply ") || m.body.starts_with("note "))
                    .map(|m| m.body.clone())
                    .collect();
                prop_assert_eq!(&stored, &posted[who], "replies and notes of conversation {}", who);
                let c = self.h.store.conversation(*id).await.unwrap().unwrap();
                if let Some(p) = priority[who] {
                    prop_assert_eq!(c.priority, p, "priority of conversation {}", who);
                }
                if let Some(t) = &tags[who] {
                    prop_assert_eq!(&c.tags, t, "tags of conversation {}", who);
                }
            }
        }
        // Every customer message, in a conversation or not (a command to a closed ticket is
        // kept outside any).
        let rows = sqlx::query("SELECT identity_id, body FROM messages WHERE author = 'contact' ORDER BY id")
            .fetch_all(self.h.store.pool())
            .await
            .unwrap();
        for row in rows {
            let identity: Option<IdentityId> = row.get(0);
            if let Some(who) = self.identities.iter().position(|i| *i == identity) {
                stored_sent[who].push(row.get(1));
            }
        }
        for who in 0..CUSTOMERS {
            let mut stored = stored_sent[who].clone();
            let mut expected = sent[who].clone();
            // Across conversations (a merge may send a customer's next message to another
            // ticket) the order is by id; within the store, each is there once.
            stored.sort();
            expected.sort();
            prop_assert_eq!(stored, expected, "customer {}'s messages", who);
        }
        Ok(())
    }

    /// What an agent could see of each customer's conversations, without times or ids.
    async fn state(&self, results: &[Changed]) -> Vec<String> {
        let ids = self.conversation_ids(results);
        let mut state = Vec::new();
        for id in ids {
            let c = self.h.store.conversation(id).await.unwrap().unwrap();
            let waiting = self.h.store.waiting_since(id).await.unwrap().is_some();
            let agent = |a: Option<AgentId>| a.map(|a| self.agents.iter().position(|x| *x == a).unwrap());
            state.push(format!(
                "contact {} status {:?} assignee {:?} priority {:?} tags {:?} locale {:?} handoff {} resolved {} by {:?} \
                 waiting {} bot answered {}",
                c.contact_id,
                c.status,
                agent(c.assignee_id),
                c.priority,
                c.tags,
                c.locale,
                c.handoff_at.is_some(),
                c.resolved_at.is_some(),
                c.resolved_by,
                waiting,
                c.bot_answered_at.is_some(),
            ));
            for m in self.h.store.conversation_messages(id, 0).await.unwrap() {
                state.push(format!("  {:?} {:?} {:?} {:?}", m.direction, m.author, m.channel, without_codes(&m.body)));
            }
        }
        let (pending, sent, failed) = self.h.store.outbox_counts().await.unwrap();
        state.push(format!("outbox {}", pending + sent + failed));
        state
    }
}

/// `body` with `/link` codes (random by design: `XXXX-XXXX`) masked.
fn without_codes(body: &str) -> String {
    let chars: Vec<char> = body.chars().collect();
    let part = |s: &[char]| s.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if i + 9 <= chars.len() && chars[i + 4] == '-' && part(&chars[i..i + 4]) && part(&chars[i + 5..i + 9]) {
            out.push_str("CODE");
            i += 9;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

async fn one_case(backend: fn() -> Backend, ops: Vec<Op>, cuts: Vec<bool>) -> Result<(), TestCaseError> {
    // The writes in batches, cut where `cuts` says (a batch ends after write n when cuts[n]).
    let together = World::new(backend).await;
    let mut batched = Vec::new();
    let mut batch = Vec::new();
    for (n, op) in ops.iter().enumerate() {
        batch.push(together.change(n, op));
        if cuts.get(n).copied().unwrap_or(false) || n + 1 == ops.len() {
            batched.extend(together.h.core().apply_together(std::mem::take(&mut batch)).await);
        }
    }
    let failed = together.h.core().health().failed_batches;
    prop_assert_eq!(failed, 0, "a batch was not committed whole");

    let apart = World::new(backend).await;
    let mut single = Vec::new();
    for (n, op) in ops.iter().enumerate() {
        single.push(apart.h.core().apply_together(vec![apart.change(n, op)]).await.remove(0));
    }
    for (n, (a, b)) in batched.iter().zip(&single).enumerate() {
        let answer = |r: &switchboard_core::error::Result<Changed>| r.as_ref().map(|_| ()).map_err(ToString::to_string);
        prop_assert_eq!(answer(a), answer(b), "write {} ({:?}) answered differently in a batch", n, &ops[n]);
        if let (Err(error), Op::Customer { .. } | Op::Reply { .. } | Op::Note { .. } | Op::Update { .. }) = (a, &ops[n])
        {
            return Err(TestCaseError::fail(format!("write {n} ({:?}) failed: {error}", ops[n])));
        }
    }
    let batched: Vec<Changed> = batched.into_iter().filter_map(Result::ok).collect();
    let single: Vec<Changed> = single.into_iter().filter_map(Result::ok).collect();

    let (a, b) = (together.state(&batched).await, apart.state(&single).await);
    let model = together.agrees_with_model(&ops, &batched).await;
    together.h.running.shutdown().await;
    apart.h.running.shutdown().await;
    prop_assert_eq!(a.join("\n"), b.join("\n"));
    model
}

fn check(backend: fn() -> Backend, cases: u32) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new(config);
    let writes = (prop::collection::vec(op(), 1..24), prop::collection::vec(prop::bool::weighted(0.2), 24));
    let result = runner.run(&writes, |(ops, cuts)| runtime.block_on(one_case(backend, ops, cuts)));
    if let Err(error) = result {
        panic!("{error}");
    }
}

#[test]
fn any_writes_in_batches_end_as_one_by_one_and_as_the_model_says_on_sqlite() {
    check(|| Backend::Sqlite, 48);
}

#[test]
fn any_writes_in_batches_end_as_one_by_one_and_as_the_model_says_on_postgres() {
    check(|| Backend::Postgres, 24);
}
