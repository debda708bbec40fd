//! Automation rules, pure: when (an event, or a conversation idle for a while) + conditions
//! (channel, language, category, tags, priority, team, contact attributes, text) → actions.

use super::route::takes_language;
use crate::model::{AgentId, ChannelKind, Priority, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// When a rule is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A customer's message arrived.
    #[serde(alias = "message_created")]
    MessageReceived,
    /// A conversation was opened or reopened.
    #[serde(alias = "conversation_created")]
    ConversationOpened,
    /// It went to people (before the teams' routing: a rule's team wins).
    #[serde(alias = "conversation_handed_off")]
    HandedOff,
    #[serde(alias = "conversation_resolved")]
    Resolved,
    SlaWarning,
    SlaBreach,
    /// Open with no message for `idle_for`.
    Idle,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::MessageReceived => "message_received",
            Trigger::ConversationOpened => "conversation_opened",
            Trigger::HandedOff => "handed_off",
            Trigger::Resolved => "resolved",
            Trigger::SlaWarning => "sla_warning",
            Trigger::SlaBreach => "sla_breach",
            Trigger::Idle => "idle",
        }
    }

    /// The trigger a ledger event fires, if any.
    pub fn of_ledger(kind: &str) -> Option<Trigger> {
        Some(match kind {
            "customer_message" => Trigger::MessageReceived,
            "opened" | "reopened" => Trigger::ConversationOpened,
            "handed_off" => Trigger::HandedOff,
            "resolved" => Trigger::Resolved,
            "sla_warning" => Trigger::SlaWarning,
            "sla_breach" => Trigger::SlaBreach,
            _ => return None,
        })
    }
}

/// What a condition looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Channel,
    /// The customer's language (`zh` matches every Chinese locale).
    #[serde(alias = "locale")]
    Language,
    /// The bot's category.
    Category,
    #[serde(alias = "tags", alias = "label")]
    Tag,
    Priority,
    /// A team's id.
    #[serde(alias = "team_id")]
    Team,
    /// A contact attribute: `name` says which.
    Attribute,
    /// The customer's latest message.
    #[serde(alias = "content", alias = "message")]
    Text,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    /// Equal to one of the values (case aside).
    #[default]
    #[serde(alias = "equal_to", alias = "equals")]
    Is,
    #[serde(alias = "not_equal_to", alias = "not_equals")]
    IsNot,
    /// Contains one of the values (words in a text, a tag among the tags).
    Contains,
    #[serde(alias = "does_not_contain")]
    NotContains,
}

/// One condition: `field` `operator` one of `values`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Condition {
    #[serde(alias = "attribute_key")]
    pub field: Field,
    #[serde(default, alias = "filter_operator")]
    pub operator: Operator,
    /// One value or several (any of them).
    #[serde(deserialize_with = "one_or_many", alias = "values")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub value: Vec<String>,
    /// For `attribute`: the attribute's name (`VIP`, `KYC level`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A string, a number or a list of them, as strings.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let value = serde_json::Value::deserialize(d)?;
    let values = match &value {
        serde_json::Value::Array(items) => items.iter().map(text).collect::<Option<Vec<_>>>(),
        other => text(other).map(|t| vec![t]),
    };
    values.ok_or_else(|| serde::de::Error::custom("expected a string, a number or a list of them"))
}

/// What a rule does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    AssignTeam {
        team_id: i64,
    },
    AssignAgent {
        agent_id: AgentId,
    },
    SetPriority {
        priority: Priority,
    },
    SetStatus {
        status: Status,
    },
    AddTag {
        tag: String,
    },
    /// A private note in the thread.
    AddNote {
        body: String,
    },
    /// A canned response sent to the customer (in their language where one exists).
    SendCanned {
        canned_id: i64,
    },
    /// A live and browser notification to these agents, the assignee and/or the team's lead.
    Notify {
        #[serde(default)]
        agent_ids: Vec<AgentId>,
        #[serde(default)]
        assignee: bool,
        #[serde(default)]
        lead: bool,
    },
}

/// A rule as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rule {
    #[serde(default)]
    pub id: i64,
    pub name: String,
    #[serde(alias = "event_name")]
    pub event: Trigger,
    /// For `idle`: how long without a message (`"2h"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_for: Option<String>,
    #[serde(default)]
    pub conditions: Vec<Condition>,
    pub actions: Vec<Action>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

