//! The clientbook (C1): My customers, the whole store's or my starred ones, searched as you
//! type by name, phone (any format) or email, starred first, then most recently contacted
//! first; each row shows the name, the tags of the attributes the configuration lists
//! (the demo's tier), the last contact, the consent in this store, the channels and a star
//! toggle; narrowed by attribute filters (C5, `filters`). Arrow keys
//! move through the rows, Enter opens the profile. Staff granted `edit_customers` have a
//! "New customer" button opening the form (`customer_form`, C12); once created, the new
//! customer's profile opens.

use clienteling_domain::api::Customer;
use clienteling_domain::view::{CustomerPage, CustomerQuery, CustomerRow, CustomerScope};
use clienteling_domain::{ApiError, ConsentState, Permission, Timestamp};
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;
use yew_router::prelude::*;

use super::customer_form::{CustomerForm, FormMode};
use super::filters::FilterBar;
use crate::components::avatar::Avatar;
use crate::components::focus::move_focus;
use crate::components::icon::{Icon, IconKind};
use crate::components::list_states;
use crate::hooks::{use_now, use_store};
use crate::ipc;
use crate::routes::Route;

use super::star::StarToggle;

const ROW_SELECTOR: &str = "[data-test=customer-row]";

/// What the listing shows.
#[derive(Debug, Clone, PartialEq)]
enum Listing {
    Loading,
    Loaded(CustomerPage),
    Failed(ApiError),
}

/// The clientbook screen.
#[component]
pub fn CustomersPage() -> Html {
    let store = use_store();
    let store_id = store.session().map(|s| s.current_store_id.clone());
    let query = use_state(CustomerQuery::default);
    let listing = use_state(|| Listing::Loading);
    let definitions = use_state(Vec::new);
    let attempt = use_state(|| 0_u32);
    let creating = use_state(|| false);
    let navigator = use_navigator();
    let may_create = store
        .session()
        .is_some_and(|s| s.staff.role.allows(Permission::EditCustomers));
    {
        let definitions = definitions.clone();
        use_effect_with(store_id.clone(), move |_| {
            spawn_local(async move {
                // Without the configuration the listing simply offers no filter.
                if let Ok(found) = ipc::list_attribute_definitions().await {
                    definitions.set(found);
                }
            });
        });
    }
    let now = use_now(60_000);
    {
        let listing = listing.clone();
        use_effect_with(
            ((*query).clone(), store_id, *attempt),
            move |(query, _, _)| {
                let query = query.clone();
                spawn_local(async move {
                    let answer = ipc::list_customers(&query).await;
                    // A slower answer to an older query never replaces a newer one.
                    listing.set(match answer {
                        Ok(page) if page.query == query => Listing::Loaded(page),
                        Ok(_) => return,
                        Err(error) => Listing::Failed(error),
                    });
                });
            },
        );
    }
    let on_search = {
        let query = query.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            query.set(CustomerQuery {
                search: input.value(),
                ..(*query).clone()
            });
        })
    };
    let on_filters = {
        let query = query.clone();
        Callback::from(move |filters| {
            query.set(CustomerQuery {
                filters,
                ..(*query).clone()
            });
        })
    };
    let tab = |scope: CustomerScope, label: &'static str, test: &'static str| {
        let selected = query.scope == scope;
        let onclick = {
            let query = query.clone();
            Callback::from(move |_: MouseEvent| {
                query.set(CustomerQuery {
                    scope,
                    ..(*query).clone()
                });
            })
        };
        html! {
            <button type="button" role="tab" aria-selected={selected.to_string()}
                class={classes!("tab", selected.then_some("tab--selected"))} data-test={test} {onclick}>
                { label }
            </button>
        }
    };
    let retry = {
        let attempt = attempt.clone();
        Callback::from(move |_: MouseEvent| attempt.set(*attempt + 1))
    };
    // A star moves the row (starred first, or into or out of the Starred tab).
    let on_star = {
        let attempt = attempt.clone();
        Callback::from(move |_: bool| attempt.set(*attempt + 1))
    };
    let open_form = {
        let creating = creating.clone();
        Callback::from(move |_: MouseEvent| creating.set(true))
    };
    let on_cancel = {
        let creating = creating.clone();
        Callback::from(move |()| creating.set(false))
    };
    let on_created = {
        let creating = creating.clone();
        Callback::from(move |customer: Customer| {
            creating.set(false);
            if let Some(navigator) = &navigator {
                navigator.push(&Route::Customer {
                    id: customer.id.to_string(),
                });
            }
        })
    };
    let list = use_node_ref();
    let on_keydown = {
        let list = list.clone();
        Callback::from(move |event: KeyboardEvent| {
            let step = match event.key().as_str() {
                "ArrowDown" => 1,
                "ArrowUp" => -1,
                _ => return,
            };
            if let Some(list) = list.cast::<Element>() {
                event.prevent_default();
                move_focus(&list, ROW_SELECTOR, step);
            }
        })
    };
    let body = match &*listing {
        Listing::Loading => list_states::loading_rows("Loading customers", 6),
        Listing::Failed(error) => {
            list_states::load_failed(html! { <p>{ error.message.clone() }</p> }, retry)
        }
        Listing::Loaded(page) if page.rows.is_empty() => {
            let (title, detail) = if !page.query.filters.is_empty() {
                (
                    "No customer matches these filters",
                    "Remove a filter, or clear them all, to see more customers.",
                )
            } else if page.query.search.trim().is_empty() {
                match page.query.scope {
                    CustomerScope::Mine => ("No customers assigned to you", "Customers assigned to you in this store show here; the store's are under Store."),
                    CustomerScope::Store => ("No customers yet", "The store's customers show here."),
                    CustomerScope::Starred => ("No starred customers", "Star a customer on their row or profile to find them here."),
                }
            } else {
                (
                    "No customer matches",
                    "Search by first or last name, any part of a phone number, or an email.",
                )
            };
            html! {
                <div class="inbox-state inbox-state--empty" data-test="customers-empty">
                    if let Some(note) = &page.note {
                        <p class="customers__note" role="status" data-test="customers-note">{ note.clone() }</p>
                    }
                    <span class="inbox-state__icon" aria-hidden="true"><Icon kind={IconKind::People} /></span>
                    <p class="inbox-state__title">{ title }</p>
                    <p class="muted">{ detail }</p>
                </div>
            }
        }
        Listing::Loaded(page) => html! {
            <>
                if let Some(note) = &page.note {
                    <p class="customers__note" role="status" data-test="customers-note">{ note.clone() }</p>
                }
                <ul class="inbox-list" ref={list} onkeydown={on_keydown} aria-label="Customers">
                    { for page.rows.iter().map(|row| customer_row(row, now, &on_star)) }
                </ul>
                if page.has_more {
                    <p class="muted customers__more">{ "Showing the first 100: search to narrow down." }</p>
                }
            </>
        },
    };
    html! {
        <section class="pane pane--inbox customers" aria-label="Customers">
            <div class="inbox-head">
                <div class="customers__title-row">
                    <h2 class="inbox-head__title">{ "Customers" }</h2>
                    if may_create && !*creating {
                        <button type="button" class="button button--primary" data-test="new-customer"
                            onclick={open_form}>{ "New customer" }</button>
                    }
                </div>
                <div class="tabs" role="tablist" aria-label="Which customers">
                    { tab(CustomerScope::Mine, "My customers", "customers-tab-mine") }
                    { tab(CustomerScope::Store, "Store", "customers-tab-store") }
                    { tab(CustomerScope::Starred, "Starred", "customer-tab-starred") }
                </div>
            </div>
            if *creating {
                <CustomerForm mode={FormMode::New} on_saved={on_created} {on_cancel} />
            }
            <label class="search">
                <span class="search__icon" aria-hidden="true"><Icon kind={IconKind::Search} /></span>
                <input type="search" class="search__input" data-test="customer-search"
                    placeholder="Name, phone or email" aria-label="Search customers"
                    value={query.search.clone()} oninput={on_search} />
            </label>
            <FilterBar definitions={(*definitions).clone()} filters={query.filters.clone()} on_change={on_filters} />
            { body }
        </section>
    }
}

