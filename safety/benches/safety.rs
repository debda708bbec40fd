//! Secret-scan throughput: `safety::scan` runs on every inbound message before it is stored.
//! `cargo bench -p switchboard-safety --bench safety` prints messages per second for 1 KB
//! messages of several kinds.

use std::time::{Duration, Instant};
use switchboard_safety::{scan, warm_up};

fn kilobyte(unit: &str) -> String {
    let mut text = String::new();
    while text.len() < 1024 {
        text.push_str(unit);
    }
    text.truncate(text.char_indices().take_while(|(i, _)| *i < 1024).last().map_or(0, |(i, c)| i + c.len_utf8()));
    text
}

fn main() {
    warm_up();
    let cases = [
        (
            "English support text",
            kilobyte("Hello, my withdrawal of 1500 USDT to the TRC20 network is still pending after two hours. "),
        ),
        ("Chinese support text", kilobyte("你好，我的充值还没有到账，已经过了两个小时了，请帮我查一下是什么原因。")),
        (
            "English with hashes and addresses",
            kilobyte(
                "tx 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060 to 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed, ",
            ),
        ),
        (
            "a recovery phrase in text",
            kilobyte(
                "my words are bunker trophy lawsuit adjust gown visit matrix trash ripple stumble wheat shell, help. ",
            ),
        ),
        ("unspaced Chinese", kilobyte("我刚才导入钱包用的是也少米饰拥倒者坑研违奉罪然后余额就没了")),
    ];
    println!("| message (1 KB) | messages/s | µs per message |\n|---|---|---|");
    for (name, text) in cases {
        let mut n = 0u64;
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(2) {
            std::hint::black_box(scan(std::hint::black_box(&text)));
            n += 1;
        }
        let per = started.elapsed().as_secs_f64() / n as f64;
        println!("| {name} | {:.0} | {:.1} |", 1.0 / per, per * 1e6);
    }
}
