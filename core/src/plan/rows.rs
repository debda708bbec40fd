//! The rows a planned batch writes, as plain data: the planner fills them, the writer's
//! `flush` writes each kind with one statement.

use super::keyed::{Keyed, Pending};
use crate::model::*;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct ContactRow {
    pub id: ContactId,
    pub name: String,
    pub created_at: Millis,
}

#[derive(Serialize)]
pub(crate) struct IdentityRow {
    pub id: IdentityId,
    pub contact_id: ContactId,
    pub channel: &'static str,
    pub external_id: String,
    pub display_name: String,
    pub lang_hint: Option<String>,
    pub created_at: Millis,
}

#[derive(Serialize)]
pub(crate) struct ConversationRow {
    pub id: ConversationId,
    pub reference: String,
    pub contact_id: ContactId,
    pub status: &'static str,
    pub channel: &'static str,
    pub priority: &'static str,
    pub locale: String,
    pub tags: &'static str,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub last_message_at: Millis,
    pub waiting_since: Option<Millis>,
    pub cycle_started_at: Millis,
}

#[derive(Serialize)]
pub(crate) struct MessageRow {
    pub id: MessageId,
    pub conversation_id: Option<ConversationId>,
    pub contact_id: ContactId,
    pub identity_id: Option<IdentityId>,
    pub direction: &'static str,
    pub author: &'static str,
    pub agent_id: Option<AgentId>,
    pub channel: Option<&'static str>,
    pub body: String,
    pub created_at: Millis,
    pub redactions: i64,
    /// Sent by a machine (see `Inbound::automated`).
    pub automated: i64,
}

