//! The live bot: reads every customer message the core stores (from its event bus) and
//! answers, offers articles, or hands the conversation to people, through the core like any
//! author. Once handed off, it is silent in that conversation until it is resolved or an
//! agent hands it back. With no knowledge base, chain or open incident it does nothing.

use crate::decide::{Action, Reason, Thresholds, decide_with};
use crate::hours::BusinessHours;
use crate::index::Knowledge;
use std::sync::Arc;
use switchboard_chains::Chains;
use switchboard_core::Core;
use switchboard_core::complaints::{ComplaintSource, ComplaintStage, ComplaintStep};
use switchboard_core::events::{Event, Published};
use switchboard_core::incidents::Incident;
use switchboard_core::l10n::Arg;
use switchboard_core::model::Button;
use switchboard_core::model::{Author, Conversation, Direction, MessageId};
use switchboard_core::post::{ConversationUpdate, Post, PostKind};
use switchboard_core::store::incidents::LinkedBy;
use tokio::sync::RwLock;
use tokio_util::sync::CancellationToken;

const SOLVED: &str = "bot:solved";
const UNSOLVED: &str = "bot:unsolved";

/// How the live bot works.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// When people answer; None = always.
    pub hours: Option<BusinessHours>,
    pub thresholds: Thresholds,
    /// A conversation the bot answered is resolved as the bot's after the customer stays silent
    /// this long; None = never.
    pub resolve_after: Option<std::time::Duration>,
}

/// The knowledge base the bot answers from, replaced whole by an import while it runs.
pub type SharedKnowledge = Arc<RwLock<Arc<Knowledge>>>;

/// How often the quiet conversations are looked for.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Resolves, as the bot, the conversations whose answer met the customer's silence for `idle`,
/// every `SWEEP_EVERY` until `stop` (a timer: run by one instance, see `Core::lead`).
pub async fn resolve_quiet_answers(core: Core, idle: std::time::Duration, stop: CancellationToken) {
    let failed = "quiet conversations the bot answered were not resolved this time";
    switchboard_core::clock::every(SWEEP_EVERY, stop, failed, || async {
        core.resolve_quiet_bot_answers(idle, switchboard_core::clock::now_ms()).await.map(drop)
    })
    .await;
}

/// Chain lookups in flight at once; more wait their turn (each endpoint is rate-limited anyway).
const LOOKUPS_AT_ONCE: usize = 16;

/// Runs until `stop`, answering from `kb` (replaceable while running, e.g. after an import),
/// and looking pasted transaction hashes up on `chains`.
pub async fn run(core: Core, kb: SharedKnowledge, settings: Settings, chains: Arc<Chains>, stop: CancellationToken) {
    let lookups = Arc::new(tokio::sync::Semaphore::new(LOOKUPS_AT_ONCE));
    let mut events = core.events().subscribe();
    let mut incidents = open_incidents(&core, Vec::new()).await;
    loop {
        let event = tokio::select! {
            event = events.recv() => event,
            () = stop.cancelled() => return,
        };
        match event {
            // Another instance's bot answers the messages that instance stored.
            Ok(Published {
                event:
                    Event::MessageCreated { message_id, conversation_id: Some(conversation), identity_id: Some(_), .. },
                here: true,
            }) => {
                let lookups = (&chains, &lookups);
                let knows = Knows { kb: &kb, incidents: &incidents };
                if let Err(error) = handle(&core, knows, &settings, lookups, message_id, conversation).await {
                    tracing::warn!(%error, message_id, "the bot could not act on a message");
                }
            }
            Ok(Published { event: Event::KnowledgeChanged, .. }) => match crate::from_store(core.store()).await {
                Ok(fresh) => {
                    tracing::info!(articles = fresh.articles.len(), "knowledge base reloaded");
                    *kb.write().await = Arc::new(fresh);
                }
                Err(error) => tracing::warn!(%error, "knowledge base not reloaded; answering from the previous one"),
            },
            Ok(Published { event: Event::IncidentChanged { .. } | Event::Resync, .. }) => {
                incidents = open_incidents(&core, incidents).await;
            }
            Ok(_) => {}
            Err(tokio::sync::broadcast::error::RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "the bot fell behind; those messages wait for people");
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        }
    }
}

/// The incidents the bot answers with (investigating, monitoring), read again; `before` kept
/// when the store cannot be read.
async fn open_incidents(core: &Core, before: Vec<Incident>) -> Vec<Incident> {
    match core.store().incidents(true).await {
        Ok(open) => open,
        Err(error) => {
            tracing::warn!(%error, "open incidents not reloaded; answering with the previous ones");
            before
        }
    }
}

