//! The clientbook and the profile from the local copy (C1, C2, C10, M14).

use clienteling_domain::view::{CustomerQuery, CustomerScope};
use clienteling_domain::{StaffId, StoreId};

use crate::harness::{eventually, signed_in, Signed, AVA, NOAH};

/// Signs `login` in and waits until the backfill brought every customer (the snapshot
/// holds only those of active conversations).
async fn with_whole_clientbook(login: &str) -> Signed {
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

fn query(scope: CustomerScope, search: &str) -> CustomerQuery {
    CustomerQuery {
        scope,
        search: search.into(),
        filters: Vec::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c1_my_customers_and_the_stores_are_listed_most_recently_contacted_first() {
    let s = with_whole_clientbook(AVA).await;
    let backend = s.api.snapshot().await;
    let ava = StaffId::from("staff-ava");
    let nyc = StoreId::from("store-nyc");
    let mine = s
        .core
        .list_customers(query(CustomerScope::Mine, ""))
        .await
        .expect("my customers list");
    let expected_mine = backend
        .customers
        .values()
        .filter(|c| c.store_ids.contains(&nyc) && c.assigned_staff_ids.contains(&ava))
        .count();
    assert_eq!(
        mine.rows.len().min(100),
        expected_mine.min(100),
        "every customer assigned to Ava in New York, up to a page"
    );
    assert!(
        mine.rows
            .iter()
            .all(|r| r.customer.assigned_staff_ids.contains(&ava)),
        "only Ava's customers under Mine"
    );
    let store = s
        .core
        .list_customers(query(CustomerScope::Store, ""))
        .await
        .expect("the store's customers list");
    assert!(
        store.rows.len() >= mine.rows.len() && store.rows.len() == 100 && store.has_more,
        "the store's clientbook is larger than a page"
    );
    let contacts: Vec<_> = store.rows.iter().map(|r| r.last_contact_at).collect();
    let contacted = contacts.iter().take_while(|c| c.is_some()).count();
    assert!(
        contacts[..contacted].windows(2).all(|w| w[0] >= w[1])
            && contacts[contacted..].iter().all(Option::is_none),
        "most recently contacted first, never-contacted last"
    );
    let first = &store.rows[0];
    let conversation = backend
        .conversations
        .values()
        .filter(|c| c.customer_id == first.customer.id && c.store_id == nyc)
        .max_by_key(|c| c.last_activity_at)
        .expect("the first row has a conversation");
    assert_eq!(
        (first.last_contact_at, first.consent),
        (Some(conversation.last_activity_at), conversation.consent),
        "each row shows the last contact and the consent in this store"
    );
    assert!(
        first.channels.contains(&conversation.channel),
        "and the channels of the conversations"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c1_search_finds_by_name_start_phone_digits_in_any_format_and_email() {
    let s = with_whole_clientbook(AVA).await;
    let all = s
        .core
        .list_customers(query(CustomerScope::Store, ""))
        .await
        .expect("the store's customers list");
    let target = all
        .rows
        .iter()
        .map(|r| &r.customer)
        .find(|c| c.phone.is_some() && c.email.is_some())
        .expect("a customer with a phone and an email")
        .clone();
    let phone = target.phone.clone().expect("a phone");
    let national = &phone[2..];
    let typed = format!(
        "({}) {}-{}",
        &national[..3],
        &national[3..6],
        &national[6..]
    );
    let email = target.email.clone().expect("an email");
    let at = email.find('@').expect("an address");
    for (search, how) in [
        (
            target.last_name[..3].to_lowercase(),
            "the start of the last name",
        ),
        (
            target.full_name().to_uppercase(),
            "the full name in capitals",
        ),
        (typed, "the phone as typed with brackets and dashes"),
        (national[3..].to_owned(), "a fragment of the phone's digits"),
        (email[at..].to_owned(), "part of the email"),
    ] {
        let found = s
            .core
            .list_customers(query(CustomerScope::Store, &search))
            .await
            .expect("the search lists");
        assert!(
            found.rows.iter().any(|r| r.customer.id == target.id),
            "{how} ({search:?}) finds {}",
            target.full_name()
        );
    }
    let none = s
        .core
        .list_customers(query(CustomerScope::Store, "zzzz-nobody"))
        .await
        .expect("the search lists");
    assert!(
        none.rows.is_empty(),
        "a search matching no one lists no one"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c10_m14_a_profile_lists_the_customers_conversations_and_a_shared_customer_is_in_both_stores(
) {
    let s = with_whole_clientbook(NOAH).await;
    let store = s
        .core
        .list_customers(query(CustomerScope::Store, ""))
        .await
        .expect("London's customers list");
    let shared = store
        .rows
        .iter()
        .find(|r| r.customer.store_ids.len() == 2)
        .expect("a customer London shares with New York");
    assert!(
        shared
            .customer
            .store_ids
            .contains(&StoreId::from("store-nyc")),
        "the shared customer is New York's too"
    );
    let with_conversations = store
        .rows
        .iter()
        .find(|r| r.last_contact_at.is_some())
        .expect("a customer London has written to");
    let profile = s
        .core
        .show_customer(&with_conversations.customer.id)
        .await
        .expect("the profile opens");
    assert_eq!(
        profile.customer, with_conversations.customer,
        "the profile is the listed customer"
    );
    assert!(
        !profile.conversations.is_empty()
            && profile
                .conversations
                .iter()
                .all(|c| c.customer_id == profile.customer.id && c.store_id.as_str() == "store-lon"),
        "the profile lists the customer's conversations in Noah's store"
    );
}
