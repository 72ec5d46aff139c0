//! Assigning a customer (C3), for staff granted `assign_customers`: "Assign" opens a panel
//! listing the company's stores and, under the chosen stores, their staff, each a
//! checkbox; Save sends the full new sets (checked first by the domain's rule, then by the
//! backend). The profile shows the latest entries of the audit ("Assigned to Noah Smith by
//! Mia Chen, 2 Dec"). Both need the backend and say so when it cannot be reached.

use std::collections::BTreeSet;

use clienteling_domain::api::{Customer, Staff, Store};
use clienteling_domain::assignment::{eligible_staff, AssignmentEntry, AssignmentRequest};
use clienteling_domain::{ApiError, CustomerId, StoreId};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::ipc;

/// How many audit entries the profile shows.
const LATEST_ENTRIES: usize = 3;

/// Props of [`AssignmentHistory`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct AssignmentHistoryProps {
    /// The customer.
    pub customer_id: CustomerId,
    /// Changes whenever the customer's assignment changed, to read the audit again.
    pub version: u32,
}

/// The latest entries of the customer's assignment audit.
#[component]
pub fn AssignmentHistory(props: &AssignmentHistoryProps) -> Html {
    let entries = use_state(|| None::<Result<Vec<AssignmentEntry>, ApiError>>);
    {
        let entries = entries.clone();
        use_effect_with(
            (props.customer_id.clone(), props.version),
            move |(id, _)| {
                let id = id.clone();
                spawn_local(async move {
                    entries.set(Some(ipc::list_assignments(&id).await));
                });
            },
        );
    }
    let body = match &*entries {
        None => html! { <p class="muted">{ "Loading the assignment history…" }</p> },
        Some(Err(error)) => html! { <p class="muted" role="status">{ error.message.clone() }</p> },
        Some(Ok(list)) if list.is_empty() => {
            html! { <p class="muted">{ "Not reassigned since sign-up." }</p> }
        }
        Some(Ok(list)) => html! {
            <ul class="assignment-history">
                { for list.iter().take(LATEST_ENTRIES).map(|entry| html! {
                    <li data-test="assignment-entry">{ entry.line() }</li>
                }) }
            </ul>
        },
    };
    html! {
        <section class="profile__section" aria-label="Assignment">
            <h2 class="profile__section-title">{ "Assignment" }</h2>
            { body }
        </section>
    }
}

/// Props of [`AssignPanel`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct AssignPanelProps {
    /// The customer as now assigned.
    pub customer: Customer,
    /// The signed-in staff member's stores (for the names of the stores).
    pub stores: Vec<Store>,
    /// Told the customer as assigned after a save.
    pub on_saved: Callback<Customer>,
}

