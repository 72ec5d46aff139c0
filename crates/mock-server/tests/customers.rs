//! Customers belong to the company (issue "Customers"): known to zero or more stores, seen
//! by the staff of each of them, with consent per customer and store.

mod support;

use std::collections::BTreeSet;

use clienteling_domain::api::{Change, ChangeData, Customer};
use clienteling_domain::CustomerId;
use support::{Backend, AVA, LUCAS, NOAH};

fn ids(customers: &[Customer]) -> BTreeSet<CustomerId> {
    customers.iter().map(|c| c.id.clone()).collect()
}

#[tokio::test]
async fn a_customer_known_to_both_stores_is_seen_by_the_staff_of_each() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let noah = backend.sign_in(NOAH).await;
    let (_, new_york) = backend.view(&ava.token).await;
    let (_, london) = backend.view(&noah.token).await;
    let shared: Vec<&Customer> = new_york.iter().filter(|c| c.store_ids.len() == 2).collect();
    assert!(
        !shared.is_empty(),
        "the demo has customers known to both stores"
    );
    for customer in &shared {
        assert!(
            london.contains(customer),
            "{} is seen in London as in New York",
            customer.id
        );
    }
    assert!(
        new_york
            .iter()
            .all(|c| c.store_ids.iter().any(|s| s.as_str() == "store-nyc")),
        "New York staff see only customers known to New York"
    );
    let only_london = ids(&london)
        .difference(&ids(&new_york))
        .cloned()
        .collect::<Vec<_>>();
    assert!(
        !only_london.is_empty(),
        "London knows customers New York does not"
    );
}

/// The kind and id of what a change is about, for comparing sets of changes.
fn about(data: &ChangeData) -> (&'static str, String) {
    match data {
        ChangeData::Customer(c) => ("customer", c.id.to_string()),
        ChangeData::Conversation(c) => ("conversation", c.id.to_string()),
        ChangeData::Message(m) => ("message", m.id.to_string()),
        ChangeData::Task(t) => ("task", t.id.to_string()),
        ChangeData::Note(n) => ("note", n.id.to_string()),
        ChangeData::Order(o) => ("order", o.id.to_string()),
        ChangeData::WishlistItem(w) => ("wishlist_item", w.id.to_string()),
        ChangeData::Star(s) => ("star", s.customer_id.to_string()),
        ChangeData::CustomerAttributes(a) => ("customer_attributes", a.customer_id.to_string()),
        ChangeData::LastContact(c) => ("last_contact", c.customer_id.to_string()),
        ChangeData::Cart(c) => ("cart", c.cart.id.to_string()),
        ChangeData::Product(p) => ("product", p.id.to_string()),
    }
}

/// Whether `data` concerns `customer` (as the profile shows it: not messages or tasks).
fn concerns(data: &ChangeData, customer: &CustomerId) -> bool {
    match data {
        ChangeData::Customer(c) => &c.id == customer,
        ChangeData::Conversation(c) => &c.customer_id == customer,
        ChangeData::Note(n) => &n.customer_id == customer,
        ChangeData::Order(o) => &o.customer_id == customer,
        ChangeData::WishlistItem(w) => &w.customer_id == customer,
        ChangeData::Star(s) => &s.customer_id == customer,
        ChangeData::CustomerAttributes(a) => &a.customer_id == customer,
        ChangeData::LastContact(c) => &c.customer_id == customer,
        ChangeData::Cart(c) => &c.cart.customer_id == customer,
        ChangeData::Message(_) | ChangeData::Task(_) | ChangeData::Product(_) => false,
    }
}

// C11: a device whose backfill has not reached a customer yet gets the profile's whole
// content at once, exactly what the feed would have brought.
#[tokio::test]
async fn c11_a_customers_changes_are_what_the_feed_holds_about_them_and_masked_as_the_feed_is() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let (feed, _) = backend.changes(&ava.token, 0).await;
    let mut orders_per_customer = std::collections::BTreeMap::<CustomerId, usize>::new();
    for change in &feed {
        if let ChangeData::Order(order) = &change.data {
            *orders_per_customer
                .entry(order.customer_id.clone())
                .or_default() += 1;
        }
    }
    let (customer, _) = orders_per_customer
        .into_iter()
        .max_by_key(|(_, count)| *count)
        .expect("New York customers have orders");
    let expected: BTreeSet<(&str, String)> = feed
        .iter()
        .filter(|change| concerns(&change.data, &customer))
        .map(|change| about(&change.data))
        .collect();
    let got: Vec<Change> = backend
        .get(&ava.token, &format!("/customers/{customer}/changes"))
        .await;
    let got_set: BTreeSet<(&str, String)> = got.iter().map(|c| about(&c.data)).collect();
    assert_eq!(
        got_set, expected,
        "the customer's changes are the feed's entries about them, each once"
    );
    assert!(
        got.windows(2).all(|pair| pair[0].seq < pair[1].seq),
        "oldest first, as the feed reads"
    );
    assert!(
        expected.iter().any(|(kind, _)| *kind == "order")
            && expected
                .iter()
                .any(|(kind, _)| *kind == "customer_attributes"),
        "the picked customer has orders and attribute values to compare: {expected:?}"
    );

    let lucas = backend.sign_in(LUCAS).await;
    let masked: Vec<Change> = backend
        .get(&lucas.token, &format!("/customers/{customer}/changes"))
        .await;
    let shown = masked
        .iter()
        .find_map(|c| match &c.data {
            ChangeData::Customer(c) => Some(c.clone()),
            _ => None,
        })
        .expect("the customer is among their changes");
    assert!(
        shown.phone.as_deref().is_none_or(|p| p.contains('•')),
        "without view_sensitive_data the phone is masked: {:?}",
        shown.phone
    );

    let noah = backend.sign_in(NOAH).await;
    let (_, london) = backend.view(&noah.token).await;
    let new_york_only = feed
        .iter()
        .find_map(|c| match &c.data {
            ChangeData::Customer(c) if !london.iter().any(|l| l.id == c.id) => Some(c.id.clone()),
            _ => None,
        })
        .expect("a customer only New York knows");
    let refused = backend
        .http
        .get(backend.api(&format!("/customers/{new_york_only}/changes")))
        .bearer_auth(&noah.token)
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(
        refused.status(),
        404,
        "a customer the caller's stores do not know does not exist for them"
    );
}
