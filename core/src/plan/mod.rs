//! Planning one batch: every decision of the write path (dedupe, identity, conversation,
//! replies, agents' changes) made in memory, without the database, against what the writer read
//! (`known`) plus what earlier writes of the same batch did, producing the `Rows` the writer
//! writes and the `Effects` released after its commit.
//!
//! Two messages from one new customer in one batch behave exactly as if they had come in
//! separate batches: the second sees the identity and conversation the first created.

mod answers;
mod deliveries;
pub(crate) mod ids;
mod keyed;
pub(crate) mod known;
mod ledger;
mod linking;
mod posts;
pub(crate) mod rows;
pub(crate) mod surveys;
mod threading;

pub(crate) use linking::{LINK_TOKEN, link_hash};
pub(crate) use posts::reply_channel;

use crate::channel::{Destination, OutboundMessage};
use crate::commands::Command;
use crate::events::Event;
use crate::ingest::{Ingested, Opened, Threading};
use crate::l10n::{Localizer, choose_locale};
use crate::model::*;
use crate::outbox::OutboxEntry;
use crate::prepare::Prepared;
use ids::{Ids, Table};
use known::{Found, KnownIdentity, Latest};
use rows::{ConversationPatch, Rows};
use std::collections::HashMap;

use answers::Situation;
use ledger::{Detail, Happened};
pub(crate) use threading::AutoReplies;

/// What a committed batch releases: events to publish and outbox entries to dispatch.
#[derive(Default)]
pub(crate) struct Effects {
    pub events: Vec<Event>,
    pub outbox: Vec<OutboxEntry>,
}

/// The rules a deployment sets for conversations.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    /// A customer writing within this long after a resolution reopens the conversation.
    pub reopen_window_ms: i64,
    /// The satisfaction survey this long after an agent's resolution; `None`: no surveys.
    pub csat_delay_ms: Option<i64>,
    /// A complaint is due this long after it is opened.
    pub complaint_due_ms: i64,
}

pub(crate) struct Context<'a> {
    pub localizer: &'a Localizer,
    pub rules: Rules,
    pub now: Millis,
    /// Agents' public handles, as of this batch.
    pub staff: std::sync::Arc<Vec<crate::safety::staff::StaffHandle>>,
    pub auto_replies: &'a AutoReplies,
    /// The channels whose outbox this instance holds, with the epoch its new entries are
    /// claimed under (the others' owners claim them from the table).
    pub claims: HashMap<ChannelKind, i64>,
}

pub(crate) struct Planner<'a> {
    pub(super) cx: &'a Context<'a>,
    pub(super) ids: &'a mut Ids,
    pub rows: Rows,
    pub effects: Effects,
    /// Platform ids of messages this batch stores, for dedupe within the batch.
    pub(super) links: HashMap<(ChannelKind, String), (MessageId, Option<ConversationId>)>,
    pub(super) identities: HashMap<(ChannelKind, String), KnownIdentity>,
    pub(super) latest: HashMap<ContactId, Option<Latest>>,
}

/// What a customer's message asks of its conversation.
struct Asks {
    /// It needs one (a question; not a command such as `/status`).
    conversation: bool,
    /// It names its conversation (mail's references or tag), which then reopens however long
    /// ago it was resolved.
    explicit: bool,
    channel: ChannelKind,
    /// A new conversation's language: the message's own, else the one replies are in.
    locale: String,
}

/// Where and to whom a reply goes.
pub(super) struct ReplyTarget {
    pub conversation_id: Option<ConversationId>,
    pub contact_id: ContactId,
    pub identity_id: IdentityId,
    pub channel: ChannelKind,
    pub destination: Destination,
    pub reply_to: Option<String>,
}

impl ReplyTarget {
    /// The chat `inbound` came from, answering it, in `conversation_id`.
    fn answering(
        inbound: &crate::ingest::Inbound,
        identity: &KnownIdentity,
        conversation_id: Option<ConversationId>,
    ) -> Self {
        ReplyTarget {
            conversation_id,
            contact_id: identity.contact_id,
            identity_id: identity.id,
            channel: inbound.channel,
            destination: Destination { chat: inbound.chat.clone(), thread: inbound.thread.clone() },
            reply_to: Some(inbound.external_id.clone()),
        }
    }
}

