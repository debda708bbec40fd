//! The command line and configuration, as operators meet them.

use std::process::Command;

fn switchboard(args: &[&str], env: &[(&str, &str)], dir: &std::path::Path) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_switchboard"));
    command.args(args).current_dir(dir).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

#[test]
fn a_bad_database_url_exits_2_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let out = switchboard(&["serve"], &[("SWITCHBOARD_DATABASE_URL", "mysql://nope")], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SWITCHBOARD_DATABASE_URL"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one-line reason: {stderr}");
}

#[test]
fn bad_values_in_the_file_name_the_setting_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("switchboard.toml"), "listen = \"not an address\"\n").unwrap();
    let out = switchboard(&["migrate"], &[], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SWITCHBOARD_LISTEN") && stderr.contains("switchboard.toml"), "{stderr}");

    std::fs::write(dir.path().join("custom.toml"), "[throttle.telegram]\nglobal = \"fast\"\n").unwrap();
    let out = switchboard(&["migrate", "--config", "custom.toml"], &[], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SWITCHBOARD_THROTTLE_TELEGRAM_GLOBAL"));

    std::fs::write(dir.path().join("typo.toml"), "databse_url = \"sqlite://x.db\"\n").unwrap();
    let out = switchboard(&["migrate", "--config", "typo.toml"], &[], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("databse_url"));
}

#[test]
fn the_environment_wins_over_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("switchboard.toml"), "database_url = \"mysql://from-file\"\n").unwrap();
    let out = switchboard(&["migrate"], &[("SWITCHBOARD_DATABASE_URL", "sqlite://env.db")], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("env.db").exists());
}

#[test]
fn bad_usage_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(switchboard(&["frobnicate"], &[], dir.path()).status.code(), Some(2));
    assert_eq!(switchboard(&[], &[], dir.path()).status.code(), Some(2));
}

#[test]
fn migrate_creates_the_default_sqlite_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = switchboard(&["migrate"], &[], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("switchboard.db").exists());
    // Applying again is a no-op.
    assert!(switchboard(&["migrate"], &[], dir.path()).status.success());
}

#[path = "../core/tests/support/postgres.rs"]
mod postgres;

#[test]
fn migrate_applies_to_postgresql() {
    let dir = tempfile::tempdir().unwrap();
    let url = postgres::fresh_database_url();
    let out = switchboard(&["migrate"], &[("SWITCHBOARD_DATABASE_URL", &url)], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("up to date"));
}

