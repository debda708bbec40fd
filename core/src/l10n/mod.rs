//! Customer-facing text: Fluent bundles from `locales/<lang>/*.ftl`, embedded in the binary.
//!
//! en-US is the fallback for a missing locale and for a key missing in one. The locale of a
//! reply is chosen by [`choose_locale`]: the contact's choice, else the platform's hint, else the
//! language detected in the text, else en-US.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::sync::Arc;
use unic_langid::LanguageIdentifier;

mod datetime;
mod languages;
pub use datetime::Moment;
use languages::language_by_name;
pub use languages::{detect_language, language_name};

static LOCALES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../locales");

pub const FALLBACK: &str = "en-US";

/// A value a message is formatted with.
#[derive(Clone, Copy, Debug)]
pub enum Arg<'a> {
    Text(&'a str),
    /// A count or figure: selected on by the locale's plural rules, formatted by `NUMBER`.
    Number(f64),
    /// A wall-clock time, in the reader's words through `DATETIME($when, dateStyle: "full")`.
    Moment(jiff::civil::DateTime),
}

#[derive(Clone)]
pub struct Localizer {
    bundles: Arc<BTreeMap<String, FluentBundle<FluentResource>>>,
}

impl Localizer {
    /// Loads every embedded locale. Panics only if a shipped `.ftl` file does not parse,
    /// which the locale tests rule out.
    pub fn embedded() -> Localizer {
        let mut bundles = BTreeMap::new();
        for dir in LOCALES.dirs() {
            let tag = dir.path().file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let Ok(langid) = tag.parse::<LanguageIdentifier>() else {
                continue;
            };
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            bundle.set_use_isolating(false);
            let functions = bundle.add_builtins().and_then(|()| {
                let locale = tag.parse().unwrap_or(icu_locale_core::Locale::UNKNOWN);
                bundle.add_function("DATETIME", datetime::function(locale))
            });
            functions.unwrap_or_else(|error| panic!("{tag}: {error:?}"));
            for file in dir.files().filter(|f| f.path().extension().is_some_and(|e| e == "ftl")) {
                let source = file.contents_utf8().unwrap_or_default().to_owned();
                let resource = FluentResource::try_new(source)
                    .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", file.path().display()));
                bundle.add_resource(resource).unwrap_or_else(|errors| panic!("{}: {errors:?}", file.path().display()));
            }
            bundles.insert(tag.to_owned(), bundle);
        }
        Localizer { bundles: Arc::new(bundles) }
    }

    /// The locales with a bundle, e.g. `["en-US", "zh-CN"]`.
    pub fn available(&self) -> Vec<&str> {
        self.bundles.keys().map(String::as_str).collect()
    }

    /// The locales that ship `file` (`inbox.ftl`: the inbox's languages, en-US and zh-CN).
    pub fn having(&self, file: &str) -> Vec<&str> {
        self.available().into_iter().filter(|locale| LOCALES.get_file(format!("{locale}/{file}")).is_some()).collect()
    }

    /// `negotiate`, among the locales that ship `file`.
    pub fn negotiate_having(&self, requested: &str, file: &str) -> Option<&str> {
        self.negotiate(requested).filter(|locale| LOCALES.get_file(format!("{locale}/{file}")).is_some())
    }

    /// The shipped locale that best serves `requested` (`zh`, `zh-Hans`, `zh_CN`, `EN`…): itself,
    /// else the nearest of its language — Chinese by script (`zh-HK`, `zh-Hant` → zh-TW), any
    /// Portuguese → pt-BR, any Spanish (`es-419`) → es — else any of its language. A language's
    /// own name (`日本語`, `español`) is understood too.
    pub fn negotiate(&self, requested: &str) -> Option<&str> {
        let requested = language_by_name(requested).unwrap_or(requested);
        let wanted: LanguageIdentifier = requested.trim().replace('_', "-").parse().ok()?;
        let keys = || self.bundles.keys().map(String::as_str);
        let parsed = |k: &str| k.parse::<LanguageIdentifier>().ok();
        if let Some(exact) = keys().find(|k| parsed(k).is_some_and(|l| l == wanted)) {
            return Some(exact);
        }
        let nearest = match wanted.language.as_str() {
            "zh" => {
                let traditional = wanted.script.is_some_and(|s| s.as_str() == "Hant")
                    || (wanted.script.is_none()
                        && wanted.region.is_some_and(|r| matches!(r.as_str(), "TW" | "HK" | "MO")));
                Some(if traditional { "zh-TW" } else { "zh-CN" })
            }
            "pt" => Some("pt-BR"),
            "es" => Some("es"),
            "en" => Some("en-US"),
            _ => None,
        };
        nearest
            .and_then(|n| keys().find(|k| *k == n))
            .or_else(|| keys().find(|k| parsed(k).is_some_and(|l| l.language == wanted.language)))
    }

