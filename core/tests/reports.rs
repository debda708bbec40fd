//! The reporting ledger through the real write path on both backends: each conversation cycle
//! as it happened — who answered, when people were reached, who resolved it, how it was rated
//! — and a reopening as a cycle of its own.

mod support;

use support::{Harness, TestDb, inbound};
use switchboard_core::figures::{Filter, Tally};
use switchboard_core::model::{Author, Status};
use switchboard_core::post::{ConversationUpdate, Post, PostKind};
use switchboard_core::store::agents::Role;

const UTC: jiff::tz::TimeZone = jiff::tz::TimeZone::UTC;

fn reply(id: i64, author: Author, agent: Option<i64>, body: &str) -> Post {
    Post::new(id, author, agent, body, PostKind::Reply { channel: None })
}

fn resolve(id: i64, agent: Option<i64>) -> ConversationUpdate {
    ConversationUpdate { id, status: Some(Status::Resolved), agent_id: agent, ..Default::default() }
}

async fn each_cycle_is_kept_as_it_happened(db: &TestDb) {
    let h = Harness::start(db).await;
    let (core, store) = (h.core(), &h.store);
    let ann = store.create_agent("ann@x.test", "Ann", Role::Agent, "x").await.unwrap();
    let bo = store.create_agent("bo@x.test", "Bo", Role::Agent, "x").await.unwrap();

    // The bot answers; the customer asks for a person; Bo and Ann answer; Bo resolves.
    let id = core.ingest(inbound("lin", "l-1", "my deposit is missing")).await.unwrap().conversation_id.unwrap();
    core.post(reply(id, Author::Bot, None, "Deposits need 12 confirmations.")).await.unwrap();
    core.ingest(inbound("lin", "l-2", "/human")).await.unwrap();
    core.post(reply(id, Author::Agent, Some(bo), "Looking into it.")).await.unwrap();
    core.post(reply(id, Author::Agent, Some(ann), "It arrived.")).await.unwrap();
    core.post(reply(id, Author::Agent, Some(bo), "Anything else?")).await.unwrap();
    core.update_conversation(resolve(id, Some(bo))).await.unwrap();
    // Reopened: no bot this time, Ann answers and resolves.
    core.ingest(inbound("lin", "l-3", "and the fee?")).await.unwrap();
    core.post(reply(id, Author::Agent, Some(ann), "2 USDT.")).await.unwrap();
    core.update_conversation(resolve(id, Some(ann))).await.unwrap();
    // The bot's answer met silence: resolved as idle.
    let quiet = core.ingest(inbound("mo", "m-1", "how do I stake?")).await.unwrap().conversation_id.unwrap();
    core.post(reply(quiet, Author::Bot, None, "Open Earn, then Stake.")).await.unwrap();
    let later = switchboard_core::clock::now_ms() + 86_400_000;
    assert_eq!(core.resolve_quiet_bot_answers(std::time::Duration::from_secs(3600), later).await.unwrap(), 1);

    let cycles = store.report_cycles(0, i64::MAX).await.unwrap();
    let of = |conversation: i64| cycles.iter().filter(|c| c.conversation_id == conversation).collect::<Vec<_>>();
    let [first, second] = of(id)[..] else { panic!("two cycles: {cycles:#?}") };
    assert!(!first.reopened && second.reopened);
    assert_eq!((first.bot_replies, first.agent_replies, first.customer_messages), (1, 3, 2));
    assert_eq!(first.handoff_reason.as_deref(), Some("asked"));
    assert!(first.reached_at.unwrap() > first.started_at, "people were reached at the hand-off");
    assert!(first.first_human_at.unwrap() >= first.reached_at.unwrap());
    assert_eq!(first.first_agent_id, Some(bo));
    assert_eq!((first.resolved_by.as_deref(), first.resolver_id), (Some("agent"), Some(bo)));
    assert_eq!(first.agents, vec![(ann, 1), (bo, 2)], "every agent who replied is credited");
    assert_eq!(second.reached_at, Some(second.started_at), "no bot: people are reached at once");
    assert_eq!((second.bot_replies, second.agent_replies, second.customer_messages), (0, 1, 1));
    assert_eq!((second.resolved_by.as_deref(), second.resolver_id), (Some("agent"), Some(ann)));
    assert_eq!(second.agents, vec![(ann, 1)]);
    let [idle] = of(quiet)[..] else { panic!("one cycle") };
    assert_eq!((idle.resolved_by.as_deref(), idle.bot_replies, idle.reached_at), (Some("idle"), 1, None));

    // The summary reads them the documented way.
    let summary = Tally::of(&cycles, &Default::default(), None, &UTC).summary();
    assert_eq!((summary.conversations, summary.cycles), (2, 3));
    assert_eq!(summary.bot.answered, 2);
    assert_eq!((summary.bot.resolved, summary.bot.handed_off), (1, 1));
    h.running.shutdown().await;
}

