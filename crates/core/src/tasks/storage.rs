//! The `tasks` table: the signed-in staff member's follow-up tasks as the backend sent
//! them, or as changed on this device and not accepted yet (`pending`, which the feed
//! leaves alone until the backend's answer replaces it), and which due tasks this device
//! has notified.

use clienteling_domain::task::{DueTask, Task, TaskItem, TaskStatus};
use clienteling_domain::{StaffId, TaskId, Timestamp};
use sqlx::{Row, SqliteConnection};

use crate::columns::{from_json, to_json};
use crate::error::CoreError;

/// Deletes every task (with the rest of the local copy).
pub async fn clear(conn: &mut SqliteConnection) -> Result<(), CoreError> {
    sqlx::query("DELETE FROM tasks").execute(conn).await?;
    Ok(())
}

/// The task `id`, if stored.
pub async fn get(conn: &mut SqliteConnection, id: &TaskId) -> Result<Option<Task>, CoreError> {
    let stored: Option<String> = sqlx::query_scalar("SELECT task FROM tasks WHERE id = ?")
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?;
    stored
        .map(|text| from_json("tasks.task", &text))
        .transpose()
}

/// Stores `task` as changed on this device: pending until the backend accepts it. A new
/// due time makes it notify again.
pub async fn save_local(conn: &mut SqliteConnection, task: &Task) -> Result<(), CoreError> {
    write(conn, task, true).await
}

/// Stores the backend's version of `task` (its answer to this device's change): no longer
/// pending.
pub async fn save_accepted(conn: &mut SqliteConnection, task: &Task) -> Result<(), CoreError> {
    write(conn, task, false).await
}