impl<'a> Planner<'a> {
    /// `found[i]` is what the store knew about the i-th inbound message of the batch.
    pub fn new(cx: &'a Context<'a>, ids: &'a mut Ids, inbound: &[&Prepared], found: &[Found]) -> Self {
        let mut planner = Planner {
            cx,
            ids,
            rows: Rows::default(),
            effects: Effects::default(),
            links: HashMap::new(),
            identities: HashMap::new(),
            latest: HashMap::new(),
        };
        for (p, f) in inbound.iter().zip(found) {
            if let Some(identity) = &f.identity {
                let key = (p.inbound.channel, p.inbound.sender.external_id.clone());
                planner.latest.entry(identity.contact_id).or_insert(f.latest);
                planner.identities.entry(key).or_insert_with(|| identity.clone());
            }
        }
        planner
    }

    /// `linked` is the outcome of a `/link CODE` (see `link`), `None` for any other message.
    pub fn ingest(&mut self, p: &Prepared, found: &Found, linked: Option<bool>) -> Ingested {
        let cx = self.cx;
        let inbound = &p.inbound;
        let link_key = (inbound.channel, inbound.external_id.clone());
        if let Some(&(message_id, conversation_id)) = found.duplicate.as_ref().or(self.links.get(&link_key)) {
            return Ingested {
                message_id,
                conversation_id,
                duplicate: true,
                opened: Opened::Existing,
                findings: p.findings.clone(),
                entities: p.entities.clone(),
            };
        }

        let identity = self.identity(inbound.channel, &inbound.sender);
        self.rows.heard_from.push(rows::ReachedRow { id: identity.id });
        let latest = self.latest.get(&identity.contact_id).copied().flatten();
        // Mail continues only the conversation it names, and only the sender's own: a stranger
        // quoting someone's reference must not read or join their ticket.
        let (candidate, foreign) = match &inbound.threading {
            Threading::Latest => (latest, None),
            Threading::Explicit { .. } => match found.named {
                Some(named) if named.contact_id == identity.contact_id => {
                    (Some(self.latest_state(named.conversation)), None)
                }
                Some(named) => (None, Some(named.conversation.id)),
                None => (None, None),
            },
        };
        let detected = p.detected_language.as_deref();
        let reply_locale =
            choose_locale(cx.localizer, identity.contact_locale.as_deref(), identity.lang_hint.as_deref(), detected);
        if let Some(feedback) = self.survey_first(p, &identity, [latest, candidate], &reply_locale) {
            return feedback;
        }
        let asks = Asks {
            conversation: p.command.as_ref().is_none_or(Command::opens_conversation) || self.reports_impostor(p),
            explicit: candidate.is_some() && inbound.threading != Threading::Latest,
            channel: inbound.channel,
            locale: detected.map(str::to_owned).unwrap_or_else(|| reply_locale.clone()),
        };
        let (conversation_id, opened) = self.conversation_for(&identity, candidate, &asks);
        let message_id = self.store_inbound(p, &identity, conversation_id);
        self.links.insert(link_key, (message_id, conversation_id));
        if let (Some(foreign), Some(id)) = (foreign, conversation_id) {
            self.note_foreign_reference(id, identity.contact_id, foreign);
        }

        let target = ReplyTarget::answering(inbound, &identity, conversation_id);
        let situation =
            Situation { identity: &identity, latest, conversation_id, opened, reply_locale: &reply_locale, linked };
        let answers = self.answers(p, &situation);
        if !answers.is_empty() && self.may_answer_automatically(p, identity.id) {
            for body in answers {
                self.queue_reply(&target, Author::System, None, body, Enclosures::default());
            }
        }
        let too_large = &inbound.too_large;
        if !too_large.files.is_empty() && conversation_id.is_some() && !inbound.automated {
            let limit = format!("{} MB", too_large.limit / (1024 * 1024));
            let files = too_large.files.join(", ");
            let args = [("files", files.as_str()), ("limit", limit.as_str())];
            let body = cx.localizer.text(&reply_locale, "attachment-too-large", &args);
            self.queue_reply(&target, Author::System, None, body, Enclosures::default());
        }
        Ingested {
            message_id,
            conversation_id,
            duplicate: false,
            opened,
            findings: p.findings.clone(),
            entities: p.entities.clone(),
        }
    }