#[derive(Serialize)]
pub(crate) struct LinkRow {
    pub message_id: MessageId,
    pub channel: &'static str,
    pub external_id: String,
    pub external_chat: String,
    pub thread: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct EntityRow {
    pub message_id: MessageId,
    pub conversation_id: Option<ConversationId>,
    pub kind: &'static str,
    pub chain: &'static str,
    pub value: String,
    pub created_at: Millis,
}

#[derive(Serialize)]
pub(crate) struct AttachmentRow {
    pub message_id: MessageId,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub storage_key: String,
    pub created_at: Millis,
}

/// An outbox entry delivered.
#[derive(Serialize)]
pub(crate) struct SentRow {
    pub id: i64,
    pub sent_at: Millis,
    /// The epoch it was sent under: recorded only if its claim is still that one.
    pub claim: Option<i64>,
}

/// An identity that wrote: reachable again if it had been marked otherwise.
#[derive(Serialize, PartialEq)]
pub(crate) struct ReachedRow {
    pub id: IdentityId,
}

#[derive(Serialize)]
pub(crate) struct OutboxRow {
    pub id: i64,
    pub message_id: MessageId,
    pub channel: &'static str,
    pub dest_chat: String,
    pub dest_thread: Option<String>,
    pub reply_to: Option<String>,
    pub idempotency_key: String,
    pub state: &'static str,
    pub next_attempt_at: Millis,
    pub created_at: Millis,
    /// JSON array of `Button`s, when the message offers choices.
    pub buttons: Option<String>,
    /// This instance's outbox epoch for the channel, when it sends there itself.
    pub claim: Option<i64>,
}

/// Changes to existing conversations; `None` leaves a column as it is.
#[derive(Serialize, Default)]
pub(crate) struct ConversationPatch {
    pub id: ConversationId,
    pub updated_at: Millis,
    pub last_message_at: Option<Millis>,
    pub channel: Option<&'static str>,
    /// 1: resolved → open (clears `resolved_at`).
    pub reopen: i64,
    /// 1: pending → open (the customer answered).
    pub customer_wrote: i64,
    pub locale: Option<String>,
    pub handoff_at: Option<Millis>,
    /// With `handoff_at`: why (none: the customer asked).
    pub handoff_reason: Option<&'static str>,
    /// Kept only if the conversation has none yet.
    pub first_response_at: Option<Millis>,
    /// The customer wrote and now waits for an answer (since then, unless already waiting).
    pub waiting_from: Option<Millis>,
    /// 1: an agent answered; nothing waits any more.
    pub answered: i64,
    /// 1: the bot answered a conversation no person has taken: it waits on the customer now,
    /// not on an agent.
    pub bot_answered: i64,
}

#[derive(Serialize)]
pub(crate) struct IdentityPatch {
    pub id: IdentityId,
    pub display_name: String,
    pub lang_hint: Option<String>,
    /// Not written (it does not change): what the identity is found by besides its name.
    #[serde(skip)]
    pub external_id: String,
}

/// An event of the reporting ledger (see `migrations/*/0016_ledger.sql` and docs/metrics.md).
#[derive(Serialize, Debug)]
pub(crate) struct LedgerRow {
    pub conversation_id: ConversationId,
    pub kind: &'static str,
    pub at: Millis,
    pub agent_id: Option<AgentId>,
    pub channel: Option<&'static str>,
    pub detail: Option<String>,
}

/// `merged`'s identities, conversations and messages move to `survivor`.
#[derive(Serialize)]
pub(crate) struct ContactMerge {
    pub survivor: ContactId,
    pub merged: ContactId,
}

#[derive(Serialize)]
pub(crate) struct TokenRow {
    pub token_hash: String,
    pub kind: &'static str,
    pub subject: String,
    pub data: &'static str,
    pub created_at: Millis,
    pub expires_at: Millis,
}

#[derive(Serialize)]
pub(crate) struct ContactPatch {
    pub id: ContactId,
    pub locale: String,
}

/// Everything a batch writes, in insertion order per table.
#[derive(Default)]
pub(crate) struct Rows {
    pub contacts: Vec<ContactRow>,
    pub identities: Vec<IdentityRow>,
    pub conversations: Vec<ConversationRow>,
    pub messages: Vec<MessageRow>,
    /// Platform ids of inbound messages: unique, a conflict is an error.
    pub links: Vec<LinkRow>,
    /// Platform ids of delivered replies: a platform may answer a redelivery with the id it
    /// gave before, which is already recorded.
    pub delivery_links: Vec<LinkRow>,
    pub attachments: Vec<AttachmentRow>,
    pub entities: Vec<EntityRow>,
    pub outbox: Vec<OutboxRow>,
    pub conversation_patches: Keyed<ConversationPatch>,
    pub identity_patches: Keyed<IdentityPatch>,
    pub contact_patches: Keyed<ContactPatch>,
    pub contact_merges: Vec<ContactMerge>,
    pub tokens: Vec<TokenRow>,
    pub sent: Vec<SentRow>,
    /// Identities that wrote: reachable again if they had been marked otherwise.
    pub heard_from: Vec<ReachedRow>,
    /// Rare writes, one statement each, before the rows above, in the order planned.
    pub singles: Vec<Single>,
    /// The reporting ledger's events; they also open and keep the `cycles` rows.
    pub ledger: Vec<LedgerRow>,
    /// Messages whose text changed (a customer's edit): found by their new words.
    pub reworded: Vec<(MessageId, String)>,
}

/// A text's words as a search index keeps them (`search::stored`), under the id of what they
/// belong to: a message, a contact, an identity.
#[derive(Serialize)]
pub(crate) struct SearchRow {
    pub rowid: i64,
    pub terms: String,
}

/// A write too rare to batch: an agent's change to a conversation, a customer's edit, a send
/// that failed or will be retried, a spent `/link` code.
#[derive(Debug)]
pub(crate) enum Single {
    Update(UpdateRow),
    Edit(EditRow),
    Retry {
        outbox_id: i64,
        claim: Option<i64>,
        attempts: i64,
        next_attempt_at: Millis,
        error: String,
    },
    Failed {
        outbox_id: i64,
        claim: Option<i64>,
        attempts: i64,
        error: String,
    },
    /// The platform said the customer is gone (blocked the bot, left the server).
    Unreachable {
        identity_id: IdentityId,
        at: Millis,
    },
    SpendToken {
        token_hash: String,
    },
    Survey(SurveyWrite),
    Complaint(ComplaintWrite),
    /// `/stop`: no more announcements to the contact.
    StopAnnouncements {
        contact_id: ContactId,
        at: Millis,
    },
}

/// A complaint opened (unless the conversation has one open) or its open one changed.
#[derive(Debug)]
pub(crate) enum ComplaintWrite {
    Open {
        conversation_id: ConversationId,
        at: Millis,
        due_at: Millis,
        source: &'static str,
    },
    Change {
        conversation_id: ConversationId,
        at: Millis,
        stage: Option<&'static str>,
        set_owner: bool,
        owner: Option<AgentId>,
        due_at: Option<Millis>,
    },
}

/// A step of a conversation's satisfaction survey.
#[derive(Debug)]
pub(crate) enum SurveyWrite {
    /// An agent resolved it: this cycle's survey falls due at `due_at`.
    Due {
        conversation_id: ConversationId,
        resolved_at: Millis,
        due_at: Millis,
    },
    /// The customer wrote, or an agent reopened it, before the survey was asked.
    CancelDue {
        conversation_id: ConversationId,
    },
    /// The question went out as message `message_id`.
    Asked {
        survey_id: i64,
        at: Millis,
        message_id: MessageId,
        channel: &'static str,
    },
    Rated {
        survey_id: i64,
        rating: i64,
        at: Millis,
    },
    Commented {
        survey_id: i64,
        comment: String,
        at: Millis,
    },
}

/// A conversation's status, assignee, priority, tags or hand-off, as an agent (or the bot)
/// changed them; `None` leaves a field as it is.
#[derive(Debug)]
pub(crate) struct UpdateRow {
    pub id: ConversationId,
    pub now: Millis,
    pub status: Option<&'static str>,
    /// Whether `assignee` is set (to someone, or to no one).
    pub assign: bool,
    pub assignee: Option<AgentId>,
    pub priority: Option<&'static str>,
    /// JSON array.
    pub tags: Option<String>,
    /// Handed to people (true) or back to the bot (false).
    pub handoff: Option<bool>,
    /// Who resolves, if this resolves: `agent` or `bot`.
    pub resolver: &'static str,
    pub handoff_reason: &'static str,
    pub handoff_off_hours: bool,
    /// Whether `team` is set (to a team, or to none).
    pub set_team: bool,
    pub team: Option<i64>,
    /// Marks the current cycle routed.
    pub route: bool,
}

/// A customer's edit: the new text in place, the old one kept.
#[derive(Debug)]
pub(crate) struct EditRow {
    pub message_id: MessageId,
    pub old_body: String,
    pub new_body: String,
    pub redactions: i64,
    pub at: Millis,
}

/// The row kinds written with one statement each, parents before children.
pub(crate) const WRITES: usize = 22;

impl Rows {
    /// Each row kind written by `Statements::writes` as its JSON parameter (None: no rows),
    /// the rows cleared.
    pub(crate) fn params(&mut self, form: crate::search::Form) -> [Option<String>; WRITES] {
        fn take(rows: &mut impl Pending) -> Option<String> {
            if rows.is_empty() {
                return None;
            }
            let json = serde_json::to_string(rows).expect("rows serialize");
            rows.clear();
            Some(json)
        }
        let ledger = take(&mut self.ledger);
        let [mut messages_searched, mut contacts_searched, mut identities_searched] = self.search_rows(form);
        [
            take(&mut self.contacts),
            take(&mut self.identities),
            take(&mut self.conversations),
            take(&mut self.messages),
            take(&mut self.links),
            take(&mut self.delivery_links),
            take(&mut self.attachments),
            take(&mut self.entities),
            take(&mut self.outbox),
            take(&mut self.conversation_patches),
            take(&mut self.identity_patches),
            take(&mut self.contact_patches),
            take(&mut self.tokens),
            take(&mut self.sent),
            take(&mut self.heard_from),
            // The ledger's events, read four times: the cycles they open, the events
            // themselves, what they change in their cycles, the days whose reports they change.
            ledger.clone(),
            ledger.clone(),
            ledger.clone(),
            ledger,
            take(&mut messages_searched),
            take(&mut contacts_searched),
            take(&mut identities_searched),
        ]
    }

