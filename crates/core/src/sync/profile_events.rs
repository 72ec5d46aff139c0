//! Tests of the event that refreshes open profiles (C2): applying the live feed announces
//! the customers of every kind of change a profile shows, once each, and a backfill
//! announces nothing.

use clienteling_domain::api::{Change, ChangeData, Conversation, Customer};
use clienteling_domain::assignment::CustomerStar;
use clienteling_domain::attribute::CustomerAttributes;
use clienteling_domain::catalog::{Currency, Money};
use clienteling_domain::contact::{CustomerContacts, LastContact};
use clienteling_domain::note::Note;
use clienteling_domain::order::{Order, OrderChannel, OrderStatus, WishlistItem};
use clienteling_domain::view::AppEvent;
use clienteling_domain::{Channel, ConsentState, CustomerId, Direction, Timestamp};

use crate::database::Database;
use crate::sync::apply::{apply, ApplyMode};

const NOW: Timestamp = Timestamp(1_750_000_000_000);

fn customer(id: &str) -> Customer {
    Customer {
        id: id.into(),
        store_ids: vec!["store-nyc".into()],
        first_name: "Grace".into(),
        last_name: "Hopper".into(),
        phone: None,
        email: None,
        assigned_staff_ids: Vec::new(),
        updated_at: NOW,
        gender: None,
        birth_date: None,
        signed_up_at: None,
        active: true,
    }
}

/// One change of every kind a profile shows, each about its own customer, with that id.
fn one_of_each_kind() -> Vec<(ChangeData, &'static str)> {
    vec![
        (ChangeData::Customer(customer("cust-record")), "cust-record"),
        (
            ChangeData::Conversation(Conversation {
                id: "conv-1".into(),
                store_id: "store-nyc".into(),
                customer_id: "cust-conversation".into(),
                channel: Channel::Sms,
                consent: ConsentState::OptedIn,
                window_opened_at: None,
                last_activity_at: NOW,
                last_message_preview: "Hello".into(),
                last_message_direction: Direction::Inbound,
                unread_count: 0,
                participant_ids: Vec::new(),
            }),
            "cust-conversation",
        ),
        (
            ChangeData::Star(CustomerStar {
                customer_id: "cust-star".into(),
                starred: true,
            }),
            "cust-star",
        ),
        (
            ChangeData::CustomerAttributes(CustomerAttributes {
                customer_id: "cust-attributes".into(),
                values: Vec::new(),
            }),
            "cust-attributes",
        ),
        (
            ChangeData::Note(Note {
                id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
                customer_id: "cust-note".into(),
                author_staff_id: "staff-ava".into(),
                author_name: "Ava Johnson".into(),
                body: "Prefers linen".into(),
                pinned: false,
                created_at: NOW,
                updated_at: NOW,
                deleted: false,
            }),
            "cust-note",
        ),
        (
            ChangeData::Order(Order {
                id: "ord-1".into(),
                customer_id: "cust-order".into(),
                store_id: "store-nyc".into(),
                channel: OrderChannel::Store,
                status: OrderStatus::Placed,
                placed_at: NOW,
                updated_at: NOW,
                lines: Vec::new(),
                total: Money::new(0, Currency::Usd),
            }),
            "cust-order",
        ),
        (
            ChangeData::WishlistItem(WishlistItem {
                id: "wish-1".into(),
                customer_id: "cust-wishlist".into(),
                product_id: "prod-0001".into(),
                variant_id: None,
                product_name: "Merino Crew".into(),
                variant_label: None,
                price: Money::new(12_950, Currency::Usd),
                image_url: "/api/v1/products/prod-0001/image".into(),
                added_at: NOW,
            }),
            "cust-wishlist",
        ),
        (
            ChangeData::LastContact(CustomerContacts {
                customer_id: "cust-contact".into(),
                contacts: vec![LastContact {
                    store_id: "store-nyc".into(),
                    at: NOW,
                    staff_id: "staff-mia".into(),
                    staff_name: "Mia Chen".into(),
                }],
            }),
            "cust-contact",
        ),
    ]
}

#[tokio::test]
async fn c2_every_kind_of_customer_change_in_the_live_feed_announces_its_customer_once() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = Database::open(dir.path())
        .await
        .expect("the database opens");
    for (seq, (data, expected)) in (1..).zip(one_of_each_kind()) {
        let mut tx = db.write().await.expect("a write transaction");
        let applied = apply(
            &mut tx,
            &[Change {
                seq,
                data: data.clone(),
            }],
            ApplyMode::Follow,
            None,
            NOW,
        )
        .await
        .expect("the change applies");
        tx.commit().await.expect("commits");
        let announced: Vec<&Vec<CustomerId>> = applied
            .events
            .iter()
            .filter_map(|event| match event {
                AppEvent::CustomersChanged { customer_ids } => Some(customer_ids),
                _ => None,
            })
            .collect();
        assert_eq!(
            announced,
            vec![&vec![CustomerId::from(expected)]],
            "one customers-changed event names {expected}'s profile for {data:?}"
        );
    }
}

#[tokio::test]
async fn c2_a_backfill_page_announces_no_customer() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = Database::open(dir.path())
        .await
        .expect("the database opens");
    let changes: Vec<Change> = (1..)
        .zip(one_of_each_kind())
        .map(|(seq, (data, _))| Change { seq, data })
        .collect();
    let mut tx = db.write().await.expect("a write transaction");
    let applied = apply(&mut tx, &changes, ApplyMode::Backfill, None, NOW)
        .await
        .expect("the page applies");
    tx.commit().await.expect("commits");
    assert!(
        !applied
            .events
            .iter()
            .any(|event| matches!(event, AppEvent::CustomersChanged { .. })),
        "older history refreshes no open profile"
    );
}
