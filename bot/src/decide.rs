//! What the bot does with a customer's message. Rules that always win come first (a person
//! asked for, anger or legal threats, a question about one account or transaction the bot
//! cannot see, a pasted secret); then retrieval: answer when sure, offer the best two or three
//! articles when nearly sure, hand off otherwise. In crypto support a wrong confident answer
//! costs money, so the thresholds favour precision (BENCHMARKS.md).

use crate::index::Knowledge;
use serde::Serialize;

/// At or above: answer with the top article. The confidence is a measured probability
/// (`confidence`); at 0.80 the small knowledge base's development questions are answered right
/// 99% of the time, and it lies just below Banking77's strict point on its train split (0.82),
/// BENCHMARKS.md.
pub const ANSWER_AT: f32 = 0.80;
/// At or above (and below `ANSWER_AT`): offer the best articles as choices.
pub const OFFER_AT: f32 = 0.50;
const OFFERED: usize = 3;
/// At or above (or at the offer threshold, if lower): a topic kept for people is recognised as
/// such. Routing it costs nothing — the message goes to people either way — and gives the
/// agent the topic's guidance, so a fair chance is enough.
pub const ROUTE_AT: f32 = 0.30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The customer asked for a person.
    Asked,
    /// Anger, a complaint or a legal threat.
    Upset,
    /// About one account or transaction, which only staff can look up.
    Account,
    /// The message carried a recovery phrase or key.
    Secret,
    /// Nothing in the knowledge base fits well enough.
    NotSure,
    /// A knowledge-base topic that always goes to a person.
    Topic,
    /// A scam in progress: warned at once, then people take over.
    Scam,
    /// A transaction the chain lookup could not settle: failed, not found, on another network,
    /// final but not credited, or the chains could not be asked.
    Transaction,
    /// The customer's account or wallet was broken into: the priority lane.
    Compromised,
}

