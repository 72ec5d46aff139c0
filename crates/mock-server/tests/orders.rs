//! A customer's orders (C6), wishlist (C8) and recommendations (C7) through the API and the
//! change feed: recent first, adding up in their store's currency, seen only by staff of a
//! store that knows the customer, a status change coming through the feed, and
//! recommendations that leave out what the customer owns or wishes for, each with a reason.

mod support;

use std::collections::BTreeSet;

use clienteling_domain::api::{ChangeData, Customer};
use clienteling_domain::catalog::Currency;
use clienteling_domain::order::{
    Order, OrderStatus, Recommendation, RecommendationReason, WishlistItem,
};
use clienteling_domain::task::{Task, TaskOrigin};
use clienteling_domain::{ApiError, CustomerId, ErrorCode, ProductId};
use support::{Backend, AVA, NOAH};

/// The orders, wishlist items and customers `token`'s feed holds.
async fn feed_of(backend: &Backend, token: &str) -> (Vec<Order>, Vec<WishlistItem>, Vec<Customer>) {
    let (changes, _) = backend.changes(token, 0).await;
    let (mut orders, mut wishes, mut customers) = (Vec::new(), Vec::new(), Vec::new());
    for change in changes {
        match change.data {
            ChangeData::Order(order) => orders.push(order),
            ChangeData::WishlistItem(item) => wishes.push(item),
            ChangeData::Customer(customer) => customers.push(customer),
            _ => {}
        }
    }
    (orders, wishes, customers)
}

fn store_only(customers: &[Customer], store: &str) -> Vec<CustomerId> {
    customers
        .iter()
        .filter(|c| c.store_ids.len() == 1 && c.store_ids[0].as_str() == store)
        .map(|c| c.id.clone())
        .collect()
}

#[tokio::test]
async fn c6_a_customers_orders_come_recent_first_and_add_up_in_their_stores_currency() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let (feed_orders, _, customers) = feed_of(&backend, &ava.token).await;
    let new_yorkers = store_only(&customers, "store-nyc");
    let mut with_orders = 0;
    for id in new_yorkers.iter().take(40) {
        let orders: Vec<Order> = backend
            .get(&ava.token, &format!("/customers/{id}/orders"))
            .await;
        assert!(orders.len() <= 20, "{id} has at most 20 orders");
        with_orders += usize::from(!orders.is_empty());
        assert!(
            orders.windows(2).all(|w| w[0].placed_at >= w[1].placed_at),
            "{id}'s orders come most recent first"
        );
        assert!(
            orders
                .iter()
                .all(|o| o.adds_up() && o.total.currency == Currency::Usd && !o.lines.is_empty()),
            "{id}'s orders add up, in dollars"
        );
        let mut fed: Vec<&Order> = feed_orders
            .iter()
            .filter(|o| &o.customer_id == id)
            .collect();
        fed.sort_by(|a, b| b.placed_at.cmp(&a.placed_at).then(b.id.cmp(&a.id)));
        assert_eq!(
            fed,
            orders.iter().collect::<Vec<_>>(),
            "the feed holds the same orders for {id}"
        );
    }
    assert!(
        with_orders > 20,
        "most customers have orders: {with_orders}"
    );
    let limited: Vec<Order> = backend
        .get(
            &ava.token,
            &format!("/customers/{}/orders?limit=1", new_yorkers[0]),
        )
        .await;
    assert!(limited.len() <= 1, "a limit caps the answer");
}

