//! Follow-up tasks (B3) against a real server: set for oneself or by a manager for an
//! associate, seen by the assignee and the creator only (feed, snapshot, list), completed,
//! reopened and snoozed by them alone, repeated requests harmless, bad ones refused.

mod support;

use clienteling_domain::api::{ChangeData, Session, Snapshot};
use clienteling_domain::task::{CreateTaskRequest, Task, TaskChange, TaskStatus};
use clienteling_domain::time::DAY_MS;
use clienteling_domain::{ErrorCode, StoreId, TaskId, Timestamp};
use clienteling_mock_server::demo::{STORE_LON, STORE_NYC};
use serde_json::json;
use support::{Backend, AVA, LIAM, MIA, NOAH};

const TASK: &str = "3b2d5b8e-1c4f-4d1e-9a53-6f1f0c2e7a10";

/// A task about the first customer `session` sees in New York, due in a day.
async fn request(backend: &Backend, session: &Session, id: &str) -> CreateTaskRequest {
    let (_, customers) = backend.view(&session.token).await;
    let customer = customers
        .into_iter()
        .find(|c| c.store_ids.contains(&StoreId::from(STORE_NYC)))
        .expect("a New York customer");
    CreateTaskRequest {
        id: TaskId::from(id),
        customer_id: customer.id,
        conversation_id: None,
        store_id: StoreId::from(STORE_NYC),
        assignee_id: None,
        note: "  Ask how the coat fits  ".into(),
        due_at: Timestamp(1_800_000_000_000),
    }
}

async fn post(backend: &Backend, token: &str, body: &serde_json::Value) -> reqwest::Response {
    backend
        .http
        .post(backend.api("/tasks"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("the backend answers")
}

async fn patch(backend: &Backend, token: &str, id: &str, change: TaskChange) -> reqwest::Response {
    backend
        .http
        .patch(backend.api(&format!("/tasks/{id}")))
        .bearer_auth(token)
        .json(&change)
        .send()
        .await
        .expect("the backend answers")
}

/// The tasks in the feed `token` reads from the start.
async fn tasks_in_feed(backend: &Backend, token: &str) -> Vec<Task> {
    let (changes, _) = backend.changes(token, 0).await;
    changes
        .into_iter()
        .filter_map(|change| match change.data {
            ChangeData::Task(task) => Some(task),
            _ => None,
        })
        .collect()
}

async fn error_code(response: reqwest::Response) -> ErrorCode {
    response
        .json::<clienteling_domain::ApiError>()
        .await
        .expect("an error body")
        .code
}

#[tokio::test]
async fn b3_a_reminder_set_for_oneself_reaches_ones_devices_and_no_one_else() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let body = request(&backend, &ava, TASK).await;
    let response = post(&backend, &ava.token, &json!(body)).await;
    assert_eq!(response.status(), 201, "a new task is created");
    let task: Task = response.json().await.expect("the task");
    assert_eq!(
        task.assignee_id, ava.staff.id,
        "no assignee means the caller"
    );
    assert_eq!(
        task.created_by,
        Some(ava.staff.id.clone()),
        "set by the caller"
    );
    assert_eq!(
        task.note, "Ask how the coat fits",
        "the note is stored trimmed"
    );
    assert_eq!(task.status, TaskStatus::Open, "a new task is open");

    let again = post(&backend, &ava.token, &json!(body)).await;
    assert_eq!(
        again.status(),
        200,
        "the same request again is answered, not doubled"
    );
    assert_eq!(
        again.json::<Task>().await.expect("the task"),
        task,
        "the stored task"
    );

    assert_eq!(
        tasks_in_feed(&backend, &ava.token).await,
        vec![task.clone()],
        "Ava's other devices get the task once through the feed"
    );
    let listed: Vec<Task> = backend.get(&ava.token, "/tasks").await;
    assert_eq!(listed, vec![task.clone()], "and in her task list");
    let snapshot: Snapshot = backend.get(&ava.token, "/snapshot").await;
    assert_eq!(
        snapshot.tasks,
        vec![task.clone()],
        "and in a fresh sign-in's snapshot"
    );
    assert!(
        snapshot.customers.iter().any(|c| c.id == task.customer_id),
        "the snapshot holds the task's customer, for its name"
    );

    let liam = backend.sign_in(LIAM).await;
    assert!(
        tasks_in_feed(&backend, &liam.token).await.is_empty(),
        "another associate of the store never sees Ava's reminder"
    );
    let theirs: Vec<Task> = backend.get(&liam.token, "/tasks").await;
    assert!(theirs.is_empty(), "nor lists it");
}

#[tokio::test]
async fn b3_a_manager_sets_a_task_for_an_associate_and_an_associate_may_not() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let liam = backend.sign_in(LIAM).await;
    let mia = backend.sign_in(MIA).await;

    let mut for_liam = request(&backend, &ava, TASK).await;
    for_liam.assignee_id = Some(liam.staff.id.clone());
    let refused = post(&backend, &ava.token, &json!(for_liam)).await;
    assert_eq!(
        refused.status(),
        403,
        "an associate may not set tasks for others"
    );
    assert_eq!(
        error_code(refused).await,
        ErrorCode::Forbidden,
        "forbidden, naming assign_tasks"
    );

    let set = post(&backend, &mia.token, &json!(for_liam)).await;
    assert_eq!(set.status(), 201, "the store manager may");
    let task: Task = set.json().await.expect("the task");
    assert_eq!(task.assignee_id, liam.staff.id, "Liam is to do it");
    assert_eq!(task.created_by, Some(mia.staff.id.clone()), "Mia set it");
    assert_eq!(
        tasks_in_feed(&backend, &liam.token).await,
        vec![task.clone()],
        "the assignee gets it"
    );
    assert_eq!(
        tasks_in_feed(&backend, &mia.token).await,
        vec![task.clone()],
        "the manager who set it follows it"
    );
    assert!(
        tasks_in_feed(&backend, &ava.token).await.is_empty(),
        "the associate whose request was refused sees nothing"
    );

    let noah = backend.sign_in(NOAH).await;
    let mut for_noah = request(&backend, &ava, "5c0a6f1e-2b7d-4c3a-8e9f-0a1b2c3d4e5f").await;
    for_noah.assignee_id = Some(noah.staff.id.clone());
    let elsewhere = post(&backend, &mia.token, &json!(for_noah)).await;
    assert_eq!(
        elsewhere.status(),
        400,
        "a New York task cannot go to a London associate"
    );
}

