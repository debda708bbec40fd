//! The bot benchmark on `../shared/eval` (run: `cargo bench -p switchboard-bot --bench bot`;
//! the report is printed and written to `target/bench-bot.md`).
//!
//! A knowledge base with one article per Banking77 intent of the crypto-wallet subset, whose
//! example questions come from the train split only; 20% of those train questions are held
//! out (with CLINC150's `oos_val`) to choose the answer threshold. The figures are on data the
//! tuning never saw: Banking77's test split (answers inside the subset, handoff for the
//! subset's handoff intents and for the 41 intents outside it), CLINC150's `oos_test`, NLU++'s
//! utterances labelled `handoff`, and the Bitcoin.org FAQ in Chinese.

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use switchboard_bot::article::Article;
use switchboard_bot::{Action, Knowledge, Thresholds, decide_with};

fn eval() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/eval")
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
        body: body.into(),
    }
}

struct Outcome {
    answered: bool,
    correct: bool,
    handed_off: bool,
}

fn outcome(kb: &Knowledge, text: &str, lang: &str, expected: Option<&str>, t: Thresholds) -> Outcome {
    let decision = decide_with(kb, text, lang, t);
    match decision.action {
        Action::Answer(i) => {
            Outcome { answered: true, correct: Some(kb.articles[i].id.as_str()) == expected, handed_off: false }
        }
        Action::Offer(_) => Outcome { answered: false, correct: false, handed_off: false },
        Action::Handoff(_) => Outcome { answered: false, correct: false, handed_off: true },
    }
}

