//! Permissions and masking (A2) against a real server: every operation of the served
//! OpenAPI document called by a demo user of every role, answered 403 exactly when the
//! role lacks what the operation needs (a table keyed by the document's paths, which must
//! list every operation); a seasonal associate's feed, history, snapshot and stream
//! holding masked phones and emails only; and the customer search finding them by a full
//! phone or email but not by a fragment.

mod support;

use std::collections::BTreeSet;

use clienteling_domain::api::{ChangeData, Customer, HistoryPage, Role, Session, Snapshot};
use clienteling_domain::masking::{mask_email, mask_phone};
use clienteling_domain::{ApiError, ErrorCode, Permission};
use clienteling_mock_server::demo::STORE_NYC;
use serde_json::Value;
use support::{fill, next_change, operations, Backend, Operation, ADMIN, AVA, LUCAS, MIA};

/// What an operation needs of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Nothing: no session (the system, demo and simulator hooks, signing in).
    Public,
    /// A session, whatever the role (what the caller may not see is left out).
    SignedIn,
    /// A session whose role grants the permission.
    Permission(Permission),
    /// A session of a store manager or an admin (store settings).
    ManagerOrAdmin,
}

impl Need {
    /// Whether a caller of `role` may call the operation.
    fn allows(self, role: Role) -> bool {
        match self {
            Need::Public | Need::SignedIn => true,
            Need::Permission(permission) => role.allows(permission),
            Need::ManagerOrAdmin => matches!(role, Role::Manager | Role::Admin),
        }
    }
}

/// What every operation of the API needs, keyed by method and OpenAPI path.
const NEEDS: &[(&str, &str, Need)] = &[
    ("GET", "/api/v1/health", Need::Public),
    ("GET", "/api/v1/openapi.json", Need::Public),
    ("GET", "/api/v1/demo/users", Need::Public),
    ("POST", "/api/v1/sessions", Need::Public),
    ("DELETE", "/api/v1/sessions/current", Need::SignedIn),
    ("GET", "/api/v1/me", Need::SignedIn),
    ("GET", "/api/v1/changes", Need::SignedIn),
    ("GET", "/api/v1/changes/stream", Need::SignedIn),
    ("GET", "/api/v1/changes/history", Need::SignedIn),
    ("GET", "/api/v1/snapshot", Need::SignedIn),
    (
        "GET",
        "/api/v1/customers",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "POST",
        "/api/v1/customers",
        Need::Permission(Permission::EditCustomers),
    ),
    (
        "PATCH",
        "/api/v1/customers/{id}",
        Need::Permission(Permission::EditCustomers),
    ),
    (
        "PUT",
        "/api/v1/customers/{id}/attributes",
        Need::Permission(Permission::EditCustomers),
    ),
    (
        "POST",
        "/api/v1/customers/{id}/conversations",
        Need::Permission(Permission::AccessConversations),
    ),
    (
        "GET",
        "/api/v1/config/attributes",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "GET",
        "/api/v1/config/customer-layout",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "PUT",
        "/api/v1/customers/{id}/star",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "DELETE",
        "/api/v1/customers/{id}/star",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "PUT",
        "/api/v1/customers/{id}/assignment",
        Need::Permission(Permission::AssignCustomers),
    ),
    (
        "GET",
        "/api/v1/customers/{id}/assignments",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "GET",
        "/api/v1/staff",
        Need::Permission(Permission::AssignCustomers),
    ),
    (
        "GET",
        "/api/v1/tasks",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "POST",
        "/api/v1/tasks",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "PATCH",
        "/api/v1/tasks/{id}",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "GET",
        "/api/v1/customers/{id}/notes",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "POST",
        "/api/v1/customers/{id}/notes",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "PATCH",
        "/api/v1/notes/{id}",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "DELETE",
        "/api/v1/notes/{id}",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "PUT",
        "/api/v1/notes/{id}/pin",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "GET",
        "/api/v1/customers/{id}/changes",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "GET",
        "/api/v1/customers/{id}/orders",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "GET",
        "/api/v1/customers/{id}/wishlist",
        Need::Permission(Permission::ViewCustomers),
    ),
    (
        "GET",
        "/api/v1/customers/{id}/recommendations",
        Need::Permission(Permission::ViewCustomers),
    ),
    ("GET", "/api/v1/products", Need::SignedIn),
    ("GET", "/api/v1/products/{id}", Need::SignedIn),
    ("GET", "/api/v1/products/{id}/image", Need::Public),
    (
        "GET",
        "/api/v1/conversations/{id}",
        Need::Permission(Permission::AccessConversations),
    ),
    (
        "GET",
        "/api/v1/conversations/{id}/messages",
        Need::Permission(Permission::AccessConversations),
    ),
    (
        "POST",
        "/api/v1/conversations/{id}/messages",
        Need::Permission(Permission::AccessConversations),
    ),
    (
        "POST",
        "/api/v1/conversations/{id}/read",
        Need::Permission(Permission::AccessConversations),
    ),
    (
        "POST",
        "/api/v1/conversations/{id}/opt-in-request",
        Need::Permission(Permission::AccessConversations),
    ),
    (
        "GET",
        "/api/v1/conversations/{id}/consent-events",
        Need::Permission(Permission::AccessConversations),
    ),
    (
        "POST",
        "/api/v1/carts",
        Need::Permission(Permission::AccessConversations),
    ),
    (
        "GET",
        "/api/v1/carts/{id}",
        Need::Permission(Permission::AccessConversations),
    ),
    (
        "PUT",
        "/api/v1/carts/{id}/lines/{variant_id}",
        Need::Permission(Permission::AccessConversations),
    ),
    (
        "DELETE",
        "/api/v1/carts/{id}/lines/{variant_id}",
        Need::Permission(Permission::AccessConversations),
    ),
    (
        "PUT",
        "/api/v1/carts/{id}/discount",
        Need::Permission(Permission::AccessConversations),
    ),
    (
        "POST",
        "/api/v1/carts/{id}/share",
        Need::Permission(Permission::AccessConversations),
    ),
    (
        "POST",
        "/api/v1/carts/{id}/cancel",
        Need::Permission(Permission::AccessConversations),
    ),
    ("PUT", "/api/v1/stores/{id}/channels", Need::ManagerOrAdmin),
    (
        "GET",
        "/api/v1/stores/{id}/templates",
        Need::Permission(Permission::AccessConversations),
    ),
    (
        "GET",
        "/api/v1/stores/{id}/quick-replies",
        Need::Permission(Permission::AccessConversations),
    ),
    ("GET", "/api/v1/stores/{id}/keywords", Need::SignedIn),
    ("PUT", "/api/v1/stores/{id}/keywords", Need::ManagerOrAdmin),
    (
        "POST",
        "/api/v1/simulator/conversations/{id}/inbound",
        Need::Public,
    ),
    ("POST", "/api/v1/simulator/clock", Need::Public),
    ("POST", "/api/v1/simulator/orders/{id}/status", Need::Public),
];

