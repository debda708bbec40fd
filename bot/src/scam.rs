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
const MORE_SECRETS: &[&str] = &[
    "twelve words",
    "twenty four words",
    "private keys",
    "recovery words",
    "secret words",
    "seed",
    "6-digit code",
    "6 digit code",
    "2fa code",
    "authenticator code",
    "verification code",
    "个单词",
    "个词",
    "恢复词",
    "验证码",
    "谷歌验证码",
];

/// Someone else: a stranger, staff real or pretended, "they".
const SOMEONE: &[&str] = &[
    "someone",
    "somebody",
    "a guy",
    "a man",
    "a woman",
    "a lady",
    "a person",
    "a friend",
    "he",
    "she",
    "they",
    "them",
    "admin",
    "admins",
    "moderator",
    "mod",
    "support",
    "agent",
    "manager",
    "customer service",
    "the exchange",
    "the platform",
    "the website",
    "the site",
    "the app",
    "a message",
    "an email",
    "有人",
    "有个",
    "他们",
    "对方",
    "他说",
    "她说",
    "管理员",
    "版主",
    "客服",
    "经理",
    "平台",
    "网站",
    "朋友",
    "电话",
    "邮件",
    "消息",
];

/// Asked or told, without saying by whom.
const PASSIVE: &[&str] = &["was told", "were told", "was asked", "were asked", "supposed to", "被要求", "被告知"];

/// Someone asking for something, or telling the customer to do something.
const ASKED_FOR: &[&str] = &[
    "asked for",
    "asked me",
    "asking for",
    "asking me",
    "asks for",
    "asks me",
    "ask me",
    "was asked",
    "wants my",
    "wanted my",
    "want my",
    "wants me",
    "wanted me",
    "told me to",
    "tells me to",
    "telling me to",
    "says i must",
    "says i need",
    "says i have to",
    "said i must",
    "said i need",
    "said i have to",
    "says they need",
    "said they need",
    "need my",
    "needs my",
    "requested",
    "demanded",
    "sent me to",
    "sent me a link",
    "sent me a form",
    "to send him",
    "to send her",
    "to send them",
    "to give him",
    "to give her",
    "to give them",
    "read out",
    "said to",
    "says to",
    "says my",
    "said my",
    "supposed to",
    "说把",
    "要我",
    "让我",
    "叫我",
    "索要",
    "要求我",
    "问我要",
    "跟我要",
    "向我要",
    "找我要",
    "说我要",
    "说要",
    "需要我",
    "要先",
    "才能",
];

/// What a thief is after besides the secret: the customer's screen, a signature, money sent ahead.
const SCAM_ASKS: &[&str] = &[
    // Remote access.
    "anydesk",
    "teamviewer",
    "rustdesk",
    "remote desktop",
    "remote access",
    "remote control",
    "share my screen",
    "share your screen",
    "share the screen",
    "screen sharing",
    "screen share",
    "向日葵",
    "远程",
    "共享屏幕",
    "屏幕共享",
    // A wallet connected and a transaction signed on a site they chose.
    "connect my wallet",
    "connect your wallet",
    "connect wallet",
    "approve a transaction",
    "sign a transaction",
    "连接钱包",
    "签名",
    "批准一笔",
];

/// Money paid to get one's own money: the fee's name, and what it would release.
const PAYMENT: &[&str] = &[
    "fee",
    "tax",
    "taxes",
    "guarantee",
    "deposit",
    "top up",
    "pay",
    "payment",
    "费",
    "税",
    "押金",
    "保证金",
    "交钱",
    "付款",
    "先付",
    "先交",
    "再充",
];
const RELEASE: &[&str] = &[
    "unlock",
    "unlocking",
    "unfreeze",
    "unfreezing",
    "release",
    "releasing",
    "activate",
    "activating",
    "reactivate",
    "frozen",
    "suspended",
    "解冻",
    "解锁",
    "激活",
    "释放",
    "放出来",
    "被冻结",
];

/// Money held hostage: a payment that is not a network fee.
const HOSTAGE: &[&str] =
    &["tax", "taxes", "guarantee", "deposit another", "deposit more", "top up", "税", "押金", "保证金", "再充"];
const CASH_OUT: &[&str] = &[
    "withdraw",
    "withdrawal",
    "withdrawals",
    "withdrawing",
    "cash out",
    "cashing out",
    "release",
    "releasing",
    "提现",
    "提币",
    "拿回",
    "取出",
];

