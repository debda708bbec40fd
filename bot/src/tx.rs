//! Transaction hashes customers paste ("my deposit has not arrived: 0x…"): looked up on the
//! configured chains once the message is stored, answered in the customer's language (where
//! it is, how many confirmations, on which network, what moved, what happens next), and handed
//! to people with the lookup attached when the chain cannot settle it.

use std::sync::Arc;
use switchboard_chains::networks;
use switchboard_chains::{Chains, Lookup, LookupError, Status, TxReport};
use switchboard_core::Core;
use switchboard_core::l10n::{Arg, Localizer, duration_words};
use switchboard_core::safety::{Entity, EntityKind};

/// Hashes looked up from one message; more are left to people.
pub const MOST_HASHES: usize = 3;

/// Phrases of a customer whose transfer has not reached their account.
const NOT_CREDITED: &[&str] = &[
    "not credited",
    "not been credited",
    "wasn't credited",
    "not arrived",
    "hasn't arrived",
    "has not arrived",
    "didn't arrive",
    "did not arrive",
    "not received",
    "haven't received",
    "have not received",
    "didn't receive",
    "did not receive",
    "not showing",
    "doesn't show",
    "does not show",
    "not show up",
    "not in my account",
    "not reflected",
    "missing",
    "where is my",
    "still not",
    "没到账",
    "未到账",
    "没有到账",
    "不到账",
    "还没到",
    "没收到",
    "没有收到",
    "未收到",
    "没显示",
    "没有显示",
    "不见了",
];

/// The transaction ids among a message's entities (found when it was stored), the first
/// `MOST_HASHES`.
pub fn hashes(entities: &[Entity]) -> Vec<String> {
    entities.iter().filter(|e| e.kind == EntityKind::TxHash).map(|e| e.value.clone()).take(MOST_HASHES).collect()
}

/// What one lookup means for the customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Waiting for a block.
    Pending,
    /// In a block, short of the confirmations that credit it.
    Confirming,
    /// Final on chain.
    Credited,
    /// Final on chain, but the customer says it did not arrive: people check the platform.
    NotCredited,
    Failed,
    /// Found on another network than every one the customer named (their names).
    WrongNetwork(Vec<String>),
    /// Found on none of the chains asked (their networks).
    NotFound(Vec<String>),
    /// No chain that could hold it answered.
    Unavailable,
    /// Confirmed once, then its block was dropped.
    Reorganized,
}

impl Verdict {
    /// Whether people take over: every answer the chain cannot settle.
    pub fn hands_off(&self) -> bool {
        !matches!(self, Verdict::Pending | Verdict::Confirming | Verdict::Credited)
    }

    fn why(&self) -> &'static str {
        match self {
            Verdict::NotCredited => "tx-why-not-credited",
            Verdict::Failed => "tx-why-failed",
            Verdict::WrongNetwork(_) => "tx-why-wrong-network",
            Verdict::NotFound(_) => "tx-why-not-found",
            Verdict::Reorganized => "tx-why-reorganized",
            _ => "tx-why-unavailable",
        }
    }
}

/// The verdict on `lookup` for a customer who wrote `text`, and the chain's report it rests on.
pub fn judge<'a>(lookup: &'a Lookup, text: &str, chains: &Chains) -> (Verdict, Option<&'a TxReport>) {
    let Some(best) = lookup.found().next() else {
        if !lookup.errors.is_empty() {
            return (Verdict::Unavailable, None);
        }
        let gone = lookup.results.iter().find(|r| r.reorganized_from_block.is_some());
        if let Some(report) = gone {
            return (Verdict::Reorganized, Some(report));
        }
        return (Verdict::NotFound(lookup.results.iter().map(|r| r.network.clone()).collect()), None);
    };
    if best.reorganized_from_block.is_some() && !best.credited {
        return (Verdict::Reorganized, Some(best));
    }
    let named = named_networks(text, chains);
    let settings = chains.settings().find(|s| s.name == best.chain);
    if !named.is_empty() && !settings.is_some_and(|s| networks::names_chain(text, s)) {
        return (Verdict::WrongNetwork(named), Some(best));
    }
    let verdict = match (best.status, best.credited) {
        (Status::Failed, _) => Verdict::Failed,
        (Status::Pending, _) => Verdict::Pending,
        (_, false) => Verdict::Confirming,
        (_, true) if says_not_credited(text) => Verdict::NotCredited,
        (_, true) => Verdict::Credited,
    };
    (verdict, Some(best))
}

