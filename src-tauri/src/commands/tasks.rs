//! Task commands (B3): the Tasks screen's tabs, "Remind me", and completing, reopening or
//! snoozing a task.

use clienteling_domain::task::{Task, TaskChange, TaskDraft, TaskList, TaskTab};
use clienteling_domain::{ApiError, TaskId};
use tauri::State;

use crate::AppState;

/// One tab of the signed-in staff member's tasks, the day ending by the UI's clock.
#[tauri::command]
pub async fn list_tasks(
    state: State<'_, AppState>,
    tab: TaskTab,
    utc_offset_minutes: i32,
) -> Result<TaskList, ApiError> {
    Ok(state
        .core()
        .await?
        .list_tasks(tab, utc_offset_minutes)
        .await?)
}

/// Sets a reminder about a customer.
#[tauri::command]
pub async fn create_task(state: State<'_, AppState>, draft: TaskDraft) -> Result<Task, ApiError> {
    Ok(state.core().await?.create_task(draft).await?)
}

/// Completes, reopens or snoozes a task.
#[tauri::command]
pub async fn change_task(
    state: State<'_, AppState>,
    task_id: TaskId,
    change: TaskChange,
) -> Result<Task, ApiError> {
    Ok(state.core().await?.change_task(&task_id, change).await?)
}
