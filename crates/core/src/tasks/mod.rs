//! Follow-up tasks (B3): "Remind me" about a customer (for oneself, or with `assign_tasks`
//! for another member of the store), the Tasks screen's tabs, and completing, reopening
//! and snoozing — written to the local copy at once and sent through the outbox, so they
//! work offline. `storage` is the `tasks` table the sync's applier writes, `sending` what
//! the outbox sends, `due` the worker raising a due task's notification once.

pub(crate) mod due;
pub(crate) mod sending;
pub(crate) mod storage;

use clienteling_domain::task::{
    local_day_end, validate_due_entry, validate_note, CreateTaskRequest, Task, TaskChange,
    TaskCounts, TaskDraft, TaskList, TaskOrigin, TaskStatus, TaskTab,
};
use clienteling_domain::view::AppEvent;
use clienteling_domain::{ApiError, ErrorCode, Permission, TaskId};

use crate::customers::storage as customers;
use crate::engine::Core;
use crate::error::CoreError;
use crate::outbox::storage::{self as outbox, OutboxAction, Subject};

impl Core {
    /// One tab of the signed-in staff member's tasks, the local day ending by the device's
    /// `utc_offset_minutes`, with every tab's count (the badge). The tabs also list the
    /// tasks they set for a colleague (to follow them up, "for Liam Chen"); the counts are
    /// of their own tasks only, what is theirs to do.
    pub async fn list_tasks(
        &self,
        tab: TaskTab,
        utc_offset_minutes: i32,
    ) -> Result<TaskList, CoreError> {
        let stored = self.inner.require_session().await?;
        let now = self.inner.clock.now();
        let day_end = local_day_end(now, utc_offset_minutes);
        let all = storage::of_staff(&mut *self.inner.read().await?, &stored.staff.id).await?;
        let mut counts = TaskCounts::default();
        let mut items = Vec::new();
        for item in all {
            let of = TaskTab::of(&item.task, now, day_end);
            let count = match of {
                TaskTab::Today => &mut counts.today,
                TaskTab::Upcoming => &mut counts.upcoming,
                TaskTab::Overdue => &mut counts.overdue,
                TaskTab::Done => &mut counts.done,
            };
            if item.task.assignee_id == stored.staff.id {
                *count = count.saturating_add(1);
            }
            if of == tab {
                items.push(item);
            }
        }
        if tab == TaskTab::Done {
            items.sort_by_key(|item| std::cmp::Reverse(item.task.completed_at));
        }
        Ok(TaskList { tab, items, counts })
    }

    /// Sets a reminder about a customer of the current store ("Remind me", B3): for the
    /// signed-in staff member, or with `assign_tasks` for someone else of the store. It is
    /// stored at once and reaches the backend through the outbox.
    pub async fn create_task(&self, draft: TaskDraft) -> Result<Task, CoreError> {
        let stored = self.inner.require_session().await?;
        let now = self.inner.clock.now();
        validate_due_entry(draft.due_at, now)?;
        let note = validate_note(&draft.note)?;
        let assignee = draft
            .assignee_id
            .clone()
            .unwrap_or_else(|| stored.staff.id.clone());
        if assignee != stored.staff.id && !stored.staff.role.allows(Permission::AssignTasks) {
            return Err(CoreError::Refused(ApiError::new(
                ErrorCode::Forbidden,
                "Only a store manager can set a task for someone else",
            )));
        }
        let mut tx = self.inner.db.write().await?;
        if customers::get(&mut tx, &draft.customer_id).await?.is_none() {
            return Err(CoreError::UnknownCustomer(draft.customer_id.to_string()));
        }
        let request = CreateTaskRequest {
            id: TaskId(uuid::Uuid::new_v4().to_string()),
            customer_id: draft.customer_id,
            conversation_id: draft.conversation_id,
            store_id: stored.current_store_id.clone(),
            assignee_id: draft.assignee_id,
            note,
            due_at: draft.due_at,
        };
        let assignee_name = (assignee == stored.staff.id).then(|| stored.staff.name.clone());
        let task = Task {
            id: request.id.clone(),
            store_id: request.store_id.clone(),
            customer_id: request.customer_id.clone(),
            conversation_id: request.conversation_id.clone(),
            assignee_id: assignee,
            created_by: Some(stored.staff.id.clone()),
            origin: TaskOrigin::Staff,
            note: request.note.clone(),
            due_at: request.due_at,
            status: TaskStatus::Open,
            completed_at: None,
            created_at: now,
            updated_at: now,
            assignee_name,
            created_by_name: Some(stored.staff.name.clone()),
        };
        storage::save_local(&mut tx, &task).await?;
        let subject = Subject::Task(task.id.clone());
        outbox::enqueue(&mut tx, &subject, &OutboxAction::CreateTask(request), now).await?;
        tx.commit().await?;
        self.inner.outbox_wake.notify_one();
        self.inner.emit(AppEvent::TasksChanged);
        Ok(task)
    }

    /// Completes, reopens or snoozes a task (B3); stored at once, sent through the outbox.
    /// A snooze must be to a time to come.
    pub async fn change_task(&self, id: &TaskId, change: TaskChange) -> Result<Task, CoreError> {
        let stored = self.inner.require_session().await?;
        let now = self.inner.clock.now();
        if let TaskChange::Snooze { due_at } = change {
            validate_due_entry(due_at, now)?;
        }
        let mut tx = self.inner.db.write().await?;
        let task = storage::get(&mut tx, id)
            .await?
            .ok_or_else(|| CoreError::UnknownTask(id.to_string()))?;
        let may_assign = stored.staff.role.allows(Permission::AssignTasks);
        if !task.may_be_changed_by(&stored.staff.id, may_assign) {
            return Err(CoreError::UnknownTask(id.to_string()));
        }
        let changed = task.changed(change, now).map_err(|error| {
            CoreError::Refused(ApiError::new(ErrorCode::InvalidInput, error.to_string()))
        })?;
        if changed == task {
            return Ok(task);
        }
        storage::save_local(&mut tx, &changed).await?;
        let subject = Subject::Task(id.clone());
        outbox::enqueue(&mut tx, &subject, &OutboxAction::ChangeTask(change), now).await?;
        tx.commit().await?;
        self.inner.outbox_wake.notify_one();
        self.inner.emit(AppEvent::TasksChanged);
        Ok(changed)
    }

    /// Raises the notifications of the tasks that came due and were not notified on this
    /// device yet (each once); the due worker does so at their time, and the shell when
    /// the app comes back to the foreground (a phone may have held the worker's timer).
    /// Answers how many came due.
    pub async fn check_due_tasks(&self) -> Result<usize, CoreError> {
        due::check(&self.inner).await
    }
}