    /// The conversation a customer's message joins: `candidate` (their latest, or the one their
    /// mail names) continued or reopened, or a new one; none for a command that needs none.
    fn conversation_for(
        &mut self,
        identity: &KnownIdentity,
        candidate: Option<Latest>,
        asks: &Asks,
    ) -> (Option<ConversationId>, Opened) {
        let cx = self.cx;
        let channel = asks.channel.as_str();
        match (candidate, asks.conversation) {
            (Some(c), _) if c.status != Status::Resolved => {
                self.patch_conversation(c.id, |patch| {
                    patch.last_message_at = Some(cx.now);
                    patch.channel = Some(channel);
                    patch.customer_wrote = 1;
                    // A question waits for an answer; a command such as /status does not.
                    patch.waiting_from = asks.conversation.then_some(cx.now);
                });
                if c.status == Status::Pending {
                    // The customer answered: what the patch writes, later messages must see.
                    self.latest.insert(identity.contact_id, Some(Latest { status: Status::Open, ..c }));
                }
                if asks.conversation {
                    self.record(
                        c.id,
                        Happened::CustomerMessage,
                        Detail { channel: Some(asks.channel), ..Default::default() },
                    );
                }
                (Some(c.id), Opened::Existing)
            }
            (Some(c), true)
                if asks.explicit || c.resolved_at.is_some_and(|at| cx.now - at <= cx.rules.reopen_window_ms) =>
            {
                self.patch_conversation(c.id, |patch| {
                    patch.last_message_at = Some(cx.now);
                    patch.channel = Some(channel);
                    patch.reopen = 1;
                    patch.waiting_from = Some(cx.now);
                });
                self.latest.insert(identity.contact_id, Some(Latest { status: Status::Open, resolved_at: None, ..c }));
                self.effects.events.push(Event::ConversationChanged { conversation_id: c.id });
                for what in [Happened::Reopened, Happened::CustomerMessage] {
                    self.record(c.id, what, Detail { channel: Some(asks.channel), ..Default::default() });
                }
                (Some(c.id), Opened::Reopened)
            }
            (_, true) => (Some(self.open_conversation(identity.contact_id, asks)), Opened::New),
            (_, false) => (None, Opened::Existing),
        }
    }

    /// A new conversation for `contact`, waiting for an answer from now.
    fn open_conversation(&mut self, contact_id: ContactId, asks: &Asks) -> ConversationId {
        let cx = self.cx;
        let id = self.ids.take(Table::Conversations);
        self.rows.conversations.push(rows::ConversationRow {
            id,
            reference: Reference(id).to_string(),
            contact_id,
            status: Status::Open.as_str(),
            channel: asks.channel.as_str(),
            priority: Priority::Normal.as_str(),
            locale: asks.locale.clone(),
            tags: "[]",
            created_at: cx.now,
            updated_at: cx.now,
            last_message_at: cx.now,
            waiting_since: Some(cx.now),
            cycle_started_at: cx.now,
        });
        self.latest.insert(
            contact_id,
            Some(Latest { id, status: Status::Open, resolved_at: None, survey: None, complaint: None }),
        );
        self.effects.events.push(Event::ConversationChanged { conversation_id: id });
        for what in [Happened::Opened, Happened::CustomerMessage] {
            self.record(id, what, Detail { channel: Some(asks.channel), ..Default::default() });
        }
        id
    }

    /// The customer's message itself: its row, platform id, files and entities.
    fn store_inbound(
        &mut self,
        p: &Prepared,
        identity: &KnownIdentity,
        conversation_id: Option<ConversationId>,
    ) -> MessageId {
        let (cx, inbound) = (self.cx, &p.inbound);
        let channel = inbound.channel.as_str();
        let message_id = self.ids.take(Table::Messages);
        self.rows.messages.push(rows::MessageRow {
            id: message_id,
            conversation_id,
            contact_id: identity.contact_id,
            identity_id: Some(identity.id),
            direction: Direction::Inbound.as_str(),
            author: Author::Contact.as_str(),
            agent_id: None,
            channel: Some(channel),
            body: inbound.body.clone(),
            created_at: cx.now,
            redactions: p.findings.len() as i64,
            automated: i64::from(inbound.automated),
        });
        self.rows.links.push(rows::LinkRow {
            message_id,
            channel,
            external_id: inbound.external_id.clone(),
            external_chat: inbound.chat.clone(),
            thread: inbound.thread.clone(),
        });
        self.attach(message_id, &p.attachments);
        for entity in &p.entities {
            self.rows.entities.push(rows::EntityRow {
                message_id,
                conversation_id,
                kind: entity.kind.as_str(),
                chain: entity.chain,
                value: entity.value.clone(),
                created_at: cx.now,
            });
        }
        self.effects.events.push(Event::MessageCreated {
            message_id,
            conversation_id,
            contact_id: identity.contact_id,
            identity_id: Some(identity.id),
        });
        message_id
    }

