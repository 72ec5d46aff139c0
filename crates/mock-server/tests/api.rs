//! The mock backend's API against a real server on loopback: health and the OpenAPI
//! document against the router, signing in, the demo data, store scoping (M1, M14) and a
//! store's channel set-up (M1).

mod support;

use std::collections::BTreeSet;

use clienteling_domain::api::{ChangeData, Conversation, DemoUser, Health, Role, Session, Store};
use clienteling_domain::inbox::is_active;
use clienteling_domain::time::DAY_MS;
use clienteling_domain::{ApiError, Channel, Clock, ConversationId, ErrorCode, MessageId};
use clienteling_mock_server::demo::STORE_NYC;
use clienteling_mock_server::routes::served_paths;
use clienteling_mock_server::{spawn, ServerConfig, SimulationConfig};
use reqwest::Method;
use serde_json::{json, Value};
use support::{fill, operations, Backend, Operation, ADMIN, AVA, LIAM, MIA, NOAH};

#[tokio::test]
async fn health_answers_ok_and_the_openapi_document_lists_every_route_p7() {
    let backend = Backend::start().await;
    let health: Health = backend
        .http
        .get(backend.api("/health"))
        .send()
        .await
        .expect("the backend answers")
        .json()
        .await
        .expect("a health body");
    assert_eq!(health.status, "ok", "a running server is healthy");
    assert!(!health.version.is_empty(), "the server names its version");
    assert!(
        backend.url.starts_with("http://127.0.0.1:") && !backend.url.ends_with('/'),
        "the URL is loopback without a trailing slash: {}",
        backend.url
    );

    let doc: Value = backend
        .http
        .get(backend.api("/openapi.json"))
        .send()
        .await
        .expect("the backend answers")
        .json()
        .await
        .expect("an OpenAPI document");
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
        "an OpenAPI 3 document"
    );
    let listed: BTreeSet<String> = doc["paths"]
        .as_object()
        .expect("the document has paths")
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        listed,
        served_paths(ServerConfig::default().demo_endpoints())
            .into_iter()
            .collect(),
        "every route of the router is documented, and only routes"
    );
    assert!(
        doc["paths"]["/api/v1/conversations/{id}/messages"]["post"]["responses"]["422"].is_object(),
        "the send documents its consent and window refusals"
    );
    for schema in [
        "Session",
        "Conversation",
        "Message",
        "Change",
        "ChangesPage",
        "ApiError",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "the document describes {schema}"
        );
    }
}

// Issue 8 (start-up): the app learns the embedded backend's URL before the demo data is
// seeded, and what it asks meanwhile is answered once the backend serves, not refused.
#[tokio::test]
async fn a_request_to_a_bound_backend_waits_until_it_starts_and_is_answered() {
    let bound = clienteling_mock_server::bind(ServerConfig::default())
        .await
        .expect("a free loopback port binds");
    let url = format!("{}/api/v1/demo/users", bound.url());
    let asked = tokio::spawn(async move {
        let answer = reqwest::get(url).await?;
        answer.error_for_status()?.json::<Vec<DemoUser>>().await
    });
    for _ in 0..32 {
        tokio::task::yield_now().await;
    }
    assert!(
        !asked.is_finished(),
        "nothing answers a bound backend before it starts"
    );
    let running = bound.start().await.expect("the backend starts and seeds");
    let users = asked
        .await
        .expect("the asking task does not panic")
        .expect("the waiting request is answered once the backend serves");
    assert!(
        !users.is_empty(),
        "the request waited for the seeded demo accounts"
    );
    running.shutdown().await;
}

