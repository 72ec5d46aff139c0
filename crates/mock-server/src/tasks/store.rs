//! The tasks' SQL: one task by id, the tasks of a staff member, and writing one.

use clienteling_domain::task::{Task, TaskOrigin, TaskStatus};
use clienteling_domain::{ConversationId, CustomerId, StaffId, StoreId, TaskId, Timestamp};
use sqlx::SqliteConnection;

use crate::db::parse_column;

#[derive(sqlx::FromRow)]
struct TaskRow {
    id: String,
    store_id: String,
    customer_id: String,
    conversation_id: Option<String>,
    assignee_id: String,
    created_by: Option<String>,
    origin: String,
    note: String,
    due_at: i64,
    status: String,
    completed_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
    assignee_name: Option<String>,
    created_by_name: Option<String>,
}

impl TaskRow {
    fn into_task(self) -> Result<Task, sqlx::Error> {
        let origin: TaskOrigin = serde_json::from_str(&self.origin)
            .map_err(|error| sqlx::Error::Decode(format!("task origin: {error}").into()))?;
        Ok(Task {
            id: TaskId(self.id),
            store_id: StoreId(self.store_id),
            customer_id: CustomerId(self.customer_id),
            conversation_id: self.conversation_id.map(ConversationId),
            assignee_id: StaffId(self.assignee_id),
            created_by: self.created_by.map(StaffId),
            origin,
            note: self.note,
            due_at: Timestamp(self.due_at),
            status: parse_column(&self.status, TaskStatus::parse, "task status")?,
            completed_at: self.completed_at.map(Timestamp),
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
            assignee_name: self.assignee_name,
            created_by_name: self.created_by_name,
        })
    }
}

const COLUMNS: &str = "id, store_id, customer_id, conversation_id, assignee_id, created_by, origin, note, due_at, status, completed_at, created_at, updated_at";

/// [`COLUMNS`] and the names of the assignee and the creator, for reading.
const READ: &str = "id, store_id, customer_id, conversation_id, assignee_id, created_by, origin, note, due_at, status, completed_at, created_at, updated_at, \
     (SELECT name FROM staff WHERE staff.id = tasks.assignee_id) AS assignee_name, \
     (SELECT name FROM staff WHERE staff.id = tasks.created_by) AS created_by_name";

/// The task `id`, if it exists.
pub async fn get(conn: &mut SqliteConnection, id: &TaskId) -> Result<Option<Task>, sqlx::Error> {
    let row: Option<TaskRow> = sqlx::query_as(&format!("SELECT {READ} FROM tasks WHERE id = ?"))
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?;
    row.map(TaskRow::into_task).transpose()
}

/// The tasks `staff` is to do or set for someone else, soonest due first.
pub async fn of_staff(
    conn: &mut SqliteConnection,
    staff: &StaffId,
) -> Result<Vec<Task>, sqlx::Error> {
    let rows: Vec<TaskRow> = sqlx::query_as(&format!(
        "SELECT {READ} FROM tasks WHERE assignee_id = ?1 OR created_by = ?1 ORDER BY due_at, id"
    ))
    .bind(staff.as_str())
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(TaskRow::into_task).collect()
}

/// Writes `task`, new or changed.
pub async fn save(conn: &mut SqliteConnection, task: &Task) -> Result<(), sqlx::Error> {
    let origin = serde_json::to_string(&task.origin)
        .map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
    sqlx::query(&format!(
        "INSERT INTO tasks ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET note = excluded.note, due_at = excluded.due_at,
           status = excluded.status, completed_at = excluded.completed_at,
           updated_at = excluded.updated_at"
    ))
    .bind(task.id.as_str())
    .bind(task.store_id.as_str())
    .bind(task.customer_id.as_str())
    .bind(task.conversation_id.as_ref().map(ConversationId::as_str))
    .bind(task.assignee_id.as_str())
    .bind(task.created_by.as_ref().map(StaffId::as_str))
    .bind(origin)
    .bind(&task.note)
    .bind(task.due_at.millis())
    .bind(task.status.as_str())
    .bind(task.completed_at.map(Timestamp::millis))
    .bind(task.created_at.millis())
    .bind(task.updated_at.millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether `customer` is known to `store`.
pub async fn customer_in_store(
    conn: &mut SqliteConnection,
    customer: &CustomerId,
    store: &StoreId,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM customer_stores WHERE customer_id = ? AND store_id = ?")
            .bind(customer.as_str())
            .bind(store.as_str())
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

/// The name of `staff` if they work in `store`.
pub async fn staff_name_in_store(
    conn: &mut SqliteConnection,
    staff: &StaffId,
    store: &StoreId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT staff.name FROM staff JOIN staff_stores ON staff_stores.staff_id = staff.id
         WHERE staff.id = ? AND staff_stores.store_id = ?",
    )
    .bind(staff.as_str())
    .bind(store.as_str())
    .fetch_optional(conn)
    .await
}

/// Whether `conversation` is `customer`'s in `store`.
pub async fn conversation_of(
    conn: &mut SqliteConnection,
    conversation: &ConversationId,
    customer: &CustomerId,
    store: &StoreId,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM conversations WHERE id = ? AND customer_id = ? AND store_id = ?",
    )
    .bind(conversation.as_str())
    .bind(customer.as_str())
    .bind(store.as_str())
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}
