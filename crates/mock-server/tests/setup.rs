//! A store's messaging setup against a real mock backend on loopback: templates and quick
//! replies (M5, M6), sending templates outside the WhatsApp window (M5), opt-in requests
//! (M2), keyword settings (M3, M4) and the consent audit trail (B4).

mod support;

use clienteling_domain::api::{Conversation, Message, SendMessageRequest};
use clienteling_domain::consent_audit::{ConsentAction, ConsentEvent};
use clienteling_domain::keywords::KeywordSettings;
use clienteling_domain::template::{QuickReply, Template, TemplateStatus};
use clienteling_domain::time::HOUR_MS;
use clienteling_domain::{
    ApiError, Channel, ConsentState, ConversationId, Direction, ErrorCode, MessageId, MessageKind,
};
use serde_json::json;
use support::{Backend, AVA, MIA};

fn new_id() -> MessageId {
    MessageId(uuid::Uuid::new_v4().to_string())
}

/// A conversation of `token` on `channel` whose customer's consent is `consent`.
async fn conversation_with(
    backend: &Backend,
    token: &str,
    channel: Channel,
    consent: ConsentState,
) -> Conversation {
    let (conversations, _) = backend.view(token).await;
    conversations
        .into_iter()
        .find(|c| c.channel == channel && c.consent == consent)
        .unwrap_or_else(|| panic!("the demo has a {channel} conversation with consent {consent:?}"))
}

async fn send_template(
    backend: &Backend,
    token: &str,
    conversation: &ConversationId,
    id: &MessageId,
    template_id: &str,
) -> reqwest::Response {
    backend
        .http
        .post(backend.api(&format!("/conversations/{conversation}/messages")))
        .bearer_auth(token)
        .json(&SendMessageRequest {
            id: id.clone(),
            body: String::new(),
            kind: MessageKind::Template,
            created_at: None,
            template_id: Some(template_id.into()),
        })
        .send()
        .await
        .expect("the backend answers")
}

async fn request_opt_in(
    backend: &Backend,
    token: &str,
    conversation: &ConversationId,
    id: &MessageId,
    intro: Option<&str>,
) -> reqwest::Response {
    backend
        .http
        .post(backend.api(&format!("/conversations/{conversation}/opt-in-request")))
        .bearer_auth(token)
        .json(&json!({ "id": id, "intro": intro }))
        .send()
        .await
        .expect("the backend answers")
}

async fn refusal(response: reqwest::Response, status: u16, what: &str) -> ApiError {
    assert_eq!(response.status(), status, "{what}");
    response.json().await.expect("an ApiError body")
}

#[tokio::test]
async fn m5_m6_templates_and_quick_replies_are_served_to_the_stores_staff_only() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let templates: Vec<Template> = backend.get(&ava.token, "/stores/store-nyc/templates").await;
    let whatsapp: Vec<&Template> = templates
        .iter()
        .filter(|t| t.channel == Channel::Whatsapp)
        .collect();
    assert_eq!(whatsapp.len(), 5, "New York has five WhatsApp templates");
    assert!(
        whatsapp
            .iter()
            .any(|t| t.status == TemplateStatus::Approved)
            && whatsapp
                .iter()
                .any(|t| t.status == TemplateStatus::Rejected),
        "unsendable templates are listed too, with their status"
    );
    let quick: Vec<QuickReply> = backend
        .get(&ava.token, "/stores/store-nyc/quick-replies")
        .await;
    assert!(
        (5..=6).contains(&quick.len()),
        "five or six quick replies, got {}",
        quick.len()
    );
    let other_store = backend
        .http
        .get(backend.api("/stores/store-lon/templates"))
        .bearer_auth(&ava.token)
        .send()
        .await
        .expect("the backend answers");
    let error = refusal(
        other_store,
        404,
        "another store's templates do not exist for Ava",
    )
    .await;
    assert_eq!(
        error.code,
        ErrorCode::NotFound,
        "not_found for other stores"
    );
}

