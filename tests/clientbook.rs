//! End-to-end: the customers issue's whole path through the running app (C1, C3, C5, C9,
//! C11, B3, A2). The New York manager finds a customer by a search and an attribute
//! filter (the row showing their tier), opens the profile, writes a note, stars them, sets
//! a reminder and assigns them to an associate; signed in as that associate, the customer
//! is theirs, with the note, the orders, the attribute values and the conversations. A seasonal associate (no
//! `view_sensitive_data`) sees the customer's contacts masked. A new customer with an
//! existing phone is refused as an existing user, the form keeping what was typed (C12);
//! "Message" starts an SMS conversation with the new customer and the chat offers the
//! opt-in request (C2).
//! An edit made offline closes the form and shows on the profile, "Saving…" until the
//! backend is back and has it; on a phone "Edit" sits with the header's actions (C13).

use std::collections::BTreeSet;

use clienteling_domain::api::{ChangeData, Customer};
use clienteling_domain::attribute::AttributeValue;
use clienteling_domain::{Channel, CustomerId, StoreId};
use clienteling_e2e::{AppUnderTest, TestBackend};
use fantoccini::Locator;

/// The New York store manager (may assign customers).
const MIA: &str = "mia.thompson@clienteling.demo";
/// A New York associate.
const LIAM: &str = "liam.chen@clienteling.demo";
/// Liam's staff id.
const LIAM_ID: &str = "staff-liam";
/// A seasonal associate in New York, without `view_sensitive_data`.
const LUCAS: &str = "lucas.reed@clienteling.demo";
/// The New York store.
const NYC: &str = "store-nyc";
/// The attribute the test filters on.
const SIZE: &str = "preferred_size";
/// The attribute each clientbook row shows (C1).
const TIER: &str = "tier";

/// A New York customer not assigned to Liam, with a preferred size, a tier, orders and a
/// conversation: the one the manager works on, their preferred size and their tier.
async fn pick_customer(backend: &TestBackend) -> (Customer, String, String) {
    let changes = backend.changes_for(MIA).await;
    let mut with_orders = BTreeSet::new();
    let mut with_conversations = BTreeSet::new();
    let mut sizes = Vec::new();
    let mut tiers = Vec::new();
    let mut customers = Vec::new();
    for data in changes {
        match data {
            ChangeData::Order(order) => {
                with_orders.insert(order.customer_id);
            }
            ChangeData::Conversation(conversation) => {
                with_conversations.insert(conversation.customer_id);
            }
            ChangeData::CustomerAttributes(attributes) => {
                if let Some(AttributeValue::Choices(picked)) = attributes.value(SIZE) {
                    if let Some(size) = picked.first() {
                        sizes.push((attributes.customer_id.clone(), size.clone()));
                    }
                }
                if let Some(tier) = attributes.value(TIER) {
                    tiers.push((attributes.customer_id.clone(), tier.display()));
                }
            }
            ChangeData::Customer(customer) => customers.push(customer),
            _ => {}
        }
    }
    let nyc = StoreId::from(NYC);
    customers
        .into_iter()
        .filter(|c| c.store_ids.contains(&nyc))
        .filter(|c| !c.assigned_staff_ids.iter().any(|s| s.as_str() == LIAM_ID))
        .filter(|c| with_orders.contains(&c.id) && with_conversations.contains(&c.id))
        .find_map(|c| {
            let size = sizes.iter().find(|(id, _)| id == &c.id)?.1.clone();
            let tier = tiers.iter().find(|(id, _)| id == &c.id)?.1.clone();
            Some((c, size, tier))
        })
        .expect("the demo has a New York customer with a size, a tier, orders and a conversation")
}

/// Sets a `<select>` to `value` as a person choosing it would (the change event fires).
async fn choose(app: &AppUnderTest, css: &str, value: &str) {
    app.wait_for(css).await;
    app.client
        .execute(
            "const select = document.querySelector(arguments[0]);
             select.value = arguments[1];
             select.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![css.into(), value.into()],
        )
        .await
        .expect("the choice is made");
}

/// Clicks what `css` finds once it is there.
async fn click(app: &AppUnderTest, css: &str) {
    app.wait_for(css)
        .await
        .click()
        .await
        .unwrap_or_else(|error| panic!("{css} takes a click: {error}"));
}

/// Waits until the older history is local (the inbox's progress bar is gone): the
/// clientbook's filters read the local copy.
async fn history_filled_in(app: &AppUnderTest) {
    clienteling_e2e::eventually("the backfill completes", || async {
        app.client
            .find_all(Locator::Css("[data-test=history-progress]"))
            .await
            .expect("the page answers")
            .is_empty()
            .then_some(())
    })
    .await;
}

