//! Messaging against a real mock backend on loopback: delivery statuses and the
//! provider's reports (M10), idempotent sends, resends and retries (M10, B1), client input
//! (UUID ids, server time, per-channel body limits), inbound messages and unread counts
//! (M12), consent keywords and their no-ops (M3, M4, B4), the WhatsApp window and the
//! simulator clock (M5), the live stream (B2) and the simulated customers.

mod support;

use std::time::Duration;

use clienteling_domain::api::{ChangeData, Message};
use clienteling_domain::consent_audit::{ConsentAction, ConsentEvent};
use clienteling_domain::time::{DAY_MS, HOUR_MS};
use clienteling_domain::{
    ApiError, Channel, ConsentState, ConversationId, Direction, ErrorCode, MessageId, MessageStatus,
};
use clienteling_mock_server::{messaging, ServerConfig, SimulationConfig};
use support::{eventually, next_change, Backend, AVA, DEADLINE, LIAM, NOAH};

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
        .send(&ava.token, &conversation.id, &new_id(), "   ")
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
        .send(&ava.token, &conversation.id, &new_id(), "Are you sure?")
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
        .send(&ava.token, &conversation.id, &new_id(), "Still there?")
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
        .json(&serde_json::json!({ "id": new_id(), "body": "", "kind": "template", "template_id": "tpl-nyc-wa-reconnect" }))
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

// Issue 7, "nothing lost, nothing flooded": resends, keyword no-ops, client input, the
// simulator clock and provider status reports.

fn new_id() -> MessageId {
    MessageId(uuid::Uuid::new_v4().to_string())
}

/// Posts a raw send body to a conversation.
async fn post_message(
    backend: &Backend,
    token: &str,
    conversation: &ConversationId,
    body: serde_json::Value,
) -> reqwest::Response {
    backend
        .http
        .post(backend.api(&format!("/conversations/{conversation}/messages")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("the backend answers")
}

/// Asks the customer to opt in under `id`.
async fn request_opt_in(
    backend: &Backend,
    token: &str,
    conversation: &ConversationId,
    id: &str,
    intro: Option<&str>,
) -> reqwest::Response {
    backend
        .http
        .post(backend.api(&format!("/conversations/{conversation}/opt-in-request")))
        .bearer_auth(token)
        .json(&serde_json::json!({ "id": id, "intro": intro }))
        .send()
        .await
        .expect("the backend answers")
}

async fn consent_events(
    backend: &Backend,
    token: &str,
    conversation: &ConversationId,
) -> Vec<ConsentEvent> {
    backend
        .get(
            token,
            &format!("/conversations/{conversation}/consent-events"),
        )
        .await
}

async fn api_error(response: reqwest::Response, status: u16, what: &str) -> ApiError {
    assert_eq!(response.status(), status, "{what}");
    response.json().await.expect("an ApiError body")
}

/// A backend whose provider holds every message for a day, so statuses move only when a
/// test reports them itself.
async fn backend_with_a_silent_provider() -> Backend {
    Backend::start_with(ServerConfig {
        simulation: SimulationConfig {
            sent_after_ms: DAY_MS as u64,
            delivered_after_ms: DAY_MS as u64,
            read_after_ms: DAY_MS as u64,
            ..SimulationConfig::instant()
        },
        ..ServerConfig::default()
    })
    .await
}

#[tokio::test]
async fn a_template_resent_after_its_template_changed_or_went_away_answers_the_stored_message_m5_b1(
) {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Whatsapp, true)
        .await;
    let id = new_id();
    let template = serde_json::json!({
        "id": id, "body": "", "kind": "template", "template_id": "tpl-nyc-wa-reconnect"
    });
    let first = post_message(&backend, &ava.token, &conversation.id, template.clone()).await;
    assert_eq!(first.status(), 201, "the template is accepted");
    let first: Message = first.json().await.expect("the accepted message");

    let pool = backend.server.state().pool();
    sqlx::query(
        "UPDATE templates SET template = json_set(template, '$.body', 'New words for {{1}}') WHERE id = 'tpl-nyc-wa-reconnect'",
    )
    .execute(pool)
    .await
    .expect("the template changes");
    let after_change = post_message(&backend, &ava.token, &conversation.id, template.clone()).await;
    assert_eq!(
        after_change.status(),
        200,
        "a resend after the template changed is answered with the stored message"
    );
    let stored: Message = after_change.json().await.expect("the stored message");
    assert_eq!(
        stored.body, first.body,
        "the stored message keeps the words it was sent with"
    );

    sqlx::query("DELETE FROM templates WHERE id = 'tpl-nyc-wa-reconnect'")
        .execute(pool)
        .await
        .expect("the template goes away");
    let after_removal = post_message(&backend, &ava.token, &conversation.id, template).await;
    assert_eq!(
        after_removal.status(),
        200,
        "a resend after the template was removed is answered with the stored message"
    );
    let stored: Message = after_removal.json().await.expect("the stored message");
    assert_eq!(
        stored.id, id,
        "the answer is the message sent under that id"
    );
    let messages = backend.messages(&ava.token, &conversation.id).await;
    assert_eq!(
        messages.iter().filter(|m| m.id == id).count(),
        1,
        "the template was sent once"
    );
}

#[tokio::test]
async fn a_text_resent_after_the_whatsapp_window_closed_answers_the_stored_message_m5_b1() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Whatsapp, true)
        .await;
    backend.inject(&conversation.id, "Is my order ready?").await;
    let id = new_id();
    let sent = backend
        .send(&ava.token, &conversation.id, &id, "Yes, come by any time.")
        .await;
    assert_eq!(
        sent.status(),
        201,
        "free text inside the window is accepted"
    );

    backend.advance_clock(25 * HOUR_MS).await;
    let resent = backend
        .send(&ava.token, &conversation.id, &id, "Yes, come by any time.")
        .await;
    assert_eq!(
        resent.status(),
        200,
        "a resend after the window closed is answered with the stored message, not window_closed"
    );
    let stored: Message = resent.json().await.expect("the stored message");
    assert_eq!(
        stored.id, id,
        "the answer is the message sent under that id"
    );
}

