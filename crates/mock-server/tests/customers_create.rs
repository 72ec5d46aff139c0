//! Creating a customer (C12) and editing their details (C13) against a real server: created
//! once under the client's id, a duplicate phone (in any format) or email (in any case)
//! refused as "user already exists" naming the field, refused without `edit_customers`,
//! masked for staff without `view_sensitive_data`, and carried to the store's other staff
//! by the change feed, edits included.

mod support;

use clienteling_domain::api::{ChangeData, Customer};
use clienteling_domain::customer_details::{CreateCustomerRequest, Gender, UpdateCustomerRequest};
use clienteling_domain::masking::{mask_email, mask_phone};
use clienteling_domain::{ApiError, CustomerId, ErrorCode};
use clienteling_mock_server::demo::{STORE_LON, STORE_NYC};
use serde_json::Value;
use support::{Backend, AVA, LIAM, LUCAS, MIA, NOAH};

fn request(phone: Option<&str>, email: Option<&str>) -> CreateCustomerRequest {
    CreateCustomerRequest {
        id: CustomerId(uuid::Uuid::new_v4().to_string()),
        store_id: STORE_NYC.into(),
        first_name: "Grace".into(),
        last_name: "Hughes".into(),
        gender: Some(Gender::Female),
        phone: phone.map(str::to_owned),
        email: email.map(str::to_owned),
        active: true,
    }
}

