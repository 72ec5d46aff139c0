//! Templates, quick replies, opt-in requests and the consent audit against the live
//! backend (M2, M5, M6, B4), and working from the cached setup offline.

use std::sync::Arc;

use clienteling_core::ManualClock;
use clienteling_domain::api::Conversation;
use clienteling_domain::consent_audit::ConsentAction;
use clienteling_domain::view::AppEvent;
use clienteling_domain::window::WINDOW_MS;
use clienteling_domain::{ApiError, Channel, ConsentState, ErrorCode, MessageKind, MessageStatus};

use crate::harness::{
    eventually, open_core, signed_in, spawn_server, wait_for_event, Api, Snapshot, AVA, DEADLINE,
    PASSWORD,
};

fn reachable(phone: &str) -> bool {
    !phone.ends_with("0000")
}

/// A conversation on `channel` with a reachable customer whose consent is `consent`.
fn with_consent(snapshot: &Snapshot, channel: Channel, consent: ConsentState) -> Conversation {
    snapshot
        .conversations
        .values()
        .filter(|c| c.channel == channel && c.consent == consent)
        .find(|c| {
            snapshot
                .customers
                .get(&c.customer_id)
                .and_then(|cu| cu.phone.as_deref())
                .is_some_and(reachable)
        })
        .unwrap_or_else(|| panic!("the demo has a {channel} conversation with {consent:?}"))
        .clone()
}

