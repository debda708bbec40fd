//! What the bot makes of a transaction lookup: the verdict for each way a chain can answer and
//! what the customer says, and the words it answers with in English and Chinese.

use switchboard_bot::tx::{Verdict, hashes, judge, note, tell};
use switchboard_chains::{ChainFailure, ChainSettings, Chains, Kind, Lookup, Status, TokenTransfer, TxReport};
use switchboard_core::l10n::Localizer;

const HASH: &str = "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060";

fn chains() -> Chains {
    let mut bsc = ChainSettings::new("bsc", Kind::Evm, "http://127.0.0.1:1");
    bsc.label = "BNB Smart Chain".into();
    bsc.symbol = "BNB".into();
    Chains::new(vec![ChainSettings::new("ethereum", Kind::Evm, "http://127.0.0.1:1"), bsc])
}

fn report(chain: &str, network: &str, status: Status, confirmations: u64) -> TxReport {
    TxReport {
        chain: chain.into(),
        network: network.into(),
        kind: "evm",
        status,
        confirmations,
        required_confirmations: 12,
        credited: status == Status::Confirmed && confirmations >= 12,
        eta_seconds: (confirmations < 12 && status != Status::Failed).then(|| (12 - confirmations) * 12),
        block: (status != Status::Pending).then_some(100),
        time: None,
        from: Some("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266".into()),
        to: Some("0x5fbdb2315678afecb367f032d93f642f64180aa3".into()),
        amount: Some("0".into()),
        symbol: "ETH".into(),
        tokens: vec![TokenTransfer {
            contract: "0x5fbdb2315678afecb367f032d93f642f64180aa3".into(),
            symbol: Some("USDT".into()),
            decimals: Some(6),
            amount: "12.5".into(),
            from: Some("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266".into()),
            to: Some("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc".into()),
        }],
        reorganized_from_block: None,
    }
}

fn lookup(results: Vec<TxReport>) -> Lookup {
    Lookup { value: HASH.into(), results, errors: Vec::new() }
}

fn on_ethereum(status: Status, confirmations: u64) -> Lookup {
    lookup(vec![
        report("ethereum", "ethereum", status, confirmations),
        report("bsc", "BNB Smart Chain", Status::NotFound, 0),
    ])
}

#[test]
fn each_answer_of_the_chain_gives_its_verdict_and_only_unsettled_ones_go_to_people() {
    let chains = chains();
    let verdict = |lookup: &Lookup, text: &str| judge(lookup, text, &chains).0;
    assert_eq!(verdict(&on_ethereum(Status::Pending, 0), HASH), Verdict::Pending);
    assert_eq!(verdict(&on_ethereum(Status::Confirmed, 3), HASH), Verdict::Confirming);
    assert_eq!(verdict(&on_ethereum(Status::Confirmed, 20), HASH), Verdict::Credited);
    assert_eq!(verdict(&on_ethereum(Status::Confirmed, 20), "my deposit has not arrived"), Verdict::NotCredited);
    assert_eq!(verdict(&on_ethereum(Status::Confirmed, 20), "充值没到账"), Verdict::NotCredited);
    assert_eq!(verdict(&on_ethereum(Status::Failed, 20), HASH), Verdict::Failed);
    let nowhere = lookup(vec![report("ethereum", "ethereum", Status::NotFound, 0)]);
    assert_eq!(verdict(&nowhere, HASH), Verdict::NotFound(vec!["ethereum".into()]));
    let mut failed = nowhere.clone();
    failed.results.clear();
    failed.errors.push(ChainFailure { chain: "ethereum".into(), network: "ethereum".into(), error: "timeout".into() });
    assert_eq!(verdict(&failed, HASH), Verdict::Unavailable);
    let mut dropped = on_ethereum(Status::NotFound, 0);
    dropped.results[0].reorganized_from_block = Some(99);
    assert_eq!(verdict(&dropped, HASH), Verdict::Reorganized);

    for (lookup, hands_off) in [(on_ethereum(Status::Confirmed, 3), false), (on_ethereum(Status::Failed, 20), true)] {
        assert_eq!(verdict(&lookup, HASH).hands_off(), hands_off);
    }
}

#[test]
fn a_transaction_on_another_network_than_the_one_named_is_told_as_such() {
    let chains = chains();
    let confirmed = on_ethereum(Status::Confirmed, 20);
    let (verdict, found) = judge(&confirmed, "I sent USDT via BEP20 and it is not there", &chains);
    assert_eq!(verdict, Verdict::WrongNetwork(vec!["BNB Smart Chain".into()]));
    assert_eq!(found.unwrap().chain, "ethereum");
    // Naming the network it is on, with another, is not a mistake.
    let (verdict, _) = judge(&confirmed, "sent from bsc? no, on ethereum (ERC20)", &chains);
    assert_eq!(verdict, Verdict::Credited);
}

#[test]
fn the_customer_hears_where_it_is_what_moved_and_what_happens_next_in_their_language() {
    let localizer = Localizer::embedded();
    let chains = chains();
    let confirming = on_ethereum(Status::Confirmed, 3);
    let (verdict, report) = judge(&confirming, HASH, &chains);
    let english = tell(&localizer, "en-US", HASH, &verdict, report);
    assert!(english.contains("3 of the 12 confirmations"), "{english}");
    assert!(english.contains("ethereum") && english.contains("block 100"), "{english}");
    assert!(english.contains("12.5 USDT to 0x3c44cddd…4293bc"), "{english}");
    assert!(english.contains("about 2 minutes"), "{english}");
    let chinese = tell(&localizer, "zh-CN", HASH, &verdict, report);
    assert!(chinese.contains("3 个确认") && chinese.contains("12.5 USDT"), "{chinese}");
    assert!(!chinese.contains("confirm"), "{chinese}");

    let nowhere = lookup(vec![report_of_nowhere()]);
    let (verdict, report) = judge(&nowhere, HASH, &chains);
    let told = tell(&localizer, "zh-CN", HASH, &verdict, report);
    assert!(told.contains("没有找到") && told.contains("ethereum"), "{told}");
}

fn report_of_nowhere() -> TxReport {
    report("ethereum", "ethereum", Status::NotFound, 0)
}

#[test]
fn agents_read_every_chain_answer_and_every_failure_in_the_note() {
    let mut both = on_ethereum(Status::Confirmed, 20);
    both.errors.push(ChainFailure {
        chain: "polygon".into(),
        network: "polygon".into(),
        error: "no answer within 5s".into(),
    });
    let note = note(&Localizer::embedded(), &both);
    assert!(note.contains(HASH), "{note}");
    assert!(note.contains("ethereum: final, confirmations 20 of 12, block 100"), "{note}");
    assert!(note.contains("BNB Smart Chain: not found"), "{note}");
    assert!(note.contains("12.5 USDT from 0xf39f"), "{note}");
    assert!(note.contains("polygon: could not be asked (no answer within 5s)"), "{note}");
}

#[test]
fn hashes_are_taken_from_the_message_but_keys_and_addresses_are_not() {
    let of = |text: &str| hashes(&switchboard_core::safety::scan(text).entities);
    let address = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    assert_eq!(of(&format!("deposit {HASH} to {address} not arrived")), [HASH]);
    assert!(of(&format!("my private key is {}", &HASH[2..])).is_empty());
    let four: String = (1..=4).map(|n| format!(" 0x{}", format!("{n}").repeat(64))).collect();
    assert_eq!(of(&four).len(), 3, "at most three hashes from one message");
}