/// Opens the profile from the clientbook row of `id`.
async fn open_profile_from_row(app: &AppUnderTest, id: &CustomerId) {
    let row = format!("[data-test=customer-row][data-customer-id=\"{id}\"]");
    app.wait_for(&row).await;
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
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_works_a_customer_and_the_associate_they_assign_sees_it_all_c1_c3_c5_c9_c11_b3() {
    let backend = TestBackend::start().await;
    let (customer, size, tier) = pick_customer(&backend).await;
    let data_dir = tempfile::tempdir().expect("a data folder");
    let app = AppUnderTest::launch(backend.url(), data_dir.path()).await;
    app.sign_in(MIA).await;
    history_filled_in(&app).await;

    // Search, then filter by the customer's preferred size.
    click(&app, "[data-test=section-customers]").await;
    click(&app, "[data-test=customers-tab-store]").await;
    app.wait_for("[data-test=customer-search]")
        .await
        .send_keys(&customer.last_name[..3])
        .await
        .expect("the search takes typing");
    click(&app, "[data-test=filter-add]").await;
    choose(&app, "[data-test=filter-attribute]", SIZE).await;
    click(&app, &format!("[data-test=filter-value][value=\"{size}\"]")).await;
    click(&app, "[data-test=filter-apply]").await;
    app.wait_for(&format!(
        "[data-test=filter-chip][data-attribute-key={SIZE}]"
    ))
    .await;
    let shown_tier = app
        .client
        .execute(
            "const marker = document.querySelector(`[data-test=customer-row][data-customer-id=\"${arguments[0]}\"]`);
             const tag = marker && marker.parentElement.querySelector('[data-test=customer-tag][data-key=' + arguments[1] + ']');
             return tag ? tag.textContent : null;",
            vec![customer.id.as_str().into(), TIER.into()],
        )
        .await
        .expect("the row is read");
    assert_eq!(
        shown_tier.as_str(),
        Some(tier.as_str()),
        "the customer's row shows their tier as a tag (C1)"
    );
    open_profile_from_row(&app, &customer.id).await;
    app.wait_for_text("[data-test=profile-name]", "the customer's name", |t| {
        t == customer.full_name()
    })
    .await;

    // A note, a star and a reminder.
    let note = "Prefers fittings on Saturday mornings";
    app.wait_for("[data-test=add-note-input]")
        .await
        .send_keys(note)
        .await
        .expect("the note takes typing");
    click(&app, "[data-test=add-note-save]").await;
    app.wait_for_text("[data-test=note-body]", "the note", |t| t == note)
        .await;
    click(&app, "[data-test=customer-profile] [data-test=star-toggle]").await;
    app.wait_for("[data-test=customer-profile] [data-test=star-toggle][aria-pressed=true]")
        .await;
    click(&app, "[data-test=remind-me]").await;
    app.wait_for("[data-test=reminder-note]")
        .await
        .send_keys("Invite to the autumn preview")
        .await
        .expect("the reminder's note takes typing");
    click(&app, "[data-test=reminder-save]").await;
    app.wait_for_text("[data-test=reminder-set]", "the confirmation", |t| {
        t.starts_with("Reminder set for")
    })
    .await;

    // Assign to Liam.
    click(&app, "[data-test=assign-open]").await;
    click(
        &app,
        &format!("[data-test=assign-staff][data-staff-id=\"{LIAM_ID}\"]"),
    )
    .await;
    click(&app, "[data-test=assign-save]").await;
    let entry = app
        .wait_for_text("[data-test=assignment-entry]", "the audit line", |t| {
            t.contains("Liam Chen")
        })
        .await;
    assert!(
        entry.contains("Mia Thompson"),
        "the audit names who assigned: {entry}"
    );
    // What was written offline-first has reached the backend before signing out.
    clienteling_e2e::eventually("the note reaches the backend", || async {
        backend
            .changes_for(LIAM)
            .await
            .into_iter()
            .any(|data| matches!(data, ChangeData::Note(n) if n.body == note))
            .then_some(())
    })
    .await;

    // Signed in as Liam: the customer is his, with the note, orders and conversations.
    click(&app, "[data-test=sign-out]").await;
    app.sign_in(LIAM).await;
    click(&app, "[data-test=section-customers]").await;
    click(&app, "[data-test=customers-tab-mine]").await;
    open_profile_from_row(&app, &customer.id).await;
    app.wait_for_text("[data-test=note-body]", "Mia's note", |t| t == note)
        .await;
    let author = app
        .wait_for_text("[data-test=note-author]", "the note's author", |t| {
            !t.is_empty()
        })
        .await;
    assert!(
        author.contains("Mia Thompson"),
        "the note says who wrote it: {author}"
    );
    app.wait_for("[data-test=order]").await;
    app.wait_for("[data-test=profile-conversation]").await;
    app.wait_for_text(
        &format!(
            "[data-test=attribute-row][data-attribute-key={SIZE}] [data-test=attribute-value]"
        ),
        "the preferred size",
        |t| t.contains(&size),
    )
    .await;
    app.wait_for("[data-test=customer-profile] [data-test=star-toggle][aria-pressed=false]")
        .await;
    app.quit().await;
    backend.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seasonal_associate_sees_contacts_masked_on_the_profile_a2() {
    let backend = TestBackend::start().await;
    let (customer, _, _) = pick_customer(&backend).await;
    let phone = customer
        .phone
        .clone()
        .expect("the picked customer has a phone");
    let data_dir = tempfile::tempdir().expect("a data folder");
    let app = AppUnderTest::launch(backend.url(), data_dir.path()).await;
    app.sign_in(LUCAS).await;
    click(&app, "[data-test=section-customers]").await;
    click(&app, "[data-test=customers-tab-store]").await;
    app.wait_for("[data-test=customer-search]")
        .await
        .send_keys(&customer.last_name[..3])
        .await
        .expect("the search takes typing");
    open_profile_from_row(&app, &customer.id).await;
    let shown = app
        .wait_for_text("[data-test=profile-phone]", "the phone", |t| !t.is_empty())
        .await;
    assert!(
        shown.contains('•') && !shown.contains(&phone[2..]),
        "the phone is masked for a role without view_sensitive_data: {shown}"
    );
    let page = app
        .client
        .execute("return document.body.innerText", vec![])
        .await
        .expect("the page's text reads");
    let page = page.as_str().unwrap_or_default();
    assert!(
        !page.contains(&phone),
        "the full phone number is nowhere on the screen"
    );
    app.quit().await;
    backend.shutdown().await;
}

/// The value of the input `css` finds.
async fn value_of(app: &AppUnderTest, css: &str) -> String {
    app.wait_for(css)
        .await
        .prop("value")
        .await
        .expect("the input's value reads")
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_with_an_existing_phone_is_refused_as_already_existing_the_form_keeps_what_was_typed_and_the_new_one_can_be_messaged_c12_c2(
) {
    let backend = TestBackend::start().await;
    let (existing, _, _) = pick_customer(&backend).await;
    let phone = existing.phone.clone().expect("the customer has a phone");
    let national = format!("({}) {}-{}", &phone[2..5], &phone[5..8], &phone[8..]);
    let data_dir = tempfile::tempdir().expect("a data folder");
    let app = AppUnderTest::launch(backend.url(), data_dir.path()).await;
    app.sign_in(MIA).await;
    click(&app, "[data-test=section-customers]").await;
    click(&app, "[data-test=new-customer]").await;
    app.wait_for("[data-test=customer-form]").await;
    let typed = [
        ("[data-test=customer-first-name]", "Grace"),
        ("[data-test=customer-last-name]", "Hopper"),
        ("[data-test=customer-phone]", national.as_str()),
        ("[data-test=customer-email]", "grace.hopper@example.com"),
    ];
    for (css, text) in typed {
        app.wait_for(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|error| panic!("{css} takes typing: {error}"));
    }
    click(&app, "[data-test=customer-save]").await;
    let refusal = app
        .wait_for_text(
            "[data-test=field-error-phone]",
            "the phone's refusal",
            |t| !t.is_empty(),
        )
        .await;
    app.screenshot(&std::env::temp_dir().join("customer-form.png"))
        .await;
    assert!(
        refusal.contains("user already exists") && refusal.contains(&phone),
        "the refusal names the existing phone, typed in the national format: {refusal}"
    );
    for (css, text) in typed {
        assert_eq!(
            value_of(&app, css).await,
            text,
            "the form keeps what was typed in {css}"
        );
    }

    // Another number goes through, and the new customer's profile opens.
    let phone_input = app.wait_for("[data-test=customer-phone]").await;
    phone_input.clear().await.expect("the phone clears");
    phone_input
        .send_keys("(212) 555-0199")
        .await
        .expect("the phone takes typing");
    click(&app, "[data-test=customer-save]").await;
    app.wait_for_text("[data-test=profile-name]", "the new customer", |t| {
        t == "Grace Hopper"
    })
    .await;
    let (_, customers) = backend.view(MIA).await;
    let created = customers
        .iter()
        .find(|c| c.first_name == "Grace" && c.last_name == "Hopper")
        .expect("the backend has the new customer");
    assert_eq!(
        created.phone.as_deref(),
        Some("+12125550199"),
        "the national number is stored in E.164 in the store's country"
    );

    // C2: "Message" starts a conversation with the new customer; with a phone and an
    // email the store's three channels reach them, so the associate picks SMS.
    click(&app, "[data-test=profile-message]").await;
    click(&app, "[data-test=message-channel][data-channel=sms]").await;
    app.wait_for("[data-test=chat]").await;
    click(&app, "[data-test=request-opt-in]").await;
    app.wait_for("[data-test=send-opt-in]").await;
    app.screenshot(&std::env::temp_dir().join("message-new-customer.png"))
        .await;
    let (conversations, _) = backend.view(MIA).await;
    assert!(
        conversations
            .iter()
            .any(|c| c.customer_id == created.id && c.channel == Channel::Sms),
        "the backend has the SMS conversation the chat opened, its consent unknown so the opt-in request is offered"
    );
    app.quit().await;
    backend.shutdown().await;
}

/// The top of what `css` finds, in CSS pixels from the top of the window.
async fn top_of(app: &AppUnderTest, css: &str) -> f64 {
    app.wait_for(css).await;
    app.client
        .execute(
            "return document.querySelector(arguments[0]).getBoundingClientRect().top",
            vec![css.into()],
        )
        .await
        .expect("the element is measured")
        .as_f64()
        .expect("a number")
}

/// Whether `css` finds anything now.
async fn shown(app: &AppUnderTest, css: &str) -> bool {
    !app.client
        .find_all(Locator::Css(css))
        .await
        .expect("the page answers")
        .is_empty()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_made_offline_closes_the_form_and_the_profile_shows_it_saving_until_the_backend_is_back_c13(
) {
    let backend_dir = tempfile::tempdir().expect("a backend folder");
    let mut backend = TestBackend::start_persistent(backend_dir.path()).await;
    let data_dir = tempfile::tempdir().expect("a data folder");
    let app = AppUnderTest::launch(backend.url(), data_dir.path()).await;
    app.sign_in(MIA).await;
    click(&app, "[data-test=section-customers]").await;
    click(&app, "[data-test=new-customer]").await;
    for (css, text) in [
        ("[data-test=customer-first-name]", "Ada"),
        ("[data-test=customer-last-name]", "Byron"),
        ("[data-test=customer-phone]", "(212) 555-0198"),
    ] {
        app.wait_for(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|error| panic!("{css} takes typing: {error}"));
    }
    click(&app, "[data-test=customer-save]").await;
    app.wait_for_text("[data-test=profile-name]", "the new customer", |t| {
        t == "Ada Byron"
    })
    .await;

    // On a phone-sized window "Edit" sits with the header's other actions.
    app.client
        .set_window_size(390, 844)
        .await
        .expect("the window takes a phone's size");
    let edit_top = top_of(&app, "[data-test=edit-customer]").await;
    let remind_top = top_of(&app, "[data-test=remind-me]").await;
    let name_top = top_of(&app, "[data-test=profile-name]").await;
    app.screenshot(&std::env::temp_dir().join("profile-edit-phone.png"))
        .await;
    assert!(
        (edit_top - remind_top).abs() < 4.0,
        "Edit is on the row of the header's actions ({edit_top} against Remind me's {remind_top})"
    );
    assert!(
        edit_top > name_top,
        "and not on a row of its own above the name ({edit_top} against the name's {name_top})"
    );

    backend.stop().await;
    click(&app, "[data-test=edit-customer]").await;
    let first_name = app.wait_for("[data-test=customer-first-name]").await;
    first_name.clear().await.expect("the first name clears");
    first_name
        .send_keys("Augusta")
        .await
        .expect("the first name takes typing");
    click(&app, "[data-test=customer-save]").await;
    app.wait_for_text("[data-test=profile-name]", "the edit, offline", |t| {
        t == "Augusta Byron"
    })
    .await;
    app.wait_for("[data-test=details-saving]").await;
    assert!(
        !shown(&app, "[data-test=customer-form]").await,
        "the form closed: the edit is saved on the device, offline"
    );
    assert!(
        !shown(&app, "[data-test=error]").await,
        "no offline error is shown"
    );
    app.screenshot(&std::env::temp_dir().join("profile-edit-offline-phone.png"))
        .await;

    backend.restart().await;
    clienteling_e2e::eventually("the backend has the edit", || async {
        let (_, customers) = backend.view(MIA).await;
        customers
            .iter()
            .any(|c| c.first_name == "Augusta" && c.last_name == "Byron")
            .then_some(())
    })
    .await;
    clienteling_e2e::eventually("the profile no longer says Saving…", || async {
        (!shown(&app, "[data-test=details-saving]").await).then_some(())
    })
    .await;
    app.quit().await;
    backend.shutdown().await;
}