/// What the bot answers from.
#[derive(Clone, Copy)]
struct Knows<'a> {
    kb: &'a RwLock<Arc<Knowledge>>,
    incidents: &'a [Incident],
}

async fn handle(
    core: &Core,
    Knows { kb, incidents }: Knows<'_>,
    settings: &Settings,
    (chains, lookups): (&Arc<Chains>, &Arc<tokio::sync::Semaphore>),
    message_id: i64,
    conversation_id: i64,
) -> switchboard_core::error::Result<()> {
    let hours = settings.hours.as_ref();
    // Without a knowledge base or a chain there is no bot: every message waits for people,
    // unanswered by a bot that could only ever say "I'll pass you on".
    let no_knowledge = kb.read().await.articles.is_empty();
    if no_knowledge && chains.is_empty() && incidents.is_empty() {
        return Ok(());
    }
    let store = core.store();
    let Some(message) = store.message(message_id).await? else { return Ok(()) };
    // Machines (auto-replies, bounces, lists) are never answered: two robots would talk forever.
    if message.direction != Direction::Inbound || message.author != Author::Contact || message.automated {
        return Ok(());
    }
    // Commands are the core's to answer.
    if message.body.trim_start().starts_with('/') {
        return Ok(());
    }
    let Some(conversation) = store.conversation(conversation_id).await? else { return Ok(()) };
    // Handed to people; or resolved, so the message was the customer's rating or its comment.
    if conversation.handoff_at.is_some() || conversation.status == switchboard_core::model::Status::Resolved {
        return Ok(());
    }
    let locale = conversation.locale.clone().unwrap_or_default();
    let text = |key: &str, args: &[(&str, &str)]| core.localizer().text(&locale, key, args);
    let body = message.body.trim();
    if message.redactions > 0 {
        // The core has already warned the customer; a person takes over.
        return hand_off(core, hours, &conversation, Reason::Secret, None).await;
    }
    let hashes = crate::tx::hashes(&message.entities);
    if !chains.is_empty() && !hashes.is_empty() {
        // Off the event loop: a slow chain must not hold up other conversations.
        let (core, chains, lookups) = (core.clone(), Arc::clone(chains), Arc::clone(lookups));
        let (hours, text) = (settings.hours.clone(), body.to_owned());
        tokio::spawn(async move {
            let Ok(_turn) = lookups.acquire_owned().await else { return };
            if let Err(error) = crate::tx::answer(core, chains, hours, conversation_id, text, hashes).await {
                tracing::warn!(%error, conversation_id, "the bot could not answer a transaction lookup");
            }
        });
        return Ok(());
    }
    if let Some(incident) = incidents.iter().find(|i| i.matches(body))
        && tell_incident(core, incident.id, &conversation).await?
    {
        return Ok(());
    }
    // Chains or incidents but no knowledge base: only hashes and incidents are answered.
    if no_knowledge {
        return Ok(());
    }
    // The answer's buttons come back as their labels; a customer may also type the same words.
    if same_words(body, &text("bot-solved-no", &[])) {
        return hand_off(core, hours, &conversation, Reason::Asked, None).await;
    }
    if same_words(body, &text("bot-solved-yes", &[])) {
        reply(core, conversation_id, text("bot-glad", &[]), Vec::new()).await?;
        // Solved by the bot: resolved as the bot's, out of the agents' queue.
        let resolve = ConversationUpdate {
            id: conversation_id,
            status: Some(switchboard_core::model::Status::Resolved),
            by_bot: true,
            ..Default::default()
        };
        return core.update_conversation(resolve).await;
    }
    let kb = Arc::clone(&*kb.read().await);
    // A pressed offer comes back as the article's title.
    if let Some(article) = kb.articles.iter().position(|a| a.title == body && !a.handoff) {
        return answer(core, &kb, &conversation, article, false).await;
    }
    // Reading a long message with the sentence encoder takes tens of milliseconds: off the
    // async workers.
    let decision = {
        let (kb, body, lang, thresholds) = (Arc::clone(&kb), body.to_owned(), locale.clone(), settings.thresholds);
        crate::off_workers(move || decide_with(&kb, &body, &lang, thresholds)).await?
    };
    tracing::info!(conversation_id, score = decision.score, action = ?decision.action, "bot decision");
    // A broken-into account: what the knowledge base says to do at once, and people ahead of
    // the queue.
    if crate::decide::compromised(body) && !matches!(decision.action, Action::Warn { .. }) {
        metrics::counter!("switchboard_bot_decisions_total", "action" => "handoff").increment(1);
        let mut guidance = None;
        match decision.action {
            Action::Answer(article) => {
                answer(core, &kb, &conversation, article, decision.cross_lingual).await?;
                remember(core, message_id, &[kb.articles[article].id.as_str()], "answered").await;
            }
            Action::Route(article) => guidance = Some(&kb.articles[article]),
            _ => {}
        }
        let guidance = guidance.map(|a| (a.title.as_str(), a.body.as_str()));
        return hand_off(core, hours, &conversation, Reason::Compromised, guidance).await;
    }
    let action = match decision.action {
        Action::Answer(_) => "answer",
        Action::Offer(_) => "offer",
        Action::Handoff(_) => "handoff",
        Action::Route(_) => "route",
        Action::Warn { .. } => "warn",
    };
    metrics::counter!("switchboard_bot_decisions_total", "action" => action).increment(1);
    match decision.action {
        Action::Answer(article) => {
            answer(core, &kb, &conversation, article, decision.cross_lingual).await?;
            remember(core, message_id, &[kb.articles[article].id.as_str()], "answered").await;
            Ok(())
        }
        Action::Offer(articles) => {
            let buttons = articles
                .iter()
                .map(|&a| Button { id: format!("kb:{}", kb.articles[a].id), label: kb.articles[a].title.clone() })
                .collect();
            reply(core, conversation_id, text("bot-offer", &[]), buttons).await?;
            let offered: Vec<&str> = articles.iter().map(|&a| kb.articles[a].id.as_str()).collect();
            remember(core, message_id, &offered, "offered").await;
            Ok(())
        }
        Action::Handoff(reason) => hand_off(core, hours, &conversation, reason, None).await,
        Action::Route(article) => {
            let article = &kb.articles[article];
            hand_off(core, hours, &conversation, Reason::Topic, Some((&article.title, &article.body))).await
        }
        Action::Warn { article, report } => warn(core, hours, &kb, &conversation, article, report).await,
    }
}