    /// Formats `key` in `locale`, falling back to en-US for an unknown locale or a missing key.
    pub fn text(&self, locale: &str, key: &str, args: &[(&str, &str)]) -> String {
        let args: Vec<(&str, Arg)> = args.iter().map(|(name, value)| (*name, Arg::Text(value))).collect();
        self.message(locale, key, &args)
    }

    /// `text` with `$n` a number, which the locale's plural rules select on (`one`, `few`,
    /// `many`, `other`), so no language's plurals are decided in code.
    pub fn count(&self, locale: &str, key: &str, n: u64, args: &[(&str, &str)]) -> String {
        let mut all: Vec<(&str, Arg)> = args.iter().map(|(name, value)| (*name, Arg::Text(value))).collect();
        all.push(("n", Arg::Number(n as f64)));
        self.message(locale, key, &all)
    }

    /// Formats `key` in `locale` with typed arguments: numbers for plural rules and `NUMBER`,
    /// moments for `DATETIME`.
    pub fn message(&self, locale: &str, key: &str, args: &[(&str, Arg)]) -> String {
        let mut fargs = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Text(text) => FluentValue::from(*text),
                Arg::Number(number) => FluentValue::from(*number),
                Arg::Moment(at) => FluentValue::Custom(Box::new(Moment(*at))),
            };
            fargs.set(*name, value);
        }
        let chosen = self.negotiate(locale).unwrap_or(FALLBACK);
        for tag in [chosen, FALLBACK] {
            let Some(bundle) = self.bundles.get(tag) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
            if !errors.is_empty() {
                tracing::warn!(key, locale = tag, ?errors, "fluent formatting errors");
            }
            return text.into_owned();
        }
        tracing::error!(key, "missing fluent message");
        key.to_owned()
    }
}

/// A duration in words of `locale`, to the nearest minute, hour or day (`response-time`).
pub fn duration_words(localizer: &Localizer, locale: &str, duration: std::time::Duration) -> String {
    let minutes = (duration.as_secs() / 60).max(1);
    let (n, unit) = match minutes {
        m if m < 60 => (m, "minute"),
        m if m < 48 * 60 => (m.div_ceil(60), "hour"),
        m => (m.div_ceil(24 * 60), "day"),
    };
    localizer.count(locale, "response-time", n, &[("unit", unit)])
}

impl Localizer {
    /// `body` for a reader in `locale`: the markers that stand where a secret was removed
    /// (stored language-neutral, never with any part of the secret) in the reader's words.
    pub fn for_reader<'b>(&self, locale: &str, body: &'b str) -> std::borrow::Cow<'b, str> {
        use crate::safety::SecretKind;
        let mut text = std::borrow::Cow::Borrowed(body);
        for (kind, key) in
            [(SecretKind::SeedPhrase, "redacted-seed-phrase"), (SecretKind::PrivateKey, "redacted-private-key")]
        {
            if text.contains(kind.marker()) {
                let words = self.text(locale, key, &[]);
                text = std::borrow::Cow::Owned(text.replace(kind.marker(), &words));
            }
        }
        text
    }

    /// Every message whose key starts with `prefix`, formatted without arguments, keyed by the
    /// rest of its key (`inbox-send` → `send`): what a page template needs in one map.
    pub fn with_prefix(&self, locale: &str, prefix: &str) -> BTreeMap<String, String> {
        // fluent-bundle does not list a bundle's messages; en-US (which every locale must
        // match, see the tests) names them in its sources.
        let mut keys: Vec<String> = Vec::new();
        for dir in LOCALES.dirs().filter(|d| d.path().file_name().and_then(|n| n.to_str()) == Some(FALLBACK)) {
            for file in dir.files() {
                for line in file.contents_utf8().unwrap_or_default().lines() {
                    if let Some((key, _)) = line.split_once(" =")
                        && key.starts_with(prefix)
                        && !key.contains(' ')
                        && !keys.iter().any(|k| k == key)
                    {
                        keys.push(key.to_owned());
                    }
                }
            }
        }
        keys.into_iter().map(|key| (key[prefix.len()..].to_owned(), self.text(locale, &key, &[]))).collect()
    }
}