#[tokio::test]
async fn c6_c8_orders_and_wishlists_reach_only_staff_of_a_store_that_knows_the_customer() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let noah = backend.sign_in(NOAH).await;
    let (nyc_orders, nyc_wishes, nyc_customers) = feed_of(&backend, &ava.token).await;
    let (lon_orders, lon_wishes, lon_customers) = feed_of(&backend, &noah.token).await;
    assert!(
        !nyc_orders.is_empty() && !nyc_wishes.is_empty(),
        "New York's feed has orders and wishlist items"
    );
    let seen = |customers: &[Customer]| -> BTreeSet<CustomerId> {
        customers.iter().map(|c| c.id.clone()).collect()
    };
    let (nyc_seen, lon_seen) = (seen(&nyc_customers), seen(&lon_customers));
    assert!(
        nyc_orders.iter().all(|o| nyc_seen.contains(&o.customer_id))
            && nyc_wishes.iter().all(|w| nyc_seen.contains(&w.customer_id)),
        "New York staff get the orders and wishes of customers they see"
    );
    assert!(
        lon_orders.iter().all(|o| lon_seen.contains(&o.customer_id))
            && lon_wishes.iter().all(|w| lon_seen.contains(&w.customer_id)),
        "London staff get the orders and wishes of customers they see"
    );
    let new_yorker = store_only(&nyc_customers, "store-nyc")[0].clone();
    let refused = backend
        .http
        .get(backend.api(&format!("/customers/{new_yorker}/orders")))
        .bearer_auth(&noah.token)
        .send()
        .await
        .expect("answers");
    assert_eq!(
        refused.status(),
        404,
        "London staff do not find a New Yorker"
    );
    let error: ApiError = refused.json().await.expect("an error body");
    assert_eq!(
        error.code,
        ErrorCode::NotFound,
        "not_found, as for no such customer"
    );
    let shared: Vec<&Customer> = nyc_customers
        .iter()
        .filter(|c| c.store_ids.len() == 2)
        .collect();
    assert!(
        shared.iter().all(|c| {
            nyc_orders.iter().filter(|o| o.customer_id == c.id).count()
                == lon_orders.iter().filter(|o| o.customer_id == c.id).count()
        }),
        "a customer of both stores has the same orders in both feeds"
    );
    for (path, what) in [
        ("/customers/cust-0001/orders?limit=0", "a limit of 0"),
        ("/customers/cust-0001/orders?limit=501", "a limit over 500"),
    ] {
        let response = backend
            .http
            .get(backend.api(path))
            .bearer_auth(&ava.token)
            .send()
            .await
            .expect("answers");
        assert_eq!(response.status(), 400, "{what} is refused");
    }
}

#[tokio::test]
async fn c6_an_order_status_change_comes_through_the_feed() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let (orders, _, _) = feed_of(&backend, &ava.token).await;
    let (_, cursor) = backend.changes(&ava.token, 0).await;
    let shipped = orders
        .iter()
        .find(|o| matches!(o.status, OrderStatus::Shipped | OrderStatus::Placed))
        .expect("an order on its way");
    let response = backend
        .http
        .post(backend.api(&format!("/simulator/orders/{}/status", shipped.id)))
        .json(&serde_json::json!({ "status": "delivered" }))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 200, "the status changes");
    let (after, _) = backend.changes(&ava.token, cursor).await;
    let delivered = after
        .iter()
        .find_map(|c| match &c.data {
            ChangeData::Order(order) if order.id == shipped.id => Some(order.clone()),
            _ => None,
        })
        .expect("the order comes through the feed again");
    assert_eq!(delivered.status, OrderStatus::Delivered, "now delivered");
    assert_eq!(
        delivered.lines, shipped.lines,
        "its lines are those of the receipt"
    );
    let unknown = backend
        .http
        .post(backend.api("/simulator/orders/ord-nope/status"))
        .json(&serde_json::json!({ "status": "delivered" }))
        .send()
        .await
        .expect("answers");
    assert_eq!(unknown.status(), 404, "no such order");
    let bad = backend
        .http
        .post(backend.api(&format!("/simulator/orders/{}/status", shipped.id)))
        .json(&serde_json::json!({ "status": "teleported" }))
        .send()
        .await
        .expect("answers");
    assert_eq!(bad.status(), 400, "not a status");
}

