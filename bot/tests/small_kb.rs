//! The small-knowledge-base benchmark on its test split, at the product's default thresholds:
//! the figures BENCHMARKS.md records, kept as floors. A knowledge base with three example
//! questions per article answers 60% of the paraphrases written apart from it, right 95% of the
//! time; scams in progress are warned of, what must go to people is handed off, and questions
//! no article covers are left unanswered.

#[path = "../benches/small_kb/mod.rs"]
mod small_kb;

use small_kb::{Figures, articles, questions, read_all};
use switchboard_bot::{Knowledge, Thresholds};

#[test]
fn three_examples_per_article_answer_sixty_percent_of_the_paraphrases_right_ninety_five_percent_of_the_time() {
    let kb = Knowledge::build(articles());
    let questions = questions();
    let read = read_all(&kb, &questions);
    let test = Figures::of(&kb, &read, false, Thresholds::default());
    assert!(test.answerable >= 600, "at least 10 paraphrases per article and language: {}", test.answerable);
    assert!(test.precision() >= 95.0, "precision {:.1}%", test.precision());
    assert!(test.coverage() >= 60.0, "coverage {:.1}%", test.coverage());
    assert!(test.scams_warned() >= 95.0, "scams warned {:.1}%", test.scams_warned());
    assert!(test.handed_off() >= 95.0, "handed off {:.1}%", test.handed_off());
    assert!(test.out_of_scope_not_answered() >= 90.0, "out of scope {:.1}%", test.out_of_scope_not_answered());
}
