//! The tests' send gate against a real mock backend on loopback: it holds a send where
//! the test asks, tells the test which message arrived, and what the backend does with a
//! held send whose client goes away, before or after storing it (B1, M10).

mod support;

use std::io::Write;
use std::net::TcpStream;

use clienteling_domain::api::{Message, SendMessageRequest};
use clienteling_domain::{Channel, ConversationId, MessageId, MessageKind};
use clienteling_mock_server::{
    HeldSend, SendGate, SendStop, ServerConfig, Settled, SimulationConfig,
};
use support::{Backend, AVA, DEADLINE};

/// A backend whose sends stop at `stop`.
async fn gated(stop: SendStop) -> (Backend, SendGate) {
    let gate = SendGate::new(stop);
    let backend = Backend::start_with(ServerConfig {
        simulation: SimulationConfig::instant(),
        send_gate: Some(gate.clone()),
        ..ServerConfig::default()
    })
    .await;
    (backend, gate)
}

/// The next send held at `gate`, failing the test if none arrives in time.
async fn next_held(gate: &SendGate) -> HeldSend {
    tokio::time::timeout(DEADLINE, gate.next_held())
        .await
        .expect("a send reaches the gate")
}

/// How `held` ends, failing the test if it never does.
async fn settled(held: HeldSend) -> Settled {
    tokio::time::timeout(DEADLINE, held.settled())
        .await
        .expect("the held send leaves the handler")
}

fn new_id() -> MessageId {
    MessageId(uuid::Uuid::new_v4().to_string())
}

/// Writes a whole send request on a raw connection, as a client that will vanish does.
fn send_raw(
    backend: &Backend,
    token: &str,
    conversation: &ConversationId,
    id: &MessageId,
    body: &str,
) -> TcpStream {
    let json = serde_json::to_string(&SendMessageRequest {
        id: id.clone(),
        body: body.into(),
        kind: MessageKind::Text,
        created_at: None,
        template_id: None,
    })
    .expect("a request body");
    let mut stream = TcpStream::connect(backend.server.addr).expect("the backend listens");
    let request = format!(
        "POST /api/v1/conversations/{conversation}/messages HTTP/1.1\r\nHost: {}\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{json}",
        backend.server.addr,
        json.len()
    );
    stream
        .write_all(request.as_bytes())
        .expect("the request is written");
    stream
}

/// The stored messages of `conversation` with `body`.
async fn stored_with_body(
    backend: &Backend,
    token: &str,
    conversation: &ConversationId,
    body: &str,
) -> Vec<Message> {
    backend
        .messages(token, conversation)
        .await
        .into_iter()
        .filter(|m| m.body == body)
        .collect()
}

#[tokio::test]
async fn a_send_held_before_storing_is_stored_only_once_released_m10() {
    let (backend, gate) = gated(SendStop::BeforeStoring).await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await
        .id;
    let id = new_id();
    let body = "Held before storing";

    let (response, held) =
        tokio::join!(backend.send(&ava.token, &conversation, &id, body), async {
            let mut held = next_held(&gate).await;
            assert_eq!(
                held.message_id, id,
                "the gate names the message that arrived"
            );
            assert_eq!(
                held.conversation_id, conversation,
                "the gate names the conversation it is sent to"
            );
            assert!(
                stored_with_body(&backend, &ava.token, &conversation, body)
                    .await
                    .is_empty(),
                "nothing is stored while the send is held before storing"
            );
            held.release();
            held
        });
    assert_eq!(response.status(), 201, "the released send is accepted");
    assert_eq!(
        settled(held).await,
        Settled::Answered,
        "the released send ran to its answer"
    );
    assert_eq!(
        stored_with_body(&backend, &ava.token, &conversation, body)
            .await
            .len(),
        1,
        "the released send is stored once"
    );
}

#[tokio::test]
async fn a_held_send_whose_client_goes_away_before_storing_is_dropped_and_a_resend_is_new_b1() {
    let (backend, gate) = gated(SendStop::BeforeStoring).await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await
        .id;
    let id = new_id();
    let body = "Client gone before storing";

    let connection = send_raw(&backend, &ava.token, &conversation, &id, body);
    let held = next_held(&gate).await;
    assert_eq!(
        held.message_id, id,
        "the gate names the message that arrived"
    );
    gate.open();
    drop(connection);
    assert_eq!(
        settled(held).await,
        Settled::Dropped,
        "the server drops a held send once its client has gone, without releasing it"
    );
    assert!(
        stored_with_body(&backend, &ava.token, &conversation, body)
            .await
            .is_empty(),
        "a send dropped before storing leaves nothing behind"
    );

    let resent = backend.send(&ava.token, &conversation, &id, body).await;
    assert_eq!(
        resent.status(),
        201,
        "the client's resend of the same id is accepted as new"
    );
    assert_eq!(
        stored_with_body(&backend, &ava.token, &conversation, body)
            .await
            .len(),
        1,
        "the message is stored once"
    );
}

#[tokio::test]
async fn a_held_send_whose_client_goes_away_before_its_answer_stays_stored_once_b1() {
    let (backend, gate) = gated(SendStop::BeforeAnswering).await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await
        .id;
    let id = new_id();
    let body = "Client gone before the answer";

    let connection = send_raw(&backend, &ava.token, &conversation, &id, body);
    let held = next_held(&gate).await;
    assert_eq!(
        held.message_id, id,
        "the gate names the message that arrived"
    );
    assert_eq!(
        stored_with_body(&backend, &ava.token, &conversation, body)
            .await
            .len(),
        1,
        "held before answering, the message is already stored"
    );
    gate.open();
    drop(connection);
    assert_eq!(
        settled(held).await,
        Settled::Dropped,
        "the server drops the held answer once its client has gone"
    );

    let resent = backend.send(&ava.token, &conversation, &id, body).await;
    assert_eq!(
        resent.status(),
        200,
        "the client's resend of the same id gets the stored message"
    );
    let stored: Message = resent.json().await.expect("the stored message");
    assert_eq!(stored.id, id, "the answer is the message first stored");
    assert_eq!(
        stored_with_body(&backend, &ava.token, &conversation, body)
            .await
            .len(),
        1,
        "the message is stored once"
    );
}

#[tokio::test]
async fn an_open_gate_lets_sends_through_without_holding_them_m10() {
    let (backend, gate) = gated(SendStop::BeforeStoring).await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await
        .id;
    gate.open();
    let sent = backend
        .send_new(&ava.token, &conversation, "Through the open gate")
        .await;
    assert_eq!(
        sent.body, "Through the open gate",
        "a send through an open gate is answered at once"
    );
}
