//! The desk in a real browser: contacts found and annotated, a search that marks its hits
//! (Chinese included), several conversations changed at once, and a pasted transaction hash
//! seen on a real local chain.

#[path = "support/browser.rs"]
#[allow(dead_code)] // shared with the other browser tests, which use all of it
mod browser;
mod support;

use browser::{Driver, PASSWORD, WAIT, screenshot, script, sign_in, until};
use fantoccini::Locator;
use serde_json::{Value, json};
use support::{Server, add_agent};

/// Three customers write in the web chat (through its API); returns the conversations' ids.
async fn three_customers(http: &reqwest::Client, server: &Server, admin: &str) -> Vec<i64> {
    for (name, text) in
        [("Mei Chen", "我的充值还没有到账"), ("Omar Haddad", "withdrawal stuck"), ("Lena Roth", "kyc question")]
    {
        let token = support::session(http, server, json!({ "name": name })).await;
        assert_eq!(support::send(http, server, &token, json!({ "body": text })).await.status(), 201);
    }
    support::poll("three conversations", WAIT, || async {
        let list: Value = support::get_json(http, server, "/api/v1/conversations?status=all", admin).await;
        let ids: Vec<i64> = list["conversations"].as_array()?.iter().filter_map(|c| c["id"].as_i64()).collect();
        (ids.len() == 3).then_some(ids)
    })
    .await
}