/// A demo user of every role, all in the New York store.
const EVERY_ROLE: [(Role, &str); 4] = [
    (Role::Seasonal, LUCAS),
    (Role::Associate, AVA),
    (Role::Manager, MIA),
    (Role::Admin, ADMIN),
];

/// What the table says `operation` needs; the test fails on an operation it does not list.
fn need_of(operation: &Operation) -> Need {
    NEEDS
        .iter()
        .find(|(method, path, _)| *method == operation.method.as_str() && *path == operation.path)
        .map(|(_, _, need)| *need)
        .unwrap_or_else(|| {
            panic!(
                "{} is not in the permission table: add what it needs to NEEDS",
                operation.name()
            )
        })
}

/// The customers `token` sees, by id, from a full sync.
async fn customers_seen(backend: &Backend, token: &str) -> Vec<Customer> {
    backend.view(token).await.1
}

/// Whether `customer` shows only masked contact data, in the domain's mask format.
fn masked_like(customer: &Customer, real: &Customer) -> bool {
    customer.phone == real.phone.as_deref().map(mask_phone)
        && customer.email == real.email.as_deref().map(mask_email)
}

/// The customers the search finds for `token`.
async fn search(backend: &Backend, token: &str, typed: &str) -> Vec<Customer> {
    let response = backend
        .http
        .get(backend.api("/customers"))
        .query(&[("search", typed)])
        .bearer_auth(token)
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(response.status(), 200, "searching {typed:?} succeeds");
    response.json().await.expect("a list of customers")
}