#[tokio::test]
async fn a_message_id_resent_by_another_staff_member_is_a_conflict_b1() {
    let backend = Backend::start().await;
    let (ava, liam) = (backend.sign_in(AVA).await, backend.sign_in(LIAM).await);
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await;
    let id = new_id();
    let first = backend
        .send(&ava.token, &conversation.id, &id, "See you at 3pm")
        .await;
    assert_eq!(first.status(), 201, "Ava's message is accepted");
    let other_author = backend
        .send(&liam.token, &conversation.id, &id, "See you at 3pm")
        .await;
    let error = api_error(
        other_author,
        409,
        "the same id from another author is a different message",
    )
    .await;
    assert_eq!(error.code, ErrorCode::Conflict, "the code says conflict");
}

#[tokio::test]
async fn a_failed_opt_in_request_resent_is_retried_and_one_with_another_intro_is_a_conflict_m2_b1()
{
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, false)
        .await;
    let id = new_id();
    let intro = "Hi, it's Ava from Fifth Avenue.";
    let (_, cursor) = backend.changes(&ava.token, 0).await;
    let sent = request_opt_in(
        &backend,
        &ava.token,
        &conversation.id,
        id.as_str(),
        Some(intro),
    )
    .await;
    assert_eq!(sent.status(), 201, "the opt-in request is accepted");
    backend
        .watch_message(&ava.token, cursor, &id, "the opt-in request to fail", |m| {
            m.status == MessageStatus::Failed
        })
        .await;

    let other = request_opt_in(
        &backend,
        &ava.token,
        &conversation.id,
        id.as_str(),
        Some("Hello, Ava here."),
    )
    .await;
    let error = api_error(other, 409, "the same id with another intro is a conflict").await;
    assert_eq!(error.code, ErrorCode::Conflict, "the code says conflict");

    let (_, cursor) = backend.changes(&ava.token, 0).await;
    let retry = request_opt_in(
        &backend,
        &ava.token,
        &conversation.id,
        id.as_str(),
        Some(intro),
    )
    .await;
    assert_eq!(
        retry.status(),
        200,
        "resending a failed opt-in request retries it"
    );
    let retried: Message = retry.json().await.expect("the retried message");
    assert_eq!(
        retried.status,
        MessageStatus::Queued,
        "the retry starts queued again"
    );
    assert_eq!(
        retried.failure_reason, None,
        "the retry clears the old reason"
    );
    backend
        .watch_message(&ava.token, cursor, &id, "the retry to fail again", |m| {
            m.status == MessageStatus::Failed
        })
        .await;
    let audited = consent_events(&backend, &ava.token, &conversation.id)
        .await
        .into_iter()
        .filter(|e| e.message_id == id && e.action == ConsentAction::OptInRequest)
        .count();
    assert_eq!(audited, 1, "a retry is the same request: audited once");
}

#[tokio::test]
async fn stop_from_an_opted_out_customer_sends_no_second_confirmation_and_writes_no_second_audit_row_m3_b4(
) {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await;
    backend.inject(&conversation.id, "STOP").await;
    let replies = automated(&backend.messages(&ava.token, &conversation.id).await).len();
    let events = consent_events(&backend, &ava.token, &conversation.id)
        .await
        .len();

    backend.inject(&conversation.id, "stop").await;
    assert_eq!(
        backend
            .conversation(&ava.token, &conversation.id)
            .await
            .consent,
        ConsentState::OptedOut,
        "the customer stays opted out"
    );
    assert_eq!(
        automated(&backend.messages(&ava.token, &conversation.id).await).len(),
        replies,
        "no second unsubscribe confirmation"
    );
    assert_eq!(
        consent_events(&backend, &ava.token, &conversation.id)
            .await
            .len(),
        events,
        "no second audit row for a change that did not happen"
    );
}

