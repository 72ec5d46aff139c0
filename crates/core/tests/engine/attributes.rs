//! Customer attributes in the engine (C1, C5, C15): a value set offline reaches the backend
//! once after a restart, the clientbook's attribute filters list exactly the customers the
//! backend's values match, each row shows the customer's tier (the attribute the
//! configuration lists), and a cleared value is gone at once, from the backend and from the
//! store's other devices.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use clienteling_core::{ManualClock, SystemClock};
use clienteling_domain::api::{ChangeData, ChangesPage};
use clienteling_domain::attribute::{
    AttributeCondition, AttributeFilter, AttributeValue, Comparison, CustomerAttributes,
};
use clienteling_domain::time::HOUR_MS;
use clienteling_domain::view::{CustomerQuery, CustomerScope, RowTag};
use clienteling_domain::{Clock, CustomerId, ErrorCode, StoreId};

use crate::harness::{
    eventually, open_core, signed_in, spawn_server, Api, Signed, AVA, DEADLINE, PASSWORD,
};

/// Every customer's attribute values as the backend holds them, from its feed.
async fn backend_values(api: &Api) -> HashMap<CustomerId, CustomerAttributes> {
    let mut cursor = 0;
    let mut values = HashMap::new();
    loop {
        let page: ChangesPage = api
            .get_json(&format!("/changes?after={cursor}&limit=1000"))
            .await;
        for change in page.changes {
            if let ChangeData::CustomerAttributes(of_customer) = change.data {
                values.insert(of_customer.customer_id.clone(), of_customer);
            }
        }
        cursor = page.next_cursor;
        if !page.has_more {
            return values;
        }
    }
}

