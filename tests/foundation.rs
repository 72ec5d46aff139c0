//! End-to-end: one real conversation through the running desktop app (issue "Foundation"):
//! sign in, open a conversation, send and see it delivered (M10), receive a reply live
//! (B2) and see unread counts on the inbox (M11, M12).

use clienteling_domain::{Channel, ConsentState};
use clienteling_e2e::{AppUnderTest, AVA};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn associate_sends_a_message_sees_it_delivered_and_receives_replies_live_m10_m11_m12_b2() {
    let app = AppUnderTest::launch().await;
    app.sign_in(AVA).await;

    let (conversations, customers) = app.backend_view(AVA).await;
    let reachable = |customer_id: &str| {
        customers
            .iter()
            .find(|c| c.id.as_str() == customer_id)
            .and_then(|c| c.phone.as_deref())
            .is_some_and(|p| !p.ends_with("0000"))
    };
    let mut sms = conversations
        .iter()
        .filter(|c| c.channel == Channel::Sms && c.consent != ConsentState::OptedOut)
        .filter(|c| reachable(c.customer_id.as_str()))
        .collect::<Vec<_>>();
    sms.sort_by_key(|c| std::cmp::Reverse(c.last_activity_at));
    assert!(sms.len() >= 2, "demo data has at least two reachable SMS conversations in NYC");
    let (open, other) = (sms[0].id.to_string(), sms[1].id.to_string());

    // Open the conversation from the inbox.
    app.wait_for(&format!("[data-test=inbox-row][data-conversation-id=\"{open}\"]"))
        .await
        .click()
        .await
        .expect("the inbox row opens the chat");
    app.wait_for(&format!("[data-test=chat][data-conversation-id=\"{open}\"]")).await;

    // Send, and watch the status reach delivered (M10).
    let text = "Your alterations are ready for pick-up tomorrow after 11.";
    app.wait_for("[data-test=composer]")
        .await
        .send_keys(text)
        .await
        .expect("the composer takes typing");
    app.wait_for("[data-test=send]").await.click().await.expect("send is clickable");
    let sent = app
        .wait_for_message(text, "outbound and delivered", |m| m.status == "delivered")
        .await;
    assert_eq!(sent.direction, "outbound", "the associate's message is outbound");
    assert!(sent.label.contains("Delivered"), "the status label reads Delivered: {sent:?}");

    // A reply in the open conversation appears live (B2).
    app.inject_inbound(&open, "Perfect, see you at noon!").await;
    let reply = app.wait_for_message("see you at noon", "shown", |_| true).await;
    assert_eq!(reply.direction, "inbound", "the customer's reply is inbound");

    // A message in another conversation raises its unread count and the badge (M12).
    let badge_before = badge(&app).await;
    app.inject_inbound(&other, "Do you have the trench coat in a size 8?").await;
    let row_unread = format!("[data-test=inbox-row][data-conversation-id=\"{other}\"] [data-test=unread-count]");
    let unread = app.wait_for_text(&row_unread, "an unread count", |t| t.trim().parse::<u32>().is_ok_and(|n| n >= 1)).await;
    assert!(unread.trim().parse::<u32>().unwrap_or(0) >= 1, "the row counts the new message as unread");
    app.wait_for_text("[data-test=chat-badge]", "a higher badge", |t| {
        t.trim().parse::<u32>().unwrap_or(0) > badge_before
    })
    .await;

    let shot = std::env::var_os("CLIENTELING_SCREENSHOT").map(std::path::PathBuf::from);
    if let Some(path) = shot {
        app.screenshot(&path).await;
    }
    app.quit().await;
}

async fn badge(app: &AppUnderTest) -> u32 {
    match app.client.find(fantoccini::Locator::Css("[data-test=chat-badge]")).await {
        Ok(el) => el.text().await.unwrap_or_default().trim().parse().unwrap_or(0),
        Err(_) => 0,
    }
}