#[test]
fn bot_ask_prints_the_live_bots_decision_as_one_json_line() {
    let dir = tempfile::tempdir().unwrap();
    let kb = concat!(env!("CARGO_MANIFEST_DIR"), "/kb");
    let ask = |args: &[&str]| -> serde_json::Value {
        let out = switchboard(&[&["bot", "ask", "--kb", kb], args].concat(), &[], dir.path());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(stdout.lines().count(), 1, "{stdout}");
        serde_json::from_str(&stdout).unwrap()
    };
    let known = ask(&["how long does unstaking take"]);
    assert_eq!(known["action"], "answer");
    assert_eq!(known["article_id"], "unstaking-period.en");
    assert!(known["score"].as_f64().unwrap() > 0.5);
    assert_eq!(known["lang"], "en-US");
    let chinese = ask(&["--lang", "zh-CN", "我的助记词丢了怎么办"]);
    assert_eq!(
        (chinese["action"].as_str(), chinese["article_id"].as_str()),
        (Some("answer"), Some("lost-recovery-phrase.zh"))
    );
    assert_eq!(ask(&["What's the weather in Paris tomorrow?"])["action"], "handoff");
    assert_eq!(ask(&["I want to talk to a real person"])["action"], "handoff");
    let kept = ask(&["please close my account and delete my data"]);
    assert_eq!((kept["action"].as_str(), kept["reason"].as_str()), (Some("handoff"), Some("topic")));
    assert_eq!(kept["topic_article_id"], "close-account.en");

    // The thresholds are the operator's: demanding more confidence turns the answer into a
    // handoff, exactly as the live bot with the same settings would.
    let strict = |answer: &str| {
        let out = switchboard(
            &["bot", "ask", "--kb", kb, "how long does unstaking take"],
            &[("SWITCHBOARD_BOT_ANSWER_AT", answer)],
            dir.path(),
        );
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let score = known["score"].as_f64().unwrap();
    let (code, stdout, _) = strict(&format!("{:.3}", (score + 0.01).min(1.0)));
    assert_eq!(code, Some(0));
    let decision: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(decision["action"], "handoff", "{decision}");
    let (code, _, stderr) = strict("1.5");
    assert_eq!(code, Some(2));
    assert!(stderr.contains("SWITCHBOARD_BOT_ANSWER_AT"), "{stderr}");
}

/// An article file as `kb import` reads it.
fn write_article(dir: &std::path::Path, topic: &str, title: &str, questions: &[&str], body: &str) {
    let questions: Vec<String> = questions.iter().map(|q| format!("{q:?}")).collect();
    let text = format!(
        "+++\nid = \"{topic}.en\"\ntopic = \"{topic}\"\nlocale = \"en-US\"\ntitle = {title:?}\nquestions = [{}]\n+++\n\n{body}\n",
        questions.join(", ")
    );
    std::fs::write(dir.join(format!("{topic}.md")), text).unwrap();
}

#[test]
fn an_operators_lexicon_in_the_knowledge_base_folder_is_read_by_ask_and_kept_by_import() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb");
    std::fs::create_dir(&kb).unwrap();
    write_article(
        &kb,
        "launchpad",
        "Launchpad token sales",
        &["when does the next launchpad sale start", "how do I join a launchpad sale", "launchpad allocation"],
        "Launchpad sales open on the dates shown on the Launchpad page; commit before the snapshot.",
    );
    write_article(
        &kb,
        "staking",
        "Staking rewards",
        &["when are staking rewards paid", "how much do I earn from staking", "why did my staking rewards drop"],
        "Rewards are paid daily at 00:00 UTC.",
    );
    write_article(
        &kb,
        "withdrawal",
        "Withdrawal pending",
        &["my withdrawal is still pending", "why is my withdrawal slow", "withdrawal stuck in processing"],
        "Withdrawals are reviewed within an hour.",
    );
    let question = "how do I get into an ido";
    let ask = |env: &[(&str, &str)], args: &[&str]| -> serde_json::Value {
        let out = switchboard(&[&["bot", "ask"], args, &[question]].concat(), env, dir.path());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_str(&String::from_utf8(out.stdout).unwrap()).unwrap()
    };
    let kb_arg = kb.to_str().unwrap();
    // The operator's word is unknown to the shipped lexicon.
    assert_eq!(ask(&[], &["--kb", kb_arg])["action"], "handoff");
    std::fs::write(kb.join("lexicon.txt"), "# Our words\nlaunchpad | ido | IEO | 打新\n").unwrap();
    let answered = ask(&[], &["--kb", kb_arg]);
    assert_eq!((answered["action"].as_str(), answered["article_id"].as_str()), (Some("answer"), Some("launchpad.en")));

    // Imported, the lexicon is kept with the articles: the store's knowledge base reads it too.
    let out = switchboard(&["kb", "import", kb_arg], &[], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("and 1 lexicon groups"));
    let stored = ask(&[("SWITCHBOARD_KB_DIR", "/nonexistent")], &[]);
    assert_eq!(stored["article_id"], "launchpad.en", "{stored}");

    // A group of one word is refused with the file and its line.
    std::fs::write(kb.join("lexicon.txt"), "launchpad | ido\nlonely\n").unwrap();
    let out = switchboard(&["kb", "import", kb_arg], &[], dir.path());
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("lexicon.txt") && stderr.contains("line 2"), "{stderr}");
}

#[test]
fn kb_import_loads_the_articles_and_names_a_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let kb = concat!(env!("CARGO_MANIFEST_DIR"), "/kb");
    let out = switchboard(&["kb", "import", kb], &[], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let shipped = ["en-US", "zh-CN", "zh-TW"]
        .iter()
        .map(|l| std::fs::read_dir(format!("{kb}/{l}")).unwrap().count())
        .sum::<usize>();
    assert!(stdout.contains(&format!("imported {shipped} articles")), "{stdout}");
    // After the import, `bot ask` without --kb answers from the store.
    let out = switchboard(&["bot", "ask", "my swap failed"], &[("SWITCHBOARD_KB_DIR", "/nonexistent")], dir.path());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("failed-swap.en"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let broken = dir.path().join("broken");
    std::fs::create_dir(&broken).unwrap();
    std::fs::write(broken.join("a.md"), "no front matter").unwrap();
    let out = switchboard(&["kb", "import", broken.to_str().unwrap()], &[], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a.md"), "{}", String::from_utf8_lossy(&out.stderr));
}