#[tokio::test]
async fn demo_users_sign_in_with_the_demo_password_and_me_returns_the_session() {
    let backend = Backend::start().await;
    let users: Vec<DemoUser> = backend
        .http
        .get(backend.api("/demo/users"))
        .send()
        .await
        .expect("the backend answers")
        .json()
        .await
        .expect("demo users");
    assert_eq!(
        users.len(),
        9,
        "six associates, a manager, an admin and a seasonal associate"
    );
    let last = users.last().expect("demo users");
    assert_eq!(
        (last.staff.login.as_str(), last.staff.role),
        ("lucas.reed@clienteling.demo", Role::Seasonal),
        "the seasonal associate is listed last"
    );
    let olivia = users
        .iter()
        .find(|u| u.staff.id.as_str() == "staff-olivia")
        .expect("Olivia is a demo user");
    assert_eq!(
        olivia.store_names,
        vec!["Fifth Avenue".to_owned(), "Covent Garden".to_owned()],
        "Olivia works in both stores"
    );

    let session = backend.sign_in(AVA).await;
    assert_eq!(
        session.staff.id.as_str(),
        "staff-ava",
        "the session is Ava's"
    );
    assert_eq!(session.stores.len(), 1, "Ava works in one store");
    assert_eq!(session.stores[0].name, "Fifth Avenue", "Ava's store");
    assert!(
        uuid::Uuid::parse_str(&session.token).is_ok(),
        "the token is a random uuid"
    );
    let me: Session = backend.get(&session.token, "/me").await;
    assert_eq!(me, session, "/me answers the same session, token included");

    let upper_case = backend
        .http
        .post(backend.api("/sessions"))
        .json(&json!({ "login": "AVA.Johnson@clienteling.demo", "password": "demo" }))
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(upper_case.status(), 200, "logins are not case-sensitive");
}