#[tokio::test]
async fn start_from_an_opted_in_customer_changes_nothing_and_help_always_answers_m4_b4() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await;
    backend.inject(&conversation.id, "START").await;
    let replies = automated(&backend.messages(&ava.token, &conversation.id).await).len();
    let events = consent_events(&backend, &ava.token, &conversation.id)
        .await
        .len();

    backend.inject(&conversation.id, "Start!").await;
    assert_eq!(
        automated(&backend.messages(&ava.token, &conversation.id).await).len(),
        replies,
        "no second resubscribe confirmation"
    );
    assert_eq!(
        consent_events(&backend, &ava.token, &conversation.id)
            .await
            .len(),
        events,
        "no second audit row"
    );

    backend.inject(&conversation.id, "HELP").await;
    backend.inject(&conversation.id, "help").await;
    assert_eq!(
        automated(&backend.messages(&ava.token, &conversation.id).await).len(),
        replies + 2,
        "every HELP gets the help reply"
    );
    assert_eq!(
        consent_events(&backend, &ava.token, &conversation.id)
            .await
            .len(),
        events,
        "HELP does not touch consent"
    );
}

#[tokio::test]
async fn message_ids_that_are_not_uuids_are_refused_with_a_clear_message_b1() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await;
    let oversized = "7".repeat(10_000);
    for bad in [
        "",
        oversized.as_str(),
        "after-stop",
        "0f8fad5b-d9cb-469f-a165-70867728950",
        "0f8fad5bXd9cb-469f-a165-70867728950e",
        "0f8fad5b-d9cb-469f-a165-70867728950g",
    ] {
        let send = post_message(
            &backend,
            &ava.token,
            &conversation.id,
            serde_json::json!({ "id": bad, "body": "Hello" }),
        )
        .await;
        let error = api_error(send, 400, "a send needs a UUID id").await;
        assert_eq!(
            error.code,
            ErrorCode::InvalidInput,
            "invalid_input for {bad:.40}"
        );
        assert!(
            error.message.contains("UUID"),
            "the message says a UUID is expected: {}",
            error.message
        );
        let opt_in = request_opt_in(&backend, &ava.token, &conversation.id, bad, Some("Hi")).await;
        let error = api_error(opt_in, 400, "an opt-in request needs a UUID id").await;
        assert_eq!(
            error.code,
            ErrorCode::InvalidInput,
            "invalid_input for {bad:.40}"
        );
    }
    let upper = MessageId(uuid::Uuid::new_v4().to_string().to_uppercase());
    let accepted = backend
        .send(&ava.token, &conversation.id, &upper, "Hello")
        .await;
    assert_eq!(accepted.status(), 201, "an upper-case UUID is a UUID too");
}

#[tokio::test]
async fn the_server_stamps_messages_with_its_own_clock_whatever_created_at_the_client_sends_m10() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await;
    for claimed in [0, i64::MAX] {
        let before = backend.server.state().now();
        let response = post_message(
            &backend,
            &ava.token,
            &conversation.id,
            serde_json::json!({ "id": new_id(), "body": "Hello", "created_at": claimed }),
        )
        .await;
        assert_eq!(response.status(), 201, "created_at is still accepted");
        let message: Message = response.json().await.expect("the accepted message");
        let after = backend.server.state().now();
        assert!(
            before <= message.created_at && message.created_at <= after,
            "the message is stamped with the server's time, not {claimed}: {}",
            message.created_at
        );
    }
}

#[tokio::test]
async fn free_text_limits_follow_the_channel_m1_m10() {
    let backend = Backend::start().await;
    // Email conversations live in London, where Noah works.
    let (ava, noah) = (backend.sign_in(AVA).await, backend.sign_in(NOAH).await);
    let limits = [
        (Channel::Sms, 1_600, &ava),
        (Channel::Whatsapp, 4_096, &ava),
        (Channel::Email, 20_000, &noah),
    ];
    for (channel, limit, staff) in limits {
        let conversation = backend.pick_conversation(&staff.token, channel, true).await;
        if channel == Channel::Whatsapp {
            backend.inject(&conversation.id, "Hello?").await;
        }
        let longest = backend
            .send(
                &staff.token,
                &conversation.id,
                &new_id(),
                &"x".repeat(limit),
            )
            .await;
        assert_eq!(longest.status(), 201, "{channel} takes {limit} characters");
        let over = backend
            .send(
                &staff.token,
                &conversation.id,
                &new_id(),
                &"x".repeat(limit + 1),
            )
            .await;
        let error = api_error(over, 400, "one character more is refused").await;
        assert_eq!(
            error.code,
            ErrorCode::InvalidInput,
            "invalid_input on {channel}"
        );
        assert!(
            error.message.contains(&limit.to_string()),
            "the message names the {channel} limit: {}",
            error.message
        );
    }
}

