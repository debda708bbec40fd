//! The inbox and web chat in a real browser: headless Chromium driven over WebDriver, an
//! agent in one window and a customer in another. Screenshots of the main screens are saved
//! under `target/tmp/screenshots/`.

mod support;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use support::{Server, add_agent};

const PASSWORD: &str = "correct horse battery";
const WAIT: Duration = Duration::from_secs(15);

/// chromedriver on a free loopback port, stopped on drop.
struct Driver {
    child: Child,
    url: String,
    _profiles: tempfile::TempDir,
}

impl Driver {
    fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("chromedriver")
            .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is needed for the browser tests: apt-get install chromium chromium-driver (scripts/test.sh does)");
        let deadline = std::time::Instant::now() + WAIT;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(std::time::Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, url: format!("http://127.0.0.1:{port}"), _profiles: tempfile::tempdir().unwrap() }
    }

    async fn browser(&self, lang: &str) -> Client {
        let profile = tempfile::tempdir_in(self._profiles.path()).unwrap().keep();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium_binary(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--window-size=1280,800", format!("--lang={lang}"),
                    format!("--user-data-dir={}", profile.display()),
                ],
                // Headless Chromium takes its Accept-Language from this, not from --lang.
                "prefs": { "intl.accept_languages": lang },
            }),
        );
        // Chromium can be slow to come up on a loaded machine: try again within a deadline.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let attempt = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&self.url)
                .await;
            match attempt {
                Ok(client) => return client,
                Err(error) if tokio::time::Instant::now() < deadline => {
                    eprintln!("browser session not ready ({error}); retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(error) => panic!("no browser session: {error}"),
            }
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromium_binary() -> &'static str {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .unwrap_or("/usr/bin/chromium")
}

async fn screenshot(browser: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), browser.screenshot().await.unwrap()).unwrap();
}

async fn script(browser: &Client, source: &str) -> serde_json::Value {
    browser.execute(source, vec![]).await.unwrap()
}