/// A question about an open incident: the conversation is linked to it and the customer told
/// its message in their language. `false` when it was linked already (the customer knows; the
/// question goes on as any other) or the incident is no longer open.
async fn tell_incident(core: &Core, id: i64, conversation: &Conversation) -> switchboard_core::error::Result<bool> {
    use switchboard_core::incidents::{Notice, notice};
    let Some(incident) = core.store().incident(id).await?.filter(|i| i.status.is_public()) else { return Ok(false) };
    let now = switchboard_core::clock::now_ms();
    if !core.store().link_incident(id, conversation.id, LinkedBy::Bot, now).await? {
        return Ok(false);
    }
    metrics::counter!("switchboard_bot_decisions_total", "action" => "incident").increment(1);
    let locale = conversation.locale.clone().unwrap_or_default();
    let reference = switchboard_core::model::Reference(conversation.id).to_string();
    let told = notice(core.localizer(), &incident, &locale, &reference, Notice::Answer);
    reply(core, conversation.id, told, Vec::new()).await?;
    Ok(true)
}

/// Whether `typed` says `label`, whatever the case, spacing and punctuation.
fn same_words(typed: &str, label: &str) -> bool {
    let letters =
        |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect() };
    let typed = letters(typed);
    !typed.is_empty() && typed == letters(label)
}

async fn answer(
    core: &Core,
    kb: &Knowledge,
    conversation: &Conversation,
    article: usize,
    cross_lingual: bool,
) -> switchboard_core::error::Result<()> {
    let locale = conversation.locale.clone().unwrap_or_default();
    let text = |key: &str| core.localizer().text(&locale, key, &[]);
    let article = &kb.articles[article];
    let mut body = String::new();
    if cross_lingual {
        body.push_str(&text("bot-cross-lingual"));
        body.push_str("\n\n");
    }
    body.push_str(&format!("{}\n\n{}\n\n{}", article.title, article.body, text("bot-did-it-help")));
    let buttons = vec![
        Button { id: SOLVED.into(), label: text("bot-solved-yes") },
        Button { id: UNSOLVED.into(), label: text("bot-solved-no") },
    ];
    reply(core, conversation.id, body, buttons).await
}

