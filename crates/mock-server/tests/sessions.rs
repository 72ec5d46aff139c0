//! Sessions against a real mock backend on loopback: passwords and tokens at rest, expiry
//! on the server clock, signing out (also of an open live stream), the token only in the
//! `Authorization` header, and the demo-only endpoints of demo servers.

mod support;

use std::time::Duration;

use clienteling_domain::api::{ChangeData, Session};
use clienteling_domain::time::{DAY_MS, HOUR_MS};
use clienteling_domain::{ApiError, Channel, Clock, ConversationId, ErrorCode};
use clienteling_mock_server::auth::token_hash;
use clienteling_mock_server::{ServerConfig, SimulationConfig};
use serde_json::json;
use support::{fill, next_change, operations, Backend, AVA, DEADLINE};

async fn status_of(response: reqwest::Response) -> (u16, ApiError) {
    let status = response.status().as_u16();
    (status, response.json().await.expect("an ApiError body"))
}

#[tokio::test]
async fn passwords_are_kept_as_one_argon2_hash_and_tokens_only_as_their_sha256() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let pool = backend.server.state().pool();
    let hashes: Vec<String> = sqlx::query_scalar("SELECT DISTINCT password_hash FROM staff")
        .fetch_all(pool)
        .await
        .expect("the staff table reads");
    assert_eq!(
        hashes.len(),
        1,
        "the demo accounts share one hash, made once at seeding"
    );
    assert!(
        hashes[0].starts_with("$argon2id$"),
        "the password is an Argon2id PHC string: {}",
        hashes[0]
    );
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions")
        .fetch_all(pool)
        .await
        .expect("the sessions table reads");
    assert_eq!(
        stored,
        vec![token_hash(&ava.token)],
        "the database holds the token's SHA-256, not the token"
    );
}

#[tokio::test]
async fn signing_out_revokes_the_token_everywhere_and_a_second_sign_out_is_unauthorized() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let other_device = backend.sign_in(AVA).await;
    let response = backend.sign_out(&ava.token).await;
    assert_eq!(response.status(), 204, "signing out answers no content");
    let (status, error) = status_of(backend.sign_out(&ava.token).await).await;
    assert_eq!(
        (status, error.code),
        (401, ErrorCode::Unauthorized),
        "signing out twice: the second time there is no session"
    );

    let doc = backend.openapi().await;
    let conversation = ConversationId("conv-0001".into());
    let bearer: Vec<_> = operations(&doc)
        .into_iter()
        .filter(|op| op.bearer)
        .collect();
    assert!(
        bearer.len() >= 12,
        "the document marks the session-only operations: {bearer:?}"
    );
    for operation in &bearer {
        let path = fill(&operation.path, &conversation, "store-nyc");
        for (token, what) in [
            (None, "no token"),
            (Some("not-a-session"), "an unknown token"),
            (Some(ava.token.as_str()), "a signed-out token"),
        ] {
            let response = backend.call(&doc, operation, &path, token).await;
            let (status, error) = status_of(response).await;
            assert_eq!(
                status,
                401,
                "{} with {what} needs a session",
                operation.name()
            );
            assert_eq!(
                error.code,
                ErrorCode::Unauthorized,
                "{} with {what}: unauthorized code",
                operation.name()
            );
        }
    }
    let me: Session = backend.get(&other_device.token, "/me").await;
    assert_eq!(
        me.token, other_device.token,
        "signing out one session leaves the same staff member's others working"
    );
}

#[tokio::test]
async fn a_token_expires_after_the_session_lifetime_on_the_server_clock() {
    let backend = Backend::start_with(ServerConfig {
        simulation: SimulationConfig::instant(),
        session_lifetime: Duration::from_secs(2 * 60 * 60),
        ..ServerConfig::default()
    })
    .await;
    let before = backend.server.state().clock().now();
    let ava = backend.sign_in(AVA).await;
    let after = backend.server.state().clock().now();
    assert!(
        (before.plus_ms(2 * HOUR_MS)..=after.plus_ms(2 * HOUR_MS)).contains(&ava.expires_at),
        "the session says when it expires: sign-in plus the lifetime"
    );
    backend.advance_clock(HOUR_MS).await;
    let me: Session = backend.get(&ava.token, "/me").await;
    assert_eq!(me.expires_at, ava.expires_at, "/me tells the same expiry");
    backend.advance_clock(HOUR_MS).await;
    let response = backend
        .http
        .get(backend.api("/me"))
        .bearer_auth(&ava.token)
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(response.status(), 401, "an expired token is refused");
    let (status, _) = status_of(backend.sign_out(&ava.token).await).await;
    assert_eq!(status, 401, "an expired session cannot be signed out");
    let fresh = backend.sign_in(AVA).await;
    let me: Session = backend.get(&fresh.token, "/me").await;
    assert_eq!(me.staff.id, ava.staff.id, "signing in again works");
}