/// The networks the customer names: well-known ones, and configured chains by their own names.
fn named_networks(text: &str, chains: &Chains) -> Vec<String> {
    let mut named: Vec<String> = networks::mentioned(text).iter().map(|n| n.name.to_owned()).collect();
    for chain in chains.settings() {
        if networks::of(chain).is_none() && networks::names_chain(text, chain) && !named.contains(&chain.label) {
            named.push(chain.label.clone());
        }
    }
    named
}

fn says_not_credited(text: &str) -> bool {
    let text = text.to_lowercase();
    NOT_CREDITED.iter().any(|phrase| text.contains(phrase))
}

/// `0x12345678…abcdef`: enough to tell hashes apart in a chat.
fn short(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= 20 {
        return value.to_owned();
    }
    format!("{}…{}", chars[..10].iter().collect::<String>(), chars[chars.len() - 6..].iter().collect::<String>())
}

/// What the transaction moved and to whom: its tokens, else its native coin.
fn moved(report: &TxReport) -> Option<(String, String)> {
    if let Some(token) = report.tokens.first() {
        let symbol = token.symbol.clone().unwrap_or_else(|| short(&token.contract));
        return Some((format!("{} {symbol}", token.amount), short(token.to.as_deref()?)));
    }
    let amount = report.amount.as_deref().filter(|a| *a != "0")?;
    Some((format!("{amount} {}", report.symbol), short(report.to.as_deref()?)))
}

/// The customer's answer about one hash, in `locale`.
pub fn tell(localizer: &Localizer, locale: &str, hash: &str, verdict: &Verdict, report: Option<&TxReport>) -> String {
    let hash = short(hash);
    let text = |key: &str, args: &[(&str, &str)]| localizer.text(locale, key, args);
    let Some(report) = report else {
        return match verdict {
            Verdict::NotFound(networks) => text("tx-not-found", &[("hash", &hash), ("networks", &networks.join(", "))]),
            _ => text("tx-unavailable", &[("hash", &hash)]),
        };
    };
    // To the nearest minute: 108 s is "about 2 minutes".
    let eta = report
        .eta_seconds
        .map(|s| duration_words(localizer, locale, std::time::Duration::from_secs((s + 30) / 60 * 60)));
    let eta = eta.unwrap_or_default();
    // Counts go as numbers, so each language's plural rules choose the words around them.
    let args = [
        ("hash", Arg::Text(&hash)),
        ("network", Arg::Text(&report.network)),
        ("confirmations", Arg::Number(report.confirmations as f64)),
        ("required", Arg::Number(report.required_confirmations as f64)),
        ("block", report.block.map_or(Arg::Text("—"), |b| Arg::Number(b as f64))),
        ("eta", Arg::Text(&eta)),
    ];
    let message = |key: &str| localizer.message(locale, key, &args);
    let mut said = match verdict {
        Verdict::Pending => message("tx-pending"),
        Verdict::Confirming => message("tx-confirming"),
        Verdict::Credited => message("tx-credited"),
        Verdict::NotCredited => message("tx-not-credited"),
        Verdict::Failed => message("tx-failed"),
        Verdict::Reorganized => message("tx-reorganized"),
        Verdict::WrongNetwork(named) => {
            text("tx-wrong-network", &[("hash", &hash), ("found", &report.network), ("named", &named.join(", "))])
        }
        Verdict::NotFound(_) | Verdict::Unavailable => text("tx-unavailable", &[("hash", &hash)]),
    };
    if !matches!(verdict, Verdict::Failed | Verdict::Reorganized)
        && let Some((what, to)) = moved(report)
    {
        said.push(' ');
        said.push_str(&text("tx-moved", &[("what", &what), ("to", &to)]));
    }
    said
}