#[tokio::test]
async fn wrong_password_is_unauthorized_with_a_clear_message() {
    let backend = Backend::start().await;
    let response = backend
        .http
        .post(backend.api("/sessions"))
        .json(&json!({ "login": AVA, "password": "wrong" }))
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(response.status(), 401, "a wrong password is unauthorized");
    let error: ApiError = response.json().await.expect("an ApiError body");
    assert_eq!(
        error.code,
        ErrorCode::Unauthorized,
        "the code says unauthorized"
    );
    assert_eq!(
        error.message, "Wrong login or password",
        "the message says what went wrong"
    );

    let malformed = backend
        .http
        .post(backend.api("/sessions"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(malformed.status(), 400, "malformed JSON is a bad request");
    let error: ApiError = malformed.json().await.expect("an ApiError body");
    assert_eq!(
        error.code,
        ErrorCode::InvalidInput,
        "malformed JSON is invalid input"
    );
}

#[tokio::test]
async fn demo_data_has_two_stores_200_customers_and_60_conversations_over_150_days_m11() {
    let backend = Backend::start().await;
    let admin = backend.sign_in(ADMIN).await;
    assert_eq!(admin.stores.len(), 2, "the admin sees both demo stores");
    let (conversations, customers) = backend.view(&admin.token).await;
    assert!(
        customers.len() >= 200,
        "200+ customers, got {}",
        customers.len()
    );
    assert!(
        conversations.len() >= 60,
        "60+ conversations, got {}",
        conversations.len()
    );

    let now = backend.server.state().clock().now();
    let stale = conversations
        .iter()
        .filter(|c| !is_active(c.last_activity_at, now))
        .count();
    assert!(
        stale > 0,
        "some conversations are older than 120 days, so inbox filtering shows"
    );
    assert!(
        conversations
            .iter()
            .all(|c| now.since(c.last_activity_at) <= 150 * DAY_MS),
        "all activity is within the last 150 days"
    );
    let unread = conversations.iter().filter(|c| c.unread_count > 0).count();
    assert!(
        (1..=10).contains(&unread),
        "a few conversations wait unread: {unread}"
    );

    // A first sync pages through the whole log; the page size is capped at 5000.
    let page = backend.changes_page(&admin.token, 0, 100).await;
    assert!(
        page.has_more && page.changes.len() == 100,
        "the demo log is longer than a page of 100"
    );
    let page = backend.changes_page(&admin.token, 0, 50_000).await;
    assert!(
        page.changes.len() <= 5_000,
        "pages hold at most 5000 changes"
    );
    let (_, cursor) = backend.changes(&admin.token, 0).await;
    let rest = backend.changes_page(&admin.token, cursor, 500).await;
    assert!(
        rest.changes.is_empty() && !rest.has_more,
        "nothing is left after the last cursor"
    );
    assert_eq!(rest.next_cursor, cursor, "an empty page keeps the cursor");
}

async fn nyc_conversation(backend: &Backend) -> Conversation {
    let ava = backend.sign_in(AVA).await;
    let (conversations, _) = backend.view(&ava.token).await;
    conversations
        .into_iter()
        .next()
        .expect("Ava sees New York conversations")
}

#[tokio::test]
async fn london_associate_never_sees_new_york_data_m1_m14() {
    let backend = Backend::start().await;
    let noah = backend.sign_in(NOAH).await;
    let (changes, _) = backend.changes(&noah.token, 0).await;
    assert!(!changes.is_empty(), "Noah has London data to sync");
    let mut london_conversations = BTreeSet::new();
    for change in &changes {
        match &change.data {
            ChangeData::Customer(c) => assert!(
                c.store_ids.iter().any(|s| s.as_str() == "store-lon"),
                "only customers known to London"
            ),
            ChangeData::Conversation(c) => {
                assert_eq!(
                    c.store_id.as_str(),
                    "store-lon",
                    "only London conversations"
                );
                london_conversations.insert(c.id.clone());
            }
            ChangeData::Task(t) => {
                assert_eq!(t.store_id.as_str(), "store-lon", "only London tasks")
            }
            ChangeData::LastContact(c) => assert!(
                c.contacts
                    .iter()
                    .all(|contact| contact.store_id.as_str() == "store-lon"),
                "only London's contacts (B7)"
            ),
            ChangeData::Message(_)
            | ChangeData::Note(_)
            | ChangeData::Order(_)
            | ChangeData::WishlistItem(_)
            | ChangeData::Star(_)
            | ChangeData::CustomerAttributes(_)
            | ChangeData::Cart(_)
            | ChangeData::Product(_) => {}
        }
    }
    for change in &changes {
        if let ChangeData::Message(m) = &change.data {
            assert!(
                london_conversations.contains(&m.conversation_id),
                "message {} belongs to a London conversation",
                m.id
            );
        }
    }

    let nyc = nyc_conversation(&backend).await;
    let doc = backend.openapi().await;
    // Assigning needs a permission Noah lacks: refused before any lookup (tests/assignment.rs).
    let scoped: Vec<Operation> = operations(&doc)
        .into_iter()
        // The catalog is the company's: its products exist for every store's staff; Noah
        // may not assign, so he is refused before any lookup.
        .filter(|op| {
            op.bearer
                && op.path.contains("{id}")
                && !op.path.starts_with("/api/v1/products/")
                && !op.path.ends_with("/assignment")
        })
        .collect();
    assert!(
        scoped.len() >= 10,
        "the document lists the conversation and store operations: {scoped:?}"
    );
    for operation in &scoped {
        let path = fill(&operation.path, &nyc.id, STORE_NYC);
        let response = backend
            .call(&doc, operation, &path, Some(&noah.token))
            .await;
        assert_eq!(
            response.status(),
            404,
            "another store's conversations and setup do not exist for Noah ({})",
            operation.name()
        );
        let error: ApiError = response.json().await.expect("an ApiError body");
        assert_eq!(
            error.code,
            ErrorCode::NotFound,
            "{}: the code says not found",
            operation.name()
        );
        assert!(
            !error.message.starts_with("Route "),
            "{} is routed: the handler, not the fallback, refuses it",
            operation.name()
        );
    }

    // New York activity never reaches Noah's feed.
    let (_, cursor) = backend.changes(&noah.token, 0).await;
    backend
        .inject(&nyc.id, "Is the store open late tonight?")
        .await;
    let (after, _) = backend.changes(&noah.token, cursor).await;
    assert!(
        after.is_empty(),
        "a New York message is not a change for London: {after:?}"
    );
    let admin = backend.sign_in(ADMIN).await;
    let admin_view = backend.conversation(&admin.token, &nyc.id).await;
    assert_eq!(
        admin_view.id, nyc.id,
        "an admin of both stores sees the New York conversation"
    );
    let missing = backend
        .send(&noah.token, &nyc.id, &MessageId("noah-2".into()), "hi")
        .await;
    assert_eq!(
        missing.status(),
        404,
        "sending into another store is not found"
    );
}

#[tokio::test]
async fn read_markers_reach_only_the_readers_feed_m12() {
    let backend = Backend::start().await;
    let (ava, liam) = (backend.sign_in(AVA).await, backend.sign_in(LIAM).await);
    let conversation = nyc_conversation(&backend).await;
    let (_, ava_cursor) = backend.changes(&ava.token, 0).await;
    let (_, liam_cursor) = backend.changes(&liam.token, 0).await;
    let response = backend
        .http
        .post(backend.api(&format!("/conversations/{}/read", conversation.id)))
        .bearer_auth(&ava.token)
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(response.status(), 204, "marking read answers no content");
    let (ava_changes, _) = backend.changes(&ava.token, ava_cursor).await;
    assert!(
        ava_changes
            .iter()
            .any(|c| matches!(&c.data, ChangeData::Conversation(x) if x.id == conversation.id && x.unread_count == 0)),
        "Ava's feed shows her read marker"
    );
    let (liam_changes, _) = backend.changes(&liam.token, liam_cursor).await;
    assert!(
        liam_changes.is_empty(),
        "Ava's read marker is not Liam's change: {liam_changes:?}"
    );
}

#[tokio::test]
async fn a_server_restarted_on_its_database_file_keeps_sessions_and_data_p7() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let config = ServerConfig {
        db_path: Some(dir.path().join("backend.db")),
        simulation: SimulationConfig::instant(),
        ..ServerConfig::default()
    };
    let first = Backend::start_with(config.clone()).await;
    let ava = first.sign_in(AVA).await;
    let conversation = nyc_conversation(&first).await;
    let inbound = first
        .inject(&conversation.id, "Keep this one, please")
        .await;
    let (_, cursor) = first.changes(&ava.token, 0).await;
    let port = first.server.addr.port();
    first.server.shutdown().await;

    let server = spawn(ServerConfig { port, ..config })
        .await
        .expect("the backend restarts on the same port and file");
    let second = Backend {
        url: server.url(),
        server,
        http: reqwest::Client::new(),
    };
    assert_eq!(
        second.url, first.url,
        "the restarted backend is where the app expects it"
    );
    let me: Session = second.get(&ava.token, "/me").await;
    assert_eq!(
        me.staff.id.as_str(),
        "staff-ava",
        "the session survives the restart"
    );
    let (_, restarted_cursor) = second.changes(&ava.token, 0).await;
    assert_eq!(
        restarted_cursor, cursor,
        "the change log is kept, and the demo is not seeded twice"
    );
    let messages = second.messages(&ava.token, &conversation.id).await;
    assert_eq!(
        messages.iter().filter(|m| m.id == inbound.id).count(),
        1,
        "the message written before the restart is still there, once"
    );
    second.server.shutdown().await;
}

#[tokio::test]
async fn an_in_memory_backend_keeps_its_data_when_its_pooled_connection_is_discarded_p7() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let (_, cursor) = backend.changes(&ava.token, 0).await;

    // What sqlx does when a client drops a request mid-query: the pool gives up on its
    // connection and opens a fresh one on the next request.
    let discarded = backend
        .server
        .state()
        .pool()
        .acquire()
        .await
        .expect("the pool lends its one connection")
        .detach();
    sqlx::Connection::close(discarded)
        .await
        .expect("the discarded connection closes");

    let me: Session = backend.get(&ava.token, "/me").await;
    assert_eq!(
        me.staff.id.as_str(),
        "staff-ava",
        "the session written before the connection was discarded still signs Ava in"
    );
    let (_, after_cursor) = backend.changes(&ava.token, 0).await;
    assert_eq!(
        after_cursor, cursor,
        "the change log outlives the connection that wrote it"
    );
    backend.server.shutdown().await;
}

