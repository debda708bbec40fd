//! Scam reports and questions about sharing secrets, read before anything else: a customer who
//! describes a third party asking for their recovery phrase or key, remote access, a fee to
//! "unlock" or "verify" funds, a "recovery service", a wallet "validation" or airdrop site, or an
//! impersonated admin is told at once that it is a scam (and goes to people); a customer who
//! asks whether they may share their phrase is told never. In every language of `cues`.

use crate::cues::Cues;

/// What a message is, where it is one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scam {
    /// Someone is trying to take the customer's funds: warn now, and people take over.
    Report,
    /// "May I give my recovery phrase to support?": the answer is never.
    AsksToShare,
}

/// Whether `text` is a scam report or a question about sharing a secret. A report is a
/// scheme's own words, or someone else asking for a secret or for what thieves ask besides
/// (the screen, a connected wallet, a signature), or money to be paid to release funds.
pub fn read(text: &str) -> Option<Scam> {
    let lower = text.to_lowercase();
    let has = |which: fn(&Cues) -> &'static [&'static str]| crate::cues::any(&lower, which);
    let secret = switchboard_core::safety::guard::mentions_secret(&lower) || has(|c| c.more_secrets);
    let someone_asks = has(|c| c.passive) || (has(|c| c.someone) && has(|c| c.asked_for));
    let ransom = has(|c| c.payment) && has(|c| c.release);
    let hostage = has(|c| c.hostage) && has(|c| c.cash_out);
    let phished = secret && has(|c| c.site) && has(|c| c.enter);
    if has(|c| c.schemes) || hostage || phished || (someone_asks && (secret || has(|c| c.scam_asks) || ransom)) {
        return Some(Scam::Report);
    }
    if secret && has(|c| c.share) && (has(|c| c.whether) || lower.contains('?') || lower.contains('？')) {
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
            "I got a phishing email that looks exactly like yours",
            "there is a fake website copying your exchange",
            "someone on Telegram is pretending to be your support",
            "收到一个钓鱼链接，说是你们的活动",
            "有人冒充客服加我好友",
        ] {
            assert_eq!(read(text), Some(Scam::Report), "{text}");
        }
    }

    #[test]
    fn schemes_are_recognised_by_their_parts_not_only_by_set_phrases() {
        for text in [
            // Someone else asking for a secret, the screen, or a signature.
            "the guy from the help desk told me to install TeamViewer so he can look",
            "a mod wants me to share my screen while I open the wallet",
            "someone asked me to read out my seed words over the phone",
            "对方让我把私钥发给他核对",
            // Money to release money: a tax, a guarantee, a deposit to unlock.
            "the platform says I must pay taxes before I can withdraw my profit",
            "my account manager wants a 15% guarantee before releasing my funds",
            "客户经理说要先交保证金才能提现",
            "I was told to pay a fee to unfreeze my account",
            // A site that wants the phrase typed in.
            "a website asked me to enter my recovery phrase to keep my wallet active",
            "有个网页让我输入助记词来激活钱包",
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
            "do I have to pay a fee to withdraw USDT",
            "my account is frozen, how do I unlock it",
            "how do I connect my wallet to your app",
            "提币要交手续费吗",
            "账户被冻结了怎么解冻",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
    }
}

#[cfg(test)]
mod warnings {
    /// The warnings the bot sends must pass the guard on replies (which refuses anything that
    /// asks for a secret), in every language: the starter knowledge base's and every customer
    /// message of every locale, the safety warnings above all, which name the secrets to keep.
    #[test]
    fn the_warnings_pass_the_guard_on_replies() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut texts = Vec::new();
        for folder in std::fs::read_dir(root.join("kb")).unwrap() {
            let article = folder.unwrap().path().join("scam-warning.md");
            // The body: the front matter holds customers' questions, which may well ask.
            let text = std::fs::read_to_string(article).unwrap();
            texts.push(text.splitn(3, "+++").last().unwrap().to_owned());
        }
        let localizer = switchboard_core::l10n::Localizer::embedded();
        // What customers read: main.ftl's messages (the others are the agents').
        let customers = std::fs::read_to_string(root.join("locales/en-US/main.ftl")).unwrap();
        let keys: Vec<&str> = customers.lines().filter_map(|line| Some(line.split_once(" = ")?.0)).collect();
        for locale in localizer.available() {
            for key in keys.iter().filter(|key| !key.starts_with(['#', ' ', '-'])) {
                texts.push(localizer.text(locale, key, &[]));
            }
        }
        for text in texts {
            assert!(!switchboard_core::safety::guard::asks_for_secret(&text), "{text}");
        }
    }
}