async fn write(conn: &mut SqliteConnection, task: &Task, pending: bool) -> Result<(), CoreError> {
    let json = to_json("tasks.task", task)?;
    sqlx::query(
        "INSERT INTO tasks (id, customer_id, assignee_id, status, due_at, task, accepted, pending) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?7 THEN NULL ELSE ?6 END, ?7) \
         ON CONFLICT (id) DO UPDATE SET assignee_id = excluded.assignee_id, \
           status = excluded.status, task = excluded.task, pending = excluded.pending, \
           accepted = CASE WHEN excluded.pending THEN accepted ELSE excluded.task END, \
           notified_at = CASE WHEN due_at = excluded.due_at THEN notified_at END, \
           due_at = excluded.due_at",
    )
    .bind(task.id.as_str())
    .bind(task.customer_id.as_str())
    .bind(task.assignee_id.as_str())
    .bind(task.status.as_str())
    .bind(task.due_at.millis())
    .bind(json)
    .bind(pending)
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts back the backend's last version of a task whose change it refused, or removes a
/// task it refused to create (it never had one).
pub async fn restore_accepted(conn: &mut SqliteConnection, id: &TaskId) -> Result<(), CoreError> {
    let accepted: Option<Option<String>> =
        sqlx::query_scalar("SELECT accepted FROM tasks WHERE id = ?")
            .bind(id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    match accepted {
        Some(Some(text)) => {
            let task: Task = from_json("tasks.accepted", &text)?;
            write(conn, &task, false).await
        }
        Some(None) => remove(conn, id).await,
        None => Ok(()),
    }
}

/// Applies tasks the feed or a snapshot brought: a task changed here and not yet accepted
/// keeps its local version (the outbox's answer replaces it; the backend's is kept to put
/// back should it refuse); `keep_stored` (a backfill
/// page, older than what is stored) only adds the tasks not stored yet.
pub async fn apply_from_backend(
    conn: &mut SqliteConnection,
    tasks: &[&Task],
    keep_stored: bool,
) -> Result<bool, CoreError> {
    let mut changed = false;
    for task in tasks {
        let stored: Option<bool> = sqlx::query_scalar("SELECT pending FROM tasks WHERE id = ?")
            .bind(task.id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
        match stored {
            Some(true) => {
                sqlx::query("UPDATE tasks SET accepted = ? WHERE id = ?")
                    .bind(to_json("tasks.accepted", task)?)
                    .bind(task.id.as_str())
                    .execute(&mut *conn)
                    .await?;
            }
            Some(false) if keep_stored => {}
            _ => {
                write(&mut *conn, task, false).await?;
                changed = true;
            }
        }
    }
    Ok(changed)
}

/// Removes a task created on this device that the backend refused.
pub async fn remove(conn: &mut SqliteConnection, id: &TaskId) -> Result<(), CoreError> {
    sqlx::query("DELETE FROM tasks WHERE id = ?")
        .bind(id.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Every task `staff` is to do or set for someone else, with their customers' names,
/// soonest due first.
pub async fn of_staff(
    conn: &mut SqliteConnection,
    staff: &StaffId,
) -> Result<Vec<TaskItem>, CoreError> {
    let rows = sqlx::query(
        "SELECT t.task, t.pending, cu.first_name, cu.last_name FROM tasks t \
         LEFT JOIN customers cu ON cu.id = t.customer_id \
         WHERE t.assignee_id = ?1 OR json_extract(t.task, '$.created_by') = ?1 \
         ORDER BY t.due_at, t.id",
    )
    .bind(staff.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let task: Task = from_json("tasks.task", &row.try_get::<String, _>("task")?)?;
            let first: Option<String> = row.try_get("first_name")?;
            let last: Option<String> = row.try_get("last_name")?;
            Ok(TaskItem {
                task,
                customer_name: customer_name(first, last),
                pending: row.try_get("pending")?,
            })
        })
        .collect()
}

/// Marks the open tasks of `assignee` due at `now` that this device has not notified yet
/// as notified, and answers them soonest due first: each is notified once, whoever asks.
pub async fn take_due(
    conn: &mut SqliteConnection,
    assignee: &StaffId,
    now: Timestamp,
) -> Result<Vec<DueTask>, CoreError> {
    let rows = sqlx::query(
        "UPDATE tasks SET notified_at = ?1 \
         WHERE assignee_id = ?2 AND status = ?3 AND due_at <= ?1 AND notified_at IS NULL \
         RETURNING id, due_at",
    )
    .bind(now.millis())
    .bind(assignee.as_str())
    .bind(TaskStatus::Open.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let mut ids = rows
        .iter()
        .map(|row| {
            Ok((
                row.try_get::<i64, _>("due_at")?,
                row.try_get::<String, _>("id")?,
            ))
        })
        .collect::<Result<Vec<_>, CoreError>>()?;
    ids.sort();
    let mut due = Vec::with_capacity(ids.len());
    for (_, id) in ids {
        let detail = sqlx::query(
            "SELECT t.task, cu.first_name, cu.last_name FROM tasks t \
             LEFT JOIN customers cu ON cu.id = t.customer_id WHERE t.id = ?",
        )
        .bind(&id)
        .fetch_one(&mut *conn)
        .await?;
        let task: Task = from_json("tasks.task", &detail.try_get::<String, _>("task")?)?;
        due.push(DueTask {
            task_id: task.id,
            customer_id: task.customer_id,
            customer_name: customer_name(
                detail.try_get("first_name")?,
                detail.try_get("last_name")?,
            ),
            note: task.note,
        });
    }
    Ok(due)
}

/// When the next open task of `assignee` not yet notified comes due.
pub async fn next_due(
    conn: &mut SqliteConnection,
    assignee: &StaffId,
) -> Result<Option<Timestamp>, CoreError> {
    let next: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(due_at) FROM tasks WHERE assignee_id = ? AND status = ? AND notified_at IS NULL",
    )
    .bind(assignee.as_str())
    .bind(TaskStatus::Open.as_str())
    .fetch_one(conn)
    .await?;
    Ok(next.map(Timestamp))
}

/// "First Last", or a placeholder while the customer is not in the local copy.
fn customer_name(first: Option<String>, last: Option<String>) -> String {
    let name = format!("{} {}", first.unwrap_or_default(), last.unwrap_or_default());
    match name.trim() {
        "" => "A customer".to_owned(),
        trimmed => trimmed.to_owned(),
    }
}
