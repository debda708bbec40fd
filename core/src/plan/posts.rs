//! What agents do to conversations and contacts, planned in the same batches as inbound
//! messages so that neither can act on a state the other just changed.

use super::ids::Table;
use super::known::{ConversationAt, Edited, Latest, MergeAt, PostAt, SurveyAt, SurveyState};
use super::ledger::{Detail, Happened};
use super::rows::{self, Single, SurveyWrite};
use super::{Enclosures, Planner, ReplyTarget};
use crate::channel::Destination;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::model::*;
use crate::post::{ConversationUpdate, PostKind, SlaMark};
use crate::prepare::{Edit, PreparedPost};

impl Planner<'_> {
    /// An agent's (or the bot's) reply or note, to the conversation and route `at` found.
    pub fn post(&mut self, prepared: &PreparedPost, at: &PostAt) -> Result<Message> {
        let (cx, post) = (self.cx, &prepared.post);
        let conversation = at
            .conversation
            .as_ref()
            .ok_or_else(|| CoreError::NotFound(format!("conversation {}", post.conversation_id)))?;
        if let Some(survey) = post.survey {
            let due = conversation.status == Status::Resolved
                && conversation.survey.is_some_and(|s| s.id == survey && s.state == SurveyState::Due);
            if !due {
                return Err(CoreError::Invalid(format!("survey {survey} is no longer due")));
            }
        }
        let contact_id = conversation.contact_id;
        let mut message = Message {
            id: 0,
            conversation_id: Some(post.conversation_id),
            contact_id,
            identity_id: None,
            direction: Direction::Note,
            author: post.author,
            agent_id: post.agent_id,
            channel: None,
            body: post.body.clone(),
            created_at: cx.now,
            edited_at: None,
            delivery: None,
            delivery_error: None,
            redactions: 0,
            attachments: Vec::new(),
            entities: Vec::new(),
            buttons: post.buttons.clone(),
            automated: false,
        };
        match post.kind {
            PostKind::Note => message.id = self.note(post, contact_id),
            PostKind::Reply { channel } => self.reply(prepared, at, conversation, channel, &mut message)?,
        }
        if let (Some(survey_id), Some(channel)) = (post.survey, message.channel) {
            let asked = SurveyWrite::Asked { survey_id, at: cx.now, message_id: message.id, channel: channel.as_str() };
            self.rows.singles.push(Single::Survey(asked));
        }
        self.attach(message.id, &prepared.attachments);
        Ok(message)
    }

    /// A private note: agents see it, the customer never does.
    fn note(&mut self, post: &crate::post::Post, contact_id: ContactId) -> MessageId {
        let id = self.ids.take(Table::Messages);
        self.rows.messages.push(rows::MessageRow {
            id,
            conversation_id: Some(post.conversation_id),
            contact_id,
            identity_id: None,
            direction: Direction::Note.as_str(),
            author: post.author.as_str(),
            agent_id: post.agent_id,
            channel: None,
            body: post.body.clone(),
            created_at: self.cx.now,
            redactions: 0,
            automated: 0,
        });
        self.effects.events.push(Event::MessageCreated {
            message_id: id,
            conversation_id: Some(post.conversation_id),
            contact_id,
            identity_id: None,
        });
        if !post.mentions.is_empty() {
            let agents = post.mentions.clone();
            self.effects.events.push(Event::Mentioned {
                conversation_id: post.conversation_id,
                message_id: id,
                agents,
            });
        }
        self.patch_conversation(post.conversation_id, |_| {});
        id
    }

    /// A reply, queued in the outbox to the route `at` found (`asked`: the channel the agent
    /// chose, if any).
    fn reply(
        &mut self,
        prepared: &PreparedPost,
        at: &PostAt,
        conversation: &ConversationAt,
        asked: Option<ChannelKind>,
        message: &mut Message,
    ) -> Result<()> {
        let (cx, post) = (self.cx, &prepared.post);
        let route = at.route.as_ref().ok_or_else(|| match post.identity_id {
            Some(id) => CoreError::Invalid(format!("identity {id} is not this customer's, or never wrote")),
            None => CoreError::Invalid(format!(
                "the customer has not written on {}",
                reply_channel(asked, None, conversation.channel).map_or("any channel", ChannelKind::as_str)
            )),
        })?;
        let target = ReplyTarget {
            conversation_id: Some(post.conversation_id),
            contact_id: conversation.contact_id,
            identity_id: route.identity_id,
            channel: route.channel,
            destination: Destination { chat: route.chat.clone(), thread: route.thread.clone() },
            reply_to: None,
        };
        message.id = self.queue_reply(
            &target,
            post.author,
            post.agent_id,
            post.body.clone(),
            Enclosures { attachments: prepared.outbound.clone(), buttons: post.buttons.clone(), bulk: post.bulk },
        );
        message.direction = Direction::Outbound;
        message.identity_id = Some(target.identity_id);
        message.channel = Some(route.channel);
        message.delivery = Some(Delivery::Queued);
        let by_agent = post.author == Author::Agent;
        // The bot's answer where no person has taken over: the conversation now waits on the
        // customer. Its words after a hand-off ("a person will answer") do not.
        let by_bot = post.author == Author::Bot && !conversation.handed_off;
        let happened = match post.author {
            Author::Agent => Some(Happened::AgentReply),
            Author::Bot if !conversation.handed_off => Some(Happened::BotReply),
            _ => None,
        };
        if let Some(what) = happened {
            let detail = Detail { agent_id: post.agent_id, channel: Some(route.channel), ..Default::default() };
            self.record(post.conversation_id, what, detail);
        }
        self.patch_conversation(post.conversation_id, |patch| {
            patch.last_message_at = Some(cx.now);
            patch.first_response_at = by_agent.then_some(cx.now);
            patch.answered = i64::from(by_agent);
            patch.bot_answered = i64::from(by_bot);
        });
        Ok(())
    }

    /// Status, assignee, priority, tags, on the conversation as `at` found it. Resolving stamps
    /// `resolved_at` and ends the wait.
    pub fn update(&mut self, update: &ConversationUpdate, at: Option<&ConversationAt>) -> Result<()> {
        let cx = self.cx;
        let Some(at) = at else { return Err(CoreError::NotFound(format!("conversation {}", update.id))) };
        if let Some(before) = update.if_bot_answered_before {
            let waits_on_bot = at.status == Status::Open
                && !at.handed_off
                && at.bot_answered_at.is_some_and(|answered| answered <= before);
            if !waits_on_bot {
                return Err(CoreError::Invalid(format!(
                    "conversation {} no longer waits on the bot's answer",
                    update.id
                )));
            }
        }
        if update.if_assignee.is_some_and(|assignee| assignee != at.assignee_id) || (update.route && at.routed) {
            return Err(CoreError::Invalid(format!("conversation {} changed meanwhile", update.id)));
        }
        self.rows.singles.push(Single::Update(rows::UpdateRow {
            id: update.id,
            now: cx.now,
            status: update.status.map(Status::as_str),
            assign: update.assignee.is_some(),
            assignee: update.assignee.flatten(),
            priority: update.priority.map(Priority::as_str),
            tags: update.tags.as_ref().map(|t| serde_json::to_string(t).expect("tags serialize")),
            handoff: update.handoff,
            resolver: if update.by_bot { Author::Bot } else { Author::Agent }.as_str(),
            handoff_reason: update.handoff_reason.unwrap_or(HandoffReason::Agent).as_str(),
            handoff_off_hours: update.handoff_off_hours,
            set_team: update.team.is_some(),
            team: update.team.flatten(),
            route: update.route,
        }));
        if let Some(status) = update.status {
            let survey = self.plan_survey(update, at, status);
            let resolved_at = (status == Status::Resolved).then_some(cx.now);
            for latest in self.latest.values_mut().flatten().filter(|l| l.id == update.id) {
                *latest = Latest { status, resolved_at, survey: survey.or(latest.survey), ..*latest };
            }
        }
        self.effects.events.push(Event::ConversationChanged { conversation_id: update.id });
        if let Some(step) = &update.complaint {
            self.complaint_step(update.id, step);
        }
        if let Some(reason) = update.danger {
            let agents = update.notify.clone();
            self.effects.events.push(Event::Danger { conversation_id: update.id, reason, agents });
        }
        self.record_update(update, at);
        if let Some(body) = &update.note {
            let note = crate::post::Post::new(update.id, Author::System, None, body.clone(), PostKind::Note);
            self.note(&note, at.contact_id);
        }
        if update.handoff == Some(true) {
            let reason = update.handoff_reason.unwrap_or(HandoffReason::Agent);
            self.effects.events.push(Event::HandedOff { conversation_id: update.id, reason });
        }
        Ok(())
    }

    /// What an update adds to the ledger: a resolution (by an agent, the bot, or the bot after
    /// the customer's silence), a reopening, an assignment, a hand-off to people.
    fn record_update(&mut self, update: &ConversationUpdate, at: &ConversationAt) {
        let by = update.agent_id;
        match update.status {
            Some(Status::Resolved) if at.status != Status::Resolved => {
                let resolver = match (update.by_bot, update.if_bot_answered_before) {
                    (_, Some(_)) => "idle",
                    (true, None) => "bot",
                    (false, None) => "agent",
                };
                let detail = Detail { agent_id: by, detail: Some(resolver.into()), ..Default::default() };
                self.record(update.id, Happened::Resolved, detail);
            }
            Some(Status::Open | Status::Pending) if at.status == Status::Resolved => {
                let detail = Detail { agent_id: by, channel: Some(at.channel), ..Default::default() };
                self.record(update.id, Happened::Reopened, detail);
            }
            Some(Status::Pending) if at.status == Status::Open => {
                self.record(update.id, Happened::Pending, Detail { agent_id: by, ..Default::default() });
            }
            Some(Status::Open) if at.status == Status::Pending => {
                self.record(update.id, Happened::Resumed, Detail { agent_id: by, ..Default::default() });
            }
            _ => {}
        }
        if let Some(Some(assignee)) = update.assignee {
            self.record(update.id, Happened::Assigned, Detail { agent_id: Some(assignee), ..Default::default() });
            self.effects.events.push(Event::Assigned { conversation_id: update.id, assignee });
        }
        for mark in &update.sla {
            let (what, detail) = match mark {
                SlaMark::Policy(id) => (Happened::SlaPolicy, id.to_string()),
                SlaMark::Warning(target) => (Happened::SlaWarning, target.as_str().to_owned()),
                SlaMark::Breach(target) => (Happened::SlaBreach, target.as_str().to_owned()),
            };
            self.record(update.id, what, Detail { detail: Some(detail), ..Default::default() });
            if let SlaMark::Warning(target) | SlaMark::Breach(target) = *mark {
                let breached = matches!(mark, SlaMark::Breach(_));
                let agents = update.notify.clone();
                self.effects.events.push(Event::Sla { conversation_id: update.id, target, breached, agents });
            }
        }
        if let Some(Some(team)) = update.team {
            self.record(update.id, Happened::Team, Detail { detail: Some(team.to_string()), ..Default::default() });
        }
        if update.handoff == Some(true) && !at.handed_off {
            let reason = update.handoff_reason.unwrap_or(HandoffReason::Agent).as_str();
            self.record(update.id, Happened::HandedOff, Detail { detail: Some(reason.into()), ..Default::default() });
        }
    }

    /// The survey a status change makes due (an agent resolving, surveys on, a person on the
    /// other side), or cancels (reopened before it was asked).
    fn plan_survey(&mut self, update: &ConversationUpdate, at: &ConversationAt, status: Status) -> Option<SurveyAt> {
        let now = self.cx.now;
        if status == Status::Resolved && at.status != Status::Resolved {
            let delay = self.cx.rules.csat_delay_ms.filter(|_| !update.by_bot && !update.no_survey && !at.automated)?;
            let due = SurveyWrite::Due { conversation_id: update.id, resolved_at: now, due_at: now + delay };
            self.rows.singles.push(Single::Survey(due));
            return Some(SurveyAt { id: 0, state: SurveyState::Due, rated_at: None, commented: false });
        }
        if status != Status::Resolved && at.survey.is_some_and(|s| s.state == SurveyState::Due) {
            self.rows.singles.push(Single::Survey(SurveyWrite::CancelDue { conversation_id: update.id }));
            return at.survey.map(|s| SurveyAt { state: SurveyState::Cancelled, ..s });
        }
        None
    }

    /// Joins `merged` into `survivor`, as `at` found them: identities, conversations and
    /// messages move over.
    pub fn merge(&mut self, survivor: ContactId, merged: ContactId, at: &MergeAt) -> Result<()> {
        if survivor == merged {
            return Err(CoreError::Invalid("a contact cannot be merged into itself".into()));
        }
        let alive = |id: ContactId| at.alive.iter().find(|(alive, _)| *alive == id);
        let Some((_, survivor_locale)) = alive(survivor) else {
            return Err(CoreError::NotFound(format!("contact {survivor}")));
        };
        if alive(merged).is_none() {
            return Err(CoreError::NotFound(format!("contact {merged}")));
        }
        self.rows.contact_merges.push(rows::ContactMerge { survivor, merged });
        // What later writes of this batch must see: the identities now belong to the survivor,
        // whose latest conversation is the newest of both.
        for known in self.identities.values_mut().filter(|k| k.contact_id == merged || k.contact_id == survivor) {
            known.contact_id = survivor;
            known.contact_locale = survivor_locale.clone();
        }
        let latest = at.latest;
        self.latest.remove(&merged);
        self.latest.insert(survivor, latest);
        self.effects.events.push(Event::ContactsMerged { survivor, merged });
        Ok(())
    }

    /// A customer's edit of a message already stored (`at`): the new text replaces the old,
    /// which is kept in `message_edits`. Unknown messages (never stored, or from before) are
    /// ignored.
    pub fn edit(&mut self, edit: &Edit, at: Option<&Edited>) -> Option<MessageId> {
        let at = at?;
        if at.body == edit.body {
            return Some(at.id);
        }
        self.rows.singles.push(Single::Edit(rows::EditRow {
            message_id: at.id,
            old_body: at.body.clone(),
            new_body: edit.body.clone(),
            redactions: edit.redactions,
            at: self.cx.now,
        }));
        self.rows.reworded.push((at.id, edit.body.clone()));
        self.effects.events.push(Event::MessageEdited {
            message_id: at.id,
            conversation_id: at.conversation_id,
            identity_id: at.identity_id,
        });
        Some(at.id)
    }
}

/// The channel a reply is looked for on: the one asked for, else (unless the agent picked an
/// identity) the one the customer last wrote on.
pub(crate) fn reply_channel(
    asked: Option<ChannelKind>,
    identity: Option<IdentityId>,
    last: ChannelKind,
) -> Option<ChannelKind> {
    match identity {
        Some(_) => asked,
        None => Some(asked.unwrap_or(last)),
    }
}