/// Polls a page until `source` returns true.
async fn until(browser: &Client, what: &str, source: &str) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while script(browser, source).await != json!(true) {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn sign_in(browser: &Client, server: &Server, email: &str) {
    browser.goto(&server.url("/login")).await.unwrap();
    browser.find(Locator::Css("input[name=email]")).await.unwrap().send_keys(email).await.unwrap();
    browser.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    browser.find(Locator::Css("#login button")).await.unwrap().click().await.unwrap();
    until(browser, "the inbox after signing in", "return location.pathname === '/inbox'").await;
}

async fn customer_says(browser: &Client, text: &str) {
    let body = browser.find(Locator::Css("#body")).await.unwrap();
    body.send_keys(text).await.unwrap();
    browser.find(Locator::Css("#compose button")).await.unwrap().click().await.unwrap();
}

const XSS: &str = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\"> where is my BTC? \
                   tx 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_and_a_customer_talk_live_and_nothing_executes() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", PASSWORD);
    let server = Server::start(dir.path(), &[]);
    let driver = Driver::start();
    let agent = driver.browser("en-US").await;
    let customer = driver.browser("en-US").await;

    agent.goto(&server.url("/login")).await.unwrap();
    screenshot(&agent, "login").await;
    sign_in(&agent, &server, "ann@example.com").await;

    // The customer starts a chat; the agent's list shows it without a reload.
    until(&agent, "the live connection", "return document.getElementById('list') !== null").await;
    script(&agent, "window.sameDocument = true; return true").await;
    customer.goto(&server.url("/chat?lang=en")).await.unwrap();
    customer.find(Locator::Css("#name")).await.unwrap().send_keys("Mallory").await.unwrap();
    customer.find(Locator::Css("#start button")).await.unwrap().click().await.unwrap();
    until(&customer, "the chat form", "return !document.getElementById('compose').hidden").await;
    customer_says(&customer, XSS).await;
    until(
        &agent,
        "the new conversation in the list",
        "return document.querySelector('#list .name')?.textContent === 'Mallory'",
    )
    .await;
    assert_eq!(script(&agent, "return window.sameDocument === true").await, json!(true), "the page was reloaded");
    screenshot(&agent, "inbox-list").await;

    // The agent opens it: the payload is text, nothing ran.
    agent.find(Locator::Css("#list a[data-id]")).await.unwrap().click().await.unwrap();
    until(&agent, "the conversation", "return document.querySelector('#thread .msg.inbound .body') !== null").await;
    let shown = script(&agent, "return document.querySelector('#thread .msg.inbound .body').textContent").await;
    assert_eq!(shown, json!(XSS));
    assert_eq!(script(&agent, "return document.querySelectorAll('#thread img, #list img').length").await, json!(0));
    assert_eq!(script(&agent, "return window.pwned === undefined").await, json!(true));
    // The transaction hash comes with its explorer link.
    let link = script(&agent, "return document.querySelector('#thread .entities a')?.href").await;
    assert!(link.as_str().unwrap().starts_with("https://etherscan.io/tx/0x5c504ed4"), "{link}");
    assert_eq!(script(&customer, "return window.pwned === undefined").await, json!(true));

    // A private note stays inside; a reply reaches the customer's page.
    agent.find(Locator::Css("#private")).await.unwrap().click().await.unwrap();
    agent.find(Locator::Css("#reply")).await.unwrap().send_keys("Note: check the TRC20 deposit address").await.unwrap();
    agent.find(Locator::Css("#composer button[type=submit]")).await.unwrap().click().await.unwrap();
    until(
        &agent,
        "the note in the thread",
        "return [...document.querySelectorAll('#thread .msg.note .body')].some(e => e.textContent.includes('TRC20'))",
    )
    .await;
    agent.find(Locator::Css("#private")).await.unwrap().click().await.unwrap();
    agent
        .find(Locator::Css("#reply"))
        .await
        .unwrap()
        .send_keys("Hello Mallory, we are checking your deposit.")
        .await
        .unwrap();
    agent.find(Locator::Css("#composer button[type=submit]")).await.unwrap().click().await.unwrap();
    until(&customer, "the agent's reply on the customer's page", "return [...document.querySelectorAll('#messages li p')].some(p => p.textContent === 'Hello Mallory, we are checking your deposit.')").await;
    let customer_sees = script(&customer, "return document.getElementById('messages').textContent").await;
    assert!(!customer_sees.as_str().unwrap().contains("TRC20"), "the private note reached the customer");
    until(&agent, "the reply marked sent", "return [...document.querySelectorAll('#thread .msg.outbound')].some(m => m.textContent.includes('Hello Mallory') && m.querySelector('.delivery.sent'))").await;
    // A file, without words: the customer's page offers it.
    let upload = std::env::temp_dir().join(format!("switchboard-receipt-{}.txt", std::process::id()));
    std::fs::write(&upload, "deposit receipt").unwrap();
    agent.find(Locator::Css("#files")).await.unwrap().send_keys(upload.to_str().unwrap()).await.unwrap();
    agent.find(Locator::Css("#composer button[type=submit]")).await.unwrap().click().await.unwrap();
    let name = upload.file_name().unwrap().to_str().unwrap().to_owned();
    until(
        &agent,
        "the file in the thread",
        &format!(
            "return [...document.querySelectorAll('#thread .attachments a')].some(a => a.textContent === '{name}')"
        ),
    )
    .await;
    until(
        &customer,
        "the file on the customer's page",
        &format!("return [...document.querySelectorAll('#messages a.file')].some(a => a.textContent === '{name}')"),
    )
    .await;
    std::fs::remove_file(&upload).unwrap();
    screenshot(&agent, "conversation").await;
    screenshot(&customer, "customer-chat").await;

    // The customer asks for a person: the agent is alerted live.
    customer_says(&customer, "/human").await;
    until(&agent, "the hand-off alert", "return document.querySelector('#alerts .handoff') !== null").await;
    screenshot(&agent, "handoff-alert").await;

    // Resolving with the keyboard.
    script(&agent, "document.activeElement.blur(); return true").await;
    agent.find(Locator::Css("body")).await.unwrap().send_keys("e").await.unwrap();
    until(&agent, "the resolved status", "return document.querySelector('#meta .meta')?.dataset.status === 'resolved'")
        .await;

    agent.close().await.unwrap();
    customer.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chinese_interface_renders() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "li@example.com", "李雷", "agent", PASSWORD);
    let server = Server::start(dir.path(), &[]);
    let driver = Driver::start();
    let agent = driver.browser("zh-CN").await;
    agent.goto(&server.url("/login")).await.unwrap();
    until(&agent, "the Chinese sign-in page", "return document.querySelector('#login button').textContent === '登录'")
        .await;
    sign_in(&agent, &server, "li@example.com").await;
    let views = script(&agent, "return document.querySelector('.views').textContent").await;
    assert!(views.as_str().unwrap().contains("处理中") && views.as_str().unwrap().contains("未分配"), "{views}");
    // Switching the agent's language is remembered.
    script(&agent, "const s = document.getElementById('ui-language'); s.value = 'en-US'; s.dispatchEvent(new Event('change')); return true").await;
    until(&agent, "the English interface", "return document.getElementById('sign-out')?.textContent === 'Sign out'")
        .await;
    script(&agent, "const s = document.getElementById('ui-language'); s.value = 'zh-CN'; s.dispatchEvent(new Event('change')); return true").await;
    until(
        &agent,
        "the Chinese interface again",
        "return document.getElementById('sign-out')?.textContent === '退出登录'",
    )
    .await;
    screenshot(&agent, "inbox-zh-CN").await;
    agent.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_a_topic_kept_for_people_and_the_bot_hands_it_off() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "root@example.com", "Root", "admin", PASSWORD);
    let kb = concat!(env!("CARGO_MANIFEST_DIR"), "/kb");
    let server = Server::start(dir.path(), &[("SWITCHBOARD_KB_DIR", kb)]);
    let driver = Driver::start();
    let admin = driver.browser("en-US").await;
    sign_in(&admin, &server, "root@example.com").await;
    admin.goto(&server.url("/inbox/kb")).await.unwrap();
    let form = admin.find(Locator::Css("#kb-new")).await.unwrap();
    for (field, value) in [
        ("input[name=id_]", "token-listing.en"),
        ("input[name=title]", "Listing a token"),
        ("input[name=topic]", "token-listing"),
        (
            "textarea[name=questions]",
            "how can we get our token listed on your exchange\nlisting application for our project",
        ),
        ("textarea[name=body]", "Forward to the listings team; promise nothing about dates or fees."),
    ] {
        form.find(Locator::Css(field)).await.unwrap().send_keys(value).await.unwrap();
    }
    form.find(Locator::Css("input[name=handoff]")).await.unwrap().click().await.unwrap();
    form.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    until(
        &admin,
        "the new article, marked",
        "const h = document.querySelector('form.kb-item[data-id=\"token-listing.en\"] h2'); \
         return !!h && h.textContent.includes('goes to a person')",
    )
    .await;
    screenshot(&admin, "inbox-kb").await;
    admin.close().await.unwrap();

    // The bot follows at once: such a request goes to people, the guidance to the agents only.
    let http = support::client();
    let token = support::session(&http, &server, json!({"name": "Founder", "locale": "en-US"})).await;
    support::send(
        &http,
        &server,
        &token,
        json!({"body": "we would like to get our new token listed, who do we talk to?"}),
    )
    .await;
    support::eventually("the handoff", WAIT, || async {
        support::all_messages(&http, &server, &token)
            .await
            .iter()
            .any(|m| m["author"] == "bot" && m["body"].as_str().unwrap().starts_with("I've passed your ticket"))
    })
    .await;
    let seen = support::all_messages(&http, &server, &token).await;
    assert!(seen.iter().all(|m| !m["body"].as_str().unwrap().contains("listings team")), "{seen:?}");
    let staff = support::sign_in(&http, &server, "root@example.com", PASSWORD).await;
    let list = support::get_json(&http, &server, "/api/v1/conversations?status=all", &staff).await;
    let id = list["conversations"][0]["id"].clone();
    let thread = support::get_json(&http, &server, &format!("/api/v1/conversations/{id}"), &staff).await;
    let notes: Vec<&str> = thread["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["direction"] == "note")
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert!(notes.iter().any(|n| n.contains("Listing a token") && n.contains("listings team")), "{notes:?}");
}

