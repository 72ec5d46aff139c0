//! End-to-end: a long chat at constant cost (M10, issue "Fast at any size"). Opening it
//! shows the latest page only; scrolling to the top reads the older page and keeps the
//! message the associate was looking at in place; a message arriving while scrolled up
//! raises the "N new messages" pill, which jumps to the bottom, where the older pages are
//! let go again so the list stays bounded.

use std::time::Duration;

use clienteling_domain::Channel;
use clienteling_e2e::{AppUnderTest, TestBackend, AVA, UI_DEADLINE};
use fantoccini::Locator;
use serde_json::{json, Value};

/// Messages the customer wrote before the chat is opened: almost two pages of 80.
const HISTORY: usize = 150;

/// Runs `script` until it answers `true`, failing after [`UI_DEADLINE`].
async fn until(app: &AppUnderTest, what: &str, script: &str) {
    let deadline = tokio::time::Instant::now() + UI_DEADLINE;
    while tokio::time::Instant::now() < deadline {
        if let Ok(Value::Bool(true)) = app.client.execute(script, vec![]).await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("never true within {UI_DEADLINE:?}: {what}");
}

/// The bubbles in the DOM.
async fn bubbles(app: &AppUnderTest) -> u64 {
    app.client
        .execute(
            "return document.querySelectorAll('[data-test=message]').length",
            vec![],
        )
        .await
        .ok()
        .and_then(|count| count.as_u64())
        .unwrap_or_default()
}

/// Where message `id` sits from the top of the visible list, in pixels.
async fn distance_from_top(app: &AppUnderTest, id: &str) -> f64 {
    let script = r#"
        const list = document.querySelector('[data-test=messages]');
        const bubble = list.querySelector(`[data-message-id="${arguments[0]}"]`);
        return bubble.getBoundingClientRect().top - list.getBoundingClientRect().top;
    "#;
    app.client
        .execute(script, vec![json!(id)])
        .await
        .ok()
        .and_then(|top| top.as_f64())
        .unwrap_or_else(|| panic!("message {id} is not shown"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_chat_opens_at_its_latest_page_and_pages_back_in_place_m10() {
    let backend = TestBackend::start().await;
    let conversation = backend.writable_conversations(AVA, Channel::Sms).await[0]
        .id
        .to_string();
    for n in 0..HISTORY {
        backend
            .inject_inbound(&conversation, &format!("History {n:03}"))
            .await;
    }
    let data = tempfile::tempdir().expect("a data folder");
    let app = AppUnderTest::launch(backend.url(), data.path()).await;
    app.sign_in(AVA).await;
    app.open_conversation(&conversation).await;
    app.wait_for_message("History 149", "the newest message", |_| true)
        .await;
    assert_eq!(
        bubbles(&app).await,
        80,
        "opening shows the latest page of 80, not the {HISTORY} messages and more"
    );
    assert!(
        app.message_with_text("History 069").await.is_none(),
        "a message of the older page is not read on opening"
    );

    // Scrolled to the top and measured in one script, before the scroll event is handled.
    let scrolled = app
        .client
        .execute(
            "const list = document.querySelector('[data-test=messages]'); \
             list.scrollTop = 0; \
             const first = list.querySelector('[data-test=message]'); \
             return [first.dataset.messageId, \
                     first.getBoundingClientRect().top - list.getBoundingClientRect().top];",
            vec![],
        )
        .await
        .expect("the list scrolls");
    let first = scrolled[0]
        .as_str()
        .map(str::to_owned)
        .expect("the chat shows a first message");
    let before = scrolled[1].as_f64().expect("its distance from the top");
    until(
        &app,
        "scrolling to the top reads the older page",
        "return [...document.querySelectorAll('[data-test=message-body]')]\
         .some(b => b.textContent.includes('History 000'))",
    )
    .await;
    until(
        &app,
        "the spinner goes once the page is in",
        "return !document.querySelector('[data-test=older-loading]')",
    )
    .await;
    let after = distance_from_top(&app, &first).await;
    assert!(
        (after - before).abs() <= 2.0,
        "the message the associate was looking at stays put: {before}px from the top before, {after}px after"
    );
    let paged = bubbles(&app).await;
    assert!(
        paged > 80 && paged <= 300,
        "the older page joined the latest, within the bound: {paged} bubbles"
    );

    backend
        .inject_inbound(&conversation, "Are you still there?")
        .await;
    let pill = app
        .wait_for_text(
            "[data-test=new-messages-pill]",
            "the new-message pill",
            |t| t.contains("1 new message"),
        )
        .await;
    assert_eq!(pill, "1 new message", "the pill counts the message");
    assert!(
        (distance_from_top(&app, &first).await - after).abs() <= 2.0,
        "a new message does not move the list while the associate reads older ones"
    );
    app.client
        .find(Locator::Css("[data-test=new-messages-pill]"))
        .await
        .expect("the pill is shown")
        .click()
        .await
        .expect("the pill is clickable");
    until(
        &app,
        "the pill jumps to the bottom, where the newest message shows",
        "const list = document.querySelector('[data-test=messages]'); \
         return !document.querySelector('[data-test=new-messages-pill]') \
         && list.scrollHeight - list.scrollTop - list.clientHeight <= 48 \
         && [...document.querySelectorAll('[data-test=message-body]')]\
            .some(b => b.textContent.includes('Are you still there?'))",
    )
    .await;
    until(
        &app,
        "back at the bottom the older pages are let go (100 bubbles stay)",
        "return document.querySelectorAll('[data-test=message]').length === 100",
    )
    .await;
    app.quit().await;
    backend.shutdown().await;
}
