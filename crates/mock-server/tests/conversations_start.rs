//! Starting a conversation with a customer (C2, "Message" on the profile) against a real
//! server: one conversation per customer × store × channel, started once and answered
//! again after, carried to the store's other staff by the change feed with the consent
//! still unknown; refused on a channel the store lacks or the customer has no contact for,
//! and for a customer the caller's stores do not know.

mod support;

use clienteling_domain::api::{ChangeData, Conversation, Customer, StartConversationRequest};
use clienteling_domain::customer_details::CreateCustomerRequest;
use clienteling_domain::{ApiError, Channel, ConsentState, CustomerId, ErrorCode};
use clienteling_mock_server::demo::{STORE_LON, STORE_NYC};
use serde_json::Value;
use support::{Backend, AVA, LIAM, NOAH};

async fn post(
    backend: &Backend,
    token: &str,
    path: &str,
    body: &impl serde::Serialize,
) -> (u16, Value) {
    let response = backend
        .http
        .post(backend.api(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("the backend answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A new customer of `store` created by `token`'s staff member.
async fn new_customer(
    backend: &Backend,
    token: &str,
    store: &str,
    phone: Option<&str>,
    email: Option<&str>,
) -> Customer {
    let request = CreateCustomerRequest {
        id: CustomerId(uuid::Uuid::new_v4().to_string()),
        store_id: store.into(),
        first_name: "Grace".into(),
        last_name: "Hughes".into(),
        gender: None,
        phone: phone.map(str::to_owned),
        email: email.map(str::to_owned),
        active: true,
    };
    let (status, body) = post(backend, token, "/customers", &request).await;
    assert_eq!(status, 201, "the customer is created: {body}");
    serde_json::from_value(body).expect("a customer")
}

async fn start(
    backend: &Backend,
    token: &str,
    customer: &CustomerId,
    store: &str,
    channel: Channel,
) -> (u16, Value) {
    let request = StartConversationRequest {
        store_id: store.into(),
        channel,
    };
    post(
        backend,
        token,
        &format!("/customers/{customer}/conversations"),
        &request,
    )
    .await
}

fn refusal(body: Value) -> ApiError {
    serde_json::from_value(body).expect("an ApiError body")
}

#[tokio::test]
async fn c2_message_starts_one_conversation_per_channel_and_the_stores_staff_get_it() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let liam = backend.sign_in(LIAM).await;
    let grace = new_customer(
        &backend,
        &ava.token,
        STORE_NYC,
        Some("(212) 555-0100"),
        None,
    )
    .await;
    let liam_from = backend.changes(&liam.token, 0).await.1;

    let (status, body) = start(&backend, &ava.token, &grace.id, STORE_NYC, Channel::Sms).await;
    assert_eq!(
        status, 201,
        "a customer without a conversation gets one: {body}"
    );
    let started: Conversation = serde_json::from_value(body).expect("a conversation");
    assert_eq!(started.customer_id, grace.id, "with the customer asked for");
    assert_eq!(started.store_id, STORE_NYC.into(), "in the store asked for");
    assert_eq!(started.channel, Channel::Sms, "on the channel asked for");
    assert_eq!(
        started.consent,
        ConsentState::Unknown,
        "a new customer's consent is unknown: the chat offers the opt-in request"
    );
    assert!(
        backend.messages(&ava.token, &started.id).await.is_empty(),
        "a started conversation has no messages yet"
    );

    let (status, body) = start(&backend, &liam.token, &grace.id, STORE_NYC, Channel::Sms).await;
    assert_eq!(status, 200, "asking again answers the one there is: {body}");
    let again: Conversation = serde_json::from_value(body).expect("a conversation");
    assert_eq!(
        again.id, started.id,
        "one conversation per customer, store and channel"
    );

    let (changes, _) = backend.changes(&liam.token, liam_from).await;
    assert!(
        changes.iter().any(|change| matches!(
            &change.data,
            ChangeData::Conversation(conversation) if conversation.id == started.id
        )),
        "the store's other staff get the new conversation through the feed"
    );

    let (status, body) = start(
        &backend,
        &ava.token,
        &grace.id,
        STORE_NYC,
        Channel::Whatsapp,
    )
    .await;
    assert_eq!(
        status, 201,
        "another channel is another conversation: {body}"
    );
}

#[tokio::test]
async fn c2_a_conversation_is_refused_without_the_contact_or_the_channel_it_needs() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let noah = backend.sign_in(NOAH).await;
    let by_email = new_customer(
        &backend,
        &ava.token,
        STORE_NYC,
        None,
        Some("grace@example.com"),
    )
    .await;
    let (status, body) = start(&backend, &ava.token, &by_email.id, STORE_NYC, Channel::Sms).await;
    assert_eq!(
        status, 422,
        "SMS needs a phone number the customer does not have: {body}"
    );
    let error = refusal(body);
    assert_eq!(
        error.code,
        ErrorCode::Unprocessable,
        "the code says unprocessable"
    );
    assert!(
        error.message.contains("phone number"),
        "the message says what is missing: {}",
        error.message
    );
    let (status, body) = start(
        &backend,
        &ava.token,
        &by_email.id,
        STORE_NYC,
        Channel::Email,
    )
    .await;
    assert_eq!(status, 201, "email reaches the customer's address: {body}");

    let londoner = new_customer(
        &backend,
        &noah.token,
        STORE_LON,
        Some("020 7946 0958"),
        None,
    )
    .await;
    let (status, body) = start(
        &backend,
        &noah.token,
        &londoner.id,
        STORE_LON,
        Channel::Whatsapp,
    )
    .await;
    assert_eq!(status, 422, "the London store has no WhatsApp: {body}");
    assert!(
        refusal(body).message.contains("WhatsApp"),
        "the message names the channel the store lacks"
    );
}

#[tokio::test]
async fn c2_a_customer_of_another_store_cannot_be_messaged() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let noah = backend.sign_in(NOAH).await;
    let grace = new_customer(
        &backend,
        &ava.token,
        STORE_NYC,
        Some("(212) 555-0100"),
        None,
    )
    .await;
    let (status, body) = start(&backend, &noah.token, &grace.id, STORE_LON, Channel::Sms).await;
    assert_eq!(
        status, 404,
        "a customer the London store does not know does not exist there: {body}"
    );
    let (status, body) = start(&backend, &noah.token, &grace.id, STORE_NYC, Channel::Sms).await;
    assert_eq!(
        status, 404,
        "naming the customer's store does not make them visible to London staff: {body}"
    );
    let (status, body) = start(&backend, &ava.token, &grace.id, STORE_LON, Channel::Sms).await;
    assert_eq!(
        status, 422,
        "a store that is not the caller's is refused: {body}"
    );
}