    /// The sender's identity, created with a new contact on their first message; display name
    /// and language hint kept current.
    pub(super) fn identity(&mut self, channel: ChannelKind, sender: &crate::ingest::Sender) -> KnownIdentity {
        let key = (channel, sender.external_id.clone());
        if let Some(known) = self.identities.get_mut(&key) {
            let hint_changed = sender.lang_hint.is_some() && sender.lang_hint != known.lang_hint;
            let name_changed = !sender.display_name.is_empty() && sender.display_name != known.display_name;
            if hint_changed || name_changed {
                if hint_changed {
                    known.lang_hint = sender.lang_hint.clone();
                }
                if name_changed {
                    known.display_name = sender.display_name.clone();
                }
                let patch = rows::IdentityPatch {
                    id: known.id,
                    display_name: known.display_name.clone(),
                    lang_hint: known.lang_hint.clone(),
                    external_id: sender.external_id.clone(),
                };
                self.rows.identity_patches.put(known.id, patch);
            }
            return known.clone();
        }
        let contact_id = self.ids.take(Table::Contacts);
        let id = self.ids.take(Table::Identities);
        self.rows.contacts.push(rows::ContactRow {
            id: contact_id,
            name: sender.display_name.clone(),
            created_at: self.cx.now,
        });
        self.rows.identities.push(rows::IdentityRow {
            id,
            contact_id,
            channel: channel.as_str(),
            external_id: sender.external_id.clone(),
            display_name: sender.display_name.clone(),
            lang_hint: sender.lang_hint.clone(),
            created_at: self.cx.now,
        });
        let known = KnownIdentity {
            id,
            contact_id,
            lang_hint: sender.lang_hint.clone(),
            display_name: sender.display_name.clone(),
            contact_locale: None,
        };
        self.latest.insert(contact_id, None);
        self.identities.insert(key, known.clone());
        known
    }

    fn set_contact_locale(&mut self, identity: &KnownIdentity, locale: &str) {
        for known in self.identities.values_mut().filter(|k| k.contact_id == identity.contact_id) {
            known.contact_locale = Some(locale.to_owned());
        }
        let patch = rows::ContactPatch { id: identity.contact_id, locale: locale.to_owned() };
        self.rows.contact_patches.put(identity.contact_id, patch);
    }

    /// Merges a change into the batch's one patch for this conversation.
    pub(super) fn patch_conversation(&mut self, id: ConversationId, change: impl FnOnce(&mut ConversationPatch)) {
        let now = self.cx.now;
        if let Some(new) = self.rows.conversations.iter_mut().find(|c| c.id == id) {
            // Created in this batch: the patch would be written after the insert anyway, but
            // keep the insert self-contained where it can be.
            let mut patch = ConversationPatch { id, updated_at: now, ..Default::default() };
            change(&mut patch);
            if let Some(locale) = patch.locale.take() {
                new.locale = locale;
            }
            let rest_is_empty =
                patch.handoff_at.is_none() && patch.first_response_at.is_none() && patch.bot_answered == 0;
            if rest_is_empty {
                return;
            }
            return self.merge_patch(patch);
        }
        let mut patch = ConversationPatch { id, updated_at: now, ..Default::default() };
        change(&mut patch);
        self.merge_patch(patch);
    }