#[tokio::test]
async fn every_documented_operation_is_routed_and_no_other_method_is_p7() {
    let backend = Backend::start().await;
    let doc = backend.openapi().await;
    let conversation = ConversationId("conv-unknown".into());
    let all = operations(&doc);
    for operation in &all {
        let path = fill(&operation.path, &conversation, "store-unknown");
        let response = backend.call(&doc, operation, &path, None).await;
        assert_ne!(
            response.status(),
            405,
            "{} is documented, so its method is routed",
            operation.name()
        );
        if response.status() == 404 {
            let error: ApiError = response.json().await.expect("an ApiError body");
            assert!(
                !error.message.starts_with("Route "),
                "{} is documented, so it is routed: {}",
                operation.name(),
                error.message
            );
        }
    }
    let methods = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
    ];
    let paths: BTreeSet<&str> = all.iter().map(|op| op.path.as_str()).collect();
    for path in paths {
        for method in &methods {
            if all.iter().any(|op| op.path == path && op.method == *method) {
                continue;
            }
            let url = format!(
                "{}{}",
                backend.url,
                fill(path, &conversation, "store-unknown")
            );
            let response = backend
                .http
                .request(method.clone(), url)
                .send()
                .await
                .expect("the backend answers");
            assert_eq!(
                response.status(),
                405,
                "{method} {path} is not documented, so it is not routed"
            );
        }
    }
}

