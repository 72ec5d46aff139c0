//! Creating a customer (C12) and editing their details (C13) through the core, online: a
//! new customer is in the local copy at once and reaches the store's other staff through
//! the feed; the backend's "user already exists" comes back naming the field; invalid
//! forms are refused before the backend is asked; offline nothing is created, not even
//! half; an edit reaches the backend and stays in the local copy across a restart.

use clienteling_domain::api::Customer;
use clienteling_domain::customer_details::{CustomerDraft, Gender, UpdateCustomerRequest};
use clienteling_domain::view::{CustomerQuery, CustomerScope};
use clienteling_domain::{ApiError, CustomerId, ErrorCode};

use crate::harness::{eventually, open_core, signed_in, Signed, AVA, DEADLINE, PASSWORD};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c13_an_edit_reaches_the_backend_and_stays_in_the_local_copy_across_a_restart() {
    let s = signed_in(AVA).await;
    let created = s
        .core
        .create_customer(&draft("+12125550103", ""))
        .await
        .expect("created");
    let edit = UpdateCustomerRequest {
        first_name: "Gracie".into(),
        last_name: "Hughes-Park".into(),
        gender: Some(Gender::NonBinary),
        birth_date: Some("1990-05-17".into()),
    };
    let edited = s
        .core
        .update_customer(&created.id, &edit)
        .await
        .expect("edited");
    assert_eq!(edited.full_name(), "Gracie Hughes-Park", "the new name");
    let found: Vec<Customer> = s.api.get_json("/customers?search=Gracie").await;
    assert_eq!(
        found.iter().find(|c| c.id == created.id),
        Some(&edited),
        "the backend has the edit"
    );
    let future = UpdateCustomerRequest {
        birth_date: Some("2999-01-01".into()),
        ..edit.clone()
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

    let Signed {
        server,
        core,
        clock,
        data_dir,
        ..
    } = s;
    core.shutdown().await;
    let reopened = open_core(data_dir.path(), &server.url(), &clock).await;
    let profile = reopened
        .show_customer(&created.id)
        .await
        .expect("the profile opens after a restart");
    assert_eq!(
        profile.customer.full_name(),
        "Gracie Hughes-Park",
        "the edit is kept"
    );
    assert_eq!(
        profile
            .customer
            .birth_date
            .map(|d| d.to_string())
            .as_deref(),
        Some("1990-05-17"),
        "with the date of birth"
    );
    assert_eq!(
        profile.customer.gender,
        Some(Gender::NonBinary),
        "and the gender"
    );
    reopened.shutdown().await;
}