async fn a_rating_belongs_to_the_cycle_it_rated(db: &TestDb) {
    let h = Harness::start(db).await;
    let (core, store) = (h.core(), &h.store);
    let ann = store.create_agent("ann@x.test", "Ann", Role::Agent, "x").await.unwrap();
    let id = core.ingest(inbound("su", "s-1", "withdrawal stuck")).await.unwrap().conversation_id.unwrap();
    core.post(reply(id, Author::Agent, Some(ann), "Released now.")).await.unwrap();
    core.update_conversation(resolve(id, Some(ann))).await.unwrap();
    let due = switchboard_core::clock::now_ms() + 3_600_000;
    assert_eq!(core.ask_due_surveys(due).await.unwrap(), 1);
    let mut press = inbound("su", "s-2", "★★★★★");
    press.choice = Some("csat:5".into());
    core.ingest(press).await.unwrap();
    core.ingest(inbound("su", "s-3", "fast, thanks")).await.unwrap();
    let cycles = store.report_cycles(0, i64::MAX).await.unwrap();
    assert_eq!(cycles.len(), 1);
    assert_eq!((cycles[0].survey.as_deref(), cycles[0].rating), (Some("rated"), Some(5)));
    assert_eq!(cycles[0].comment.as_deref(), Some("fast, thanks"));
    assert_eq!(cycles[0].customer_messages, 1, "a rating and its comment are not requests");
    let agents = Tally::of(&cycles, &Default::default(), None, &UTC).agents(None);
    assert_eq!((agents[0].agent_id, agents[0].csat.avg), (ann, Some(5.0)));
    h.running.shutdown().await;
}

/// What the bot had no confident answer to is read back for the knowledge base's gaps: the
/// customer's last message before each such hand-off, clustered.
async fn questions_the_bot_could_not_answer_are_its_gaps(db: &TestDb) {
    use switchboard_core::model::HandoffReason;
    let h = Harness::start(db).await;
    let core = h.core();
    let asked = [
        ("a", "hello"),
        ("a", "my deposit has not arrived"),
        ("b", "deposit not arrived after two hours"),
        ("c", "how do I change my 2FA?"),
    ];
    for (n, (who, text)) in asked.iter().enumerate() {
        let id = core.ingest(inbound(who, &format!("g-{n}"), text)).await.unwrap().conversation_id.unwrap();
        // The bot hands off after the customer's question (not after "hello").
        if *text != "hello" {
            let unsure = ConversationUpdate {
                id,
                handoff: Some(true),
                handoff_reason: Some(HandoffReason::NotSure),
                by_bot: true,
                ..Default::default()
            };
            core.update_conversation(unsure).await.unwrap();
        }
    }
    let questions = h.store.unanswered_questions(0, i64::MAX).await.unwrap();
    let texts: Vec<&str> = questions.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, ["my deposit has not arrived", "deposit not arrived after two hours", "how do I change my 2FA?"]);
    let gaps = switchboard_core::gaps::cluster(&questions);
    assert_eq!(gaps.iter().map(|g| g.count).collect::<Vec<_>>(), [2, 1]);
    h.running.shutdown().await;
}

