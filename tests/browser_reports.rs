//! The survey pressed in the chat page and the reports page, in a real browser: what a
//! customer and a lead see, in both languages and on a phone.

#[path = "support/browser.rs"]
mod browser;
mod support;

use browser::{Driver, PASSWORD, WAIT, customer_says, screenshot, script, sign_in, until};
use fantoccini::Locator;
use serde_json::json;
use support::{Server, add_agent};

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
    let id = support::poll("a conversation", WAIT, || async {
        support::get_json(&http, &server, "/api/v1/conversations", &ann).await["conversations"][0]["id"].as_i64()
    })
    .await;
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
    support::eventually("the rating recorded", WAIT, || async {
        support::get_json(&http, &server, &path, &ann).await["surveys"][0]["rating"] == 4
    })
    .await;

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
