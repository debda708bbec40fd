//! The secret detector against a corpus built here: generated recovery phrases in all ten
//! BIP39 languages, every layout customers use, with and without typos and valid checksums;
//! keys of every kind; and ordinary support messages in English and Chinese that must be left
//! alone. Prints recall and false-positive rates (BENCHMARKS.md quotes them) and holds the
//! targets: 100% recall, under 0.1% false positives.

use bip39::{Language, Mnemonic};
use sha2::{Digest, Sha256};
use switchboard_safety::{EntityKind, SecretKind, redact, scan};

const LANGUAGES: [Language; 10] = [
    Language::English,
    Language::SimplifiedChinese,
    Language::TraditionalChinese,
    Language::Japanese,
    Language::Korean,
    Language::Spanish,
    Language::French,
    Language::Italian,
    Language::Czech,
    Language::Portuguese,
];

/// Deterministic bytes: the corpus is the same on every run.
fn bytes(seed: &str, n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut counter = 0u32;
    while out.len() < n {
        out.extend_from_slice(&Sha256::digest(format!("{seed}/{counter}").as_bytes()));
        counter += 1;
    }
    out.truncate(n);
    out
}

fn cjk(language: Language) -> bool {
    matches!(language, Language::SimplifiedChinese | Language::TraditionalChinese)
}

/// One edit that keeps the word in its script.
fn misspell(language: Language, word: &str) -> String {
    // The wordlists are NFKD (kana voicing marks and Hangul jamo apart); people type composed
    // characters, and a typo changes one of those.
    use unicode_normalization::UnicodeNormalization;
    let chars: Vec<char> = word.nfc().collect();
    match language {
        Language::SimplifiedChinese | Language::TraditionalChinese => "龘".into(),
        Language::Japanese => {
            let mut c = chars.clone();
            let i = c.len() / 2;
            c[i] = if c[i] == 'あ' { 'い' } else { 'あ' };
            c.into_iter().collect()
        }
        Language::Korean => {
            let mut c = chars.clone();
            let i = c.len() / 2;
            c[i] = if c[i] == '가' { '나' } else { '가' };
            c.into_iter().collect()
        }
        _ => {
            let mut c = chars.clone();
            let i = c.len() / 2;
            c[i] = if c[i] == 'x' { 'q' } else { 'x' };
            c.into_iter().collect()
        }
    }
}

struct Layout {
    name: &'static str,
    build: fn(&[String], Language) -> String,
}

const LAYOUTS: &[Layout] = &[
    Layout { name: "spaces", build: |w, _| w.join(" ") },
    Layout { name: "newlines", build: |w, _| w.join("\n") },
    Layout {
        name: "numbered 1.",
        build: |w, _| w.iter().enumerate().map(|(i, w)| format!("{}. {w}", i + 1)).collect::<Vec<_>>().join("\n"),
    },
    Layout {
        name: "numbered 1)",
        build: |w, _| w.iter().enumerate().map(|(i, w)| format!("{}){w}", i + 1)).collect::<Vec<_>>().join(" "),
    },
    Layout { name: "commas", build: |w, _| w.join(", ") },
    Layout { name: "capitals", build: |w, _| w.iter().map(|w| w.to_uppercase()).collect::<Vec<_>>().join(" ") },
    Layout { name: "ideographic space", build: |w, _| w.join("\u{3000}") },
    Layout { name: "no spaces (Chinese)", build: |w, l| if cjk(l) { w.concat() } else { w.join(" ") } },
    Layout { name: "groups of 4 per line", build: |w, l| grouped(w, l, 4, "\n") },
    Layout { name: "groups of 3 per line", build: |w, l| grouped(w, l, 3, "\n") },
    Layout { name: "groups of 6 by spaces", build: |w, l| grouped(w, l, 6, " ") },
    Layout { name: "groups of 4 by slashes", build: |w, l| grouped(w, l, 4, " / ") },
    Layout { name: "groups of 3 by dashes", build: |w, l| grouped(w, l, 3, "-") },
    Layout {
        name: "in a sentence",
        build: |w, l| {
            if cjk(l) {
                format!("客服你好，我的钱包显示这个：{} 现在资产不见了怎么办", w.join(" "))
            } else {
                format!(
                    "Hello support, my wallet shows these words: {} and now my funds are gone, what do I do?",
                    w.join(" ")
                )
            }
        },
    },
    Layout {
        name: "in a sentence, no spaces (Chinese)",
        build: |w, l| {
            if cjk(l) {
                format!("我刚才导入钱包用的是{}，然后余额就没了", w.concat())
            } else {
                format!("words: {}", w.join(" "))
            }
        },
    },
];

