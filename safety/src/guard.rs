//! The agent outbound guard: a reply that asks the customer for their recovery phrase or a
//! private key is refused. Warnings ("never share your recovery phrase") are not requests.

mod words;

use words::{LANGUAGES, Words};

/// Whether `reply` asks for a secret, in any of the guard's languages. Judged sentence by
/// sentence, so a warning next to a request does not excuse it.
pub fn asks_for_secret(reply: &str) -> bool {
    let lower = reply.to_lowercase();
    lower.split(['.', '!', '?', '。', '！', '？', '\n', ';', '；']).any(|sentence| {
        let has = |which: fn(&Words) -> &'static [&'static str]| {
            LANGUAGES.iter().any(|words| which(words).iter().any(|word| found(sentence, word)))
        };
        has(|w| w.secrets) && has(|w| w.requests) && !has(|w| w.negations)
    })
}

/// Whether lowercased `text` names something that must never be shared (the bot's scam rules
/// read it too).
pub fn mentions_secret(text: &str) -> bool {
    LANGUAGES.iter().any(|words| words.secrets.iter().any(|word| found(text, word)))
}

/// `word` in `text` where a word begins; anywhere for words of scripts written without spaces.
fn found(text: &str, word: &str) -> bool {
    let unspaced = word.chars().next().is_some_and(|c| matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x9FFF));
    if unspaced {
        return text.contains(word);
    }
    text.match_indices(word).any(|(at, _)| text[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric()))
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

#[cfg(test)]
mod languages {
    use super::asks_for_secret;

    #[test]
    fn a_request_for_the_phrase_is_refused_in_each_language() {
        for reply in [
            "確認のため、シードフレーズを送ってください。",
            "확인을 위해 시드 문구를 보내 주세요.",
            "Пожалуйста, пришлите Вашу сид-фразу для проверки.",
            "Не могли бы Вы прислать фразу восстановления?",
            "Por favor, envíenos su frase semilla para verificar la cuenta.",
            "Por favor, informe sua frase de recuperação para liberarmos o saque.",
            "Lütfen kurtarma ifadenizi bize gönderin.",
            "Quý khách vui lòng gửi cụm từ khôi phục để xác minh.",
            "請提供您的助記詞以便核實。",
        ] {
            assert!(asks_for_secret(reply), "{reply}");
        }
    }

    #[test]
    fn a_warning_not_to_share_passes_in_each_language() {
        for reply in [
            "シードフレーズは誰にも教えないでください。",
            "시드 문구는 절대 다른 사람에게 알려 주지 마세요.",
            "Никогда никому не сообщайте сид-фразу.",
            "Nunca comparta su frase semilla con nadie.",
            "Nunca compartilhe sua frase de recuperação.",
            "Kurtarma ifadenizi kimseyle paylaşmayın.",
            "Đừng bao giờ chia sẻ cụm từ khôi phục.",
            "Envíenos el hash de la transacción, por favor.",
            "Пришлите, пожалуйста, хеш транзакции.",
        ] {
            assert!(!asks_for_secret(reply), "{reply}");
        }
    }
}
