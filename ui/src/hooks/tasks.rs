//! `use_task_counts`: reads the signed-in staff member's task counts whenever their tasks
//! change and every minute (a task comes due as time passes), for the Tasks badge (B3).

use clienteling_domain::task::TaskTab;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::hooks::use_now;
use crate::ipc;
use crate::state::intents::Dispatcher;
use crate::state::Action;

/// Keeps the store's task counts current.
#[hook]
pub fn use_task_counts(dispatch: Dispatcher, revision: u32) {
    let minute = use_now(60_000);
    use_effect_with((revision, minute), move |_| {
        spawn_local(async move {
            match ipc::list_tasks(TaskTab::Today).await {
                Ok(list) => dispatch.dispatch(Action::TaskCountsLoaded(list.counts)),
                // The badge stays as it was; the Tasks screen shows the error itself.
                Err(error) => web_sys::console::warn_1(
                    &format!("the task counts could not be read: {}", error.message).into(),
                ),
            }
        });
    });
}
