//! Knowledge-base articles: Markdown with TOML front matter between `+++` lines.
//!
//! ```text
//! +++
//! id = "deposit-not-credited.en"
//! topic = "deposit-not-credited"   # shared by the translations of one article
//! locale = "en-US"
//! title = "My deposit has not arrived"
//! tags = ["deposit"]
//! questions = ["Why is my deposit not showing?", "I sent coins but my balance is zero"]
//! handoff = false                  # true: the topic always goes to a person
//! +++
//! The answer, in Markdown.
//! ```

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    pub topic: String,
    pub locale: String,
    pub title: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub questions: Vec<String>,
    /// Retired articles stay in the store for the record but are never answered with.
    #[serde(default)]
    pub retired: bool,
    /// A topic that always goes to a person (a stolen account, a refund): the bot recognises
    /// it by its questions and hands off at once; the body is guidance for the agent, never
    /// sent to the customer.
    #[serde(default)]
    pub handoff: bool,
    #[serde(skip)]
    pub body: String,
}

#[derive(Debug, thiserror::Error)]
pub enum KbError {
    #[error("{path}: {reason}")]
    Article { path: String, reason: String },
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{0}: the same article id twice")]
    Duplicate(String),
    #[error("{path}: {reason}")]
    Lexicon { path: String, reason: String },
}

impl Article {
    /// Parses one article file's text.
    pub fn parse(text: &str) -> Result<Article, String> {
        let text = text.trim_start_matches('\u{feff}');
        let rest = text.strip_prefix("+++").ok_or("expected TOML front matter opened by +++")?;
        let end = rest.find("\n+++").ok_or("front matter not closed by +++")?;
        let mut article: Article = toml::from_str(&rest[..end]).map_err(|e| e.message().to_owned())?;
        article.body = rest[end + 4..].trim().to_owned();
        if article.id.trim().is_empty() || article.title.trim().is_empty() || article.topic.trim().is_empty() {
            return Err("id, topic and title must not be empty".into());
        }
        if article.body.is_empty() {
            return Err("the article has no body".into());
        }
        Ok(article)
    }

    /// The language part of the locale (`zh` of `zh-CN`).
    pub fn language(&self) -> &str {
        self.locale.split(['-', '_']).next().unwrap_or(&self.locale)
    }
}

/// A locale's language, lowercased (`zh-TW` → `zh`, `pt_BR` → `pt`).
pub(crate) fn language_of(locale: &str) -> String {
    locale.split(['-', '_']).next().unwrap_or(locale).to_lowercase()
}

/// Every `*.md` article under `dir` (recursively), in path order.
pub fn load_dir(dir: &Path) -> Result<Vec<Article>, KbError> {
    load_dir_with_progress(dir, |_, _| {})
}

/// The same, telling `progress(done, total)` after each file.
pub fn load_dir_with_progress(dir: &Path, mut progress: impl FnMut(usize, usize)) -> Result<Vec<Article>, KbError> {
    let mut paths = Vec::new();
    collect(dir, &mut paths)?;
    paths.sort();
    let total = paths.len();
    let mut articles: Vec<Article> = Vec::with_capacity(paths.len());
    for (done, path) in paths.into_iter().enumerate() {
        progress(done + 1, total);
        let text =
            std::fs::read_to_string(&path).map_err(|error| KbError::Io { path: path.display().to_string(), error })?;
        let article =
            Article::parse(&text).map_err(|reason| KbError::Article { path: path.display().to_string(), reason })?;
        if articles.iter().any(|a| a.id == article.id) {
            return Err(KbError::Duplicate(article.id));
        }
        articles.push(article);
    }
    Ok(articles)
}

/// The operator's lexicon of the knowledge-base folder `dir` (`lexicon.txt`, see `lexicon`):
/// its groups, one line each as `a | b | c`; none when the folder has no such file.
pub fn load_lexicon(dir: &Path) -> Result<Vec<String>, KbError> {
    let path = dir.join(crate::lexicon::FILE);
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let text =
        std::fs::read_to_string(&path).map_err(|error| KbError::Io { path: path.display().to_string(), error })?;
    let groups =
        crate::lexicon::parse(&text).map_err(|reason| KbError::Lexicon { path: path.display().to_string(), reason })?;
    Ok(groups.into_iter().map(|words| words.join(" | ")).collect())
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), KbError> {
    let entries = std::fs::read_dir(dir).map_err(|error| KbError::Io { path: dir.display().to_string(), error })?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_body_are_read() {
        let a = Article::parse(
            "+++\nid = \"x.en\"\ntopic = \"x\"\nlocale = \"en-US\"\ntitle = \"T\"\nquestions = [\"q?\"]\n+++\n\nBody *text*.\n",
        )
        .unwrap();
        assert_eq!((a.id.as_str(), a.language(), a.body.as_str()), ("x.en", "en", "Body *text*."));
        assert_eq!(a.questions, vec!["q?".to_owned()]);
        assert!(Article::parse("no front matter").is_err());
        assert!(Article::parse("+++\nid = \"x\"\n+++\nbody").is_err(), "topic, locale and title are required");
    }
}