async fn put_channels(
    backend: &Backend,
    token: &str,
    store: &str,
    body: Value,
) -> reqwest::Response {
    backend
        .http
        .put(backend.api(&format!("/stores/{store}/channels")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("the backend answers")
}

#[tokio::test]
async fn m1_a_manager_sets_up_store_channels_and_the_session_shows_them() {
    let backend = Backend::start().await;
    let mia = backend.sign_in(MIA).await;
    let response = put_channels(
        &backend,
        &mia.token,
        STORE_NYC,
        json!({ "channels": ["email", "sms"], "clienteling_number": "+1 (212) 555-0199" }),
    )
    .await;
    assert_eq!(
        response.status(),
        200,
        "SMS and email on a number are allowed"
    );
    let store: Store = response.json().await.expect("the saved store");
    assert_eq!(
        store.channels,
        vec![Channel::Sms, Channel::Email],
        "channels are saved in display order"
    );
    assert_eq!(
        store.clienteling_number.as_deref(),
        Some("+12125550199"),
        "the number is saved in E.164"
    );
    let me: Session = backend.get(&mia.token, "/me").await;
    assert_eq!(
        me.stores[0], store,
        "the store's staff see the new set-up in their session"
    );

    let response = put_channels(
        &backend,
        &mia.token,
        STORE_NYC,
        json!({ "channels": ["sms", "whatsapp"], "clienteling_number": "+12125550100" }),
    )
    .await;
    assert_eq!(
        response.status(),
        200,
        "WhatsApp beside SMS on the store's number is allowed"
    );
    let admin = backend.sign_in(ADMIN).await;
    let response = put_channels(
        &backend,
        &admin.token,
        "store-lon",
        json!({ "channels": ["email"] }),
    )
    .await;
    assert_eq!(
        response.status(),
        200,
        "an admin sets up any of their stores; email needs no number"
    );
}

#[tokio::test]
async fn m1_whatsapp_without_sms_or_a_number_is_refused_with_a_clear_message() {
    let backend = Backend::start().await;
    let mia = backend.sign_in(MIA).await;
    for (body, what, says) in [
        (
            json!({ "channels": ["whatsapp", "email"], "clienteling_number": "+12125550100" }),
            "WhatsApp without SMS",
            "WhatsApp can only be enabled where SMS is configured",
        ),
        (
            json!({ "channels": ["sms", "whatsapp"] }),
            "SMS and WhatsApp without a number",
            "clienteling phone number",
        ),
        (
            json!({ "channels": ["sms"], "clienteling_number": "555-0100" }),
            "a number without its country code",
            "country code",
        ),
    ] {
        let response = put_channels(&backend, &mia.token, STORE_NYC, body).await;
        assert_eq!(response.status(), 400, "{what} is refused");
        let error: ApiError = response.json().await.expect("an ApiError body");
        assert_eq!(error.code, ErrorCode::InvalidInput, "{what}: invalid_input");
        assert!(
            error.message.contains(says),
            "{what}: the message says why: {}",
            error.message
        );
    }
    let me: Session = backend.get(&mia.token, "/me").await;
    assert_eq!(
        me.stores[0].channels,
        vec![Channel::Sms, Channel::Whatsapp, Channel::Email],
        "a refused set-up changes nothing"
    );
}

#[tokio::test]
async fn m1_associates_cannot_change_channels_and_other_stores_do_not_exist() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let mia = backend.sign_in(MIA).await;
    let body = json!({ "channels": ["sms"], "clienteling_number": "+12125550100" });
    let response = put_channels(&backend, &ava.token, STORE_NYC, body.clone()).await;
    assert_eq!(
        response.status(),
        403,
        "an associate cannot change channels"
    );
    let error: ApiError = response.json().await.expect("an ApiError body");
    assert_eq!(error.code, ErrorCode::Forbidden, "forbidden code");
    let response = put_channels(&backend, &mia.token, "store-lon", body).await;
    assert_eq!(
        response.status(),
        404,
        "a New York manager does not see the London store"
    );
    let error: ApiError = response.json().await.expect("an ApiError body");
    assert_eq!(error.code, ErrorCode::NotFound, "not_found code");
}
