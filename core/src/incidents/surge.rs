//! Surge detection, pure: the questions customers asked over the last day in, the topics that
//! many more distinct customers asked about within the window than usual out. A topic is the
//! bot's (the article a question reached) or, for questions it reached none for, a cluster of
//! similar questions (`crate::gaps`' content words). Requesters are counted, not messages: one
//! customer writing fifty times is one.

use crate::gaps::{JOIN_AT, jaccard, words};
use crate::model::{ContactId, Millis};
use std::collections::{BTreeMap, BTreeSet};

/// One question a customer asked.
#[derive(Debug, Clone)]
pub struct Asked {
    pub contact_id: ContactId,
    pub at: Millis,
    pub text: String,
    /// The bot's topic it reached, with that article's title.
    pub topic: Option<(String, String)>,
}

/// When a topic is a surge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub window_ms: Millis,
    /// At least this many distinct customers within the window …
    pub min_requesters: usize,
    /// … and this many times the topic's usual count per window over the rest of the day.
    pub factor: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { window_ms: 15 * 60_000, min_requesters: 5, factor: 3.0 }
    }
}

/// A topic asked about by many more customers than usual.
#[derive(Debug, Clone, PartialEq)]
pub struct Surge {
    /// Stable for the topic: the article's topic, or the cluster's defining words.
    pub topic: String,
    pub title: String,
    /// The words its questions share most: what the incident's keywords start from.
    pub keywords: Vec<String>,
    /// Up to five questions, one per customer, the first asked first.
    pub examples: Vec<String>,
    pub requesters: usize,
    /// The topic's usual distinct customers per window.
    pub usual: f64,
}

const EXAMPLES: usize = 5;
const KEYWORDS: usize = 3;

struct Group<'a> {
    topic: String,
    title: Option<String>,
    /// A cluster's defining words (those of its first questions).
    words: BTreeSet<String>,
    members: Vec<(&'a Asked, BTreeSet<String>)>,
}

/// The surges among `asked` (any order) at `now`, the largest first.
pub fn detect(asked: &[Asked], now: Millis, thresholds: Thresholds) -> Vec<Surge> {
    let start = now - thresholds.window_ms;
    let mut recent: Vec<&Asked> = asked.iter().filter(|a| a.at >= start && a.at <= now).collect();
    recent.sort_by_key(|a| a.at);
    let earlier: Vec<(&Asked, BTreeSet<String>)> =
        asked.iter().filter(|a| a.at < start).map(|a| (a, words(&a.text))).collect();
    // The day before the window, in windows (at least one, so a fresh install has a baseline of 0).
    let span = earlier.iter().map(|(a, _)| start - a.at).max().unwrap_or(0);
    let windows = (span as f64 / thresholds.window_ms as f64).ceil().max(1.0);
    let mut surges: Vec<Surge> = group(&recent)
        .into_iter()
        .filter_map(|g| {
            let requesters = distinct(g.members.iter().map(|(a, _)| a));
            if requesters < thresholds.min_requesters {
                return None;
            }
            let before = distinct(earlier.iter().filter(|(a, w)| belongs(&g, a, w)).map(|(a, _)| a));
            let usual = before as f64 / windows;
            (requesters as f64 >= thresholds.factor * usual).then(|| surge(g, requesters, usual))
        })
        .collect();
    surges.sort_by_key(|s| std::cmp::Reverse(s.requesters));
    surges
}

fn distinct<'a>(asked: impl Iterator<Item = &'a &'a Asked>) -> usize {
    asked.map(|a| a.contact_id).collect::<BTreeSet<_>>().len()
}

/// Whether an earlier question is of group `g`'s topic.
fn belongs(g: &Group, asked: &Asked, own: &BTreeSet<String>) -> bool {
    match (&g.title, &asked.topic) {
        (Some(_), Some((topic, _))) => *topic == g.topic,
        (Some(_), None) => false,
        (None, _) => jaccard(own, &g.words) >= JOIN_AT,
    }
}

/// The window's questions grouped: by the bot's topic, else into clusters of similar words.
fn group<'a>(recent: &[&'a Asked]) -> Vec<Group<'a>> {
    let mut groups: Vec<Group> = Vec::new();
    for &asked in recent {
        let own = words(&asked.text);
        if let Some((topic, title)) = &asked.topic {
            match groups.iter_mut().find(|g| g.title.is_some() && g.topic == *topic) {
                Some(g) => g.members.push((asked, own)),
                None => groups.push(Group {
                    topic: topic.clone(),
                    title: Some(title.clone()),
                    words: BTreeSet::new(),
                    members: vec![(asked, own)],
                }),
            }
            continue;
        }
        if own.is_empty() {
            continue;
        }
        let best = groups
            .iter_mut()
            .filter(|g| g.title.is_none())
            .map(|g| (jaccard(&own, &g.words), g))
            .filter(|(similarity, _)| *similarity >= JOIN_AT)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        match best {
            Some((_, g)) => {
                // The first few questions define the cluster; later ones do not drift it.
                if g.members.len() < 3 {
                    g.words.extend(own.iter().cloned());
                }
                g.members.push((asked, own));
            }
            None => groups.push(Group {
                topic: String::new(),
                title: None,
                words: own.clone(),
                members: vec![(asked, own)],
            }),
        }
    }
    groups
}

fn surge(g: Group, requesters: usize, usual: f64) -> Surge {
    let mut counts: BTreeMap<&String, BTreeSet<ContactId>> = BTreeMap::new();
    for (asked, own) in &g.members {
        for word in own {
            counts.entry(word).or_default().insert(asked.contact_id);
        }
    }
    let mut ranked: Vec<(&String, usize)> = counts.into_iter().map(|(w, who)| (w, who.len())).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let keywords: Vec<String> = ranked.iter().take(KEYWORDS).map(|(w, _)| (*w).clone()).collect();
    let mut seen = BTreeSet::new();
    let examples = g
        .members
        .iter()
        .filter(|(a, _)| seen.insert(a.contact_id))
        .take(EXAMPLES)
        .map(|(a, _)| a.text.trim().chars().take(300).collect())
        .collect();
    let topic = match g.title {
        Some(_) => format!("article:{}", g.topic),
        None => format!("words:{}", g.words.iter().take(8).cloned().collect::<Vec<_>>().join(" ")),
    };
    let title = g.title.unwrap_or_else(|| keywords.join(" "));
    Surge { topic, title, keywords, examples, requesters, usual }
}
