//! Property: any interleaving of customers' messages and commands, agents' and the bot's
//! replies, notes and conversation updates leaves the store in the same state whether it is
//! committed as one batch or write by write, and every write succeeds. On SQLite and PostgreSQL.
//!
//! The write-by-write run is the model: each write sees everything before it committed, which
//! is what the planner promises a batch behaves like.

mod support;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use support::{Backend, Harness, TestDb, inbound};
use switchboard_core::model::{AgentId, Author, ConversationId, Priority, Status};
use switchboard_core::post::{ConversationUpdate, Post, PostKind};
use switchboard_core::store::inbox::Role;
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
        2 => (who, status, assignee, priority, tags, handoff).prop_map(|(who, status, assignee, priority, tags, handoff)| {
            Op::Update { who, status, assignee, priority, tags, handoff }
        }),
    ]
}

/// A store with `CUSTOMERS` customers, each with one open conversation, and two agents.
struct World {
    h: Harness,
    _db: TestDb,
    conversations: Vec<ConversationId>,
    agents: Vec<AgentId>,
}

impl World {
    async fn new(backend: fn() -> Backend) -> World {
        let db = TestDb::new(backend());
        let h = Harness::start(&db).await;
        let mut conversations = Vec::new();
        for who in 0..CUSTOMERS {
            let first = inbound(&format!("c{who}"), &format!("c{who}-0"), "hello");
            conversations.push(h.core().ingest(first).await.unwrap().conversation_id.unwrap());
        }
        let mut agents = Vec::new();
        for n in 0..2 {
            agents
                .push(h.store.create_agent(&format!("a{n}@example.com"), "Agent", Role::Agent, "hash").await.unwrap());
        }
        World { h, _db: db, conversations, agents }
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
        }
    }

    /// What an agent could see of each customer's conversations, without times or ids.
    async fn state(&self, results: &[Changed]) -> Vec<String> {
        let mut ids: Vec<ConversationId> = self.conversations.clone();
        for result in results {
            if let Changed::Ingested(ingested) = result
                && let Some(id) = ingested.conversation_id
                && !ids.contains(&id)
            {
                ids.push(id);
            }
        }
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

async fn one_case(backend: fn() -> Backend, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let together = World::new(backend).await;
    let changes = ops.iter().enumerate().map(|(n, op)| together.change(n, op)).collect();
    let mut batch = Vec::new();
    for (n, result) in together.h.core().apply_together(changes).await.into_iter().enumerate() {
        batch.push(result.map_err(|e| TestCaseError::fail(format!("write {n} ({:?}) in a batch: {e}", ops[n])))?);
    }

    let failed = together.h.core().health().failed_batches;
    prop_assert_eq!(failed, 0, "the batch was not committed whole");

    let apart = World::new(backend).await;
    let mut single = Vec::new();
    for (n, op) in ops.iter().enumerate() {
        let mut result = apart.h.core().apply_together(vec![apart.change(n, op)]).await;
        single.push(result.remove(0).map_err(|e| TestCaseError::fail(format!("write {n} ({op:?}) alone: {e}")))?);
    }

    let (a, b) = (together.state(&batch).await, apart.state(&single).await);
    together.h.running.shutdown().await;
    apart.h.running.shutdown().await;
    prop_assert_eq!(a.join("\n"), b.join("\n"));
    Ok(())
}

fn check(backend: fn() -> Backend, cases: u32) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&prop::collection::vec(op(), 1..24), |ops| runtime.block_on(one_case(backend, ops)));
    if let Err(error) = result {
        panic!("{error}");
    }
}

#[test]
fn a_batch_of_any_writes_ends_as_the_same_writes_one_by_one_on_sqlite() {
    check(|| Backend::Sqlite, 48);
}

#[test]
fn a_batch_of_any_writes_ends_as_the_same_writes_one_by_one_on_postgres() {
    check(|| Backend::Postgres, 24);
}
