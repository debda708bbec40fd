//! The bot benchmark on the evaluation corpora (`SWITCHBOARD_EVAL_DIR`; run:
//! `cargo bench -p switchboard-bot --bench bot`; the report is printed and written to
//! `target/bench-bot.md`).
//!
//! A knowledge base with one article per Banking77 intent of the crypto-wallet subset, whose
//! example questions come from the train split only; 20% of those train questions are held
//! out (with CLINC150's `oos_val`) to choose the answer threshold. The figures are on data the
//! tuning never saw: Banking77's test split (answers inside the subset, handoff for the
//! subset's handoff intents and for the 41 intents outside it), CLINC150's `oos_test`, NLU++'s
//! utterances labelled `handoff`, and the Bitcoin.org FAQ in Chinese.

mod fit;
mod knowledge_bases;
#[path = "small_kb/mod.rs"]
mod small_kb;

use small_kb::pct;

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use switchboard_bot::article::Article;
use switchboard_bot::{Action, Knowledge, Reading, Thresholds, choose, read};

/// The evaluation corpora: `SWITCHBOARD_EVAL_DIR`, else a `shared/eval` folder beside the
/// checkout.
fn eval() -> PathBuf {
    std::env::var_os("SWITCHBOARD_EVAL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/eval"))
}

/// `text,category` rows; text may be quoted with doubled quotes inside.
fn csv(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let (text, category) = line.rsplit_once(',')?;
            let text = text
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .map(|t| t.replace("\"\"", "\""))
                .unwrap_or(text.to_owned());
            Some((text, category.trim().to_owned()))
        })
        .collect()
}

fn article(id: &str, locale: &str, title: &str, questions: Vec<String>, body: &str) -> Article {
    Article {
        id: id.into(),
        topic: id.into(),
        locale: locale.into(),
        title: title.into(),
        tags: Vec::new(),
        questions,
        retired: false,
        handoff: false,
        body: body.into(),
    }
}

#[derive(Clone, Copy)]
struct Outcome {
    answered: bool,
    correct: bool,
    handed_off: bool,
}

fn outcome(kb: &Knowledge, reading: &Reading, expected: Option<&str>, t: Thresholds) -> Outcome {
    let decision = choose(kb, reading, "en-US", t);
    match decision.action {
        Action::Answer(i) => {
            Outcome { answered: true, correct: Some(kb.articles[i].id.as_str()) == expected, handed_off: false }
        }
        Action::Offer(_) => Outcome { answered: false, correct: false, handed_off: false },
        Action::Handoff(_) | Action::Route(_) | Action::Warn { .. } => {
            Outcome { answered: false, correct: false, handed_off: true }
        }
    }
}

fn thresholds(answer: f32) -> Thresholds {
    Thresholds { answer, offer: answer.min(switchboard_bot::decide::OFFER_AT) }
}

/// Questions with the article that answers them (None: nothing may answer them).
type Labelled = Vec<(String, Option<String>)>;
/// The same, each question read once by the bot.
type Read = Vec<(Reading, Option<String>)>;

fn read_all(kb: &Knowledge, set: &Labelled) -> Read {
    set.iter().map(|(q, id)| (read(kb, q), id.clone())).collect()
}

/// How a labelled set fares at one threshold.
#[derive(Default, Clone, Copy)]
struct Tally {
    total: usize,
    answered: usize,
    correct: usize,
    handed_off: usize,
}

impl Tally {
    fn of(kb: &Knowledge, set: &Read, t: Thresholds) -> Tally {
        let mut tally = Tally { total: set.len(), ..Tally::default() };
        for (q, id) in set {
            let o = outcome(kb, q, id.as_deref(), t);
            tally.answered += usize::from(o.answered);
            tally.correct += usize::from(o.correct);
            tally.handed_off += usize::from(o.handed_off);
        }
        tally
    }
    fn precision(&self) -> f64 {
        pct(self.correct, self.answered)
    }
    fn coverage(&self) -> f64 {
        pct(self.answered, self.total)
    }
    fn not_answered(&self) -> f64 {
        pct(self.total - self.answered, self.total)
    }
    /// The share not answered that these questions support with 95% confidence (the Wilson
    /// score interval's lower bound, one-sided), in percent.
    fn not_answered_surely(&self) -> f64 {
        wilson_lower(self.total - self.answered, self.total)
    }
}

