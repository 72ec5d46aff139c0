//! Stars (C1) and assignment to stores and staff (C3, C11) against a real server: stars
//! are idempotent and reach only their staff member's feed; assignments are refused
//! without `assign_customers` or when they break the rule, audited newest first, and
//! announced to every store concerned, a store newly knowing the customer getting their
//! conversations there at once.

mod support;

use clienteling_domain::api::{Change, ChangeData, Customer, Staff};
use clienteling_domain::assignment::{AssignmentEntry, AssignmentRequest, CustomerStar};
use clienteling_domain::{ApiError, CustomerId, ErrorCode, StaffId, StoreId};
use clienteling_mock_server::demo::{STORE_LON, STORE_NYC};
use support::{Backend, ADMIN, AVA, LIAM, MIA, NOAH};

impl Backend {
    async fn star(&self, token: &str, customer: &CustomerId, starred: bool) -> reqwest::Response {
        let url = self.api(&format!("/customers/{customer}/star"));
        let request = if starred {
            self.http.put(url)
        } else {
            self.http.delete(url)
        };
        request
            .bearer_auth(token)
            .send()
            .await
            .expect("the backend answers")
    }

    async fn assign(
        &self,
        token: &str,
        customer: &CustomerId,
        stores: &[&str],
        staff: &[&str],
    ) -> reqwest::Response {
        self.http
            .put(self.api(&format!("/customers/{customer}/assignment")))
            .bearer_auth(token)
            .json(&AssignmentRequest {
                store_ids: stores.iter().map(|s| StoreId::from(*s)).collect(),
                staff_ids: staff.iter().map(|s| StaffId::from(*s)).collect(),
            })
            .send()
            .await
            .expect("the backend answers")
    }

    async fn assigned(
        &self,
        token: &str,
        customer: &CustomerId,
        stores: &[&str],
        staff: &[&str],
    ) -> Customer {
        let response = self.assign(token, customer, stores, staff).await;
        assert_eq!(response.status(), 200, "the assignment is accepted");
        response.json().await.expect("the customer as assigned")
    }
}

fn stars(changes: &[Change]) -> Vec<CustomerStar> {
    changes
        .iter()
        .filter_map(|change| match &change.data {
            ChangeData::Star(star) => Some(star.clone()),
            _ => None,
        })
        .collect()
}

fn customer_in(changes: &[Change], id: &CustomerId) -> Option<Customer> {
    changes.iter().rev().find_map(|change| match &change.data {
        ChangeData::Customer(customer) if &customer.id == id => Some(customer.clone()),
        _ => None,
    })
}

/// A customer New York sees and London does not.
async fn new_york_only(backend: &Backend, token: &str) -> Customer {
    backend
        .view(token)
        .await
        .1
        .into_iter()
        .find(|c| c.store_ids == vec![StoreId::from(STORE_NYC)])
        .expect("the demo has customers known to New York only")
}

#[tokio::test]
async fn c1_a_star_is_idempotent_and_reaches_only_its_staff_members_feed() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let liam = backend.sign_in(LIAM).await;
    let customer = new_york_only(&backend, &ava.token).await;
    let (_, ava_cursor) = backend.changes(&ava.token, 0).await;
    let (_, liam_cursor) = backend.changes(&liam.token, 0).await;

    for _ in 0..2 {
        let response = backend.star(&ava.token, &customer.id, true).await;
        assert_eq!(response.status(), 204, "starring, again or not, succeeds");
    }
    let (changes, ava_cursor) = backend.changes(&ava.token, ava_cursor).await;
    assert_eq!(
        stars(&changes),
        vec![CustomerStar {
            customer_id: customer.id.clone(),
            starred: true
        }],
        "Ava's feed carries her star once, however often she starred"
    );
    let (changes, _) = backend.changes(&liam.token, liam_cursor).await;
    assert!(
        stars(&changes).is_empty(),
        "a colleague of the same store does not receive Ava's star: {changes:?}"
    );

    for _ in 0..2 {
        let response = backend.star(&ava.token, &customer.id, false).await;
        assert_eq!(response.status(), 204, "unstarring, again or not, succeeds");
    }
    let (changes, _) = backend.changes(&ava.token, ava_cursor).await;
    assert_eq!(
        stars(&changes),
        vec![CustomerStar {
            customer_id: customer.id.clone(),
            starred: false
        }],
        "the unstar reaches Ava's other devices"
    );

    let noah = backend.sign_in(NOAH).await;
    let response = backend.star(&noah.token, &customer.id, true).await;
    assert_eq!(
        response.status(),
        404,
        "a customer unknown to the caller's stores cannot be starred"
    );
    let response = backend
        .star(&ava.token, &CustomerId::from("no-such-customer"), true)
        .await;
    assert_eq!(response.status(), 404, "an unknown customer is not found");
}

