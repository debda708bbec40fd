//! Real-world mail from `../shared/fixtures/email` (charsets, malformed MIME, bounces, mail
//! programs' quirks), when that folder is beside the checkout: every file normalizes in LF and
//! CRLF form without panicking, charset cases decode to their golden text, and the stalwart
//! fixtures' expected parse agrees with what agents are shown.

use std::path::{Path, PathBuf};
use switchboard_email::inbound::{Rules, normalize};

fn root() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/email");
    if root.exists() {
        Some(root)
    } else {
        eprintln!("skipped: ../shared/fixtures/email is not beside the checkout");
        None
    }
}

fn rules() -> Rules {
    Rules {
        own_address: "support@support.test".into(),
        max_attachment_bytes: 20 * 1024 * 1024,
        original_name: "original message.txt".into(),
        unreadable_body: "[unreadable]".into(),
    }
}

fn emls(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            emls(&path, out);
        } else if path.extension().is_some_and(|e| e == "eml") {
            out.push(path);
        }
    }
}

fn lf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    for (i, b) in raw.iter().enumerate() {
        if *b == b'\r' && raw.get(i + 1) == Some(&b'\n') {
            continue;
        }
        out.push(*b);
    }
    out
}

fn crlf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 20);
    for b in lf(raw) {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

#[test]
fn every_fixture_normalizes_in_lf_and_crlf_without_panicking() {
    let Some(root) = root() else { return };
    let mut files = Vec::new();
    emls(&root, &mut files);
    assert!(files.len() >= 50, "only {} fixtures", files.len());
    for file in &files {
        let raw = std::fs::read(file).unwrap();
        for (form, bytes) in [("LF", lf(&raw)), ("CRLF", crlf(&raw))] {
            let n = normalize(&bytes, &rules());
            let i = &n.inbound;
            assert!(!i.external_id.is_empty(), "{} ({form}): no id", file.display());
            assert!(i.chat.contains('@'), "{} ({form}): no sender address: {:?}", file.display(), i.chat);
            assert!(!i.body.is_empty() || !i.attachments.is_empty(), "{} ({form}): nothing kept", file.display());
            // Fetched twice, stored once: the id does not depend on the fetch.
            assert_eq!(i.external_id, normalize(&bytes, &rules()).inbound.external_id);
        }
    }
    eprintln!("{} fixtures normalized in LF and CRLF", files.len());
}

/// Charsets customers really use, decoded to the words their mail program showed.
#[test]
fn charsets_decode_to_their_golden_text() {
    let Some(root) = root() else { return };
    let cases = [
        ("mikel_mail/multi_charset/japanese_iso_2022.eml", "すみません。"),
        ("mikel_mail/multi_charset/japanese_shift_jis.eml", "このメールはテスト用のメールです。"),
        ("mikel_mail/multi_charset/ks_c_5601-1987.eml", "스티해"),
        // The signature ("-- " and a blog link) is cut from what agents read first.
        ("mikel_mail/multi_charset/japanese.eml", "かきくえこ"),
    ];
    for (path, golden) in cases {
        let raw = std::fs::read(root.join(path)).unwrap();
        let body = normalize(&raw, &rules()).inbound.body;
        assert!(body.contains(golden), "{path}: {body:?} lacks {golden:?}");
    }
}

/// Where stalwart's expected parse lists attachments, agents get exactly those files.
#[test]
fn stalwart_expected_parses_agree_on_attachments() {
    let Some(root) = root() else { return };
    let mut checked = 0;
    for dir in ["stalwart_mail-parser/malformed", "stalwart_mail-parser/thirdparty_019"] {
        let mut files = Vec::new();
        emls(&root.join(dir), &mut files);
        for eml in files {
            let Ok(json) = std::fs::read_to_string(eml.with_extension("json")) else { continue };
            let expected: serde_json::Value = serde_json::from_str(&json).unwrap();
            let Some(expected) = expected["attachments"].as_array().map(Vec::len) else { continue };
            let n = normalize(&std::fs::read(&eml).unwrap(), &rules());
            let files = n.inbound.attachments.iter().filter(|a| a.filename != "original message.txt").count();
            if n.inbound.body == "[unreadable]" {
                continue;
            }
            assert_eq!(files, expected, "{}", eml.display());
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} expected parses checked");
    eprintln!("{checked} stalwart expected parses agree");
}
