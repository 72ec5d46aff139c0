//! The Tasks screen (B3): the signed-in staff member's follow-ups in four tabs — Today,
//! Upcoming, Overdue, Done — each with its count; a task shows its customer (a link to the
//! profile), its note and when it is due, and is completed, snoozed (an hour, tomorrow
//! morning) or reopened in place. What was changed here and not yet accepted by the
//! backend says so.

use clienteling_domain::task::{TaskChange, TaskCounts, TaskItem, TaskList, TaskTab};
use clienteling_domain::time::{DAY_MS, HOUR_MS, MINUTE_MS};
use clienteling_domain::{ApiError, Clock, StaffId, Timestamp};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::clock::{clock_label, local_date_and_time, local_date_time, BrowserClock};
use crate::components::avatar::Avatar;
use crate::components::icon::{Icon, IconKind};
use crate::components::list_states;
use crate::hooks::{use_now, use_store};
use crate::ipc;
use crate::routes::Route;
use crate::state::Action;

/// What the tab shows.
#[derive(Debug, Clone, PartialEq)]
enum Listing {
    Loading,
    Loaded(TaskList),
    Failed(ApiError),
}

/// The Tasks screen.
#[component]
pub fn TasksPage() -> Html {
    let store = use_store();
    let me = store.session().map(|session| session.staff.id.clone());
    let tab = use_state(TaskTab::default);
    let listing = use_state(|| Listing::Loading);
    let attempt = use_state(|| 0_u32);
    let now = use_now(30_000);
    {
        let listing = listing.clone();
        let dispatch = store.dispatcher();
        use_effect_with(
            (*tab, store.tasks.revision, *attempt),
            move |(tab, _, _)| {
                let tab = *tab;
                spawn_local(async move {
                    match ipc::list_tasks(tab).await {
                        Ok(list) => {
                            dispatch.dispatch(Action::TaskCountsLoaded(list.counts));
                            listing.set(Listing::Loaded(list));
                        }
                        Err(error) => listing.set(Listing::Failed(error)),
                    }
                });
            },
        );
    }
    let counts = match &*listing {
        Listing::Loaded(list) => list.counts,
        _ => store.tasks.counts,
    };
    let tabs = TaskTab::ALL.into_iter().map(|each| {
        let selected = *tab == each;
        let onclick = {
            let tab = tab.clone();
            Callback::from(move |_: MouseEvent| tab.set(each))
        };
        let count = count_of(counts, each);
        html! {
            <button type="button" role="tab" aria-selected={selected.to_string()}
                class={classes!("tab", selected.then_some("tab--selected"), (each == TaskTab::Overdue && count > 0).then_some("tab--alert"))}
                data-test={format!("task-tab-{}", tab_key(each))} {onclick}>
                { each.label() }
                if count > 0 {
                    <span class="tab__count" data-test="task-tab-count">{ count }</span>
                }
            </button>
        }
    });
    let retry = {
        let attempt = attempt.clone();
        Callback::from(move |_: MouseEvent| attempt.set(*attempt + 1))
    };
    let body = match &*listing {
        Listing::Loading => list_states::loading_rows("Loading tasks", 4),
        Listing::Failed(error) => {
            list_states::load_failed(html! { <p>{ error.message.clone() }</p> }, retry)
        }
        Listing::Loaded(list) if list.items.is_empty() => html! {
            <div class="inbox-state" data-test="tasks-empty">
                <span class="inbox-state__icon" aria-hidden="true"><Icon kind={IconKind::Bell} /></span>
                <p class="inbox-state__title">{ empty_title(list.tab) }</p>
                <p class="muted">{ "Set one with “Remind me” on a customer's profile or in a chat." }</p>
            </div>
        },
        Listing::Loaded(list) => html! {
            <ul class="task-list" aria-label={format!("{} tasks", list.tab.label())}>
                { for list.items.iter().map(|item| task_row(item, now, me.as_ref(), &store.dispatcher())) }
            </ul>
        },
    };
    html! {
        <section class="pane tasks" aria-label="Tasks">
            <div class="tabs" role="tablist" aria-label="Tasks">{ for tabs }</div>
            { body }
        </section>
    }
}

fn count_of(counts: TaskCounts, tab: TaskTab) -> u32 {
    match tab {
        TaskTab::Today => counts.today,
        TaskTab::Upcoming => counts.upcoming,
        TaskTab::Overdue => counts.overdue,
        TaskTab::Done => counts.done,
    }
}

