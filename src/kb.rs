//! `kb import` and `bot ask`: the knowledge base and the bot's decision from the command line.

use crate::config::Config;
use anyhow::Context;
use std::io::IsTerminal;
use std::path::Path;
use switchboard_bot::{Action, Knowledge, article};
use switchboard_core::store::{Store, redact_url};

/// (Re)loads the articles of `dir` into the store; the running server's index follows at its
/// next start.
pub async fn import(config: &Config, dir: &Path) -> anyhow::Result<()> {
    let terminal = std::io::stderr().is_terminal();
    let articles = article::load_dir_with_progress(dir, |done, total| {
        if terminal {
            let width = 30;
            let filled = (done * width).checked_div(total).unwrap_or(width);
            eprint!("\r[{}{}] {done}/{total} articles", "#".repeat(filled), " ".repeat(width - filled));
        }
    })?;
    let lexicon = article::load_lexicon(dir)?;
    if terminal {
        eprintln!();
    }
    let url = &config.database_url.0;
    let store = Store::open(url).await.with_context(|| format!("opening {}", redact_url(url)))?;
    switchboard_bot::store_articles(&store, &articles, &lexicon).await?;
    store.close().await;
    let languages: std::collections::BTreeSet<&str> = articles.iter().map(|a| a.locale.as_str()).collect();
    let topics: std::collections::BTreeSet<&str> = articles.iter().map(|a| a.topic.as_str()).collect();
    println!(
        "switchboard: imported {} articles ({} topics; {}) and {} lexicon groups from {}",
        articles.len(),
        topics.len(),
        languages.into_iter().collect::<Vec<_>>().join(", "),
        lexicon.len(),
        dir.display()
    );
    Ok(())
}

/// A knowledge-base folder's articles and lexicon groups.
pub type Folder = (Vec<article::Article>, Vec<String>);

/// The articles and lexicon of the folder `dir`.
pub fn load(dir: &Path) -> anyhow::Result<Folder> {
    Ok((article::load_dir(dir)?, article::load_lexicon(dir)?))
}

/// The knowledge base the live bot answers from: `SWITCHBOARD_KB_DIR` when it exists (serve
/// imports it at start), else what was imported into the store.
pub async fn live_knowledge(config: &Config) -> anyhow::Result<Option<Folder>> {
    if config.kb_dir.is_dir() {
        return Ok(Some(load(&config.kb_dir)?));
    }
    Ok(None)
}

/// Prints the decision the live bot would make, as one JSON line.
pub async fn ask(config: &Config, lang: Option<&str>, kb: Option<&Path>, text: &str) -> anyhow::Result<()> {
    let (articles, lexicon) = match kb {
        Some(dir) => load(dir)?,
        None => match live_knowledge(config).await? {
            Some(folder) => folder,
            None => {
                let url = &config.database_url.0;
                let store = Store::open(url).await.with_context(|| format!("opening {}", redact_url(url)))?;
                let articles = store.kb_articles().await?.into_iter().map(article::Article::from).collect();
                let lexicon = store.kb_lexicon().await?;
                store.close().await;
                (articles, lexicon)
            }
        },
    };
    let knowledge = Knowledge::build_with(articles, switchboard_bot::Lexicon::extended(&lexicon));
    let lang = match lang {
        Some(lang) => lang.to_owned(),
        None => switchboard_core::l10n::detect_language(text).unwrap_or_else(|| "en-US".to_owned()),
    };
    let decision = switchboard_bot::decide_with(&knowledge, text, &lang, config.bot.thresholds);
    let id = |i: usize| knowledge.articles[i].id.clone();
    let line = match &decision.action {
        Action::Answer(article) => serde_json::json!({
            "action": "answer", "article_id": id(*article), "score": decision.score, "lang": decision.lang,
            "cross_lingual": decision.cross_lingual,
        }),
        Action::Offer(articles) => serde_json::json!({
            "action": "handoff", "article_id": null, "score": decision.score, "lang": decision.lang,
            "reason": "not_sure", "suggestions": articles.iter().map(|&a| id(a)).collect::<Vec<_>>(),
        }),
        Action::Route(article) => serde_json::json!({
            "action": "handoff", "article_id": null, "score": decision.score, "lang": decision.lang,
            "reason": "topic", "topic_article_id": id(*article),
        }),
        // Answered at once (the warning); a scam in progress also goes to people.
        Action::Warn { article, report } => serde_json::json!({
            "action": "answer", "article_id": article.map(id), "score": decision.score, "lang": decision.lang,
            "reason": if *report { "scam" } else { "never_share" }, "handoff": report,
        }),
        Action::Handoff(reason) => serde_json::json!({
            "action": "handoff", "article_id": null, "score": decision.score, "lang": decision.lang,
            "reason": reason.as_str(),
        }),
    };
    println!("{line}");
    Ok(())
}
