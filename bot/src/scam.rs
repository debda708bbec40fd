//! Scam reports and questions about sharing secrets, read before anything else: a customer who
//! describes a third party asking for their recovery phrase or key, remote access, a fee to
//! "unlock" or "verify" funds, a "recovery service", a wallet "validation" or airdrop site, or an
//! impersonated admin is told at once that it is a scam (and goes to people); a customer who
//! asks whether they may share their phrase is told never. English and Chinese.

/// What a message is, where it is one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scam {
    /// Someone is trying to take the customer's funds: warn now, and people take over.
    Report,
    /// "May I give my recovery phrase to support?": the answer is never.
    AsksToShare,
}

/// Words for what must never be shared: the guard's, and the ones customers say besides.
const MORE_SECRETS: &[&str] = &["twelve words"];

/// Someone asking for something.
const ASKED_FOR: &[&str] = &[
    "asked for",
    "asked me",
    "asking for",
    "asking me",
    "asks for",
    "asks me",
    "wants my",
    "wanted my",
    "want my",
    "told me to",
    "requested",
    "demanded",
    "needs my",
    "need my",
    "to send him",
    "to send her",
    "to send them",
    "to give him",
    "to give her",
    "to give them",
    "要我",
    "让我",
    "叫我",
    "索要",
    "要求我",
    "问我要",
    "跟我要",
    "向我要",
];

/// The scammers' own words for what they are after, specific enough to stand alone.
const SCHEMES: &[&str] = &[
    // Remote access.
    "anydesk",
    "teamviewer",
    "rustdesk",
    "remote desktop",
    "remote access",
    "share my screen",
    "screen sharing",
    "向日葵",
    "远程控制",
    "远程协助",
    "屏幕共享",
    // A fee to get one's own money.
    "unlock fee",
    "unfreeze fee",
    "unfreezing fee",
    "verification fee",
    "activation fee",
    "release fee",
    "withdrawal tax",
    "pay a fee to unlock",
    "pay to unlock",
    "pay to withdraw",
    "pay a fee to withdraw",
    "pay tax to withdraw",
    "deposit more to withdraw",
    "解冻费",
    "解锁费",
    "激活费",
    "验证费",
    "保证金才能提",
    "交税才能提",
    "先交钱",
    // "Recovery" of stolen funds, for a fee.
    "recovery company",
    "recovery service",
    "recovery agent",
    "recovery expert",
    "fund recovery",
    "funds recovery",
    "recover my funds",
    "recover my stolen",
    "recover the stolen",
    "追回资金",
    "追回被骗",
    "挽回损失",
    "追款",
    "黑客追回",
    // Wallet "validation" and airdrop sites.
    "validate my wallet",
    "validate your wallet",
    "validate the wallet",
    "sync my wallet",
    "synchronize my wallet",
    "rectify my wallet",
    "wallet validation",
    "validation site",
    "connect my wallet to claim",
    "claim the airdrop",
    "claim my airdrop",
    "airdrop site",
    "验证钱包",
    "同步钱包",
    "领取空投",
    "空投网站",
    // Impersonated staff.
    "admin messaged me",
    "admin dmed me",
    "admin dm'd me",
    "support messaged me first",
    "support dmed me",
    "claims to be support",
    "claiming to be support",
    "claimed to be support",
    "pretending to be support",
    "says he is from your team",
    "says he's from your team",
    "said he was from your team",
    "管理员私信",
    "客服私信我",
    "冒充客服",
    "假客服",
    "自称客服",
    "自称是你们",
];

/// Giving something away.
const SHARE: &[&str] =
    &["share", "give", "send", "tell", "provide", "enter", "type", "告诉", "提供", "发给", "给客服", "交给"];

/// Asking whether.
const WHETHER: &[&str] = &[
    "is it ok",
    "is it okay",
    "is it safe",
    "should i",
    "can i",
    "do i need",
    "do i have to",
    "must i",
    "may i",
    "will you need",
    "do you need",
    "可以",
    "需要",
    "要不要",
    "能不能",
    "应该",
    "安全吗",
];

/// Whether `text` is a scam report or a question about sharing a secret.
pub fn read(text: &str) -> Option<Scam> {
    let lower = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| crate::decide::contains_phrase(&lower, w));
    let secret = has(switchboard_core::safety::guard::SECRETS) || has(MORE_SECRETS);
    if has(SCHEMES) || (secret && has(ASKED_FOR)) {
        return Some(Scam::Report);
    }
    if secret && has(SHARE) && (has(WHETHER) || lower.contains('?') || lower.contains('？')) {
        return Some(Scam::AsksToShare);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_of_scams_in_progress_are_recognised() {
        for text in [
            "someone from your Telegram group asked for my 12 words to fix my withdrawal",
            "a 'recovery company' wants a 10% fee to get my stolen USDT back",
            "the admin asked me to install AnyDesk so he can check my account",
            "they say I must pay an unlock fee before I can withdraw",
            "a support agent DMed me a link to validate my wallet, is it legit",
            "I got a message from someone who claims to be support",
            "群里的管理员问我要助记词，说帮我解决提现问题",
            "有个客服让我下载向日葵远程控制",
            "平台说要先交解冻费才能提现",
            "有人说可以帮我追回被骗的币，要收10%",
        ] {
            assert_eq!(read(text), Some(Scam::Report), "{text}");
        }
    }

    #[test]
    fn questions_about_sharing_a_phrase_are_told_never() {
        for text in [
            "is it ok to share my recovery phrase with support?",
            "do I need to give you my private key to fix this",
            "can I send my seed phrase to your agent",
            "我可以把助记词告诉客服吗",
        ] {
            assert_eq!(read(text), Some(Scam::AsksToShare), "{text}");
        }
    }

    #[test]
    fn ordinary_questions_are_neither() {
        for text in [
            "what is the withdrawal fee for USDT",
            "how do I back up my recovery phrase",
            "I lost my seed phrase, how can I restore my wallet",
            "my deposit has not arrived after two hours",
            "how long does unstaking take",
            "如何备份助记词",
            "提币手续费是多少",
            "why do I have to pay a network fee",
            "can I get an airdrop for staking",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
    }
}

#[cfg(test)]
mod warnings {
    /// The warnings the bot sends must pass the guard on replies (which refuses anything that
    /// asks for a secret): the starter knowledge base's and the built-in ones.
    #[test]
    fn the_warnings_pass_the_guard_on_replies() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut texts = Vec::new();
        for article in ["kb/en-US/scam-warning.md", "kb/zh-CN/scam-warning.md"] {
            texts.push(std::fs::read_to_string(root.join(article)).unwrap());
        }
        let localizer = switchboard_core::l10n::Localizer::embedded();
        for locale in localizer.available() {
            texts.push(localizer.text(locale, "bot-scam-warning", &[]));
        }
        for text in texts {
            assert!(!switchboard_core::safety::guard::asks_for_secret(&text), "{text}");
        }
    }
}