#[tokio::test]
async fn c3_a_managers_assignment_is_audited_once_newest_first_and_reaches_the_store() {
    let backend = Backend::start().await;
    let mia = backend.sign_in(MIA).await;
    let ava = backend.sign_in(AVA).await;
    let customer = new_york_only(&backend, &mia.token).await;
    let (_, ava_cursor) = backend.changes(&ava.token, 0).await;

    let both = ["staff-liam", "staff-ava"];
    let first = backend
        .assigned(&mia.token, &customer.id, &[STORE_NYC], &both)
        .await;
    assert_eq!(
        first.assigned_staff_ids,
        vec![StaffId::from("staff-ava"), StaffId::from("staff-liam")],
        "the answer is the customer as now assigned"
    );
    let again = backend
        .assigned(&mia.token, &customer.id, &[STORE_NYC], &both)
        .await;
    assert_eq!(again, first, "repeating the request gives the same result");
    backend
        .assigned(&mia.token, &customer.id, &[STORE_NYC], &["staff-liam"])
        .await;

    let audit: Vec<AssignmentEntry> = backend
        .get(
            &ava.token,
            &format!("/customers/{}/assignments", customer.id),
        )
        .await;
    assert_eq!(
        audit.len(),
        2,
        "two changes, two entries: the repeat added none"
    );
    assert_eq!(
        audit[0].summary(),
        "Assigned to Liam Chen by Mia Thompson",
        "the newest entry comes first and names who and by whom"
    );
    assert_eq!(
        (
            audit[0].from_staff_ids.clone(),
            audit[0].to_staff_ids.clone()
        ),
        (
            vec![StaffId::from("staff-ava"), StaffId::from("staff-liam")],
            vec![StaffId::from("staff-liam")]
        ),
        "each entry keeps the sets before and after"
    );
    assert_eq!(
        audit[1].from_staff_ids, customer.assigned_staff_ids,
        "the oldest entry starts from the demo assignment"
    );

    let (changes, _) = backend.changes(&ava.token, ava_cursor).await;
    let seen = customer_in(&changes, &customer.id).expect("the store's feed carries the change");
    assert_eq!(
        seen.assigned_staff_ids,
        vec![StaffId::from("staff-liam")],
        "every device of the store learns the current assignment"
    );
}