/// JavaScript: the WCAG contrast ratio between an element's text and the background behind it
/// (the first ancestor with an opaque one).
const CONTRAST: &str = "
    const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
    const lum = ([r, g, b]) => {
        const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const contrast = (el) => {
        const fg = rgb(getComputedStyle(el).color);
        let at = el, bg = null;
        while (at) {
            const c = rgb(getComputedStyle(at).backgroundColor);
            if (c.length < 4 || c[3] > 0) { bg = c; break; }
            at = at.parentElement;
        }
        bg = bg || [255, 255, 255];
        const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
    };
    const overlaps = (a, b) => {
        const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
        return !(r.right <= s.left || s.right <= r.left || r.bottom <= s.top || s.bottom <= r.top);
    };
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_legible_and_clear_of_the_composer_and_the_counts_follow_live_events() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", PASSWORD);
    add_agent(dir.path(), "bob@example.com", "Bob", "agent", PASSWORD);
    let server = Server::start(dir.path(), &[]);
    let http = support::client();
    let first = support::session(&http, &server, json!({"name": "Dee"})).await;
    support::send(&http, &server, &first, json!({"body": "my deposit is missing"})).await;
    let driver = Driver::start();
    let agent = driver.browser("en-US").await;
    sign_in(&agent, &server, "ann@example.com").await;
    until(&agent, "the open count", "return document.querySelector('[data-count=open]')?.textContent === '1'").await;

    // A second customer writes: the tab counts follow without a reload.
    script(&agent, "window.sameDocument = true; return true").await;
    let second = support::session(&http, &server, json!({"name": "Eli"})).await;
    support::send(&http, &server, &second, json!({"body": "withdrawal pending"})).await;
    until(&agent, "the open count, live", "return document.querySelector('[data-count=open]')?.textContent === '2'")
        .await;
    until(
        &agent,
        "the unassigned count, live",
        "return document.querySelector('[data-count=unassigned]')?.textContent === '2'",
    )
    .await;
    assert_eq!(script(&agent, "return window.sameDocument === true").await, json!(true));

    // The guard refuses a reply asking for the recovery phrase: the reason, legible, beside and
    // not over the composer; Send stays usable.
    agent.find(Locator::Css("#list a[data-id]")).await.unwrap().click().await.unwrap();
    until(&agent, "the composer", "return document.getElementById('reply') !== null").await;
    agent
        .find(Locator::Css("#reply"))
        .await
        .unwrap()
        .send_keys("Please send us your seed phrase to verify")
        .await
        .unwrap();
    agent.find(Locator::Css("#composer button[type=submit]")).await.unwrap().click().await.unwrap();
    until(&agent, "the refusal", "return document.querySelector('#alerts .alert.error') !== null").await;
    let text = script(&agent, "return document.querySelector('#alerts .alert.error').textContent").await;
    assert!(text.as_str().unwrap().contains("Support never asks for them"), "{text}");
    let ratio =
        script(&agent, &format!("{CONTRAST} return contrast(document.querySelector('#alerts .alert.error'))")).await;
    assert!(ratio.as_f64().unwrap() >= 4.5, "error text contrast {ratio}");
    let covers = script(
        &agent,
        &format!("{CONTRAST} return overlaps(document.querySelector('#alerts'), document.querySelector('#composer button[type=submit]'))"),
    )
    .await;
    assert_eq!(covers, json!(false), "the alert covers Send");
    screenshot(&agent, "refusal-alert").await;
    // The hand-off alert keeps clear of Send too.
    support::send(&http, &server, &second, json!({"body": "/human"})).await;
    until(&agent, "the hand-off alert", "return document.querySelector('#alerts .handoff') !== null").await;
    let covers = script(
        &agent,
        &format!("{CONTRAST} return overlaps(document.querySelector('#alerts'), document.querySelector('#composer button[type=submit]'))"),
    )
    .await;
    assert_eq!(covers, json!(false), "the hand-off alert covers Send");

    // A plain agent gets no admin forms, and an admin page says so in words, not JSON.
    let plain = driver.browser("zh-CN").await;
    sign_in(&plain, &server, "bob@example.com").await;
    plain.goto(&server.url("/inbox/canned")).await.unwrap();
    let page = script(&plain, "return document.body.innerText").await;
    assert!(page.as_str().unwrap().contains("只有管理员可以打开此页面"), "{page}");
    assert!(!page.as_str().unwrap().contains("\"error\""), "{page}");
    screenshot(&plain, "admins-only-zh-CN").await;
    plain.goto(&server.url("/inbox/kb")).await.unwrap();
    until(&plain, "the knowledge base", "return document.querySelector('main.kb') !== null").await;
    assert_eq!(script(&plain, "return document.querySelectorAll('main.kb button').length").await, json!(0));
    agent.close().await.unwrap();
    plain.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chat_page_follows_lang_keeps_one_promise_and_its_answer_buttons_are_legible() {
    let dir = tempfile::tempdir().unwrap();
    let kb = concat!(env!("CARGO_MANIFEST_DIR"), "/kb");
    let server = Server::start(dir.path(), &[("SWITCHBOARD_KB_DIR", kb), ("SWITCHBOARD_RESPONSE_TIME", "2h")]);
    let driver = Driver::start();
    let customer = driver.browser("en-US").await;
    customer.goto(&server.url("/chat?lang=en")).await.unwrap();
    let intro = script(&customer, "return document.querySelector('header p').textContent").await;
    assert!(intro.as_str().unwrap().contains("within 2 hours"), "{intro}");
    customer.find(Locator::Css("#name")).await.unwrap().send_keys("Fay").await.unwrap();
    customer.find(Locator::Css("#start button")).await.unwrap().click().await.unwrap();
    until(&customer, "the chat form", "return !document.getElementById('compose').hidden").await;

    // The bot's answer offers "Yes, solved" / "No": legible on its bubble.
    customer_says(&customer, "how long does unstaking take").await;
    until(&customer, "the answer's buttons", "return document.querySelector('.choices button') !== null").await;
    let ratio = script(
        &customer,
        &format!("{CONTRAST} return Math.min(...[...document.querySelectorAll('.choices button')].map(contrast))"),
    )
    .await;
    assert!(ratio.as_f64().unwrap() >= 4.5, "answer buttons contrast {ratio}");
    screenshot(&customer, "chat-answer-buttons").await;

    // "No": handed off with the same promise as the page's.
    customer.find(Locator::Css(".choices button:last-child")).await.unwrap().click().await.unwrap();
    until(
        &customer,
        "the hand-off",
        "return [...document.querySelectorAll('#messages li p')].some(p => p.textContent.includes('within 2 hours'))",
    )
    .await;

    // /lang zh-CN: the page's own words follow.
    customer_says(&customer, "/lang zh-CN").await;
    until(&customer, "the page in Chinese", "return document.documentElement.lang === 'zh-CN' && document.querySelector('#compose button')?.textContent === '发送'").await;
    let intro = script(&customer, "return document.querySelector('header p').textContent").await;
    assert!(intro.as_str().unwrap().contains("2 小时"), "{intro}");
    until(&customer, "the conversation kept", "return document.querySelectorAll('#messages li').length > 3").await;
    screenshot(&customer, "chat-after-lang").await;
    customer.close().await.unwrap();
}

/// The OWASP XSS filter-evasion cheat sheet's kinds of payload, each setting `window.pwned` if
/// it ever ran.
const OWASP_XSS: &[&str] = &[
    "<script>window.pwned=1</script>",
    "<IMG SRC=\"javascript:window.pwned=2;\">",
    "<IMG SRC=javascript:window.pwned=3>",
    "<img src=x onerror=window.pwned=4>",
    "<svg/onload=window.pwned=5>",
    "<BODY ONLOAD=window.pwned=6>",
    "<iframe src=\"javascript:parent.pwned=7\"></iframe>",
    "\"><script>window.pwned=8</script>",
    "'';!--\"<XSS>=&{()}",
    "<a href=\"javascript:window.pwned=10\">click</a>",
    "<IMG \"\"\"><SCRIPT>window.pwned=11</SCRIPT>\">",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;window.pwned=12>",
    "<DIV STYLE=\"background-image: url(javascript:window.pwned=13)\">x</DIV>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.pwned=14>",
    "<details open ontoggle=window.pwned=15>",
    "</title></style></textarea></script><svg/onload=window.pwned=16>",
    "<input autofocus onfocus=window.pwned=17>",
    "[click](javascript:window.pwned=18)",
    "<object data=\"javascript:window.pwned=19\"></object>",
    "{{constructor.constructor('window.pwned=20')()}}",
];

/// Whether a page ran nothing and grew no element from the payloads.
const CLEAN: &str = "return window.pwned === undefined \
     && document.querySelectorAll('iframe, object, svg, math, details, input[autofocus], [onerror], [onload]').length === 0";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owasp_xss_cases_execute_nothing_wherever_customer_or_article_text_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", PASSWORD);
    let server = Server::start(dir.path(), &[]);
    let http = support::client();
    let admin = support::sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    // Each payload as a customer's name and message, an agent's reply and note, and an article.
    let mut visitors = Vec::new();
    for (n, payload) in OWASP_XSS.iter().enumerate() {
        let token = support::session(&http, &server, json!({ "name": payload })).await;
        assert_eq!(support::send(&http, &server, &token, json!({ "body": payload })).await.status(), 201);
        visitors.push(token);
        let article = json!({ "topic": format!("xss-{n}"), "locale": "en-US", "title": payload,
                              "tags": [], "questions": [payload], "body": payload, "handoff": false });
        let put = http.put(server.url(&format!("/api/v1/kb/articles/xss-{n}"))).bearer_auth(&admin).json(&article);
        assert!(put.send().await.unwrap().status().is_success());
    }
    let list: serde_json::Value = support::get_json(&http, &server, "/api/v1/conversations", &admin).await;
    let conversations: Vec<i64> =
        list["conversations"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!(conversations.len(), OWASP_XSS.len());
    for (id, payload) in conversations.iter().zip(OWASP_XSS) {
        for private in [false, true] {
            let post = http
                .post(server.url(&format!("/api/v1/conversations/{id}/messages")))
                .bearer_auth(&admin)
                .json(&json!({ "body": payload, "private": private }));
            assert_eq!(post.send().await.unwrap().status(), 201);
        }
    }

    let driver = Driver::start();
    let agent = driver.browser("en-US").await;
    sign_in(&agent, &server, "ann@example.com").await;
    until(&agent, "the list", "return document.querySelectorAll('#list a[data-id]').length > 0").await;
    assert_eq!(script(&agent, CLEAN).await, json!(true), "the conversation list");
    for id in &conversations {
        agent.goto(&server.url(&format!("/inbox?c={id}"))).await.unwrap();
        until(&agent, "the thread", "return document.querySelectorAll('#thread .msg').length >= 3").await;
        assert_eq!(script(&agent, CLEAN).await, json!(true), "conversation {id}");
        let shown = script(&agent, "return document.querySelector('#thread .msg.inbound .body').textContent").await;
        assert!(OWASP_XSS.contains(&shown.as_str().unwrap()), "the payload is shown as text: {shown}");
    }
    for page in ["/inbox/kb", "/inbox/canned"] {
        agent.goto(&server.url(page)).await.unwrap();
        until(&agent, page, "return document.readyState === 'complete'").await;
        assert_eq!(script(&agent, CLEAN).await, json!(true), "{page}");
    }
    let contact = list["conversations"][0]["contact"]["id"].as_i64().unwrap();
    agent.goto(&server.url(&format!("/inbox/contacts/{contact}"))).await.unwrap();
    until(&agent, "the contact page", "return document.readyState === 'complete'").await;
    assert_eq!(script(&agent, CLEAN).await, json!(true), "the contact page");

    // The customers' pages, where the agents' replies (and the bot's answers) are shown.
    let customer = driver.browser("en-US").await;
    customer.goto(&server.url("/chat?lang=en")).await.unwrap();
    for token in visitors.iter().take(OWASP_XSS.len()) {
        script(&customer, &format!("localStorage.setItem('switchboard.webchat.token', {}); return true", json!(token)))
            .await;
        customer.goto(&server.url("/chat?lang=en")).await.unwrap();
        until(&customer, "the messages", "return document.querySelectorAll('#messages li').length >= 2").await;
        assert_eq!(script(&customer, CLEAN).await, json!(true), "a customer's page");
    }
}

/// The satisfaction survey in the chat page, pressed by a customer; then the reports page, its
/// figures and charts drawn on the server, in both languages and on a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_rates_in_the_chat_and_the_reports_page_shows_it_in_both_languages_and_on_a_phone() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", PASSWORD);
    add_agent(dir.path(), "li@example.com", "李雷", "agent", PASSWORD);
    let server = Server::start(dir.path(), &[("SWITCHBOARD_CSAT_DELAY", "1s")]);
    let driver = Driver::start();
    let customer = driver.browser("en-US").await;
    customer.goto(&server.url("/chat?lang=en")).await.unwrap();
    customer.find(Locator::Css("#name")).await.unwrap().send_keys("Gus").await.unwrap();
    customer.find(Locator::Css("#start button")).await.unwrap().click().await.unwrap();
    until(&customer, "the chat form", "return !document.getElementById('compose').hidden").await;
    customer_says(&customer, "my deposit has not arrived").await;

    // Ann answers and resolves through the API.
    let http = support::client();
    let ann = support::sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    let id = loop {
        let list = support::get_json(&http, &server, "/api/v1/conversations", &ann).await;
        if let Some(id) = list["conversations"][0]["id"].as_i64() {
            break id;
        }
        assert!(tokio::time::Instant::now() < deadline, "no conversation");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let path = format!("/api/v1/conversations/{id}");
    let reply =
        http.post(server.url(&format!("{path}/messages"))).bearer_auth(&ann).json(&json!({"body": "Arrived now."}));
    assert_eq!(reply.send().await.unwrap().status(), 201);
    let resolve = http.patch(server.url(&path)).bearer_auth(&ann).json(&json!({"status": "resolved"}));
    assert!(resolve.send().await.unwrap().status().is_success());

    // The survey's five stars; the customer presses the fourth.
    until(
        &customer,
        "the survey",
        "return [...document.querySelectorAll('.choices')].some(c => c.querySelectorAll('button').length === 5)",
    )
    .await;
    screenshot(&customer, "chat-survey").await;
    script(&customer, "const c = [...document.querySelectorAll('.choices')].find(c => c.querySelectorAll('button').length === 5); c.querySelectorAll('button')[3].click(); return true").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while support::get_json(&http, &server, &path, &ann).await["surveys"][0]["rating"] != 4 {
        assert!(tokio::time::Instant::now() < deadline, "the rating was not recorded");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Ann, a lead, reviews the conversation from its pane; the review shows there.
    let agent = driver.browser("en-US").await;
    sign_in(&agent, &server, "ann@example.com").await;
    agent.goto(&server.url(&format!("/inbox?status=all&c={id}"))).await.unwrap();
    until(
        &agent,
        "the rating in the pane",
        "return document.querySelector('.meta .badge.rating')?.textContent.includes('4/5') === true",
    )
    .await;
    script(&agent, "document.querySelector('.review-form summary').click(); return true").await;
    agent.find(Locator::Css("#review input[name=comment]")).await.unwrap().send_keys("Clear and kind.").await.unwrap();
    agent.find(Locator::Css("#review button[type=submit]")).await.unwrap().click().await.unwrap();
    until(
        &agent,
        "the review in the pane",
        "return document.querySelector('.meta .review')?.textContent.includes('75/100') === true",
    )
    .await;
    screenshot(&agent, "conversation-reviewed").await;

    // The reports page in English: the figures, and the charts as inline SVG.
    agent.goto(&server.url("/inbox/reports")).await.unwrap();
    until(&agent, "the reports page", "return document.querySelector('main.reports h1')?.textContent === 'Reports'")
        .await;
    assert_eq!(script(&agent, "return document.getElementById('fig-csat').textContent.trim()").await, json!("4.0"));
    assert_eq!(
        script(&agent, "return document.getElementById('fig-conversations').textContent.trim()").await,
        json!("1")
    );
    let charts = script(&agent, "return document.querySelectorAll('.charts figure svg').length").await;
    assert_eq!(
        charts,
        json!(7),
        "volume, first response, resolution, satisfaction trend and ratings, hand-offs, heatmap"
    );
    let table = script(&agent, "return document.querySelector('table.agents-report tbody').textContent").await;
    assert!(table.as_str().unwrap().contains("Ann"), "{table}");
    let reviews = script(&agent, "return document.querySelector('ul.reviews').textContent").await;
    assert!(reviews.as_str().unwrap().contains("75/100"), "{reviews}");
    let export = script(&agent, "return document.querySelector('a.export').getAttribute('href')").await;
    assert!(export.as_str().unwrap().starts_with("/api/v1/reports/export.csv"), "{export}");
    screenshot(&agent, "reports-en-US").await;
    // On a phone: nothing wider than the screen but the agents' table, which scrolls in its box.
    agent.set_window_size(390, 844).await.unwrap();
    let overflow = script(&agent, "return document.querySelector('main.reports').scrollWidth <= document.querySelector('main.reports').clientWidth").await;
    assert_eq!(overflow, json!(true), "the page fits a phone's width");
    screenshot(&agent, "reports-phone").await;

    // In Chinese.
    let li = driver.browser("zh-CN").await;
    sign_in(&li, &server, "li@example.com").await;
    li.goto(&server.url("/inbox/reports")).await.unwrap();
    until(&li, "the Chinese reports page", "return document.querySelector('main.reports h1')?.textContent === '报表'")
        .await;
    let labels = script(&li, "return document.querySelector('.figures').textContent").await;
    assert!(labels.as_str().unwrap().contains("满意度"), "{labels}");
    let heatmap = script(&li, "return document.querySelector('.charts figure.wide svg').textContent").await;
    assert!(heatmap.as_str().unwrap().contains("周一"), "{heatmap}");
    screenshot(&li, "reports-zh-CN").await;
    for browser in [customer, agent, li] {
        browser.close().await.unwrap();
    }
}