async fn send(
    backend: &Backend,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: &impl serde::Serialize,
) -> (u16, Value) {
    let response = backend
        .http
        .request(method, backend.api(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("the backend answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn create(backend: &Backend, token: &str, request: &CreateCustomerRequest) -> (u16, Value) {
    send(backend, reqwest::Method::POST, token, "/customers", request).await
}

async fn update(
    backend: &Backend,
    token: &str,
    id: &CustomerId,
    request: &UpdateCustomerRequest,
) -> (u16, Value) {
    let path = format!("/customers/{id}");
    send(backend, reqwest::Method::PATCH, token, &path, request).await
}

fn customer(body: Value) -> Customer {
    serde_json::from_value(body).expect("a customer")
}

fn error(body: Value) -> ApiError {
    serde_json::from_value(body).expect("an ApiError body")
}

/// The latest version of `id` in the feed `token` reads after `after`, if any.
async fn in_feed(backend: &Backend, token: &str, after: i64, id: &CustomerId) -> Option<Customer> {
    let (changes, _) = backend.changes(token, after).await;
    changes
        .into_iter()
        .rev()
        .find_map(|change| match change.data {
            ChangeData::Customer(customer) if customer.id == *id => Some(customer),
            _ => None,
        })
}

async fn cursor(backend: &Backend, token: &str) -> i64 {
    backend.changes(token, 0).await.1
}

#[tokio::test]
async fn c12_a_new_customer_belongs_to_the_store_and_its_creator_and_reaches_the_stores_staff() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let liam = backend.sign_in(LIAM).await;
    let noah = backend.sign_in(NOAH).await;
    let liam_from = cursor(&backend, &liam.token).await;
    let noah_from = cursor(&backend, &noah.token).await;
    let new = request(Some("(212) 555-0100"), Some("grace@example.com"));
    let (status, body) = create(&backend, &ava.token, &new).await;
    assert_eq!(status, 201, "created: {body}");
    let created = customer(body);
    assert_eq!(created.id, new.id, "under the client's id");
    assert_eq!(
        created.phone.as_deref(),
        Some("+12125550100"),
        "the national number is read in the store's country and stored in E.164"
    );
    assert_eq!(
        created.store_ids,
        vec![STORE_NYC.into()],
        "known to the store it was created in"
    );
    assert_eq!(
        created.assigned_staff_ids,
        vec![ava.staff.id.clone()],
        "assigned to its creator"
    );
    assert_eq!(created.gender, Some(Gender::Female), "the gender is kept");
    assert!(created.active, "active as asked");
    assert!(created.signed_up_at.is_some(), "signed up now");
    assert_eq!(
        in_feed(&backend, &liam.token, liam_from, &new.id).await,
        Some(created.clone()),
        "another associate of the store gets the new customer through the feed"
    );
    assert_eq!(
        in_feed(&backend, &noah.token, noah_from, &new.id).await,
        None,
        "staff of another store do not"
    );
    let seen: Vec<Customer> = backend
        .get(
            &ava.token,
            &format!("/customers?search={}", "%2B12125550100"),
        )
        .await;
    assert!(
        seen.iter().any(|c| c.id == new.id),
        "the search finds the new customer by phone"
    );
}

#[tokio::test]
async fn c12_a_repeated_creation_answers_the_same_customer_and_another_under_its_id_is_refused() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let new = request(Some("+1 212 555 0101"), None);
    let (first, body) = create(&backend, &ava.token, &new).await;
    assert_eq!(first, 201, "created: {body}");
    let (again, repeated) = create(&backend, &ava.token, &new).await;
    assert_eq!(
        again, 200,
        "a repeat is answered, not created again: {repeated}"
    );
    assert_eq!(customer(repeated), customer(body), "the same customer");
    let from = cursor(&backend, &ava.token).await;
    let (_, _) = create(&backend, &ava.token, &new).await;
    assert_eq!(
        in_feed(&backend, &ava.token, from, &new.id).await,
        None,
        "a repeat announces nothing new"
    );
    let mut other = request(Some("+1 212 555 0102"), None);
    other.id = new.id.clone();
    let (status, body) = create(&backend, &ava.token, &other).await;
    assert_eq!(status, 409, "the id is taken by another request: {body}");
    assert_eq!(
        error(body).code,
        ErrorCode::Conflict,
        "a conflict, not a duplicate"
    );
}

#[tokio::test]
async fn c12_a_phone_typed_in_another_format_is_refused_as_an_existing_user_naming_the_phone() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let (status, body) = create(&backend, &ava.token, &request(Some("+12125550100"), None)).await;
    assert_eq!(status, 201, "the first is created: {body}");
    let typed = request(Some("(212) 555-0100"), Some("other@example.com"));
    let (status, body) = create(&backend, &ava.token, &typed).await;
    assert_eq!(
        status, 409,
        "the same number typed nationally is a duplicate: {body}"
    );
    let refusal = error(body);
    assert_eq!(refusal.code, ErrorCode::AlreadyExists, "its own code");
    assert_eq!(
        refusal.message,
        "user already exists: a customer with this phone number (+12125550100) already exists",
        "the message says which field"
    );
    assert!(
        refusal.field_message("phone").is_some() && refusal.field_message("email").is_none(),
        "the phone field carries the error, not the email: {:?}",
        refusal.fields
    );
    let (_, demo) = backend.view(&ava.token).await;
    let known = demo
        .iter()
        .find_map(|c| c.phone.clone().filter(|p| p.starts_with("+1")))
        .expect("a New York demo customer with a phone");
    let national = format!("({}) {}-{}", &known[2..5], &known[5..8], &known[8..]);
    let (status, body) = create(&backend, &ava.token, &request(Some(&national), None)).await;
    assert_eq!(
        status, 409,
        "a demo customer's {known} typed as {national} is taken: {body}"
    );
}

#[tokio::test]
async fn c12_an_email_in_another_case_is_refused_as_an_existing_user_naming_the_email() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let first = request(None, Some("Grace.Hughes@Example.com"));
    let (status, body) = create(&backend, &ava.token, &first).await;
    assert_eq!(status, 201, "created: {body}");
    let (status, body) = create(
        &backend,
        &ava.token,
        &request(Some("+1 212 555 0103"), Some("grace.hughes@example.com")),
    )
    .await;
    assert_eq!(
        status, 409,
        "the same email in lower case is a duplicate: {body}"
    );
    let refusal = error(body);
    assert_eq!(refusal.code, ErrorCode::AlreadyExists, "its own code");
    assert!(
        refusal
            .message
            .starts_with("user already exists: a customer with this email address"),
        "the message names the email: {}",
        refusal.message
    );
    assert!(
        refusal.field_message("email").is_some(),
        "the email field carries it"
    );
}

