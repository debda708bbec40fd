//! The networks customers name ("I sent it on BSC", "TRC20", "以太坊", a bscscan.com link), so
//! that a transaction found on another network than the one named is told as such.

use crate::settings::ChainSettings;

/// A well-known network and the words customers call it by.
#[derive(Debug, PartialEq, Eq)]
pub struct Network {
    pub key: &'static str,
    /// Its usual name, as shown to customers.
    pub name: &'static str,
    /// Lower-case words and phrases that name it (ASCII ones as whole words). Words that are
    /// also coins or common words ("eth", "base", "bnb") are left out: they name a coin more
    /// often than a network.
    words: &'static [&'static str],
}

pub const NETWORKS: &[Network] = &[
    Network {
        key: "ethereum",
        name: "Ethereum",
        words: &["ethereum", "erc20", "erc-20", "erc 20", "mainnet", "以太坊", "etherscan.io"],
    },
    Network {
        key: "bsc",
        name: "BNB Smart Chain",
        words: &[
            "bsc",
            "bep20",
            "bep-20",
            "bep 20",
            "bnb chain",
            "bnb smart chain",
            "binance smart chain",
            "币安链",
            "币安智能链",
            "bscscan.com",
        ],
    },
    Network {
        key: "polygon", name: "Polygon", words: &["polygon", "matic", "pos chain", "马蹄链", "polygonscan.com"]
    },
    Network { key: "arbitrum", name: "Arbitrum", words: &["arbitrum", "arb1", "arbitrum one", "arbiscan.io"] },
    Network { key: "optimism", name: "Optimism", words: &["optimism", "op mainnet", "optimistic.etherscan.io"] },
    Network { key: "base", name: "Base", words: &["base chain", "base network", "base mainnet", "basescan.org"] },
    Network {
        key: "avalanche",
        name: "Avalanche",
        words: &["avalanche", "avax c-chain", "c-chain", "雪崩", "snowtrace.io"],
    },
    Network {
        key: "tron",
        name: "TRON",
        words: &["tron", "trc20", "trc-20", "trc 20", "trx network", "波场", "tronscan.org"],
    },
    Network {
        key: "bitcoin",
        name: "Bitcoin",
        words: &["bitcoin", "btc network", "比特币", "mempool.space", "blockstream.info"],
    },
    Network {
        key: "solana",
        name: "Solana",
        words: &["solana", "spl token", "sol network", "索拉纳", "solscan.io", "explorer.solana.com"],
    },
];

/// Whether `text` (lower case) names `word`: as a whole word when it is ASCII.
fn names(text: &str, word: &str) -> bool {
    if !word.is_ascii() {
        return text.contains(word);
    }
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let edge = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
        edge(before) && edge(after)
    })
}

/// The well-known networks `text` names.
pub fn mentioned(text: &str) -> Vec<&'static Network> {
    let text = text.to_lowercase();
    NETWORKS.iter().filter(|n| n.words.iter().any(|w| names(&text, w))).collect()
}

/// The well-known network a configured chain is, by its name or label (`bsc`, "BNB Smart Chain").
pub fn of(chain: &ChainSettings) -> Option<&'static Network> {
    let (name, label) = (chain.name.to_lowercase().replace(['_', '-'], " "), chain.label.to_lowercase());
    NETWORKS.iter().find(|n| {
        [name.as_str(), label.as_str()]
            .iter()
            .any(|s| *s == n.key || n.name.to_lowercase() == *s || n.words.contains(s))
    })
}

/// Whether `text` names `chain`: its well-known network, or its own name or label.
pub fn names_chain(text: &str, chain: &ChainSettings) -> bool {
    let lower = text.to_lowercase();
    of(chain).is_some_and(|n| mentioned(text).contains(&n))
        || names(&lower, &chain.name.to_lowercase())
        || names(&lower, &chain.label.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Kind;

    #[test]
    fn networks_are_named_in_words_customers_use_but_not_by_coins() {
        let keys = |text: &str| mentioned(text).iter().map(|n| n.key).collect::<Vec<_>>();
        assert_eq!(keys("I sent USDT over BEP20 yesterday"), ["bsc"]);
        assert_eq!(keys("我用波场转的USDT"), ["tron"]);
        assert_eq!(keys("sent on ethereum, not arbitrum"), ["ethereum", "arbitrum"]);
        assert!(keys("I sent 2 ETH and some BNB, what is the base fee?").is_empty());
        assert!(keys("my tronlink wallet").is_empty());
        assert_eq!(keys("see https://bscscan.com/tx/0x5c50"), ["bsc"]);
        assert_eq!(keys("https://tronscan.org/#/transaction/5c50"), ["tron"]);
    }

    #[test]
    fn a_configured_chain_is_known_by_its_name_or_label() {
        let mut bsc = ChainSettings::new("bsc", Kind::Evm, "http://127.0.0.1:1");
        assert_eq!(of(&bsc).map(|n| n.key), Some("bsc"));
        bsc.name = "chain_b".into();
        bsc.label = "BNB Smart Chain".into();
        assert_eq!(of(&bsc).map(|n| n.key), Some("bsc"));
        assert!(names_chain("deposited via BSC", &bsc));
        let testnet = ChainSettings::new("sepolia", Kind::Evm, "http://127.0.0.1:1");
        assert_eq!(of(&testnet), None);
        assert!(names_chain("on sepolia", &testnet));
    }
}
