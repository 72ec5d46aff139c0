//! Notes on a customer (C9) against the real backend: written offline, kept across a
//! restart and accepted once when the backend is back; carried by the change feed to
//! another staff member's device (pins and deletions too); someone else's note refused at
//! once; and a change the backend refuses, or keeps failing to take (forced by a proxy),
//! rolled back to the backend's copy with an error.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::http::Method;

use clienteling_core::{Core, ManualClock, RetryPolicy, Subscription};
use clienteling_domain::api::{ChangeData, ChangesPage};
use clienteling_domain::note::Note;
use clienteling_domain::view::{
    AppEvent, Connection, CustomerProfile, CustomerQuery, CustomerScope,
};
use clienteling_domain::{CustomerId, ErrorCode, NoteId};
use clienteling_mock_server::RunningServer;

use crate::harness::{
    eventually, open_core, open_core_with, spawn_server, wait_for_event, Api, AVA, DEADLINE,
    PASSWORD,
};
use crate::proxy::{FaultAnswer, FaultyProxy};

/// Retries within milliseconds, three attempts in all.
const QUICK: RetryPolicy = RetryPolicy {
    first_delay: Duration::from_millis(2),
    max_delay: Duration::from_millis(8),
    max_attempts: 3,
};

/// Another New York associate.
const LIAM: &str = "liam.chen@clienteling.demo";

async fn stop_server(server: RunningServer) {
    tokio::time::timeout(DEADLINE, server.shutdown())
        .await
        .expect("the mock backend shuts down");
}

/// A customer in `core`'s local copy of the current store.
async fn local_customer(core: &Core) -> CustomerId {
    let page = core
        .list_customers(CustomerQuery {
            scope: CustomerScope::Store,
            search: String::new(),
            filters: Vec::new(),
        })
        .await
        .expect("the clientbook reads");
    page.rows
        .first()
        .expect("the store has customers in the local copy")
        .customer
        .id
        .clone()
}

async fn profile(core: &Core, id: &CustomerId) -> CustomerProfile {
    core.show_customer(id).await.expect("the profile reads")
}

fn find<'a>(profile: &'a CustomerProfile, id: &NoteId) -> Option<&'a Note> {
    profile.notes.iter().find(|n| &n.id == id)
}

/// A core on `dir` signed in as `login` to `url`, online, with its events.
async fn online_core(dir: &Path, url: &str, login: &str) -> (Core, Subscription) {
    let clock = Arc::new(ManualClock::starting_now());
    let core = open_core(dir, url, &clock).await;
    let mut events = core.subscribe();
    core.sign_in(login, PASSWORD).await.expect("signs in");
    wait_for_online(&mut events).await;
    (core, events)
}

async fn wait_for_online(events: &mut Subscription) {
    wait_for_event(events, "the live stream connects", |e| {
        matches!(
            e,
            AppEvent::ConnectionChanged {
                connection: Connection::Online
            }
        )
    })
    .await;
}

