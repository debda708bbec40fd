//! The knowledge-base editor: articles searched and filtered by topic, language, tag and
//! status; one article at a time with labelled fields, its rendered preview and the last
//! questions that reached it; the place (filters, article) kept in the address across a Save.

use super::pages::{SignedIn, agent_json, page_error, strings, urlencode};
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;
use std::collections::BTreeSet;
use switchboard_core::markdown::{Format, render};
use switchboard_core::store::kb::KbArticle;

#[derive(Deserialize, Default)]
pub struct KbQuery {
    /// Words of a title, a question or the body.
    q: Option<String>,
    topic: Option<String>,
    /// The articles' language.
    language: Option<String>,
    tag: Option<String>,
    /// `active` (default), `retired`, `handoff` (topics kept for people) or `all`.
    status: Option<String>,
    /// The article open in the editor.
    a: Option<String>,
    /// A new article's example questions and language, pre-filled (from the reports' gaps).
    questions: Option<String>,
    locale: Option<String>,
}

impl KbQuery {
    fn keeps(&self, a: &KbArticle) -> bool {
        let words = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_lowercase);
        let text = || format!("{} {} {} {}", a.id, a.title, a.questions.join(" "), a.body).to_lowercase();
        let status = match self.status.as_deref().unwrap_or("active") {
            "retired" => a.retired,
            "handoff" => a.handoff && !a.retired,
            "all" => true,
            _ => !a.retired,
        };
        status
            && words.is_none_or(|w| w.split_whitespace().all(|word| text().contains(word)))
            && self.topic.as_deref().filter(|t| !t.is_empty()).is_none_or(|t| a.topic == t)
            && self.language.as_deref().filter(|l| !l.is_empty()).is_none_or(|l| a.locale == l)
            && self.tag.as_deref().filter(|t| !t.is_empty()).is_none_or(|t| a.tags.iter().any(|x| x == t))
    }

    /// The filters as a query string, for the links that keep them.
    fn filters(&self) -> String {
        let pairs = [
            ("q", &self.q),
            ("topic", &self.topic),
            ("language", &self.language),
            ("tag", &self.tag),
            ("status", &self.status),
        ];
        let kept: Vec<String> = pairs
            .iter()
            .filter_map(|(k, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| format!("{k}={}", urlencode(v))))
            .collect();
        kept.join("&")
    }
}

pub async fn page(State(state): State<AppState>, signed_in: SignedIn, Query(query): Query<KbQuery>) -> Response {
    let SignedIn { session, locale } = signed_in;
    let all = match state.core.store().kb_articles().await {
        Ok(all) => all,
        Err(error) => return page_error(&state, &locale, error.into()),
    };
    let topics: BTreeSet<&str> = all.iter().map(|a| a.topic.as_str()).collect();
    let tags: BTreeSet<&str> = all.iter().flat_map(|a| a.tags.iter().map(String::as_str)).collect();
    let shown: Vec<&KbArticle> = all.iter().filter(|a| query.keeps(a)).collect();
    let open = query.a.as_deref().and_then(|id| all.iter().find(|a| a.id == id)).or(shown.first().copied());
    let questions = match open {
        Some(article) => match state.core.store().kb_questions(&article.id, 20).await {
            Ok(questions) => questions,
            Err(error) => return page_error(&state, &locale, error.into()),
        },
        None => Vec::new(),
    };
    let draft_locale = query.locale.as_deref().and_then(|l| state.core.localizer().negotiate(l)).unwrap_or(&locale);
    let questions: Vec<_> = questions
        .iter()
        .map(|q| context! { body => q.body, kind => q.kind, at => switchboard_core::clock::rfc3339(q.at), conversation => q.conversation_id })
        .collect();
    let filters = query.filters();
    let listed: Vec<_> = shown
        .iter()
        .map(|a| {
            let href =
                format!("/inbox/kb?{filters}{}a={}", if filters.is_empty() { "" } else { "&" }, urlencode(&a.id));
            context! { article => a, href => href, open => open.is_some_and(|o| o.id == a.id) }
        })
        .collect();
    state.ui.render(
        "kb.html",
        context! { t => strings(&state, &locale), locale => locale, me => agent_json(&session), csrf => session.csrf,
        articles => listed, open => open, preview => open.map(|a| render(&a.body, Format::Html)), questions => questions,
        topics => topics, tags => tags, locales => state.core.localizer().available(),
        filter => context! { q => query.q, topic => query.topic, language => query.language, tag => query.tag,
            status => query.status.clone().unwrap_or_else(|| "active".into()) },
        total => all.len(),
        draft => context! { questions => query.questions.clone().unwrap_or_default(), locale => draft_locale } },
    )
}
