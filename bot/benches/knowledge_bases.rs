//! The bot on knowledge bases as operators write them: the starter knowledge base shipped in
//! `kb/`, and the small knowledge base of `small-kb` (three examples per article), with the
//! reliability of the confidence.

use crate::small_kb::{self, Expect};
use crate::{pct, thresholds};
use std::fmt::Write as _;
use std::path::Path;
use switchboard_bot::{Action, Knowledge, Reading, Thresholds, read};

/// The first article of a reading, as (its confidence, whether its topic is `expected`); none
/// when a rule decided.
pub fn first(kb: &Knowledge, reading: &Reading, expected: Option<&str>) -> Option<(f32, bool)> {
    let Reading::Ranked(hits) = reading else { return None };
    let top = hits.first()?;
    Some((top.score, Some(kb.articles[top.article].topic.as_str()) == expected))
}

/// What the bot did with a set of questions, each written for one topic.
#[derive(Default)]
struct Outcomes {
    asked: usize,
    right: usize,
    /// Right, and in the customer's own locale's article (not another language's, marked).
    right_in_own_locale: usize,
    wrong: usize,
    offered: usize,
    offered_right: usize,
    warned: usize,
    handed: usize,
}

impl Outcomes {
    fn add(&mut self, kb: &Knowledge, lang: &str, text: &str, topic: &str) {
        self.asked += 1;
        let decision = switchboard_bot::decide(kb, text, lang);
        match decision.action {
            Action::Answer(i) if kb.articles[i].topic == topic => {
                self.right += 1;
                self.right_in_own_locale += usize::from(kb.articles[i].locale == lang);
            }
            Action::Answer(_) => self.wrong += 1,
            Action::Offer(choices) => {
                self.offered += 1;
                self.offered_right += usize::from(choices.iter().any(|&i| kb.articles[i].topic == topic));
            }
            // A scam in progress gets the scam warning at once (and people), whatever article its
            // question was written for.
            Action::Warn { .. } => self.warned += 1,
            Action::Handoff(_) | Action::Route(_) => self.handed += 1,
        }
    }
}

fn starter_kb() -> Knowledge {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    Knowledge::build(switchboard_bot::article::load_dir(&dir.join("../kb")).unwrap())
}

