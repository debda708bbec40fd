//! What the customer is told in reply to a message: the warning after a redaction, the
//! acknowledgement of a new ticket, and each command's answer (with the changes commands make).

use super::Planner;
use super::known::{KnownIdentity, Latest};
use crate::commands::Command;
use crate::events::Event;
use crate::ingest::Opened;
use crate::model::*;
use crate::prepare::Prepared;

impl Planner<'_> {
    /// What the customer is told in reply to one message (and the state changes commands make).
    pub(super) fn answers(&mut self, p: &Prepared, at: &Situation) -> Vec<String> {
        let cx = self.cx;
        let Situation { identity, latest, conversation_id, opened, reply_locale, linked } = *at;
        let text = |locale: &str, key: &str, args: &[(&str, &str)]| cx.localizer.text(locale, key, args);
        let mut replies = Vec::new();
        if !p.findings.is_empty() {
            replies.push(text(reply_locale, "secret-redacted", &[]));
        }
        match &p.command {
            None if opened == Opened::New => {
                let reference = Reference(conversation_id.expect("a new conversation")).to_string();
                replies.push(text(reply_locale, "ack-new-conversation", &[("reference", &reference)]));
            }
            None => {}
            Some(Command::Start) => replies.push(text(reply_locale, "welcome", &[])),
            Some(Command::Help) => replies.push(text(reply_locale, "help", &[])),
            Some(Command::Status) => {
                let (key, reference) = match latest {
                    None => ("status-none", String::new()),
                    Some(c) => (
                        match c.status {
                            Status::Open => "status-open",
                            Status::Pending => "status-pending",
                            Status::Resolved => "status-resolved",
                        },
                        Reference(c.id).to_string(),
                    ),
                };
                replies.push(text(reply_locale, key, &[("reference", &reference)]));
            }
            Some(Command::Lang(code)) => match code.as_deref().and_then(|c| cx.localizer.negotiate(c)) {
                Some(locale) => {
                    self.set_contact_locale(identity, locale);
                    if let Some(id) = conversation_id {
                        self.patch_conversation(id, |patch| patch.locale = Some(locale.to_owned()));
                    }
                    replies.push(text(locale, "lang-changed", &[]));
                }
                None => {
                    let available = cx.localizer.available().join(", ");
                    let code = code.as_deref().unwrap_or("");
                    replies.push(text(reply_locale, "lang-unknown", &[("code", code), ("available", &available)]));
                }
            },
            Some(Command::Link(None)) => {
                let code = self.link_code(identity.contact_id);
                replies.push(text(reply_locale, "link-code", &[("code", &code)]));
            }
            Some(Command::Link(Some(_))) => {
                let key = if linked == Some(true) { "link-done" } else { "link-invalid" };
                replies.push(text(reply_locale, key, &[]));
            }
            Some(Command::Verify(None)) => replies.push(text(reply_locale, "verify-usage", &[])),
            Some(Command::Verify(Some(handle))) => {
                use crate::safety::staff::{Verdict, verify};
                let reply = match verify(&cx.staff, handle) {
                    Verdict::Staff(real) => text(
                        reply_locale,
                        "verify-staff",
                        &[("handle", &real.handle), ("name", &real.agent_name), ("channel", real.channel.as_str())],
                    ),
                    Verdict::Impostor { of } => text(
                        reply_locale,
                        "verify-impostor",
                        &[("handle", handle), ("real", &of.handle), ("channel", of.channel.as_str())],
                    ),
                    Verdict::Unknown => text(reply_locale, "verify-unknown", &[("handle", handle)]),
                };
                replies.push(reply);
            }
            Some(Command::Human) => {
                let id = conversation_id.expect("/human opens a conversation");
                self.asked_for_people(id);
                replies.push(text(reply_locale, "handoff", &[("reference", &Reference(id).to_string())]));
            }
        }
        replies
    }
}

impl Planner<'_> {
    /// `/human`: the conversation goes to people, as the customer asked.
    fn asked_for_people(&mut self, id: ConversationId) {
        let now = self.cx.now;
        self.patch_conversation(id, |patch| patch.handoff_at = Some(now));
        let asked = super::ledger::Detail { detail: Some(HandoffReason::Asked.as_str().into()), ..Default::default() };
        self.record(id, super::ledger::Happened::HandedOff, asked);
        self.effects.events.push(Event::ConversationChanged { conversation_id: id });
        self.effects.events.push(Event::HandedOff { conversation_id: id, reason: HandoffReason::Asked });
    }
}

/// Where a stored message stands: what the answers to it depend on.
#[derive(Clone, Copy)]
pub(super) struct Situation<'s> {
    pub identity: &'s KnownIdentity,
    /// The sender's latest conversation before this message.
    pub latest: Option<Latest>,
    pub conversation_id: Option<ConversationId>,
    pub opened: Opened,
    pub reply_locale: &'s str,
    /// For `/link CODE`: whether the code joined two contacts.
    pub linked: Option<bool>,
}
