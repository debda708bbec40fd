//! Languages by name and by text: the locale a language's own name stands for, a language's
//! own name, and the language a customer's message is written in.

/// The locale a language's own name (or its English name) stands for: what a customer may
/// type after `/lang`.
pub(super) fn language_by_name(name: &str) -> Option<&'static str> {
    const NAMES: &[(&str, &[&str])] = &[
        ("en-US", &["english"]),
        ("zh-CN", &["中文", "简体中文", "简体", "普通话", "chinese", "simplified chinese"]),
        ("zh-TW", &["繁體中文", "繁体中文", "繁體", "正體中文", "traditional chinese"]),
        ("ja", &["日本語", "にほんご", "japanese"]),
        ("ko", &["한국어", "한글", "korean"]),
        ("ru", &["русский", "russian"]),
        ("es", &["español", "espanol", "castellano", "spanish"]),
        ("vi", &["tiếng việt", "tieng viet", "vietnamese"]),
        ("tr", &["türkçe", "turkce", "turkish"]),
        ("pt-BR", &["português", "portugues", "português do brasil", "portuguese"]),
    ];
    let name = name.trim().to_lowercase();
    NAMES.iter().find(|(_, names)| names.contains(&name.as_str())).map(|(tag, _)| *tag)
}

/// A language as its speakers name it (`日本語`, `Español`), for a locale or a language tag; the
/// tag itself when it is none of ours.
pub fn language_name(locale: &str) -> String {
    const OWN: &[(&str, &str)] = &[
        ("en", "English"),
        ("zh-CN", "简体中文"),
        ("zh-TW", "繁體中文"),
        ("zh", "中文"),
        ("ja", "日本語"),
        ("ko", "한국어"),
        ("ru", "Русский"),
        ("es", "Español"),
        ("vi", "Tiếng Việt"),
        ("tr", "Türkçe"),
        ("pt", "Português (Brasil)"),
    ];
    let language = locale.split(['-', '_']).next().unwrap_or(locale);
    OWN.iter()
        .find(|(tag, _)| tag.eq_ignore_ascii_case(locale))
        .or_else(|| OWN.iter().find(|(tag, _)| tag.eq_ignore_ascii_case(language)))
        .map_or_else(|| locale.to_owned(), |(_, name)| (*name).to_owned())
}

/// Detects the language of customer text as a BCP 47 tag (`zh-CN`, `en-US`, `es`, …), or `None`
/// when the text is too short or ambiguous to say.
pub fn detect_language(text: &str) -> Option<String> {
    // Hashes, addresses and other codes are no language: "请帮我看看这笔转账 0x5c50…" is Chinese.
    let text = &without_codes(text);
    let han = text.chars().filter(|c| is_han(*c)).count();
    let kana = text.chars().filter(|c| matches!(*c as u32, 0x3040..=0x30FF | 0x31F0..=0x31FF)).count();
    let hangul =
        text.chars().filter(|c| matches!(*c as u32, 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F)).count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    // Japanese by its kana, even when kanji outnumber them; Korean by its letters.
    if kana >= 1 && (han + kana) * 2 >= letters {
        return Some("ja".to_owned());
    }
    if hangul >= 2 && hangul * 2 >= letters {
        return Some("ko".to_owned());
    }
    // Chinese customers write English names among the characters ("Bitcoin 與稅收的關係"):
    // three characters or more make a message Chinese when they are a quarter of its letters.
    if han >= 2 && (han * 2 >= letters || (han >= 3 && han * 4 >= letters)) {
        return Some(if traditional_script(text) { "zh-TW" } else { "zh-CN" }.to_owned());
    }
    // Letters only one language of ours writes: chat is too short for statistics to be sure.
    let has = |set: &str| text.chars().filter(|c| set.contains(c.to_lowercase().next().unwrap_or(*c))).count();
    let cyrillic = text.chars().filter(|c| matches!(*c as u32, 0x0400..=0x04FF)).count();
    if cyrillic >= 4 && cyrillic * 2 >= letters {
        return Some(if has("іїєґ") > 0 { "uk" } else { "ru" }.to_owned());
    }
    if has("ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ") >= 2
    {
        return Some("vi".to_owned());
    }
    if has("ğşı") >= 1 && letters >= 8 {
        return Some("tr".to_owned());
    }
    if has("ãõ") >= 1 && letters >= 8 {
        return Some("pt-BR".to_owned());
    }
    if has("ñ¿¡") >= 1 && letters >= 8 {
        return Some("es".to_owned());
    }
    // Short text ("help", "ok", "/status") is ambiguous in any language: don't ask.
    if letters < 12 {
        return None;
    }
    let info = whatlang::detect(text)?;
    // whatlang's own `is_reliable` rejects nearly every chat-length message; a confidence
    // floor keeps the undecidable undecided.
    if info.confidence() < 0.5 {
        return None;
    }
    use whatlang::Lang::*;
    let tag = match info.lang() {
        Eng => "en-US",
        Cmn => "zh-CN",
        Spa => "es",
        Fra => "fr",
        Deu => "de",
        Rus => "ru",
        Jpn => "ja",
        Kor => "ko",
        Por => "pt-BR",
        Ita => "it",
        Tur => "tr",
        Vie => "vi",
        Ind => "id",
        Ara => "ar",
        Ukr => "uk",
        Nld => "nl",
        Pol => "pl",
        Tha => "th",
        Hin => "hi",
        other => other.code(),
    };
    Some(tag.to_owned())
}