/// The reply locale, by the rule of the product: the contact's own choice, else the platform's
/// language hint, else the language detected from the text, else en-US. Only locales with a
/// bundle are returned.
pub fn choose_locale(
    localizer: &Localizer,
    chosen: Option<&str>,
    platform_hint: Option<&str>,
    detected: Option<&str>,
) -> String {
    [chosen, platform_hint, detected]
        .into_iter()
        .flatten()
        .find_map(|tag| localizer.negotiate(tag))
        .unwrap_or(FALLBACK)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast;
    use std::collections::{BTreeSet, HashMap};

    /// Every message of every shipped locale, by file (`main.ftl`, `inbox.ftl`, …), with the
    /// variables it references.
    type Catalogue = HashMap<String, HashMap<String, HashMap<String, BTreeSet<String>>>>;

    fn catalogue() -> Catalogue {
        let mut all: Catalogue = HashMap::new();
        for dir in LOCALES.dirs() {
            let tag = dir.path().file_name().unwrap().to_str().unwrap().to_owned();
            for file in dir.files() {
                let name = file.path().file_name().unwrap().to_str().unwrap().to_owned();
                let messages = all.entry(name).or_default().entry(tag.clone()).or_default();
                let source = file.contents_utf8().unwrap();
                let resource = fluent_syntax::parser::parse(source)
                    .unwrap_or_else(|(_, e)| panic!("{} does not parse: {e:?}", file.path().display()));
                for entry in resource.body {
                    if let ast::Entry::Message(message) = entry {
                        let mut vars = BTreeSet::new();
                        if let Some(pattern) = &message.value {
                            collect_variables(pattern, &mut vars);
                        }
                        messages.insert(message.id.name.to_owned(), vars);
                    }
                }
            }
        }
        all
    }

    fn collect_variables(pattern: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                collect_expression(expression, vars);
            }
        }
    }

    fn collect_expression(expression: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
        match expression {
            ast::Expression::Inline(inline) => collect_inline(inline, vars),
            ast::Expression::Select { selector, variants } => {
                collect_inline(selector, vars);
                for variant in variants {
                    collect_variables(&variant.value, vars);
                }
            }
        }
    }

    fn collect_inline(inline: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                vars.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => collect_expression(expression, vars),
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                for argument in &arguments.positional {
                    collect_inline(argument, vars);
                }
            }
            _ => {}
        }
    }

    /// The sample a variable is formatted with in the tests, as the code passes it: a time for
    /// `DATETIME`, numbers for counts (each its own, to find it in the text), else its name.
    fn sample(var: &str, unit: &str, index: usize) -> (FluentValue<'static>, String) {
        const NUMBERS: [&str; 4] = ["position", "confirmations", "required", "block"];
        match var {
            "unit" => (FluentValue::from(unit.to_owned()), String::new()),
            "when" => {
                (FluentValue::Custom(Box::new(Moment(jiff::civil::date(2026, 12, 7).at(9, 30, 0, 0)))), "2026".into())
            }
            "n" => (FluentValue::from(1.0), String::new()),
            _ if NUMBERS.contains(&var) => {
                let number = 4211 + index;
                (FluentValue::from(number as f64), number.to_string())
            }
            _ => (FluentValue::from(format!("«{var}»")), format!("«{var}»")),
        }
    }

    /// What customers read (`main.ftl`) exists in every locale; what agents read (the inbox's
    /// and the agents' files) in the inbox's locales, en-US and zh-CN. Each file a locale has is
    /// complete: every en-US key, with the same variables, and no other.
    #[test]
    fn every_locale_has_every_en_us_key_with_the_same_variables() {
        let all = catalogue();
        let locales: BTreeSet<&String> = all.values().flat_map(|by_locale| by_locale.keys()).collect();
        let mut problems = Vec::new();
        for (file, by_locale) in &all {
            let reference = &by_locale[FALLBACK];
            let required: Vec<&str> =
                if file == "main.ftl" { locales.iter().map(|l| l.as_str()).collect() } else { vec!["en-US", "zh-CN"] };
            for tag in required.iter().filter(|t| !by_locale.contains_key(**t)) {
                problems.push(format!("{tag}: {file} is missing"));
            }
            for (tag, messages) in by_locale {
                for (key, vars) in reference {
                    match messages.get(key) {
                        None => problems.push(format!("{tag}/{file}: missing {key}")),
                        Some(v) if v != vars => {
                            problems.push(format!("{tag}/{file}: {key} uses {v:?}, en-US uses {vars:?}"))
                        }
                        _ => {}
                    }
                }
                for key in messages.keys().filter(|k| !reference.contains_key(*k)) {
                    problems.push(format!("{tag}/{file}: {key} is not in en-US"));
                }
            }
        }
        assert!(problems.is_empty(), "locale coverage:\n{}", problems.join("\n"));
    }

    /// Every message of every locale formats with sample arguments: no Fluent error, no variable
    /// left in braces, every argument shown; plural selectors get each of their cases.
    #[test]
    fn every_message_renders_in_every_locale_with_its_arguments() {
        let l = Localizer::embedded();
        let all = catalogue();
        let mut problems = Vec::new();
        for (file, by_locale) in &all {
            for (tag, messages) in by_locale {
                let bundle = &l.bundles[tag.as_str()];
                for (key, vars) in messages {
                    let units = ["minute", "hour", "day"];
                    let cases: Vec<&str> = if vars.contains("unit") { units.to_vec() } else { vec![""] };
                    for unit in cases {
                        let mut args = FluentArgs::new();
                        let mut shown = Vec::new();
                        for (index, var) in vars.iter().enumerate() {
                            let (value, in_text) = sample(var, unit, index);
                            args.set(var.as_str(), value);
                            shown.push((var, in_text));
                        }
                        let pattern = bundle.get_message(key).and_then(|m| m.value()).expect("a value");
                        let mut errors = Vec::new();
                        let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                        if !errors.is_empty() || text.contains("{$") || text.contains("{ $") {
                            problems.push(format!("{tag}/{file} {key}: {errors:?} {text}"));
                        }
                        for (var, in_text) in &shown {
                            if !text.contains(in_text.as_str()) {
                                problems.push(format!("{tag}/{file} {key}: ${var} is not shown"));
                            }
                        }
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// Off hours, the customer is told when people are back as their language writes a date:
    /// weekday and month in its words, its order, its clock.
    #[test]
    fn the_next_opening_is_told_in_each_languages_calendar_words() {
        let l = Localizer::embedded();
        let when = jiff::civil::date(2026, 12, 7).at(9, 0, 0, 0);
        let told = |locale: &str| {
            let args = [("reference", Arg::Text("#7")), ("when", Arg::Moment(when)), ("zone", Arg::Text("Asia/Tokyo"))];
            l.message(locale, "bot-handoff-off-hours", &args)
        };
        for (locale, words) in [
            ("en-US", "Monday, December 7, 2026 at 9:00\u{202f}AM (Asia/Tokyo)"),
            ("zh-CN", "2026年12月7日星期一 09:00（Asia/Tokyo）"),
            ("zh-TW", "2026年12月7日星期一 上午9:00（Asia/Tokyo）"),
            ("ja", "2026年12月7日月曜日 9:00（Asia/Tokyo）"),
            ("ko", "12월 7일 월요일 오전 9:00"),
            ("ru", "понедельник, 7 декабря 2026"),
            ("es", "lunes, 7 de diciembre de 2026"),
            ("vi", "Thứ Hai"),
            ("tr", "7 Aralık 2026 Pazartesi"),
            ("pt-BR", "segunda-feira, 7 de dezembro de 2026"),
        ] {
            let text = told(locale);
            assert!(text.contains(words), "{locale}: {text}");
            assert!(!text.contains("2026-12-07"), "{locale}: {text}");
        }
    }

    /// Counts reach the messages as numbers, so each language's plural rules choose the words
    /// around them: one confirmation, 3 подтверждения, 12 подтверждений.
    #[test]
    fn counts_take_the_plural_form_their_number_needs() {
        let l = Localizer::embedded();
        let pending = |locale: &str, required: f64| {
            let args = [
                ("hash", Arg::Text("0xab…cd")),
                ("network", Arg::Text("Ethereum")),
                ("required", Arg::Number(required)),
                ("eta", Arg::Text("~")),
            ];
            l.message(locale, "tx-pending", &args)
        };
        assert!(pending("en-US", 1.0).contains("needs 1 confirmation to"));
        assert!(pending("en-US", 12.0).contains("needs 12 confirmations to"));
        assert!(pending("ru", 1.0).contains("нужно 1 подтверждение:"));
        assert!(pending("ru", 3.0).contains("нужно 3 подтверждения:"));
        assert!(pending("ru", 12.0).contains("нужно 12 подтверждений:"));
        assert!(pending("ru", 21.0).contains("нужно 21 подтверждение:"));
        assert!(pending("es", 1.0).contains("necesita 1 confirmación para"));
        assert!(pending("pt-BR", 6.0).contains("precisa de 6 confirmações para"));
        let place = [("reference", Arg::Text("#7")), ("position", Arg::Number(3.0))];
        assert!(l.message("ru", "queue-place-unknown", &place).contains("— 3-е в очереди"));
    }

    #[test]
    fn acknowledgement_renders_in_english_and_chinese() {
        let l = Localizer::embedded();
        let en = l.text("en-US", "ack-new-conversation", &[("reference", "#1042")]);
        assert_eq!(
            en,
            "We received your message. Your ticket is #1042; an agent will reply here. Our staff never message you first and never ask for your recovery phrase or private key."
        );
        let zh = l.text("zh-CN", "ack-new-conversation", &[("reference", "#1042")]);
        assert_eq!(
            zh,
            "我们已收到您的消息。您的工单号是 #1042，客服人员会在这里回复您。我们的工作人员绝不会主动私信您，也绝不会索要您的助记词或私钥。"
        );
    }

    #[test]
    fn messages_are_found_by_prefix() {
        let l = Localizer::embedded();
        let webchat = l.with_prefix("zh-CN", "webchat-");
        assert_eq!(webchat["send"], "发送");
        assert!(!webchat.contains_key("webchat-send"));
        assert!(webchat.len() >= 9);
    }

    #[test]
    fn unknown_locales_fall_back_to_english() {
        let l = Localizer::embedded();
        assert_eq!(l.text("xx", "webchat-send", &[]), "Send");
        assert_eq!(l.negotiate("zh"), Some("zh-CN"));
        assert_eq!(l.negotiate("zh_CN"), Some("zh-CN"));
        assert_eq!(l.negotiate("en"), Some("en-US"));
        assert_eq!(l.negotiate("fr"), None);
    }

    #[test]
    fn reply_locale_follows_choice_then_hint_then_detection() {
        let l = Localizer::embedded();
        assert_eq!(choose_locale(&l, Some("zh-CN"), Some("en"), Some("en-US")), "zh-CN");
        assert_eq!(choose_locale(&l, None, Some("zh-hans"), Some("en-US")), "zh-CN");
        assert_eq!(choose_locale(&l, None, Some("fr"), Some("zh-CN")), "zh-CN");
        assert_eq!(choose_locale(&l, None, None, None), "en-US");
    }

    #[test]
    fn hints_go_to_the_nearest_locale_and_names_are_understood() {
        let l = Localizer::embedded();
        for (hint, locale) in
            [("zh-HK", "zh-TW"), ("zh-Hant", "zh-TW"), ("zh_TW", "zh-TW"), ("zh-SG", "zh-CN"), ("zh-Hans-HK", "zh-CN")]
        {
            assert_eq!(l.negotiate(hint), Some(locale), "{hint}");
        }
        assert_eq!(l.negotiate("繁體中文"), Some("zh-TW"));
        assert_eq!(l.negotiate("English"), Some("en-US"));
        assert_eq!(l.text("zh-HK", "webchat-send", &[]), "送出");
    }

    #[test]
    fn durations_take_each_languages_plural_forms() {
        let l = Localizer::embedded();
        let words =
            |locale: &str, minutes: u64| duration_words(&l, locale, std::time::Duration::from_secs(minutes * 60));
        assert_eq!(
            [words("en-US", 1), words("en-US", 5), words("en-US", 60), words("en-US", 240)],
            ["a minute", "5 minutes", "an hour", "4 hours"]
        );
        assert_eq!([words("es", 1), words("es", 3 * 24 * 60)], ["un minuto", "3 días"]);
        assert_eq!([words("ja", 90), words("zh-TW", 5)], ["2 時間", "5 分鐘"]);
    }

    #[test]
    fn languages_go_by_their_own_names() {
        assert_eq!(language_name("ja"), "日本語");
        assert_eq!(language_name("zh-TW"), "繁體中文");
        assert_eq!(language_name("pt-BR"), "Português (Brasil)");
        assert_eq!(language_name("fr"), "fr");
        let l = Localizer::embedded();
        for (asked, locale) in [
            ("日本語", "ja"),
            ("한국어", "ko"),
            ("Español", "es"),
            ("türkçe", "tr"),
            ("pt-PT", "pt-BR"),
            ("es-MX", "es"),
        ] {
            assert_eq!(l.negotiate(asked), Some(locale), "{asked}");
        }
    }
}