#[tokio::test]
async fn m5_template_goes_outside_the_window_and_a_reply_reopens_it() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = conversation_with(
        &backend,
        &ava.token,
        Channel::Whatsapp,
        ConsentState::OptedIn,
    )
    .await;
    backend.advance_clock(25 * HOUR_MS).await;
    let text = backend
        .send(
            &ava.token,
            &conversation.id,
            &new_id(),
            "Are you still there?",
        )
        .await;
    let error = refusal(text, 422, "free text is refused once the window closed").await;
    assert_eq!(error.code, ErrorCode::WindowClosed, "window_closed code");

    let id = new_id();
    let response = send_template(
        &backend,
        &ava.token,
        &conversation.id,
        &id,
        "tpl-nyc-wa-reconnect",
    )
    .await;
    assert_eq!(
        response.status(),
        201,
        "a mapped template goes outside the window"
    );
    let sent: Message = response.json().await.expect("the sent template");
    let (_, customers) = backend.view(&ava.token).await;
    let customer = customers
        .iter()
        .find(|c| c.id == conversation.customer_id)
        .expect("the customer is visible");
    assert_eq!(sent.kind, MessageKind::Template, "sent as a template");
    assert_eq!(
        sent.body,
        format!(
            "Hi {}, it's Ava at Fifth Avenue. I have an update for you since your last visit. Reply here and we can pick up where we left off.",
            customer.first_name
        ),
        "the backend fills the template from the customer, the author and the store"
    );
    let again = send_template(
        &backend,
        &ava.token,
        &conversation.id,
        &id,
        "tpl-nyc-wa-reconnect",
    )
    .await;
    assert_eq!(again.status(), 200, "the same id is not sent twice");

    backend.inject(&conversation.id, "Yes, tell me more").await;
    let reopened = backend
        .send(&ava.token, &conversation.id, &new_id(), "Great, here it is")
        .await;
    assert_eq!(
        reopened.status(),
        201,
        "the customer's reply reopens the window"
    );
}

#[tokio::test]
async fn m5_unknown_unsendable_and_other_channel_templates_are_refused() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let whatsapp = conversation_with(
        &backend,
        &ava.token,
        Channel::Whatsapp,
        ConsentState::OptedIn,
    )
    .await;
    for (template, what) in [
        (
            "tpl-nyc-wa-seasonal-sale",
            "an approved but unmapped template",
        ),
        ("tpl-nyc-wa-flash-offer", "a rejected template"),
        ("tpl-nyc-sms-reconnect", "an SMS template on WhatsApp"),
        ("tpl-lon-sms-reconnect", "another store's template"),
        ("tpl-nowhere", "an unknown template"),
    ] {
        let response = send_template(&backend, &ava.token, &whatsapp.id, &new_id(), template).await;
        let error = refusal(response, 400, what).await;
        assert_eq!(
            error.code,
            ErrorCode::InvalidInput,
            "{what} is invalid input"
        );
        assert!(!error.message.is_empty(), "{what} is explained");
    }
    let bare = backend
        .http
        .post(backend.api(&format!("/conversations/{}/messages", whatsapp.id)))
        .bearer_auth(&ava.token)
        .json(&json!({ "id": new_id(), "body": "Free text", "kind": "template" }))
        .send()
        .await
        .expect("the backend answers");
    refusal(
        bare,
        400,
        "kind template without a template id cannot dodge the window",
    )
    .await;

    let opted_out =
        conversation_with(&backend, &ava.token, Channel::Sms, ConsentState::OptedOut).await;
    let response = send_template(
        &backend,
        &ava.token,
        &opted_out.id,
        &new_id(),
        "tpl-nyc-sms-reconnect",
    )
    .await;
    let error = refusal(response, 422, "no template goes to an opted-out customer").await;
    assert_eq!(error.code, ErrorCode::OptedOut, "opted_out code");
}

#[tokio::test]
async fn m2_sms_opt_in_request_is_idempotent_audited_and_start_opts_in_b4() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation =
        conversation_with(&backend, &ava.token, Channel::Sms, ConsentState::Unknown).await;
    let missing = request_opt_in(
        &backend,
        &ava.token,
        &conversation.id,
        &new_id(),
        Some("  "),
    )
    .await;
    refusal(missing, 400, "an SMS opt-in request needs an intro").await;

    let id = new_id();
    let intro = "Hi, it's Ava from Fifth Avenue.";
    let response = request_opt_in(&backend, &ava.token, &conversation.id, &id, Some(intro)).await;
    assert_eq!(response.status(), 201, "the request is sent");
    let sent: Message = response.json().await.expect("the request's message");
    assert_eq!(
        sent.body,
        "Hi, it's Ava from Fifth Avenue. Reply START to get messages from Fifth Avenue, STOP to opt out.",
        "the intro is followed by the START/STOP instructions"
    );
    let again = request_opt_in(&backend, &ava.token, &conversation.id, &id, Some(intro)).await;
    assert_eq!(
        again.status(),
        200,
        "the same id answers with the same message"
    );
    let repeated: Message = again.json().await.expect("the stored message");
    assert_eq!(repeated.id, sent.id, "nothing is sent twice");

    backend.inject(&conversation.id, "Start").await;
    let now = backend.conversation(&ava.token, &conversation.id).await;
    assert_eq!(
        now.consent,
        ConsentState::OptedIn,
        "START after the request opts in"
    );
    let events: Vec<ConsentEvent> = backend
        .get(
            &ava.token,
            &format!("/conversations/{}/consent-events", conversation.id),
        )
        .await;
    assert_eq!(
        events.len(),
        2,
        "the request and the keyword are audited: {events:?}"
    );
    assert_eq!(
        events[0].action,
        ConsentAction::Keyword,
        "newest first: the keyword"
    );
    assert_eq!(
        events[0].keyword.as_deref(),
        Some("START"),
        "the keyword is the evidence"
    );
    assert_eq!(events[0].state, ConsentState::OptedIn, "opted in after it");
    assert_eq!(
        events[1].action,
        ConsentAction::OptInRequest,
        "then the request"
    );
    assert_eq!(
        events[1].message_id, sent.id,
        "the request's message is its evidence"
    );
    assert_eq!(events[1].channel, Channel::Sms, "on SMS");
}

