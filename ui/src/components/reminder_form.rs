//! "Remind me" (B3): the form setting a follow-up task about a customer — a day and a time
//! (tomorrow at 10:00 to start with, or one of the quick picks) and a note — opened from a
//! customer's profile or from a chat's header. The time is checked by the domain's rule
//! before it is set; the task is stored at once and reaches the backend when it can. Staff
//! granted `assign_tasks` choose whom it is for among the store's staff ("Me" to start
//! with; the list needs the backend, offline it is "Me" alone).

use clienteling_domain::api::Staff;
use clienteling_domain::task::{assignable, validate_due_entry, validate_note, TaskDraft};
use clienteling_domain::time::{DAY_MS, HOUR_MS};
use clienteling_domain::{ApiError, Clock, ConversationId, CustomerId, Permission, Timestamp};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::clock::{local_date_and_time, local_date_time, BrowserClock};
use crate::hooks::use_store;
use crate::ipc;

/// Props of [`ReminderForm`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ReminderFormProps {
    /// The customer to follow up with.
    pub customer_id: CustomerId,
    /// Their first name, for the title.
    pub first_name: String,
    /// The conversation it is set from, if any.
    #[prop_or_default]
    pub conversation_id: Option<ConversationId>,
    /// Called once the reminder is set (with what it says), or when the form is closed.
    pub on_close: Callback<Option<String>>,
}

