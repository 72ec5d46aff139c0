//! Customer attributes against a real server (C15): the demo configuration, values of
//! every type set and stamped by the server, refused with a clear 422 when they break their
//! rule or 403 without `edit_customers`, cleared by a `null` value (not when the attribute
//! is not editable), and each change reaching the feed of the customer's stores.

mod support;

use clienteling_domain::api::{Change, ChangeData};
use clienteling_domain::attribute::{
    AttributeDefinition, AttributeValue, CustomerAttributes, Date, SetAttributeRequest,
};
use clienteling_domain::layout::CustomerLayout;
use clienteling_domain::{ApiError, CustomerId, ErrorCode};
use clienteling_mock_server::routes::ClockNow;
use serde_json::{json, Value};
use support::{Backend, ADMIN, AVA, LUCAS, NOAH};

/// `PUT /customers/{id}/attributes` with a raw JSON body.
async fn put(backend: &Backend, token: &str, customer: &str, body: Value) -> reqwest::Response {
    backend
        .http
        .put(backend.api(&format!("/customers/{customer}/attributes")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("the backend answers")
}

async fn set(
    backend: &Backend,
    token: &str,
    customer: &str,
    key: &str,
    value: AttributeValue,
) -> CustomerAttributes {
    let body = serde_json::to_value(SetAttributeRequest {
        key: key.into(),
        value: Some(value),
    })
    .expect("serializable");
    let response = put(backend, token, customer, body).await;
    assert_eq!(response.status(), 200, "setting {key} succeeds");
    response.json().await.expect("the customer's values")
}

async fn refusal(response: reqwest::Response) -> (u16, ApiError) {
    let status = response.status().as_u16();
    (status, response.json().await.expect("an ApiError body"))
}

/// A customer of the New York store only.
async fn new_york_customer(backend: &Backend, token: &str) -> CustomerId {
    let (_, customers) = backend.view(token).await;
    customers
        .into_iter()
        .find(|c| c.store_ids.len() == 1)
        .expect("New York has customers of its own")
        .id
}

fn attribute_changes(changes: &[Change], customer: &CustomerId) -> Vec<CustomerAttributes> {
    changes
        .iter()
        .filter_map(|change| match &change.data {
            ChangeData::CustomerAttributes(values) if &values.customer_id == customer => {
                Some(values.clone())
            }
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn c15_the_configuration_lists_typed_definitions_and_a_layout_of_standard_and_custom_sections(
) {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let definitions: Vec<AttributeDefinition> = backend.get(&ava.token, "/config/attributes").await;
    let keys: Vec<&str> = definitions.iter().map(|d| d.key.as_str()).collect();
    for key in [
        "birthday",
        "preferred_size",
        "tier",
        "favourite_category",
        "colours",
        "newsletter",
    ] {
        assert!(keys.contains(&key), "the demo defines {key}: {keys:?}");
    }
    let layout: CustomerLayout = backend.get(&ava.token, "/config/customer-layout").await;
    let sections: Vec<&str> = layout.sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(
        sections.first(),
        Some(&"profile"),
        "the profile section comes first"
    );
    assert!(
        sections.contains(&"notes"),
        "a standard section is named by its key"
    );
    let style = layout
        .sections
        .iter()
        .find(|s| s.key == "style_notes")
        .expect("a custom Style notes section");
    assert!(
        style.custom && !style.attributes.is_empty(),
        "a custom section shows attributes"
    );
    let (changes, _) = backend.changes(&ava.token, 0).await;
    let customer = new_york_customer(&backend, &ava.token).await;
    let seeded = attribute_changes(&changes, &customer);
    assert!(
        seeded
            .first()
            .is_some_and(|values| values.value("birthday").is_some()),
        "every demo customer's values come through the feed: {seeded:?}"
    );
}

#[tokio::test]
async fn c15_a_value_of_each_type_is_stored_stamped_by_the_server_and_fed_to_the_customers_stores()
{
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let customer = new_york_customer(&backend, &ava.token).await;
    let (seeded, cursor) = backend.changes(&ava.token, 0).await;
    let newsletter = !matches!(
        attribute_changes(&seeded, &customer)
            .last()
            .and_then(|values| values.value("newsletter")),
        Some(AttributeValue::Boolean(true))
    );
    let birthday = Date::parse("1991-03-04").expect("a date");
    let cases = [
        (
            "birthday",
            AttributeValue::Date(birthday),
            AttributeValue::Date(birthday),
        ),
        (
            "visits",
            AttributeValue::Number(7.0),
            AttributeValue::Number(7.0),
        ),
        (
            "newsletter",
            AttributeValue::Boolean(newsletter),
            AttributeValue::Boolean(newsletter),
        ),
        (
            "fit_notes",
            AttributeValue::Text("  Slim fit  ".into()),
            AttributeValue::Text("Slim fit".into()),
        ),
        (
            "colours",
            AttributeValue::Choices(vec!["navy".into(), "Red".into()]),
            AttributeValue::Choices(vec!["Navy".into(), "Red".into()]),
        ),
    ];
    let before: ClockNow = backend
        .http
        .post(backend.api("/simulator/clock"))
        .json(&json!({ "advance_ms": 86_400_000 }))
        .send()
        .await
        .expect("the backend answers")
        .json()
        .await
        .expect("the server's time");
    for (key, sent, stored) in cases {
        let answer = set(&backend, &ava.token, customer.as_str(), key, sent).await;
        let value = answer
            .values
            .iter()
            .find(|v| v.key == key)
            .unwrap_or_else(|| panic!("the answer holds {key}"));
        assert_eq!(
            value.value, stored,
            "{key} is stored as the rule normalizes it"
        );
        assert_eq!(
            value.modified_by.as_ref().map(|s| s.as_str()),
            Some("staff-ava"),
            "{key} names who set it"
        );
        assert_eq!(
            value.modified_by_name.as_deref(),
            Some("Ava Johnson"),
            "{key} names them by name"
        );
        assert!(
            value.modified_at >= before.now,
            "{key} is stamped by the server's clock"
        );
    }
    let (changes, _) = backend.changes(&ava.token, cursor).await;
    let fed = attribute_changes(&changes, &customer);
    assert_eq!(
        fed.len(),
        1,
        "the page carries the customer's values once, as now"
    );
    assert_eq!(
        fed[0].value("fit_notes"),
        Some(&AttributeValue::Text("Slim fit".into())),
        "the feed carries the latest values"
    );
    let mia = backend.sign_in(ADMIN).await;
    let (admin_changes, _) = backend.changes(&mia.token, cursor).await;
    assert_eq!(
        attribute_changes(&admin_changes, &customer).len(),
        1,
        "another staff member of the store hears of it"
    );
    let noah = backend.sign_in(NOAH).await;
    let (london, _) = backend.changes(&noah.token, cursor).await;
    assert!(
        attribute_changes(&london, &customer).is_empty(),
        "a store the customer is not known to hears nothing"
    );

    let (_, after_set) = backend.changes(&ava.token, cursor).await;
    set(
        &backend,
        &ava.token,
        customer.as_str(),
        "visits",
        AttributeValue::Number(7.0),
    )
    .await;
    let (repeated, _) = backend.changes(&ava.token, after_set).await;
    assert!(
        attribute_changes(&repeated, &customer).is_empty(),
        "sending the same value again changes nothing"
    );
}

#[tokio::test]
async fn c15_a_null_value_clears_the_customers_value_and_the_feed_carries_their_values_without_it()
{
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let customer = new_york_customer(&backend, &ava.token).await;
    set(
        &backend,
        &ava.token,
        customer.as_str(),
        "fit_notes",
        AttributeValue::Text("Slim fit".into()),
    )
    .await;
    let (_, cursor) = backend.changes(&ava.token, 0).await;
    let response = put(
        &backend,
        &ava.token,
        customer.as_str(),
        json!({"key": "fit_notes", "value": null}),
    )
    .await;
    assert_eq!(response.status(), 200, "clearing a value succeeds");
    let answer: CustomerAttributes = response.json().await.expect("the customer's values");
    assert_eq!(
        answer.value("fit_notes"),
        None,
        "the answer no longer holds the cleared value"
    );
    let (changes, after_clear) = backend.changes(&ava.token, cursor).await;
    let fed = attribute_changes(&changes, &customer);
    assert_eq!(fed.len(), 1, "the clearing reaches the feed once");
    assert_eq!(
        fed[0].value("fit_notes"),
        None,
        "the feed carries the customer's values without the cleared one"
    );

    let again = put(
        &backend,
        &ava.token,
        customer.as_str(),
        json!({"key": "fit_notes"}),
    )
    .await;
    assert_eq!(again.status(), 200, "clearing again is answered");
    let (repeated, _) = backend.changes(&ava.token, after_clear).await;
    assert!(
        attribute_changes(&repeated, &customer).is_empty(),
        "clearing a value the customer does not have changes nothing"
    );

    let (status, error) = refusal(
        put(
            &backend,
            &ava.token,
            customer.as_str(),
            json!({"key": "tier", "value": null}),
        )
        .await,
    )
    .await;
    assert_eq!(
        status, 422,
        "a value that is not editable cannot be cleared either"
    );
    assert_eq!(
        error.code,
        ErrorCode::InvalidValue,
        "the code says invalid value"
    );
}

#[tokio::test]
async fn c15_values_breaking_their_rule_are_refused_with_422_and_a_message_naming_it() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let customer = new_york_customer(&backend, &ava.token).await;
    let cases = [
        (
            json!({"key": "preferred_size", "value": {"type": "choices", "value": ["XXL"]}}),
            "Preferred size must be one of XS, S, M, L, XL",
        ),
        (
            json!({"key": "preferred_size", "value": {"type": "choices", "value": ["S", "M"]}}),
            "Preferred size takes only one of its options",
        ),
        (
            json!({"key": "visits", "value": {"type": "text", "value": "many"}}),
            "Visits this year must be a number, e.g. 42 or 9.5",
        ),
        (
            json!({"key": "newsletter", "value": {"type": "number", "value": 1}}),
            "Newsletter must be yes or no",
        ),
        (
            json!({"key": "fit_notes", "value": {"type": "text", "value": "x".repeat(501)}}),
            "Fit notes can be at most 500 characters long",
        ),
        (
            json!({"key": "fit_notes", "value": {"type": "text", "value": "   "}}),
            "Fit notes needs a value",
        ),
        (
            json!({"key": "tier", "value": {"type": "choices", "value": ["Gold"]}}),
            "Tier cannot be changed",
        ),
        (
            json!({"key": "shoe_colour", "value": {"type": "text", "value": "red"}}),
            "there is no attribute \"shoe_colour\"",
        ),
    ];
    for (body, message) in cases {
        let (status, error) =
            refusal(put(&backend, &ava.token, customer.as_str(), body.clone()).await).await;
        assert_eq!(status, 422, "{body} is unprocessable");
        assert_eq!(
            error.code,
            ErrorCode::InvalidValue,
            "{body}: the code says invalid_value"
        );
        assert_eq!(error.message, message, "{body}: the message names the rule");
    }
    let (status, error) = refusal(
        put(
            &backend,
            &ava.token,
            customer.as_str(),
            json!({"key": "birthday", "value": {"type": "date", "value": "1990-02-30"}}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, error.code),
        (400, ErrorCode::InvalidInput),
        "an impossible date is a malformed body: {}",
        error.message
    );
}

#[tokio::test]
async fn c15_only_staff_with_edit_customers_of_the_customers_stores_set_values() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let customer = new_york_customer(&backend, &ava.token).await;
    let body = json!({"key": "newsletter", "value": {"type": "boolean", "value": true}});
    let lucas = backend.sign_in(LUCAS).await;
    let (status, error) =
        refusal(put(&backend, &lucas.token, customer.as_str(), body.clone()).await).await;
    assert_eq!(
        (status, error.code),
        (403, ErrorCode::Forbidden),
        "a seasonal associate may not edit"
    );
    assert!(
        error.message.contains("edit_customers"),
        "the refusal names the permission: {}",
        error.message
    );
    let noah = backend.sign_in(NOAH).await;
    let (status, _) =
        refusal(put(&backend, &noah.token, customer.as_str(), body.clone()).await).await;
    assert_eq!(
        status, 404,
        "a customer outside the caller's stores is not found"
    );
    let (status, _) = refusal(put(&backend, &ava.token, "no-such-customer", body).await).await;
    assert_eq!(status, 404, "an unknown customer is not found");
    let huge_key = json!({"key": "k".repeat(10_000), "value": {"type": "boolean", "value": true}});
    let (status, error) =
        refusal(put(&backend, &ava.token, customer.as_str(), huge_key).await).await;
    assert_eq!(
        (status, error.code),
        (400, ErrorCode::InvalidInput),
        "a hostile key is refused without being echoed: {}",
        error.message
    );
}
