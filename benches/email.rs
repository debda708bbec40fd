//! Email benchmark: 1,000 mails waiting in a real Dovecot mailbox when the gateway starts
//! (mixed charsets, every fifth with a 30 KB attachment), ingested through IMAP with full
//! durability; next to a plain fetch of the same mails with Python's imaplib in the same run
//! (the floor: what reading the mailbox alone costs).
//!
//! `cargo bench --bench email` prints a Markdown report and writes it to
//! `target/bench-email.md`. Needs Dovecot and aiosmtpd (scripts/test.sh installs them).

#[path = "../tests/support/mod.rs"]
mod support;

use std::fmt::Write as _;
use std::time::{Duration, Instant};
use support::mail::MailPeer;

const MAILS: usize = 1_000;

/// (charset, base64 of a short support question in it)
const BODIES: &[(&str, &str)] = &[
    ("utf-8", "TXkgZGVwb3NpdCBvZiAyIEVUSCBoYXMgbm90IGFycml2ZWQgYWZ0ZXIgMyBob3Vycy4="),
    ("gb2312", "ztK1xLPk1rW7ucO709C1vdXLo6zH67Dvw6ay6dGvoaM="),
    ("big5", "p9qqurSjufSkQKq9pmKzQrJ6pKShQb3QqPOnVaFD"),
    ("shift_jis", "k/yL4IKqlL2JZoKzguqC3IK5gvGBQoptlEaCqIrogqKCtYLcgreBQg=="),
    ("euc-kr", "w+Kx3cDMIMH2v6y1x7DtIMDWvcC0z7TZLiDIrsDOILrOxbm15biztM+02S4="),
    ("windows-1252", "ROlw9HQgbm9uIGNy6WRpdOkgliBtZXJjaSBkZSB26XJpZmllci4="),
    ("iso-2022-jp", "GyRCPVA2YiQsSl1OMUNmJEckOSEjGyhC"),
];

fn mail(i: usize) -> String {
    let (charset, body) = BODIES[i % BODIES.len()];
    let head = format!(
        "From: Customer {i} <customer{i}@bench.test>\r\nTo: support@support.test\r\n\
         Subject: =?utf-8?B?5YWF5YC85rKh5pyJ5Yiw6LSm?= {i}\r\nMessage-ID: <bench{i}@bench.test>\r\n\
         Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
    );
    if !i.is_multiple_of(5) {
        return format!(
            "{head}Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}\r\n"
        );
    }
    let attachment: String = (0..30 * 1024 / 76).map(|_| format!("{}\r\n", "QUJD".repeat(19))).collect();
    format!(
        "{head}Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n\
         Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}\r\n\
         --b{i}\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"statement-{i}.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{attachment}--b{i}--\r\n"
    )
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let report = runtime.block_on(run());
    println!("{report}");
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-email.md");
    std::fs::write(target, report).unwrap();
}

async fn run() -> String {
    let peer = MailPeer::start();
    let started = Instant::now();
    for chunk in (0..MAILS).collect::<Vec<_>>().chunks(8) {
        let sends = chunk.iter().map(|&i| {
            let raw = mail(i);
            let peer = &peer;
            async move { peer.deliver(&raw).await }
        });
        futures_util::future::join_all(sends).await;
    }
    eprintln!("{MAILS} mails delivered in {:.1} s", started.elapsed().as_secs_f64());
    wait_for_delivery(&peer).await;

    let floor = imaplib_fetch(&peer);
    let dir = tempfile::tempdir().unwrap();
    let env = peer.gateway_env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let started = Instant::now();
    let server = support::Server::start(dir.path(), &env);
    let http = support::client();
    let deadline = Instant::now() + Duration::from_secs(600);
    let mut first: Option<f64> = None;
    loop {
        let metrics = http.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
        let stored = metrics
            .lines()
            .find(|l| l.starts_with("switchboard_messages_in_total") && l.contains("channel=\"email\""))
            .and_then(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .unwrap_or(0.0);
        if stored > 0.0 && first.is_none() {
            first = Some(started.elapsed().as_secs_f64());
        }
        if stored as usize >= MAILS {
            break;
        }
        assert!(Instant::now() < deadline, "only {stored} of {MAILS} mails stored");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds(server.child.id());
    let first = first.unwrap_or(elapsed);
    let mut report = String::from("| measurement | result |\n|---|---|\n");
    let _ = writeln!(
        report,
        "| Python imaplib: fetch {MAILS} mails (STARTTLS, 50 per UID FETCH) | {:.2} s, {:.0} mails/s |",
        floor,
        MAILS as f64 / floor
    );
    let _ = writeln!(
        report,
        "| switchboard: start → {MAILS} mails durable (parse, redact, store, attachments; SQLite synchronous=FULL) | {elapsed:.2} s, {:.0} mails/s ({:.1}× the fetch alone) |",
        MAILS as f64 / elapsed,
        elapsed / floor
    );
    let _ = writeln!(
        report,
        "| of which start-up to the first mail durable (process start, migrations, IMAP login, TLS) | {first:.2} s; then {:.0} mails/s |",
        (MAILS - 1) as f64 / (elapsed - first).max(1e-3)
    );
    let _ = writeln!(
        report,
        "| switchboard CPU (user + system) per mail, start-up included | {:.2} ms |",
        cpu * 1000.0 / MAILS as f64
    );
    report
}

/// Waits until Dovecot holds every mail (delivery through LMTP is asynchronous to SMTP).
async fn wait_for_delivery(peer: &MailPeer) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while peer.mailbox(support::mail::SUPPORT).len() < MAILS {
        assert!(Instant::now() < deadline, "mail not delivered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Seconds Python's imaplib takes to fetch every mail of the support mailbox.
fn imaplib_fetch(peer: &MailPeer) -> f64 {
    let script = r#"
import imaplib, ssl, sys, time
port, ca = int(sys.argv[1]), sys.argv[2]
started = time.time()
imap = imaplib.IMAP4("127.0.0.1", port)
imap.starttls(ssl.create_default_context(cafile=ca))
imap.login("support@support.test", "support-pass")
imap.select("INBOX", readonly=True)
uids = imap.uid("SEARCH", None, "ALL")[1][0].split()
for i in range(0, len(uids), 50):
    imap.uid("FETCH", b",".join(uids[i:i + 50]), "(BODY.PEEK[])")
imap.logout()
print(len(uids), time.time() - started)
"#;
    let env = peer.gateway_env();
    let imap_url = &env.iter().find(|(k, _)| *k == "SWITCHBOARD_IMAP_URL").unwrap().1;
    let port = imap_url.rsplit(':').next().unwrap().split('/').next().unwrap();
    let out = std::process::Command::new("python3")
        .args(["-c", script, port, &peer.dir.join("cert.pem").display().to_string()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut parts = stdout.split_whitespace();
    let count: usize = parts
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("imaplib: {stdout} {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(count, MAILS);
    parts.next().unwrap().parse().unwrap()
}

/// User + system CPU seconds a process has used so far.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap().split_whitespace().collect();
    // After the command name: state is field 3; utime and stime are fields 14 and 15.
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    ticks / 100.0
}
