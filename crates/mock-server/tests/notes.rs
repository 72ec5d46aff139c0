//! Notes on a customer (C9) against a real server: written once under their
//! client-generated id, edited and deleted by their author only, one pinned per customer,
//! visible only to staff of the customer's stores, and carried by the change feed to the
//! other staff of those stores, deletions included.

mod support;

use clienteling_domain::api::{ChangeData, Customer};
use clienteling_domain::note::{CreateNoteRequest, Note, MAX_NOTE_CHARS};
use clienteling_domain::{ApiError, ErrorCode, NoteId};
use serde_json::{json, Value};
use support::{Backend, AVA, LIAM, NOAH};

/// A fresh note id.
fn new_id() -> NoteId {
    NoteId(uuid::Uuid::new_v4().to_string())
}

/// Sends `method path` with `token` and a JSON body (if any); answers the status and body.
async fn call(
    backend: &Backend,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = backend
        .http
        .request(method, backend.api(path))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("the backend answers");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

async fn create(
    backend: &Backend,
    token: &str,
    customer: &Customer,
    request: &CreateNoteRequest,
) -> (u16, Value) {
    let path = format!("/customers/{}/notes", customer.id);
    let body = serde_json::to_value(request).expect("serializable");
    call(backend, reqwest::Method::POST, token, &path, Some(body)).await
}

fn note(body: Value) -> Note {
    serde_json::from_value(body).expect("a note")
}

fn error_code(body: Value) -> ErrorCode {
    serde_json::from_value::<ApiError>(body)
        .expect("an ApiError body")
        .code
}

async fn notes_of(backend: &Backend, token: &str, customer: &Customer) -> Vec<Note> {
    backend
        .get(token, &format!("/customers/{}/notes", customer.id))
        .await
}

/// A customer known to New York only.
async fn new_york_customer(backend: &Backend, token: &str) -> Customer {
    backend
        .view(token)
        .await
        .1
        .into_iter()
        .find(|c| c.store_ids.len() == 1 && c.store_ids[0].as_str() == "store-nyc")
        .expect("the demo has New York customers")
}

#[tokio::test]
async fn c9_a_note_written_twice_under_one_id_is_stored_once_and_another_text_under_it_conflicts() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let customer = new_york_customer(&backend, &ava.token).await;
    let before = notes_of(&backend, &ava.token, &customer).await.len();
    let request = CreateNoteRequest {
        id: new_id(),
        body: "  Prefers size M  ".into(),
    };
    let (status, first) = create(&backend, &ava.token, &customer, &request).await;
    assert_eq!(status, 201, "the first write creates the note: {first}");
    let first = note(first);
    assert_eq!(first.body, "Prefers size M", "the text is stored trimmed");
    assert_eq!(first.author_name, "Ava Johnson", "the author is named");
    let (status, again) = create(&backend, &ava.token, &customer, &request).await;
    assert_eq!(status, 200, "the repeat answers with the stored note");
    assert_eq!(note(again), first, "the repeat is the same note");
    assert_eq!(
        notes_of(&backend, &ava.token, &customer).await.len(),
        before + 1,
        "one note was stored for two requests"
    );
    let other = CreateNoteRequest {
        body: "Something else".into(),
        ..request.clone()
    };
    let (status, body) = create(&backend, &ava.token, &customer, &other).await;
    assert_eq!(status, 409, "another text under the id conflicts");
    assert_eq!(
        error_code(body),
        ErrorCode::Conflict,
        "the code says conflict"
    );

    for (bad, why) in [
        (
            CreateNoteRequest {
                id: "note-1".into(),
                body: "x".into(),
            },
            "an id that is not a UUID",
        ),
        (
            CreateNoteRequest {
                id: new_id(),
                body: " \n ".into(),
            },
            "an empty text",
        ),
        (
            CreateNoteRequest {
                id: new_id(),
                body: "a".repeat(MAX_NOTE_CHARS + 1),
            },
            "a text over the limit",
        ),
    ] {
        let (status, body) = create(&backend, &ava.token, &customer, &bad).await;
        assert_eq!(status, 400, "{why} is refused");
        assert_eq!(
            error_code(body),
            ErrorCode::InvalidInput,
            "{why}: invalid_input"
        );
    }
}

