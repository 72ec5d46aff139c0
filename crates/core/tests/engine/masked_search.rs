//! The search by a full phone number or email for staff who see them masked (A2): the
//! seasonal associate's local copy holds masked phones and emails, so the core asks the
//! backend, which finds the customer; offline the page says the search needs it.

use clienteling_domain::api::Customer;
use clienteling_domain::view::{CustomerQuery, CustomerScope};
use clienteling_domain::StoreId;

use crate::harness::{signed_in, Api, Signed, AVA, DEADLINE};

/// New York seasonal associate: phones and emails masked (no `view_sensitive_data`).
const LUCAS: &str = "lucas.reed@clienteling.demo";

fn search(typed: &str) -> CustomerQuery {
    CustomerQuery {
        scope: CustomerScope::Store,
        search: typed.to_owned(),
        filters: Vec::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a2_a_full_phone_or_email_typed_by_staff_who_see_them_masked_is_found_by_the_backend() {
    let s = signed_in(LUCAS).await;
    let ava = Api::sign_in(&s.server.url(), AVA).await;
    let customers = ava.snapshot().await.customers;
    let known: Customer = customers
        .into_values()
        .filter(|c| c.store_ids.contains(&StoreId::from("store-nyc")))
        .find(|c| c.phone.is_some() && c.email.is_some())
        .expect("a New York customer with a phone and an email");
    let phone = known.phone.clone().expect("a phone");
    let email = known.email.clone().expect("an email");

    for typed in [phone.clone(), email.to_uppercase()] {
        let page = s
            .core
            .list_customers(search(&typed))
            .await
            .expect("the clientbook lists");
        let row = page
            .rows
            .iter()
            .find(|row| row.customer.id == known.id)
            .unwrap_or_else(|| panic!("{typed:?} finds {} through the backend", known.id));
        assert_ne!(
            row.customer.phone.as_deref(),
            Some(phone.as_str()),
            "the phone stays masked for Lucas"
        );
        assert_eq!(page.note, None, "online, nothing to say");
    }
    s.core
        .show_customer(&known.id)
        .await
        .expect("the customer found is in the local copy");

    let Signed {
        server,
        core,
        data_dir: _data_dir,
        ..
    } = s;
    tokio::time::timeout(DEADLINE, server.shutdown())
        .await
        .expect("the mock backend shuts down");
    let offline = core
        .list_customers(search(&phone))
        .await
        .expect("the clientbook lists offline");
    assert!(
        offline
            .note
            .as_deref()
            .is_some_and(|note| note.contains("needs the backend")),
        "offline the page says the search needs the backend: {:?}",
        offline.note
    );
    core.shutdown().await;
}