/// Words in groups of `size` joined by `between`; Chinese characters written together within a
/// group (how people copy a phrase from a wallet's grid), other words spaced.
fn grouped(words: &[String], language: Language, size: usize, between: &str) -> String {
    let inside = if cjk(language) { "" } else { " " };
    words.chunks(size).map(|group| group.join(inside)).collect::<Vec<_>>().join(between)
}

/// Whether nothing of the phrase is left but the marker (and list numbering or punctuation).
fn fully_redacted(original: &str, words: &[String], language: Language) -> bool {
    let r = redact(original);
    if !r.findings.iter().any(|f| f.kind == SecretKind::SeedPhrase) {
        return false;
    }
    let left = r.text;
    // No run of three consecutive phrase words may survive.
    words.windows(3).all(|w| {
        let sep = if cjk(language) { "" } else { " " };
        !left.to_lowercase().contains(&w.join(sep).to_lowercase())
    }) && words[1..words.len() - 1].iter().filter(|w| left.contains(w.as_str()) && !cjk(language)).count() <= 2
}

#[test]
fn recovery_phrases_are_found_in_every_language_layout_and_length() {
    let mut total = 0;
    let mut missed = Vec::new();
    let mut by_case: std::collections::BTreeMap<String, usize> = Default::default();
    for language in LANGUAGES {
        for (n, entropy) in [(12, 16), (15, 20), (18, 24), (21, 28), (24, 32)] {
            for typos in 0..=2 {
                for valid_checksum in [true, false] {
                    for layout in LAYOUTS {
                        let seed = format!("{language:?}/{n}/{typos}/{valid_checksum}/{}", layout.name);
                        let mnemonic = Mnemonic::from_entropy_in(language, &bytes(&seed, entropy)).unwrap();
                        let mut words: Vec<String> = mnemonic.words().map(str::to_owned).collect();
                        if !valid_checksum {
                            // Another wordlist word in last place: the checksum no longer holds.
                            let list = language.word_list();
                            let i = list.iter().position(|w| *w == words[n - 1]).unwrap();
                            words[n - 1] = list[(i + 1 + bytes(&seed, 1)[0] as usize) % 2048].to_owned();
                        }
                        for t in 0..typos {
                            let at = 1 + t * 5;
                            words[at] = misspell(language, &words[at]);
                        }
                        let text = (layout.build)(&words, language);
                        total += 1;
                        if !fully_redacted(&text, &words, language) {
                            *by_case.entry(format!("{language:?}, {}", layout.name)).or_default() += 1;
                            missed.push(format!(
                                "{language:?} {n} words, {typos} typos, checksum {valid_checksum}, {}: {text:?} → {:?}",
                                layout.name,
                                redact(&text).text
                            ));
                        }
                    }
                }
            }
        }
    }
    for (case, n) in &by_case {
        eprintln!("  missed {n:3} in {case}");
    }
    for m in &missed {
        eprintln!("  {m}");
    }
    let unspaced =
        |m: &String| m.contains("no spaces (Chinese)") && (m.starts_with("Simplified") || m.starts_with("Traditional"));
    let unspaced_total = 2 * 5 * 3 * 2 * 2; // two lists, five lengths, typos 0–2, checksum or not, two layouts
    let unspaced_missed = missed.iter().filter(|m| unspaced(m)).count();
    eprintln!(
        "recovery phrases: {} of {total} found ({:.2}%); unspaced Chinese {} of {unspaced_total} ({:.1}%)",
        total - missed.len(),
        100.0 * (total - missed.len()) as f64 / total as f64,
        unspaced_total - unspaced_missed,
        100.0 * (unspaced_total - unspaced_missed) as f64 / unspaced_total as f64,
    );
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

#[test]
fn keys_of_every_kind_are_found() {
    let mut total = 0;
    let mut missed = Vec::new();
    for i in 0..40 {
        let secret: [u8; 32] = bytes(&format!("key/{i}"), 32).try_into().unwrap();
        let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        let mut keys = vec![
            format!("my private key is {hex}"),
            format!("here is the pk: 0x{hex}"),
            format!("私钥是 {hex} 请帮我看看"),
            format!("{hex} <- secret key"),
            wif(secret, false, true),
            wif(secret, false, false),
            wif(secret, true, true),
            wif(secret, true, false),
            bs58::encode(solana(secret)).into_string(),
            format!("{:?}", solana(secret)),
            format!("{:?}", solana(secret)).replace(' ', ""),
        ];
        for version in
            [[0x04, 0x88, 0xAD, 0xE4], [0x04, 0x35, 0x83, 0x94], [0x04, 0x9D, 0x78, 0x78], [0x04, 0xB2, 0x43, 0x0C]]
        {
            keys.push(format!("xpub? no: {}", extended(version, secret)));
        }
        for text in keys {
            total += 1;
            let r = redact(&text);
            let leaked = r.text.contains(&hex) || r.findings.iter().all(|f| f.kind != SecretKind::PrivateKey);
            if leaked {
                missed.push(format!("{text} → {}", r.text));
            }
        }
    }
    eprintln!("private keys: {} of {total} found", total - missed.len());
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

const EN_OPENINGS: &[&str] = &[
    "Hi, ",
    "Hello support, ",
    "Good morning. ",
    "Hey team, ",
    "",
    "Please help! ",
    "Excuse me, ",
    "Dear support, ",
    "Urgent: ",
    "Quick question: ",
];
const EN_PROBLEMS: &[&str] = &[
    "my deposit has not arrived after three hours",
    "I sent USDT to the wrong network and I need it back",
    "the withdrawal is stuck in processing since yesterday",
    "I forgot my password and the reset email never comes",
    "my account was frozen without any explanation",
    "the app crashes every time I open the wallet tab",
    "how long does KYC verification usually take",
    "why is the withdrawal fee so high today",
    "I cannot find the deposit address for Solana",
    "the price alert did not trigger when bitcoin dropped",
    "someone on Telegram says he is your admin and asked me to connect my wallet",
    "I want to close my account and move all funds to another exchange",
    "the two factor code is always rejected",
    "can you confirm whether my transaction was confirmed on the chain",
    "I bought the wrong token, can I get a refund",
    "the staking rewards were not paid this week",
    "my balance shows zero but I had 2 ETH yesterday",
    "is this website really yours or a phishing page",
    "what is the minimum amount for a withdrawal to a bank account",
    "I lost access to my email and my phone, how do I recover the account",
    "the card payment failed but the money left my bank",
    "please explain the difference between the spot and the funding wallet",
    "your support bot keeps sending me the same answer",
    "I was charged twice for the same order",
    "there is a pending transfer I did not make, please block it",
    "the market order executed at a terrible price, what happened",
    "my referral bonus is missing",
    "when will the new token be listed",
    "my ledger is connected but the app does not see it",
    "I need a statement of all my trades for my tax return",
];
const EN_DETAILS: &[&str] = &[
    "",
    " Thanks.",
    " Please answer quickly.",
    " I have been waiting all day.",
    " The amount was 1500 USDT.",
    " My user id is 48213377.",
    " Can someone call me?",
    " This is really frustrating.",
    " Any update?",
    " I attached a screenshot.",
    " The hash is 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060.",
    " I sent it to 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed.",
    " The address is bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq.",
    " TRON address TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW.",
    " Solana wallet 7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV.",
    " txid 5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",
];
const ZH_OPENINGS: &[&str] = &[
    "你好，",
    "客服你好，",
    "在吗？",
    "您好，",
    "",
    "急！",
    "请问一下，",
    "麻烦帮忙看一下，",
    "打扰了，",
    "紧急求助：",
];
const ZH_PROBLEMS: &[&str] = &[
    "我的充值还没有到账，已经过了两个小时了",
    "我把USDT转错了网络，还能找回来吗",
    "提币一直显示处理中，从昨天到现在都没有动静",
    "忘记密码了，重置邮件一直收不到",
    "我的账户被冻结了，也没有任何说明",
    "每次打开钱包页面应用就闪退",
    "实名认证一般需要多长时间",
    "今天的提币手续费为什么这么高",
    "找不到索拉纳的充值地址在哪里",
    "比特币下跌的时候价格提醒没有触发",
    "电报上有人说他是你们的管理员，让我连接钱包",
    "我想注销账户，把所有资产转到别的交易所",
    "两步验证码总是提示错误",
    "请帮我确认一下这笔交易在链上有没有确认",
    "我买错了代币，可以退款吗",
    "这周的质押收益没有发放",
    "我的余额显示为零，但是昨天还有两个以太坊",
    "这个网站真的是你们的吗还是钓鱼网站",
    "提现到银行卡的最低金额是多少",
    "我的邮箱和手机都用不了了，怎么找回账户",
    "银行卡付款失败了但是钱已经扣了",
    "请解释一下现货账户和资金账户有什么区别",
    "你们的客服机器人一直回复同样的答案",
    "同一个订单被扣了两次钱",
    "有一笔不是我发起的转账正在处理中请马上帮我拦截",
    "市价单成交的价格太离谱了是怎么回事",
    "我的邀请奖励不见了",
    "新代币什么时候上线",
    "硬件钱包已经连接了但是应用识别不到",
    "我需要一份所有交易记录用来报税",
];
const ZH_DETAILS: &[&str] = &[
    "",
    "谢谢。",
    "请尽快回复。",
    "我已经等了一整天了。",
    "金额是1500个USDT。",
    "我的用户编号是48213377。",
    "能给我打个电话吗？",
    "真的很着急。",
    "有进展了吗？",
    "截图已经发过去了。",
    "交易哈希是0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060。",
    "转到了0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed这个地址。",
    "地址是TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW。",
    "我的问题到现在一直都没有人处理也没有任何人回复我",
    "为什么你们的客服总是让我等这么长时间才回复",
    "我已经按照你们说的步骤操作了好几遍还是不行",
];

fn ordinary(openings: &[&str], problems: &[&str], details: &[&str], n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let o = openings[i % openings.len()];
            let p = problems[(i * 7 + i / problems.len()) % problems.len()];
            let d = details[(i * 3 + i / 11) % details.len()];
            format!("{o}{p}{d}")
        })
        .collect()
}

