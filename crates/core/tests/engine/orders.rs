//! A customer's orders, wishlist and recommendations on the profile (C6–C8): synced from
//! the backend's feed into the local copy, kept current by the live feed, and the
//! recommendations fetched and kept for an offline profile.

use clienteling_domain::order::{Order, OrderStatus, Recommendation, WishlistItem};
use clienteling_domain::view::{AppEvent, PROFILE_ORDERS};
use clienteling_domain::CustomerId;

use crate::harness::{eventually, signed_in, wait_for_event, Signed, AVA, DEADLINE};

/// Signs `login` in and waits until the backfill brought every older entry of the feed.
async fn with_whole_history(login: &str) -> Signed {
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

/// The backend's orders of `customer`, most recent first.
fn backend_orders(orders: &[&Order], customer: &CustomerId) -> Vec<Order> {
    let mut theirs: Vec<Order> = orders
        .iter()
        .filter(|o| &o.customer_id == customer)
        .map(|o| (*o).clone())
        .collect();
    theirs.sort_by(|a, b| b.placed_at.cmp(&a.placed_at).then(b.id.cmp(&a.id)));
    theirs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c6_c8_after_sign_in_and_sync_a_profile_holds_the_backends_orders_and_wishlist() {
    let s = with_whole_history(AVA).await;
    let backend = s.api.snapshot().await;
    let orders: Vec<&Order> = backend.orders.values().collect();
    let mut customers: Vec<&CustomerId> = backend.customers.keys().collect();
    customers.sort();
    let mut compared = 0;
    for customer in customers.into_iter().take(25) {
        let expected = backend_orders(&orders, customer);
        let profile = s
            .core
            .show_customer(customer)
            .await
            .expect("the profile reads");
        assert_eq!(
            profile.order_count as usize,
            expected.len(),
            "{customer}'s order count is the backend's"
        );
        assert_eq!(
            profile.orders,
            expected
                .iter()
                .take(PROFILE_ORDERS as usize)
                .cloned()
                .collect::<Vec<_>>(),
            "{customer}'s profile holds the backend's orders, most recent first"
        );
        let wishlist: Vec<WishlistItem> = s
            .api
            .get_json(&format!("/customers/{customer}/wishlist"))
            .await;
        assert_eq!(
            profile.wishlist, wishlist,
            "{customer}'s wishlist is the backend's"
        );
        compared += usize::from(!expected.is_empty());
    }
    assert!(
        compared > 10,
        "customers with orders were compared: {compared}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c6_an_order_delivered_in_the_backend_reaches_the_profile_through_the_feed() {
    let mut s = with_whole_history(AVA).await;
    let backend = s.api.snapshot().await;
    let on_its_way = backend
        .orders
        .values()
        .find(|o| matches!(o.status, OrderStatus::Placed | OrderStatus::Shipped))
        .expect("an order on its way")
        .clone();
    s.api
        .set_order_status(&on_its_way.id, OrderStatus::Delivered)
        .await;
    let customer = on_its_way.customer_id.clone();
    wait_for_event(&mut s.events, "the purchases change is announced", |event| {
        matches!(event, AppEvent::PurchasesChanged { customer_ids } if customer_ids.contains(&customer))
    })
    .await;
    let profile = s
        .core
        .show_customer(&customer)
        .await
        .expect("the profile reads");
    let shown = profile
        .orders
        .iter()
        .find(|o| o.id == on_its_way.id)
        .expect("the order is on the profile");
    assert_eq!(shown.status, OrderStatus::Delivered, "now delivered");
    assert_eq!(shown.lines, on_its_way.lines, "with the same lines");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c7_recommendations_are_fetched_when_asked_and_kept_for_an_offline_profile() {
    let s = with_whole_history(AVA).await;
    let backend = s.api.snapshot().await;
    let mut customers: Vec<&CustomerId> = backend.customers.keys().collect();
    customers.sort();
    let mut found = None;
    for customer in customers {
        let recommended = s
            .core
            .refresh_recommendations(customer)
            .await
            .expect("the backend recommends");
        if !recommended.is_empty() {
            found = Some((customer.clone(), recommended));
            break;
        }
    }
    let (customer, recommended) = found.expect("someone gets recommendations");
    let expected: Vec<Recommendation> = s
        .api
        .get_json(&format!("/customers/{customer}/recommendations"))
        .await;
    assert_eq!(recommended, expected, "the backend's recommendations");
    tokio::time::timeout(DEADLINE, s.server.shutdown())
        .await
        .expect("the mock backend shuts down");
    let profile = s
        .core
        .show_customer(&customer)
        .await
        .expect("the profile reads offline");
    assert_eq!(
        profile.recommendations, recommended,
        "the kept recommendations show offline"
    );
    assert!(
        s.core.refresh_recommendations(&customer).await.is_err(),
        "offline, a refresh says it failed"
    );
    let again = s
        .core
        .show_customer(&customer)
        .await
        .expect("the profile reads offline");
    assert_eq!(
        again.recommendations, recommended,
        "a failed refresh keeps the last ones"
    );
}