/// `text` without its codes: runs of 16 ASCII letters and digits or more with digits among
/// them (a hash, an address, an id), even when written against other words ("转账0x5c50…").
fn without_codes(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, kept: &mut String| {
        let code = run.len() >= 16 && run.bytes().any(|b| b.is_ascii_digit());
        if !code {
            kept.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            run.push(c);
        } else {
            flush(&mut run, &mut kept);
            kept.push(c);
        }
    }
    flush(&mut run, &mut kept);
    kept
}

/// Chinese written in traditional characters: more of its characters are written so only in
/// the traditional script (們, 這, 說, 錢, 幣, 帳…) than only in the simplified one.
fn traditional_script(text: &str) -> bool {
    const TRADITIONAL: &str = "們這說錢幣帳戶號還沒轉發處問題買賣給時間嗎麼為個會來對過後從點開關電話網認證確碼換體應該請謝據資訊導銀聯絡標準將讓幫實務態額續費寫類檢驗錯誤覺總經優讀詢門與區塊鏈礦儲內並傳動帶貨錄線頁則們";
    const SIMPLIFIED: &str = "们这说钱币账户号还没转发处问题买卖给时间吗么为个会来对过后从点开关电话网认证确码换体应该请谢据资讯导银联络标准将让帮实务态额续费写类检验错误觉总经优读询门与区块链矿储内并传动带货录线页则们";
    let count = |set: &str| text.chars().filter(|c| set.contains(*c)).count();
    count(TRADITIONAL) > count(SIMPLIFIED)
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0xF900..=0xFAFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_recognises_chinese_and_english_and_abstains_on_short_text() {
        assert_eq!(detect_language("我的充值还没有到账，请帮我查一下").as_deref(), Some("zh-CN"));
        assert_eq!(
            detect_language("My deposit has not arrived yet, could you please check it?").as_deref(),
            Some("en-US")
        );
        assert_eq!(detect_language("ok"), None);
        let hash = "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060";
        assert_eq!(detect_language(&format!("请帮我看看这笔转账{hash}")).as_deref(), Some("zh-CN"));
        assert_eq!(detect_language(&format!("{hash} 到了吗")).as_deref(), Some("zh-CN"));
        assert_eq!(detect_language(hash), None);
        // English names among the characters.
        assert_eq!(detect_language("為何人們信任 Bitcoin ？").as_deref(), Some("zh-TW"));
        assert_eq!(detect_language("USDT 提现一直没到账").as_deref(), Some("zh-CN"));
    }

    #[test]
    fn detection_tells_the_scripts_and_the_languages_apart() {
        assert_eq!(detect_language("我的儲值還沒有到帳，請幫我查一下").as_deref(), Some("zh-TW"));
        assert_eq!(detect_language("我的充值还没有到账，请帮我查一下").as_deref(), Some("zh-CN"));
        assert_eq!(detect_language("入金がまだ反映されていません").as_deref(), Some("ja"), "kana among kanji");
        assert_eq!(detect_language("出金申請が承認されない").as_deref(), Some("ja"));
        assert_eq!(detect_language("입금이 아직 안 들어왔어요").as_deref(), Some("ko"));
        assert_eq!(detect_language("Мой депозит до сих пор не пришёл, помогите пожалуйста").as_deref(), Some("ru"));
        assert_eq!(detect_language("Mi depósito todavía no ha llegado, ¿pueden revisarlo?").as_deref(), Some("es"));
        assert_eq!(
            detect_language("Khoản nạp của tôi vẫn chưa về tài khoản, giúp tôi kiểm tra").as_deref(),
            Some("vi")
        );
        assert_eq!(
            detect_language("Yatırdığım para hâlâ hesabıma geçmedi, kontrol eder misiniz").as_deref(),
            Some("tr")
        );
        assert_eq!(detect_language("Meu depósito ainda não caiu na conta, podem verificar?").as_deref(), Some("pt-BR"));
    }
}
