//! The small-knowledge-base benchmark, shared by `benches/bot.rs` (the report) and
//! `tests/small_kb.rs` (its floors): a knowledge base as a new operator writes one
//! (`small-kb/articles`: 33 topics in en-US and zh-CN, three example questions each) asked
//! questions written apart from it (`small-kb/questions.txt`), split into a development part
//! (tuning) and a test part (the figures).

// Shared by a benchmark and a test, each of which uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use switchboard_bot::article::{Article, load_dir};
use switchboard_bot::{Action, Knowledge, Reading, Reason, Thresholds, choose, read};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/small-kb")
}

pub fn articles() -> Vec<Article> {
    load_dir(&dir().join("articles")).expect("the small knowledge base")
}

/// What should become of a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// Answered with this topic's article in the customer's language (or, where
    /// `warning_answers`, with the scam warning).
    Topic { topic: String, warning_answers: bool },
    /// Nothing in the knowledge base answers it: not answered.
    OutOfScope,
    /// A scam in progress: warned at once, and handed to people.
    Scam,
    /// A person asked for, a legal threat, one account or transaction, a topic kept for people.
    Handoff,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub locale: &'static str,
    pub text: String,
    pub expect: Expect,
    /// In the development split (tuning), else the test split.
    pub dev: bool,
}

/// The questions, in file order.
pub fn questions() -> Vec<Question> {
    let text = std::fs::read_to_string(dir().join("questions.txt")).expect("the questions");
    let mut out = Vec::new();
    let mut expect: Option<Expect> = None;
    let mut seen = [0usize; 2];
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let (name, note) = header.split_once('|').map_or((header, ""), |(n, r)| (n.trim(), r.trim()));
            expect = Some(match name {
                "out-of-scope" => Expect::OutOfScope,
                "scam" => Expect::Scam,
                "handoff" => Expect::Handoff,
                topic => Expect::Topic { topic: topic.to_owned(), warning_answers: note == "the warning answers" },
            });
            seen = [0, 0];
            continue;
        }
        let (language, text) = line.split_once(':').expect("`en:` or `zh:` before each question");
        let (locale, n) = match language {
            "en" => ("en-US", &mut seen[0]),
            "zh" => ("zh-CN", &mut seen[1]),
            other => panic!("unknown language {other}"),
        };
        *n += 1;
        out.push(Question {
            locale,
            text: text.trim().to_owned(),
            expect: expect.clone().expect("a [section] before the first question"),
            dev: *n % 4 == 0,
        });
    }
    out
}

/// Each question read once by the bot.
pub fn read_all<'q>(kb: &Knowledge, questions: &'q [Question]) -> Vec<(&'q Question, Reading)> {
    questions.iter().map(|q| (q, read(kb, &q.text))).collect()
}

/// How a set of questions fared at one setting.
#[derive(Debug, Default, Clone, Copy)]
pub struct Figures {
    /// Questions an article answers.
    pub answerable: usize,
    /// Of those: answered (with an article or the warning), answered right, offered choices
    /// (and the right one among them).
    pub answered: usize,
    pub right: usize,
    pub offered: usize,
    pub offered_right: usize,
    pub out_of_scope: usize,
    pub out_of_scope_answered: usize,
    pub scams: usize,
    pub scams_warned: usize,
    pub handoffs: usize,
    pub handed_off: usize,
}

impl Figures {
    pub fn of(kb: &Knowledge, read: &[(&Question, Reading)], dev: bool, thresholds: Thresholds) -> Figures {
        let mut f = Figures::default();
        for (q, reading) in read.iter().filter(|(q, _)| q.dev == dev) {
            let decision = choose(kb, reading, q.locale, thresholds);
            let language = &q.locale[..2];
            match &q.expect {
                Expect::Topic { topic, warning_answers } => {
                    f.answerable += 1;
                    match &decision.action {
                        Action::Answer(i) => {
                            f.answered += 1;
                            let a = &kb.articles[*i];
                            f.right += usize::from(a.topic == *topic && a.language() == language);
                        }
                        Action::Warn { .. } => {
                            f.answered += 1;
                            f.right += usize::from(*warning_answers);
                        }
                        Action::Offer(choices) => {
                            f.offered += 1;
                            f.offered_right += usize::from(choices.iter().any(|&i| kb.articles[i].topic == *topic));
                        }
                        Action::Handoff(_) | Action::Route(_) => {}
                    }
                }
                Expect::OutOfScope => {
                    f.out_of_scope += 1;
                    f.out_of_scope_answered +=
                        usize::from(matches!(decision.action, Action::Answer(_) | Action::Warn { .. }));
                }
                Expect::Scam => {
                    f.scams += 1;
                    f.scams_warned += usize::from(matches!(decision.action, Action::Warn { report: true, .. }));
                }
                Expect::Handoff => {
                    f.handoffs += 1;
                    f.handed_off += usize::from(match decision.action {
                        Action::Handoff(reason) => reason != Reason::NotSure,
                        Action::Route(_) => true,
                        _ => false,
                    });
                }
            }
        }
        f
    }

    pub fn precision(&self) -> f64 {
        pct(self.right, self.answered)
    }
    pub fn coverage(&self) -> f64 {
        pct(self.answered, self.answerable)
    }
    pub fn out_of_scope_not_answered(&self) -> f64 {
        pct(self.out_of_scope - self.out_of_scope_answered, self.out_of_scope)
    }
    pub fn scams_warned(&self) -> f64 {
        pct(self.scams_warned, self.scams)
    }
    pub fn handed_off(&self) -> f64 {
        pct(self.handed_off, self.handoffs)
    }
}

pub fn pct(a: usize, b: usize) -> f64 {
    100.0 * a as f64 / b.max(1) as f64
}
