//! The planner's rules for channels where messages name their conversation and machines
//! write (mail): which conversation a message may join, the note agents get when it names
//! someone else's, and the bound on automatic replies.

use super::Planner;
use super::ids::Table;
use super::known::Latest;
use super::rows;
use crate::events::Event;
use crate::model::*;
use crate::prepare::Prepared;
use std::collections::HashMap;

const AUTO_REPLIES_PER_HOUR: usize = 5;

/// Automatic replies recently sent to each identity (see `Planner::may_answer_automatically`).
/// Senders kept in `AutoReplies` before those quiet for an hour are dropped.
const AUTO_REPLY_SENDERS_KEPT: usize = 4096;

pub(crate) type AutoReplies = std::sync::Mutex<HashMap<IdentityId, Vec<Millis>>>;

impl Planner<'_> {
    /// A conversation's state as this batch left it (an earlier message may have reopened it).
    pub(super) fn latest_state(&self, named: Latest) -> Latest {
        self.latest.values().flatten().find(|l| l.id == named.id).copied().unwrap_or(named)
    }

    /// Machines are never answered (RFC 3834), and one sender gets at most
    /// `AUTO_REPLIES_PER_HOUR` automatic replies on channels where machines write (mail): two
    /// auto-responders must not talk to each other forever.
    pub(super) fn may_answer_automatically(&self, p: &Prepared, identity: IdentityId) -> bool {
        if p.inbound.automated {
            return false;
        }
        if p.inbound.threading == crate::ingest::Threading::Latest {
            return true;
        }
        let now = self.cx.now;
        let mut sent = self.cx.auto_replies.lock().expect("auto-reply lock");
        // One entry per sender ever answered: those with nothing in the last hour go once
        // there are many, so the map holds the last hour's senders, not every sender since start.
        if sent.len() >= AUTO_REPLY_SENDERS_KEPT {
            sent.retain(|_, times| times.iter().any(|at| now - at < 3_600_000));
        }
        let recent = sent.entry(identity).or_default();
        recent.retain(|at| now - at < 3_600_000);
        if recent.len() >= AUTO_REPLIES_PER_HOUR {
            tracing::info!(identity, "automatic reply withheld: too many to this sender in the last hour");
            return false;
        }
        recent.push(now);
        true
    }

    /// Tells agents that a message named another contact's conversation and was kept apart.
    pub(super) fn note_foreign_reference(
        &mut self,
        conversation_id: ConversationId,
        contact_id: ContactId,
        other: ConversationId,
    ) {
        let body =
            self.cx.localizer.text("", "foreign-reference-note", &[("reference", &Reference(other).to_string())]);
        self.system_note(conversation_id, contact_id, body);
    }

    /// A note from the gateway itself, for agents only.
    pub(super) fn system_note(&mut self, conversation_id: ConversationId, contact_id: ContactId, body: String) {
        let id = self.ids.take(Table::Messages);
        self.rows.messages.push(rows::MessageRow {
            id,
            conversation_id: Some(conversation_id),
            contact_id,
            identity_id: None,
            direction: Direction::Note.as_str(),
            author: Author::System.as_str(),
            agent_id: None,
            channel: None,
            body,
            created_at: self.cx.now,
            redactions: 0,
            automated: 0,
        });
        self.effects.events.push(Event::MessageCreated {
            message_id: id,
            conversation_id: Some(conversation_id),
            contact_id,
            identity_id: None,
        });
    }
}
