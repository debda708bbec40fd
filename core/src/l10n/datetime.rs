//! `DATETIME` for Fluent messages: a wall-clock time in the words and order of the reader's
//! locale (CLDR patterns through ICU4X), with Intl's `dateStyle` and `timeStyle` options.

use fluent_bundle::types::FluentType;
use fluent_bundle::{FluentArgs, FluentValue};
use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::builder::{DateFields, FieldSetBuilder};
use icu_datetime::input::{Date, DateTime, Time};
use icu_datetime::options::{Length, TimePrecision};
use icu_locale_core::Locale;
use std::borrow::Cow;

/// A wall-clock time (already in the zone its reader is told about), as a message argument.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment(pub jiff::civil::DateTime);

impl Moment {
    /// The time without a locale (`2026-12-07 09:00`): what `{ $when }` shows outside `DATETIME`.
    fn plain(&self) -> Cow<'static, str> {
        Cow::Owned(self.0.strftime("%Y-%m-%d %H:%M").to_string())
    }
}

impl FluentType for Moment {
    fn duplicate(&self) -> Box<dyn FluentType + Send> {
        Box::new(*self)
    }

    fn as_string(&self, _: &intl_memoizer::IntlLangMemoizer) -> Cow<'static, str> {
        self.plain()
    }

    fn as_string_threadsafe(&self, _: &intl_memoizer::concurrent::IntlLangMemoizer) -> Cow<'static, str> {
        self.plain()
    }
}

/// The `DATETIME` function of a bundle in `locale`.
pub(super) fn function(
    locale: Locale,
) -> impl for<'a> Fn(&[FluentValue<'a>], &FluentArgs) -> FluentValue<'a> + Send + Sync + 'static {
    move |positional, named| datetime(&locale, positional, named)
}

fn datetime(locale: &Locale, positional: &[FluentValue<'_>], named: &FluentArgs) -> FluentValue<'static> {
    let Some(FluentValue::Custom(value)) = positional.first() else {
        return FluentValue::Error;
    };
    let Some(moment) = (**value).as_any().downcast_ref::<Moment>() else {
        return FluentValue::Error;
    };
    let style = |name: &str| match named.get(name) {
        Some(FluentValue::String(style)) => Some(style.to_string()),
        _ => None,
    };
    let text = format(locale, moment.0, style("dateStyle").as_deref(), style("timeStyle").as_deref());
    FluentValue::String(text.map_or_else(|| moment.plain(), Cow::Owned))
}

/// `at` in `locale`: `dateStyle` full (with the weekday), long, medium or short; `timeStyle`
/// short (to the minute) or medium (to the second); neither is a medium date, as in Intl.
fn format(
    locale: &Locale,
    at: jiff::civil::DateTime,
    date_style: Option<&str>,
    time_style: Option<&str>,
) -> Option<String> {
    let mut builder = FieldSetBuilder::new();
    let (fields, length) = match date_style {
        Some("full") => (Some(DateFields::YMDE), Length::Long),
        Some("long") => (Some(DateFields::YMD), Length::Long),
        Some("short") => (Some(DateFields::YMD), Length::Short),
        Some(_) => (Some(DateFields::YMD), Length::Medium),
        None if time_style.is_some() => (None, Length::Medium),
        None => (Some(DateFields::YMD), Length::Medium),
    };
    builder.date_fields = fields;
    builder.length = Some(length);
    builder.time_precision = time_style.map(|style| match style {
        "short" => TimePrecision::Minute,
        _ => TimePrecision::Second,
    });
    let fields = builder.build_composite_datetime().ok()?;
    let formatter = DateTimeFormatter::try_new(locale.clone().into(), fields).ok()?;
    let input = DateTime {
        date: Date::try_new_iso(i32::from(at.year()), at.month() as u8, at.day() as u8).ok()?,
        time: Time::try_new(at.hour() as u8, at.minute() as u8, at.second() as u8, 0).ok()?,
    };
    Some(formatter.format(&input).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> jiff::civil::DateTime {
        jiff::civil::date(2026, 12, 7).at(9, 30, 0, 0)
    }

    fn in_locale(tag: &str, date: Option<&str>, time: Option<&str>) -> String {
        format(&tag.parse().unwrap(), at(), date, time).unwrap()
    }

    #[test]
    fn a_full_date_and_time_reads_in_each_locales_words_and_order() {
        assert_eq!(in_locale("en-US", Some("full"), Some("short")), "Monday, December 7, 2026 at 9:30\u{202f}AM");
        assert!(in_locale("ja", Some("full"), Some("short")).starts_with("2026年12月7日月曜日"));
        assert!(in_locale("zh-TW", Some("full"), Some("short")).contains("上午9:30"));
        assert!(in_locale("ko", Some("full"), Some("short")).contains("월요일 오전 9:30"));
        assert!(in_locale("ru", Some("full"), Some("short")).starts_with("понедельник, 7 декабря 2026"));
        assert!(in_locale("es", Some("full"), Some("short")).starts_with("lunes, 7 de diciembre de 2026"));
        assert!(in_locale("tr", Some("full"), Some("short")).starts_with("7 Aralık 2026 Pazartesi"));
        assert!(in_locale("pt-BR", Some("full"), Some("short")).starts_with("segunda-feira, 7 de dezembro"));
        assert!(in_locale("vi", Some("full"), Some("short")).contains("Thứ Hai"));
    }

    #[test]
    fn styles_choose_the_fields_as_intl_does() {
        assert!(!in_locale("en-US", Some("long"), None).contains("Monday"));
        assert!(!in_locale("en-US", Some("long"), None).contains("9:30"));
        assert!(in_locale("ru", None, Some("short")).contains("09:30"));
        assert!(!in_locale("ru", None, Some("short")).contains("2026"));
        assert!(in_locale("ru", None, Some("medium")).contains("09:30:00"));
        assert!(in_locale("de", None, None).contains("2026"));
    }
}
