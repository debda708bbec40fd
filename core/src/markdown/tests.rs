//! One article's Markdown as every channel receives it.

use super::*;

const ARTICLE: &str = "## Deposit not arrived\n\nCheck **three** things:\n\n- the *network* \\(ERC-20 or TRC-20\\)\n- the `memo`\n- confirmations\n\n1. Open [the explorer](https://etherscan.io/tx/0xabc)\n2. Wait\n\nWrite to <https://help.example.com/kyc>.\nA new line.";

#[test]
fn telegram_gets_its_html_with_bullets_and_hosts() {
    assert_eq!(
        render(ARTICLE, Format::Telegram),
        "<b>Deposit not arrived</b>\n\nCheck <b>three</b> things:\n\n• the <i>network</i> (ERC-20 or TRC-20)\n• the <code>memo</code>\n• confirmations\n\n1. Open <a href=\"https://etherscan.io/tx/0xabc\">the explorer</a> (etherscan.io)\n2. Wait\n\nWrite to <a href=\"https://help.example.com/kyc\">https://help.example.com/kyc</a>.\nA new line."
    );
}

#[test]
fn discord_gets_its_markdown() {
    assert_eq!(
        render(ARTICLE, Format::Discord),
        "## Deposit not arrived\n\nCheck **three** things:\n\n- the *network* \\(ERC-20 or TRC-20\\)\n- the `memo`\n- confirmations\n\n1. Open [the explorer](<https://etherscan.io/tx/0xabc>) (etherscan.io)\n2. Wait\n\nWrite to https://help.example.com/kyc.\nA new line."
    );
}

#[test]
fn html_is_sanitized_with_lists_links_bold_and_code() {
    let html = render(ARTICLE, Format::Html);
    assert!(
        html.starts_with(
            "<h3>Deposit not arrived</h3><p>Check <strong>three</strong> things:</p><ul><li>the <em>network</em>"
        ),
        "{html}"
    );
    assert!(html.contains("<li>the <code>memo</code></li>"), "{html}");
    assert!(html.contains("<ol><li>Open <a href=\"https://etherscan.io/tx/0xabc\" rel=\"noopener noreferrer nofollow\">the explorer</a> (etherscan.io)</li>"), "{html}");
    assert!(html.contains("Write to <a href=\"https://help.example.com/kyc\" rel=\"noopener noreferrer nofollow\">https://help.example.com/kyc</a>.<br>\nA new line.</p>"), "{html}");
}

#[test]
fn plain_text_has_bullets_and_full_addresses() {
    assert_eq!(
        render(ARTICLE, Format::Plain),
        "Deposit not arrived\n\nCheck three things:\n\n• the network (ERC-20 or TRC-20)\n• the memo\n• confirmations\n\n1. Open the explorer <https://etherscan.io/tx/0xabc>\n2. Wait\n\nWrite to https://help.example.com/kyc.\nA new line."
    );
}

#[test]
fn only_web_links_are_kept_and_raw_html_is_shown_as_text() {
    let hostile =
        "[win](javascript:alert(1)) [x](data:text/html,hi) [rel](/relative) <script>alert(2)</script> <b>bold?</b>";
    for format in [Format::Telegram, Format::Html] {
        let out = render(hostile, format);
        assert!(!out.contains("href"), "{format:?}: {out}");
        assert!(!out.contains("<script") && !out.contains("<b>bold"), "{format:?}: {out}");
        assert!(out.contains("win") && out.contains("&lt;script&gt;") || format == Format::Html, "{format:?}: {out}");
    }
    assert_eq!(render("[win](javascript:alert(1))", Format::Discord), "win");
    assert_eq!(render("*not bold* \\*stars\\* 2 * 3", Format::Discord), "*not bold* \\*stars\\* 2 \\* 3");
    assert_eq!(render("\\- not a list, @everyone <@1>", Format::Discord), "\\- not a list, \\@everyone \\<\\@1>");
}

#[test]
fn a_link_whose_text_names_another_site_shows_where_it_leads() {
    let phishing = "[https://binance.com](https://binance-support.example.net/login)";
    assert_eq!(
        render(phishing, Format::Telegram),
        "<a href=\"https://binance-support.example.net/login\">https://binance.com</a> (binance-support.example.net)"
    );
}

#[test]
fn nested_and_loose_lists_keep_their_bullets() {
    let md = "- one\n\n- two\n  - inner\n- three";
    assert_eq!(render(md, Format::Telegram), "• one\n• two\n  • inner\n• three");
    assert_eq!(render("Plain chat text\nwith a line break", Format::Telegram), "Plain chat text\nwith a line break");
    assert_eq!(render("a < b & c", Format::Telegram), "a &lt; b &amp; c");
}
