//! What the outbox sends for tasks (B3): their creation and changes, and what a refusal
//! puts back.

use clienteling_domain::task::{CreateTaskRequest, Task, TaskChange};
use clienteling_domain::TaskId;
use reqwest::Method;
use sqlx::SqliteConnection;

use crate::backend::{Backend, RequestError};
use crate::error::CoreError;
use crate::tasks::storage;

/// `POST /tasks`: answers the backend's copy of the task (the same again if it already
/// had it).
pub(crate) async fn create(
    backend: &Backend,
    token: &str,
    request: &CreateTaskRequest,
) -> Result<Task, RequestError> {
    backend
        .send_json(Method::POST, token, "/tasks", Some(request))
        .await
}

/// `PATCH /tasks/{id}`: answers the task as the backend now has it.
pub(crate) async fn change(
    backend: &Backend,
    token: &str,
    id: &TaskId,
    change: TaskChange,
) -> Result<Task, RequestError> {
    let path = format!("/tasks/{}", id.as_str());
    backend
        .send_json(Method::PATCH, token, &path, Some(&change))
        .await
}

/// The backend refused a change of the task for good: it goes back to its last accepted
/// version, or away if it was never accepted.
pub(crate) async fn refused(conn: &mut SqliteConnection, id: &TaskId) -> Result<(), CoreError> {
    tracing::warn!(%id, "the backend refused a task change; the last accepted version is back");
    storage::restore_accepted(conn, id).await
}