/// A period's figures come from its days' tallies, kept while nothing of their day changes:
/// read twice they agree with the cycles' own figures, and an event of the day shows at once.
async fn kept_day_tallies_follow_every_change(db: &TestDb) {
    let h = Harness::start(db).await;
    let (core, store) = (h.core(), &h.store);
    let ann = store.create_agent("ann@x.test", "Ann", Role::Agent, "x").await.unwrap();
    let day = 86_400_000;
    let today = switchboard_core::clock::now_ms() / day * day;
    let period = (today - 2 * day, today + day);
    let utc = jiff::tz::TimeZone::UTC;
    let filter = switchboard_core::figures::Filter::default();
    let id = core.ingest(inbound("vi", "v-1", "deposit missing")).await.unwrap().conversation_id.unwrap();
    core.post(reply(id, Author::Agent, Some(ann), "Found it.")).await.unwrap();
    let first = store.report_tally(period, &filter, None, &utc).await.unwrap();
    let direct = Tally::of(&store.report_cycles(period.0, period.1).await.unwrap(), &filter, None, &UTC).summary();
    assert_eq!(first.summary(), direct);
    assert_eq!(store.report_tally(period, &filter, None, &utc).await.unwrap(), first, "kept");
    core.update_conversation(resolve(id, Some(ann))).await.unwrap();
    let after = store.report_tally(period, &filter, None, &utc).await.unwrap().summary();
    assert_eq!((first.summary().resolved_by.agent, after.resolved_by.agent), (0, 1), "the resolution shows");
    let asked = switchboard_core::clock::now_ms() + 3_600_000;
    core.ask_due_surveys(asked).await.unwrap();
    let mut press = inbound("vi", "v-2", "★★");
    press.choice = Some("csat:2".into());
    core.ingest(press).await.unwrap();
    let rated = store.report_tally(period, &filter, None, &utc).await.unwrap().summary();
    assert_eq!((rated.csat.count, rated.csat.response_rate), (1, Some(1.0)), "the rating shows");
    h.running.shutdown().await;
}

/// The kept days serve every filter, not only the one they were first read for; the keeper
/// works out only the days that changed; an erased customer's cycles leave the figures.
async fn kept_days_serve_any_filter_and_forget_the_erased(db: &TestDb) {
    let h = Harness::start(db).await;
    let (core, store) = (h.core(), &h.store);
    let ann = store.create_agent("ann@x.test", "Ann", Role::Agent, "x").await.unwrap();
    let day = 86_400_000;
    let now = switchboard_core::clock::now_ms();
    let period = (now / day * day - day, now / day * day + day);
    let utc = jiff::tz::TimeZone::UTC;
    let first = core.ingest(inbound("ka", "k-1", "deposit missing")).await.unwrap();
    core.post(reply(first.conversation_id.unwrap(), Author::Agent, Some(ann), "Found it.")).await.unwrap();
    let mut other = inbound("kb", "k-2", "withdrawal stuck");
    other.channel = switchboard_core::model::ChannelKind::Discord;
    core.ingest(other).await.unwrap();
    // Tomorrow's keeper works out today, once; nothing changed, nothing more to work out.
    assert!(store.keep_report_days(period.1, None, &utc).await.unwrap() >= 1);
    assert_eq!(store.keep_report_days(period.1, None, &utc).await.unwrap(), 0, "nothing changed");
    let cycles = store.report_cycles(period.0, period.1).await.unwrap();
    for filter in [
        Filter::default(),
        Filter { channel: Some("discord".into()), ..Default::default() },
        Filter { agent: Some(ann), ..Default::default() },
        Filter { language: Some("zh-CN".into()), ..Default::default() },
    ] {
        let kept = store.report_tally(period, &filter, None, &utc).await.unwrap();
        assert_eq!(kept, Tally::of(&cycles, &filter, None, &UTC).starting(period.0), "{filter:?}");
    }
    let ann_only = Filter { agent: Some(ann), ..Default::default() };
    assert_eq!(store.report_tally(period, &ann_only, None, &utc).await.unwrap().summary().cycles, 1);
    let contact = store.conversation(first.conversation_id.unwrap()).await.unwrap().unwrap().contact_id;
    core.erase_contact(contact, None).await.unwrap().expect("erased");
    let after = store.report_tally(period, &Filter::default(), None, &utc).await.unwrap().summary();
    assert_eq!((after.cycles, after.by_channel.get("webchat")), (1, None), "the erased cycle is gone");
    h.running.shutdown().await;
}

on_both_backends!(
    kept_day_tallies_follow_every_change,
    kept_days_serve_any_filter_and_forget_the_erased,
    each_cycle_is_kept_as_it_happened,
    a_rating_belongs_to_the_cycle_it_rated,
    questions_the_bot_could_not_answer_are_its_gaps
);
