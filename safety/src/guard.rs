//! The agent outbound guard: a reply that asks the customer for their recovery phrase or a
//! private key is refused. Warnings ("never share your recovery phrase") are not requests.

/// The words for what must never be shared (lowercase; the bot's scam rules use them too).
pub const SECRETS: &[&str] = &[
    "seed phrase",
    "seed words",
    "recovery phrase",
    "recovery words",
    "mnemonic",
    "secret phrase",
    "backup phrase",
    "wallet phrase",
    "private key",
    "privatekey",
    "secret key",
    "12 words",
    "12-word",
    "24 words",
    "24-word",
    "助记词",
    "助記詞",
    "私钥",
    "私鑰",
    "恢复短语",
    "恢復短語",
    "种子短语",
    "種子短語",
    "备份短语",
    "備份短語",
    "密钥",
    "密鑰",
];
const REQUESTS: &[&str] = &[
    "send",
    "share",
    "give",
    "provide",
    "tell",
    "type",
    "enter",
    "paste",
    "dm ",
    "reply with",
    "confirm",
    "verify",
    "need",
    "what is",
    "what's",
    "input",
    "submit",
    "fill in",
    "write down here",
    "upload",
    "发",
    "發",
    "提供",
    "告诉",
    "告訴",
    "给我",
    "給我",
    "输入",
    "輸入",
    "需要",
    "验证",
    "驗證",
    "核实",
    "核實",
    "确认",
    "確認",
    "填写",
    "填寫",
    "报一下",
    "報一下",
    "是多少",
    "是什么",
    "是什麼",
];
const NEGATIONS: &[&str] = &[
    "never",
    "don't",
    "dont",
    "do not",
    "not ",
    "no one",
    "nobody",
    "won't",
    "will not",
    "must not",
    "shouldn't",
    "不要",
    "切勿",
    "请勿",
    "請勿",
    "绝不",
    "絕不",
    "不会",
    "不會",
    "永远不",
    "永遠不",
    "别",
    "別",
    "不得",
    "不能",
    "勿",
];

/// Whether `reply` asks for a secret. Judged sentence by sentence, so a warning next to a
/// request does not excuse it.
pub fn asks_for_secret(reply: &str) -> bool {
    let lower = reply.to_lowercase();
    lower.split(['.', '!', '?', '。', '！', '？', '\n', ';', '；']).any(|sentence| {
        SECRETS.iter().any(|s| sentence.contains(s))
            && REQUESTS.iter().any(|r| sentence.contains(r))
            && !NEGATIONS.iter().any(|n| sentence.contains(n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_for_secrets_are_caught_in_english_and_chinese() {
        for reply in [
            "To verify your wallet, please send us your 12-word recovery phrase.",
            "Please share your seed phrase so we can restore the funds",
            "What is your private key?",
            "请提供您的助记词，我们帮您找回资产",
            "麻烦把私钥发给我核实一下",
            "Don't worry. Send me your mnemonic and I will fix it.",
        ] {
            assert!(asks_for_secret(reply), "{reply}");
        }
    }

    #[test]
    fn warnings_and_ordinary_replies_pass() {
        for reply in [
            "Never share your recovery phrase with anyone, including us.",
            "请勿向任何人透露您的助记词或私钥。",
            "Please send us the transaction hash and your deposit address.",
            "We will never ask for your private key.",
            "请提供交易哈希，我们帮您查询。",
        ] {
            assert!(!asks_for_secret(reply), "{reply}");
        }
    }
}
