//! Messaging against a real mock backend on loopback: delivery statuses (M10),
//! idempotent sends and retries (M10, B1), inbound messages and unread counts (M12),
//! consent keywords (M3, M4), the WhatsApp window (M5), the live stream (B2) and the
//! simulated customers.

mod support;

use std::time::Duration;

use clienteling_domain::api::{ChangeData, Message};
use clienteling_domain::time::HOUR_MS;
use clienteling_domain::{
    ApiError, Channel, ConsentState, Direction, ErrorCode, MessageId, MessageStatus,
};
use clienteling_mock_server::{ServerConfig, SimulationConfig};
use support::{eventually, next_change, Backend, AVA, DEADLINE, LIAM};

fn is_final(m: &Message) -> bool {
    matches!(
        m.status,
        MessageStatus::Delivered | MessageStatus::Read | MessageStatus::Failed
    )
}

fn never_moves_backwards(versions: &[Message]) -> bool {
    versions
        .windows(2)
        .all(|w| w[0].status.rank() <= w[1].status.rank())
}

#[tokio::test]
async fn sms_message_advances_from_queued_to_delivered_in_the_change_feed_m10() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await;
    let (_, cursor) = backend.changes(&ava.token, 0).await;

    let sent = backend
        .send_new(
            &ava.token,
            &conversation.id,
            "  Your alterations are ready for pick-up.  ",
        )
        .await;
    assert_eq!(
        sent.status,
        MessageStatus::Queued,
        "an accepted message starts queued"
    );
    assert_eq!(
        sent.body, "Your alterations are ready for pick-up.",
        "the body is trimmed"
    );
    assert_eq!(
        sent.direction,
        Direction::Outbound,
        "staff messages are outbound"
    );
    assert_eq!(
        sent.author_staff_id.as_ref(),
        Some(&ava.staff.id),
        "Ava is the author"
    );

    let versions = backend
        .watch_message(
            &ava.token,
            cursor,
            &sent.id,
            "the SMS to be delivered",
            is_final,
        )
        .await;
    let last = versions.last().expect("the feed showed the message");
    assert_eq!(
        last.status,
        MessageStatus::Delivered,
        "an SMS to a reachable number ends delivered"
    );
    assert!(
        never_moves_backwards(&versions),
        "statuses only move forward: {versions:?}"
    );

    let after = backend.conversation(&ava.token, &conversation.id).await;
    assert!(
        after.participant_ids.contains(&ava.staff.id),
        "the author becomes a participant"
    );
    assert_eq!(
        after.last_message_preview, sent.body,
        "the preview shows the latest message"
    );
    assert_eq!(
        after.last_message_direction,
        Direction::Outbound,
        "the latest message is outbound"
    );
    assert!(
        after.last_activity_at >= sent.created_at,
        "sending is activity"
    );
}

#[tokio::test]
async fn whatsapp_message_goes_on_to_read_m10() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Whatsapp, true)
        .await;
    backend
        .inject(&conversation.id, "Hi! Is the blue scarf still there?")
        .await;
    let (_, cursor) = backend.changes(&ava.token, 0).await;
    let sent = backend
        .send_new(&ava.token, &conversation.id, "Yes, I can hold it for you.")
        .await;
    let versions = backend
        .watch_message(
            &ava.token,
            cursor,
            &sent.id,
            "the WhatsApp message to be read",
            |m| m.status == MessageStatus::Read,
        )
        .await;
    assert!(
        never_moves_backwards(&versions),
        "statuses only move forward: {versions:?}"
    );
}

