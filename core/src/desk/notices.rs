//! Notices to agents by e-mail: which agents an event concerns (an assignment, a mention, an
//! SLA warning or breach, the priority lane, an incident suggested by a surge) and who of them asked to be told by mail, with the words in each
//! one's interface language. The e-mail channel sends them; only the instance that published
//! the event does, so each notice leaves once.

use crate::Core;
use crate::error::Result;
use crate::events::Event;
use crate::model::{AgentId, ConversationId, Reference};
use crate::store::agents::Notify;

/// One mail to one agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub agent_id: AgentId,
    /// Where it goes.
    pub email: String,
    pub name: String,
    /// What it is about (none: not one conversation — an incident's suggestion).
    pub conversation_id: Option<ConversationId>,
    pub subject: String,
    pub body: String,
}

/// What an event tells: its conversation, the agents it concerns, the key of its words, and
/// the switch an agent turns its mail on with.
type Concerns = (ConversationId, Vec<AgentId>, &'static str, fn(&Notify) -> bool);

fn concerns(event: &Event) -> Option<Concerns> {
    Some(match event {
        Event::Assigned { conversation_id, assignee } => {
            (*conversation_id, vec![*assignee], "desk-mail-assigned", |n: &Notify| n.email_assigned)
        }
        Event::Mentioned { conversation_id, agents, .. } => {
            (*conversation_id, agents.clone(), "desk-mail-mentioned", |n: &Notify| n.email_mentions)
        }
        Event::Sla { conversation_id, agents, breached, .. } => {
            let key = if *breached { "desk-mail-sla-breach" } else { "desk-mail-sla-warning" };
            (*conversation_id, agents.clone(), key, |n: &Notify| n.email_sla)
        }
        Event::Danger { conversation_id, agents, .. } => {
            (*conversation_id, agents.clone(), "desk-mail-danger", |n: &Notify| n.email_danger)
        }
        _ => return None,
    })
}

impl Core {
    /// The mails `event` asks for, to agents who switched them on; `inbox`: the inbox's public
    /// origin, for the link to the conversation.
    pub async fn agent_notices(&self, event: &Event, inbox: &str) -> Result<Vec<Notice>> {
        if let Event::IncidentSuggested { incident_id } = event {
            return self.suggestion_notices(*incident_id, inbox).await;
        }
        let Some((conversation_id, agents, key, wants)) = concerns(event) else { return Ok(Vec::new()) };
        let reference = Reference(conversation_id).to_string();
        let link = format!("{}/inbox?status=all&c={conversation_id}", inbox.trim_end_matches('/'));
        let target = match event {
            Event::Sla { target, .. } => Some(*target),
            _ => None,
        };
        let mut notices = Vec::new();
        for id in agents {
            let Some(agent) = self.store().agent(id).await? else { continue };
            if !wants(&agent.notify) {
                continue;
            }
            let locale = agent.locale.clone().unwrap_or_default();
            let l10n = self.localizer();
            let what = target
                .map(|t| l10n.text(&locale, &format!("desk-sla-{}", t.as_str().replace('_', "-")), &[]))
                .unwrap_or_default();
            let args = [("reference", reference.as_str()), ("link", link.as_str()), ("target", what.as_str())];
            notices.push(Notice {
                agent_id: agent.id,
                email: agent.email.clone(),
                name: agent.name.clone(),
                conversation_id: Some(conversation_id),
                subject: l10n.text(&locale, &format!("{key}-subject"), &args),
                body: l10n.text(&locale, &format!("{key}-body"), &args),
            });
        }
        Ok(notices)
    }

    /// A surge's suggestion, to the admins who asked for it by mail: its title, how many asked,
    /// the questions, the link to confirm it.
    async fn suggestion_notices(&self, incident_id: i64, inbox: &str) -> Result<Vec<Notice>> {
        let Some(incident) = self.store().incident(incident_id).await? else { return Ok(Vec::new()) };
        let link = format!("{}/inbox/incidents#incident-{incident_id}", inbox.trim_end_matches('/'));
        let examples: String = incident.examples.iter().map(|e| format!("\n- {e}")).collect();
        let requesters = incident.requesters.to_string();
        let args =
            [("title", incident.title.as_str()), ("requesters", &requesters), ("examples", &examples), ("link", &link)];
        let admins = self.store().agents().await?;
        let wanting = admins.iter().filter(|a| a.role == crate::store::agents::Role::Admin && !a.disabled);
        Ok(wanting
            .filter(|a| a.notify.email_incidents)
            .map(|agent| {
                let locale = agent.locale.clone().unwrap_or_default();
                Notice {
                    agent_id: agent.id,
                    email: agent.email.clone(),
                    name: agent.name.clone(),
                    conversation_id: None,
                    subject: self.localizer().text(&locale, "desk-mail-incident-subject", &args),
                    body: self.localizer().text(&locale, "desk-mail-incident-body", &args),
                }
            })
            .collect())
    }
}
