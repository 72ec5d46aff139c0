//! Follow-up tasks (B3, B8): creating one for oneself or, with `assign_tasks`, for another
//! member of the store's staff; completing, reopening and snoozing; the backend's own
//! follow-up after a delivery ([`follow_up_delivery`]). Every change is logged in the feed for the task's assignee
//! and creator only, so their other devices see it and no one else does.

pub(crate) mod routes;
pub(crate) mod store;

use clienteling_domain::api::Staff;
use clienteling_domain::task::{
    validate_create, CreateTaskRequest, Task, TaskChange, TaskOrigin, TaskStatus,
};
use std::time::Duration;

use clienteling_domain::order::Order;
use clienteling_domain::{Permission, StaffId, TaskId, Timestamp};
use sqlx::SqliteConnection;

use crate::changes::{self, Entity};
use crate::error::RequestError;
use crate::state::AppState;

/// What creating a task did.
#[derive(Debug)]
pub enum Created {
    /// A new task.
    New(Task),
    /// The same request was made before: the stored task.
    Again(Task),
}

/// Creates the task `request` asks for, on behalf of `caller`; the same request again
/// answers the stored task, another one under the same id is a conflict.
pub async fn create(
    state: &AppState,
    caller: &Staff,
    request: &CreateTaskRequest,
) -> Result<Created, RequestError> {
    let request =
        validate_create(request).map_err(|e| RequestError::InvalidInput(e.to_string()))?;
    if !caller.store_ids.contains(&request.store_id) {
        return Err(RequestError::NotFound(format!(
            "Store {}",
            request.store_id
        )));
    }
    let assignee = request
        .assignee_id
        .clone()
        .unwrap_or_else(|| caller.id.clone());
    if assignee != caller.id && !caller.role.allows(Permission::AssignTasks) {
        return Err(RequestError::MissingPermission(Permission::AssignTasks));
    }
    let mut tx = state.pool().begin().await?;
    if let Some(stored) = store::get(&mut tx, &request.id).await? {
        let same = stored.created_by.as_ref() == Some(&caller.id)
            && stored.customer_id == request.customer_id
            && stored.store_id == request.store_id
            && stored.assignee_id == assignee
            && stored.conversation_id == request.conversation_id;
        return if same {
            Ok(Created::Again(stored))
        } else {
            Err(RequestError::Conflict(format!(
                "The task id {} was already used for another task",
                request.id
            )))
        };
    }
    if !store::customer_in_store(&mut tx, &request.customer_id, &request.store_id).await? {
        return Err(RequestError::NotFound(format!(
            "Customer {}",
            request.customer_id
        )));
    }
    if store::staff_name_in_store(&mut tx, &assignee, &request.store_id)
        .await?
        .is_none()
    {
        return Err(RequestError::InvalidInput(format!(
            "{assignee} does not work at this store: a task goes to one of its staff"
        )));
    }
    if let Some(conversation) = &request.conversation_id {
        if !store::conversation_of(
            &mut tx,
            conversation,
            &request.customer_id,
            &request.store_id,
        )
        .await?
        {
            return Err(RequestError::InvalidInput(format!(
                "Conversation {conversation} is not this customer's in this store"
            )));
        }
    }
    let now = state.now();
    let task = Task {
        id: request.id.clone(),
        store_id: request.store_id.clone(),
        customer_id: request.customer_id.clone(),
        conversation_id: request.conversation_id.clone(),
        assignee_id: assignee,
        created_by: Some(caller.id.clone()),
        origin: TaskOrigin::Staff,
        note: request.note.clone(),
        due_at: request.due_at,
        status: TaskStatus::Open,
        completed_at: None,
        created_at: now,
        updated_at: now,
        assignee_name: None,
        created_by_name: None,
    };
    let seq = save_and_log(&mut tx, &task).await?;
    // Answered as read back, with the names.
    let task = store::get(&mut tx, &task.id).await?.unwrap_or(task);
    tx.commit().await?;
    state.feed().publish(seq);
    Ok(Created::New(task))
}