#[tokio::test]
async fn resending_the_same_id_answers_the_stored_message_without_sending_twice_m10_b1() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await;
    let id = MessageId(uuid::Uuid::new_v4().to_string());

    let first = backend
        .send(&ava.token, &conversation.id, &id, "See you at 3pm")
        .await;
    assert_eq!(first.status(), 201, "the first send is accepted");
    let second = backend
        .send(&ava.token, &conversation.id, &id, "See you at 3pm")
        .await;
    assert_eq!(
        second.status(),
        200,
        "the same id again is answered, not accepted anew"
    );
    let resent: Message = second.json().await.expect("the stored message");
    assert_eq!(resent.id, id, "the answer is the stored message");

    let messages = backend.messages(&ava.token, &conversation.id).await;
    assert_eq!(
        messages.iter().filter(|m| m.id == id).count(),
        1,
        "the message exists once"
    );

    let other_body = backend
        .send(&ava.token, &conversation.id, &id, "See you at 4pm")
        .await;
    assert_eq!(
        other_body.status(),
        409,
        "the same id with another body is a conflict"
    );
    let error: ApiError = other_body.json().await.expect("an ApiError body");
    assert_eq!(error.code, ErrorCode::Conflict, "the code says conflict");

    let elsewhere = backend
        .pick_conversation(&ava.token, Channel::Whatsapp, true)
        .await;
    let other_conversation = backend
        .send(&ava.token, &elsewhere.id, &id, "See you at 3pm")
        .await;
    assert_eq!(
        other_conversation.status(),
        409,
        "the same id in another conversation is a conflict"
    );

    let empty = backend
        .send(
            &ava.token,
            &conversation.id,
            &MessageId("blank".into()),
            "   ",
        )
        .await;
    assert_eq!(empty.status(), 400, "a blank message is invalid");
    let error: ApiError = empty.json().await.expect("an ApiError body");
    assert_eq!(
        error.code,
        ErrorCode::InvalidInput,
        "the code says invalid input"
    );
}

#[tokio::test]
async fn message_to_an_unreachable_number_fails_with_the_reason_and_a_retry_fails_again_m10() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, false)
        .await;
    let (_, cursor) = backend.changes(&ava.token, 0).await;
    let body = "Your order is ready for pick-up.";
    let sent = backend.send_new(&ava.token, &conversation.id, body).await;
    let versions = backend
        .watch_message(
            &ava.token,
            cursor,
            &sent.id,
            "the message to fail",
            is_final,
        )
        .await;
    let failed = versions.last().expect("the feed showed the message");
    assert_eq!(
        failed.status,
        MessageStatus::Failed,
        "the carrier rejects 0000 numbers"
    );
    assert_eq!(
        failed.failure_reason.as_deref(),
        Some("Unreachable number: the carrier rejected the message"),
        "the failure carries its reason"
    );

    let (_, cursor) = backend.changes(&ava.token, 0).await;
    let retry = backend
        .send(&ava.token, &conversation.id, &sent.id, body)
        .await;
    assert_eq!(retry.status(), 200, "resending a failed message retries it");
    let retried: Message = retry.json().await.expect("the retried message");
    assert_eq!(
        retried.status,
        MessageStatus::Queued,
        "a retry starts queued again"
    );
    assert_eq!(
        retried.failure_reason, None,
        "a retry clears the old reason"
    );
    let versions = backend
        .watch_message(
            &ava.token,
            cursor,
            &sent.id,
            "the retry to fail again",
            |m| m.status == MessageStatus::Failed,
        )
        .await;
    let failed_again = versions.last().expect("the feed showed the retry");
    assert!(
        failed_again.updated_at > failed.updated_at,
        "the retry went through the provider again: {versions:?}"
    );
    let messages = backend.messages(&ava.token, &conversation.id).await;
    assert_eq!(
        messages.iter().filter(|m| m.id == sent.id).count(),
        1,
        "a retry reuses the message, it does not add one"
    );
}

#[tokio::test]
async fn inbound_message_raises_every_staff_unread_and_a_read_marker_resets_only_the_readers_m12() {
    let backend = Backend::start().await;
    let (ava, liam) = (backend.sign_in(AVA).await, backend.sign_in(LIAM).await);
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await;
    let before = conversation.unread_count;
    let (_, cursor) = backend.changes(&ava.token, 0).await;

    let inbound = backend
        .inject(&conversation.id, "Do you have the trench coat in a size 8?")
        .await;
    assert_eq!(
        inbound.direction,
        Direction::Inbound,
        "the customer's message is inbound"
    );
    assert_eq!(
        inbound.status,
        MessageStatus::Received,
        "inbound messages are received"
    );

    let (changes, _) = backend.changes(&ava.token, cursor).await;
    assert!(
        changes
            .iter()
            .any(|c| matches!(&c.data, ChangeData::Message(m) if m.id == inbound.id)),
        "the inbound message is a change"
    );
    let updated = changes
        .iter()
        .find_map(|c| match &c.data {
            ChangeData::Conversation(x) if x.id == conversation.id => Some(x.clone()),
            _ => None,
        })
        .expect("the conversation changed");
    assert_eq!(
        updated.unread_count,
        before + 1,
        "Ava's unread count went up by one"
    );
    assert_eq!(
        updated.last_message_direction,
        Direction::Inbound,
        "the latest message is inbound"
    );

    let read = backend
        .http
        .post(backend.api(&format!("/conversations/{}/read", conversation.id)))
        .bearer_auth(&ava.token)
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(read.status(), 204, "marking read answers no content");
    assert_eq!(
        backend
            .conversation(&ava.token, &conversation.id)
            .await
            .unread_count,
        0,
        "Ava read it"
    );
    assert!(
        backend
            .conversation(&liam.token, &conversation.id)
            .await
            .unread_count
            >= 1,
        "Liam has not read it yet"
    );
}