fn customer_row(row: &CustomerRow, now: Timestamp, on_star: &Callback<bool>) -> Html {
    let customer = &row.customer;
    let name = customer.full_name();
    let contact = row
        .last_contact_at
        .map_or_else(|| "Never contacted".to_owned(), |at| at.relative_label(now));
    html! {
        <li class="customer-item">
            <Link<Route> to={Route::Customer { id: customer.id.to_string() }}
                classes={classes!("inbox-row", "customer-row")}>
                <span data-test="customer-row" data-customer-id={customer.id.to_string()} tabindex="-1" />
                <Avatar name={name.clone()} />
                <span class="inbox-row__main">
                    <span class="inbox-row__top">
                        <span class="inbox-row__name" data-test="customer-name">{ name }</span>
                        { for row.tags.iter().map(|tag| html! {
                            <span class="tag tag--attribute" data-test="customer-tag"
                                data-key={tag.key.clone()} title={tag.label.clone()}>{ tag.text.clone() }</span>
                        }) }
                        if row.consent == ConsentState::OptedOut {
                            <span class="inbox-row__heart" title="Opted out" role="img" aria-label="Opted out">
                                <Icon kind={IconKind::BrokenHeart} />
                            </span>
                        }
                        <span class="inbox-row__time">{ contact }</span>
                    </span>
                    <span class="inbox-row__bottom">
                        { for row.channels.iter().map(|channel| html! {
                            <span class={classes!("tag", format!("tag--{}", channel.as_str()))}>{ channel.label() }</span>
                        }) }
                        <span class="inbox-row__preview">{ consent_label(row.consent) }</span>
                    </span>
                </span>
            </Link<Route>>
            <StarToggle customer_id={customer.id.clone()} starred={row.starred}
                on_change={on_star.clone()} />
        </li>
    }
}

/// How the consent for this store reads in a row.
pub fn consent_label(consent: ConsentState) -> &'static str {
    match consent {
        ConsentState::OptedIn => "Opted in",
        ConsentState::OptedOut => "Opted out",
        ConsentState::Unknown => "Consent not asked",
    }
}