#[test]
fn ordinary_support_messages_are_left_alone() {
    let english = ordinary(EN_OPENINGS, EN_PROBLEMS, EN_DETAILS, 600);
    let chinese = ordinary(ZH_OPENINGS, ZH_PROBLEMS, ZH_DETAILS, 600);
    let mut entities = 0;
    for (name, messages) in [("English", &english), ("Chinese", &chinese)] {
        let flagged: Vec<&String> = messages.iter().filter(|m| !scan(m).findings.is_empty()).collect();
        entities += messages.iter().filter(|m| !scan(m).entities.is_empty()).count();
        eprintln!(
            "{name}: {} of {} ordinary messages flagged ({:.3}%)",
            flagged.len(),
            messages.len(),
            100.0 * flagged.len() as f64 / messages.len() as f64
        );
        assert!(
            flagged.is_empty(),
            "false positives:\n{}",
            flagged.iter().map(|m| m.as_str()).collect::<Vec<_>>().join("\n")
        );
    }
    assert!(entities > 200, "hashes and addresses in ordinary messages are entities ({entities})");
    let scanned = scan(
        "tx 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060 to 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    );
    assert_eq!(scanned.entities.iter().map(|e| e.kind).collect::<Vec<_>>(), [EntityKind::TxHash, EntityKind::Address]);
}

/// Real text from ../shared (support FAQs in English and Chinese, articles in Chinese), when
/// that folder is present: every sentence-sized piece must be left alone.
#[test]
fn real_faq_and_article_text_is_left_alone() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    if !root.exists() {
        eprintln!("skipped: ../shared is not beside the checkout");
        return;
    }
    let mut files: Vec<std::path::PathBuf> = [
        "eval/crypto_faq/bitcoin_org/raw/en.yml",
        "eval/crypto_faq/bitcoin_org/raw/zh_CN.yml",
        "eval/crypto_faq/bitcoin_org/raw/zh_TW.yml",
        "eval/crypto_faq/electrum/faq.rst",
    ]
    .iter()
    .map(|p| root.join(p))
    .collect();
    files.extend(std::fs::read_dir(root.join("seeds")).into_iter().flatten().flatten().map(|e| e.path()));
    let mut pieces = 0;
    let mut flagged = Vec::new();
    for file in files.iter().filter(|f| f.exists()) {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        // One line is about one message: FAQ answers, article sentences.
        for piece in text.lines().filter(|p| p.trim().chars().count() >= 8) {
            pieces += 1;
            let r = redact(piece);
            if !r.findings.is_empty() {
                flagged.push(format!("{}: {:?}", file.display(), r.text.chars().take(200).collect::<String>()));
            }
        }
    }
    eprintln!(
        "real text: {} of {pieces} lines flagged ({:.3}%)",
        flagged.len(),
        100.0 * flagged.len() as f64 / pieces.max(1) as f64
    );
    // The Electrum FAQ quotes an example seed: that one is right. The rest stay under 0.1%.
    let wrong = flagged.iter().filter(|f| !f.contains("electrum")).count();
    assert!(wrong * 1000 < pieces.max(1), "false positives:\n{}", flagged.join("\n"));
}