#[tokio::test]
async fn the_simulator_clock_refuses_an_advance_that_would_overflow_m5() {
    let backend = Backend::start().await;
    let before = backend.server.state().now();
    let response = backend
        .http
        .post(backend.api("/simulator/clock"))
        .json(&serde_json::json!({ "advance_ms": i64::MAX }))
        .send()
        .await
        .expect("the backend answers");
    let error = api_error(response, 400, "an advance past the end of time is refused").await;
    assert_eq!(error.code, ErrorCode::InvalidInput, "invalid_input");
    assert!(
        error.message.contains("overflow"),
        "the message says why: {}",
        error.message
    );
    assert_eq!(
        saved_offset(&backend).await,
        0,
        "a refused advance does not move the clock"
    );
    backend.advance_clock(HOUR_MS).await;
    assert_eq!(
        saved_offset(&backend).await,
        HOUR_MS,
        "the clock still moves by sensible amounts"
    );
    assert!(
        backend.server.state().now().since(before) >= HOUR_MS,
        "and now is an hour ahead"
    );
}

/// How far the simulator moved the server clock, as the database keeps it.
async fn saved_offset(backend: &Backend) -> i64 {
    sqlx::query_scalar("SELECT offset_ms FROM server_clock")
        .fetch_one(backend.server.state().pool())
        .await
        .expect("the clock's offset is saved")
}

#[tokio::test]
async fn the_clock_offset_survives_a_restart_on_the_same_database_file_m5() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let config = ServerConfig {
        db_path: Some(dir.path().join("backend.db")),
        simulation: SimulationConfig::instant(),
        ..ServerConfig::default()
    };
    let first = Backend::start_with(config.clone()).await;
    let before = first.server.state().now();
    first.advance_clock(10 * DAY_MS).await;
    first.server.shutdown().await;

    let second = Backend::start_with(config).await;
    assert_eq!(
        saved_offset(&second).await,
        10 * DAY_MS,
        "the offset is read back from the file"
    );
    assert!(
        second.server.state().now().since(before) >= 10 * DAY_MS,
        "after a restart the server's time is still ten days ahead"
    );
}

#[tokio::test]
async fn a_sent_report_arriving_after_delivered_leaves_the_message_delivered_m10() {
    let backend = backend_with_a_silent_provider().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await;
    let sent = backend
        .send_new(&ava.token, &conversation.id, "Your order shipped.")
        .await;
    let state = backend.server.state();
    let delivered = messaging::report_status(state, &sent.id, 1, MessageStatus::Delivered, None)
        .await
        .expect("the report is processed");
    assert!(delivered, "delivered applies to a queued message");
    let late_sent = messaging::report_status(state, &sent.id, 1, MessageStatus::Sent, None)
        .await
        .expect("the report is processed");
    assert!(!late_sent, "a late sent changes nothing");
    let stored = backend
        .messages(&ava.token, &conversation.id)
        .await
        .into_iter()
        .find(|m| m.id == sent.id)
        .expect("the message is stored");
    assert_eq!(
        stored.status,
        MessageStatus::Delivered,
        "the message stays delivered"
    );
}

#[tokio::test]
async fn a_read_report_on_sms_is_ignored_because_only_whatsapp_has_read_receipts_m10() {
    let backend = backend_with_a_silent_provider().await;
    let ava = backend.sign_in(AVA).await;
    let state = backend.server.state();
    for (channel, expected) in [
        (Channel::Sms, MessageStatus::Delivered),
        (Channel::Whatsapp, MessageStatus::Read),
    ] {
        let conversation = backend.pick_conversation(&ava.token, channel, true).await;
        backend.inject(&conversation.id, "Hello?").await;
        let sent = backend
            .send_new(&ava.token, &conversation.id, "Your order shipped.")
            .await;
        messaging::report_status(state, &sent.id, 1, MessageStatus::Delivered, None)
            .await
            .expect("the report is processed");
        let read = messaging::report_status(state, &sent.id, 1, MessageStatus::Read, None)
            .await
            .expect("the report is processed");
        assert_eq!(
            read,
            expected == MessageStatus::Read,
            "a read report applies on {channel} only where read receipts exist"
        );
        let stored = backend
            .messages(&ava.token, &conversation.id)
            .await
            .into_iter()
            .find(|m| m.id == sent.id)
            .expect("the message is stored");
        assert_eq!(
            stored.status, expected,
            "the {channel} message ends {expected:?}"
        );
    }
}
