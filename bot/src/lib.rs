//! The support bot: a knowledge base of Markdown articles (`article`), retrieval over it
//! (`index`), the decision what to do with a message (`decide`), the live bot that acts
//! on customers' messages through the core (`live`), and its answers to transaction hashes
//! looked up on the chains (`tx`).

pub mod article;
pub mod classify;
pub mod confidence;
mod cues;
pub mod decide;
pub mod encoder;
pub use switchboard_core::hours;
pub mod index;
pub mod lexicon;
pub mod live;
mod meaning;
pub mod scam;
pub mod settings;
mod text;
pub mod tx;

use article::Article;
use switchboard_core::store::kb::KbArticle;

pub use decide::{Action, Decision, Reading, Reason, Thresholds, choose, decide, decide_with, read};
pub use index::Knowledge;
pub use lexicon::Lexicon;

impl From<&Article> for KbArticle {
    fn from(a: &Article) -> KbArticle {
        KbArticle {
            id: a.id.clone(),
            topic: a.topic.clone(),
            locale: a.locale.clone(),
            title: a.title.clone(),
            tags: a.tags.clone(),
            questions: a.questions.clone(),
            body: a.body.clone(),
            retired: a.retired,
            handoff: a.handoff,
        }
    }
}

impl From<KbArticle> for Article {
    fn from(a: KbArticle) -> Article {
        Article {
            id: a.id,
            topic: a.topic,
            locale: a.locale,
            title: a.title,
            tags: a.tags,
            questions: a.questions,
            retired: a.retired,
            handoff: a.handoff,
            body: a.body,
        }
    }
}

/// The knowledge base the live bot uses: the store's articles, read through the shipped
/// lexicon and the operator's.
pub async fn from_store(store: &switchboard_core::store::Store) -> switchboard_core::error::Result<Knowledge> {
    let articles: Vec<Article> = store.kb_articles().await?.into_iter().map(Article::from).collect();
    let lexicon = Lexicon::extended(&store.kb_lexicon().await?);
    // Indexing, training and encoding take a while for a large knowledge base.
    off_workers(move || Knowledge::build_with(articles, lexicon)).await
}

/// Runs `work` on a blocking thread, off the async workers; a panic in it is re-raised here.
pub(crate) async fn off_workers<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> switchboard_core::error::Result<T> {
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => Ok(value),
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(_) => Err(switchboard_core::error::CoreError::ShuttingDown),
    }
}

/// Stores `articles` as the knowledge base (retiring those no longer present), and `lexicon`
/// (the operator's groups) as its lexicon.
pub async fn store_articles(
    store: &switchboard_core::store::Store,
    articles: &[Article],
    lexicon: &[String],
) -> switchboard_core::error::Result<()> {
    let rows: Vec<KbArticle> = articles.iter().map(KbArticle::from).collect();
    store.replace_kb(&rows, lexicon).await
}
