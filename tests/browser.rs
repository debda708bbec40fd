//! The inbox and web chat in a real browser: headless Chromium driven over WebDriver, an
//! agent in one window and a customer in another. Screenshots of the main screens are saved
//! under `target/tmp/screenshots/`.

#[path = "support/browser.rs"]
mod browser;
mod support;

use browser::{Driver, PASSWORD, WAIT, customer_says, screenshot, script, sign_in, until};
use fantoccini::Locator;
use serde_json::json;
use support::{Server, add_agent};

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
    // Agents read and filter it; nothing to save, retire or add.
    let editing = "return document.querySelectorAll('main.kb .kb-item button, main.kb .kb-item input, #kb-new').length";
    assert_eq!(script(&plain, editing).await, json!(0));
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
    // Each payload as a contact's attribute and a note about them, on every contact's page.
    for (conversation, payload) in list["conversations"].as_array().unwrap().iter().zip(OWASP_XSS) {
        let contact = conversation["contact"]["id"].as_i64().unwrap();
        let path = format!("/api/v1/contacts/{contact}");
        let change = http.patch(server.url(&path)).bearer_auth(&admin).json(&json!({"attributes": {"xss": payload}}));
        assert_eq!(change.send().await.unwrap().status(), 200);
        let note = http.post(server.url(&format!("{path}/notes"))).bearer_auth(&admin).json(&json!({"body": payload}));
        assert_eq!(note.send().await.unwrap().status(), 201);
        agent.goto(&server.url(&format!("/inbox/contacts/{contact}"))).await.unwrap();
        until(&agent, "the contact page", "return document.querySelectorAll('.contact-notes li').length === 1").await;
        assert_eq!(script(&agent, CLEAN).await, json!(true), "the contact page of {contact}");
    }
    // The contacts list, and search results with their hits marked inside the payloads.
    for page in
        ["/inbox/contacts", "/inbox/contacts?q=script", "/inbox?status=all&q=script", "/inbox?status=all&q=pwned"]
    {
        agent.goto(&server.url(page)).await.unwrap();
        until(&agent, page, "return document.readyState === 'complete'").await;
        assert_eq!(script(&agent, CLEAN).await, json!(true), "{page}");
    }
    let marked = script(&agent, "return document.querySelectorAll('#list .found mark').length").await;
    assert!(marked.as_i64().unwrap() > 0, "the hits are marked: {marked}");

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chat_page_speaks_every_customer_language_by_hint_or_by_choice() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let driver = Driver::start();
    let localizer = switchboard_core::l10n::Localizer::embedded();
    // Each locale by `?lang=`, and the browser's language reaching the nearest one.
    let mut visits: Vec<(String, String)> =
        localizer.available().iter().map(|l| (format!("?lang={l}"), l.to_string())).collect();
    visits.extend(
        [("?lang=zh-HK", "zh-TW"), ("?lang=pt", "pt-BR"), ("?lang=es-419", "es")]
            .map(|(q, l)| (q.to_owned(), l.to_owned())),
    );
    let customer = driver.browser("en-US").await;
    for (query, locale) in visits {
        customer.goto(&server.url(&format!("/chat{query}"))).await.unwrap();
        let start = localizer.text(&locale, "webchat-start", &[]);
        let shown = script(&customer, "return document.querySelector('#start button').textContent").await;
        assert_eq!(shown.as_str().map(str::trim), Some(start.as_str()), "{query}");
        let lang = script(&customer, "return document.documentElement.lang").await;
        assert_eq!(lang, serde_json::json!(locale), "{query}");
        if query == format!("?lang={locale}") {
            screenshot(&customer, &format!("chat-{locale}")).await;
        }
    }
}