#[tokio::test]
async fn b3_the_assignee_completes_reopens_and_snoozes_and_others_are_told_it_does_not_exist() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let liam = backend.sign_in(LIAM).await;
    let body = request(&backend, &ava, TASK).await;
    let created: Task = post(&backend, &ava.token, &json!(body))
        .await
        .json()
        .await
        .expect("the task");

    let done = patch(&backend, &ava.token, TASK, TaskChange::Complete).await;
    assert_eq!(done.status(), 200, "the assignee completes it");
    let done: Task = done.json().await.expect("the task");
    assert_eq!(done.status, TaskStatus::Done, "done");
    assert!(done.completed_at.is_some(), "with its completion time");
    let twice: Task = patch(&backend, &ava.token, TASK, TaskChange::Complete)
        .await
        .json()
        .await
        .expect("the task");
    assert_eq!(twice, done, "completing again changes nothing");

    let later = created.due_at.plus_ms(DAY_MS);
    let snoozed: Task = patch(
        &backend,
        &ava.token,
        TASK,
        TaskChange::Snooze { due_at: later },
    )
    .await
    .json()
    .await
    .expect("the task");
    assert_eq!(
        (snoozed.status, snoozed.due_at),
        (TaskStatus::Open, later),
        "snoozing opens it again at the later time"
    );
    let reopened: Task = patch(&backend, &ava.token, TASK, TaskChange::Reopen)
        .await
        .json()
        .await
        .expect("the task");
    assert_eq!(reopened, snoozed, "reopening an open task changes nothing");

    let foreign = patch(&backend, &liam.token, TASK, TaskChange::Complete).await;
    assert_eq!(
        foreign.status(),
        404,
        "another associate is told it does not exist"
    );
    let mia = backend.sign_in(MIA).await;
    let managed = patch(&backend, &mia.token, TASK, TaskChange::Complete).await;
    assert_eq!(
        managed.status(),
        200,
        "the store manager may change any task of the store"
    );
    let feed = tasks_in_feed(&backend, &ava.token).await;
    assert_eq!(
        feed.last().map(|t| t.status),
        Some(TaskStatus::Done),
        "the manager's change reaches the assignee: {feed:?}"
    );
}

#[tokio::test]
async fn b3_malformed_and_foreign_tasks_are_refused_with_a_reason() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let good = request(&backend, &ava, TASK).await;

    let mut not_uuid = json!(good);
    not_uuid["id"] = json!("task-1");
    let response = post(&backend, &ava.token, &not_uuid).await;
    assert_eq!(response.status(), 400, "the id must be a UUID");

    let mut long = good.clone();
    long.note = "x".repeat(5_000);
    assert_eq!(
        post(&backend, &ava.token, &json!(long)).await.status(),
        400,
        "a 5 000-character note is refused"
    );

    let mut far = good.clone();
    far.due_at = Timestamp(i64::MAX);
    assert_eq!(
        post(&backend, &ava.token, &json!(far)).await.status(),
        400,
        "a due time beyond the year 2199 is refused"
    );

    let mut london = good.clone();
    london.store_id = StoreId::from(STORE_LON);
    assert_eq!(
        post(&backend, &ava.token, &json!(london)).await.status(),
        404,
        "a store that is not hers does not exist for her"
    );

    let mut stranger = good.clone();
    stranger.customer_id = "cus-nobody".into();
    assert_eq!(
        post(&backend, &ava.token, &json!(stranger)).await.status(),
        404,
        "an unknown customer is not found"
    );

    assert_eq!(
        post(&backend, &ava.token, &json!(good)).await.status(),
        201,
        "the good request goes through"
    );
    let mut reused = good.clone();
    reused.conversation_id = Some(backend.view(&ava.token).await.0[0].id.clone());
    let conflict = post(&backend, &ava.token, &json!(reused)).await;
    assert_eq!(
        conflict.status(),
        409,
        "the same id for another task is a conflict"
    );

    let bad_change = backend
        .http
        .patch(backend.api(&format!("/tasks/{TASK}")))
        .bearer_auth(&ava.token)
        .json(&json!({"action": "explode"}))
        .send()
        .await
        .expect("the backend answers");
    assert_eq!(bad_change.status(), 400, "an unknown action is malformed");
}
