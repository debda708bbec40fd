//! Block-explorer links for transaction hashes and addresses, from URL templates per chain and
//! kind (`{value}` is replaced), which operators can point at the explorers they trust.

use serde::Serialize;
use std::collections::HashMap;
use switchboard_core::safety::{Entity, EntityKind};

#[derive(Debug, Clone)]
pub struct Explorers {
    /// `(chain, kind)` → template.
    templates: HashMap<(String, String), String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExplorerLink {
    pub label: String,
    pub url: String,
}

const DEFAULTS: &[(&str, &str, &str)] = &[
    ("evm", "tx_hash", "https://etherscan.io/tx/{value}"),
    ("evm", "address", "https://etherscan.io/address/{value}"),
    ("bitcoin", "tx_hash", "https://mempool.space/tx/{value}"),
    ("bitcoin", "address", "https://mempool.space/address/{value}"),
    ("tron", "tx_hash", "https://tronscan.org/#/transaction/{value}"),
    ("tron", "address", "https://tronscan.org/#/address/{value}"),
    ("solana", "tx_hash", "https://solscan.io/tx/{value}"),
    ("solana", "address", "https://solscan.io/account/{value}"),
];

pub const CHAINS: &[&str] = &["evm", "bitcoin", "tron", "solana"];
pub const KINDS: &[&str] = &["tx_hash", "address"];

impl Default for Explorers {
    fn default() -> Self {
        Explorers {
            templates: DEFAULTS.iter().map(|(c, k, t)| ((c.to_string(), k.to_string()), t.to_string())).collect(),
        }
    }
}

impl Explorers {
    /// The defaults, with each `explorer_<chain>_<kind>` that is set in their place.
    pub fn read(
        settings: &switchboard_core::settings::Settings<'_>,
    ) -> Result<Explorers, switchboard_core::settings::SettingError> {
        let mut explorers = Explorers::default();
        for &chain in CHAINS {
            for &kind in KINDS {
                let template = settings.parse(&format!("explorer_{chain}_{kind}"), None, |v| {
                    if v.starts_with("https://") || v.starts_with("http://") {
                        Ok(Some(v.to_owned()))
                    } else {
                        Err(format!("{v:?} is not an http(s) URL template like https://etherscan.io/tx/{{value}}"))
                    }
                })?;
                if let Some(template) = template {
                    explorers.set(chain, kind, &template);
                }
            }
        }
        Ok(explorers)
    }

    /// Whether `key` is one of the settings `read` reads.
    pub fn is_key(key: &str) -> bool {
        key.strip_prefix("explorer_").is_some_and(|rest| {
            CHAINS.iter().any(|chain| {
                rest.strip_prefix(chain).and_then(|r| r.strip_prefix('_')).is_some_and(|kind| KINDS.contains(&kind))
            })
        })
    }

    /// Replaces the default template of `chain` and `kind`.
    pub fn set(&mut self, chain: &str, kind: &str, template: &str) {
        self.templates.insert((chain.to_owned(), kind.to_owned()), template.to_owned());
    }

    /// A 64-hex hash without `0x` may be Bitcoin's or TRON's: both explorers are offered.
    pub fn links(&self, entity: &Entity) -> Vec<ExplorerLink> {
        let chains: &[&str] = match (entity.kind, entity.chain) {
            (EntityKind::TxHash, "bitcoin") => &["bitcoin", "tron"],
            (_, chain) => std::slice::from_ref(match CHAINS.iter().find(|c| **c == chain) {
                Some(c) => c,
                None => return Vec::new(),
            }),
        };
        chains
            .iter()
            .filter_map(|chain| {
                let template = self.templates.get(&(chain.to_string(), entity.kind.as_str().to_owned()))?;
                let value: String = entity.value.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
                Some(ExplorerLink { label: chain.to_string(), url: template.replace("{value}", &value) })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_fill_templates_and_offer_both_chains_for_bare_hashes() {
        let mut explorers = Explorers::default();
        let hash = Entity { kind: EntityKind::TxHash, chain: "bitcoin", value: "ab".repeat(32) };
        let links = explorers.links(&hash);
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].url, format!("https://mempool.space/tx/{}", "ab".repeat(32)));
        assert!(links[1].url.starts_with("https://tronscan.org/"));
        explorers.set("evm", "address", "https://explorer.example/a/{value}");
        let address = Entity { kind: EntityKind::Address, chain: "evm", value: "0xAbC".into() };
        assert_eq!(explorers.links(&address)[0].url, "https://explorer.example/a/0xAbC");
    }
}