#[tokio::test]
async fn c3_assignments_are_refused_without_the_permission_or_against_the_rule() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let mia = backend.sign_in(MIA).await;
    let customer = new_york_only(&backend, &mia.token).await;

    let response = backend
        .assign(&ava.token, &customer.id, &[STORE_NYC], &["staff-ava"])
        .await;
    assert_eq!(
        response.status(),
        403,
        "an associate lacks assign_customers"
    );
    let response = backend
        .http
        .get(backend.api("/staff"))
        .bearer_auth(&ava.token)
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(
        response.status(),
        403,
        "the staff list is for those who assign"
    );

    for (stores, staff, message) in [
        (&["store-paris"][..], &[][..], "Unknown store store-paris"),
        (
            &[STORE_NYC][..],
            &["staff-ghost"][..],
            "Unknown staff member staff-ghost",
        ),
        (
            &[STORE_NYC][..],
            &["staff-noah"][..],
            "Noah Williams works in none of the chosen stores",
        ),
        (
            &[][..],
            &[][..],
            "Choose at least one store: a customer is known to at least one store",
        ),
    ] {
        let response = backend
            .assign(&mia.token, &customer.id, stores, staff)
            .await;
        assert_eq!(response.status(), 422, "{message}: unprocessable");
        let error: ApiError = response.json().await.expect("a {code, message} error");
        assert_eq!(
            (error.code, error.message.as_str()),
            (ErrorCode::Unprocessable, message),
            "the refusal says what is wrong"
        );
    }
    let response = backend
        .http
        .put(backend.api(&format!("/customers/{}/assignment", customer.id)))
        .bearer_auth(&mia.token)
        .header("content-type", "application/json")
        .body("{\"store_ids\": 7}")
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(response.status(), 400, "a malformed body is invalid input");
    let response = backend
        .assign(
            &mia.token,
            &CustomerId::from("no-such-customer"),
            &[STORE_NYC],
            &[],
        )
        .await;
    assert_eq!(response.status(), 404, "an unknown customer is not found");

    let audit: Vec<AssignmentEntry> = backend
        .get(
            &mia.token,
            &format!("/customers/{}/assignments", customer.id),
        )
        .await;
    assert!(audit.is_empty(), "refusals leave no audit entry");
    let staff: Vec<Staff> = backend.get(&mia.token, "/staff").await;
    let noah = staff
        .iter()
        .find(|member| member.id.as_str() == "staff-noah")
        .expect("the company's staff includes London's");
    assert_eq!(
        noah.store_ids,
        vec![StoreId::from(STORE_LON)],
        "each staff member comes with their stores, for the picker"
    );
}

#[tokio::test]
async fn c11_a_customer_newly_known_to_a_store_reaches_its_staff_with_their_conversations_there() {
    let backend = Backend::start().await;
    let admin = backend.sign_in(ADMIN).await;
    let noah = backend.sign_in(NOAH).await;
    let ava = backend.sign_in(AVA).await;
    let (conversations, customers) = backend.view(&noah.token).await;
    let london_only = customers
        .iter()
        .find(|customer| {
            customer.store_ids == vec![StoreId::from(STORE_LON)]
                && conversations.iter().any(|c| c.customer_id == customer.id)
        })
        .expect("the demo has a customer of London only with a conversation");
    let london_conversations: Vec<_> = conversations
        .iter()
        .filter(|c| c.customer_id == london_only.id)
        .map(|c| c.id.clone())
        .collect();

    let (_, cursor) = backend.changes(&noah.token, 0).await;
    let (_, ava_cursor) = backend.changes(&ava.token, 0).await;
    backend
        .assigned(&admin.token, &london_only.id, &[STORE_NYC], &[])
        .await;
    let (changes, cursor) = backend.changes(&noah.token, cursor).await;
    let seen =
        customer_in(&changes, &london_only.id).expect("London hears that it lost the customer");
    assert_eq!(
        seen.store_ids,
        vec![StoreId::from(STORE_NYC)],
        "London's devices learn the customer is New York's only"
    );

    backend
        .assigned(
            &admin.token,
            &london_only.id,
            &[STORE_LON, STORE_NYC],
            &["staff-noah", "staff-ava"],
        )
        .await;
    let (changes, _) = backend.changes(&noah.token, cursor).await;
    let seen = customer_in(&changes, &london_only.id).expect("London knows the customer again");
    assert!(
        seen.assigned_staff_ids
            .contains(&StaffId::from("staff-noah")),
        "Noah sees the customer assigned to him"
    );
    for id in &london_conversations {
        assert!(
            changes
                .iter()
                .any(|change| matches!(&change.data, ChangeData::Conversation(c) if &c.id == id)),
            "the London conversation {id} comes with the customer"
        );
    }
    let (changes, _) = backend.changes(&ava.token, ava_cursor).await;
    let seen = customer_in(&changes, &london_only.id)
        .expect("a customer newly known to New York reaches its staff");
    assert!(
        seen.assigned_staff_ids
            .contains(&StaffId::from("staff-ava")),
        "Ava finds the customer assigned to her"
    );
}