/// Signs `login` in and waits until the backfill brought every customer and their values.
async fn with_whole_clientbook(login: &str) -> Signed {
    let s = signed_in(login).await;
    eventually("the backfill completes", || async {
        s.core
            .session()
            .await
            .expect("the session reads")
            .filter(|session| session.history.complete)
            .map(drop)
    })
    .await;
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c5_a_filter_on_two_attributes_lists_exactly_the_customers_the_backend_values_match() {
    let s = with_whole_clientbook(AVA).await;
    let nyc = StoreId::from("store-nyc");
    let snapshot = s.api.snapshot().await;
    let values = backend_values(&s.api).await;
    let filters = vec![
        AttributeCondition {
            key: "newsletter".into(),
            filter: AttributeFilter::Boolean(true),
        },
        AttributeCondition {
            key: "preferred_size".into(),
            filter: AttributeFilter::AnyOf(vec!["m".into(), "L".into()]),
        },
    ];
    let expected: BTreeSet<CustomerId> = snapshot
        .customers
        .values()
        .filter(|c| c.store_ids.contains(&nyc))
        .filter(|c| {
            values
                .get(&c.id)
                .is_some_and(|v| AttributeCondition::all_match(&filters, v))
        })
        .map(|c| c.id.clone())
        .collect();
    assert!(
        !expected.is_empty() && expected.len() < 100,
        "the demo has some, not all, such customers in a page: {}",
        expected.len()
    );
    let page = s
        .core
        .list_customers(CustomerQuery {
            scope: CustomerScope::Store,
            search: String::new(),
            filters: filters.clone(),
        })
        .await
        .expect("the filtered clientbook lists");
    let listed: BTreeSet<CustomerId> = page.rows.iter().map(|r| r.customer.id.clone()).collect();
    assert_eq!(
        listed, expected,
        "exactly the customers passing both filters (AND)"
    );

    let busy = AttributeCondition {
        key: "visits".into(),
        filter: AttributeFilter::NumberCompare {
            op: Comparison::Ge,
            value: 12.0,
        },
    };
    let page = s
        .core
        .list_customers(CustomerQuery {
            scope: CustomerScope::Store,
            search: String::new(),
            filters: vec![filters[0].clone(), busy.clone()],
        })
        .await
        .expect("a number comparison lists");
    let expected_busy = snapshot
        .customers
        .values()
        .filter(|c| c.store_ids.contains(&nyc))
        .filter(|c| {
            values.get(&c.id).is_some_and(|v| {
                AttributeCondition::all_match(&[filters[0].clone(), busy.clone()], v)
            })
        })
        .count();
    assert_eq!(
        page.rows.len(),
        expected_busy.min(100),
        "a number comparison with a boolean"
    );

    let refused = s
        .core
        .list_customers(CustomerQuery {
            scope: CustomerScope::Store,
            search: String::new(),
            filters: vec![AttributeCondition {
                key: "tier".into(),
                filter: AttributeFilter::TextContains("gold".into()),
            }],
        })
        .await
        .expect_err("a filter the attribute's type does not allow is refused");
    assert_eq!(
        refused.code(),
        ErrorCode::InvalidValue,
        "the refusal says why: {refused}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c1_each_clientbook_row_shows_the_customers_tier_from_the_local_copy() {
    let s = with_whole_clientbook(AVA).await;
    let values = backend_values(&s.api).await;
    let page = s
        .core
        .list_customers(CustomerQuery {
            scope: CustomerScope::Store,
            search: String::new(),
            filters: Vec::new(),
        })
        .await
        .expect("the clientbook lists");
    assert!(!page.rows.is_empty(), "the store has customers");
    for row in &page.rows {
        let expected: Vec<RowTag> = values
            .get(&row.customer.id)
            .and_then(|v| v.value("tier"))
            .map(|tier| RowTag {
                key: "tier".into(),
                label: "Tier".into(),
                text: tier.display(),
            })
            .into_iter()
            .collect();
        assert_eq!(
            row.tags,
            expected,
            "{}'s row shows their tier and no other attribute (only the tier is listed)",
            row.customer.full_name()
        );
    }
    assert!(
        page.rows.iter().any(|row| !row.tags.is_empty()),
        "the demo's customers have tiers to show"
    );
}

/// The value of `key` a device shows on the customer's profile (`Some(None)`: no value);
/// `None` while the device does not have the customer yet.
async fn shown_value(
    core: &clienteling_core::Core,
    customer: &CustomerId,
    key: &str,
) -> Option<Option<AttributeValue>> {
    let shown = core.show_customer_attributes(customer).await.ok()?;
    Some(
        shown
            .rows
            .into_iter()
            .find(|row| row.definition.key == key)
            .and_then(|row| row.value.map(|v| v.value)),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c15_a_cleared_value_is_gone_at_once_then_from_the_backend_and_the_stores_other_devices() {
    let s = signed_in(AVA).await;
    let nyc = StoreId::from("store-nyc");
    let customer = s
        .api
        .snapshot()
        .await
        .customers
        .into_values()
        .find(|c| c.store_ids.contains(&nyc))
        .expect("New York has customers")
        .id;
    let notes = AttributeValue::Text("Slim fit".into());
    s.core
        .set_attribute(&customer, "fit_notes", notes.clone())
        .await
        .expect("a value is set");
    let liam_dir = tempfile::tempdir().expect("a temporary folder");
    let liam = open_core(liam_dir.path(), &s.server.url(), &s.clock).await;
    liam.sign_in("liam.chen@clienteling.demo", PASSWORD)
        .await
        .expect("Liam signs in");
    eventually("another device of the store shows the value", || async {
        (shown_value(&liam, &customer, "fit_notes").await == Some(Some(notes.clone())))
            .then_some(())
    })
    .await;

    let shown = s
        .core
        .clear_attribute(&customer, "fit_notes")
        .await
        .expect("the value is cleared");
    let row = shown
        .rows
        .iter()
        .find(|r| r.definition.key == "fit_notes")
        .expect("the profile still lists the attribute");
    assert_eq!(row.value, None, "the value is gone at once");
    eventually("the backend no longer has the value", || async {
        let values = backend_values(&s.api).await;
        values
            .get(&customer)
            .is_none_or(|v| v.value("fit_notes").is_none())
            .then_some(())
    })
    .await;
    eventually("the store's other device drops the value", || async {
        (shown_value(&liam, &customer, "fit_notes").await == Some(None)).then_some(())
    })
    .await;
    assert_eq!(
        shown_value(&s.core, &customer, "fit_notes").await,
        Some(None),
        "the feed bringing the clearing back does not restore the value here"
    );

    let refused = s
        .core
        .clear_attribute(&customer, "tier")
        .await
        .expect_err("the tier is not editable");
    assert_eq!(
        refused.code(),
        ErrorCode::InvalidValue,
        "an attribute staff may not edit cannot be cleared: {refused}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c15_an_attribute_set_offline_reaches_the_backend_once_after_a_restart() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let backend_db = dir.path().join("backend.db");
    let app_dir = dir.path().join("app");
    let clock = Arc::new(ManualClock::new(SystemClock.now().plus_ms(-HOUR_MS)));

    let server = spawn_server(0, Some(backend_db.clone())).await;
    let core = open_core(&app_dir, &server.url(), &clock).await;
    core.sign_in(AVA, PASSWORD).await.expect("signs in");
    let api = Api::sign_in(&server.url(), AVA).await;
    let customer = api
        .snapshot()
        .await
        .customers
        .into_values()
        .next()
        .expect("the snapshot has customers")
        .id;
    core.shutdown().await;
    tokio::time::timeout(DEADLINE, server.shutdown())
        .await
        .expect("the backend stops");

    let offline = open_core(&app_dir, &server_url_unreachable(), &clock).await;
    let shown = offline
        .set_attribute(
            &customer,
            "fit_notes",
            AttributeValue::Text("  Written offline ".into()),
        )
        .await
        .expect("setting a value works offline (C15, B1)");
    let row = shown
        .rows
        .iter()
        .find(|r| r.definition.key == "fit_notes")
        .expect("the profile shows the attribute");
    assert!(row.pending, "the change waits to be sent");
    assert_eq!(
        row.value.as_ref().map(|v| &v.value),
        Some(&AttributeValue::Text("Written offline".into())),
        "the value shows at once, as the rule stores it"
    );
    let refused = offline
        .set_attribute(&customer, "visits", AttributeValue::Text("many".into()))
        .await
        .expect_err("a value breaking its rule is refused before it is queued");
    assert_eq!(
        refused.code(),
        ErrorCode::InvalidValue,
        "the rule's message: {refused}"
    );
    offline.shutdown().await;

    let server = spawn_server(0, Some(backend_db)).await;
    let core = open_core(&app_dir, &server.url(), &clock).await;
    let api = Api::sign_in(&server.url(), AVA).await;
    let stored = eventually("the backend stores the value set offline", || async {
        let values = backend_values(&api).await;
        values.get(&customer).and_then(|v| {
            v.values
                .iter()
                .find(|a| {
                    a.key == "fit_notes"
                        && a.value == AttributeValue::Text("Written offline".into())
                })
                .cloned()
        })
    })
    .await;
    assert_eq!(
        stored.modified_by.as_ref().map(|s| s.as_str()),
        Some("staff-ava"),
        "stamped with who set it"
    );
    let settled = eventually("the profile no longer shows it pending", || async {
        let shown = core
            .show_customer_attributes(&customer)
            .await
            .expect("the profile reads");
        shown
            .rows
            .into_iter()
            .find(|r| r.definition.key == "fit_notes" && !r.pending)
    })
    .await;
    assert_eq!(
        settled.value.map(|v| v.modified_at),
        Some(stored.modified_at),
        "the local copy holds the backend's stamp"
    );
    core.shutdown().await;
}

/// A backend address nothing listens on.
fn server_url_unreachable() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("an address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}