    /// What the search indexes learn of this batch: the words of its messages (the customers',
    /// the agents' and their notes; not the bot's or the system's) and of edited ones, of new
    /// contacts' names, of identities' names and handles. One row per id, the last words kept.
    fn search_rows(&mut self, form: crate::search::Form) -> [Vec<SearchRow>; 3] {
        let row = |rowid: i64, text: &str| SearchRow { rowid, terms: crate::search::stored(text, form) };
        let searched = |author: &str| !matches!(author, "bot" | "system");
        let mut messages: Vec<SearchRow> =
            self.messages.iter().filter(|m| searched(m.author)).map(|m| row(m.id, &m.body)).collect();
        let reworded = std::mem::take(&mut self.reworded);
        messages.retain(|m| !reworded.iter().any(|(id, _)| *id == m.rowid));
        messages.extend(reworded.iter().map(|(id, body)| row(*id, body)));
        let contacts = self.contacts.iter().map(|c| row(c.id, &c.name)).collect();
        let mut identities: std::collections::BTreeMap<i64, String> = std::collections::BTreeMap::new();
        for i in &self.identities {
            identities.insert(i.id, format!("{} {}", i.display_name, i.external_id));
        }
        for p in self.identity_patches.rows() {
            identities.insert(p.id, format!("{} {}", p.display_name, p.external_id));
        }
        let identities = identities.iter().map(|(id, text)| row(*id, text)).collect();
        [messages, contacts, identities]
    }
}
