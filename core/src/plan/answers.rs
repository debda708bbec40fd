//! What the customer is told in reply to a message: the warning after a redaction, the
//! acknowledgement of a new ticket, and each command's answer (with the changes commands make).

use super::Planner;
use super::known::{KnownIdentity, Latest};
use super::rows::{ComplaintWrite, Single};
use crate::commands::Command;
use crate::complaints::{ComplaintSource, ComplaintStage, ComplaintStep, told};
use crate::events::Event;
use crate::ingest::Opened;
use crate::l10n::duration_words;
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
            Some(Command::Status) => replies.push(self.status(latest, reply_locale)),
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
            Some(Command::Verify(Some(handle))) => replies.push(self.verify(handle, conversation_id, reply_locale)),
            Some(Command::Human) => {
                let id = conversation_id.expect("/human opens a conversation");
                self.asked_for_people(id, HandoffReason::Asked);
                replies.push(text(reply_locale, "handoff", &[("reference", &Reference(id).to_string())]));
            }
            Some(Command::Complaint) => {
                let id = conversation_id.expect("/complaint opens a conversation");
                self.asked_for_people(id, HandoffReason::Complaint);
                let due_in = cx.rules.complaint_due_ms;
                self.complaint_step(id, &ComplaintStep::Open { source: ComplaintSource::Command, due_in });
                let due = duration_words(cx.localizer, reply_locale, std::time::Duration::from_millis(due_in as u64));
                let reference = Reference(id).to_string();
                replies.push(told(cx.localizer, reply_locale, ComplaintStage::Received, &reference, &due));
            }
            Some(Command::Stop) => {
                let stop = Single::StopAnnouncements { contact_id: identity.contact_id, at: cx.now };
                self.rows.singles.push(stop);
                replies.push(text(reply_locale, "stop-done", &[]));
            }
        }
        replies
    }

    /// Whether `p` is a `/verify` that names an impersonator of our staff (it opens a
    /// conversation: the report goes to people).
    pub(super) fn reports_impostor(&self, p: &Prepared) -> bool {
        use crate::safety::staff::{Verdict, verify};
        matches!(&p.command, Some(Command::Verify(Some(handle))) if matches!(verify(&self.cx.staff, handle), Verdict::Impostor { .. }))
    }

    /// `/verify HANDLE`: is it our staff? An impersonator reported goes to people, ahead of the
    /// queue (the report opened a conversation).
    fn verify(&mut self, handle: &str, conversation_id: Option<ConversationId>, locale: &str) -> String {
        use crate::safety::staff::{Verdict, verify};
        let text = |key: &str, args: &[(&str, &str)]| self.cx.localizer.text(locale, key, args);
        match verify(&self.cx.staff, handle) {
            Verdict::Staff(real) => text(
                "verify-staff",
                &[("handle", &real.handle), ("name", &real.agent_name), ("channel", real.channel.as_str())],
            ),
            Verdict::Impostor { of } => {
                let answer = text(
                    "verify-impostor",
                    &[("handle", handle), ("real", &of.handle), ("channel", of.channel.as_str())],
                );
                if let Some(id) = conversation_id {
                    self.asked_for_people(id, HandoffReason::Impersonation);
                }
                answer
            }
            Verdict::Unknown => text("verify-unknown", &[("handle", handle)]),
        }
    }

    /// `/status`: the latest ticket's state, and its complaint's stage if it has one.
    fn status(&self, latest: Option<Latest>, locale: &str) -> String {
        let text = |key: &str, args: &[(&str, &str)]| self.cx.localizer.text(locale, key, args);
        let Some(c) = latest else { return text("status-none", &[]) };
        let reference = Reference(c.id).to_string();
        let key = match c.status {
            Status::Open => "status-open",
            Status::Pending => "status-pending",
            Status::Resolved => "status-resolved",
        };
        let mut answer = text(key, &[("reference", &reference)]);
        if let Some(stage) = c.complaint {
            let words = text(&format!("complaint-stage-{}", stage.as_str().replace('_', "-")), &[]);
            answer.push('\n');
            answer.push_str(&text("status-complaint", &[("reference", &reference), ("stage", &words)]));
        }
        answer
    }
}

impl Planner<'_> {
    /// `/human`, `/complaint`: the conversation goes to people, as the customer asked.
    fn asked_for_people(&mut self, id: ConversationId, reason: HandoffReason) {
        let now = self.cx.now;
        self.patch_conversation(id, |patch| {
            patch.handoff_at = Some(now);
            patch.handoff_reason = Some(reason.as_str());
        });
        let asked = super::ledger::Detail { detail: Some(reason.as_str().into()), ..Default::default() };
        self.record(id, super::ledger::Happened::HandedOff, asked);
        self.effects.events.push(Event::ConversationChanged { conversation_id: id });
        self.effects.events.push(Event::HandedOff { conversation_id: id, reason });
    }

    /// What an update or a command does to the conversation's complaint, written with it.
    pub(super) fn complaint_step(&mut self, id: ConversationId, step: &ComplaintStep) {
        let now = self.cx.now;
        let write = match *step {
            ComplaintStep::Open { source, due_in } => {
                ComplaintWrite::Open { conversation_id: id, at: now, due_at: now + due_in, source: source.as_str() }
            }
            ComplaintStep::Change { stage, owner, due_at } => ComplaintWrite::Change {
                conversation_id: id,
                at: now,
                stage: stage.map(ComplaintStage::as_str),
                set_owner: owner.is_some(),
                owner: owner.flatten(),
                due_at,
            },
        };
        self.rows.singles.push(Single::Complaint(write));
        self.effects.events.push(Event::ConversationChanged { conversation_id: id });
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
