//! The clientbook's index (C1, Speed section of the issue "Customers"): the listing reads
//! its pages from `clientbook_entries`, kept by triggers; after each kind of change (the
//! snapshot and the backfill, a star set and removed on this device, a message written
//! here and its delivery, a customer's message through the live feed, an assignment
//! through the feed) it
//! lists exactly what the listing's definition over the stored customers, stars and
//! conversations lists, in every tab and for a search.

use std::sync::Arc;

use clienteling_core::ManualClock;
use clienteling_domain::assignment::AssignmentRequest;
use clienteling_domain::customer_search::CustomerSearch;
use clienteling_domain::view::{CustomerQuery, CustomerScope};
use clienteling_domain::{Channel, MessageStatus, StaffId, StoreId};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::SqlitePool;

use crate::harness::{eventually, open_core, signed_in, Signed, AVA, PASSWORD};

/// New York store manager.
const MIA: &str = "mia.thompson@clienteling.demo";

/// Rows of a clientbook page, as the engine lists them.
const PAGE_ROWS: i64 = 100;

/// The listing as it was defined before its index: every customer of the store checked
/// one by one, with their last contact, star and search keys worked out per row, sorted.
const DEFINITION: &str = "SELECT cu.id, \
       (SELECT MAX(c.last_activity_at) FROM conversations c \
         WHERE c.customer_id = cu.id AND c.store_id = ?1) AS last_contact_at, \
       COALESCE((SELECT s.starred FROM customer_stars s WHERE s.customer_id = cu.id), 0) \
         AS starred \
     FROM customers cu \
     WHERE EXISTS (SELECT 1 FROM json_each(cu.store_ids) WHERE value = ?1) \
       AND (?2 IS NULL OR EXISTS (SELECT 1 FROM json_each(cu.assigned_staff_ids) WHERE value = ?2)) \
       AND (?6 = '' \
         OR (?3 <> '' AND (cu.name_key LIKE ?3 || '%' OR cu.name_key LIKE '% ' || ?3 || '%')) \
         OR (?4 IS NOT NULL AND cu.phone_key LIKE '%' || ?4 || '%') \
         OR (cu.email_key <> '' AND instr(cu.email_key, ?6) > 0)) \
       AND (?7 = 0 OR starred = 1) \
     ORDER BY starred DESC, last_contact_at IS NULL, last_contact_at DESC, \
       lower(cu.last_name), lower(cu.first_name), cu.id \
     LIMIT ?5";

/// A read-only pool on the core's database file.
async fn database(s: &Signed) -> SqlitePool {
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(s.data_dir.path().join("clienteling.db"))
                .read_only(true),
        )
        .await
        .expect("the core's database opens read-only")
}

/// The ids, in order, of the page the definition lists.
async fn defined(
    db: &SqlitePool,
    store: &StoreId,
    mine: Option<&StaffId>,
    starred_only: bool,
    search: &str,
) -> (Vec<String>, bool) {
    let search = CustomerSearch::new(search);
    let ids: Vec<String> = sqlx::query_scalar(&format!("SELECT id FROM ({DEFINITION})"))
        .bind(store.as_str())
        .bind(mine.map(StaffId::as_str))
        .bind(search.name())
        .bind(search.digits())
        .bind(PAGE_ROWS + 1)
        .bind(search.email())
        .bind(starred_only)
        .fetch_all(db)
        .await
        .expect("the definition reads");
    let has_more = ids.len() > PAGE_ROWS as usize;
    (ids.into_iter().take(PAGE_ROWS as usize).collect(), has_more)
}

/// Asserts that every tab and a search list what the definition lists (once the feed's
/// echoes of `change` have arrived: the listing and the definition are two reads), and
/// that the index holds exactly the rows its view defines, after `change`.
async fn assert_listed_as_defined(s: &Signed, db: &SqlitePool, change: &str) {
    let store = StoreId::from("store-nyc");
    let ava = StaffId::from("staff-ava");
    for (scope, search) in [
        (CustomerScope::Store, ""),
        (CustomerScope::Mine, ""),
        (CustomerScope::Starred, ""),
        (CustomerScope::Store, "a"),
        (CustomerScope::Store, "555"),
    ] {
        let what = format!(
            "after {change}, the {scope:?} tab searched for {search:?} lists the defined page"
        );
        eventually(&what, || async {
            let page = s
                .core
                .list_customers(CustomerQuery {
                    scope,
                    search: search.into(),
                    filters: Vec::new(),
                })
                .await
                .expect("the clientbook lists");
            let listed: Vec<String> = page
                .rows
                .iter()
                .map(|row| row.customer.id.to_string())
                .collect();
            let expected = defined(
                db,
                &store,
                (scope == CustomerScope::Mine).then_some(&ava),
                scope == CustomerScope::Starred,
                search,
            )
            .await;
            ((listed, page.has_more) == expected).then_some(())
        })
        .await;
    }
    assert_index_as_defined(db, change).await;
}

