//! Routing by teams, pure: the team whose languages and categories fit a conversation best,
//! when no rule chose one.

use crate::store::teams::Team;

/// Whether `language` (a team's: `zh`, `zh-TW`) takes a customer writing in `locale`.
pub fn takes_language(language: &str, locale: &str) -> bool {
    let (language, locale) = (language.to_ascii_lowercase(), locale.to_ascii_lowercase());
    locale == language || locale.starts_with(&format!("{language}-"))
}

/// The team for a conversation in `locale` about `category`: every team whose lists take it
/// (an empty list takes anything); the one naming the category, then the language, wins; among
/// equals the oldest.
pub fn team_for<'a>(teams: &'a [Team], locale: Option<&str>, category: Option<&str>) -> Option<&'a Team> {
    let fits = |team: &Team| -> Option<u8> {
        let category_named = category.is_some_and(|c| team.categories.iter().any(|t| t.eq_ignore_ascii_case(c)));
        let language_named = locale.is_some_and(|l| team.languages.iter().any(|t| takes_language(t, l)));
        let category_fits = team.categories.is_empty() || category_named;
        let language_fits = team.languages.is_empty() || language_named;
        (category_fits && language_fits).then_some(u8::from(category_named) * 2 + u8::from(language_named))
    };
    teams
        .iter()
        .filter_map(|t| fits(t).map(|score| (score, t)))
        .max_by(|(a, t), (b, u)| a.cmp(b).then(u.id.cmp(&t.id)))
        .map(|(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(id: i64, languages: &[&str], categories: &[&str]) -> Team {
        Team {
            id,
            name: format!("team {id}"),
            member_ids: Vec::new(),
            lead_id: None,
            languages: languages.iter().map(|s| s.to_string()).collect(),
            categories: categories.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn the_category_then_the_language_decides_and_a_team_of_everything_catches_the_rest() {
        let teams =
            [team(1, &[], &[]), team(2, &["zh"], &[]), team(3, &["en"], &["deposits"]), team(4, &[], &["deposits"])];
        let id = |locale: Option<&str>, category: Option<&str>| team_for(&teams, locale, category).map(|t| t.id);
        assert_eq!(id(Some("zh-CN"), None), Some(2));
        assert_eq!(id(Some("en-US"), Some("deposits")), Some(3));
        assert_eq!(id(Some("zh-TW"), Some("Deposits")), Some(4), "the category outweighs the language");
        assert_eq!(id(Some("ja"), Some("accounts")), Some(1));
        assert_eq!(team_for(&teams[1..3], Some("ja"), None).map(|t| t.id), None);
        assert!(takes_language("zh", "zh-TW") && !takes_language("zh-TW", "zh-CN") && !takes_language("z", "zh"));
    }
}