/// A server with an admin (Ann, signed in through the API) and three customers' conversations.
async fn desk() -> (tempfile::TempDir, Server, reqwest::Client, String, Vec<i64>) {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", PASSWORD);
    let server = Server::start(dir.path(), &[]);
    let http = support::client();
    let admin = support::sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let ids = three_customers(&http, &server, &admin).await;
    (dir, server, http, admin, ids)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_finds_contacts_searches_and_changes_conversations_in_bulk() {
    let (_dir, server, http, admin, ids) = desk().await;
    let driver = Driver::start();
    let agent = driver.browser("en-US").await;
    sign_in(&agent, &server, "ann@example.com").await;

    // Contacts: found by name, then given an attribute and a note from their page.
    agent.goto(&server.url("/inbox/contacts")).await.unwrap();
    until(&agent, "three contacts", "return document.querySelectorAll('.contact-list tbody tr').length === 3").await;
    agent.find(Locator::Css("#contact-q")).await.unwrap().send_keys("haddad").await.unwrap();
    agent.find(Locator::Css(".contact-search button")).await.unwrap().click().await.unwrap();
    until(&agent, "one contact found", "return document.querySelectorAll('.contact-list tbody tr').length === 1").await;
    agent.find(Locator::Css(".contact-list tbody a")).await.unwrap().click().await.unwrap();
    until(&agent, "the contact page", "return document.querySelector('main.contact') !== null").await;
    agent.find(Locator::Css("#attribute input[name=key]")).await.unwrap().send_keys("UID").await.unwrap();
    agent.find(Locator::Css("#attribute input[name=value]")).await.unwrap().send_keys("88123").await.unwrap();
    agent.find(Locator::Css("#attribute button")).await.unwrap().click().await.unwrap();
    until(&agent, "the attribute", "return document.querySelector('.attributes td')?.textContent === '88123'").await;
    agent.find(Locator::Css("#note-body")).await.unwrap().send_keys("Prefers e-mail").await.unwrap();
    agent.find(Locator::Css("#contact-note button")).await.unwrap().click().await.unwrap();
    until(
        &agent,
        "the note",
        "return document.querySelector('.contact-notes .body')?.textContent === 'Prefers e-mail'",
    )
    .await;
    let tickets = script(&agent, "return document.querySelectorAll('section.ticket').length").await;
    assert_eq!(tickets, json!(1), "the history by ticket");
    screenshot(&agent, "contact-page").await;

    // Search from the inbox's box: the attribute finds Omar; two Chinese characters find Mei,
    // the hit marked in her message.
    for (query, expected) in [("88123", "Omar Haddad"), ("到账", "Mei Chen")] {
        agent.goto(&server.url("/inbox?status=all")).await.unwrap();
        until(&agent, "the list", "return document.querySelectorAll('#list a[data-id]').length === 3").await;
        agent.find(Locator::Css("#search")).await.unwrap().send_keys(query).await.unwrap();
        agent.find(Locator::Css("form.filters button")).await.unwrap().click().await.unwrap();
        until(&agent, "one result", "return document.querySelectorAll('#list a[data-id]').length === 1").await;
        let name = script(&agent, "return document.querySelector('#list .name').textContent").await;
        assert_eq!(name, json!(expected), "{query}");
    }
    let marked = script(&agent, "return document.querySelector('#list .found mark').textContent").await;
    assert_eq!(marked, json!("到账"));
    screenshot(&agent, "search-marked").await;

    // A canned response typed as its shortcut in the composer, filled for the customer.
    let canned = http.post(server.url("/api/v1/canned_responses")).bearer_auth(&admin);
    let canned =
        canned.json(&json!({"title": "thanks", "locale": "en-US", "body": "Thank you, {name}!", "shortcut": "ty"}));
    assert_eq!(canned.send().await.unwrap().status(), 201);
    let list: Value = support::get_json(&http, &server, "/api/v1/conversations?status=all", &admin).await;
    let omar =
        list["conversations"].as_array().unwrap().iter().find(|c| c["contact"]["name"] == "Omar Haddad").unwrap()["id"]
            .clone();
    agent.goto(&server.url(&format!("/inbox?status=all&c={omar}"))).await.unwrap();
    until(&agent, "the canned menu", "return document.querySelectorAll('#canned option').length === 2").await;
    agent.find(Locator::Css("#reply")).await.unwrap().send_keys("Sure. /ty ").await.unwrap();
    until(
        &agent,
        "the shortcut expanded",
        "return document.getElementById('reply').value === 'Sure. Thank you, Omar Haddad!'",
    )
    .await;

    // Notifications: a conversation assigned to Ann and a note mentioning her, written by
    // another agent, reach her as browser notifications (recorded as shown) and count in the
    // page's title.
    agent.goto(&server.url("/inbox?status=all")).await.unwrap();
    until(&agent, "the list", "return document.querySelectorAll('#list a[data-id]').length === 3").await;
    let permission = script(&agent, "return Notification.permission").await;
    assert_eq!(permission, json!("granted"));
    script(
        &agent,
        "window.shown = []; const Real = window.Notification; \
         window.Notification = function (text, options) { window.shown.push(text); return new Real(text, options); }; \
         window.Notification.permission = Real.permission; return true",
    )
    .await;
    until(&agent, "the live stream", "return document.getElementById('live-lost') === null").await;
    let created = http.post(server.url("/api/v1/agents")).bearer_auth(&admin);
    let created =
        created.json(&json!({"email": "bo@example.com", "name": "Bo", "role": "agent", "password": PASSWORD}));
    assert!(created.send().await.unwrap().status().is_success());
    let bo = support::sign_in(&http, &server, "bo@example.com", PASSWORD).await;
    let me: Value = support::get_json(&http, &server, "/api/v1/me", &admin).await;
    let assign = http.patch(server.url(&format!("/api/v1/conversations/{}", ids[2]))).bearer_auth(&bo);
    assert!(assign.json(&json!({"assignee_id": me["id"]})).send().await.unwrap().status().is_success());
    let note = http.post(server.url(&format!("/api/v1/conversations/{}/messages", ids[2]))).bearer_auth(&bo);
    let note = note.json(&json!({"body": "@ann can you check the memo?", "private": true}));
    assert_eq!(note.send().await.unwrap().status(), 201);
    until(&agent, "two notifications", "return window.shown.length === 2").await;
    let shown = script(&agent, "return [window.shown, document.title]").await;
    let reference = 1000 + ids[2];
    assert_eq!(
        shown,
        json!([
            [format!("Assigned to you: #{reference}"), format!("You were mentioned in #{reference}")],
            "(2) Inbox · switchboard"
        ])
    );

    // Two conversations picked and resolved at once, tagged too; the third stays open. By now
    // this browser has left the inbox page many times: each page left must close its live stream,
    // or the browser's few connections to the server run out and the change never leaves.
    agent.goto(&server.url("/inbox?status=all")).await.unwrap();
    until(&agent, "the list", "return document.querySelectorAll('#list input.pick').length === 3").await;
    script(&agent, &format!("document.querySelector('input.pick[data-pick=\"{}\"]').click(); return true", ids[0]))
        .await;
    script(&agent, &format!("document.querySelector('input.pick[data-pick=\"{}\"]').click(); return true", ids[1]))
        .await;
    until(
        &agent,
        "the bulk bar",
        "return !document.getElementById('bulk').hidden && document.getElementById('bulk-count').textContent === '2'",
    )
    .await;
    script(
        &agent,
        "const f = document.getElementById('bulk'); f.status.value = 'resolved'; f.tag.value = 'batch'; return true",
    )
    .await;
    screenshot(&agent, "bulk-bar").await;
    agent.find(Locator::Css("#bulk button[type=submit]")).await.unwrap().click().await.unwrap();
    until(&agent, "the bar hidden after the change", "return document.getElementById('bulk').hidden").await;
    for (i, id) in ids.iter().enumerate() {
        let conversation: Value =
            support::get_json(&http, &server, &format!("/api/v1/conversations/{id}"), &admin).await;
        let expected = if i < 2 { ("resolved", true) } else { ("open", false) };
        let tagged = conversation["tags"].as_array().unwrap().contains(&json!("batch"));
        assert_eq!((conversation["status"].as_str().unwrap(), tagged), expected, "conversation {id}");
    }
}

/// The inbox on a phone (390 px: one column, list → conversation → back, the composer in
/// reach, nothing wider than the screen) and on a small laptop in Chinese (1366 px: the header's
/// parts side by side or wrapped, never over each other).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_fits_a_phone_and_a_small_laptop_in_chinese() {
    let (_dir, server, _http, _admin, ids) = desk().await;
    let driver = Driver::start();
    const NO_SIDEWAYS_SCROLL: &str = "return document.documentElement.scrollWidth <= window.innerWidth";

    let phone = driver.browser("en-US").await;
    phone.set_window_size(390, 844).await.unwrap();
    sign_in(&phone, &server, "ann@example.com").await;
    until(&phone, "the list", "return document.querySelectorAll('#list a[data-id]').length === 3").await;
    assert_eq!(script(&phone, NO_SIDEWAYS_SCROLL).await, json!(true), "the list fits");
    let pane_hidden = "return getComputedStyle(document.getElementById('pane')).display === 'none'";
    assert_eq!(script(&phone, pane_hidden).await, json!(true), "one column: the list alone");
    screenshot(&phone, "phone-list").await;
    phone.find(Locator::Css(&format!("#list a[data-id=\"{}\"]", ids[0]))).await.unwrap().click().await.unwrap();
    until(&phone, "the conversation", "return document.querySelector('#thread .msg') !== null").await;
    let list_hidden = "return getComputedStyle(document.querySelector('.side')).display === 'none'";
    assert_eq!(script(&phone, list_hidden).await, json!(true), "one column: the conversation alone");
    assert_eq!(script(&phone, NO_SIDEWAYS_SCROLL).await, json!(true), "the conversation fits");
    let send = "const b = document.querySelector('#composer button[type=submit]'); b.scrollIntoView(); \
                const r = b.getBoundingClientRect(); return r.bottom <= window.innerHeight && r.right <= window.innerWidth \
                && document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === b";
    assert_eq!(script(&phone, send).await, json!(true), "Send is in reach");
    screenshot(&phone, "phone-conversation").await;
    phone.find(Locator::Css(".back-to-list")).await.unwrap().click().await.unwrap();
    until(&phone, "back to the list", "return document.querySelectorAll('#list a[data-id]').length === 3").await;

    let laptop = driver.browser("zh-CN").await;
    laptop.set_window_size(1366, 768).await.unwrap();
    sign_in(&laptop, &server, "ann@example.com").await;
    laptop.goto(&server.url(&format!("/inbox?c={}", ids[1]))).await.unwrap();
    until(&laptop, "the conversation", "return document.querySelector('#thread .msg') !== null").await;
    assert_eq!(script(&laptop, "return document.documentElement.lang").await, json!("zh-CN"));
    assert_eq!(script(&laptop, NO_SIDEWAYS_SCROLL).await, json!(true), "the page fits");
    // No two of the header's controls overlap.
    let overlaps = "const parts = [...document.querySelectorAll('.top > *, .views a, .filters > *, .me > *')] \
                    .filter(e => e.offsetParent !== null).map(e => [e, e.getBoundingClientRect()]); \
                    const clash = []; for (const [a, r] of parts) for (const [b, s] of parts) \
                    if (a !== b && !a.contains(b) && !b.contains(a) && r.left < s.right - 1 && s.left < r.right - 1 \
                    && r.top < s.bottom - 1 && s.top < r.bottom - 1) clash.push(a.outerHTML.slice(0, 40)); return clash";
    assert_eq!(script(&laptop, overlaps).await, json!([]), "header controls overlap");
    screenshot(&laptop, "laptop-zh-CN").await;
}

