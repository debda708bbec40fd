//! Every linked customer told of their incident's latest change, once, on their own channel,
//! through the outbox; a resolved incident's notice and the conversation's resolution are one
//! decision (one commit), and no satisfaction survey follows it.

use super::{Incident, IncidentStatus};
use crate::Core;
use crate::changes::{Change, Changed};
use crate::error::{CoreError, Result};
use crate::l10n::Localizer;
use crate::model::{Author, Reference, Status};
use crate::post::{ConversationUpdate, Post, PostKind};
use crate::store::incidents::Untold;
use std::collections::HashMap;

/// Linked customers told per commit.
const CHUNK: i64 = 200;

/// What a customer is told of an incident: by the bot when their question matched it
/// (`Notice::Answer`), or when it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    Answer,
    Update,
}

/// The text of `notice` about `incident` in `locale`, for the conversation `reference`.
pub fn text(localizer: &Localizer, incident: &Incident, locale: &str, reference: &str, notice: Notice) -> String {
    let message = match incident.message_for(locale) {
        Some(message) => message.to_owned(),
        None => localizer.text(locale, "incident-no-message", &[]),
    };
    let status = localizer.text(locale, &format!("incident-status-{}", incident.status.as_str()), &[]);
    let key = match (notice, incident.status) {
        (Notice::Answer, _) => "incident-answer",
        (Notice::Update, IncidentStatus::Resolved) => "incident-resolved",
        (Notice::Update, _) => "incident-update",
    };
    let args =
        [("title", incident.title.as_str()), ("message", &message), ("status", &status), ("reference", reference)];
    localizer.text(locale, key, &args)
}

impl Core {
    /// Tells every linked customer not yet told their incident's latest change; resolves the
    /// conversations of a resolved incident. Returns how many were told.
    pub async fn tell_incident_updates(&self) -> Result<usize> {
        let mut told = 0;
        let mut incidents: HashMap<i64, Option<Incident>> = HashMap::new();
        loop {
            let untold = self.store().untold_incident_links(CHUNK).await?;
            if untold.is_empty() {
                return Ok(told);
            }
            let mut changes = Vec::new();
            // Per untold link: its changes' range in `changes` (none: nothing to send).
            let mut spans = Vec::with_capacity(untold.len());
            for link in &untold {
                if let std::collections::hash_map::Entry::Vacant(slot) = incidents.entry(link.incident_id) {
                    slot.insert(self.store().incident(link.incident_id).await?);
                }
                let incident = incidents[&link.incident_id].as_ref().filter(|i| i.version == link.version);
                let start = changes.len();
                if let Some(incident) = incident {
                    self.notice_changes(incident, link, &mut changes).await?;
                }
                spans.push(start..changes.len());
            }
            let results = if changes.is_empty() { Vec::new() } else { self.apply_together(changes).await };
            for (link, span) in untold.iter().zip(spans) {
                // The notice is the span's first change; the resolution follows it.
                match results.get(span.start).filter(|_| !span.is_empty()) {
                    Some(Err(CoreError::ShuttingDown)) => return Err(CoreError::ShuttingDown),
                    Some(Err(error)) => {
                        tracing::warn!(%error, conversation = link.conversation_id, "an incident's notice could not be sent there");
                    }
                    Some(Ok(Changed::Posted(_))) => told += 1,
                    _ => {}
                }
                self.store().mark_incident_told(*link).await?;
            }
            // An incident changed again meanwhile is read afresh.
            incidents.clear();
        }
    }

    /// The changes that tell `link`'s customer of `incident`: the notice, and for a resolved
    /// incident the conversation resolved (no survey). None when the conversation is gone.
    async fn notice_changes(&self, incident: &Incident, link: &Untold, changes: &mut Vec<Change>) -> Result<()> {
        let Some(conversation) = self.store().conversation(link.conversation_id).await? else { return Ok(()) };
        let locale = conversation.locale.clone().unwrap_or_default();
        let reference = Reference(conversation.id).to_string();
        let body = text(self.localizer(), incident, &locale, &reference, Notice::Update);
        changes.push(Change::Post(Post::new(
            conversation.id,
            Author::Bot,
            None,
            body,
            PostKind::Reply { channel: None },
        )));
        if incident.status == IncidentStatus::Resolved && conversation.status != Status::Resolved {
            changes.push(Change::Update(ConversationUpdate {
                id: conversation.id,
                status: Some(Status::Resolved),
                no_survey: true,
                ..Default::default()
            }));
        }
        Ok(())
    }
}