#[tokio::test]
async fn c9_only_the_author_edits_or_deletes_a_note_and_a_repeated_delete_is_fine() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let liam = backend.sign_in(LIAM).await;
    let customer = new_york_customer(&backend, &ava.token).await;
    let id = new_id();
    let request = CreateNoteRequest {
        id: id.clone(),
        body: "Loves linen".into(),
    };
    assert_eq!(
        create(&backend, &ava.token, &customer, &request).await.0,
        201,
        "Ava writes a note"
    );
    let path = format!("/notes/{id}");
    let edit = json!({ "body": "Loves linen and silk" });
    let (status, body) = call(
        &backend,
        reqwest::Method::PATCH,
        &liam.token,
        &path,
        Some(edit.clone()),
    )
    .await;
    assert_eq!(status, 403, "Liam may not edit Ava's note");
    assert_eq!(
        error_code(body),
        ErrorCode::Forbidden,
        "the code says forbidden"
    );
    let (status, _) = call(&backend, reqwest::Method::DELETE, &liam.token, &path, None).await;
    assert_eq!(status, 403, "Liam may not delete Ava's note");

    let (status, edited) = call(
        &backend,
        reqwest::Method::PATCH,
        &ava.token,
        &path,
        Some(edit),
    )
    .await;
    assert_eq!(status, 200, "Ava edits her note");
    assert_eq!(
        note(edited).body,
        "Loves linen and silk",
        "the new text is stored"
    );
    let (status, empty) = call(
        &backend,
        reqwest::Method::PATCH,
        &ava.token,
        &path,
        Some(json!({ "body": "   " })),
    )
    .await;
    assert_eq!(status, 400, "an edit to nothing is refused: {empty}");

    let (status, deleted) = call(&backend, reqwest::Method::DELETE, &ava.token, &path, None).await;
    assert_eq!(status, 200, "Ava deletes her note");
    assert!(note(deleted).deleted, "the answer is the tombstone");
    let (status, again) = call(&backend, reqwest::Method::DELETE, &ava.token, &path, None).await;
    assert_eq!(status, 200, "deleting it again is fine");
    assert!(note(again).deleted, "still the tombstone");
    assert!(
        notes_of(&backend, &ava.token, &customer)
            .await
            .iter()
            .all(|n| n.id != id),
        "a deleted note is not listed"
    );
    let (status, _) = call(
        &backend,
        reqwest::Method::PATCH,
        &ava.token,
        &path,
        Some(json!({ "body": "back" })),
    )
    .await;
    assert_eq!(status, 404, "a deleted note cannot be edited");
}

#[tokio::test]
async fn c9_pinning_a_note_unpins_the_one_pinned_before_and_it_is_listed_first() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let liam = backend.sign_in(LIAM).await;
    let customer = new_york_customer(&backend, &ava.token).await;
    let (first, second) = (new_id(), new_id());
    for (id, token, text) in [
        (&first, &ava.token, "First"),
        (&second, &liam.token, "Second"),
    ] {
        let request = CreateNoteRequest {
            id: id.clone(),
            body: text.into(),
        };
        assert_eq!(
            create(&backend, token, &customer, &request).await.0,
            201,
            "{text} is written"
        );
    }
    for id in [&first, &second] {
        let (status, pinned) = call(
            &backend,
            reqwest::Method::PUT,
            &ava.token,
            &format!("/notes/{id}/pin"),
            Some(json!({ "pinned": true })),
        )
        .await;
        assert_eq!(status, 200, "anyone who sees the customer pins a note");
        assert!(note(pinned).pinned, "the answer is pinned");
    }
    let notes = notes_of(&backend, &ava.token, &customer).await;
    assert_eq!(
        notes.iter().filter(|n| n.pinned).count(),
        1,
        "one pinned note per customer"
    );
    assert_eq!(notes[0].id, second, "the pinned note comes first");
    let (status, _) = call(
        &backend,
        reqwest::Method::PUT,
        &ava.token,
        &format!("/notes/{second}/pin"),
        Some(json!({ "pinned": false })),
    )
    .await;
    assert_eq!(status, 200, "unpinning works");
    assert!(
        notes_of(&backend, &ava.token, &customer)
            .await
            .iter()
            .all(|n| !n.pinned),
        "no note is pinned any more"
    );
}

#[tokio::test]
async fn c9_notes_of_a_customer_outside_the_callers_stores_are_not_found() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let noah = backend.sign_in(NOAH).await;
    let customer = new_york_customer(&backend, &ava.token).await;
    let id = new_id();
    let request = CreateNoteRequest {
        id: id.clone(),
        body: "New York only".into(),
    };
    assert_eq!(
        create(&backend, &ava.token, &customer, &request).await.0,
        201,
        "Ava writes a note"
    );
    let path = format!("/customers/{}/notes", customer.id);
    let (status, _) = call(&backend, reqwest::Method::GET, &noah.token, &path, None).await;
    assert_eq!(
        status, 404,
        "London staff do not see a New York customer's notes"
    );
    let other = CreateNoteRequest {
        id: new_id(),
        body: "From London".into(),
    };
    assert_eq!(
        create(&backend, &noah.token, &customer, &other).await.0,
        404,
        "nor write one"
    );
    let (status, _) = call(
        &backend,
        reqwest::Method::PUT,
        &noah.token,
        &format!("/notes/{id}/pin"),
        Some(json!({ "pinned": true })),
    )
    .await;
    assert_eq!(status, 404, "nor pin one");
    let (status, _) = call(
        &backend,
        reqwest::Method::GET,
        &ava.token,
        "/customers/no-such-customer/notes",
        None,
    )
    .await;
    assert_eq!(status, 404, "an unknown customer has no notes");
}

