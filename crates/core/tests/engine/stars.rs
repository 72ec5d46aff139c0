//! Stars (C1): set on this device at once, offline too, sent through the outbox once the
//! backend is back (also after a restart), listed in the Starred tab and first in the
//! others; a star set on another device arrives through the feed; one the backend refuses
//! is put back.

use std::sync::Arc;

use clienteling_core::{Core, ManualClock};
use clienteling_domain::api::{ChangeData, ChangesPage, LoginRequest, Session};
use clienteling_domain::assignment::{AssignmentRequest, CustomerStar};
use clienteling_domain::view::{CustomerQuery, CustomerScope};
use clienteling_domain::{CustomerId, StoreId};
use clienteling_mock_server::RunningServer;

use crate::harness::{eventually, open_core, signed_in, spawn_server, AVA, DEADLINE, PASSWORD};

fn query(scope: CustomerScope) -> CustomerQuery {
    CustomerQuery {
        scope,
        search: String::new(),
        filters: Vec::new(),
    }
}

async fn listed(core: &Core, scope: CustomerScope) -> Vec<(CustomerId, bool)> {
    core.list_customers(query(scope))
        .await
        .expect("the clientbook lists")
        .rows
        .into_iter()
        .map(|row| (row.customer.id, row.starred))
        .collect()
}

/// A raw session on `base` as `login`.
async fn token(base: &str, login: &str) -> String {
    let session: Session = reqwest::Client::new()
        .post(format!("{base}/api/v1/sessions"))
        .json(&LoginRequest {
            login: login.into(),
            password: PASSWORD.into(),
        })
        .send()
        .await
        .expect("the backend answers")
        .error_for_status()
        .expect("the demo account signs in")
        .json()
        .await
        .expect("a session");
    session.token
}

/// The stars in `token`'s feed, as they stand now.
async fn backend_stars(base: &str, token: &str) -> Vec<CustomerStar> {
    let http = reqwest::Client::new();
    let mut cursor = 0;
    let mut stars: Vec<CustomerStar> = Vec::new();
    loop {
        let page: ChangesPage = http
            .get(format!("{base}/api/v1/changes?after={cursor}&limit=1000"))
            .bearer_auth(token)
            .send()
            .await
            .expect("the backend answers")
            .json()
            .await
            .expect("a page of changes");
        for change in page.changes {
            if let ChangeData::Star(star) = change.data {
                stars.retain(|known| known.customer_id != star.customer_id);
                stars.push(star);
            }
        }
        cursor = page.next_cursor;
        if !page.has_more {
            return stars;
        }
    }
}

