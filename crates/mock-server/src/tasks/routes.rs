//! The tasks' routes (B3): the caller's tasks, a new task, and completing, reopening or
//! snoozing one.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use clienteling_domain::task::{CreateTaskRequest, Task, TaskChange};
use clienteling_domain::{ApiError, Permission, TaskId};

use crate::auth::Caller;
use crate::error::RequestError;
use crate::routes::{ApiJson, ApiPath};
use crate::state::AppState;
use crate::tasks::{self, store, Created};

/// The tasks the caller is to do or set for someone else, soonest due first.
///
/// Needs the `view_customers` permission (A2).
#[utoipa::path(
    get,
    path = "/api/v1/tasks",
    tag = "tasks",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's tasks, soonest due first", body = [Task]),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`", body = ApiError),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Task>>, RequestError> {
    caller.require(Permission::ViewCustomers)?;
    let mut conn = state.pool().acquire().await?;
    Ok(Json(store::of_staff(&mut conn, &caller.staff.id).await?))
}

/// Sets a follow-up task about a customer of one of the caller's stores, for the caller or
/// (with `assign_tasks`) for another member of that store's staff. The id (a UUID the
/// client generated) is the idempotency key: the same request again answers the stored
/// task. A due time in the past is taken (the task may have been written offline).
///
/// Needs the `view_customers` permission, and `assign_tasks` for someone else (A2).
#[utoipa::path(
    post,
    path = "/api/v1/tasks",
    tag = "tasks",
    request_body = CreateTaskRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The task, set", body = Task),
        (status = 200, description = "Already set under this id: the stored task", body = Task),
        (status = 400, description = "invalid_input: the id is not a UUID, the note is too long, the due time is out of range, the assignee does not work at the store, or the conversation is not the customer's there", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`, or `assign_tasks` for someone else", body = ApiError),
        (status = 404, description = "No such store among the caller's, or no such customer there", body = ApiError),
        (status = 409, description = "The id was used for another task", body = ApiError),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<CreateTaskRequest>,
) -> Result<(StatusCode, Json<Task>), RequestError> {
    caller.require(Permission::ViewCustomers)?;
    Ok(
        match tasks::create(&state, &caller.staff, &request).await? {
            Created::New(task) => (StatusCode::CREATED, Json(task)),
            Created::Again(task) => (StatusCode::OK, Json(task)),
        },
    )
}

/// Completes, reopens or snoozes a task of the caller's (theirs to do or set by them), or
/// with `assign_tasks` any task of their stores. Repeating a change is harmless.
///
/// Needs the `view_customers` permission (A2).
#[utoipa::path(
    patch,
    path = "/api/v1/tasks/{id}",
    tag = "tasks",
    params(("id" = String, Path, description = "Task id")),
    request_body = TaskChange,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The task as it now is", body = Task),
        (status = 400, description = "invalid_input: a snooze time out of range", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`", body = ApiError),
        (status = 404, description = "No such task among the caller's", body = ApiError),
    )
)]
pub async fn change(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<TaskId>,
    ApiJson(change): ApiJson<TaskChange>,
) -> Result<Json<Task>, RequestError> {
    caller.require(Permission::ViewCustomers)?;
    Ok(Json(
        tasks::change(&state, &caller.staff, &id, change).await?,
    ))
}