#[tokio::test]
async fn c12_invalid_details_are_refused_with_each_field_named() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let mut bad = request(Some("(012) 555-0100"), Some("grace"));
    bad.first_name = " ".into();
    let (status, body) = create(&backend, &ava.token, &bad).await;
    assert_eq!(status, 422, "invalid details: {body}");
    let refusal = error(body);
    for field in ["first_name", "phone", "email"] {
        assert!(
            refusal.field_message(field).is_some(),
            "{field} is named: {:?}",
            refusal.fields
        );
    }
    let mut elsewhere = request(Some("+1 212 555 0104"), None);
    elsewhere.store_id = STORE_LON.into();
    let (status, body) = create(&backend, &ava.token, &elsewhere).await;
    assert_eq!(
        status, 422,
        "Ava cannot create a customer in London: {body}"
    );
    let huge = "x".repeat(3 * 1024 * 1024);
    let mut hostile = request(Some("+1 212 555 0105"), None);
    hostile.first_name = huge;
    let (status, _) = create(&backend, &ava.token, &hostile).await;
    assert!(
        (400..500).contains(&status),
        "a body of megabytes is refused, not stored: {status}"
    );
}

#[tokio::test]
async fn c12_c13_staff_without_edit_customers_can_neither_create_nor_edit() {
    let backend = Backend::start().await;
    let lucas = backend.sign_in(LUCAS).await;
    let (status, body) = create(
        &backend,
        &lucas.token,
        &request(Some("+1 212 555 0106"), None),
    )
    .await;
    assert_eq!(status, 403, "a seasonal associate may not create: {body}");
    assert!(
        error(body).message.contains("edit_customers"),
        "the refusal names the permission"
    );
    let edit = UpdateCustomerRequest {
        id: None,
        first_name: "Grace".into(),
        last_name: "Hughes".into(),
        gender: None,
        birth_date: None,
    };
    let (status, _) = update(&backend, &lucas.token, &"cust-0002".into(), &edit).await;
    assert_eq!(status, 403, "nor edit");
}

#[tokio::test]
async fn c12_a_new_customer_reaches_staff_without_view_sensitive_data_masked() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let lucas = backend.sign_in(LUCAS).await;
    let from = cursor(&backend, &lucas.token).await;
    let (status, body) = create(
        &backend,
        &ava.token,
        &request(Some("+1 212 555 0107"), Some("grace@example.com")),
    )
    .await;
    assert_eq!(status, 201, "created: {body}");
    let created = customer(body);
    assert_eq!(
        created.phone.as_deref(),
        Some("+12125550107"),
        "Ava sees the phone"
    );
    let seen = in_feed(&backend, &lucas.token, from, &created.id)
        .await
        .expect("the seasonal associate of the store gets the customer");
    assert_eq!(
        seen.phone.as_deref(),
        Some(mask_phone("+12125550107").as_str()),
        "masked phone"
    );
    assert_eq!(
        seen.email.as_deref(),
        Some(mask_email("grace@example.com").as_str()),
        "masked email"
    );
}

#[tokio::test]
async fn c13_an_edit_changes_the_details_and_reaches_every_store_knowing_the_customer() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let mia = backend.sign_in(MIA).await;
    let (status, body) = create(
        &backend,
        &ava.token,
        &request(Some("+1 212 555 0108"), None),
    )
    .await;
    assert_eq!(status, 201, "created: {body}");
    let created = customer(body);
    let from = cursor(&backend, &mia.token).await;
    let edit = UpdateCustomerRequest {
        id: None,
        first_name: " Gracie ".into(),
        last_name: "Hughes-Park".into(),
        gender: Some(Gender::NonBinary),
        birth_date: Some("1990-05-17".into()),
    };
    let (status, body) = update(&backend, &ava.token, &created.id, &edit).await;
    assert_eq!(status, 200, "edited: {body}");
    let edited = customer(body);
    assert_eq!(
        edited.full_name(),
        "Gracie Hughes-Park",
        "names trimmed and changed"
    );
    assert_eq!(edited.gender, Some(Gender::NonBinary), "the gender changed");
    assert_eq!(
        edited.birth_date.map(|d| d.to_string()).as_deref(),
        Some("1990-05-17"),
        "the date of birth is set"
    );
    assert_eq!(
        edited.signed_up_at, created.signed_up_at,
        "the sign-up date stays"
    );
    assert!(edited.updated_at > created.updated_at, "marked as changed");
    assert_eq!(
        in_feed(&backend, &mia.token, from, &created.id).await,
        Some(edited),
        "the store's manager gets the edit through the feed"
    );
}