fn wif(secret: [u8; 32], testnet: bool, compressed: bool) -> String {
    let mut payload = vec![if testnet { 0xEF } else { 0x80 }];
    payload.extend_from_slice(&secret);
    if compressed {
        payload.push(0x01);
    }
    bs58::encode(payload).with_check().into_string()
}

fn extended(version: [u8; 4], secret: [u8; 32]) -> String {
    let mut payload = version.to_vec();
    payload.extend_from_slice(&[0u8; 9]);
    payload.extend_from_slice(&[7u8; 32]);
    payload.push(0);
    payload.extend_from_slice(&secret);
    bs58::encode(payload).with_check().into_string()
}

fn solana(secret: [u8; 32]) -> Vec<u8> {
    let public = ed25519_dalek::SigningKey::from_bytes(&secret).verifying_key().to_bytes();
    [secret.as_slice(), public.as_slice()].concat()
}

/// Natural support sentences heavy in BIP39 words (`data/support_sentences*.txt`: terse messages
/// written for this test, and real questions from public intent datasets): at most 0.1% may be
/// touched.
#[test]
fn support_sentences_full_of_wordlist_words_are_left_alone() {
    let mut sentences = Vec::new();
    for text in [include_str!("data/support_sentences.txt"), include_str!("data/support_sentences_public.txt")] {
        sentences.extend(text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()));
    }
    assert!(sentences.len() >= 2000, "{} sentences", sentences.len());
    let flagged: Vec<&&str> = sentences.iter().filter(|s| !scan(s).findings.is_empty()).collect();
    eprintln!(
        "support sentences heavy in wordlist words: {} of {} flagged ({:.3}%)",
        flagged.len(),
        sentences.len(),
        100.0 * flagged.len() as f64 / sentences.len() as f64
    );
    assert!(flagged.len() * 1000 <= sentences.len(), "false positives:\n{flagged:#?}");
    for must_stay in [
        "sorry, can you check the balance again, my deposit said one hour",
        "hello can you check that deposit again please, still wrong balance today, need help",
    ] {
        assert_eq!(redact(must_stay).text, must_stay);
    }
}