fn main() {
    if !eval().exists() {
        eprintln!("skipped: ../shared/eval is not beside the checkout");
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

    // Articles from 80% of the train questions; the other 20% choose the threshold.
    let mut questions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut validation: Vec<(String, String)> = Vec::new();
    for (i, (text, intent)) in train.iter().enumerate() {
        let Some(entry) = subset.get(intent) else { continue };
        if entry["expected"] != "answer" {
            continue;
        }
        let id = entry["kb_article"].as_str().unwrap().to_owned();
        if i % 5 == 0 {
            validation.push((text.clone(), id));
        } else {
            questions.entry(id).or_default().push(text.clone());
        }
    }
    let articles: Vec<Article> = questions
        .into_iter()
        .map(|(id, qs)| article(&id, "en-US", &id.replace(['.', '_'], " "), qs, &format!("The answer about {id}.")))
        .collect();
    let kb = Knowledge::build(articles);
    let clinc: Value =
        serde_json::from_str(&std::fs::read_to_string(eval().join("clinc150/data_full.json")).unwrap()).unwrap();
    let oos_val: Vec<String> =
        clinc["oos_val"].as_array().unwrap().iter().map(|e| e[0].as_str().unwrap().to_owned()).collect();

    let mut report = String::new();
    // Tuning on train: the lowest answer threshold with ≥ 95% precision on held-out train
    // questions and ≥ 97% of oos_val not answered.
    let _ = writeln!(report, "### Tuning (held-out 20% of the train split, CLINC150 oos_val)\n");
    let _ = writeln!(report, "| answer threshold | precision | coverage | oos_val not answered |\n|---|---|---|---|");
    let mut chosen = None;
    for step in 30..=90 {
        let answer = step as f32 * 0.01;
        let t = Thresholds { answer, offer: answer.min(switchboard_bot::decide::OFFER_AT) };
        let outcomes: Vec<Outcome> = validation.iter().map(|(q, id)| outcome(&kb, q, "en-US", Some(id), t)).collect();
        let answered = outcomes.iter().filter(|o| o.answered).count();
        let correct = outcomes.iter().filter(|o| o.correct).count();
        let oos_ok = oos_val.iter().filter(|q| !outcome(&kb, q, "en-US", None, t).answered).count();
        let precision = correct as f64 / answered.max(1) as f64;
        let coverage = answered as f64 / outcomes.len() as f64;
        let oos = oos_ok as f64 / oos_val.len() as f64;
        if step % 5 == 0 {
            let _ = writeln!(
                report,
                "| {answer:.2} | {:.1}% | {:.1}% | {:.1}% |",
                precision * 100.0,
                coverage * 100.0,
                oos * 100.0
            );
        }
        if chosen.is_none() && precision >= 0.95 && oos >= 0.97 {
            chosen = Some(answer);
        }
    }
    let answer = chosen.unwrap_or(switchboard_bot::decide::ANSWER_AT);
    let t = Thresholds { answer, offer: answer.min(switchboard_bot::decide::OFFER_AT) };
    let _ = writeln!(
        report,
        "\nChosen on train: answer threshold {answer:.2} (the product's default is {:.2}).\n",
        switchboard_bot::decide::ANSWER_AT
    );

    // Figures on the test data.
    let _ = writeln!(report, "### Test figures\n\n| set | result |\n|---|---|");
    let (mut answered, mut correct, mut answerable) = (0, 0, 0);
    let (mut handoff_intents, mut handoff_ok) = (0, 0);
    let (mut outside_n, mut outside_ok) = (0, 0);
    let mut curve: Vec<(f32, usize, usize)> = (6..=18).map(|s| (s as f32 * 0.05, 0, 0)).collect();
    for (text, intent) in &test {
        if let Some(entry) = subset.get(intent) {
            let id = entry["kb_article"].as_str().unwrap();
            if entry["expected"] == "answer" {
                answerable += 1;
                let o = outcome(&kb, text, "en-US", Some(id), t);
                answered += usize::from(o.answered);
                correct += usize::from(o.correct);
                for (threshold, a, c) in curve.iter_mut() {
                    let o = outcome(
                        &kb,
                        text,
                        "en-US",
                        Some(id),
                        Thresholds { answer: *threshold, offer: threshold.min(t.offer) },
                    );
                    *a += usize::from(o.answered);
                    *c += usize::from(o.correct);
                }
            } else {
                handoff_intents += 1;
                handoff_ok += usize::from(!outcome(&kb, text, "en-US", None, t).answered);
            }
        } else if outside.contains(intent) {
            outside_n += 1;
            outside_ok += usize::from(!outcome(&kb, text, "en-US", None, t).answered);
        }
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    let _ = writeln!(
        report,
        "| Banking77 test, crypto subset: precision of answers | {correct}/{answered} = {:.1}% |",
        pct(correct, answered)
    );
    let _ = writeln!(
        report,
        "| Banking77 test, crypto subset: coverage (answered) | {answered}/{answerable} = {:.1}% |",
        pct(answered, answerable)
    );
    let _ = writeln!(
        report,
        "| Banking77 test, the subset's handoff intents: not answered | {handoff_ok}/{handoff_intents} = {:.1}% |",
        pct(handoff_ok, handoff_intents)
    );
    let _ = writeln!(
        report,
        "| Banking77 test, the 41 intents outside the subset: not answered | {outside_ok}/{outside_n} = {:.1}% |",
        pct(outside_ok, outside_n)
    );
    let oos_test: Vec<String> =
        clinc["oos_test"].as_array().unwrap().iter().map(|e| e[0].as_str().unwrap().to_owned()).collect();
    let oos_outcomes: Vec<Outcome> = oos_test.iter().map(|q| outcome(&kb, q, "en-US", None, t)).collect();
    let not_answered = oos_outcomes.iter().filter(|o| !o.answered).count();
    let handed = oos_outcomes.iter().filter(|o| o.handed_off).count();
    let _ = writeln!(
        report,
        "| CLINC150 oos_test: not answered (handed off, or articles offered) | {not_answered}/{} = {:.1}% (handed off directly {:.1}%) |",
        oos_test.len(),
        pct(not_answered, oos_test.len()),
        pct(handed, oos_test.len())
    );
    let mut nlupp = Vec::new();
    for entry in std::fs::read_dir(eval().join("nlupp_banking/data/banking")).unwrap().flatten() {
        let folds: Value = serde_json::from_str(&std::fs::read_to_string(entry.path()).unwrap()).unwrap();
        for e in folds.as_array().unwrap() {
            if e["intents"].as_array().is_some_and(|i| i.iter().any(|x| x == "handoff")) {
                nlupp.push(e["text"].as_str().unwrap().to_owned());
            }
        }
    }
    let asked = nlupp.iter().filter(|q| outcome(&kb, q, "en-US", None, t).handed_off).count();
    let _ = writeln!(
        report,
        "| NLU++ utterances labelled handoff: handed off | {asked}/{} = {:.1}% |",
        nlupp.len(),
        pct(asked, nlupp.len())
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
    let _ = writeln!(
        report,
        "| Bitcoin.org FAQ zh-CN, asked with its own question: top-1 | {same}/{} = {:.1}% |",
        entries.len(),
        pct(same, entries.len())
    );
    let _ = writeln!(
        report,
        "| Bitcoin.org FAQ zh-CN, asked with the zh-TW wording (a paraphrase in traditional script): top-1 | {traditional}/{} = {:.1}% |",
        entries.len(),
        pct(traditional, entries.len())
    );

    let _ = writeln!(report, "\n### Precision and coverage over answer thresholds (Banking77 test, crypto subset)\n");
    let _ = writeln!(report, "| answer threshold | precision | coverage |\n|---|---|---|");
    for (threshold, a, c) in curve {
        let _ = writeln!(report, "| {threshold:.2} | {:.1}% | {:.1}% |", pct(c, a), pct(a, answerable));
    }
    println!("{report}");
    let _ = std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-bot.md"), &report);
}