/// `(lang, text, topic)` questions from `benches/<file>`.
fn questions(file: &str) -> Vec<(String, String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches").join(file);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The starter knowledge base as shipped, with the product's thresholds, asked questions
/// written apart from its articles (`starter-questions.json`; never added to them).
pub fn starter(report: &mut String) {
    let kb = starter_kb();
    let mut o = Outcomes::default();
    for (lang, text, topic) in &questions("starter-questions.json") {
        o.add(&kb, lang, text, topic);
    }
    let n = o.asked;
    let _ = writeln!(
        report,
        "\n### The starter knowledge base ({} articles), default thresholds, {n} questions written apart from it (en-US and zh-CN)\n",
        kb.articles.len()
    );
    let _ = writeln!(report, "| outcome | questions |\n|---|---|");
    let _ = writeln!(report, "| answered with the right article | {} ({:.0}%) |", o.right, pct(o.right, n));
    let _ = writeln!(report, "| answered with a wrong article | {} ({:.0}%) |", o.wrong, pct(o.wrong, n));
    let _ = writeln!(
        report,
        "| articles offered as choices (the right one among them) | {} ({}) |",
        o.offered, o.offered_right
    );
    let _ = writeln!(
        report,
        "| warned at once as a scam in progress (then to a person) | {} ({:.0}%) |",
        o.warned,
        pct(o.warned, n)
    );
    let _ = writeln!(report, "| handed to a person | {} ({:.0}%) |", o.handed, pct(o.handed, n));
}

/// The starter knowledge base asked in the eight languages it has no articles in but
/// Traditional Chinese (`starter-questions-languages.json`, written apart from the articles):
/// per language, what was answered right (and how often in the customer's own locale), wrong,
/// offered, warned and handed to people.
pub fn starter_in_languages(report: &mut String) {
    let kb = starter_kb();
    let mut by_lang: Vec<(String, Outcomes)> = Vec::new();
    for (lang, text, topic) in &questions("starter-questions-languages.json") {
        if by_lang.last().is_none_or(|(l, _)| l != lang) {
            by_lang.push((lang.clone(), Outcomes::default()));
        }
        by_lang.last_mut().unwrap().1.add(&kb, lang, text, topic);
    }
    let _ = writeln!(
        report,
        "\n### The starter knowledge base asked in the other customer languages, default thresholds\n"
    );
    let _ = writeln!(
        report,
        "| language | questions | right (in its own locale) | wrong | offered (right among) | warned | handed |\n|---|---|---|---|---|---|---|"
    );
    for (lang, o) in &by_lang {
        let _ = writeln!(
            report,
            "| {lang} | {} | {} ({}) | {} | {} ({}) | {} | {} |",
            o.asked, o.right, o.right_in_own_locale, o.wrong, o.offered, o.offered_right, o.warned, o.handed
        );
    }
}

/// How often the first article is right at each level of confidence: a calibrated confidence
/// is right about as often as it says.
fn reliability(report: &mut String, sets: &[(&str, &[(f32, bool)])]) {
    let _ = writeln!(
        report,
        "\n### Reliability: the first article's confidence against how often it is right (test splits)\n"
    );
    let _ = writeln!(report, "| confidence | {} |", sets.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(" | "));
    let _ = writeln!(report, "|---|{}", "---|".repeat(sets.len()));
    for (low, high) in [(0.0, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 0.95), (0.95, 1.01)] {
        let cells: Vec<String> = sets
            .iter()
            .map(|(_, scores)| {
                let bin: Vec<bool> = scores.iter().filter(|(s, _)| *s >= low && *s < high).map(|(_, r)| *r).collect();
                let right = bin.iter().filter(|r| **r).count();
                format!("{right}/{} = {:.0}%", bin.len(), pct(right, bin.len()))
            })
            .collect();
        let _ = writeln!(report, "| {low:.2}–{:.2} | {} |", high.min(1.0), cells.join(" | "));
    }
}

/// The small knowledge base (`small-kb`): how long it takes to build and read, the reliability
/// of its confidence beside Banking77's (`banking`: the first article's confidence and whether it
/// is right), the answer threshold swept on its development split, then the figures on its test
/// split at the product's thresholds, per language too.
pub fn small(report: &mut String, banking: &[(f32, bool)]) {
    let started = std::time::Instant::now();
    let kb = Knowledge::build(small_kb::articles());
    let built = started.elapsed();
    let questions = small_kb::questions();
    // The time of one reading, as the live bot pays it for each message.
    let mut took: Vec<f64> = Vec::with_capacity(questions.len());
    let read: Vec<(&small_kb::Question, Reading)> = questions
        .iter()
        .map(|q| {
            let started = std::time::Instant::now();
            let reading = read(&kb, &q.text);
            took.push(started.elapsed().as_secs_f64() * 1000.0);
            (q, reading)
        })
        .collect();
    took.sort_by(f64::total_cmp);
    let at = |p: f64| took[((took.len() - 1) as f64 * p) as usize];
    let _ = writeln!(
        report,
        "\nSmall knowledge base built in {:.2} s; one message read in {:.2} ms at the median, {:.2} ms at p95, {:.2} ms at most ({} messages).",
        built.as_secs_f64(),
        at(0.5),
        at(0.95),
        at(1.0),
        took.len()
    );
    let test: Vec<(f32, bool)> = read
        .iter()
        .filter(|(q, _)| !q.dev)
        .filter_map(|(q, reading)| match &q.expect {
            Expect::Topic { topic, .. } => first(&kb, reading, Some(topic)),
            Expect::OutOfScope => first(&kb, reading, None),
            _ => None,
        })
        .collect();
    reliability(
        report,
        &[
            ("Banking77 test (subset and outside intents)", banking),
            ("small knowledge base, test split (paraphrases and out of scope)", &test),
        ],
    );
    let count = |dev: bool| read.iter().filter(|(q, _)| q.dev == dev).count();
    let _ = writeln!(
        report,
        "\n### A small knowledge base: {} articles ({} topics, en-US and zh-CN), three example questions each; {} development and {} test questions written apart\n",
        kb.articles.len(),
        kb.articles.iter().map(|a| a.topic.as_str()).collect::<std::collections::BTreeSet<_>>().len(),
        count(true),
        count(false),
    );
    let _ = writeln!(
        report,
        "Development split (tuning):\n\n| answer threshold | precision | coverage | offered | out of scope not answered |\n|---|---|---|---|---|"
    );
    for step in 10..=19 {
        let answer = step as f32 * 0.05;
        let f = small_kb::Figures::of(&kb, &read, true, thresholds(answer));
        let _ = writeln!(
            report,
            "| {answer:.2} | {}/{} = {:.1}% | {}/{} = {:.1}% | {} | {:.1}% |",
            f.right,
            f.answered,
            f.precision(),
            f.answered,
            f.answerable,
            f.coverage(),
            f.offered,
            f.out_of_scope_not_answered()
        );
    }
    let _ = writeln!(
        report,
        "\nTest split, the product's thresholds (answer at {:.2}, offer at {:.2}):\n",
        switchboard_bot::decide::ANSWER_AT,
        switchboard_bot::decide::OFFER_AT
    );
    let _ = writeln!(report, "| set | all | en-US | zh-CN |\n|---|---|---|---|");
    let by = |locale: Option<&str>| {
        let picked: Vec<(&small_kb::Question, Reading)> =
            read.iter().filter(|(q, _)| locale.is_none_or(|l| q.locale == l)).map(|(q, r)| (*q, r.clone())).collect();
        small_kb::Figures::of(&kb, &picked, false, Thresholds::default())
    };
    let figures = [by(None), by(Some("en-US")), by(Some("zh-CN"))];
    let line = |report: &mut String, label: &str, cell: &dyn Fn(&small_kb::Figures) -> String| {
        let _ = writeln!(report, "| {label} | {} | {} | {} |", cell(&figures[0]), cell(&figures[1]), cell(&figures[2]));
    };
    line(report, "precision of answers", &|f| format!("{}/{} = {:.1}%", f.right, f.answered, f.precision()));
    line(report, "coverage (answered)", &|f| format!("{}/{} = {:.1}%", f.answered, f.answerable, f.coverage()));
    line(report, "offered choices (the right one among them)", &|f| format!("{} ({})", f.offered, f.offered_right));
    line(report, "out of scope: not answered", &|f| {
        format!(
            "{}/{} = {:.1}%",
            f.out_of_scope - f.out_of_scope_answered,
            f.out_of_scope,
            f.out_of_scope_not_answered()
        )
    });
    line(report, "scams in progress: warned at once", &|f| {
        format!("{}/{} = {:.1}%", f.scams_warned, f.scams, f.scams_warned())
    });
    line(report, "must go to people: handed off", &|f| {
        format!("{}/{} = {:.1}%", f.handed_off, f.handoffs, f.handed_off())
    });
}
