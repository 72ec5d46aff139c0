//! Creating a customer (C12) online and editing their details (C13) through the outbox: a
//! new customer is in the local copy at once and reaches the store's other staff through
//! the feed; the backend's "user already exists" comes back naming the field; invalid
//! forms are refused before the backend is asked; offline nothing is created, not even
//! half. An edit shows at once, offline too, survives a restart and reaches the backend
//! once (also when its answer was lost and it was sent again under its id); one the
//! backend refuses rolls back to the backend's details with the reason.

use std::sync::Arc;
use std::time::Duration;

use axum::http::Method;
use clienteling_core::{ManualClock, RetryPolicy};
use clienteling_domain::api::{ChangeData, ChangesPage, Customer};
use clienteling_domain::attribute::Date;
use clienteling_domain::customer_details::{CustomerDraft, Gender, UpdateCustomerRequest};
use clienteling_domain::view::{AppEvent, CustomerQuery, CustomerScope};
use clienteling_domain::{ApiError, Clock, CustomerId, ErrorCode};
use clienteling_mock_server::RunningServer;

use crate::harness::{
    eventually, open_core, open_core_with, signed_in, spawn_server, wait_for_event, Api, Signed,
    AVA, DEADLINE, PASSWORD,
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

fn draft(phone: &str, email: &str) -> CustomerDraft {
    CustomerDraft {
        id: CustomerId(uuid::Uuid::new_v4().to_string()),
        first_name: "Grace".into(),
        last_name: "Hughes".into(),
        gender: Some(Gender::Female),
        phone: phone.into(),
        email: email.into(),
        active: true,
    }
}

fn query(scope: CustomerScope, search: &str) -> CustomerQuery {
    CustomerQuery {
        scope,
        search: search.into(),
        filters: Vec::new(),
    }
}

async fn listed(s: &Signed, scope: CustomerScope, id: &CustomerId) -> bool {
    s.core
        .list_customers(query(scope, "Grace Hughes"))
        .await
        .expect("the clientbook lists")
        .rows
        .iter()
        .any(|row| row.customer.id == *id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c12_a_customer_created_online_is_in_the_local_copy_at_once_and_reaches_the_store() {
    let s = signed_in(AVA).await;
    let new = draft("(212) 555-0100", "grace@example.com");
    let created = s.core.create_customer(&new).await.expect("created");
    assert_eq!(created.id, new.id, "under the form's id");
    assert_eq!(
        created.phone.as_deref(),
        Some("+12125550100"),
        "the phone is read in the store's country"
    );
    let profile = s
        .core
        .show_customer(&new.id)
        .await
        .expect("the profile opens at once, from the local copy");
    assert_eq!(
        profile.customer, created,
        "the local copy holds the backend's answer"
    );
    assert!(
        profile.customer.signed_up_at.is_some(),
        "with the sign-up date"
    );
    assert!(
        listed(&s, CustomerScope::Mine, &new.id).await,
        "the creator finds the new customer under Mine"
    );
    let again = s
        .core
        .create_customer(&new)
        .await
        .expect("a repeat is answered");
    assert_eq!(
        again, created,
        "saving the same form again creates no second customer"
    );

    let liam_dir = tempfile::tempdir().expect("a temporary folder");
    let liam = open_core(liam_dir.path(), &s.server.url(), &s.clock).await;
    liam.sign_in(LIAM, PASSWORD).await.expect("Liam signs in");
    eventually(
        "the new customer reaches another associate of the store",
        || async { liam.show_customer(&new.id).await.ok() },
    )
    .await;
    liam.shutdown().await;
    s.core.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c12_a_duplicate_phone_comes_back_as_an_existing_user_naming_the_phone() {
    let s = signed_in(AVA).await;
    s.core
        .create_customer(&draft("+12125550101", ""))
        .await
        .expect("the first is created");
    let refused = s
        .core
        .create_customer(&draft("(212) 555-0101", "grace@example.com"))
        .await
        .expect_err("the same number typed nationally is a duplicate");
    let error = ApiError::from(refused);
    assert_eq!(error.code, ErrorCode::AlreadyExists, "the backend's code");
    assert!(
        error.message.starts_with("user already exists"),
        "the backend's words: {}",
        error.message
    );
    assert!(
        error.field_message("phone").is_some(),
        "the phone field is named: {:?}",
        error.fields
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c12_an_invalid_form_is_refused_with_each_field_before_the_backend_is_asked() {
    let s = signed_in(AVA).await;
    let mut bad = draft("(012) 555-0100", "grace");
    bad.last_name = " ".into();
    let error = ApiError::from(s.core.create_customer(&bad).await.expect_err("invalid"));
    assert_eq!(error.code, ErrorCode::Unprocessable, "a 422-like refusal");
    for field in ["last_name", "phone", "email"] {
        assert!(
            error.field_message(field).is_some(),
            "{field} is named: {:?}",
            error.fields
        );
    }
    let found: Vec<Customer> = s.api.get_json("/customers?search=grace").await;
    assert!(
        found.iter().all(|c| c.id != bad.id),
        "the backend holds no such customer"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c12_offline_a_creation_says_so_and_leaves_nothing_half_made() {
    let Signed {
        server,
        core,
        data_dir,
        ..
    } = signed_in(AVA).await;
    let before = core
        .list_customers(query(CustomerScope::Store, ""))
        .await
        .expect("the clientbook lists")
        .rows
        .len();
    tokio::time::timeout(DEADLINE, server.shutdown())
        .await
        .expect("the mock backend shuts down");
    let new = draft("+12125550102", "");
    let error = ApiError::from(core.create_customer(&new).await.expect_err("offline"));
    assert_eq!(error.code, ErrorCode::Offline, "the offline code");
    assert_eq!(
        error.message, "you are offline: the customer was not created; try again",
        "the message says nothing was created"
    );
    assert!(
        core.show_customer(&new.id).await.is_err(),
        "no customer in the local copy"
    );
    let after = core
        .list_customers(query(CustomerScope::Store, ""))
        .await
        .expect("the clientbook lists")
        .rows
        .len();
    assert_eq!(after, before, "the clientbook is as it was");
    core.shutdown().await;
    drop(data_dir);
}

/// The versions of customer `id` in the feed `api` reads after `after`, oldest first.
async fn logged_versions(api: &Api, after: i64, id: &CustomerId) -> Vec<Customer> {
    let mut cursor = after;
    let mut versions = Vec::new();
    loop {
        let page: ChangesPage = api
            .get_json(&format!("/changes?after={cursor}&limit=1000"))
            .await;
        versions.extend(page.changes.into_iter().filter_map(|c| match c.data {
            ChangeData::Customer(customer) if customer.id == *id => Some(customer),
            _ => None,
        }));
        cursor = page.next_cursor;
        if !page.has_more {
            return versions;
        }
    }
}

fn renamed(first: &str, last: &str) -> UpdateCustomerRequest {
    UpdateCustomerRequest {
        id: None,
        first_name: first.into(),
        last_name: last.into(),
        gender: Some(Gender::NonBinary),
        birth_date: Some("1990-05-17".into()),
    }
}

async fn stop_server(server: RunningServer) {
    tokio::time::timeout(DEADLINE, server.shutdown())
        .await
        .expect("the mock backend shuts down");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c13_an_edit_shows_at_once_and_an_invalid_one_is_refused_before_it_is_queued() {
    let s = signed_in(AVA).await;
    let created = s
        .core
        .create_customer(&draft("+12125550103", ""))
        .await
        .expect("created");
    let edit = renamed(" Gracie ", "Hughes-Park");
    let edited = s
        .core
        .update_customer(&created.id, &edit)
        .await
        .expect("edited");
    assert_eq!(
        edited.full_name(),
        "Gracie Hughes-Park",
        "the edit is answered at once, trimmed"
    );
    eventually("the backend has the edit", || async {
        let found: Vec<Customer> = s.api.get_json("/customers?search=Gracie").await;
        found
            .iter()
            .find(|c| c.id == created.id)
            .filter(|c| {
                c.full_name() == "Gracie Hughes-Park" && c.gender == Some(Gender::NonBinary)
            })
            .map(drop)
    })
    .await;
    let future = UpdateCustomerRequest {
        birth_date: Some("2999-01-01".into()),
        ..edit
    };
    let error = ApiError::from(
        s.core
            .update_customer(&created.id, &future)
            .await
            .expect_err("a date of birth in the future"),
    );
    assert!(
        error.field_message("birth_date").is_some(),
        "the date of birth is named: {:?}",
        error.fields
    );
    eventually("nothing waits once the backend has the edit", || async {
        let profile = s.core.show_customer(&created.id).await.ok()?;
        (!profile.details_pending).then_some(())
    })
    .await;
    s.core.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c13_an_edit_made_offline_shows_at_once_survives_a_restart_and_reaches_the_backend_once() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let backend_db = dir.path().join("backend.db");
    let app_dir = dir.path().join("app");
    let clock = Arc::new(ManualClock::starting_now());
    let server = spawn_server(0, Some(backend_db.clone())).await;
    let first_url = server.url();
    let core = open_core(&app_dir, &first_url, &clock).await;
    core.sign_in(AVA, PASSWORD).await.expect("signs in");
    let created = core
        .create_customer(&draft("+12125550104", ""))
        .await
        .expect("created online");
    let before = Api::sign_in(&first_url, AVA).await.cursor().await;
    core.shutdown().await;
    stop_server(server).await;

    let offline = open_core(&app_dir, &first_url, &clock).await;
    let edited = offline
        .update_customer(&created.id, &renamed("Gracie", "Offline"))
        .await
        .expect("an edit is made offline (C13)");
    assert_eq!(edited.full_name(), "Gracie Offline", "answered as shown");
    let profile = offline
        .show_customer(&created.id)
        .await
        .expect("the profile opens");
    assert_eq!(
        profile.customer.full_name(),
        "Gracie Offline",
        "the profile shows the edit at once"
    );
    assert!(profile.details_pending, "and says it is not saved yet");
    assert!(
        offline
            .list_customers(query(CustomerScope::Store, "Gracie Off"))
            .await
            .expect("the clientbook lists")
            .rows
            .iter()
            .any(|row| row.customer.id == created.id),
        "the clientbook finds the customer by the new name"
    );
    assert_eq!(
        offline
            .count_unsent_work()
            .await
            .expect("counts")
            .customer_edits,
        1,
        "signing out would warn of the waiting edit"
    );
    offline.shutdown().await;

    let restarted = open_core(&app_dir, &first_url, &clock).await;
    let kept = restarted
        .show_customer(&created.id)
        .await
        .expect("the profile opens after a restart");
    assert!(
        kept.customer.full_name() == "Gracie Offline" && kept.details_pending,
        "the edit and its waiting survive a restart"
    );
    restarted.shutdown().await;

    let server = spawn_server(0, Some(backend_db)).await;
    let core = open_core(&app_dir, &server.url(), &clock).await;
    let api = Api::sign_in(&server.url(), AVA).await;
    eventually("the local copy shows the edit saved", || async {
        let shown = core.show_customer(&created.id).await.ok()?;
        (!shown.details_pending && shown.customer.full_name() == "Gracie Offline").then_some(())
    })
    .await;
    let versions = logged_versions(&api, before, &created.id).await;
    assert_eq!(
        versions.iter().map(Customer::full_name).collect::<Vec<_>>(),
        vec!["Gracie Offline".to_owned()],
        "the backend made the edit once"
    );
    core.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c13_an_edit_whose_answer_was_lost_is_sent_again_under_its_id_and_made_once() {
    let server = spawn_server(0, None).await;
    let proxy = FaultyProxy::start(&server.url()).await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clock = Arc::new(ManualClock::starting_now());
    let core = open_core_with(dir.path(), &proxy.url(), &clock, QUICK).await;
    core.sign_in(AVA, PASSWORD).await.expect("signs in");
    let created = core
        .create_customer(&draft("+12125550105", ""))
        .await
        .expect("created");
    let api = Api::sign_in(&server.url(), AVA).await;
    let before = api.cursor().await;
    proxy.fail_first(Method::PATCH, "/customers/", 1, FaultAnswer::GarbledAnswer);
    core.update_customer(&created.id, &renamed("Gracie", "Twice"))
        .await
        .expect("edited");
    eventually("the edit is saved", || async {
        let shown = core.show_customer(&created.id).await.ok()?;
        (!shown.details_pending).then_some(())
    })
    .await;
    assert_eq!(
        proxy.count(&Method::PATCH, "/customers/"),
        2,
        "the edit was sent again after its answer was lost"
    );
    assert_eq!(
        logged_versions(&api, before, &created.id).await.len(),
        1,
        "the backend made it once: the second request carried the same id"
    );
    core.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c13_an_edit_the_backend_refuses_rolls_back_to_the_backends_details_with_the_reason() {
    let Signed {
        server,
        core,
        clock,
        mut events,
        api,
        data_dir,
    } = signed_in(AVA).await;
    let created = core
        .create_customer(&draft("+12125550106", ""))
        .await
        .expect("created");
    // The device's clock runs two years ahead: it takes a date of birth the backend, on
    // today's date, finds in the future.
    clock.advance(2 * 366 * 24 * 60 * 60 * 1000);
    let next_year = Date::of_day(clock.now().plus_ms(-366 * 24 * 60 * 60 * 1000)).to_string();
    let refused = UpdateCustomerRequest {
        birth_date: Some(next_year),
        ..renamed("Never", "Saved")
    };
    let shown = core
        .update_customer(&created.id, &refused)
        .await
        .expect("the device takes the edit");
    assert_eq!(shown.full_name(), "Never Saved", "shown at once");
    let failure = wait_for_event(&mut events, "the backend refuses the edit", |e| {
        matches!(e, AppEvent::Failure { .. })
    })
    .await;
    let AppEvent::Failure { error } = failure else {
        unreachable!("the wait matched a failure");
    };
    assert_eq!(
        error.code,
        ErrorCode::Unprocessable,
        "a 422: {}",
        error.message
    );
    assert!(
        error.message.contains("details could not be saved") && error.message.contains("birth"),
        "the reason names what was refused: {}",
        error.message
    );
    let profile = core
        .show_customer(&created.id)
        .await
        .expect("the profile opens");
    assert_eq!(
        (profile.customer.full_name(), profile.customer.birth_date),
        (created.full_name(), created.birth_date),
        "the local copy is back to the backend's details"
    );
    assert!(!profile.details_pending, "nothing waits any more");
    let found: Vec<Customer> = api.get_json("/customers?search=Grace").await;
    assert_eq!(
        found
            .iter()
            .find(|c| c.id == created.id)
            .map(Customer::full_name),
        Some(created.full_name()),
        "the backend kept its details"
    );
    core.shutdown().await;
    drop((server, data_dir));
}