/// How many entries of the backend's change log name note `id`, read one entry at a time
/// so that no later entry hides an earlier one.
async fn log_entries_of(api: &Api, id: &NoteId) -> usize {
    let mut cursor = 0;
    let mut entries = 0;
    loop {
        let page: ChangesPage = api
            .get_json(&format!("/changes?after={cursor}&limit=1"))
            .await;
        entries += page
            .changes
            .iter()
            .filter(|c| matches!(&c.data, ChangeData::Note(n) if &n.id == id))
            .count();
        cursor = page.next_cursor;
        if !page.has_more {
            return entries;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c9_notes_written_offline_are_kept_across_a_restart_and_reach_the_backend_once_in_order() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let backend_db = dir.path().join("backend.db");
    let app_dir = dir.path().join("app");
    let clock = Arc::new(ManualClock::starting_now());

    let server = spawn_server(0, Some(backend_db.clone())).await;
    let first_url = server.url();
    let core = open_core(&app_dir, &first_url, &clock).await;
    core.sign_in(AVA, PASSWORD).await.expect("signs in");
    let customer = local_customer(&core).await;
    core.shutdown().await;
    stop_server(server).await;

    let offline = open_core(&app_dir, &first_url, &clock).await;
    let note = offline
        .add_note(&customer, "  Prefers size M, written offline ")
        .await
        .expect("a note is written offline (C9)");
    assert_eq!(
        note.body, "Prefers size M, written offline",
        "the text is trimmed"
    );
    let second = offline
        .add_note(&customer, "Second note, written offline")
        .await
        .expect("another note is written offline");
    offline
        .edit_note(&note.id, "Prefers size M, edited offline")
        .await
        .expect("the first note is edited offline, before the backend has it");
    let shown = profile(&offline, &customer).await;
    assert_eq!(
        find(&shown, &note.id).map(|n| n.body.as_str()),
        Some("Prefers size M, edited offline"),
        "the edited note shows at once"
    );
    assert!(
        find(&shown, &second.id).is_some(),
        "the second note shows at once"
    );
    assert!(
        shown.unsaved_note_ids.contains(&note.id),
        "it shows as not saved yet"
    );
    offline.shutdown().await;

    let restarted = open_core(&app_dir, &first_url, &clock).await;
    let kept = profile(&restarted, &customer).await;
    assert!(
        find(&kept, &note.id).is_some() && kept.unsaved_note_ids.contains(&note.id),
        "the note and its waiting change survive a restart"
    );
    restarted.shutdown().await;

    let server = spawn_server(0, Some(backend_db)).await;
    let core = open_core(&app_dir, &server.url(), &clock).await;
    let api = Api::sign_in(&server.url(), AVA).await;
    let remote: Vec<Note> =
        eventually("the backend has both notes, the edit made (C9)", || async {
            let notes: Vec<Note> = api.get_json(&format!("/customers/{customer}/notes")).await;
            let edited = notes
                .iter()
                .any(|n| n.id == note.id && n.body == "Prefers size M, edited offline");
            let both = notes.iter().any(|n| n.id == second.id);
            (edited && both).then_some(notes)
        })
        .await;
    let ours: Vec<&Note> = remote.iter().filter(|n| n.id == note.id).collect();
    assert_eq!(ours.len(), 1, "the backend holds the note once");
    assert_eq!(
        ours[0].author_staff_id.as_str(),
        "staff-ava",
        "written by Ava"
    );
    eventually("the local copy shows the note saved", || async {
        let shown = profile(&core, &customer).await;
        (find(&shown, &note.id).is_some() && shown.unsaved_note_ids.is_empty()).then_some(())
    })
    .await;
    assert_eq!(
        log_entries_of(&api, &note.id).await,
        2,
        "the backend logged one creation and one edit of the first note: each accepted once, in order"
    );
    assert_eq!(
        log_entries_of(&api, &second.id).await,
        1,
        "and one creation of the second"
    );
    core.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c9_another_staff_members_device_gets_notes_pins_and_deletions_through_the_feed() {
    let server = spawn_server(0, None).await;
    let (ava_dir, liam_dir) = (
        tempfile::tempdir().expect("a folder"),
        tempfile::tempdir().expect("a folder"),
    );
    let (ava, _) = online_core(ava_dir.path(), &server.url(), AVA).await;
    let (liam, mut liam_events) = online_core(liam_dir.path(), &server.url(), LIAM).await;
    let customer = local_customer(&ava).await;

    let first = ava
        .add_note(&customer, "Looking for a navy coat")
        .await
        .expect("Ava writes a note");
    let second = ava
        .add_note(&customer, "Size 38 in shoes")
        .await
        .expect("and another");
    let arrived = eventually("Liam's device gets both notes", || async {
        let shown = profile(&liam, &customer).await;
        (find(&shown, &first.id).is_some() && find(&shown, &second.id).is_some()).then_some(shown)
    })
    .await;
    let note = find(&arrived, &first.id).expect("the first note");
    assert_eq!(note.author_name, "Ava Johnson", "the author is named");
    assert_eq!(note.body, "Looking for a navy coat", "the text is Ava's");
    assert!(
        arrived.unsaved_note_ids.is_empty(),
        "notes from the feed wait for nothing"
    );
    wait_for_event(
        &mut liam_events,
        "the profile hears of the notes",
        |e| matches!(e, AppEvent::NotesChanged { customer_id } if customer_id == &customer),
    )
    .await;

    ava.pin_note(&first.id, true)
        .await
        .expect("Ava pins the first");
    ava.pin_note(&second.id, true)
        .await
        .expect("then the second, unpinning the first");
    let pinned = eventually("Liam's device sees the second note pinned", || async {
        let shown = profile(&liam, &customer).await;
        let second_pinned = find(&shown, &second.id).is_some_and(|n| n.pinned);
        let first_unpinned = find(&shown, &first.id).is_some_and(|n| !n.pinned);
        (second_pinned && first_unpinned).then_some(shown)
    })
    .await;
    assert_eq!(
        pinned.notes.first().map(|n| &n.id),
        Some(&second.id),
        "the pinned note comes first"
    );

    ava.delete_note(&first.id)
        .await
        .expect("Ava deletes a note");
    eventually("the deletion reaches Liam's device", || async {
        find(&profile(&liam, &customer).await, &first.id)
            .is_none()
            .then_some(())
    })
    .await;
    ava.shutdown().await;
    liam.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c9_someone_elses_note_cannot_be_edited_or_deleted_and_stays_as_it_is() {
    let server = spawn_server(0, None).await;
    let (ava_dir, liam_dir) = (
        tempfile::tempdir().expect("a folder"),
        tempfile::tempdir().expect("a folder"),
    );
    let (ava, _) = online_core(ava_dir.path(), &server.url(), AVA).await;
    let (liam, _) = online_core(liam_dir.path(), &server.url(), LIAM).await;
    let customer = local_customer(&liam).await;
    let theirs = liam
        .add_note(&customer, "Liam's note")
        .await
        .expect("Liam writes a note");
    eventually("Ava's device gets Liam's note", || async {
        find(&profile(&ava, &customer).await, &theirs.id).map(drop)
    })
    .await;
    let edit = ava
        .edit_note(&theirs.id, "Ava's words")
        .await
        .expect_err("Ava may not edit Liam's note");
    assert_eq!(
        clienteling_domain::ApiError::from(edit).code,
        ErrorCode::Forbidden,
        "the refusal says forbidden"
    );
    let delete = ava
        .delete_note(&theirs.id)
        .await
        .expect_err("nor delete it");
    assert_eq!(
        clienteling_domain::ApiError::from(delete).code,
        ErrorCode::Forbidden,
        "the refusal says forbidden"
    );
    let shown = profile(&ava, &customer).await;
    assert_eq!(
        find(&shown, &theirs.id).map(|n| n.body.as_str()),
        Some("Liam's note"),
        "the note stays Liam's"
    );
    assert!(
        shown.unsaved_note_ids.is_empty(),
        "nothing was queued for the backend"
    );
    ava.shutdown().await;
    liam.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c9_a_change_the_backend_refuses_rolls_back_to_the_backends_copy_with_an_error() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let backend_db = dir.path().join("backend.db");
    let app_dir = dir.path().join("app");
    let clock = Arc::new(ManualClock::starting_now());

    let server = spawn_server(0, Some(backend_db.clone())).await;
    let (core, _) = online_core(&app_dir, &server.url(), AVA).await;
    let customer = local_customer(&core).await;
    let note = core
        .add_note(&customer, "Prefers linen")
        .await
        .expect("Ava writes a note");
    eventually("the backend accepts the note", || async {
        profile(&core, &customer)
            .await
            .unsaved_note_ids
            .is_empty()
            .then_some(())
    })
    .await;
    core.shutdown().await;
    // Ava deletes the note on another device while this one is closed.
    let api = Api::sign_in(&server.url(), AVA).await;
    let deleted = api
        .request(reqwest::Method::DELETE, &format!("/notes/{}", note.id))
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(deleted.status(), 200, "the other device deletes the note");
    let first_url = server.url();
    stop_server(server).await;

    let offline = open_core(&app_dir, &first_url, &clock).await;
    offline
        .edit_note(&note.id, "Prefers linen and silk")
        .await
        .expect("the edit is written offline");
    assert_eq!(
        find(&profile(&offline, &customer).await, &note.id).map(|n| n.body.as_str()),
        Some("Prefers linen and silk"),
        "the edit shows at once"
    );
    offline.shutdown().await;

    let server = spawn_server(0, Some(backend_db)).await;
    let core = open_core(&app_dir, &server.url(), &clock).await;
    let mut events = core.subscribe();
    let refused = wait_for_event(&mut events, "the backend refuses the edit", |e| {
        matches!(e, AppEvent::Failure { .. })
    })
    .await;
    let AppEvent::Failure { error } = refused else {
        unreachable!("the wait matched a failure");
    };
    assert_eq!(
        error.code,
        ErrorCode::NotFound,
        "the note no longer exists at the backend: {}",
        error.message
    );
    eventually(
        "the local copy rolls back to the backend's: the note is gone",
        || async {
            let shown = profile(&core, &customer).await;
            (find(&shown, &note.id).is_none() && shown.unsaved_note_ids.is_empty()).then_some(())
        },
    )
    .await;
    core.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c9_a_note_the_backend_keeps_failing_to_take_is_rolled_back_with_an_error() {
    let server = spawn_server(0, None).await;
    let proxy = FaultyProxy::start(&server.url()).await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clock = Arc::new(ManualClock::starting_now());
    let core = open_core_with(dir.path(), &proxy.url(), &clock, QUICK).await;
    let mut events = core.subscribe();
    core.sign_in(AVA, PASSWORD).await.expect("signs in");
    wait_for_online(&mut events).await;
    let customer = local_customer(&core).await;
    proxy.fail(Method::POST, "/notes", 0, FaultAnswer::Status(500));
    let note = core
        .add_note(&customer, "Never accepted")
        .await
        .expect("the note is written locally");
    let failure = wait_for_event(&mut events, "the note is given up", |e| {
        matches!(e, AppEvent::Failure { .. })
    })
    .await;
    let AppEvent::Failure { error } = failure else {
        unreachable!("the wait matched a failure");
    };
    assert!(
        error.message.contains("after 3 attempts"),
        "the error says the backend was tried three times: {}",
        error.message
    );
    assert_eq!(
        proxy.count(&Method::POST, "/notes"),
        3,
        "three attempts, no more"
    );
    let shown = profile(&core, &customer).await;
    assert!(
        find(&shown, &note.id).is_none() && shown.unsaved_note_ids.is_empty(),
        "a note the backend never took is gone from the profile, nothing waits"
    );
    core.shutdown().await;
}