/// The knowledge-base editor: articles filtered by language and searched, one open with its
/// preview as customers see it (the Markdown list as a list) and the customer question the bot
/// answered with it; a Save keeps the filters and the article open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_edits_one_article_with_its_preview_and_the_questions_it_answered() {
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", PASSWORD);
    let kb = concat!(env!("CARGO_MANIFEST_DIR"), "/kb");
    let server = Server::start(dir.path(), &[("SWITCHBOARD_KB_DIR", kb)]);
    let http = support::client();
    let token = support::session(&http, &server, json!({"name": "Kim", "locale": "en-US"})).await;
    support::send(&http, &server, &token, json!({"body": "I sent crypto but my balance did not change"})).await;
    support::eventually("the bot's answer", WAIT, || async {
        let messages = support::all_messages(&http, &server, &token).await;
        messages
            .iter()
            .any(|m| m["author"] == "bot" && m["body"].as_str().unwrap_or("").contains("My deposit has not arrived"))
    })
    .await;

    let driver = Driver::start();
    let admin = driver.browser("en-US").await;
    sign_in(&admin, &server, "ann@example.com").await;
    admin.goto(&server.url("/inbox/kb?language=en-US&q=deposit")).await.unwrap();
    until(&admin, "the filtered list", "return document.querySelectorAll('.kb-list li').length > 0").await;
    let locales = script(
        &admin,
        "return [...document.querySelectorAll('.kb-list li .small')].every(s => s.textContent.startsWith('en-US'))",
    )
    .await;
    assert_eq!(locales, json!(true), "only English articles");
    let link = "[...document.querySelectorAll('.kb-list a')].find(a => a.textContent === 'My deposit has not arrived')";
    script(&admin, &format!("{link}.click(); return true")).await;
    until(
        &admin,
        "the article open",
        "return document.querySelector('.kb-open form.kb-item')?.dataset.id === 'deposit-not-credited.en'",
    )
    .await;
    assert_eq!(
        script(&admin, "return document.querySelectorAll('#kb-preview ul li').length > 0").await,
        json!(true),
        "the list previewed as a list"
    );
    let reached = script(&admin, "return document.querySelector('.kb-questions li')?.textContent || ''").await;
    assert!(reached.as_str().unwrap().contains("I sent crypto but my balance did not change"), "{reached}");
    // Labelled fields; the preview follows the body.
    let labelled = script(&admin, "return [...document.querySelectorAll('.kb-open input, .kb-open textarea, .kb-open select')].every(e => e.closest('label'))").await;
    assert_eq!(labelled, json!(true));
    admin
        .find(Locator::Css(".kb-open textarea[name=body]"))
        .await
        .unwrap()
        .send_keys("\n\n**Still missing?** Write to us.")
        .await
        .unwrap();
    until(
        &admin,
        "the preview updated",
        "return document.querySelector('#kb-preview strong')?.textContent === 'Still missing?'",
    )
    .await;
    screenshot(&admin, "kb-editor").await;
    admin.find(Locator::Css(".kb-open button[type=submit]")).await.unwrap().click().await.unwrap();
    until(
        &admin,
        "saved, in place",
        "return location.search.includes('language=en-US') && location.search.includes('q=deposit') \
           && document.querySelector('.kb-open form.kb-item')?.dataset.id === 'deposit-not-credited.en' \
           && document.querySelector('.kb-open textarea[name=body]').value.endsWith('Write to us.')",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sets_up_teams_an_sla_and_a_rule_and_the_list_shows_the_clocks() {
    let (_dir, server, http, admin, _ids) = desk().await;
    let driver = Driver::start();
    let agent = driver.browser("en-US").await;
    sign_in(&agent, &server, "ann@example.com").await;
    agent.goto(&server.url("/inbox/desk")).await.unwrap();
    until(&agent, "the desk page", "return document.querySelector('main.desk') !== null").await;

    // A team, then Ann made its member and lead from its row.
    agent.find(Locator::Css("#team-new input[name=name]")).await.unwrap().send_keys("Transactions").await.unwrap();
    agent.find(Locator::Css("#team-new input[name=languages]")).await.unwrap().send_keys("en, zh").await.unwrap();
    agent.find(Locator::Css("#team-new button")).await.unwrap().click().await.unwrap();
    // The reloaded page finished (its handlers bound, the browser's form restoring done) before
    // the row is changed, and the choice is made and saved in one step so nothing comes between.
    until(
        &agent,
        "the team's row",
        "return document.readyState === 'complete' && document.querySelectorAll('tr[data-team]').length === 1",
    )
    .await;
    // `window.before` marks this page: the reload that follows a save forgets it.
    script(
        &agent,
        "window.before = true; const row = document.querySelector('tr[data-team]'); \
                    row.querySelector('[name=member_ids]').options[0].selected = true; \
                    row.querySelector('[data-save]').click(); return true",
    )
    .await;
    support::poll("Ann in the team", WAIT, || async {
        let teams: Value = support::get_json(&http, &server, "/api/v1/teams", &admin).await;
        (teams["teams"][0]["member_ids"].as_array()?.len() == 1).then_some(())
    })
    .await;
    // Then made its lead, once the page shows her a member.
    until(
        &agent,
        "the saved row",
        "return window.before === undefined && document.readyState === 'complete' \
         && document.querySelector('tr[data-team] [name=member_ids]')?.selectedOptions.length === 1",
    )
    .await;
    script(
        &agent,
        "window.before = true; const row = document.querySelector('tr[data-team]'); \
         row.querySelector('[name=lead_id]').selectedIndex = 1; \
                    row.querySelector('[data-save]').click(); return true",
    )
    .await;
    let teams = support::poll("Ann the lead", WAIT, || async {
        let teams: Value = support::get_json(&http, &server, "/api/v1/teams", &admin).await;
        (teams["teams"][0]["lead_id"].is_i64()).then_some(teams)
    })
    .await;
    assert_eq!(teams["teams"][0]["languages"], json!(["en", "zh"]));
    assert_eq!(teams["teams"][0]["lead_id"], teams["teams"][0]["member_ids"][0]);

    // An SLA policy: a first response within 15 minutes, on the clock.
    until(
        &agent,
        "the page again",
        "return window.before === undefined && document.readyState === 'complete' && document.querySelector('#policy-new') !== null",
    )
    .await;
    agent.find(Locator::Css("#policy-new input[name=name]")).await.unwrap().send_keys("Standard").await.unwrap();
    agent.find(Locator::Css("#policy-new input[name=first_response]")).await.unwrap().send_keys("15m").await.unwrap();
    agent.find(Locator::Css("#policy-new button")).await.unwrap().click().await.unwrap();
    until(
        &agent,
        "the policy's row",
        "return document.querySelector('tr[data-policy] td:nth-child(2)')?.textContent === '15m'",
    )
    .await;

    // A rule tried on the latest conversations, then saved.
    script(&agent, "const f = document.getElementById('rule-new'); f.name.value = 'Withdrawals'; f.event.value = 'message_received'; \
                    f.conditions.value = '[{\"field\": \"text\", \"operator\": \"contains\", \"value\": \"withdrawal\"}]'; \
                    f.actions.value = '[{\"type\": \"add_tag\", \"tag\": \"withdrawal\"}]'; return true").await;
    agent.find(Locator::Css("#rule-new [data-dry-run]")).await.unwrap().click().await.unwrap();
    until(&agent, "the dry run", "return document.getElementById('dry-run').textContent.includes('1 / 3')").await;
    screenshot(&agent, "desk-page").await;
    agent.find(Locator::Css("#rule-new button[type=submit]")).await.unwrap().click().await.unwrap();
    until(&agent, "the rule's row", "return document.querySelectorAll('tr[data-rule]').length === 1").await;

    // A conversation handed to people shows its SLA clock in the list and the thread.
    let list: Value = support::get_json(&http, &server, "/api/v1/conversations?status=all", &admin).await;
    let omar =
        list["conversations"].as_array().unwrap().iter().find(|c| c["contact"]["name"] == "Omar Haddad").unwrap()["id"]
            .as_i64()
            .unwrap();
    let handoff = http.patch(server.url(&format!("/api/v1/conversations/{omar}"))).bearer_auth(&admin);
    assert_eq!(handoff.json(&json!({"handoff": true})).send().await.unwrap().status(), 200);
    support::poll("the clock", WAIT, || async {
        let c: Value = support::get_json(&http, &server, &format!("/api/v1/conversations/{omar}"), &admin).await;
        c["sla"]["first_response_due_at"].as_str().map(drop)
    })
    .await;
    agent.goto(&server.url(&format!("/inbox?status=all&c={omar}"))).await.unwrap();
    until(&agent, "the clock in the list", "return document.querySelector('#list .badge.sla time') !== null").await;
    until(&agent, "the clock in the thread", "return document.querySelector('.meta .sla .clock') !== null").await;
    let team = script(
        &agent,
        "return document.querySelector('.meta select[data-field=team_id]').selectedOptions[0].textContent",
    )
    .await;
    assert_eq!(team, json!("Transactions"), "routed by its language");
    screenshot(&agent, "sla-clock").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_sees_a_pasted_hash_on_chain_and_refreshes_it_as_blocks_come() {
    let node = support::chain::Anvil::start(1);
    let accounts = node.accounts().await;
    let token = node.deploy_token(&accounts[0], "Tether USD", "USDT", 6, 1_000_000_000).await;
    let hash = node.transfer_token(&token, &accounts[0], &accounts[2], 12_500_000).await;
    let dir = tempfile::tempdir().unwrap();
    add_agent(dir.path(), "ann@example.com", "Ann", "admin", PASSWORD);
    let env = [("SWITCHBOARD_CHAINS_ETHEREUM_KIND", "evm"), ("SWITCHBOARD_CHAINS_ETHEREUM_RPC_URL", node.url.as_str())];
    let server = Server::start(dir.path(), &env);
    let http = support::client();
    let admin = support::sign_in(&http, &server, "ann@example.com", PASSWORD).await;
    let customer = support::session(&http, &server, json!({ "name": "Omar" })).await;
    let text = format!("where is my USDT {hash}? it should be at {}", accounts[2]);
    support::send(&http, &server, &customer, json!({ "body": text })).await;
    let id = support::poll("Omar's conversation", WAIT, || async {
        let list: Value = support::get_json(&http, &server, "/api/v1/conversations?status=all", &admin).await;
        list["conversations"][0]["id"].as_i64()
    })
    .await;

    let driver = Driver::start();
    let agent = driver.browser("en-US").await;
    sign_in(&agent, &server, "ann@example.com").await;
    agent.goto(&server.url(&format!("/inbox?status=all&c={id}"))).await.unwrap();
    until(&agent, "the card", "return document.querySelector('.lookup .lookup-status.confirmed') !== null").await;
    let card: String =
        script(&agent, "return document.querySelector('.lookup').textContent").await.as_str().unwrap().into();
    assert!(card.contains("ethereum:") && card.contains("1/12 confirmations"), "{card}");
    assert!(card.contains("12.5 USDT"), "{card}");
    assert!(card.contains(&accounts[2]), "{card}");
    script(&agent, "document.querySelector('.lookup').scrollIntoView({ block: 'center' }); return true").await;
    screenshot(&agent, "lookup-card").await;
    // The address beside it: what it holds on the chain.
    let held =
        "return document.querySelector('.lookup[data-address]')?.textContent.includes('ethereum: holds 10000 ETH')";
    until(&agent, "the address card", held).await;

    node.mine(11).await;
    agent.find(Locator::Css(".lookup .refresh")).await.unwrap().click().await.unwrap();
    until(&agent, "the card refreshed", "return document.querySelector('.lookup .lookup-status.credited') !== null")
        .await;
    let card: String =
        script(&agent, "return document.querySelector('.lookup').textContent").await.as_str().unwrap().into();
    assert!(card.contains("Final") && card.contains("12/12 confirmations"), "{card}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_opens_an_incident_links_a_conversation_and_previews_an_announcement_from_the_page() {
    let (_dir, server, http, admin, ids) = desk().await;
    let driver = Driver::start();
    let agent = driver.browser("en-US").await;
    sign_in(&agent, &server, "ann@example.com").await;
    agent.goto(&server.url("/inbox/incidents")).await.unwrap();
    until(
        &agent,
        "the page",
        "return document.readyState === 'complete' && document.querySelector('main.incidents') !== null",
    )
    .await;

    // An incident opened from the form, in two languages.
    script(
        &agent,
        "const f = document.getElementById('incident-new'); f.title.value = 'Withdrawals delayed'; \
         f.keywords.value = 'withdrawal, 提币'; f.querySelector('textarea[data-locale=\"en-US\"]').value = 'We are on it.'; \
         f.querySelector('textarea[data-locale=\"zh-CN\"]').value = '我们正在处理。'; f.querySelector('button[type=submit]').click(); return true",
    )
    .await;
    until(
        &agent,
        "the incident's row",
        "return document.readyState === 'complete' && document.querySelectorAll('tr[data-incident]').length === 1",
    )
    .await;
    let all: Value = support::get_json(&http, &server, "/api/v1/incidents", &admin).await;
    let incident = &all["incidents"][0];
    assert_eq!(
        (incident["status"].clone(), incident["keywords"].clone()),
        (json!("investigating"), json!(["withdrawal", "提币"]))
    );
    assert_eq!(incident["message"]["zh-CN"], "我们正在处理。");

    // Linked from the conversation's panel: the page counts it.
    agent.goto(&server.url(&format!("/inbox?status=all&c={}", ids[0]))).await.unwrap();
    until(
        &agent,
        "the panel's incident choice",
        "return document.querySelector('.meta select[data-incident]') !== null",
    )
    .await;
    script(
        &agent,
        "const s = document.querySelector('.meta select[data-incident]'); s.selectedIndex = 1; \
         s.dispatchEvent(new Event('change', {bubbles: true})); return true",
    )
    .await;
    until(&agent, "the incident's badge", "return document.querySelector('.meta a.badge.incident') !== null").await;
    agent.goto(&server.url("/inbox/incidents")).await.unwrap();
    until(&agent, "one linked", "return document.querySelector('tr[data-incident] td.linked')?.textContent === '1'")
        .await;

    // An announcement's reach, counted before it is sent.
    script(
        &agent,
        "const f = document.getElementById('announcement'); f.channel.value = 'webchat'; \
                    f.querySelector('[data-preview]').click(); return true",
    )
    .await;
    until(
        &agent,
        "the preview",
        "return document.getElementById('announcement-preview').textContent.startsWith('3 (webchat: 3)')",
    )
    .await;
    screenshot(&agent, "incidents-page").await;
}
