//! The incidents' pure rules: what a question matches, which message a customer reads, what an
//! admin may write, and when distinct customers make a surge.

use super::surge::{Asked, Thresholds, detect};
use super::*;

fn incident(keywords: &[&str], message: &[(&str, &str)]) -> Incident {
    Incident {
        id: 1,
        title: "ETH withdrawals delayed".into(),
        status: IncidentStatus::Investigating,
        keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
        message: message.iter().map(|(l, m)| ((*l).to_owned(), (*m).to_owned())).collect(),
        examples: Vec::new(),
        requesters: 0,
        version: 1,
        conversation_ids: Vec::new(),
        created_at: String::new(),
        updated_at: String::new(),
        resolved_at: None,
    }
}

#[test]
fn keywords_match_whole_words_and_plurals_and_chinese_anywhere() {
    let i = incident(&["withdrawal", "ETH network", "提币"], &[]);
    assert!(i.matches("My withdrawal is stuck"));
    assert!(i.matches("withdrawals are not arriving!"));
    assert!(i.matches("is the eth network down?"));
    assert!(i.matches("我的提币还没到账"));
    assert!(!i.matches("my withdrawalfees look wrong"), "inside another word");
    assert!(i.matches("the network for ETH seems down"), "a phrase's words in any order");
    let phrase = incident(&["withdrawal delay"], &[]);
    assert!(phrase.matches("My withdrawals are delayed!"));
    assert!(!phrase.matches("my withdrawal went through"), "every word of the phrase");
    assert!(!i.matches("how do I deposit?"));
    assert!(!incident(&[], &[]).matches("withdrawal"), "no keywords, no match");
}

#[test]
fn a_customer_reads_their_locale_then_their_language_then_english() {
    let i = incident(&["x"], &[("en-US", "We are on it."), ("zh-CN", "我们正在处理。")]);
    assert_eq!(i.message_for("zh-CN"), Some("我们正在处理。"));
    assert_eq!(i.message_for("zh-TW"), Some("我们正在处理。"), "the same language");
    assert_eq!(i.message_for("ru"), Some("We are on it."), "English otherwise");
    assert_eq!(incident(&["x"], &[("ja", "対応中です。")]).message_for("en-US"), Some("対応中です。"));
    assert_eq!(incident(&["x"], &[]).message_for("en-US"), None);
}

#[test]
fn an_admins_change_is_tidied_or_refused_with_the_reason() {
    let change = IncidentChange {
        title: Some("  Stalled  ".into()),
        keywords: Some(vec![" ETH ".into(), "eth".into(), "".into(), "gas".into()]),
        message: Some([("en-US".to_owned(), " Soon. ".to_owned()), ("zh-CN".to_owned(), "  ".to_owned())].into()),
        ..Default::default()
    }
    .checked()
    .unwrap();
    assert_eq!(change.title.as_deref(), Some("Stalled"));
    assert_eq!(change.keywords, Some(vec!["ETH".to_owned(), "gas".to_owned()]));
    assert_eq!(change.message, Some([("en-US".to_owned(), "Soon.".to_owned())].into()));
    let bad_locale = IncidentChange { message: Some([("english".into(), "x".into())].into()), ..Default::default() };
    assert!(bad_locale.checked().unwrap_err().to_string().contains("language tag"));
    let empty_title = IncidentChange { title: Some(" ".into()), ..Default::default() };
    assert!(empty_title.checked().unwrap_err().to_string().contains("title"));
}

const MINUTE: i64 = 60_000;

fn asked(contact: i64, at: i64, text: &str) -> Asked {
    Asked { contact_id: contact, at, text: text.into(), topic: None }
}

const NOW: i64 = 1_800_000_000_000;

#[test]
fn many_distinct_customers_on_one_topic_are_a_surge_with_its_words_and_examples() {
    let phrasings = ["withdrawal stuck pending", "my withdrawal is stuck", "withdrawal pending for an hour"];
    let asked: Vec<Asked> = (0..8).map(|c| asked(c, NOW - c * MINUTE, phrasings[c as usize % 3])).collect();
    let surges = detect(&asked, NOW, Thresholds::default());
    assert_eq!(surges.len(), 1, "{surges:?}");
    assert_eq!(surges[0].requesters, 8);
    assert!(surges[0].keywords.contains(&"withdrawal".to_owned()), "{:?}", surges[0].keywords);
    assert_eq!(surges[0].examples.len(), 5, "one per customer, five at most");
}

#[test]
fn one_customer_writing_fifty_times_is_no_surge() {
    let asked: Vec<Asked> = (0..50).map(|i| asked(7, NOW - i * 10_000, "withdrawal stuck pending")).collect();
    assert!(detect(&asked, NOW, Thresholds::default()).is_empty());
}

#[test]
fn a_topic_as_busy_as_usual_is_no_surge() {
    // Six customers in every quarter hour of the day before: six now is its usual level.
    let mut asked: Vec<Asked> = (0..96 * 6)
        .map(|i| asked(1_000 + i, NOW - 16 * MINUTE - (i / 6) * 15 * MINUTE, "deposit not credited"))
        .collect();
    asked.extend((0..6).map(|c| asked_now(c, "deposit not credited")));
    assert!(detect(&asked, NOW, Thresholds::default()).is_empty());
    // Twenty now is more than three times usual.
    asked.extend((6..20).map(|c| asked_now(c, "deposit not credited")));
    assert_eq!(detect(&asked, NOW, Thresholds::default()).len(), 1);
}

fn asked_now(contact: i64, text: &str) -> Asked {
    asked(contact, NOW - MINUTE, text)
}

#[test]
fn the_bots_topic_groups_questions_in_any_words_and_languages() {
    let topic = Some(("withdrawals".to_owned(), "Withdrawal delays".to_owned()));
    let texts = ["where is my money", "提币还没到", "transfer out not arrived", "cashout slow", "still waiting"];
    let asked: Vec<Asked> =
        texts.iter().enumerate().map(|(c, t)| Asked { topic: topic.clone(), ..asked_now(c as i64, t) }).collect();
    let surges = detect(&asked, NOW, Thresholds::default());
    assert_eq!(surges.len(), 1);
    assert_eq!((surges[0].topic.as_str(), surges[0].title.as_str()), ("article:withdrawals", "Withdrawal delays"));
}

#[test]
fn a_floods_many_words_do_not_keep_later_customers_out_of_its_cluster() {
    let mut asked: Vec<Asked> =
        (0..30).map(|n| asked_now(99, &format!("withdrawal stuck pending again ({n})"))).collect();
    asked.extend((0..5).map(|c| asked_now(c, "my withdrawal is stuck")));
    let surges = detect(&asked, NOW, Thresholds::default());
    assert_eq!(surges.len(), 1, "{surges:?}");
    assert_eq!(surges[0].requesters, 6);
}
