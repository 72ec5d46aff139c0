//! Customers belong to the company (issue "Customers"): known to zero or more stores, seen
//! by the staff of each of them, with consent per customer and store.

mod support;

use std::collections::BTreeSet;

use clienteling_domain::api::Customer;
use clienteling_domain::CustomerId;
use support::{Backend, AVA, NOAH};

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