/// The lookup as agents read it: each chain's answer, what moved, what failed.
pub fn note(localizer: &Localizer, lookup: &Lookup) -> String {
    let text = |key: &str, args: &[(&str, &str)]| localizer.text("", key, args);
    let mut lines = vec![text("tx-note-head", &[("hash", &lookup.value)])];
    for report in &lookup.results {
        let status = if report.credited { "credited" } else { report.status.as_str() };
        let status = text(&format!("tx-status-{status}"), &[]);
        let (confirmations, required) = (report.confirmations.to_string(), report.required_confirmations.to_string());
        let block = report.block.map_or_else(|| "—".to_owned(), |b| b.to_string());
        let args = [
            ("network", report.network.as_str()),
            ("status", &status),
            ("confirmations", &confirmations),
            ("required", &required),
            ("block", &block),
        ];
        lines.push(format!("- {}", text("tx-note-result", &args)));
        if let Some(dropped) = report.reorganized_from_block {
            let dropped = dropped.to_string();
            lines.push(format!("- {}", text("tx-note-reorg", &[("network", &report.network), ("block", &dropped)])));
        }
        let parties = report.tokens.iter().map(|t| {
            (format!("{} {}", t.amount, t.symbol.as_deref().unwrap_or(&t.contract)), t.from.clone(), t.to.clone())
        });
        let native = report
            .amount
            .as_ref()
            .filter(|a| *a != "0")
            .map(|a| (format!("{a} {}", report.symbol), report.from.clone(), report.to.clone()));
        for (what, from, to) in native.into_iter().chain(parties) {
            let (from, to) = (from.unwrap_or_default(), to.unwrap_or_default());
            lines.push(format!("  {}", text("tx-note-moved", &[("what", &what), ("from", &from), ("to", &to)])));
        }
    }
    for failure in &lookup.errors {
        let args = [("network", failure.network.as_str()), ("error", failure.error.as_str())];
        lines.push(format!("- {}", text("tx-note-error", &args)));
    }
    lines.join("\n")
}

/// Looks up `hashes` from a customer's message and answers; runs beside the bot's other work
/// (a slow chain never holds up other conversations) once the message is stored.
pub async fn answer(
    core: Core,
    chains: Arc<Chains>,
    hours: Option<crate::hours::BusinessHours>,
    conversation_id: i64,
    text: String,
    hashes: Vec<String>,
) -> switchboard_core::error::Result<()> {
    let mut lookups = Vec::new();
    for hash in &hashes {
        match chains.lookup(hash, false).await {
            Ok(lookup) => lookups.push(lookup),
            Err(LookupError::NotAHash(_) | LookupError::NotAnAddress(_)) => {}
            Err(LookupError::NoChains) => return Ok(()),
        }
    }
    let store = core.store();
    let Some(conversation) = store.conversation(conversation_id).await? else { return Ok(()) };
    let locale = conversation.locale.clone().unwrap_or_default();
    let judged: Vec<(&Lookup, Verdict, Option<&TxReport>)> = lookups
        .iter()
        .map(|lookup| {
            let (verdict, report) = judge(lookup, &text, &chains);
            (lookup, verdict, report)
        })
        .collect();
    if judged.is_empty() {
        return Ok(());
    }
    for (_, verdict, _) in &judged {
        let verdict = if verdict.hands_off() { "lookup_handoff" } else { "lookup_answer" };
        metrics::counter!("switchboard_bot_decisions_total", "action" => verdict).increment(1);
    }
    let notes: Vec<String> = judged.iter().map(|(lookup, _, _)| note(core.localizer(), lookup)).collect();
    let handing = judged.iter().find(|(_, verdict, _)| verdict.hands_off()).map(|(_, verdict, _)| verdict.why());
    // People took it over while the chains answered: the lookup is for them, not the customer.
    if conversation.handoff_at.is_some() || conversation.status == switchboard_core::model::Status::Resolved {
        let post = switchboard_core::post::Post::new(
            conversation_id,
            switchboard_core::model::Author::Bot,
            None,
            notes.join("\n\n"),
            switchboard_core::post::PostKind::Note,
        );
        return core.post(post).await.map(drop);
    }
    let told: Vec<String> = judged
        .iter()
        .map(|(lookup, verdict, report)| tell(core.localizer(), &locale, &lookup.value, verdict, *report))
        .collect();
    crate::live::reply(&core, conversation_id, told.join("\n\n"), Vec::new()).await?;
    let Some(why) = handing else { return Ok(()) };
    let title = core.localizer().text("", why, &[]);
    let summary = notes.join("\n\n");
    let topic = Some((title.as_str(), summary.as_str()));
    crate::live::hand_off(&core, hours.as_ref(), &conversation, crate::Reason::Transaction, topic).await
}
