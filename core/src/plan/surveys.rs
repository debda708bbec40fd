//! The satisfaction survey in the planner: a resolution by an agent makes one due; the customer
//! writing first cancels it; the customer's rating (a pressed `csat:N` button, or the number
//! typed) and the comment after it are kept with the resolved conversation instead of
//! reopening it.

use super::known::{KnownIdentity, Latest, SurveyAt, SurveyState};
use super::ledger::{Detail, Happened};
use super::rows::{Single, SurveyWrite};
use super::{Enclosures, Planner, ReplyTarget};
use crate::events::Event;
use crate::ingest::{Ingested, Opened};
use crate::model::*;
use crate::prepare::Prepared;

/// The ids of the survey's buttons, `csat:1` … `csat:5`, on every channel.
pub const CHOICE_PREFIX: &str = "csat:";

/// How long after a rating the customer's next message is taken as its comment.
pub const COMMENT_WINDOW_MS: i64 = 10 * 60 * 1000;

/// Ratings at or below this raise a follow-up for the team.
pub const LOW_RATING: i64 = 2;

/// The survey's five buttons, labelled in `locale`.
pub fn buttons(localizer: &crate::l10n::Localizer, locale: &str) -> Vec<Button> {
    (1..=5)
        .map(|n| Button {
            id: format!("{CHOICE_PREFIX}{n}"),
            label: localizer.text(locale, &format!("csat-button-{n}"), &[]),
        })
        .collect()
}

/// What a customer's message says to their survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Feedback {
    Rating(i64),
    Comment,
    /// A second press on a survey already rated: kept, changes nothing.
    Again,
}

/// The rating a message gives: the pressed button's id, else (`typed`) the number alone or as
/// many stars.
fn rating_of(inbound: &crate::ingest::Inbound, typed: bool) -> Option<i64> {
    if let Some(choice) = &inbound.choice {
        return choice.strip_prefix(CHOICE_PREFIX)?.parse().ok().filter(|n| (1..=5).contains(n));
    }
    if !typed {
        return None;
    }
    let text = inbound.body.trim();
    let stars = text.chars().filter(|c| matches!(c, '★' | '⭐')).count();
    let rating = match text.parse::<i64>() {
        Ok(n) => n,
        Err(_) if stars > 0 && text.chars().all(|c| matches!(c, '★' | '⭐' | '\u{fe0f}') || c.is_whitespace()) => {
            stars as i64
        }
        Err(_) => return None,
    };
    (1..=5).contains(&rating).then_some(rating)
}

/// What `p` says to the survey of `candidate`, the conversation it would join, if anything.
pub(super) fn feedback(p: &Prepared, candidate: Option<Latest>, now: Millis) -> Option<(Latest, SurveyAt, Feedback)> {
    let conversation = candidate?;
    let survey = conversation.survey?;
    if p.inbound.automated || p.command.is_some() {
        return None;
    }
    let resolved = conversation.status == Status::Resolved;
    let pressed = p.inbound.choice.as_deref().is_some_and(|c| c.starts_with(CHOICE_PREFIX));
    let feedback = match survey.state {
        SurveyState::Asked => Feedback::Rating(rating_of(&p.inbound, resolved)?),
        SurveyState::Rated if pressed => Feedback::Again,
        SurveyState::Rated
            if resolved && !survey.commented && survey.rated_at.is_some_and(|at| now - at <= COMMENT_WINDOW_MS) =>
        {
            Feedback::Comment
        }
        _ => return None,
    };
    Some((conversation, survey, feedback))
}