#[tokio::test]
async fn the_default_lifetime_outlasts_tests_crossing_the_24_hour_window_m5() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    backend.advance_clock(25 * HOUR_MS).await;
    let me: Session = backend.get(&ava.token, "/me").await;
    assert!(
        me.expires_at.since(backend.server.state().clock().now()) > 28 * DAY_MS,
        "thirty days by default: a day later the token has weeks left"
    );
}

#[tokio::test]
async fn the_live_stream_takes_the_token_from_the_header_only_b2() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let response = backend
        .http
        .get(backend.api(&format!("/changes/stream?token={}", ava.token)))
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(
        response.status(),
        401,
        "a token in the URL (where proxies log it) is not a session"
    );
    let response = backend.open_stream(&ava.token, 0).await;
    assert_eq!(response.status(), 200, "the header opens the stream");
}

#[tokio::test]
async fn a_live_stream_ends_when_its_session_signs_out_and_delivers_nothing_after_b2() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await;
    let (_, cursor) = backend.changes(&ava.token, 0).await;
    let response = backend.open_stream(&ava.token, cursor).await;
    assert_eq!(response.status(), 200, "the stream opens");
    let mut events = response.bytes_stream();
    let mut buffer = String::new();
    let before = backend.inject(&conversation.id, "Before you go").await;
    // The message, then its conversation: the last change the inbound message makes.
    let delivered = tokio::time::timeout(DEADLINE, async {
        let mut delivered = Vec::new();
        loop {
            let change = next_change(&mut events, &mut buffer)
                .await
                .expect("the stream is open");
            let done =
                matches!(&change.data, ChangeData::Conversation(c) if c.id == conversation.id);
            delivered.push(change);
            if done {
                return delivered;
            }
        }
    })
    .await
    .expect("the stream delivers while signed in");
    assert!(
        delivered
            .iter()
            .any(|c| matches!(&c.data, ChangeData::Message(m) if m.id == before.id)),
        "the live message arrives: {delivered:?}"
    );

    assert_eq!(
        backend.sign_out(&ava.token).await.status(),
        204,
        "signed out"
    );
    // No change follows: the sign-out alone wakes the stream, which finds its session gone.
    let ended = tokio::time::timeout(DEADLINE, async {
        let mut delivered = Vec::new();
        while let Some(change) = next_change(&mut events, &mut buffer).await {
            delivered.push(change);
        }
        delivered
    })
    .await
    .expect("the stream of a signed-out session ends");
    assert!(
        ended.is_empty(),
        "nothing reaches the stream after the sign-out: {ended:?}"
    );
    let after = backend.inject(&conversation.id, "After you left").await;
    let (status, _) = status_of(backend.open_stream(&ava.token, cursor).await).await;
    assert_eq!(
        status, 401,
        "the signed-out token cannot reopen the stream to fetch {}",
        after.id
    );
}