#[tokio::test]
async fn c9_other_staff_of_the_customers_stores_get_notes_and_deletions_through_the_feed() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let liam = backend.sign_in(LIAM).await;
    let noah = backend.sign_in(NOAH).await;
    let customer = new_york_customer(&backend, &ava.token).await;
    let (_, liam_cursor) = backend.changes(&liam.token, 0).await;
    let (_, noah_cursor) = backend.changes(&noah.token, 0).await;
    let id = new_id();
    let request = CreateNoteRequest {
        id: id.clone(),
        body: "Wants the coat in navy".into(),
    };
    assert_eq!(
        create(&backend, &ava.token, &customer, &request).await.0,
        201,
        "Ava writes a note"
    );
    let (changes, liam_cursor) = backend.changes(&liam.token, liam_cursor).await;
    let fed: Vec<&Note> = changes
        .iter()
        .filter_map(|c| match &c.data {
            ChangeData::Note(n) if n.id == id => Some(n),
            _ => None,
        })
        .collect();
    assert_eq!(fed.len(), 1, "Liam's feed carries the note once");
    assert_eq!(fed[0].body, "Wants the coat in navy", "with its text");
    let (status, _) = call(
        &backend,
        reqwest::Method::DELETE,
        &ava.token,
        &format!("/notes/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "Ava deletes it");
    let (changes, _) = backend.changes(&liam.token, liam_cursor).await;
    assert!(
        changes
            .iter()
            .any(|c| matches!(&c.data, ChangeData::Note(n) if n.id == id && n.deleted)),
        "the deletion reaches Liam as a tombstone"
    );
    let (changes, _) = backend.changes(&noah.token, noah_cursor).await;
    assert!(
        changes
            .iter()
            .all(|c| !matches!(&c.data, ChangeData::Note(n) if n.id == id)),
        "London staff never get a New York customer's note"
    );
}

#[tokio::test]
async fn c9_the_demo_has_notes_by_named_associates_with_one_pinned_at_most() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let (changes, _) = backend.changes(&ava.token, 0).await;
    let notes: Vec<&Note> = changes
        .iter()
        .filter_map(|c| match &c.data {
            ChangeData::Note(n) => Some(n),
            _ => None,
        })
        .collect();
    assert!(notes.len() >= 5, "the demo has notes: {}", notes.len());
    assert!(
        notes.iter().all(|n| !n.author_name.is_empty()),
        "each is signed by a named associate"
    );
    let customer = notes[0].customer_id.clone();
    let listed: Vec<Note> = backend
        .get(&ava.token, &format!("/customers/{customer}/notes"))
        .await;
    assert!(
        listed.iter().filter(|n| n.pinned).count() <= 1,
        "at most one pinned note per customer"
    );
}

#[tokio::test]
async fn c9_hostile_note_requests_are_refused_cleanly() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let customer = new_york_customer(&backend, &ava.token).await;
    let path = format!("/customers/{}/notes", customer.id);
    let huge = json!({ "id": new_id(), "body": "a".repeat(3 * 1024 * 1024) });
    let (status, _) = call(
        &backend,
        reqwest::Method::POST,
        &ava.token,
        &path,
        Some(huge),
    )
    .await;
    assert!(
        (400..500).contains(&status),
        "a body of megabytes is refused as the client's fault: {status}"
    );
    let (status, body) = call(
        &backend,
        reqwest::Method::POST,
        &ava.token,
        &path,
        Some(json!({ "id": 7, "body": ["not", "text"] })),
    )
    .await;
    assert_eq!(status, 400, "a body of the wrong shape is refused");
    assert_eq!(
        error_code(body),
        ErrorCode::InvalidInput,
        "as invalid input"
    );
    let long_id = "x".repeat(10_000);
    for (method, bad) in [
        (reqwest::Method::GET, format!("/customers/{long_id}/notes")),
        (reqwest::Method::DELETE, format!("/notes/{long_id}")),
        (reqwest::Method::DELETE, "/notes/'%20OR%201=1".to_owned()),
    ] {
        let (status, _) = call(&backend, method.clone(), &ava.token, &bad, None).await;
        assert_eq!(status, 404, "{method} with a made-up id finds nothing");
    }
    let (status, _) = call(&backend, reqwest::Method::GET, "not-a-token", &path, None).await;
    assert_eq!(status, 401, "without a session nothing is read");
}

#[tokio::test]
async fn c9_the_same_note_sent_twice_at_once_is_stored_once() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let customer = new_york_customer(&backend, &ava.token).await;
    let request = CreateNoteRequest {
        id: new_id(),
        body: "Sent from two tabs".into(),
    };
    let (first, second) = tokio::join!(
        create(&backend, &ava.token, &customer, &request),
        create(&backend, &ava.token, &customer, &request),
    );
    let mut statuses = [first.0, second.0];
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [200, 201],
        "one creates the note, the other gets it back"
    );
    assert_eq!(note(first.1), note(second.1), "both answer the same note");
    let stored = notes_of(&backend, &ava.token, &customer).await;
    assert_eq!(
        stored.iter().filter(|n| n.id == request.id).count(),
        1,
        "the note is stored once"
    );
}