impl Planner<'_> {
    /// Keeps `p`, the customer's `feedback` on the survey of `conversation`, in that
    /// conversation (resolved, it stays so), thanks them, and raises a low rating to the team.
    fn take_feedback(
        &mut self,
        p: &Prepared,
        identity: &KnownIdentity,
        (conversation, survey, feedback): (Latest, SurveyAt, Feedback),
        reply_locale: &str,
    ) -> Ingested {
        let now = self.cx.now;
        let message_id = self.store_inbound(p, identity, Some(conversation.id));
        self.links.insert((p.inbound.channel, p.inbound.external_id.clone()), (message_id, Some(conversation.id)));
        let mut survey_now = survey;
        let thanks = match feedback {
            Feedback::Rating(rating) => {
                self.rows.singles.push(Single::Survey(SurveyWrite::Rated { survey_id: survey.id, rating, at: now }));
                let rated = Detail { detail: Some(rating.to_string()), ..Default::default() };
                self.record(conversation.id, Happened::Rated, rated);
                survey_now.state = SurveyState::Rated;
                survey_now.rated_at = Some(now);
                if rating <= LOW_RATING {
                    let body = self.cx.localizer.text("", "csat-low-note", &[("rating", &rating.to_string())]);
                    self.system_note(conversation.id, identity.contact_id, body);
                }
                Some("csat-thanks")
            }
            Feedback::Comment => {
                let comment = p.inbound.body.trim().to_owned();
                self.rows.singles.push(Single::Survey(SurveyWrite::Commented {
                    survey_id: survey.id,
                    comment,
                    at: now,
                }));
                survey_now.commented = true;
                Some("csat-comment-thanks")
            }
            Feedback::Again => None,
        };
        self.latest.insert(identity.contact_id, Some(Latest { survey: Some(survey_now), ..conversation }));
        self.effects.events.push(Event::ConversationChanged { conversation_id: conversation.id });
        if let Some(key) = thanks
            && self.may_answer_automatically(p, identity.id)
        {
            let target = ReplyTarget::answering(&p.inbound, identity, Some(conversation.id));
            let body = self.cx.localizer.text(reply_locale, key, &[]);
            self.queue_reply(&target, Author::System, None, body, Enclosures::default());
        }
        Ingested {
            message_id,
            conversation_id: Some(conversation.id),
            duplicate: false,
            opened: Opened::Existing,
            findings: p.findings.clone(),
            entities: p.entities.clone(),
        }
    }

    /// What a customer's message does to a survey before it finds its conversation: answers it
    /// (kept, and the answer returned), or cancels one still due (`conversations`: the
    /// customer's latest and the one the message would join).
    pub(super) fn survey_first(
        &mut self,
        p: &Prepared,
        identity: &KnownIdentity,
        [latest, candidate]: [Option<Latest>; 2],
        reply_locale: &str,
    ) -> Option<Ingested> {
        if let Some(answer) = feedback(p, candidate, self.cx.now) {
            return Some(self.take_feedback(p, identity, answer, reply_locale));
        }
        if p.command.is_none() && !p.inbound.automated {
            self.cancel_due_survey(latest);
            if candidate.map(|c| c.id) != latest.map(|l| l.id) {
                self.cancel_due_survey(candidate);
            }
        }
        None
    }

    /// The customer wrote before their survey was asked: it is not asked.
    fn cancel_due_survey(&mut self, conversation: Option<Latest>) {
        let Some(conversation) = conversation else { return };
        let Some(survey) = conversation.survey.filter(|s| s.state == SurveyState::Due) else { return };
        self.rows.singles.push(Single::Survey(SurveyWrite::CancelDue { conversation_id: conversation.id }));
        let cancelled = SurveyAt { state: SurveyState::Cancelled, ..survey };
        for latest in self.latest.values_mut().flatten().filter(|l| l.id == conversation.id) {
            latest.survey = Some(cancelled);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Inbound;

    fn inbound(body: &str, choice: Option<&str>) -> Inbound {
        Inbound {
            channel: ChannelKind::Telegram,
            external_id: "1:1".into(),
            chat: "1".into(),
            thread: None,
            sender: crate::ingest::Sender { external_id: "1".into(), display_name: String::new(), lang_hint: None },
            body: body.into(),
            attachments: Vec::new(),
            too_large: Default::default(),
            threading: Default::default(),
            automated: false,
            choice: choice.map(str::to_owned),
        }
    }

    #[test]
    fn a_rating_is_the_pressed_buttons_id_or_a_number_or_stars_typed_alone() {
        assert_eq!(rating_of(&inbound("★★★★", Some("csat:4")), false), Some(4));
        assert_eq!(rating_of(&inbound("anything", Some("csat:9")), true), None);
        assert_eq!(rating_of(&inbound("bot:solved", Some("bot:solved")), true), None);
        assert_eq!(rating_of(&inbound(" 5 ", None), true), Some(5));
        assert_eq!(rating_of(&inbound("⭐️⭐️", None), true), Some(2));
        assert_eq!(rating_of(&inbound("★ ★ ★", None), true), Some(3));
        assert_eq!(rating_of(&inbound("5", None), false), None, "typed only counts on a resolved conversation");
        assert_eq!(rating_of(&inbound("0", None), true), None);
        assert_eq!(rating_of(&inbound("5 stars, thanks", None), true), None);
    }
}