fn automated(messages: &[Message]) -> Vec<&Message> {
    messages
        .iter()
        .filter(|m| m.direction == Direction::Automated)
        .collect()
}

#[tokio::test]
async fn stop_opts_out_with_one_confirmation_blocks_sending_and_start_opts_back_in_m3_m4() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await;
    let before = automated(&backend.messages(&ava.token, &conversation.id).await).len();

    backend.inject(&conversation.id, "Stop.").await;
    let opted_out = backend.conversation(&ava.token, &conversation.id).await;
    assert_eq!(
        opted_out.consent,
        ConsentState::OptedOut,
        "\"Stop.\" opts out"
    );
    let messages = backend.messages(&ava.token, &conversation.id).await;
    let replies = automated(&messages);
    assert_eq!(
        replies.len(),
        before + 1,
        "exactly one automated confirmation"
    );
    let confirmation = replies.last().expect("a confirmation");
    assert_eq!(
        confirmation.body,
        "You have been unsubscribed from Fifth Avenue messages. Reply START to resubscribe.",
        "the confirmation names the store and the way back"
    );
    assert_eq!(
        messages.last().map(|m| &m.id),
        Some(&confirmation.id),
        "the confirmation comes last"
    );

    let refused = backend
        .send(
            &ava.token,
            &conversation.id,
            &MessageId::from("after-stop"),
            "Are you sure?",
        )
        .await;
    assert_eq!(
        refused.status(),
        422,
        "sending to an opted-out customer is refused"
    );
    let error: ApiError = refused.json().await.expect("an ApiError body");
    assert_eq!(error.code, ErrorCode::OptedOut, "the code says opted out");
    assert!(
        error.message.ends_with(
            "opted out of messages from Fifth Avenue; they can text START to opt back in"
        ),
        "the message explains: {}",
        error.message
    );

    backend.inject(&conversation.id, "start").await;
    let back = backend.conversation(&ava.token, &conversation.id).await;
    assert_eq!(back.consent, ConsentState::OptedIn, "START opts back in");
    let replies = automated(&backend.messages(&ava.token, &conversation.id).await).len();
    assert_eq!(replies, before + 2, "START gets its own confirmation");
    let welcome = backend
        .send_new(&ava.token, &conversation.id, "Welcome back!")
        .await;
    assert_eq!(
        welcome.status,
        MessageStatus::Queued,
        "sending works again after START"
    );

    let sentence = backend
        .inject(&conversation.id, "please stop sending me the blue one")
        .await;
    assert_eq!(
        sentence.body, "please stop sending me the blue one",
        "a sentence is just a message"
    );
    assert_eq!(
        backend
            .conversation(&ava.token, &conversation.id)
            .await
            .consent,
        ConsentState::OptedIn,
        "a sentence containing stop is not a keyword"
    );
}