#[tokio::test]
async fn a2_every_operation_answers_forbidden_exactly_when_the_role_lacks_its_permission() {
    let backend = Backend::start().await;
    let doc = backend.openapi().await;
    let all = operations(&doc);
    let listed: BTreeSet<(String, String)> = all
        .iter()
        .map(|op| (op.method.to_string(), op.path.clone()))
        .collect();
    let tabled: BTreeSet<(String, String)> = NEEDS
        .iter()
        .map(|(method, path, _)| ((*method).to_owned(), (*path).to_owned()))
        .collect();
    assert_eq!(
        tabled, listed,
        "the permission table lists exactly the operations of the document"
    );
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .view(&ava.token)
        .await
        .0
        .into_iter()
        .next()
        .expect("the New York store has conversations");

    for (role, login) in EVERY_ROLE {
        let session = backend.sign_in(login).await;
        assert_eq!(session.staff.role, role, "{login} is a {}", role.label());
        // Signing out ends a session: that operation gets a session of its own.
        let spare = backend.sign_in(login).await;
        for operation in &all {
            let need = need_of(operation);
            let token = if operation.path.ends_with("/sessions/current") {
                &spare.token
            } else {
                &session.token
            };
            let path = fill(&operation.path, &conversation.id, STORE_NYC);
            let response = backend.call(&doc, operation, &path, Some(token)).await;
            let status = response.status().as_u16();
            let what = format!("{} as {} ({login})", operation.name(), role.label());
            if status >= 500 {
                let body = response.text().await.unwrap_or_default();
                panic!("{what} never fails on the server: {status} {body}");
            }
            if operation.path != "/api/v1/sessions" {
                assert_ne!(
                    status, 401,
                    "{what}: a signed-in caller is never unauthorized"
                );
            }
            if need.allows(role) {
                assert_ne!(status, 403, "{what} is allowed by the role ({need:?})");
                continue;
            }
            assert_eq!(status, 403, "{what} is forbidden: the role lacks {need:?}");
            let error: ApiError = response.json().await.expect("an ApiError body");
            assert_eq!(
                error.code,
                ErrorCode::Forbidden,
                "{what}: the code says forbidden"
            );
            if let Need::Permission(permission) = need {
                assert!(
                    error.message.contains(permission.as_str()),
                    "{what}: the message names {permission}: {}",
                    error.message
                );
            }
        }
    }
}

#[tokio::test]
async fn a2_the_document_says_which_operations_can_be_forbidden_and_for_which_permission() {
    let backend = Backend::start().await;
    let doc = backend.openapi().await;
    for operation in operations(&doc) {
        let method = operation.method.as_str().to_lowercase();
        let documented: &Value = &doc["paths"][&operation.path][&method];
        let forbidden = documented["responses"]["403"]["description"].as_str();
        match need_of(&operation) {
            Need::Public | Need::SignedIn => assert_eq!(
                forbidden,
                None,
                "{} is never forbidden, so it documents no 403",
                operation.name()
            ),
            Need::ManagerOrAdmin => assert!(
                forbidden.is_some_and(|text| text.contains("managers and admins")),
                "{} documents its 403 for non-managers: {forbidden:?}",
                operation.name()
            ),
            Need::Permission(permission) => {
                assert!(
                    forbidden.is_some_and(|text| text.contains(permission.as_str())),
                    "{} documents its 403 naming {permission}: {forbidden:?}",
                    operation.name()
                );
                let description = documented["description"].as_str().unwrap_or_default();
                assert!(
                    description.contains(permission.as_str()),
                    "{} says in its description that it needs {permission}",
                    operation.name()
                );
            }
        }
    }
}