fn code(error: clienteling_core::CoreError) -> ErrorCode {
    ApiError::from(error).code
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m5_m6_pickers_are_filled_for_the_customer_and_work_offline_from_the_cache() {
    let s = signed_in(AVA).await;
    let snapshot = s.api.snapshot().await;
    let conversation = snapshot.writable(Channel::Whatsapp, reachable);
    let first_name = snapshot.customers[&conversation.customer_id]
        .first_name
        .clone();

    let choices = s
        .core
        .list_templates(&conversation.id)
        .await
        .expect("templates from the cache");
    assert_eq!(choices.len(), 5, "only the store's WhatsApp templates");
    assert!(
        choices[..3].iter().all(|c| c
            .preview
            .as_deref()
            .is_some_and(|p| p.contains(&first_name))),
        "sendable templates come first, filled for {first_name}: {choices:?}"
    );
    assert!(
        choices[3..]
            .iter()
            .all(|c| c.preview.is_none() && c.problem.is_some()),
        "the unmapped and the rejected templates say why they cannot be sent"
    );
    let quick = s
        .core
        .list_quick_replies(&conversation.id)
        .await
        .expect("quick replies from the cache");
    let greeting = quick
        .iter()
        .find(|q| q.quick_reply.title == "Greeting")
        .expect("the greeting quick reply");
    assert_eq!(
        greeting.text,
        format!("Hi {first_name}, it's Ava from Fifth Avenue. How can I help today?"),
        "named variables are filled from the customer, the associate and the store (M6)"
    );

    let crate::harness::Signed { server, core, .. } = s;
    tokio::time::timeout(DEADLINE, server.shutdown())
        .await
        .expect("the backend stops");
    let offline = core
        .list_templates(&conversation.id)
        .await
        .expect("the cached templates are there offline");
    assert_eq!(offline.len(), 5, "the picker works offline");
    let reconnect = &offline[1].template.id;
    let queued = core
        .send_template(&conversation.id, reconnect)
        .await
        .expect("a template is queued offline like any message (B1)");
    assert_eq!(
        queued.status,
        MessageStatus::Queued,
        "queued until back online"
    );
    let error = core
        .list_consent_events(&conversation.id)
        .await
        .expect_err("the audit trail lives at the backend");
    assert_eq!(
        code(error),
        ErrorCode::Offline,
        "offline is reported as such (B4)"
    );
    core.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m5_a_template_goes_outside_the_window_and_the_customers_reply_reopens_it() {
    let mut s = signed_in(AVA).await;
    let now = s.core_now();
    let snapshot = s.api.snapshot().await;
    let conversation = snapshot
        .conversations
        .values()
        .filter(|c| c.channel == Channel::Whatsapp && c.consent.allows_sending())
        .find(|c| {
            c.window_opened_at
                .is_some_and(|t| t.plus_ms(WINDOW_MS) < now)
        })
        .expect("the demo has a WhatsApp conversation whose window closed")
        .clone();
    let error = s
        .core
        .send_message(&conversation.id, "Are you still there?")
        .await
        .expect_err("free text is refused outside the window");
    assert_eq!(
        code(error),
        ErrorCode::WindowClosed,
        "window_closed locally"
    );

    let choices = s
        .core
        .list_templates(&conversation.id)
        .await
        .expect("templates");
    let reconnect = choices
        .iter()
        .find(|c| c.template.name == "Reconnect")
        .expect("the reconnect template");
    let sent = s
        .core
        .send_template(&conversation.id, &reconnect.template.id)
        .await
        .expect("a template goes outside the window");
    assert_eq!(sent.kind, MessageKind::Template, "sent as a template");
    assert_eq!(
        Some(&sent.body),
        reconnect.preview.as_ref(),
        "the local body is the preview"
    );
    let at_backend = eventually("the backend accepts the template", || async {
        s.api
            .messages(&conversation.id)
            .await
            .into_iter()
            .find(|m| m.id == sent.id)
    })
    .await;
    assert_eq!(
        at_backend.body, sent.body,
        "the backend filled it the same way"
    );

    s.api
        .inject_inbound(&conversation.id, "Yes, tell me more")
        .await;
    let reopened = wait_for_event(&mut s.events, "the reply reopens the window", |e| {
        matches!(e, AppEvent::ConversationChanged { conversation: c }
            if c.id == conversation.id && c.window_opened_at > conversation.window_opened_at)
    })
    .await;
    let AppEvent::ConversationChanged {
        conversation: reopened,
    } = reopened
    else {
        unreachable!("matched a conversation change")
    };
    s.clock.set(reopened.window_opened_at.expect("opened"));
    s.core
        .send_message(&conversation.id, "Wonderful, here are the details")
        .await
        .expect("free text again once the customer replied");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m2_an_sms_opt_in_request_goes_out_and_start_opts_in_with_an_audit_trail_b4() {
    let mut s = signed_in(AVA).await;
    let snapshot = s.api.snapshot().await;
    let conversation = with_consent(&snapshot, Channel::Sms, ConsentState::Unknown);
    let error = s
        .core
        .request_opt_in(&conversation.id, Some("   "))
        .await
        .expect_err("an SMS request needs an intro");
    assert_eq!(
        code(error),
        ErrorCode::InvalidInput,
        "invalid_input for a blank intro"
    );

    let sent = s
        .core
        .request_opt_in(&conversation.id, Some("Hi, it's Ava from Fifth Avenue."))
        .await
        .expect("the request is queued");
    assert_eq!(
        sent.body,
        "Hi, it's Ava from Fifth Avenue. Reply START to get messages from Fifth Avenue, STOP to opt out.",
        "the intro is followed by the instructions"
    );
    eventually("the backend receives the request", || async {
        s.api
            .messages(&conversation.id)
            .await
            .into_iter()
            .find(|m| m.id == sent.id)
    })
    .await;

    s.api.inject_inbound(&conversation.id, "START").await;
    wait_for_event(&mut s.events, "START opts the customer in", |e| {
        matches!(e, AppEvent::ConversationChanged { conversation: c }
            if c.id == conversation.id && c.consent == ConsentState::OptedIn)
    })
    .await;
    let events = s
        .core
        .list_consent_events(&conversation.id)
        .await
        .expect("the audit trail");
    assert_eq!(events.len(), 2, "the request and the keyword: {events:?}");
    assert_eq!(events[0].action, ConsentAction::Keyword, "newest first");
    assert_eq!(
        events[0].keyword.as_deref(),
        Some("START"),
        "the keyword is kept"
    );
    assert_eq!(
        events[1].action,
        ConsentAction::OptInRequest,
        "then the request"
    );
    assert_eq!(
        events[1].message_id, sent.id,
        "the request message is the evidence"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m2_an_opted_out_customer_is_not_asked_to_opt_in() {
    let s = signed_in(AVA).await;
    let snapshot = s.api.snapshot().await;
    let conversation = snapshot
        .conversations
        .values()
        .find(|c| c.channel == Channel::Sms && c.consent == ConsentState::OptedOut)
        .expect("the demo has an opted-out SMS customer")
        .clone();
    let error = s
        .core
        .request_opt_in(&conversation.id, Some("Hi, it's Ava."))
        .await
        .expect_err("they must text START themselves");
    assert_eq!(code(error), ErrorCode::OptedOut, "opted_out locally (M3)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b1_a_template_and_an_opt_in_request_written_offline_reach_the_backend_after_a_restart_m2_m5(
) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let backend_db = dir.path().join("backend.db");
    let app_dir = dir.path().join("app");
    let clock = Arc::new(ManualClock::starting_now());
    let server = spawn_server(0, Some(backend_db.clone())).await;
    let first_url = server.url();
    let core = open_core(&app_dir, &first_url, &clock).await;
    core.sign_in(AVA, PASSWORD).await.expect("signs in");
    let snapshot = Api::sign_in(&first_url, AVA).await.snapshot().await;
    let whatsapp = snapshot.writable(Channel::Whatsapp, reachable);
    let sms = with_consent(&snapshot, Channel::Sms, ConsentState::Unknown);
    core.shutdown().await;
    tokio::time::timeout(DEADLINE, server.shutdown())
        .await
        .expect("the backend stops");

    let offline = open_core(&app_dir, &first_url, &clock).await;
    let template = offline
        .send_template(&whatsapp.id, "tpl-nyc-wa-product-share")
        .await
        .expect("a template is queued offline from the cached setup");
    let request = offline
        .request_opt_in(&sms.id, Some("Hi, it's Ava from Fifth Avenue."))
        .await
        .expect("an opt-in request is queued offline");
    offline.shutdown().await;

    let server = spawn_server(0, Some(backend_db)).await;
    let core = open_core(&app_dir, &server.url(), &clock).await;
    let api = Api::sign_in(&server.url(), AVA).await;
    for (conversation, sent, what) in [
        (&whatsapp, &template, "the template"),
        (&sms, &request, "the opt-in request"),
    ] {
        let remote = eventually(&format!("the backend receives {what} (B1)"), || async {
            api.messages(&conversation.id)
                .await
                .into_iter()
                .find(|m| m.id == sent.id)
        })
        .await;
        assert_eq!(
            remote.body, sent.body,
            "{what} arrives as previewed offline"
        );
        assert_eq!(remote.kind, sent.kind, "{what} keeps its kind");
    }
    let events: Vec<clienteling_domain::consent_audit::ConsentEvent> = api
        .get_json(&format!("/conversations/{}/consent-events", sms.id))
        .await;
    assert!(
        events
            .iter()
            .any(|e| e.action == ConsentAction::OptInRequest && e.message_id == request.id),
        "the request written offline is audited (B4): {events:?}"
    );
    core.shutdown().await;
    server.shutdown().await;
}