/// Applies `change` to the task `id` for `caller`: its assignee, its creator, or staff of
/// its store allowed to assign tasks. Anyone else is told it does not exist.
pub async fn change(
    state: &AppState,
    caller: &Staff,
    id: &TaskId,
    change: TaskChange,
) -> Result<Task, RequestError> {
    let mut tx = state.pool().begin().await?;
    let stored = store::get(&mut tx, id)
        .await?
        .filter(|task| {
            let may_assign = caller.role.allows(Permission::AssignTasks)
                && caller.store_ids.contains(&task.store_id);
            task.may_be_changed_by(&caller.id, may_assign)
        })
        .ok_or_else(|| RequestError::NotFound(format!("Task {id}")))?;
    let changed = stored
        .changed(change, state.now())
        .map_err(|e| RequestError::InvalidInput(e.to_string()))?;
    if changed == stored {
        return Ok(stored);
    }
    let seq = save_and_log(&mut tx, &changed).await?;
    tx.commit().await?;
    state.feed().publish(seq);
    Ok(changed)
}

/// After `order` was delivered, a follow-up task for the customer's associate at the
/// order's store ("How is the Merino Crew?"), due `delay` later (B8): once per order, and
/// none when no associate of that store is assigned the customer. Answers the feed's
/// sequence number when a task was set.
pub async fn follow_up_delivery(
    conn: &mut SqliteConnection,
    order: &Order,
    delay: Duration,
    now: Timestamp,
) -> Result<Option<i64>, sqlx::Error> {
    let origin = TaskOrigin::OrderDelivered {
        order_id: order.id.to_string(),
    };
    let origin_json =
        serde_json::to_string(&origin).map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
    let already: Option<i64> = sqlx::query_scalar("SELECT 1 FROM tasks WHERE origin = ?")
        .bind(&origin_json)
        .fetch_optional(&mut *conn)
        .await?;
    if already.is_some() {
        return Ok(None);
    }
    let assignee: Option<String> = sqlx::query_scalar(
        "SELECT a.staff_id FROM customer_assignments a
         JOIN staff_stores s ON s.staff_id = a.staff_id AND s.store_id = ?2
         WHERE a.customer_id = ?1 ORDER BY a.staff_id LIMIT 1",
    )
    .bind(order.customer_id.as_str())
    .bind(order.store_id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(assignee) = assignee else {
        return Ok(None);
    };
    let what = order.lines.first().map_or_else(
        || "their order".to_owned(),
        |line| format!("the {}", line.product_name),
    );
    let delay_ms = i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
    let task = Task {
        id: TaskId(uuid::Uuid::new_v4().to_string()),
        store_id: order.store_id.clone(),
        customer_id: order.customer_id.clone(),
        conversation_id: None,
        assignee_id: StaffId(assignee),
        created_by: None,
        origin,
        note: format!("Delivered: ask how they like {what}"),
        due_at: now.plus_ms(delay_ms),
        status: TaskStatus::Open,
        completed_at: None,
        created_at: now,
        updated_at: now,
        assignee_name: None,
        created_by_name: None,
    };
    save_and_log(conn, &task).await.map(Some)
}

/// Writes `task` and logs it for its assignee and its creator; answers the last sequence
/// number logged.
pub(crate) async fn save_and_log(
    conn: &mut SqliteConnection,
    task: &Task,
) -> Result<i64, sqlx::Error> {
    store::save(&mut *conn, task).await?;
    let mut readers: Vec<&StaffId> = vec![&task.assignee_id];
    if let Some(creator) = task.created_by.as_ref().filter(|c| *c != &task.assignee_id) {
        readers.push(creator);
    }
    let mut seq = 0;
    for reader in readers {
        seq = changes::record(
            &mut *conn,
            &task.store_id,
            Some(reader),
            Entity::Task,
            task.id.as_str(),
        )
        .await?;
    }
    Ok(seq)
}
