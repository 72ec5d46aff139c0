//! End-to-end: the customers section (C1, C2, C10, M14). From the section bar to the
//! clientbook, a search as you type, the profile, and from the profile into one of the
//! customer's conversations; back returns to the profile.

use clienteling_e2e::{AppUnderTest, TestBackend, AVA};
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_associate_finds_a_customer_opens_the_profile_and_one_of_their_conversations_c1_c2_c10()
{
    let backend = TestBackend::start().await;
    let data_dir = tempfile::tempdir().expect("a data folder");
    let app = AppUnderTest::launch(backend.url(), data_dir.path()).await;
    app.sign_in(AVA).await;
    let conversation = backend
        .writable_conversations(AVA, clienteling_domain::Channel::Sms)
        .await[0]
        .clone();
    let (_, customers) = backend.view(AVA).await;
    let customer = customers
        .iter()
        .find(|c| c.id == conversation.customer_id)
        .expect("the conversation's customer")
        .clone();

    app.wait_for("[data-test=section-customers]")
        .await
        .click()
        .await
        .expect("the Customers section opens");
    app.wait_for("[data-test=customer-row]").await;
    app.screenshot(&std::env::temp_dir().join("customers-list.png"))
        .await;
    app.wait_for("[data-test=customers-tab-store]")
        .await
        .click()
        .await
        .expect("the store's customers show");
    let search = app.wait_for("[data-test=customer-search]").await;
    search
        .send_keys(&customer.last_name[..3])
        .await
        .expect("the search takes typing");
    let row = format!(
        "[data-test=customer-row][data-customer-id=\"{}\"]",
        customer.id
    );
    app.wait_for(&row).await;
    let names = app
        .client
        .execute(
            "return Array.from(document.querySelectorAll('[data-test=customer-name]')).map(e => e.textContent)",
            vec![],
        )
        .await
        .expect("the rows' names read");
    let names: Vec<String> = serde_json::from_value(names).expect("a list of names");
    let typed = customer.last_name[..3].to_lowercase();
    assert!(!names.is_empty(), "the search lists someone");
    for name in names {
        assert!(
            name.to_lowercase()
                .split(' ')
                .any(|part| part.starts_with(&typed)),
            "every row matches the search: {name:?}"
        );
    }
    app.client
        .find(Locator::Css(&row))
        .await
        .expect("the customer's row")
        .find(Locator::XPath(".."))
        .await
        .expect("the row's link")
        .click()
        .await
        .expect("the row opens the profile");
    let name = app
        .wait_for_text("[data-test=profile-name]", "the customer's name", |t| {
            t == customer.full_name()
        })
        .await;
    assert_eq!(name, customer.full_name(), "the profile is the customer's");
    app.screenshot(&std::env::temp_dir().join("customer-profile.png"))
        .await;
    let link = format!(
        "[data-test=profile-conversation][data-conversation-id=\"{}\"]",
        conversation.id
    );
    app.wait_for(&link)
        .await
        .click()
        .await
        .expect("the conversation opens from the profile");
    app.wait_for(&format!(
        "[data-test=chat][data-conversation-id=\"{}\"]",
        conversation.id
    ))
    .await;
    app.client.back().await.expect("the WebView goes back");
    app.wait_for("[data-test=customer-profile]").await;
    // And from the chat header to the profile.
    app.wait_for(&link)
        .await
        .click()
        .await
        .expect("the conversation opens again");
    app.wait_for("[data-test=chat-profile-link]")
        .await
        .click()
        .await
        .expect("the chat header links to the profile");
    app.wait_for_text("[data-test=profile-name]", "the customer's name", |t| {
        t == customer.full_name()
    })
    .await;

    // On a phone-sized window the sections are a bar at the bottom, under the profile.
    app.client
        .set_window_size(390, 844)
        .await
        .expect("the window takes a phone's size");
    let bar_top = app
        .client
        .execute(
            "return document.querySelector('.sections').getBoundingClientRect().top / window.innerHeight",
            vec![],
        )
        .await
        .expect("the section bar is measured")
        .as_f64()
        .expect("a number");
    assert!(
        bar_top > 0.8,
        "the section bar sits at the bottom of a phone-sized window ({bar_top:.2} down)"
    );
    app.screenshot(&std::env::temp_dir().join("customer-profile-phone.png"))
        .await;
    app.wait_for("[data-test=section-customers]")
        .await
        .click()
        .await
        .expect("the Customers section opens from the bottom bar");
    app.wait_for("[data-test=customer-row]").await;
    app.screenshot(&std::env::temp_dir().join("customers-list-phone.png"))
        .await;
    app.quit().await;
    backend.shutdown().await;
}