#[tokio::test]
async fn c7_recommendations_leave_out_what_the_customer_owns_or_wishes_for_and_say_why() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let (orders, wishes, customers) = feed_of(&backend, &ava.token).await;
    let mut reasons = BTreeSet::new();
    let mut answered = 0;
    for customer in store_only(&customers, "store-nyc").iter().take(30) {
        let recommended: Vec<Recommendation> = backend
            .get(
                &ava.token,
                &format!("/customers/{customer}/recommendations"),
            )
            .await;
        answered += usize::from(!recommended.is_empty());
        let owned: BTreeSet<&ProductId> = orders
            .iter()
            .filter(|o| &o.customer_id == customer && o.status.kept())
            .flat_map(|o| o.lines.iter().map(|l| &l.product_id))
            .collect();
        let wished: BTreeSet<&ProductId> = wishes
            .iter()
            .filter(|w| &w.customer_id == customer)
            .map(|w| &w.product_id)
            .collect();
        assert!(recommended.len() <= 8, "at most 8 for {customer}");
        for r in &recommended {
            assert!(
                !owned.contains(&r.product_id) && !wished.contains(&r.product_id),
                "{} is neither owned nor wished for by {customer}",
                r.product_name
            );
            assert_eq!(
                r.price.currency,
                Currency::Usd,
                "priced in dollars in New York"
            );
            assert!(!r.reason.sentence().is_empty(), "each has a reason");
            reasons.insert(match &r.reason {
                RecommendationReason::BoughtTogether { .. } => "bought together",
                RecommendationReason::SizeInCategory { .. } => "size in category",
            });
        }
        let distinct: BTreeSet<&ProductId> = recommended.iter().map(|r| &r.product_id).collect();
        assert_eq!(
            distinct.len(),
            recommended.len(),
            "no product twice for {customer}"
        );
    }
    assert!(
        answered > 15,
        "most customers get recommendations: {answered}"
    );
    assert_eq!(
        reasons.len(),
        2,
        "both co-purchases and size affinity give recommendations"
    );
}

// B8: a delivered order sets one follow-up task for the customer's associate at that store.
#[tokio::test]
async fn b8_a_delivered_order_asks_the_customers_associate_to_follow_up_once() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let (orders, _, customers) = feed_of(&backend, &ava.token).await;
    let hers: BTreeSet<&CustomerId> = customers
        .iter()
        .filter(|c| c.assigned_staff_ids.contains(&ava.staff.id))
        .map(|c| &c.id)
        .collect();
    let on_its_way = orders
        .iter()
        .find(|o| {
            matches!(o.status, OrderStatus::Shipped | OrderStatus::Placed)
                && hers.contains(&o.customer_id)
                && o.store_id == ava.staff.store_ids[0]
        })
        .expect("an order of one of Ava's customers on its way");
    let deliver = || async {
        backend
            .http
            .post(backend.api(&format!("/simulator/orders/{}/status", on_its_way.id)))
            .json(&serde_json::json!({ "status": "delivered" }))
            .send()
            .await
            .expect("answers")
            .status()
    };
    assert_eq!(deliver().await, 200, "the order is delivered");
    let tasks: Vec<Task> = backend.get(&ava.token, "/tasks").await;
    let follow_ups: Vec<&Task> = tasks
        .iter()
        .filter(|t| {
            t.origin
                == TaskOrigin::OrderDelivered {
                    order_id: on_its_way.id.to_string(),
                }
        })
        .collect();
    assert_eq!(follow_ups.len(), 1, "one follow-up for Ava: {tasks:?}");
    let task = follow_ups[0];
    assert_eq!(
        task.customer_id, on_its_way.customer_id,
        "about the customer"
    );
    assert_eq!(task.created_by, None, "set by the backend, not by staff");
    assert_eq!(
        task.due_at.since(task.created_at),
        3 * 24 * 60 * 60 * 1_000,
        "due three days after the delivery by default"
    );
    assert!(
        task.note.contains(&on_its_way.lines[0].product_name),
        "the note names what was delivered: {}",
        task.note
    );
    assert_eq!(
        deliver().await,
        200,
        "delivered again, as a retried webhook would"
    );
    let again: Vec<Task> = backend.get(&ava.token, "/tasks").await;
    assert_eq!(again.len(), tasks.len(), "still one follow-up per order");
}
