//! End-to-end: one real conversation through the running desktop app (issue "Foundation"):
//! sign in, open a conversation, send and see it delivered (M10), receive a reply live
//! (B2) and see unread counts on the inbox and the badge (M11, M12).

use clienteling_domain::Channel;
use clienteling_e2e::{AppUnderTest, TestBackend, AVA};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn associate_sends_a_message_sees_it_delivered_and_receives_replies_live_m10_m11_m12_b2() {
    let backend = TestBackend::start().await;
    let data = tempfile::tempdir().expect("a data folder");
    let app = AppUnderTest::launch(backend.url(), data.path()).await;
    app.sign_in(AVA).await;
    app.wait_for("[data-test=connection][data-state=online]")
        .await;

    let sms = backend.writable_conversations(AVA, Channel::Sms).await;
    assert!(
        sms.len() >= 2,
        "demo data has at least two writable SMS conversations in NYC"
    );
    let (open, other) = (sms[0].id.to_string(), sms[1].id.to_string());

    app.open_conversation(&open).await;
    let text = "Your alterations are ready for pick-up tomorrow after 11.";
    app.send_text(text).await;
    let sent = app
        .wait_for_message(text, "delivered", |m| m.status == "delivered")
        .await;
    assert_eq!(
        sent.direction, "outbound",
        "the associate's message is outbound"
    );
    assert!(
        sent.label.contains("Delivered"),
        "the status label reads Delivered: {sent:?}"
    );

    backend
        .inject_inbound(&open, "Perfect, see you at noon!")
        .await;
    let reply = app
        .wait_for_message("see you at noon", "shown", |_| true)
        .await;
    assert_eq!(
        reply.direction, "inbound",
        "the customer's reply appears live as inbound"
    );

    let badge_before = app.badge().await;
    backend
        .inject_inbound(&other, "Do you have the trench coat in a size 8?")
        .await;
    let row_unread =
        format!("[data-test=inbox-row][data-conversation-id=\"{other}\"] [data-test=unread-count]");
    let unread = app
        .wait_for_text(&row_unread, "an unread count", |t| {
            t.trim().parse::<u32>().is_ok_and(|n| n >= 1)
        })
        .await;
    assert!(
        unread.trim() != "0",
        "the other conversation's row counts the new message as unread"
    );
    app.wait_for_text("[data-test=chat-badge]", "a higher badge", |t| {
        t.trim().parse::<u32>().unwrap_or(0) > badge_before
    })
    .await;

    if let Some(path) = std::env::var_os("CLIENTELING_SCREENSHOT") {
        app.screenshot(std::path::Path::new(&path)).await;
    }
    app.quit().await;
    backend.shutdown().await;
}