/// Keeps which articles answered or were offered for a question, for the knowledge-base
/// editor; the answer is already on its way, so a failure here is only logged.
async fn remember(core: &Core, question: MessageId, articles: &[&str], kind: &str) {
    let now = switchboard_core::clock::now_ms();
    if let Err(error) = core.store().record_kb_hits(question, articles, kind, now).await {
        tracing::warn!(%error, question, "the questions an article reached were not kept this time");
    }
}

/// A scam in progress, or a question about sharing a secret: the warning at once (the knowledge
/// base's, else the built-in one); a scam in progress then goes to people, at high priority.
async fn warn(
    core: &Core,
    hours: Option<&BusinessHours>,
    kb: &Knowledge,
    conversation: &Conversation,
    article: Option<usize>,
    report: bool,
) -> switchboard_core::error::Result<()> {
    let locale = conversation.locale.clone().unwrap_or_default();
    let body = match article {
        Some(i) => format!("{}\n\n{}", kb.articles[i].title, kb.articles[i].body),
        None => core.localizer().text(&locale, "bot-scam-warning", &[]),
    };
    reply(core, conversation.id, body, Vec::new()).await?;
    if !report {
        return Ok(());
    }
    let urgent = ConversationUpdate {
        id: conversation.id,
        priority: Some(switchboard_core::model::Priority::High),
        ..Default::default()
    };
    core.update_conversation(urgent).await?;
    hand_off(core, hours, conversation, Reason::Scam, None).await
}

/// The conversation goes to people: agents see why (and, for a topic kept for people, its
/// article's guidance; for a transaction, the lookup), the customer hears what happens next.
pub(crate) async fn hand_off(
    core: &Core,
    hours: Option<&BusinessHours>,
    conversation: &Conversation,
    reason: Reason,
    topic: Option<(&str, &str)>,
) -> switchboard_core::error::Result<()> {
    let locale = conversation.locale.clone().unwrap_or_default();
    let now = jiff::Timestamp::now();
    let off_hours = hours.is_some_and(|h| !h.is_open(now));
    // Upset, or speaking of legal steps: a complaint, owned and told at each stage.
    let due_in = core.complaint_due();
    let complaint = (reason == Reason::Upset)
        .then_some(ComplaintStep::Open { source: ComplaintSource::Detected, due_in: due_in.as_millis() as i64 });
    let handoff = ConversationUpdate {
        id: conversation.id,
        handoff: Some(true),
        handoff_reason: Some(reason.handoff_reason()),
        handoff_off_hours: off_hours,
        complaint,
        ..Default::default()
    };
    let complained = handoff.complaint.is_some();
    core.update_conversation(handoff).await?;
    let key = format!("bot-handoff-note-{}", reason.as_str().replace('_', "-"));
    let note = match topic {
        Some((title, guidance)) => format!("{}\n\n{guidance}", core.localizer().text("", &key, &[("title", title)])),
        None => core.localizer().text("", &key, &[]),
    };
    core.post(Post::new(conversation.id, Author::Bot, None, note, PostKind::Note)).await?;
    let reference = switchboard_core::model::Reference(conversation.id).to_string();
    if complained {
        let due = switchboard_core::l10n::duration_words(core.localizer(), &locale, due_in);
        let told =
            switchboard_core::complaints::told(core.localizer(), &locale, ComplaintStage::Received, &reference, &due);
        return reply(core, conversation.id, told, Vec::new()).await;
    }
    let told = match hours.filter(|h| !h.is_open(now)).and_then(|h| Some((h, h.next_opening(now)?))) {
        Some((hours, opening)) => core.localizer().message(
            &locale,
            "bot-handoff-off-hours",
            &[
                ("reference", Arg::Text(&reference)),
                ("when", Arg::Moment(opening.datetime())),
                ("zone", Arg::Text(hours.zone_name())),
            ],
        ),
        None => core.localizer().text(
            &locale,
            "bot-handoff",
            &[("reference", &reference), ("within", &core.response_time(&locale))],
        ),
    };
    reply(core, conversation.id, told, Vec::new()).await
}

pub(crate) async fn reply(
    core: &Core,
    conversation: i64,
    body: String,
    buttons: Vec<Button>,
) -> switchboard_core::error::Result<()> {
    let mut post = Post::new(conversation, Author::Bot, None, body, PostKind::Reply { channel: None });
    post.buttons = buttons;
    core.post(post).await.map(|_| ())
}