    fn merge_patch(&mut self, patch: ConversationPatch) {
        match self.rows.conversation_patches.get_mut(patch.id) {
            Some(existing) => {
                existing.updated_at = patch.updated_at;
                existing.last_message_at = patch.last_message_at.or(existing.last_message_at);
                existing.channel = patch.channel.or(existing.channel);
                existing.reopen |= patch.reopen;
                existing.customer_wrote |= patch.customer_wrote;
                existing.locale = patch.locale.or(existing.locale.take());
                existing.handoff_at = patch.handoff_at.or(existing.handoff_at);
                existing.handoff_reason = patch.handoff_reason.or(existing.handoff_reason);
                existing.first_response_at = existing.first_response_at.or(patch.first_response_at);
                // In order: the latest of "customer wrote", "agent answered" and "bot answered"
                // decides.
                if patch.answered == 1 {
                    (existing.answered, existing.bot_answered) = (1, 0);
                    existing.waiting_from = None;
                } else if patch.bot_answered == 1 {
                    (existing.answered, existing.bot_answered) = (0, 1);
                    existing.waiting_from = None;
                } else if patch.waiting_from.is_some() {
                    (existing.answered, existing.bot_answered) = (0, 0);
                    existing.waiting_from = existing.waiting_from.or(patch.waiting_from);
                }
            }
            None => self.rows.conversation_patches.put(patch.id, patch),
        }
    }

    /// Rows for files already on disk, belonging to `message_id`.
    pub(super) fn attach(&mut self, message_id: MessageId, files: &[crate::attachments::Stored]) {
        let now = self.cx.now;
        self.rows.attachments.extend(files.iter().map(|a| rows::AttachmentRow {
            message_id,
            filename: a.filename.clone(),
            content_type: a.content_type.clone(),
            size: a.size,
            storage_key: a.storage_key.clone(),
            created_at: now,
        }));
    }

    /// An outbound message and its outbox row; the dispatcher gets it after the commit.
    pub(super) fn queue_reply(
        &mut self,
        target: &ReplyTarget,
        author: Author,
        agent_id: Option<AgentId>,
        body: String,
        enclosures: Enclosures,
    ) -> MessageId {
        let Enclosures { attachments, buttons, bulk } = enclosures;
        let now = self.cx.now;
        let message_id = self.ids.take(Table::Messages);
        let outbox_id = self.ids.take(Table::Outbox);
        let claim = self.cx.claims.get(&target.channel).copied();
        let idempotency_key = format!("sb-{message_id}");
        self.rows.messages.push(rows::MessageRow {
            id: message_id,
            conversation_id: target.conversation_id,
            contact_id: target.contact_id,
            identity_id: Some(target.identity_id),
            direction: Direction::Outbound.as_str(),
            author: author.as_str(),
            agent_id,
            channel: Some(target.channel.as_str()),
            body: body.clone(),
            created_at: now,
            redactions: 0,
            automated: 0,
        });
        self.rows.outbox.push(rows::OutboxRow {
            id: outbox_id,
            message_id,
            channel: target.channel.as_str(),
            dest_chat: target.destination.chat.clone(),
            dest_thread: target.destination.thread.clone(),
            reply_to: target.reply_to.clone(),
            idempotency_key: idempotency_key.clone(),
            state: "pending",
            next_attempt_at: now,
            created_at: now,
            buttons: (!buttons.is_empty()).then(|| serde_json::to_string(&buttons).expect("buttons serialize")),
            claim,
        });
        self.effects.events.push(Event::MessageCreated {
            message_id,
            conversation_id: target.conversation_id,
            contact_id: target.contact_id,
            identity_id: Some(target.identity_id),
        });
        self.effects.outbox.push(OutboxEntry {
            id: outbox_id,
            channel: target.channel,
            conversation_id: target.conversation_id,
            contact_id: target.contact_id,
            identity_id: Some(target.identity_id),
            claim,
            attempts: 0,
            next_attempt_at: now,
            message: OutboundMessage {
                message_id,
                idempotency_key,
                destination: target.destination.clone(),
                body,
                reply_to: target.reply_to.clone(),
                buttons,
                attachments,
                reference: target.conversation_id.map(|id| Reference(id).to_string()),
                // The gateway's own words and the bot's: other robots must not answer them.
                automatic: author != Author::Agent,
                bulk,
            },
        });
        message_id
    }
}

/// What a reply carries besides its text.
#[derive(Debug, Default)]
pub(super) struct Enclosures {
    pub attachments: Vec<crate::channel::OutboundAttachment>,
    pub buttons: Vec<crate::model::Button>,
    /// An announcement's.
    pub bulk: bool,
}

pub(super) fn delivery_event(entry: &OutboxEntry, delivery: Delivery) -> Event {
    Event::DeliveryChanged {
        message_id: entry.message.message_id,
        conversation_id: entry.conversation_id,
        identity_id: entry.identity_id,
        delivery,
    }
}