async fn stop_server(server: RunningServer) {
    tokio::time::timeout(DEADLINE, server.shutdown())
        .await
        .expect("the mock backend shuts down");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c1_a_star_set_offline_reaches_the_backend_after_a_restart_and_the_starred_tab_lists_it() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let backend_db = dir.path().join("backend.db");
    let app_dir = dir.path().join("app");
    let clock = Arc::new(ManualClock::starting_now());

    let server = spawn_server(0, Some(backend_db.clone())).await;
    let core = open_core(&app_dir, &server.url(), &clock).await;
    core.sign_in(AVA, PASSWORD).await.expect("signs in");
    let store = listed(&core, CustomerScope::Store).await;
    let (customer, _) = store
        .last()
        .cloned()
        .expect("the snapshot brought customers");
    core.shutdown().await;
    let first_url = server.url();
    stop_server(server).await;

    let offline = open_core(&app_dir, &first_url, &clock).await;
    offline
        .star_customer(&customer)
        .await
        .expect("starring works offline (C1)");
    assert_eq!(
        listed(&offline, CustomerScope::Starred).await,
        vec![(customer.clone(), true)],
        "the Starred tab lists the customer at once"
    );
    assert_eq!(
        listed(&offline, CustomerScope::Store).await.first(),
        Some(&(customer.clone(), true)),
        "a starred customer comes first in the store's tab"
    );
    let profile = offline
        .show_customer(&customer)
        .await
        .expect("the profile opens");
    assert!(profile.starred, "the profile shows the star");
    offline.shutdown().await;

    let server = spawn_server(0, Some(backend_db)).await;
    let core = open_core(&app_dir, &server.url(), &clock).await;
    let token = token(&server.url(), AVA).await;
    let stars = eventually("the backend receives the star", || async {
        let stars = backend_stars(&server.url(), &token).await;
        (!stars.is_empty()).then_some(stars)
    })
    .await;
    assert_eq!(
        stars,
        vec![CustomerStar {
            customer_id: customer.clone(),
            starred: true
        }],
        "exactly the star set offline reached the backend"
    );
    assert_eq!(
        listed(&core, CustomerScope::Starred).await,
        vec![(customer, true)],
        "the star stays after the feed brought the backend's state"
    );
    core.shutdown().await;
    stop_server(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c1_a_star_set_on_another_device_arrives_through_the_feed_and_so_does_its_removal() {
    let s = signed_in(AVA).await;
    let (customer, _) = listed(&s.core, CustomerScope::Store)
        .await
        .first()
        .cloned()
        .expect("the snapshot brought customers");
    let token = token(&s.server.url(), AVA).await;
    let http = reqwest::Client::new();
    let star = format!("{}/api/v1/customers/{customer}/star", s.server.url());
    http.put(&star)
        .bearer_auth(&token)
        .send()
        .await
        .expect("the backend answers")
        .error_for_status()
        .expect("the other device stars");
    eventually("the star arrives", || async {
        (listed(&s.core, CustomerScope::Starred).await == vec![(customer.clone(), true)])
            .then_some(())
    })
    .await;
    http.delete(&star)
        .bearer_auth(&token)
        .send()
        .await
        .expect("the backend answers")
        .error_for_status()
        .expect("the other device unstars");
    eventually("the removal arrives", || async {
        listed(&s.core, CustomerScope::Starred)
            .await
            .is_empty()
            .then_some(())
    })
    .await;
    let unknown = s
        .core
        .star_customer(&CustomerId::from("no-such-customer"))
        .await
        .expect_err("a customer not in the local copy cannot be starred");
    assert_eq!(
        clienteling_domain::ApiError::from(unknown).code,
        clienteling_domain::ErrorCode::NotFound,
        "the refusal says not found"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c1_a_star_the_backend_refuses_is_put_back_as_it_was() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let backend_db = dir.path().join("backend.db");
    let app_dir = dir.path().join("app");
    let clock = Arc::new(ManualClock::starting_now());

    let server = spawn_server(0, Some(backend_db.clone())).await;
    let core = open_core(&app_dir, &server.url(), &clock).await;
    core.sign_in(AVA, PASSWORD).await.expect("signs in");
    let (customer, _) = listed(&core, CustomerScope::Store)
        .await
        .first()
        .cloned()
        .expect("the snapshot brought customers");
    core.shutdown().await;
    // Meanwhile the customer leaves New York: Ava's star will be refused.
    let admin = token(&server.url(), "admin@clienteling.demo").await;
    reqwest::Client::new()
        .put(format!(
            "{}/api/v1/customers/{customer}/assignment",
            server.url()
        ))
        .bearer_auth(&admin)
        .json(&AssignmentRequest {
            store_ids: vec![StoreId::from("store-lon")],
            staff_ids: Vec::new(),
        })
        .send()
        .await
        .expect("the backend answers")
        .error_for_status()
        .expect("the admin moves the customer to London");
    let first_url = server.url();
    stop_server(server).await;

    let offline = open_core(&app_dir, &first_url, &clock).await;
    offline
        .star_customer(&customer)
        .await
        .expect("starring works offline");
    offline.shutdown().await;

    let server = spawn_server(0, Some(backend_db)).await;
    let core = open_core(&app_dir, &server.url(), &clock).await;
    eventually("the refused star is put back", || async {
        let profile = core
            .show_customer(&customer)
            .await
            .expect("the profile opens from the local copy");
        (!profile.starred).then_some(())
    })
    .await;
    core.shutdown().await;
    stop_server(server).await;
}