fn wilson_lower(successes: usize, total: usize) -> f64 {
    if total == 0 {
        return 0.0;
    }
    let (n, p, z) = (total as f64, successes as f64 / total as f64, 1.645);
    let centre = p + z * z / (2.0 * n);
    let spread = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    100.0 * (centre - spread) / (1.0 + z * z / n)
}

fn main() {
    if !eval().exists() {
        eprintln!("skipped: no evaluation corpora (set SWITCHBOARD_EVAL_DIR)");
        return;
    }
    let mapping: Value = serde_json::from_str(
        &std::fs::read_to_string(eval().join("banking77/crypto_wallet_subset_mapping.json")).unwrap(),
    )
    .unwrap();
    let subset = mapping["mapping"].as_object().unwrap();
    let outside: Vec<String> = mapping["out_of_scope_intents_from_banking77"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let train = csv(&eval().join("banking77/train.csv"));
    let test = csv(&eval().join("banking77/test.csv"));

    // One article per intent of the subset from 80% of its train questions (the intents whose
    // expected action is a handoff become topics kept for people); the other 20% choose the
    // threshold.
    let mut questions: BTreeMap<String, (bool, Vec<String>)> = BTreeMap::new();
    let (mut validation, mut validation_handoff): (Labelled, Labelled) = (Vec::new(), Vec::new());
    let mut train_outside: Labelled = Vec::new();
    for (i, (text, intent)) in train.iter().enumerate() {
        let Some(entry) = subset.get(intent) else {
            if outside.contains(intent) {
                train_outside.push((text.clone(), None));
            }
            continue;
        };
        let id = entry["kb_article"].as_str().unwrap().to_owned();
        let handoff = entry["expected"] != "answer";
        if i % 5 == 0 {
            if handoff { &mut validation_handoff } else { &mut validation }.push((text.clone(), Some(id)));
        } else {
            let article = questions.entry(id).or_default();
            article.0 = handoff;
            article.1.push(text.clone());
        }
    }
    let articles: Vec<Article> = questions
        .into_iter()
        .map(|(id, (handoff, qs))| Article {
            handoff,
            ..article(&id, "en-US", &id.replace(['.', '_'], " "), qs, &format!("The answer about {id}."))
        })
        .collect();
    let started = std::time::Instant::now();
    let kb = Knowledge::build(articles);
    let built = started.elapsed();
    let clinc: Value =
        serde_json::from_str(&std::fs::read_to_string(eval().join("clinc150/data_full.json")).unwrap()).unwrap();
    let clinc_set = |name: &str| -> Labelled {
        clinc[name].as_array().unwrap().iter().map(|e| (e[0].as_str().unwrap().to_owned(), None)).collect()
    };
    let oos_val = read_all(&kb, &clinc_set("oos_val"));
    let (validation, validation_handoff) = (read_all(&kb, &validation), read_all(&kb, &validation_handoff));
    let train_outside = read_all(&kb, &train_outside);
    if std::env::args().any(|a| a == "fit") {
        fit::run(&kb, &[(0.6, &validation), (0.3, &train_outside), (0.3, &oos_val)]);
        return;
    }

    let mut report = String::new();
    let _ = writeln!(
        report,
        "Knowledge base of {} articles and {} example questions indexed and its topic model trained in {:.2} s.\n",
        kb.articles.len(),
        kb.articles.iter().map(|a| a.questions.len()).sum::<usize>(),
        built.as_secs_f64()
    );
    // Tuning on train only. Two operating points: the lowest answer threshold with ≥ 95%
    // precision on the held-out train questions and ≥ 97% of oos_val not answered; and a
    // stricter one that also leaves the train questions of the 41 banking intents outside the
    // subset unanswered at ≥ 97% with 95% confidence: the target is a promise about questions
    // not yet seen, and at exactly 97% on train an unseen set falls short about half the time.
    let _ = writeln!(
        report,
        "### Tuning (train split only: held-out 20% of the subset's questions, the outside intents' train questions, CLINC150 oos_val)\n"
    );
    let _ = writeln!(
        report,
        "| answer threshold | precision | coverage | subset handoff intents handed off | outside intents not answered (95% lower bound) | oos_val not answered |\n|---|---|---|---|---|---|"
    );
    let (mut chosen, mut strict) = (None, None);
    for step in 30..=95 {
        let answer = step as f32 * 0.01;
        let t = thresholds(answer);
        let v = Tally::of(&kb, &validation, t);
        let h = Tally::of(&kb, &validation_handoff, t);
        let o = Tally::of(&kb, &oos_val, t);
        let out = Tally::of(&kb, &train_outside, t);
        if step % 5 == 0 {
            let _ = writeln!(
                report,
                "| {answer:.2} | {:.1}% | {:.1}% | {:.1}% | {:.1}% ({:.1}%) | {:.1}% |",
                v.precision(),
                v.coverage(),
                pct(h.handed_off, h.total),
                out.not_answered(),
                out.not_answered_surely(),
                o.not_answered()
            );
        }
        if chosen.is_none() && v.precision() >= 95.0 && o.not_answered() >= 97.0 {
            chosen = Some(answer);
        }
        if strict.is_none() && v.precision() >= 95.0 && o.not_answered() >= 97.0 && out.not_answered_surely() >= 97.0 {
            strict = Some(answer);
        }
    }
    let points = [
        ("A", chosen.unwrap_or(switchboard_bot::decide::ANSWER_AT)),
        ("B", strict.unwrap_or(switchboard_bot::decide::ANSWER_AT)),
    ];
    let _ = writeln!(
        report,
        "\nChosen on train: A = {:.2} (precision and CLINC150 out-of-scope), B = {:.2} (also the outside intents, 97% at the 95% lower bound). The product's default is {:.2}.\n",
        points[0].1,
        points[1].1,
        switchboard_bot::decide::ANSWER_AT
    );

    // Figures on the test data.
    let (mut answerable, mut handoff_intents, mut outside_test): (Labelled, Labelled, Labelled) =
        (Vec::new(), Vec::new(), Vec::new());
    for (text, intent) in &test {
        if let Some(entry) = subset.get(intent) {
            let id = entry["kb_article"].as_str().unwrap().to_owned();
            if entry["expected"] == "answer" { &mut answerable } else { &mut handoff_intents }
                .push((text.clone(), Some(id)));
        } else if outside.contains(intent) {
            outside_test.push((text.clone(), None));
        }
    }
    let oos_test = read_all(&kb, &clinc_set("oos_test"));
    let mut nlupp: Labelled = Vec::new();
    for entry in std::fs::read_dir(eval().join("nlupp_banking/data/banking")).unwrap().flatten() {
        let folds: Value = serde_json::from_str(&std::fs::read_to_string(entry.path()).unwrap()).unwrap();
        for e in folds.as_array().unwrap() {
            if e["intents"].as_array().is_some_and(|i| i.iter().any(|x| x == "handoff")) {
                nlupp.push((e["text"].as_str().unwrap().to_owned(), None));
            }
        }
    }
    // The handoff phrasings were written knowing NLU++'s utterances, so also: what retrieval alone
    // would do with them, the rules switched off.
    let unruled: Read = nlupp.iter().map(|(q, _)| (Reading::Ranked(kb.search(q)), None)).collect();
    let (answerable, handoff_intents, outside_test, nlupp) = (
        read_all(&kb, &answerable),
        read_all(&kb, &handoff_intents),
        read_all(&kb, &outside_test),
        read_all(&kb, &nlupp),
    );
    let _ = writeln!(
        report,
        "### Test figures\n\n| set | A ({:.2}) | B ({:.2}) |\n|---|---|---|",
        points[0].1, points[1].1
    );
    let tallies = |set: &Read| points.map(|(_, answer)| Tally::of(&kb, set, thresholds(answer)));
    let row = |report: &mut String, label: &str, cells: [String; 2]| {
        let _ = writeln!(report, "| {label} | {} | {} |", cells[0], cells[1]);
    };
    let subset_tallies = tallies(&answerable);
    row(
        &mut report,
        "Banking77 test, crypto subset: precision of answers",
        subset_tallies.map(|t| format!("{}/{} = {:.1}%", t.correct, t.answered, t.precision())),
    );
    row(
        &mut report,
        "Banking77 test, crypto subset: coverage (answered)",
        subset_tallies.map(|t| format!("{}/{} = {:.1}%", t.answered, t.total, t.coverage())),
    );
    row(
        &mut report,
        "Banking77 test, the subset's handoff intents: handed off",
        tallies(&handoff_intents).map(|t| format!("{}/{} = {:.1}%", t.handed_off, t.total, pct(t.handed_off, t.total))),
    );
    row(
        &mut report,
        "Banking77 test, the 41 intents outside the subset: not answered",
        tallies(&outside_test).map(|t| format!("{}/{} = {:.1}%", t.total - t.answered, t.total, t.not_answered())),
    );
    row(
        &mut report,
        "CLINC150 oos_test: not answered (handed off directly)",
        tallies(&oos_test).map(|t| {
            format!(
                "{}/{} = {:.1}% ({:.1}%)",
                t.total - t.answered,
                t.total,
                t.not_answered(),
                pct(t.handed_off, t.total)
            )
        }),
    );
    row(
        &mut report,
        "NLU++ utterances labelled handoff: handed off",
        tallies(&nlupp).map(|t| format!("{}/{} = {:.1}%", t.handed_off, t.total, pct(t.handed_off, t.total))),
    );
    row(
        &mut report,
        "NLU++ utterances labelled handoff, the rules switched off: not answered",
        tallies(&unruled).map(|t| format!("{}/{} = {:.1}%", t.total - t.answered, t.total, t.not_answered())),
    );

    // The Bitcoin.org FAQ in Chinese: a knowledge base of its zh-CN entries.
    let faq: Value =
        serde_json::from_str(&std::fs::read_to_string(eval().join("crypto_faq/bitcoin_org/faq_aligned.json")).unwrap())
            .unwrap();
    let entries: Vec<&Value> = faq.as_array().unwrap().iter().filter(|e| e["zh_CN"]["question"].is_string()).collect();
    let faq_kb = Knowledge::build(
        entries
            .iter()
            .map(|e| {
                let zh = &e["zh_CN"];
                article(
                    e["id"].as_str().unwrap(),
                    "zh-CN",
                    zh["question"].as_str().unwrap(),
                    Vec::new(),
                    zh["answer"].as_str().unwrap(),
                )
            })
            .collect(),
    );
    let top1 =
        |question: &str, id: &str| faq_kb.search(question).first().is_some_and(|h| faq_kb.articles[h.article].id == id);
    let same =
        entries.iter().filter(|e| top1(e["zh_CN"]["question"].as_str().unwrap(), e["id"].as_str().unwrap())).count();
    let traditional = entries
        .iter()
        .filter(|e| e["zh_TW"]["question"].as_str().is_some_and(|q| top1(q, e["id"].as_str().unwrap())))
        .count();
    let same = format!("{same}/{} = {:.1}%", entries.len(), pct(same, entries.len()));
    row(&mut report, "Bitcoin.org FAQ zh-CN, asked with its own question: top-1", [same.clone(), same]);
    let traditional = format!("{traditional}/{} = {:.1}%", entries.len(), pct(traditional, entries.len()));
    row(
        &mut report,
        "Bitcoin.org FAQ zh-CN, asked with the zh-TW wording (a paraphrase in traditional script): top-1",
        [traditional.clone(), traditional],
    );

    let _ = writeln!(report, "\n### Precision and coverage over answer thresholds (Banking77 test, crypto subset)\n");
    let _ = writeln!(
        report,
        "| answer threshold | precision | coverage | outside intents not answered |\n|---|---|---|---|"
    );
    for step in 6..=19 {
        let answer = step as f32 * 0.05;
        let t = Tally::of(&kb, &answerable, thresholds(answer));
        let out = Tally::of(&kb, &outside_test, thresholds(answer));
        let _ = writeln!(
            report,
            "| {answer:.2} | {:.1}% | {:.1}% | {:.1}% |",
            t.precision(),
            t.coverage(),
            out.not_answered()
        );
    }
    knowledge_bases::starter(&mut report);
    knowledge_bases::starter_in_languages(&mut report);
    let banking: Vec<(f32, bool)> = answerable
        .iter()
        .chain(&outside_test)
        .filter_map(|(r, id)| knowledge_bases::first(&kb, r, id.as_deref()))
        .collect();
    knowledge_bases::small(&mut report, &banking);
    println!("{report}");
    let _ = std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-bot.md"), &report);
}