/// The `n`-th random phrase of a series named by `seed`: 12 to 24 words (by `n`), with `n % 3`
/// typos. Not checksummed: the detector must not need the checksum.
fn random_phrase(language: Language, seed: &str, n: usize) -> Vec<String> {
    let list = language.word_list();
    let seed = bytes(seed, 64);
    let length = [12, 15, 18, 21, 24][n % 5];
    let mut words: Vec<String> = (0..length)
        .map(|i| list[u16::from_le_bytes([seed[2 * i], seed[2 * i + 1]]) as usize % 2048].to_owned())
        .collect();
    for t in 0..(n % 3) {
        let at = (seed[60 + t] as usize) % length;
        words[at] = misspell(language, &words[at]);
    }
    words
}

/// Random English phrases, with up to two typos, among the words support messages use most:
/// every one is found (the evidence of a random draw stays far above the threshold).
#[test]
fn random_english_phrases_are_found_among_common_words() {
    let mut missed = Vec::new();
    let total = 4000;
    for n in 0..total {
        let words = random_phrase(Language::English, &format!("english-{n}"), n);
        let text = format!("hello support, please check again {} thank you", words.join(" "));
        if !scan(&text).findings.iter().any(|f| f.kind == SecretKind::SeedPhrase) {
            missed.push(text);
        }
    }
    eprintln!("random English phrases among common words: {} of {total} found", total - missed.len());
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

/// Random Chinese phrases copied from a wallet's grid (lines of three or four, groups of six by
/// spaces, fours by slashes, threes by dashes), in both scripts, with up to two typos: every one
/// is found.
#[test]
fn random_chinese_phrases_in_groups_are_found() {
    let mut missed = Vec::new();
    let mut total = 0;
    for language in [Language::SimplifiedChinese, Language::TraditionalChinese] {
        for n in 0..600 {
            let words = random_phrase(language, &format!("grid-{language:?}-{n}"), n);
            let (size, between) = [(3, "\n"), (4, "\n"), (6, " "), (4, " / "), (3, "-")][(n / 5) % 5];
            let text = grouped(&words, language, size, between);
            total += 1;
            if !scan(&text).findings.iter().any(|f| f.kind == SecretKind::SeedPhrase) {
                missed.push(format!("{text:?}"));
            }
        }
    }
    eprintln!("random Chinese phrases in groups: {} of {total} found", total - missed.len());
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}