/// The quick picks: a label and the time they stand for from `now`.
fn quick_picks(now: Timestamp) -> [(&'static str, Timestamp); 3] {
    let tomorrow = local_date_and_time(now.plus_ms(DAY_MS)).0;
    let next_week = local_date_and_time(now.plus_ms(7 * DAY_MS)).0;
    [
        ("In 1 hour", now.plus_ms(HOUR_MS)),
        (
            "Tomorrow 10:00",
            local_date_time(&tomorrow, "10:00").unwrap_or(now.plus_ms(DAY_MS)),
        ),
        (
            "Next week",
            local_date_time(&next_week, "10:00").unwrap_or(now.plus_ms(7 * DAY_MS)),
        ),
    ]
}

/// Setting a reminder.
#[component]
pub fn ReminderForm(props: &ReminderFormProps) -> Html {
    let start = use_memo((), |()| {
        let now = BrowserClock.now();
        local_date_and_time(quick_picks(now)[1].1)
    });
    let date = use_state(|| start.0.clone());
    let time = use_state(|| start.1.clone());
    let note = use_state(String::new);
    let error = use_state(|| None::<String>);
    let saving = use_state(|| false);
    let note_ref = use_node_ref();
    let store = use_store();
    let session = store.session();
    let may_assign = session.is_some_and(|s| s.staff.role.allows(Permission::AssignTasks));
    // Empty for "Me".
    let assignee = use_state(String::new);
    let staff = use_state(|| None::<Result<Vec<Staff>, ApiError>>);
    {
        let staff = staff.clone();
        use_effect_with(may_assign, move |may_assign| {
            if *may_assign {
                spawn_local(async move { staff.set(Some(ipc::list_staff().await)) });
            }
        });
    }
    let colleagues: Vec<Staff> = match (session, &*staff) {
        (Some(session), Some(Ok(all))) => {
            assignable(all, &session.current_store_id, &session.staff.id)
                .into_iter()
                .cloned()
                .collect()
        }
        _ => Vec::new(),
    };
    let on_assignee = {
        let assignee = assignee.clone();
        Callback::from(move |event: Event| {
            assignee.set(event.target_unchecked_into::<HtmlSelectElement>().value());
        })
    };
    {
        let note_ref = note_ref.clone();
        use_effect_with((), move |()| {
            if let Some(element) = note_ref.cast::<HtmlTextAreaElement>() {
                // A refused focus (the window is in the background) leaves it where it was.
                let _ = element.focus();
            }
        });
    }
    let on_date = {
        let date = date.clone();
        Callback::from(move |event: Event| {
            date.set(event.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let on_time = {
        let time = time.clone();
        Callback::from(move |event: Event| {
            time.set(event.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let on_note = {
        let note = note.clone();
        Callback::from(move |event: InputEvent| {
            note.set(event.target_unchecked_into::<HtmlTextAreaElement>().value());
        })
    };
    let pick = |at: Timestamp| {
        let date = date.clone();
        let time = time.clone();
        Callback::from(move |_: MouseEvent| {
            let (day, clock) = local_date_and_time(at);
            date.set(day);
            time.set(clock);
        })
    };
    let save = {
        let (date, time, note, error, saving) = (
            date.clone(),
            time.clone(),
            note.clone(),
            error.clone(),
            saving.clone(),
        );
        let chosen = colleagues
            .iter()
            .find(|member| member.id.as_str() == assignee.as_str())
            .map(|member| (member.id.clone(), member.name.clone()));
        let customer_id = props.customer_id.clone();
        let conversation_id = props.conversation_id.clone();
        let on_close = props.on_close.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *saving {
                return;
            }
            let Some(due_at) = local_date_time(&date, &time) else {
                error.set(Some("Choose a day and a time".to_owned()));
                return;
            };
            let checked =
                validate_due_entry(due_at, BrowserClock.now()).and_then(|()| validate_note(&note));
            let note = match checked {
                Ok(note) => note,
                Err(refused) => {
                    error.set(Some(capitalized(&refused.to_string())));
                    return;
                }
            };
            error.set(None);
            saving.set(true);
            let draft = TaskDraft {
                customer_id: customer_id.clone(),
                conversation_id: conversation_id.clone(),
                assignee_id: chosen.as_ref().map(|(id, _)| id.clone()),
                note,
                due_at,
            };
            let for_whom = chosen
                .as_ref()
                .map(|(_, name)| format!(" for {name}"))
                .unwrap_or_default();
            let (error, saving, on_close) = (error.clone(), saving.clone(), on_close.clone());
            spawn_local(async move {
                match ipc::create_task(&draft).await {
                    Ok(_) => on_close.emit(Some(format!(
                        "Reminder{for_whom} set for {}",
                        crate::clock::clock_label(draft.due_at, BrowserClock.now())
                    ))),
                    Err(refused) => {
                        saving.set(false);
                        error.set(Some(refused.message));
                    }
                }
            });
        })
    };
    let on_keydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                event.prevent_default();
                on_close.emit(None);
            }
        })
    };
    let cancel = props.on_close.reform(|_: MouseEvent| None);
    let now = BrowserClock.now();
    html! {
        <form class="chat-drawer reminder-form" aria-label="Remind me" data-test="reminder-form"
            onsubmit={save} onkeydown={on_keydown}>
            <div class="chat-drawer__head">
                <h3 class="chat-drawer__title">{ format!("Remind me to follow up with {}", props.first_name.trim()) }</h3>
                <button type="button" class="icon-button" aria-label="Close" onclick={cancel.clone()}>{ "×" }</button>
            </div>
            <div class="reminder-form__picks" role="group" aria-label="Quick picks">
                { for quick_picks(now).into_iter().map(|(label, at)| html! {
                    <button type="button" class="chip" onclick={pick(at)}>{ label }</button>
                }) }
            </div>
            <div class="reminder-form__when">
                <label class="field">
                    <span class="field__label">{ "Day" }</span>
                    <input type="date" class="field__input" data-test="reminder-date"
                        value={(*date).clone()} onchange={on_date} />
                </label>
                <label class="field">
                    <span class="field__label">{ "Time" }</span>
                    <input type="time" class="field__input" data-test="reminder-time"
                        value={(*time).clone()} onchange={on_time} />
                </label>
            </div>
            if may_assign {
                <label class="field">
                    <span class="field__label">{ "For" }</span>
                    <select class="field__input" data-test="reminder-assignee" onchange={on_assignee}>
                        <option value="" selected={assignee.is_empty()}>{ "Me" }</option>
                        { for colleagues.iter().map(|member| html! {
                            <option value={member.id.to_string()}
                                selected={member.id.as_str() == assignee.as_str()}>{ member.name.clone() }</option>
                        }) }
                    </select>
                    if matches!(&*staff, Some(Err(_))) {
                        <span class="muted">{ "Setting it for a colleague needs the backend" }</span>
                    }
                </label>
            }
            <label class="field">
                <span class="field__label">{ "Note" }</span>
                <textarea class="field__input" data-test="reminder-note" rows="2" ref={note_ref}
                    placeholder="Ask how the coat fits" value={(*note).clone()} oninput={on_note} />
            </label>
            if let Some(message) = &*error {
                <div class="composer__error" data-test="error" role="alert">{ message.clone() }</div>
            }
            <div class="chat-drawer__actions">
                <button type="button" class="button button--quiet" onclick={cancel}>{ "Cancel" }</button>
                <button type="submit" class="button button--primary" data-test="reminder-save" disabled={*saving}>
                    { if *saving { "Setting…" } else { "Set reminder" } }
                </button>
            </div>
        </form>
    }
}

/// `text` with its first letter in capitals, as a sentence on screen starts.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Props of [`RemindMe`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct RemindMeProps {
    /// The customer to follow up with.
    pub customer_id: CustomerId,
    /// Their first name.
    pub first_name: String,
}

/// The profile's "Remind me" action: the button, then the form, then what was set.
#[component]
pub fn RemindMe(props: &RemindMeProps) -> Html {
    let open = use_state(|| false);
    let confirmation = use_state(|| None::<String>);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let on_close = {
        let (open, confirmation) = (open.clone(), confirmation.clone());
        Callback::from(move |set: Option<String>| {
            open.set(false);
            if set.is_some() {
                confirmation.set(set);
            }
        })
    };
    html! {
        <div class="remind-me">
            <button type="button" data-test="remind-me" onclick={toggle}
                class={classes!("button", (*open).then_some("button--active"))}
                aria-expanded={open.to_string()}>
                { "Remind me" }
            </button>
            if *open {
                <div class="remind-me__form">
                    <ReminderForm customer_id={props.customer_id.clone()}
                        first_name={props.first_name.clone()} {on_close} />
                </div>
            } else if let Some(message) = &*confirmation {
                <p class="remind-me__set muted" role="status" data-test="reminder-set">{ message.clone() }</p>
            }
        </div>
    }
}