#[tokio::test]
async fn c13_an_invalid_edit_or_an_unknown_customer_is_refused() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let future = UpdateCustomerRequest {
        id: None,
        first_name: "Grace".into(),
        last_name: "Hughes".into(),
        gender: None,
        birth_date: Some("2999-01-01".into()),
    };
    let (status, body) = update(&backend, &ava.token, &"cust-0002".into(), &future).await;
    assert_eq!(status, 422, "a date of birth in the future: {body}");
    assert!(
        error(body).field_message("birth_date").is_some(),
        "the date of birth is named"
    );
    let valid = UpdateCustomerRequest {
        birth_date: Some("1980-01-31".into()),
        ..future
    };
    let (status, _) = update(&backend, &ava.token, &"cust-none".into(), &valid).await;
    assert_eq!(status, 404, "no such customer");
    let noah = backend.sign_in(NOAH).await;
    let (status, _) = update(&backend, &noah.token, &"cust-0002".into(), &valid).await;
    assert_eq!(
        status, 404,
        "a New York customer is unknown to a London associate"
    );
}

#[tokio::test]
async fn c13_an_edit_sent_again_under_its_id_changes_nothing_more_and_another_under_it_is_refused()
{
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let mia = backend.sign_in(MIA).await;
    let (status, body) = create(
        &backend,
        &ava.token,
        &request(Some("+1 212 555 0109"), None),
    )
    .await;
    assert_eq!(status, 201, "created: {body}");
    let created = customer(body);
    let edit = UpdateCustomerRequest {
        id: Some(uuid::Uuid::new_v4().to_string().into()),
        first_name: "Gracie".into(),
        last_name: "Hughes".into(),
        gender: None,
        birth_date: None,
    };
    let (status, body) = update(&backend, &ava.token, &created.id, &edit).await;
    assert_eq!(status, 200, "the edit is made: {body}");
    let later = UpdateCustomerRequest {
        id: None,
        first_name: "Grace".into(),
        last_name: "Hughes-Park".into(),
        ..edit.clone()
    };
    let (status, body) = update(&backend, &mia.token, &created.id, &later).await;
    assert_eq!(status, 200, "a colleague edits after: {body}");
    let after_colleague = customer(body);
    let from = cursor(&backend, &mia.token).await;

    let (status, body) = update(&backend, &ava.token, &created.id, &edit).await;
    assert_eq!(status, 200, "the repeat is answered: {body}");
    assert_eq!(
        customer(body),
        after_colleague,
        "the repeat (an app resending after a lost answer) answers the customer as now, not undoing the later edit"
    );
    assert_eq!(
        in_feed(&backend, &mia.token, from, &created.id).await,
        None,
        "the repeat announces no change"
    );

    let other = UpdateCustomerRequest {
        first_name: "Someone".into(),
        ..edit.clone()
    };
    let (status, body) = update(&backend, &ava.token, &created.id, &other).await;
    assert_eq!(status, 409, "another edit under a used id: {body}");
    assert_eq!(error(body).code, ErrorCode::Conflict, "a conflict");
    let bad_id = UpdateCustomerRequest {
        id: Some("not-a-uuid".into()),
        ..edit
    };
    let (status, body) = update(&backend, &ava.token, &created.id, &bad_id).await;
    assert_eq!(status, 422, "an id that is no UUID: {body}");
    assert!(error(body).field_message("id").is_some(), "the id is named");
}