#[tokio::test]
async fn a_database_from_before_hashing_keeps_its_demo_logins_and_drops_its_plain_tokens() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("backend.db");
    // The schema as it was before migration 0004, with a plain-text password and token.
    let before = dir.path().join("migrations");
    std::fs::create_dir(&before).expect("a migrations folder");
    for name in ["0001_backend.sql", "0002_messaging_setup.sql"] {
        let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        std::fs::copy(source.join(name), before.join(name)).expect("the old migration copies");
    }
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&file)
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options)
        .await
        .expect("the old database opens");
    sqlx::migrate::Migrator::new(before.as_path())
        .await
        .expect("the old migrations load")
        .run(&pool)
        .await
        .expect("the old schema is created");
    for statement in [
        "INSERT INTO stores (id, name, country, channels, clienteling_number)
         VALUES ('store-nyc', 'Fifth Avenue', 'US', 'sms,whatsapp,email', '+12125550100')",
        "INSERT INTO staff (id, name, login, password, role, position)
         VALUES ('staff-ava', 'Ava Johnson', 'ava.johnson@clienteling.demo', 'demo', 'associate', 0)",
        "INSERT INTO staff_stores (staff_id, store_id, position) VALUES ('staff-ava', 'store-nyc', 0)",
        "INSERT INTO sessions (token, staff_id, created_at) VALUES ('old-plain-token', 'staff-ava', 0)",
    ] {
        sqlx::query(statement)
            .execute(&pool)
            .await
            .expect("the old data is written");
    }
    pool.close().await;

    let backend = Backend::start_with(ServerConfig {
        db_path: Some(file),
        simulation: SimulationConfig::instant(),
        ..ServerConfig::default()
    })
    .await;
    let response = backend
        .http
        .get(backend.api("/me"))
        .bearer_auth("old-plain-token")
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(
        response.status(),
        401,
        "a token kept in plain text is not carried over: its holder signs in again"
    );
    let ava = backend.sign_in(AVA).await;
    assert_eq!(
        ava.staff.id.as_str(),
        "staff-ava",
        "the demo password still signs in, now checked against its hash"
    );
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM staff")
        .fetch_one(backend.server.state().pool())
        .await
        .expect("the staff table reads");
    assert!(
        stored.starts_with("$argon2id$"),
        "no password stays in plain text: {stored}"
    );
}

fn without_demo(simulator: bool) -> ServerConfig {
    ServerConfig {
        simulation: SimulationConfig::instant(),
        demo_data: false,
        simulator,
        ..ServerConfig::default()
    }
}

#[tokio::test]
async fn a_server_without_demo_data_answers_404_to_demo_users_and_the_simulator() {
    let backend = Backend::start_with(without_demo(false)).await;
    for (method, path) in [
        (reqwest::Method::GET, "/api/v1/demo/users"),
        (reqwest::Method::POST, "/api/v1/simulator/clock"),
        (
            reqwest::Method::POST,
            "/api/v1/simulator/conversations/conv-0001/inbound",
        ),
    ] {
        let response = backend
            .http
            .request(method.clone(), format!("{}{path}", backend.url))
            .json(&json!({ "advance_ms": 1, "body": "Hi" }))
            .send()
            .await
            .expect("the backend answers");
        let (status, error) = status_of(response).await;
        assert_eq!(
            status, 404,
            "{method} {path} does not exist without demo data"
        );
        assert_eq!(error.code, ErrorCode::NotFound, "{path}: not_found");
        assert_eq!(
            error.message,
            format!("Route {path} was not found"),
            "{path} is refused like any unknown route"
        );
    }
    let doc = backend.openapi().await;
    let paths = doc["paths"].as_object().expect("the document has paths");
    assert!(
        paths
            .keys()
            .all(|p| !p.starts_with("/api/v1/demo/") && !p.starts_with("/api/v1/simulator/")),
        "the served document leaves out what this server does not serve"
    );
    assert!(
        paths.contains_key("/api/v1/sessions/current"),
        "the rest is documented"
    );
    let response = backend
        .http
        .post(backend.api("/sessions"))
        .json(&json!({ "login": AVA, "password": "demo" }))
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(
        response.status(),
        401,
        "no demo data, so no demo account signs in"
    );
}

#[tokio::test]
async fn with_the_simulator_switch_alone_the_simulator_answers_but_demo_users_do_not() {
    let backend = Backend::start_with(without_demo(true)).await;
    let response = backend
        .http
        .post(backend.api("/simulator/clock"))
        .json(&json!({ "advance_ms": HOUR_MS }))
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(response.status(), 200, "the simulator moves the clock");
    let response = backend
        .http
        .post(backend.api("/simulator/conversations/conv-0001/inbound"))
        .json(&json!({ "body": "Hi" }))
        .send()
        .await
        .expect("the backend answers");
    let (status, error) = status_of(response).await;
    assert_eq!(
        status, 404,
        "the inbound hook is served; the empty database has no such conversation"
    );
    assert!(
        !error.message.starts_with("Route "),
        "the handler answered, not the fallback: {}",
        error.message
    );
    let response = backend
        .http
        .get(backend.api("/demo/users"))
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(
        response.status(),
        404,
        "the demo password is handed out by demo servers only"
    );
}