/// Asserts, in one statement (so one consistent read), that the index holds exactly the
/// rows its view defines after `change`.
async fn assert_index_as_defined(db: &SqlitePool, change: &str) {
    let strays: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM (SELECT * FROM clientbook_entries \
                 EXCEPT SELECT * FROM clientbook_entries_due)) \
              + (SELECT COUNT(*) FROM (SELECT * FROM clientbook_entries_due \
                 EXCEPT SELECT * FROM clientbook_entries))",
    )
    .fetch_one(db)
    .await
    .expect("the index and its view compare");
    assert_eq!(
        strays, 0,
        "after {change}, the index holds exactly the rows its view defines"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c1_the_clientbooks_index_lists_as_defined_after_stars_messages_and_assignments() {
    let s = signed_in(AVA).await;
    let db = database(&s).await;
    assert_index_as_defined(&db, "the snapshot, the backfill under way").await;
    eventually("the backfill completes", || async {
        s.core
            .session()
            .await
            .expect("the session reads")
            .filter(|session| session.history.complete)
            .map(drop)
    })
    .await;
    assert_listed_as_defined(&s, &db, "the backfill").await;

    let store = s
        .core
        .list_customers(CustomerQuery {
            scope: CustomerScope::Store,
            search: String::new(),
            filters: Vec::new(),
        })
        .await
        .expect("the store's clientbook lists");
    let last = store.rows.last().expect("the store has customers").clone();
    s.core
        .star_customer(&last.customer.id)
        .await
        .expect("Ava stars the last customer of the page");
    assert_listed_as_defined(&s, &db, "a star set on this device").await;
    s.core
        .unstar_customer(&last.customer.id)
        .await
        .expect("Ava removes the star");
    assert_listed_as_defined(&s, &db, "a star removed on this device").await;

    let writable = s
        .api
        .snapshot()
        .await
        .writable(Channel::Sms, |phone| !phone.ends_with("0000"));
    let sent = s
        .core
        .send_message(&writable.id, "Your jacket is ready for pick-up")
        .await
        .expect("the message is accepted locally");
    assert_index_as_defined(&db, "a message written on this device").await;
    eventually(
        "the message is delivered and its status back here",
        || async {
            s.core
                .open_conversation(&writable.id)
                .await
                .expect("the chat opens")
                .messages
                .into_iter()
                .find(|m| m.id == sent.id && m.status == MessageStatus::Delivered)
                .map(drop)
        },
    )
    .await;
    assert_listed_as_defined(&s, &db, "the delivery through the feed").await;

    let quiet = store
        .rows
        .iter()
        .rev()
        .find(|row| row.last_contact_at.is_some())
        .expect("the page has a contacted customer")
        .clone();
    let conversation = s
        .api
        .snapshot()
        .await
        .conversations
        .into_values()
        .find(|c| c.customer_id == quiet.customer.id && c.store_id == StoreId::from("store-nyc"))
        .expect("the customer has a conversation in New York");
    s.api
        .inject_inbound(&conversation.id, "Is the green one back?")
        .await;
    eventually("the customer's message moves them to the top", || async {
        let page = s
            .core
            .list_customers(CustomerQuery {
                scope: CustomerScope::Store,
                search: String::new(),
                filters: Vec::new(),
            })
            .await
            .expect("the store's clientbook lists");
        let first_unstarred = page.rows.iter().find(|row| !row.starred);
        (first_unstarred.map(|row| &row.customer.id) == Some(&quiet.customer.id)).then_some(())
    })
    .await;
    assert_listed_as_defined(&s, &db, "a customer's message through the feed").await;

    let manager_dir = tempfile::tempdir().expect("a temporary folder");
    let clock = Arc::new(ManualClock::starting_now());
    let manager = open_core(manager_dir.path(), &s.server.url(), &clock).await;
    manager.sign_in(MIA, PASSWORD).await.expect("Mia signs in");
    let ava = StaffId::from("staff-ava");
    let moved = &store.rows[1].customer;
    manager
        .assign_customer(
            &moved.id,
            &AssignmentRequest {
                store_ids: moved.store_ids.clone(),
                staff_ids: vec![ava.clone()],
            },
        )
        .await
        .expect("Mia assigns the customer to Ava alone");
    eventually("Ava's Mine tab lists the customer", || async {
        let mine = s
            .core
            .list_customers(CustomerQuery {
                scope: CustomerScope::Mine,
                search: String::new(),
                filters: Vec::new(),
            })
            .await
            .expect("my customers list");
        mine.rows
            .into_iter()
            .find(|row| row.customer.id == moved.id)
            .map(drop)
    })
    .await;
    assert_listed_as_defined(&s, &db, "an assignment through the feed").await;
    manager.shutdown().await;
}