/// The "Assign" button and, once opened, the picker.
#[component]
pub fn AssignPanel(props: &AssignPanelProps) -> Html {
    let open = use_state(|| false);
    let staff = use_state(|| None::<Result<Vec<Staff>, ApiError>>);
    let chosen_stores = use_state(|| {
        props
            .customer
            .store_ids
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>()
    });
    let chosen_staff = use_state(|| {
        props
            .customer
            .assigned_staff_ids
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>()
    });
    let saving = use_state(|| false);
    let error = use_state(|| None::<String>);
    let on_open = {
        let open = open.clone();
        let staff = staff.clone();
        let chosen_stores = chosen_stores.clone();
        let chosen_staff = chosen_staff.clone();
        let error = error.clone();
        let customer = props.customer.clone();
        Callback::from(move |_: MouseEvent| {
            let opening = !*open;
            open.set(opening);
            error.set(None);
            if !opening {
                return;
            }
            chosen_stores.set(customer.store_ids.iter().cloned().collect());
            chosen_staff.set(customer.assigned_staff_ids.iter().cloned().collect());
            let staff = staff.clone();
            spawn_local(async move {
                staff.set(Some(ipc::list_staff().await));
            });
        })
    };
    let on_save = {
        let chosen_stores = chosen_stores.clone();
        let chosen_staff = chosen_staff.clone();
        let staff = staff.clone();
        let saving = saving.clone();
        let error = error.clone();
        let open = open.clone();
        let id = props.customer.id.clone();
        let on_saved = props.on_saved.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(Ok(all)) = &*staff else {
                return;
            };
            let request = AssignmentRequest::from_choice(&chosen_stores, &chosen_staff, all);
            saving.set(true);
            let saving = saving.clone();
            let error = error.clone();
            let open = open.clone();
            let id = id.clone();
            let on_saved = on_saved.clone();
            spawn_local(async move {
                match ipc::assign_customer(&id, &request).await {
                    Ok(customer) => {
                        error.set(None);
                        open.set(false);
                        on_saved.emit(customer);
                    }
                    Err(refused) => error.set(Some(refused.message)),
                }
                saving.set(false);
            });
        })
    };
    let picker = match (&*open, &*staff) {
        (false, _) => Html::default(),
        (true, None) => html! { <p class="muted">{ "Loading the staff…" }</p> },
        (true, Some(Err(refused))) => html! {
            <p class="error-box" role="alert">{ refused.message.clone() }</p>
        },
        (true, Some(Ok(all))) => {
            let company: BTreeSet<StoreId> = all
                .iter()
                .flat_map(|member| member.store_ids.iter().cloned())
                .chain(props.customer.store_ids.iter().cloned())
                .collect();
            let store_name = |id: &StoreId| {
                props
                    .stores
                    .iter()
                    .find(|store| &store.id == id)
                    .map_or_else(|| id.to_string(), |store| store.name.clone())
            };
            let eligible = eligible_staff(all, &chosen_stores);
            html! {
                <div class="assign-panel" role="group" aria-label="Assign to">
                    <fieldset class="assign-panel__group">
                        <legend>{ "Stores" }</legend>
                        { for company.iter().map(|store| {
                            let checked = chosen_stores.contains(store);
                            let onchange = toggle(&chosen_stores, store.clone());
                            html! {
                                <label class="assign-panel__choice">
                                    <input type="checkbox" data-test="assign-store"
                                        data-store-id={store.to_string()} {checked} {onchange} />
                                    { store_name(store) }
                                </label>
                            }
                        }) }
                    </fieldset>
                    <fieldset class="assign-panel__group">
                        <legend>{ "Staff" }</legend>
                        if eligible.is_empty() {
                            <p class="muted">{ "Choose a store to see its staff." }</p>
                        }
                        { for eligible.iter().map(|member| {
                            let checked = chosen_staff.contains(&member.id);
                            let onchange = toggle(&chosen_staff, member.id.clone());
                            html! {
                                <label class="assign-panel__choice">
                                    <input type="checkbox" data-test="assign-staff"
                                        data-staff-id={member.id.to_string()} {checked} {onchange} />
                                    { member.name.clone() }
                                </label>
                            }
                        }) }
                    </fieldset>
                    if let Some(message) = &*error {
                        <p class="error-box" role="alert" data-test="assign-error">{ message.clone() }</p>
                    }
                    <button type="button" class="button" data-test="assign-save"
                        disabled={*saving} onclick={on_save}>
                        { if *saving { "Saving…" } else { "Save" } }
                    </button>
                </div>
            }
        }
    };
    html! {
        <div class="assign">
            <button type="button" class="button button--quiet" data-test="assign-open"
                aria-expanded={open.to_string()} onclick={on_open}>{ "Assign" }</button>
            { picker }
        </div>
    }
}

/// A checkbox's change adding `value` to `set` or taking it out.
fn toggle<T: Ord + Clone + 'static>(
    set: &UseStateHandle<BTreeSet<T>>,
    value: T,
) -> Callback<Event> {
    let set = set.clone();
    Callback::from(move |event: Event| {
        let input: HtmlInputElement = event.target_unchecked_into();
        let mut next = (*set).clone();
        if input.checked() {
            next.insert(value.clone());
        } else {
            next.remove(&value);
        }
        set.set(next);
    })
}
