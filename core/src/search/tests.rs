//! Words and queries on both backends' forms, and where a hit is shown.

use super::*;

#[test]
fn words_are_lower_case_and_unspaced_runs_are_pairs_and_their_last_character() {
    assert_eq!(words("Deposit of 12.5 USDT, ann@x.test"), ["deposit", "of", "12", "5", "usdt", "ann", "x", "test"]);
    assert_eq!(words("我的充值没到"), ["我的", "的充", "充值", "值没", "没到", "到"]);
    assert_eq!(words("USDT充值"), ["usdt", "充值", "值"]);
    assert_eq!(words("入金がまだ"), ["入金", "金が", "がま", "まだ", "だ"]);
}

#[test]
fn stored_forms_hold_the_words_and_their_positions() {
    assert_eq!(stored("Hi 充值", Form::Fts5), "hi 充值 值");
    assert_eq!(stored("Hi 充值", Form::TsVector), "'hi':1 '充值':2 '值':3");
    assert_eq!(stored("O'Neil", Form::TsVector), "'o':1 'neil':2", "no quote survives into a literal");
}

#[test]
fn queries_ask_for_phrases_of_pairs_and_prefixes() {
    let q = Query::parse("充值没 depo").unwrap();
    assert_eq!(q.expression(Form::Fts5), "\"充值 值没\" \"depo\"*");
    assert_eq!(q.expression(Form::TsVector), "('充值' <-> '值没') & 'depo':*");
    assert_eq!(Query::parse("账").unwrap().expression(Form::Fts5), "\"账\"*");
    assert_eq!(Query::parse("#1042").unwrap().expression(Form::TsVector), "'1042':*");
    assert_eq!(Query::parse("  ,. "), None);
}

#[test]
fn hits_are_found_at_word_starts_and_anywhere_in_a_run() {
    let q = Query::parse("depo 没到").unwrap();
    let text = "My DEPOSIT (redeposit) 还没到账";
    let hits = q.hits(text);
    let found: Vec<&str> = hits.iter().map(|(a, b)| &text[*a..*b]).collect();
    assert_eq!(found, ["DEPO", "没到"]);
}

#[test]
fn an_excerpt_keeps_the_hit_and_marks_it() {
    let text = format!("{} the withdrawal is stuck {}", "a".repeat(300), "b".repeat(300));
    let q = Query::parse("withdrawal").unwrap();
    let segments = excerpt(&text, &q.hits(&text), 60);
    assert_eq!(segments.first().map(|s| s.text.as_str()), Some("…"));
    assert_eq!(segments.iter().filter(|s| s.hit).map(|s| s.text.as_str()).collect::<Vec<_>>(), ["withdrawal"]);
    assert!(segments.iter().map(|s| s.text.chars().count()).sum::<usize>() <= 64);
    let short = excerpt("no hit here", &[], 60);
    assert_eq!(short, [Segment { text: "no hit here".into(), hit: false }]);
}
