//! The words the bot's rules read, one file per language: asking for a person, anger, a broken-
//! into account, and the parts of a scam report. A message is read against every language at
//! once (customers mix them: "my 助记词", "seed phrase を教えて"), all in lowercase.

mod en;
mod es;
mod ja;
mod ko;
mod pt;
mod ru;
mod tr;
mod vi;
mod zh;

/// One language's cues. An ASCII cue matches whole words; any other matches where it appears,
/// so a stem ("отправ", "envi") takes every ending its language gives it (`text::stands_at`).
pub struct Cues {
    /// Asking for a person rather than the bot.
    pub person: &'static [&'static str],
    /// Anger, a lawyer, the police, a regulator: people take over.
    pub upset: &'static [&'static str],
    /// An account or wallet broken into.
    pub compromised: &'static [&'static str],
    /// The customer's own account, order or transaction: people look it up.
    pub account: &'static [&'static str],
    /// Words for what must never be shared, besides the outbound guard's.
    pub more_secrets: &'static [&'static str],
    /// Someone else: a stranger, staff real or pretended, "they".
    pub someone: &'static [&'static str],
    /// Asked or told, without saying by whom.
    pub passive: &'static [&'static str],
    /// Someone asking for something, or telling the customer to do something.
    pub asked_for: &'static [&'static str],
    /// What a thief is after besides the secret: the screen, a signature, money sent ahead.
    pub scam_asks: &'static [&'static str],
    /// Money paid to get one's own money: the fee's name…
    pub payment: &'static [&'static str],
    /// …and what it would release.
    pub release: &'static [&'static str],
    /// Money held hostage: a payment that is not a network fee…
    pub hostage: &'static [&'static str],
    /// …before the customer may take their money out.
    pub cash_out: &'static [&'static str],
    /// Where a secret is typed for a thief…
    pub site: &'static [&'static str],
    /// …and the typing.
    pub enter: &'static [&'static str],
    /// Schemes whose own words are enough.
    pub schemes: &'static [&'static str],
    /// Giving something away.
    pub share: &'static [&'static str],
    /// Asking whether.
    pub whether: &'static [&'static str],
}

/// Every language's cues.
const ALL: &[&Cues] =
    &[&en::CUES, &zh::CUES, &ja::CUES, &ko::CUES, &ru::CUES, &es::CUES, &pt::CUES, &tr::CUES, &vi::CUES];

/// Whether `lower` (lowercased text) holds one of the cues `which` picks, in any language.
pub fn any(lower: &str, which: fn(&Cues) -> &'static [&'static str]) -> bool {
    ALL.iter().any(|cues| which(cues).iter().any(|cue| crate::text::phrase_at(lower, cue).is_some()))
}