impl Reason {
    /// The reason as the conversation keeps it.
    pub fn handoff_reason(self) -> switchboard_core::model::HandoffReason {
        use switchboard_core::model::HandoffReason;
        match self {
            Reason::Asked => HandoffReason::Asked,
            Reason::Upset => HandoffReason::Upset,
            Reason::Account => HandoffReason::Account,
            Reason::Secret => HandoffReason::Secret,
            Reason::NotSure => HandoffReason::NotSure,
            Reason::Topic => HandoffReason::Topic,
            Reason::Scam => HandoffReason::Scam,
            Reason::Transaction => HandoffReason::Transaction,
            Reason::Compromised => HandoffReason::Compromised,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Asked => "asked",
            Reason::Upset => "upset",
            Reason::Account => "account",
            Reason::Secret => "secret",
            Reason::NotSure => "not_sure",
            Reason::Topic => "topic",
            Reason::Scam => "scam",
            Reason::Transaction => "transaction",
            Reason::Compromised => "compromised",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Answer with this article (index into the knowledge base).
    Answer(usize),
    /// Offer these articles as choices.
    Offer(Vec<usize>),
    Handoff(Reason),
    /// Hand off: the message is about this article's topic, which goes to a person
    /// (`Reason::Topic`; the article guides the agent).
    Route(usize),
    /// Warn the customer at once — with the knowledge base's scam-warning article (tag
    /// `scam-warning`) in their language when it has one, else the built-in warning — and, for a
    /// scam in progress (`report`), hand the conversation to people at high priority.
    Warn {
        article: Option<usize>,
        report: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub action: Action,
    pub score: f32,
    /// The language answered in (the customer's, or the article's when only another
    /// language has it: `cross_lingual`).
    pub lang: String,
    pub cross_lingual: bool,
}

/// Whether `text` says the customer's account or wallet was broken into.
pub fn compromised(text: &str) -> bool {
    let lower = text.to_lowercase();
    crate::cues::any(&lower, |c| c.compromised)
}

/// Where the decision switches from handing off to offering to answering.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub answer: f32,
    pub offer: f32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { answer: ANSWER_AT, offer: OFFER_AT }
    }
}

/// Decides for one message in language `lang` (a locale such as `zh-CN`).
pub fn decide(kb: &Knowledge, text: &str, lang: &str) -> Decision {
    decide_with(kb, text, lang, Thresholds::default())
}

/// The same with other thresholds.
pub fn decide_with(kb: &Knowledge, text: &str, lang: &str, thresholds: Thresholds) -> Decision {
    choose(kb, &read_in(kb, text, Some(lang)), lang, thresholds)
}

/// What the bot makes of a message before any threshold applies: a rule that wins, or the
/// articles ranked with their confidence. (The benchmark reads each question once and
/// chooses at many thresholds.)
#[derive(Debug, Clone)]
pub enum Reading {
    Rule(Reason),
    Scam(crate::scam::Scam),
    Ranked(Vec<crate::index::Hit>),
}

pub fn read(kb: &Knowledge, text: &str) -> Reading {
    read_in(kb, text, None)
}

/// `read` for a customer whose locale is `locale` (the language a short question is read in).
pub fn read_in(kb: &Knowledge, text: &str, locale: Option<&str>) -> Reading {
    let lower = text.to_lowercase();
    let scan = switchboard_core::safety::scan(text);
    if !scan.findings.is_empty() {
        return Reading::Rule(Reason::Secret);
    }
    // Before the other rules: a scam report often speaks of scammers (upset) or of a transaction.
    if let Some(scam) = crate::scam::read(text) {
        return Reading::Scam(scam);
    }
    if crate::cues::any(&lower, |c| c.person) {
        return Reading::Rule(Reason::Asked);
    }
    if crate::cues::any(&lower, |c| c.upset) {
        return Reading::Rule(Reason::Upset);
    }
    if !scan.entities.is_empty() || crate::cues::any(&lower, |c| c.account) {
        return Reading::Rule(Reason::Account);
    }
    Reading::Ranked(kb.search_in(text, locale))
}

/// The decision for a reading, in language `lang`, at `thresholds`.
pub fn choose(kb: &Knowledge, reading: &Reading, lang: &str, thresholds: Thresholds) -> Decision {
    let language = crate::article::language_of(lang);
    let handoff =
        |reason| Decision { action: Action::Handoff(reason), score: 0.0, lang: lang.to_owned(), cross_lingual: false };
    let hits = match reading {
        Reading::Rule(reason) => return handoff(*reason),
        Reading::Scam(scam) => {
            let report = *scam == crate::scam::Scam::Report;
            let article = scam_warning(kb, lang, &language);
            let lang = article.map_or_else(|| lang.to_owned(), |a| kb.articles[a].locale.clone());
            return Decision { action: Action::Warn { article, report }, score: 1.0, lang, cross_lingual: false };
        }
        Reading::Ranked(hits) => hits,
    };
    let Some(best) = hits.first() else {
        return handoff(Reason::NotSure);
    };
    // The customer's locale when the topic has it there (zh-TW in Traditional script), else
    // their language in another region or script, else the article found, marked.
    let localize = |i: usize| -> (usize, bool) {
        let article = &kb.articles[i];
        let same_topic = |a: &&crate::article::Article| a.topic == article.topic;
        if article.locale.eq_ignore_ascii_case(lang) {
            return (i, false);
        }
        if let Some(j) = kb.articles.iter().position(|a| same_topic(&a) && a.locale.eq_ignore_ascii_case(lang)) {
            return (j, false);
        }
        if article.language() == language {
            return (i, false);
        }
        match kb.articles.iter().position(|a| same_topic(&a) && a.language() == language) {
            Some(j) => (j, false),
            None => (i, true),
        }
    };
    let score = best.score;
    // A topic kept for people is recognised even when the bot is only fairly sure: handing it
    // off is the safe side either way, and the agent gets the guidance.
    if kb.articles[best.article].handoff && score >= thresholds.offer.min(ROUTE_AT) {
        return Decision { action: Action::Route(best.article), score, lang: lang.to_owned(), cross_lingual: false };
    }
    if score >= thresholds.answer {
        let (article, cross_lingual) = localize(best.article);
        let lang = if cross_lingual { kb.articles[article].locale.clone() } else { lang.to_owned() };
        return Decision { action: Action::Answer(article), score, lang, cross_lingual };
    }
    if score >= thresholds.offer {
        let mut offered: Vec<usize> = Vec::new();
        for hit in hits.iter().filter(|h| h.score >= thresholds.offer && !kb.articles[h.article].handoff) {
            let (article, _) = localize(hit.article);
            if !offered.iter().any(|&o| kb.articles[o].topic == kb.articles[article].topic) {
                offered.push(article);
            }
            if offered.len() == OFFERED {
                break;
            }
        }
        if !offered.is_empty() {
            return Decision { action: Action::Offer(offered), score, lang: lang.to_owned(), cross_lingual: false };
        }
    }
    Decision { score, ..handoff(Reason::NotSure) }
}

/// Whether `phrase` occurs in `text` as words (Latin) or anywhere (Chinese).
/// The knowledge base's scam warning (tag `scam-warning`), in `language` when it has it there.
fn scam_warning(kb: &Knowledge, locale: &str, language: &str) -> Option<usize> {
    let warnings = || kb.articles.iter().enumerate().filter(|(_, a)| a.tags.iter().any(|t| t == "scam-warning"));
    warnings()
        .find(|(_, a)| a.locale.eq_ignore_ascii_case(locale))
        .or_else(|| warnings().find(|(_, a)| a.language() == language))
        .or_else(|| warnings().next())
        .map(|(i, _)| i)
}
