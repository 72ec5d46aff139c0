//! End-to-end: follow-up tasks (B3) through the running app. "Remind me" on a customer's
//! profile sets a task that the Tasks section lists and the backend receives, and that is
//! completed there; a task due now (set by the store manager) raises a system
//! notification that opens the customer's profile, and the Tasks badge counts it.

use clienteling_domain::task::{CreateTaskRequest, Task, TaskStatus};
use clienteling_domain::time::MINUTE_MS;
use clienteling_domain::{Channel, StoreId, TaskId, Timestamp};
use clienteling_e2e::notification_server::NotificationServer;
use clienteling_e2e::{eventually, AppUnderTest, TestBackend, AVA};
use fantoccini::key::Key;
use fantoccini::Locator;

/// The New York store manager.
const MIA: &str = "mia.thompson@clienteling.demo";

/// The tasks `login` has on the backend.
async fn backend_tasks(backend: &TestBackend, login: &str) -> Vec<Task> {
    let session = backend.session(login).await;
    backend
        .http
        .get(format!("{}/api/v1/tasks", backend.url()))
        .bearer_auth(&session.token)
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .expect("the tasks answer")
        .json()
        .await
        .expect("a list of tasks")
}

/// Opens the profile of the first customer of the clientbook; answers their name.
async fn open_first_profile(app: &AppUnderTest) -> String {
    app.wait_for("[data-test=section-customers]")
        .await
        .click()
        .await
        .expect("the Customers section opens");
    app.wait_for("[data-test=customer-row]")
        .await
        .find(Locator::XPath(".."))
        .await
        .expect("the row's link")
        .click()
        .await
        .expect("the row opens the profile");
    app.wait_for_text("[data-test=profile-name]", "a name", |t| !t.is_empty())
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_set_on_a_profile_is_listed_under_tasks_and_completed_there_b3() {
    let backend = TestBackend::start().await;
    let data = tempfile::tempdir().expect("a data folder");
    let app = AppUnderTest::launch(backend.url(), data.path()).await;
    app.sign_in(AVA).await;
    let name = open_first_profile(&app).await;

    app.wait_for("[data-test=remind-me]")
        .await
        .click()
        .await
        .expect("Remind me opens its form");
    app.wait_for("[data-test=reminder-note]")
        .await
        .send_keys("Ask how the coat fits")
        .await
        .expect("the note takes typing");
    // From the keyboard, as on a desktop: Enter on the focused button sets it.
    app.wait_for("[data-test=reminder-save]")
        .await
        .send_keys(&Key::Enter.to_string())
        .await
        .expect("the reminder is set");
    let set = app
        .wait_for_text("[data-test=reminder-set]", "the confirmation", |t| {
            t.starts_with("Reminder set for")
        })
        .await;
    assert!(!set.is_empty(), "the profile confirms the reminder: {set}");
    let remote = eventually("the backend has the reminder", || async {
        backend_tasks(&backend, AVA)
            .await
            .into_iter()
            .find(|t| t.note == "Ask how the coat fits")
    })
    .await;
    assert_eq!(remote.status, TaskStatus::Open, "an open task");

    app.wait_for("[data-test=section-tasks]")
        .await
        .click()
        .await
        .expect("the Tasks section opens");
    app.wait_for("[data-test=task-tab-upcoming]")
        .await
        .click()
        .await
        .expect("the Upcoming tab opens");
    let row = format!("[data-test=task][data-task-id=\"{}\"]", remote.id);
    let customer = app
        .wait_for_text(
            &format!("{row} [data-test=task-customer]"),
            "the customer",
            |t| !t.is_empty(),
        )
        .await;
    assert_eq!(customer, name, "the task names the customer it is about");
    app.wait_for(&format!("{row} [data-test=task-complete]"))
        .await
        .click()
        .await
        .expect("the task is marked done");
    eventually("the backend has it done", || async {
        backend_tasks(&backend, AVA)
            .await
            .into_iter()
            .find(|t| t.id == remote.id && t.status == TaskStatus::Done)
    })
    .await;
    app.wait_for("[data-test=task-tab-done]")
        .await
        .click()
        .await
        .expect("the Done tab opens");
    app.wait_for(&format!("{row} [data-test=task-reopen]"))
        .await;
    app.quit().await;
    backend.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_due_reminder_raises_a_notification_that_opens_the_customer_b3() {
    let notifications = NotificationServer::start()
        .await
        .expect("a session bus (dbus-run-session)");
    let backend = TestBackend::start().await;
    let data = tempfile::tempdir().expect("a data folder");
    let app = AppUnderTest::launch(backend.url(), data.path()).await;
    app.sign_in(AVA).await;
    let ava = backend.session(AVA).await.staff;
    // A customer of an active conversation: in the sign-in's snapshot, so named at once.
    let conversation = backend.writable_conversations(AVA, Channel::Sms).await[0].clone();
    let (_, customers) = backend.view(AVA).await;
    let customer = customers
        .iter()
        .find(|c| c.id == conversation.customer_id)
        .expect("the conversation's customer")
        .clone();
    let mia = backend.session(MIA).await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default();
    let response = backend
        .http
        .post(format!("{}/api/v1/tasks", backend.url()))
        .bearer_auth(&mia.token)
        .json(&CreateTaskRequest {
            id: TaskId::from("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"),
            customer_id: customer.id.clone(),
            conversation_id: None,
            store_id: StoreId::from("store-nyc"),
            assignee_id: Some(ava.id.clone()),
            note: "Call about the alteration".into(),
            due_at: Timestamp(now - MINUTE_MS),
        })
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(response.status(), 201, "the manager sets a task for Ava");

    let title = format!("Follow up with {}", customer.full_name());
    let shown = eventually("the due task's notification", || async {
        notifications
            .shown()
            .into_iter()
            .find(|n| n.summary == title)
    })
    .await;
    assert_eq!(
        shown.body, "Call about the alteration",
        "the notification says what to do"
    );
    let badge = app
        .wait_for_text("[data-test=tasks-badge]", "one task due", |t| t == "1")
        .await;
    assert_eq!(badge, "1", "the Tasks badge counts the overdue task");

    notifications
        .activate(shown.id)
        .await
        .expect("the click is delivered");
    let name = app
        .wait_for_text("[data-test=profile-name]", "the customer's profile", |t| {
            t == customer.full_name()
        })
        .await;
    assert_eq!(
        name,
        customer.full_name(),
        "the notification opens the customer"
    );
    app.quit().await;
    backend.shutdown().await;
}
