//! Complaints: a customer's `/complaint` (or the bot hearing them upset or speaking of legal
//! steps) opens one on the conversation; agents move it through its stages — received →
//! investigating → resolution proposed → closed — with an owner and a due date; each stage is
//! told to the customer in their language, and `/status` shows it. At most one is open per
//! conversation. The vocabulary and its pure rules; the rows are written with the conversation's
//! update (`ConversationUpdate::complaint`), in the same commit as the customer's notice.

use crate::error::{CoreError, Result};
use crate::l10n::Localizer;
use crate::model::{AgentId, Millis};
use serde::Serialize;

crate::model::string_enum!(
    /// A complaint's stage, in order.
    ComplaintStage {
        Received = "received",
        Investigating = "investigating",
        Proposed = "resolution_proposed",
        Closed = "closed"
    }
);

crate::model::string_enum!(
    /// What opened a complaint.
    ComplaintSource { Command = "command", Detected = "detected", Agent = "agent" }
);

/// A complaint as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Complaint {
    pub id: i64,
    pub conversation_id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "investigating"))]
    pub stage: ComplaintStage,
    pub owner_id: Option<AgentId>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "command"))]
    pub source: ComplaintSource,
    pub opened_at: String,
    pub due_at: String,
    pub closed_at: Option<String>,
    /// Past its due date and not closed.
    pub overdue: bool,
}

/// What a conversation's update does to its complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComplaintStep {
    /// Opens one, due `due_in` ms from now (nothing when one is open already).
    Open { source: ComplaintSource, due_in: Millis },
    /// Changes the open one (`None` leaves a field as it is; `owner: Some(None)` clears it).
    Change { stage: Option<ComplaintStage>, owner: Option<Option<AgentId>>, due_at: Option<Millis> },
}

/// Whether a complaint at `from` may move to `to`: forward or back while open (an agent may
/// correct a step), never out of `closed`, never to the same stage.
pub fn may_move(from: ComplaintStage, to: ComplaintStage) -> Result<()> {
    if from == ComplaintStage::Closed {
        return Err(CoreError::Invalid("the complaint is closed; the customer can open a new one".into()));
    }
    if from == to {
        return Err(CoreError::Invalid(format!("stage: the complaint is {} already", to.as_str())));
    }
    Ok(())
}

/// What the customer is told when their complaint reaches `stage`, for ticket `reference`, due
/// `due` (already in words).
pub fn told(localizer: &Localizer, locale: &str, stage: ComplaintStage, reference: &str, due: &str) -> String {
    let stage_words = localizer.text(locale, &format!("complaint-stage-{}", stage.as_str().replace('_', "-")), &[]);
    let key = format!("complaint-{}", stage.as_str().replace('_', "-"));
    localizer.text(locale, &key, &[("reference", reference), ("stage", &stage_words), ("due", due)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complaint_moves_while_open_and_never_out_of_closed() {
        use ComplaintStage::*;
        assert!(may_move(Received, Investigating).is_ok());
        assert!(may_move(Proposed, Investigating).is_ok(), "the customer did not accept the proposal");
        assert!(may_move(Investigating, Investigating).is_err());
        assert!(may_move(Closed, Received).unwrap_err().to_string().contains("closed"));
    }

    #[test]
    fn every_stage_is_told_in_every_locale_with_its_reference() {
        let l10n = Localizer::embedded();
        for locale in l10n.available() {
            for stage in ComplaintStage::ALL {
                let text = told(&l10n, locale, *stage, "#1042", "2026-12-11");
                assert!(text.contains("#1042"), "{locale} {stage}: {text}");
                assert!(!text.contains("complaint-"), "{locale} {stage}: a key, not words: {text}");
            }
        }
    }
}