fn tab_key(tab: TaskTab) -> &'static str {
    match tab {
        TaskTab::Today => "today",
        TaskTab::Upcoming => "upcoming",
        TaskTab::Overdue => "overdue",
        TaskTab::Done => "done",
    }
}

fn empty_title(tab: TaskTab) -> &'static str {
    match tab {
        TaskTab::Today => "Nothing more due today",
        TaskTab::Upcoming => "Nothing coming up",
        TaskTab::Overdue => "Nothing overdue",
        TaskTab::Done => "No task done yet",
    }
}

/// When a task is due, as its row says it: "Due 14:05", "Due Mar 3, 14:05", "2h overdue",
/// or when it was done.
fn due_label(item: &TaskItem, now: Timestamp) -> String {
    let task = &item.task;
    if let Some(done) = task.completed_at {
        return format!("Done {}", clock_label(done, now));
    }
    let late = now.since(task.due_at);
    if late >= DAY_MS {
        format!("{}d overdue", late / DAY_MS)
    } else if late >= HOUR_MS {
        format!("{}h overdue", late / HOUR_MS)
    } else if late >= 0 {
        format!("{}m overdue", (late / MINUTE_MS).max(1))
    } else {
        format!("Due {}", clock_label(task.due_at, now))
    }
}

/// Tomorrow at 9:00 in the device's time zone.
fn tomorrow_morning(now: Timestamp) -> Timestamp {
    let day = local_date_and_time(now.plus_ms(DAY_MS)).0;
    local_date_time(&day, "09:00").unwrap_or(now.plus_ms(DAY_MS))
}

fn task_row(
    item: &TaskItem,
    now: Timestamp,
    me: Option<&StaffId>,
    dispatch: &crate::state::intents::Dispatcher,
) -> Html {
    let task = &item.task;
    let handoff = me.and_then(|me| task.handoff(me));
    // The change is made when clicked, from the time then.
    let act = |change: fn(Timestamp) -> TaskChange| {
        let id = task.id.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let id = id.clone();
            let dispatch = dispatch.clone();
            let change = change(BrowserClock.now());
            spawn_local(async move {
                if let Err(error) = ipc::change_task(&id, change).await {
                    dispatch.dispatch(Action::Failed(error));
                }
            });
        })
    };
    let done = task.completed_at.is_some();
    let overdue = !done && task.due_at <= now;
    html! {
        <li key={task.id.to_string()} class={classes!("task", done.then_some("task--done"), overdue.then_some("task--overdue"))}
            data-test="task" data-task-id={task.id.to_string()}>
            if done {
                <button type="button" class="task__check task__check--done" data-test="task-reopen"
                    aria-label="Reopen" title="Reopen" onclick={act(|_| TaskChange::Reopen)}>
                    <Icon kind={IconKind::Check} />
                </button>
            } else {
                <button type="button" class="task__check" data-test="task-complete"
                    aria-label="Mark done" title="Mark done" onclick={act(|_| TaskChange::Complete)} />
            }
            <Avatar name={item.customer_name.clone()} />
            <div class="task__main">
                <Link<Route> to={Route::Customer { id: task.customer_id.to_string() }} classes="task__customer">
                    <span data-test="task-customer">{ item.customer_name.clone() }</span>
                </Link<Route>>
                if !task.note.is_empty() {
                    <p class="task__note" data-test="task-note">{ task.note.clone() }</p>
                }
                <p class="task__meta">
                    <span class={classes!("task__due", overdue.then_some("task__due--late"))} data-test="task-due">
                        { due_label(item, now) }
                    </span>
                    if let Some(handoff) = handoff {
                        <span class="muted" data-test="task-handoff">{ format!(" · {handoff}") }</span>
                    }
                    if item.pending {
                        <span class="muted" data-test="task-pending">{ " · Saving…" }</span>
                    }
                </p>
            </div>
            if !done {
                <div class="task__actions">
                    <button type="button" class="button button--small button--quiet" data-test="task-snooze-hour"
                        onclick={act(|now| TaskChange::Snooze { due_at: now.plus_ms(HOUR_MS) })}>{ "+1 hour" }</button>
                    <button type="button" class="button button--small button--quiet" data-test="task-snooze-tomorrow"
                        onclick={act(|now| TaskChange::Snooze { due_at: tomorrow_morning(now) })}>{ "Tomorrow" }</button>
                </div>
            }
        </li>
    }
}