/// Where a secret is typed for a thief.
const SITE: &[&str] = &["website", "site", "link", "form", "网站", "链接", "表单", "网页"];
const ENTER: &[&str] = &["enter", "entering", "type", "typing", "input", "fill", "输入", "填写", "填"];

/// Schemes whose own words are enough.
const SCHEMES: &[&str] = &[
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
    "pay tax to withdraw",
    "deposit more to withdraw",
    "verification address",
    "解冻费",
    "解锁费",
    "激活费",
    "验证费",
    "释放费",
    "验证地址",
    "保证金才能提",
    "交税才能提",
    // "Recovery" of stolen funds, for a fee.
    "recovery company",
    "recovery service",
    "recovery agent",
    "recovery expert",
    "recovery hacker",
    "fund recovery",
    "funds recovery",
    "recover my funds",
    "recover my stolen",
    "recover the stolen",
    "trace my stolen",
    "追回资金",
    "追回被骗",
    "追回被盗",
    "追回公司",
    "追回服务",
    "挽回损失",
    "追款",
    "黑客追回",
    // Phishing reported: a copy of our site, our app or our staff.
    "phishing",
    "fake website",
    "fake site",
    "fake app",
    "fake support",
    "fake admin",
    "pretending to be your",
    "pretending to be you",
    "impersonating your",
    "impersonating you",
    "钓鱼网站",
    "钓鱼链接",
    "钓鱼邮件",
    "假网站",
    "假冒官网",
    "仿冒",
    "冒充你们",
    "冒充客服",
    // Wallet "validation" and airdrop or compensation sites.
    "validate my wallet",
    "validate your wallet",
    "validate the wallet",
    "\"validate\" my wallet",
    "verify my wallet",
    "verify your wallet",
    "sync my wallet",
    "synchronize my wallet",
    "rectify my wallet",
    "rectified",
    "wallet validation",
    "validation site",
    "connect my wallet to claim",
    "claim the airdrop",
    "claim my airdrop",
    "claim compensation",
    "airdrop site",
    "验证钱包",
    "同步钱包",
    "修复钱包",
    "钱包需要修复",
    "领取空投",
    "领取补偿",
    "空投网站",
    // Doubling.
    "double my",
    "double your",
    "翻倍",
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
    "from your security team",
    "管理员私信",
    "客服私信我",
    "冒充客服",
    "假客服",
    "自称客服",
    "自称是你们",
    "自称交易所",
    "你们安全团队",
];

/// Giving something away.
const SHARE: &[&str] = &[
    "share",
    "give",
    "send",
    "tell",
    "provide",
    "enter",
    "type",
    "store",
    "put",
    "screenshot",
    "告诉",
    "提供",
    "发给",
    "给客服",
    "交给",
    "分享",
    "输入",
    "存",
    "放",
    "截图",
    "给",
];

/// Asking whether.
const WHETHER: &[&str] = &[
    "is it ok",
    "is it okay",
    "is it fine",
    "is it safe",
    "safe to",
    "should i",
    "can i",
    "do i need",
    "do i have to",
    "must i",
    "may i",
    "will you need",
    "do you need",
    "does support",
    "will you",
    "who should",
    "可以",
    "需要",
    "要不要",
    "能不能",
    "应该",
    "安全吗",
    "能",
    "会找我要",
];

/// Whether `text` is a scam report or a question about sharing a secret. A report is a
/// scheme's own words, or someone else asking for a secret or for what thieves ask besides
/// (the screen, a connected wallet, a signature), or money to be paid to release funds.
pub fn read(text: &str) -> Option<Scam> {
    let lower = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| crate::decide::contains_phrase(&lower, w));
    let secret = has(switchboard_core::safety::guard::SECRETS) || has(MORE_SECRETS);
    let someone_asks = has(PASSIVE) || (has(SOMEONE) && has(ASKED_FOR));
    let ransom = has(PAYMENT) && has(RELEASE);
    let hostage = has(HOSTAGE) && has(CASH_OUT);
    let phished = secret && has(SITE) && has(ENTER);
    if has(SCHEMES) || hostage || phished || (someone_asks && (secret || has(SCAM_ASKS) || ransom)) {
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