#[tokio::test]
async fn a2_a_seasonal_associate_sees_phones_and_emails_masked_in_feed_history_snapshot_and_stream()
{
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let lucas: Session = backend.sign_in(LUCAS).await;
    let real = customers_seen(&backend, &ava.token).await;
    let real_of = |customer: &Customer| {
        real.iter()
            .find(|r| r.id == customer.id)
            .unwrap_or_else(|| panic!("Ava sees {} too", customer.id))
    };
    assert!(
        real.iter()
            .all(|c| c.phone.as_deref().is_none_or(|p| !p.contains('•'))),
        "an associate sees real phone numbers"
    );

    let seen = customers_seen(&backend, &lucas.token).await;
    assert_eq!(
        seen.len(),
        real.len(),
        "the seasonal associate sees the same customers of the store"
    );
    assert!(
        seen.iter().any(|c| c.phone.is_some()) && seen.iter().any(|c| c.email.is_some()),
        "the demo customers have phones and emails to mask"
    );
    for customer in &seen {
        assert!(
            masked_like(customer, real_of(customer)),
            "the change feed masks {}: {:?} {:?}",
            customer.id,
            customer.phone,
            customer.email
        );
    }

    let snapshot: Snapshot = backend.get(&lucas.token, "/snapshot").await;
    assert!(!snapshot.customers.is_empty(), "the snapshot has customers");
    for customer in &snapshot.customers {
        assert!(
            masked_like(customer, real_of(customer)),
            "the snapshot masks {}",
            customer.id
        );
    }

    let mut before = snapshot.cursor + 1;
    let mut history_customers = 0;
    loop {
        let page: HistoryPage = backend
            .get(&lucas.token, &format!("/changes/history?before={before}"))
            .await;
        for change in &page.changes {
            if let ChangeData::Customer(customer) = &change.data {
                history_customers += 1;
                assert!(
                    masked_like(customer, real_of(customer)),
                    "the history masks {}",
                    customer.id
                );
            }
        }
        before = page.next_before;
        if !page.has_more {
            break;
        }
    }
    assert!(history_customers > 0, "the history has customers");

    let response = backend.open_stream(&lucas.token, 0).await;
    assert_eq!(response.status(), 200, "the stream opens");
    let mut events = response.bytes_stream();
    let mut buffer = String::new();
    let mut streamed = 0;
    while streamed < 3 {
        let change = tokio::time::timeout(support::DEADLINE, next_change(&mut events, &mut buffer))
            .await
            .expect("the stream delivers the feed in time")
            .expect("the stream holds customers");
        if let ChangeData::Customer(customer) = change.data {
            streamed += 1;
            assert!(
                masked_like(&customer, real_of(&customer)),
                "the stream masks {}",
                customer.id
            );
        }
    }
}

#[tokio::test]
async fn a2_the_search_finds_a_customer_by_full_phone_or_email_only_when_masked() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let lucas = backend.sign_in(LUCAS).await;
    let target = customers_seen(&backend, &ava.token)
        .await
        .into_iter()
        .find(|c| c.phone.as_deref().is_some_and(|p| p.starts_with("+1")) && c.email.is_some())
        .expect("a New York customer with a US phone and an email");
    let phone = target.phone.clone().expect("a phone");
    let email = target.email.clone().expect("an email");
    let national = &phone[2..];
    let formatted = format!(
        "({}) {}-{}",
        &national[..3],
        &national[3..6],
        &national[6..]
    );
    let fragment = &phone[phone.len() - 5..];
    // Without its first character, so that the name ("james.thornton") does not match.
    let partial_email = &email[1..];
    let finds = |found: &[Customer]| found.iter().any(|c| c.id == target.id);

    for typed in [phone.as_str(), formatted.as_str(), email.as_str()] {
        let found = search(&backend, &lucas.token, typed).await;
        assert!(
            finds(&found),
            "the full {typed:?} finds {} for a seasonal associate",
            target.full_name()
        );
        let shown = found.iter().find(|c| c.id == target.id).expect("found");
        assert!(
            masked_like(shown, &target),
            "the search answers the customer masked: {:?} {:?}",
            shown.phone,
            shown.email
        );
    }
    for typed in [fragment, partial_email] {
        assert!(
            !finds(&search(&backend, &lucas.token, typed).await),
            "the fragment {typed:?} does not find {} behind the mask",
            target.full_name()
        );
        let found = search(&backend, &ava.token, typed).await;
        assert!(
            finds(&found),
            "the fragment {typed:?} finds {} for an associate",
            target.full_name()
        );
        assert!(
            found.contains(&target),
            "an associate gets the customer unmasked"
        );
    }
    assert!(
        finds(&search(&backend, &lucas.token, &target.full_name()).await),
        "names are not masked: the full name finds {} for a seasonal associate",
        target.full_name()
    );

    let everyone = search(&backend, &ava.token, "").await;
    assert_eq!(
        everyone.len(),
        50,
        "an empty search lists customers, at most 50"
    );
    assert!(
        everyone
            .windows(2)
            .all(|pair| pair[0].updated_at >= pair[1].updated_at),
        "most recently updated first"
    );
}