#[tokio::test]
async fn whatsapp_free_form_is_refused_after_24_hours_until_the_customer_writes_again_m5() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Whatsapp, true)
        .await;
    let inbound = backend
        .inject(&conversation.id, "Hi, quick question about my order")
        .await;
    let opened = backend.conversation(&ava.token, &conversation.id).await;
    assert_eq!(
        opened.window_opened_at,
        Some(inbound.created_at),
        "an inbound message opens the window"
    );
    backend
        .send_new(&ava.token, &conversation.id, "Of course, what is it?")
        .await;

    backend.advance_clock(24 * HOUR_MS).await;
    let refused = backend
        .send(
            &ava.token,
            &conversation.id,
            &MessageId::from("late"),
            "Still there?",
        )
        .await;
    assert_eq!(
        refused.status(),
        422,
        "free-form text after 24 hours is refused"
    );
    let error: ApiError = refused.json().await.expect("an ApiError body");
    assert_eq!(
        error.code,
        ErrorCode::WindowClosed,
        "the code says the window closed"
    );
    assert_eq!(
        error.message, "The WhatsApp service window is closed: send an approved template",
        "the message says what to do"
    );

    let template = backend
        .http
        .post(backend.api(&format!("/conversations/{}/messages", conversation.id)))
        .bearer_auth(&ava.token)
        .json(&serde_json::json!({ "id": "reconnect", "body": "", "kind": "template", "template_id": "tpl-nyc-wa-reconnect" }))
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(
        template.status(),
        201,
        "an approved template may still be sent"
    );

    backend.inject(&conversation.id, "Yes, tell me!").await;
    let reopened = backend
        .send_new(&ava.token, &conversation.id, "It's ready!")
        .await;
    assert_eq!(
        reopened.status,
        MessageStatus::Queued,
        "the customer's reply reopens the window"
    );
}

#[tokio::test]
async fn live_stream_sends_the_backlog_then_a_change_as_it_happens_b2() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await;
    let (_, cursor) = backend.changes(&ava.token, 0).await;
    let backlog = backend
        .inject(&conversation.id, "Written before you connected")
        .await;

    let response = backend
        .http
        .get(backend.api(&format!("/changes/stream?after={cursor}")))
        .bearer_auth(&ava.token)
        .send()
        .await
        .expect("the stream opens");
    assert_eq!(
        response.status(),
        200,
        "the stream accepts the token in the Authorization header"
    );
    assert!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream")),
        "the stream is server-sent events"
    );
    let mut events = response.bytes_stream();
    let mut buffer = String::new();
    let caught_up = tokio::time::timeout(DEADLINE, async {
        loop {
            let change = next_change(&mut events, &mut buffer)
                .await
                .expect("the stream stays open");
            if matches!(&change.data, ChangeData::Message(m) if m.id == backlog.id) {
                return change;
            }
        }
    })
    .await
    .expect("the backlog arrives");
    assert!(caught_up.seq > cursor, "catch-up starts after the cursor");

    let live = backend.inject(&conversation.id, "And this one live").await;
    let pushed = tokio::time::timeout(DEADLINE, async {
        loop {
            let change = next_change(&mut events, &mut buffer)
                .await
                .expect("the stream stays open");
            if matches!(&change.data, ChangeData::Message(m) if m.id == live.id) {
                return change;
            }
        }
    })
    .await
    .expect("a live change is pushed without polling");
    assert!(
        pushed.seq > caught_up.seq,
        "live changes continue the sequence"
    );

    let unauthorized = backend
        .http
        .get(backend.api("/changes/stream"))
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(unauthorized.status(), 401, "the stream needs a session");

    // Shutting down ends open streams instead of hanging.
    tokio::time::timeout(Duration::from_secs(5), backend.server.shutdown())
        .await
        .expect("shutdown completes with a stream open");
}

#[tokio::test]
async fn simulated_customers_answer_delivered_messages_p7() {
    let backend = Backend::start_with(ServerConfig {
        simulation: SimulationConfig {
            reply_probability: 1.0,
            ..SimulationConfig::instant()
        },
        ..ServerConfig::default()
    })
    .await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await;
    let sent = backend
        .send_new(
            &ava.token,
            &conversation.id,
            "The navy blazer is back in your size.",
        )
        .await;
    let reply = eventually("the customer's answer", || async {
        backend
            .messages(&ava.token, &conversation.id)
            .await
            .into_iter()
            .find(|m| m.direction == Direction::Inbound && m.created_at > sent.created_at)
    })
    .await;
    assert_eq!(
        reply.status,
        MessageStatus::Received,
        "the answer arrives as an inbound message"
    );
    assert!(!reply.body.is_empty(), "the customer says something");
}