impl Rule {
    /// The rule made tidy, or why it cannot run.
    pub fn checked(mut self) -> Result<Rule, String> {
        self.name = self.name.trim().to_owned();
        if self.name.is_empty() || self.name.chars().count() > 100 {
            return Err("name: 1 to 100 characters".into());
        }
        if self.actions.is_empty() || self.actions.len() > 20 || self.conditions.len() > 20 {
            return Err("actions: 1 to 20; conditions: at most 20".into());
        }
        match (self.event, self.idle_ms()) {
            (Trigger::Idle, None) => return Err("idle_for: an idle rule needs a duration like 2h".into()),
            (Trigger::Idle, Some(_)) => {}
            (_, _) => self.idle_for = None,
        }
        for condition in &self.conditions {
            if condition.field == Field::Attribute && condition.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                return Err("conditions: an attribute condition names the attribute (name)".into());
            }
            if condition.value.is_empty() {
                return Err("conditions: each needs a value".into());
            }
        }
        for action in &self.actions {
            match action {
                Action::AddTag { tag } if !crate::store::conversations::valid_tag(tag) => {
                    return Err("add_tag: 1 to 50 characters, without quotes or backslashes".into());
                }
                Action::AddNote { body } if body.trim().is_empty() || body.chars().count() > 5000 => {
                    return Err("add_note: 1 to 5000 characters".into());
                }
                _ => {}
            }
        }
        Ok(self)
    }

    /// `idle_for` in milliseconds.
    pub fn idle_ms(&self) -> Option<i64> {
        let idle = humantime::parse_duration(self.idle_for.as_deref()?.trim()).ok()?;
        (!idle.is_zero()).then_some(idle.as_millis() as i64)
    }
}

/// What the conditions look at, of one conversation.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub channel: Option<ChannelKind>,
    pub locale: Option<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub priority: Option<Priority>,
    pub team_id: Option<i64>,
    pub attributes: BTreeMap<String, String>,
    /// The customer's latest message.
    pub text: String,
}

/// Whether every condition holds.
pub fn matches(conditions: &[Condition], facts: &Facts) -> bool {
    conditions.iter().all(|c| holds(c, facts))
}

fn holds(condition: &Condition, facts: &Facts) -> bool {
    let values = &condition.value;
    let lower = |s: &str| s.trim().to_lowercase();
    // Whether the field equals one of the values, and whether it contains one.
    let (equal, contained) = match condition.field {
        Field::Language => {
            let locale = facts.locale.clone().unwrap_or_default();
            (!locale.is_empty() && values.iter().any(|v| takes_language(v.trim(), &locale)), false)
        }
        Field::Text => {
            let text = facts.text.to_lowercase();
            let contained = values.iter().any(|v| !v.trim().is_empty() && text.contains(&lower(v)));
            // A text "is" a value when it says it: the same as containing it.
            (contained, contained)
        }
        field => {
            let found: Vec<String> = match field {
                Field::Channel => facts.channel.map(|c| c.as_str().to_owned()).into_iter().collect(),
                Field::Category => facts.category.clone().into_iter().collect(),
                Field::Tag => facts.tags.clone(),
                Field::Priority => facts.priority.map(|p| p.as_str().to_owned()).into_iter().collect(),
                Field::Team => facts.team_id.map(|t| t.to_string()).into_iter().collect(),
                Field::Attribute => {
                    let name = lower(condition.name.as_deref().unwrap_or_default());
                    facts.attributes.iter().filter(|(k, _)| lower(k) == name).map(|(_, v)| v.clone()).collect()
                }
                Field::Language | Field::Text => Vec::new(),
            };
            let equal = found.iter().any(|f| values.iter().any(|v| lower(f) == lower(v)));
            let contained = found.iter().any(|f| values.iter().any(|v| lower(f).contains(&lower(v))));
            (equal, contained)
        }
    };
    match condition.operator {
        Operator::Is => equal,
        Operator::IsNot => !equal,
        Operator::Contains => contained || equal,
        Operator::NotContains => !(contained || equal),
    }
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
