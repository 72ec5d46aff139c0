//! Follow-up tasks through the core against a real backend (B3): a reminder set and
//! completed offline reaches the backend once after a restart; a task a manager sets
//! reaches the assignee's device through the feed and comes due once.

use std::sync::Arc;

use clienteling_core::{ManualClock, SystemClock};
use clienteling_domain::api::Snapshot;
use clienteling_domain::task::{
    local_day_end, CreateTaskRequest, Task, TaskChange, TaskDraft, TaskStatus, TaskTab,
};
use clienteling_domain::time::{HOUR_MS, MINUTE_MS};
use clienteling_domain::view::AppEvent;
use clienteling_domain::{Clock, CustomerId, StoreId, TaskId, Timestamp};

use crate::harness::{
    eventually, open_core, signed_in, spawn_server, wait_for_event, Api, AVA, DEADLINE, PASSWORD,
};

/// The New York store manager.
const MIA: &str = "mia.thompson@clienteling.demo";

/// The tab a task due at `due_at` belongs in at `now` in UTC.
fn tab_at(task: &Task, now: Timestamp) -> TaskTab {
    TaskTab::of(task, now, local_day_end(now, 0))
}

/// A customer of Ava's local copy (from a conversation of the snapshot).
async fn a_customer_of(api: &Api) -> CustomerId {
    let snapshot: Snapshot = api.get_json("/snapshot").await;
    snapshot
        .customers
        .into_iter()
        .find(|c| c.store_ids.contains(&StoreId::from("store-nyc")))
        .expect("Ava's snapshot holds a New York customer")
        .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b3_a_reminder_set_and_completed_offline_reaches_the_backend_once_after_a_restart() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let backend_db = dir.path().join("backend.db");
    let app_dir = dir.path().join("app");
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let server = spawn_server(0, Some(backend_db.clone())).await;
    let url = server.url();
    let core = open_core(&app_dir, &url, &clock).await;
    core.sign_in(AVA, PASSWORD).await.expect("signs in");
    let customer = a_customer_of(&Api::sign_in(&url, AVA).await).await;
    core.shutdown().await;
    tokio::time::timeout(DEADLINE, server.shutdown())
        .await
        .expect("the backend stops");

    let offline = open_core(&app_dir, &url, &clock).await;
    let due_at = clock.now().plus_ms(2 * HOUR_MS);
    let task = offline
        .create_task(TaskDraft {
            customer_id: customer.clone(),
            conversation_id: None,
            assignee_id: None,
            note: " Ask how the coat fits ".into(),
            due_at,
        })
        .await
        .expect("a reminder is set offline (B3)");
    assert_eq!(task.note, "Ask how the coat fits", "the note is tidied");
    let tab = tab_at(&task, clock.now());
    let listed = offline
        .list_tasks(tab, 0)
        .await
        .expect("the tasks list offline");
    assert_eq!(
        listed
            .items
            .iter()
            .map(|i| (&i.task.id, i.pending))
            .collect::<Vec<_>>(),
        vec![(&task.id, true)],
        "the reminder shows at once, marked as not yet sent"
    );
    assert_ne!(
        listed.items[0].customer_name, "A customer",
        "with its customer's name from the local copy"
    );
    offline
        .change_task(&task.id, TaskChange::Complete)
        .await
        .expect("completing works offline");
    let done = offline.list_tasks(TaskTab::Done, 0).await.expect("lists");
    assert_eq!(done.items.len(), 1, "the completed task moves to Done");
    assert_eq!(done.counts.done, 1, "and the counts follow");
    offline.shutdown().await;

    let server = spawn_server(0, Some(backend_db)).await;
    let core = open_core(&app_dir, &server.url(), &clock).await;
    let api = Api::sign_in(&server.url(), AVA).await;
    let remote = eventually("the backend has the task, done (B1, B3)", || async {
        let tasks: Vec<Task> = api.get_json("/tasks").await;
        (tasks.len() == 1 && tasks[0].status == TaskStatus::Done).then_some(tasks)
    })
    .await;
    assert_eq!(remote[0].id, task.id, "the id written offline, once");
    assert_eq!(remote[0].due_at, due_at, "at the time set");
    eventually("the local copy shows it accepted", || async {
        let done = core.list_tasks(TaskTab::Done, 0).await.expect("lists");
        done.items.first().filter(|item| !item.pending).map(drop)
    })
    .await;
    core.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b3_a_task_a_manager_sets_reaches_the_assignee_and_comes_due_once() {
    let mut s = signed_in(AVA).await;
    let customer = a_customer_of(&s.api).await;
    let mia = Api::sign_in(&s.server.url(), MIA).await;
    let ava = s
        .core
        .session()
        .await
        .expect("the session reads")
        .expect("signed in")
        .staff;
    let due_at = s.core_now().plus_ms(HOUR_MS);
    let set: Task = mia
        .post_json(
            "/tasks",
            &CreateTaskRequest {
                id: TaskId::from("7d1f3c2a-5b6e-4f80-9a1b-2c3d4e5f6a7b"),
                customer_id: customer,
                conversation_id: None,
                store_id: StoreId::from("store-nyc"),
                assignee_id: Some(ava.id.clone()),
                note: "Call about the alteration".into(),
                due_at,
            },
        )
        .await;
    wait_for_event(&mut s.events, "the task arrives through the feed", |e| {
        matches!(e, AppEvent::TasksChanged)
    })
    .await;
    let tab = tab_at(&set, s.core_now());
    let listed = s.core.list_tasks(tab, 0).await.expect("lists");
    assert_eq!(
        listed.items.iter().map(|i| &i.task).collect::<Vec<_>>(),
        vec![&set],
        "Ava's device lists the task her manager set"
    );
    assert_eq!(
        s.core.check_due_tasks().await.expect("checks"),
        0,
        "nothing is due an hour early"
    );

    s.clock.advance(HOUR_MS + MINUTE_MS);
    // Whoever looks first announces it: this check, or the due worker woken meanwhile.
    s.core.check_due_tasks().await.expect("checks");
    let due = wait_for_event(
        &mut s.events,
        "the due task is announced",
        |e| matches!(e, AppEvent::TasksDue { tasks } if tasks.iter().any(|t| t.task_id == set.id)),
    )
    .await;
    let AppEvent::TasksDue { tasks } = due else {
        unreachable!("matched above");
    };
    assert_eq!(tasks.len(), 1, "one task came due");
    assert_eq!(
        tasks[0].note, "Call about the alteration",
        "with its note for the notification"
    );
    assert_eq!(
        s.core.check_due_tasks().await.expect("checks"),
        0,
        "a due task is announced once per device"
    );
    let overdue = s.core.list_tasks(TaskTab::Overdue, 0).await.expect("lists");
    assert_eq!(overdue.items.len(), 1, "past its time, it is overdue");
    assert_eq!(overdue.counts.due(), 1, "and counts in the badge");

    let later = s.core_now().plus_ms(HOUR_MS);
    s.core
        .change_task(&set.id, TaskChange::Snooze { due_at: later })
        .await
        .expect("snoozes");
    s.clock.advance(HOUR_MS + MINUTE_MS);
    s.core.check_due_tasks().await.expect("checks");
    wait_for_event(
        &mut s.events,
        "the snoozed task comes due again at its new time",
        |e| matches!(e, AppEvent::TasksDue { tasks } if tasks.iter().any(|t| t.task_id == set.id)),
    )
    .await;
    s.core.shutdown().await;
}
