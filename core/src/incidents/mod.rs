//! Incidents: a network stall, a paused withdrawal, a phishing wave — told openly. An incident
//! is suggested by a surge (`surge`) or opened by an admin; while open, the bot answers the
//! questions its keywords match with its public message and links those conversations; every
//! change customers are told of (`tell`) reaches each linked customer once, through the outbox,
//! and resolving it resolves them. This file is the vocabulary and its pure rules.

pub mod surge;
mod tell;
pub use tell::{Notice, text as notice};
pub mod watch;

use crate::error::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

crate::model::string_enum!(
    /// Where an incident stands. Only `investigating` and `monitoring` are answered by the bot.
    IncidentStatus {
        Suggested = "suggested",
        Investigating = "investigating",
        Monitoring = "monitoring",
        Resolved = "resolved"
    }
);

impl IncidentStatus {
    /// Customers are told of it and the bot answers with it.
    pub fn is_public(self) -> bool {
        matches!(self, IncidentStatus::Investigating | IncidentStatus::Monitoring)
    }
}

/// An incident as stored and read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Incident {
    pub id: i64,
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "investigating"))]
    pub status: IncidentStatus,
    /// Words and phrases a customer's question must contain to be about it.
    pub keywords: Vec<String>,
    /// The public message per locale (`en-US`, `zh-CN`, …).
    pub message: BTreeMap<String, String>,
    /// For a suggestion: the questions that made the surge, the first asked first.
    pub examples: Vec<String>,
    /// For a suggestion: how many distinct customers asked within the window.
    pub requesters: i64,
    /// Raised by every change customers are told of.
    pub version: i64,
    pub conversation_ids: Vec<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub resolved_at: Option<String>,
}

/// An incident as created, or changed (`None` leaves a field as it is).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IncidentChange {
    pub title: Option<String>,
    pub status: Option<IncidentStatus>,
    pub keywords: Option<Vec<String>>,
    pub message: Option<BTreeMap<String, String>>,
}

/// Limits of what an admin writes.
const MAX_TITLE: usize = 200;
const MAX_KEYWORDS: usize = 50;
const MAX_KEYWORD: usize = 100;
const MAX_MESSAGE: usize = 4_000;

impl IncidentChange {
    /// The change made tidy (trimmed, blanks and repeats dropped), or why it cannot be taken.
    pub fn checked(mut self) -> Result<IncidentChange> {
        let invalid = |what: String| Err(CoreError::Invalid(what));
        if let Some(title) = &mut self.title {
            *title = title.trim().to_owned();
            if title.is_empty() || title.chars().count() > MAX_TITLE {
                return invalid(format!("title: 1 to {MAX_TITLE} characters"));
            }
        }
        if let Some(keywords) = &mut self.keywords {
            let mut tidy: Vec<String> = Vec::new();
            for keyword in keywords.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
                if keyword.chars().count() > MAX_KEYWORD {
                    return invalid(format!("keywords: each at most {MAX_KEYWORD} characters"));
                }
                if !tidy.iter().any(|t| t.to_lowercase() == keyword.to_lowercase()) {
                    tidy.push(keyword.to_owned());
                }
            }
            if tidy.len() > MAX_KEYWORDS {
                return invalid(format!("keywords: at most {MAX_KEYWORDS}"));
            }
            *keywords = tidy;
        }
        if let Some(message) = &mut self.message {
            let mut tidy = BTreeMap::new();
            for (locale, text) in std::mem::take(message) {
                if !is_locale_tag(&locale) {
                    return invalid(format!("message: {locale:?} is not a language tag such as en-US"));
                }
                if text.chars().count() > MAX_MESSAGE {
                    return invalid(format!("message: at most {MAX_MESSAGE} characters per language"));
                }
                let text = crate::storable::clean(text.trim()).into_owned();
                if !text.is_empty() {
                    tidy.insert(locale, text);
                }
            }
            *message = tidy;
        }
        Ok(self)
    }
}

/// `en`, `en-US`, `zh-Hant-TW`: letters, then parts of letters and digits.
fn is_locale_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

impl Incident {
    /// Whether `text` is about this incident: it holds one of the keywords — for words written
    /// with spaces, each of the keyword's words in any order, as a word or with a short ending
    /// ("withdrawal delay" finds "my withdrawals are delayed"); Chinese, Japanese or Korean
    /// anywhere.
    pub fn matches(&self, text: &str) -> bool {
        let text = text.to_lowercase();
        self.keywords.iter().any(|keyword| contains_keyword(&text, &keyword.to_lowercase()))
    }

    /// The public message in `locale`: that locale's, else its language's, else English's, else
    /// any; `None` when the incident has none.
    pub fn message_for(&self, locale: &str) -> Option<&str> {
        let language = |tag: &str| tag.split('-').next().unwrap_or_default().to_ascii_lowercase();
        let wanted = language(locale);
        self.message
            .get(locale)
            .or_else(|| self.message.iter().find(|(l, _)| language(l) == wanted).map(|(_, m)| m))
            .or_else(|| self.message.get("en-US"))
            .or_else(|| self.message.iter().find(|(l, _)| language(l) == "en").map(|(_, m)| m))
            .or_else(|| self.message.values().next())
            .map(String::as_str)
    }
}

fn is_wide(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}')
}

/// `keyword` (lower case) in `text` (lower case).
fn contains_keyword(text: &str, keyword: &str) -> bool {
    if keyword.trim().is_empty() {
        return false;
    }
    if keyword.chars().any(is_wide) {
        return text.contains(keyword);
    }
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    keyword
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|wanted| words.iter().any(|word| same_word(word, wanted)))
}

/// `word` is `wanted`, or it with a short ending (`delay` → `delayed`, `withdrawal` →
/// `withdrawals`); a word of one or two letters only as itself.
fn same_word(word: &str, wanted: &str) -> bool {
    word == wanted
        || (wanted.chars().count() > 2
            && word.starts_with(wanted)
            && word.chars().count() - wanted.chars().count() <= 3)
}

#[cfg(test)]
mod tests;
