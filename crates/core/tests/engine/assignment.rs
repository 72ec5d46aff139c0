//! Assignment (C3, C11): a manager assigns a customer through their core (checked by the
//! domain's rule, saved by the backend, audited) and the assignee's core lists the
//! customer under "Mine" through the feed, with the conversations it already had;
//! associates are refused, and without the backend the action says it needs it.

use clienteling_core::ManualClock;
use clienteling_domain::assignment::AssignmentRequest;
use clienteling_domain::view::{CustomerQuery, CustomerScope};
use clienteling_domain::{ApiError, ErrorCode, StaffId};
use std::sync::Arc;

use crate::harness::{eventually, open_core, signed_in, Signed, AVA, DEADLINE, PASSWORD};

/// New York store manager.
const MIA: &str = "mia.thompson@clienteling.demo";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c3_c11_an_assignment_by_a_manager_shows_up_in_the_assignees_mine_listing_via_the_feed() {
    let s = signed_in(AVA).await;
    let ava = StaffId::from("staff-ava");
    let store = s
        .core
        .list_customers(CustomerQuery {
            scope: CustomerScope::Store,
            search: String::new(),
            filters: Vec::new(),
        })
        .await
        .expect("the store's clientbook lists");
    let row = store
        .rows
        .iter()
        .find(|row| !row.customer.assigned_staff_ids.contains(&ava) && !row.channels.is_empty())
        .expect("the store has a contacted customer not assigned to Ava");
    let customer = row.customer.clone();

    let refused = s
        .core
        .assign_customer(
            &customer.id,
            &AssignmentRequest {
                store_ids: customer.store_ids.clone(),
                staff_ids: vec![ava.clone()],
            },
        )
        .await
        .expect_err("an associate may not assign");
    assert_eq!(
        ApiError::from(refused).code,
        ErrorCode::Forbidden,
        "the backend's refusal reaches the associate"
    );

    let manager_dir = tempfile::tempdir().expect("a temporary folder");
    let clock = Arc::new(ManualClock::starting_now());
    let manager = open_core(manager_dir.path(), &s.server.url(), &clock).await;
    manager.sign_in(MIA, PASSWORD).await.expect("Mia signs in");
    let staff = manager.list_staff().await.expect("Mia lists the staff");
    assert!(
        staff.iter().any(|member| member.id == ava),
        "the picker offers Ava"
    );
    let outside = manager
        .assign_customer(
            &customer.id,
            &AssignmentRequest {
                store_ids: customer.store_ids.clone(),
                staff_ids: vec![StaffId::from("staff-ghost")],
            },
        )
        .await
        .expect_err("an unknown staff member is refused before the backend is asked");
    assert_eq!(
        ApiError::from(outside).code,
        ErrorCode::Unprocessable,
        "the domain's rule refuses it"
    );
    let mut wanted = customer.assigned_staff_ids.clone();
    wanted.push(ava.clone());
    let assigned = manager
        .assign_customer(
            &customer.id,
            &AssignmentRequest {
                store_ids: customer.store_ids.clone(),
                staff_ids: wanted,
            },
        )
        .await
        .expect("Mia assigns the customer to Ava too");
    assert!(
        assigned.assigned_staff_ids.contains(&ava),
        "the answer is the customer as now assigned"
    );
    let audit = manager
        .list_assignments(&customer.id)
        .await
        .expect("the audit lists");
    assert!(
        audit
            .first()
            .is_some_and(|entry| entry.by_name == "Mia Thompson"
                && entry.to_staff_names.iter().any(|n| n == "Ava Johnson")),
        "the newest audit entry says Mia assigned Ava: {audit:?}"
    );

    let mine = eventually("Ava's Mine tab lists the customer", || async {
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
            .find(|row| row.customer.id == customer.id)
    })
    .await;
    assert_eq!(
        mine.channels, row.channels,
        "the customer comes with their conversations already local (C11)"
    );
    let profile = s
        .core
        .show_customer(&customer.id)
        .await
        .expect("the profile opens");
    assert!(
        !profile.conversations.is_empty(),
        "the whole history is there at once (C11)"
    );

    let Signed { server, core, .. } = s;
    core.shutdown().await;
    tokio::time::timeout(DEADLINE, server.shutdown())
        .await
        .expect("the mock backend shuts down");
    let offline = manager
        .assign_customer(
            &customer.id,
            &AssignmentRequest {
                store_ids: customer.store_ids.clone(),
                staff_ids: Vec::new(),
            },
        )
        .await
        .expect_err("assigning needs the backend");
    let offline = ApiError::from(offline);
    assert_eq!(
        offline.code,
        ErrorCode::Offline,
        "offline, assignment is refused"
    );
    assert!(
        offline.message.contains("needs the backend"),
        "the message says why: {}",
        offline.message
    );
    manager.shutdown().await;
}
