//! End-to-end: messaging rules through the running desktop app (issue "Messaging"):
//! opt-out and opt back in (M3, M4), the WhatsApp window and templates (M5), notifications
//! that open their conversation and a calm catch-up after a restart (M12, B2), and the
//! offline outbox across a restart (B1).

use clienteling_domain::{Channel, Direction};
use clienteling_e2e::notification_server::NotificationServer;
use clienteling_e2e::{AppUnderTest, TestBackend, AVA};
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_blocks_the_composer_and_start_unblocks_it_m3_m4() {
    let backend = TestBackend::start().await;
    let data = tempfile::tempdir().expect("a data folder");
    let app = AppUnderTest::launch(backend.url(), data.path()).await;
    let conversation = app.open_sms_chat(&backend, AVA).await;

    backend.inject_inbound(&conversation, "Stop.").await;
    let blocked = app
        .wait_for_text("[data-test=composer-blocked]", "the opt-out reason", |t| {
            t.contains("opted out")
        })
        .await;
    assert!(
        blocked.contains("START"),
        "the reason tells how the customer can opt back in: {blocked}"
    );
    assert!(
        app.client
            .find(Locator::Css("[data-test=composer]"))
            .await
            .is_err(),
        "no composer while the customer is opted out"
    );
    app.wait_for_message("unsubscribed", "the automated confirmation", |m| {
        m.direction == "automated"
    })
    .await;

    backend.inject_inbound(&conversation, "start").await;
    app.wait_for("[data-test=composer]").await;
    app.wait_for_message("resubscribed", "the opt-in confirmation", |m| {
        m.direction == "automated"
    })
    .await;
    app.quit().await;
    backend.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_window_offers_only_templates_and_a_reply_reopens_it_m5() {
    let backend = TestBackend::start().await;
    let data = tempfile::tempdir().expect("a data folder");
    let app = AppUnderTest::launch(backend.url(), data.path()).await;
    app.sign_in(AVA).await;
    let now = clienteling_domain::Timestamp(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or_default(),
    );
    let closed = backend
        .writable_conversations(AVA, Channel::Whatsapp)
        .await
        .into_iter()
        .find(|c| {
            !clienteling_domain::ServiceWindow {
                opened_at: c.window_opened_at,
            }
            .is_open(now)
        })
        .expect("demo data has a WhatsApp conversation whose window is closed");
    let id = closed.id.to_string();
    app.open_conversation(&id).await;

    assert!(
        app.client
            .find(Locator::Css("[data-test=composer]"))
            .await
            .is_err(),
        "no free-form composer outside the window"
    );
    app.wait_for("[data-test=template-picker]").await;
    app.wait_for("[data-test=template-option][data-purpose=reconnect]")
        .await
        .click()
        .await
        .expect("the reconnect template can be picked");
    let preview = app
        .wait_for_text("[data-test=template-preview]", "a filled preview", |t| {
            !t.contains("{{")
        })
        .await;
    app.wait_for("[data-test=send-template]")
        .await
        .click()
        .await
        .expect("send template");
    let sent_start: String = preview.chars().take(20).collect();
    app.wait_for_message(&sent_start, "sent", |m| {
        m.direction == "outbound" && m.status != "failed"
    })
    .await;

    backend
        .inject_inbound(&id, "Hi! Yes, still interested")
        .await;
    app.wait_for_text("[data-test=window-countdown]", "an open window", |t| {
        t.contains("23h")
    })
    .await;
    app.wait_for("[data-test=composer]").await;
    app.quit().await;
    backend.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activating_a_notification_opens_its_conversation_ready_to_reply_m12() {
    let notifications = NotificationServer::start()
        .await
        .expect("a session bus (dbus-run-session)");
    let backend = TestBackend::start().await;
    let data = tempfile::tempdir().expect("a data folder");
    let app = AppUnderTest::launch(backend.url(), data.path()).await;
    app.sign_in(AVA).await;
    let sms = backend.writable_conversations(AVA, Channel::Sms).await;
    let (open, other) = (sms[0].id.to_string(), sms[1].id.to_string());
    app.open_conversation(&open).await;

    backend
        .inject_inbound(&open, "Thanks for the photos!")
        .await;
    app.wait_for_message("Thanks for the photos", "shown", |m| {
        m.direction == "inbound"
    })
    .await;
    backend
        .inject_inbound(&other, "Is the cashmere scarf back in stock?")
        .await;

    let deadline = tokio::time::Instant::now() + clienteling_e2e::UI_DEADLINE;
    let shown = loop {
        if let Some(n) = notifications
            .shown()
            .into_iter()
            .find(|n| n.body.contains("cashmere scarf"))
        {
            break n;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "a notification for the other conversation"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(
        !notifications
            .shown()
            .iter()
            .any(|n| n.body.contains("Thanks for the photos")),
        "no notification for the conversation that is open"
    );
    notifications
        .activate(shown.id)
        .await
        .expect("the click is delivered");
    app.wait_for(&format!(
        "[data-test=chat][data-conversation-id=\"{other}\"]"
    ))
    .await;
    let focused = app
        .client
        .execute("return document.activeElement?.dataset?.test ?? ''", vec![])
        .await
        .expect("the page answers");
    assert_eq!(
        focused, "composer",
        "the composer is focused, ready to reply"
    );
    app.quit().await;
    backend.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_that_arrived_while_the_app_was_closed_are_summarised_per_conversation_m12_b2() {
    let notifications = NotificationServer::start()
        .await
        .expect("a session bus (dbus-run-session)");
    let backend = TestBackend::start().await;
    let data = tempfile::tempdir().expect("a data folder");
    let app = AppUnderTest::launch(backend.url(), data.path()).await;
    app.sign_in(AVA).await;
    let sms = backend.writable_conversations(AVA, Channel::Sms).await;
    let (ana, ben) = (sms[0].id.to_string(), sms[1].id.to_string());
    app.quit().await;

    backend.inject_inbound(&ana, "Are you open today?").await;
    backend.inject_inbound(&ben, "Is the scarf in blue?").await;
    backend.inject_inbound(&ana, "Call me back please").await;

    let app = AppUnderTest::launch(backend.url(), data.path()).await;
    let deadline = tokio::time::Instant::now() + clienteling_e2e::UI_DEADLINE;
    let shown = loop {
        let shown = notifications.shown();
        let summary = shown
            .iter()
            .any(|n| n.body == "2 new messages — latest: Call me back please");
        let single = shown.iter().any(|n| n.body == "Is the scarf in blue?");
        if summary && single {
            break shown;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "a summary for the conversation with two messages and one for the other: {shown:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(
        !shown
            .iter()
            .any(|n| n.body == "Are you open today?" || n.body == "Call me back please"),
        "no notification per message of the summarised conversation: {shown:?}"
    );
    app.quit().await;
    backend.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_written_offline_survive_a_restart_and_go_out_once_in_order_b1() {
    let folder = tempfile::tempdir().expect("a folder for the backend and the app");
    let mut backend = TestBackend::start_persistent(folder.path()).await;
    let data = folder.path().join("app");
    let app = AppUnderTest::launch(backend.url(), &data).await;
    let conversation = app.open_sms_chat(&backend, AVA).await;

    backend.stop().await;
    app.wait_for("[data-test=connection][data-state=offline]")
        .await;
    let texts = ["Offline one", "Offline two", "Offline three"];
    for text in texts {
        app.send_text(text).await;
        app.wait_for_message(text, "queued", |m| m.status == "queued")
            .await;
    }
    app.quit().await;

    let app = AppUnderTest::launch(backend.url(), &data).await;
    app.open_conversation(&conversation).await;
    for text in texts {
        app.wait_for_message(text, "still queued after the restart", |m| {
            m.status == "queued"
        })
        .await;
    }
    backend.restart().await;
    for text in texts {
        app.wait_for_message(text, "delivered", |m| m.status == "delivered")
            .await;
    }
    app.quit().await;

    let delivered: Vec<String> = backend
        .messages(AVA, &conversation)
        .await
        .into_iter()
        .filter(|m| m.direction == Direction::Outbound && m.body.starts_with("Offline"))
        .map(|m| m.body)
        .collect();
    assert_eq!(
        delivered, texts,
        "exactly the three messages reached the backend, once each, in order"
    );
    backend.shutdown().await;
}