#[tokio::test]
async fn m2_whatsapp_opt_in_request_uses_the_store_template_and_yes_opens_the_window() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let (conversations, _) = backend.view(&ava.token).await;
    let conversation = conversations
        .into_iter()
        .find(|c| c.channel == Channel::Whatsapp && c.consent != ConsentState::OptedOut)
        .expect("the demo has a WhatsApp conversation");
    backend.advance_clock(25 * HOUR_MS).await;
    let response = request_opt_in(&backend, &ava.token, &conversation.id, &new_id(), None).await;
    assert_eq!(
        response.status(),
        201,
        "the template goes outside the window"
    );
    let sent: Message = response.json().await.expect("the request's message");
    assert_eq!(
        sent.kind,
        MessageKind::Template,
        "WhatsApp asks with the opt-in template"
    );
    assert!(
        sent.body.contains("Reply YES to opt in"),
        "the opt-in template's body: {}",
        sent.body
    );
    backend.inject(&conversation.id, "YES").await;
    let after = backend.conversation(&ava.token, &conversation.id).await;
    assert_eq!(after.consent, ConsentState::OptedIn, "YES opts in");
    let text = backend
        .send(&ava.token, &conversation.id, &new_id(), "Thank you!")
        .await;
    assert_eq!(text.status(), 201, "the answer opened the service window");
}

#[tokio::test]
async fn m2_opted_out_customers_and_email_cannot_be_asked_to_opt_in() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let opted_out =
        conversation_with(&backend, &ava.token, Channel::Sms, ConsentState::OptedOut).await;
    let response = request_opt_in(
        &backend,
        &ava.token,
        &opted_out.id,
        &new_id(),
        Some("Hi there."),
    )
    .await;
    let error = refusal(response, 422, "they must text START themselves").await;
    assert_eq!(error.code, ErrorCode::OptedOut, "opted_out code");
    let (conversations, _) = backend.view(&ava.token).await;
    if let Some(email) = conversations.iter().find(|c| c.channel == Channel::Email) {
        let response = request_opt_in(
            &backend,
            &ava.token,
            &email.id,
            &new_id(),
            Some("Hi there."),
        )
        .await;
        refusal(response, 400, "email takes no opt-in request").await;
    }
}

#[tokio::test]
async fn m3_m4_only_managers_change_keywords_and_replies_follow_the_settings() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let mia = backend.sign_in(MIA).await;
    let current: KeywordSettings = backend.get(&ava.token, "/stores/store-nyc/keywords").await;
    assert!(
        current.keywords.opt_out.iter().any(|w| w == "STOP"),
        "carrier keywords by default"
    );
    let mut changed = current.clone();
    changed.keywords.opt_out.push("arret".into());
    changed.opt_out_reply =
        "Fifth Avenue: you will not hear from us again. Text START to return.".into();
    let put = |token: String, body: KeywordSettings| {
        let request = backend
            .http
            .put(backend.api("/stores/store-nyc/keywords"))
            .bearer_auth(token)
            .json(&body);
        async move { request.send().await.expect("the backend answers") }
    };
    let error = refusal(
        put(ava.token.clone(), changed.clone()).await,
        403,
        "associates cannot change keywords",
    )
    .await;
    assert_eq!(error.code, ErrorCode::Forbidden, "forbidden code");
    let mut invalid = changed.clone();
    invalid.keywords.opt_out.clear();
    refusal(
        put(mia.token.clone(), invalid).await,
        400,
        "an opt-out keyword is required",
    )
    .await;
    let saved = put(mia.token.clone(), changed).await;
    assert_eq!(saved.status(), 200, "the manager saves the settings");
    let saved: KeywordSettings = saved.json().await.expect("the saved settings");
    assert!(
        saved.keywords.opt_out.iter().any(|w| w == "ARRET"),
        "keywords are stored upper-cased"
    );

    let conversation =
        conversation_with(&backend, &ava.token, Channel::Sms, ConsentState::OptedIn).await;
    backend.inject(&conversation.id, "Arret!").await;
    let after = backend.conversation(&ava.token, &conversation.id).await;
    assert_eq!(
        after.consent,
        ConsentState::OptedOut,
        "the store's own keyword opts out"
    );
    let messages = backend.messages(&ava.token, &conversation.id).await;
    let reply = messages.last().expect("an automated reply");
    assert_eq!(
        reply.direction,
        Direction::Automated,
        "the reply is automated"
    );
    assert_eq!(
        reply.body, saved.opt_out_reply,
        "the reply is the store's configured text"
    );
}
