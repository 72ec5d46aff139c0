//! A customer's profile (C1, C2, C3, C10, M14): the header with name, a star, contacts, the
//! stores they are known to and the consent in this store, a "Message" action opening their
//! latest conversation here, "Remind me" (B3), "Assign" for staff granted `assign_customers`
//! with the latest assignment entries, their notes (C9), every conversation with them in my
//! stores, newest first, their orders, wishlist and recommendations (C6–C8; the
//! recommendations asked of the backend each time the profile opens, the last ones shown
//! meanwhile or offline). Back (the button or Escape) returns to where the associate came
//! from.

use clienteling_domain::api::Customer;
use clienteling_domain::view::{CustomerProfile, SessionView};
use clienteling_domain::{ApiError, ConsentState, CustomerId, Permission, ProductId, Timestamp};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::assign::{AssignPanel, AssignmentHistory};
use super::list::consent_label;
use super::notes::NotesSection;
use super::orders::OrdersSection;
use super::products::{recommendations_section, wishlist_section, Share};
use super::star::StarToggle;
use crate::components::avatar::Avatar;
use crate::components::reminder_form::RemindMe;
use crate::hooks::{use_now, use_store};
use crate::ipc;
use crate::routes::Route;
use crate::state::share::share_draft;

/// Props of [`CustomerPage`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct CustomerPageProps {
    /// The customer shown.
    pub id: CustomerId,
}

/// What the profile shows.
#[derive(Debug, Clone, PartialEq)]
enum Loaded {
    Loading,
    Shown(CustomerProfile),
    Failed(ApiError),
}

/// The profile screen.
#[component]
pub fn CustomerPage(props: &CustomerPageProps) -> Html {
    let store = use_store();
    let profile = use_state(|| Loaded::Loading);
    let attempt = use_state(|| 0_u32);
    let navigator = use_navigator();
    let now = use_now(60_000);
    {
        let profile = profile.clone();
        use_effect_with((props.id.clone(), *attempt), move |(id, _)| {
            let id = id.clone();
            profile.set(Loaded::Loading);
            spawn_local(async move {
                let shown = match ipc::show_customer(&id).await {
                    Ok(shown) => shown,
                    Err(error) => {
                        profile.set(Loaded::Failed(error));
                        return;
                    }
                };
                profile.set(Loaded::Shown(shown.clone()));
                // Offline the kept recommendations stay on screen.
                if let Ok(recommendations) = ipc::refresh_recommendations(&id).await {
                    profile.set(Loaded::Shown(CustomerProfile {
                        recommendations,
                        ..shown
                    }));
                }
            });
        });
    }
    let back = {
        let navigator = navigator.clone();
        Callback::from(move |()| {
            if let Some(navigator) = &navigator {
                navigator.back();
            }
        })
    };
    let on_back_click = {
        let back = back.clone();
        Callback::from(move |_: MouseEvent| back.emit(()))
    };
    let on_keydown = Callback::from(move |event: KeyboardEvent| {
        if event.key() == "Escape" {
            event.prevent_default();
            back.emit(());
        }
    });
    let retry = {
        let attempt = attempt.clone();
        Callback::from(move |_: MouseEvent| attempt.set(*attempt + 1))
    };
    let body = match (&*profile, store.session()) {
        (Loaded::Loading, _) | (_, None) => html! {
            <div class="profile__loading" aria-busy="true">
                <span class="avatar avatar--placeholder avatar--large" />
                <span class="inbox-skeleton__lines"><span /><span /></span>
            </div>
        },
        (Loaded::Failed(error), _) => html! {
            <div class="inbox-state">
                <div class="error-box" data-test="error" role="alert">
                    <p>{ error.message.clone() }</p>
                    <button type="button" class="button button--quiet" onclick={retry}>{ "Try again" }</button>
                </div>
            </div>
        },
        (Loaded::Shown(shown), Some(session)) => {
            let on_assigned = {
                let attempt = attempt.clone();
                Callback::from(move |_: Customer| attempt.set(*attempt + 1))
            };
            profile_body(
                shown,
                session,
                now,
                navigator.as_ref(),
                on_assigned,
                *attempt,
            )
        }
    };
    html! {
        // The page takes keys (Escape) wherever focus is inside it.
        <section class="profile" aria-label="Customer profile" data-test="customer-profile"
            tabindex="-1" onkeydown={on_keydown}>
            <div class="profile__bar">
                <button type="button" class="button button--quiet" onclick={on_back_click}
                    aria-label="Back" data-test="profile-back">{ "← Back" }</button>
            </div>
            { body }
        </section>
    }
}

fn profile_body(
    profile: &CustomerProfile,
    session: &SessionView,
    now: Timestamp,
    navigator: Option<&Navigator>,
    on_assigned: Callback<Customer>,
    version: u32,
) -> Html {
    let may_assign = session.staff.role.allows(Permission::AssignCustomers);
    let customer = &profile.customer;
    let name = customer.full_name();
    let here: Vec<_> = profile
        .conversations
        .iter()
        .filter(|c| c.store_id == session.current_store_id)
        .collect();
    let consent = here
        .first()
        .map_or(ConsentState::Unknown, |conversation| conversation.consent);
    let stores: Vec<String> = customer
        .store_ids
        .iter()
        .map(|id| {
            session
                .stores
                .iter()
                .find(|store| &store.id == id)
                .map_or_else(|| "another store".to_owned(), |store| store.name.clone())
        })
        .collect();
    let share: Share = here.first().map(|latest| {
        let navigator = navigator.cloned();
        let conversation_id = latest.id.to_string();
        let backend_url = session.backend_url.clone();
        Callback::from(move |(product_id, product_name): (ProductId, String)| {
            if let Some(navigator) = &navigator {
                let route = Route::Conversation {
                    id: conversation_id.clone(),
                };
                let draft = share_draft(&backend_url, &product_id, &product_name);
                if navigator.push_with_query(&route, &draft).is_err() {
                    navigator.push(&route);
                }
            }
        })
    });
    let message = here.first().map(|latest| {
        let navigator = navigator.cloned();
        let id = latest.id.to_string();
        let onclick = Callback::from(move |_: MouseEvent| {
            if let Some(navigator) = &navigator {
                navigator.push(&Route::Conversation { id: id.clone() });
            }
        });
        html! {
            <button type="button" class="button" data-test="profile-message" {onclick}>{ "Message" }</button>
        }
    });
    html! {
        <>
            <header class="profile__header">
                <Avatar name={name.clone()} />
                <div class="profile__who">
                    <h1 class="profile__name" data-test="profile-name">
                        { name }
                        <StarToggle customer_id={customer.id.clone()} starred={profile.starred} />
                    </h1>
                    <p class="muted profile__stores">{ stores.join(" · ") }</p>
                    <p class="profile__consent">{ consent_label(consent) }</p>
                </div>
                <div class="profile__actions">
                    { for message }
                    <RemindMe customer_id={customer.id.clone()} first_name={customer.first_name.clone()} />
                    if may_assign {
                        <AssignPanel customer={customer.clone()} stores={session.stores.clone()}
                            on_saved={on_assigned} />
                    }
                </div>
            </header>
            <dl class="profile__contacts">
                <dt>{ "Phone" }</dt>
                <dd data-test="profile-phone">{ customer.phone.clone().unwrap_or_else(|| "—".into()) }</dd>
                <dt>{ "Email" }</dt>
                <dd data-test="profile-email">{ customer.email.clone().unwrap_or_else(|| "—".into()) }</dd>
            </dl>
            <AssignmentHistory customer_id={customer.id.clone()} {version} />
            <NotesSection key={customer.id.to_string()} customer_id={customer.id.clone()} notes={profile.notes.clone()}
                unsaved={profile.unsaved_note_ids.clone()} me={session.staff.id.clone()} {now} />
            <section class="profile__section" aria-label="Conversations">
                <h2 class="profile__section-title">{ "Conversations" }</h2>
                if profile.conversations.is_empty() {
                    <p class="muted">{ "No conversation with this customer yet." }</p>
                } else {
                    <ul class="inbox-list">
                        { for profile.conversations.iter().map(|conversation| {
                            let store_name = session
                                .stores
                                .iter()
                                .find(|store| store.id == conversation.store_id)
                                .map(|store| store.name.clone())
                                .unwrap_or_default();
                            html! {
                                <li>
                                    <Link<Route> to={Route::Conversation { id: conversation.id.to_string() }}
                                        classes="inbox-row">
                                        <span class="inbox-row__main" data-test="profile-conversation"
                                            data-conversation-id={conversation.id.to_string()}>
                                            <span class="inbox-row__top">
                                                <span class="inbox-row__name">{ store_name }</span>
                                                <span class="inbox-row__time">{ conversation.last_activity_at.relative_label(now) }</span>
                                            </span>
                                            <span class="inbox-row__bottom">
                                                <span class={classes!("tag", format!("tag--{}", conversation.channel.as_str()))}>{ conversation.channel.label() }</span>
                                                <span class="inbox-row__preview">{ conversation.last_message_preview.clone() }</span>
                                            </span>
                                        </span>
                                    </Link<Route>>
                                </li>
                            }
                        }) }
                    </ul>
                }
            </section>
            <OrdersSection orders={profile.orders.clone()} count={profile.order_count}
                backend_url={session.backend_url.clone()} {now} />
            { wishlist_section(&profile.wishlist, &session.backend_url, &share) }
            { recommendations_section(&profile.recommendations, &session.backend_url, &share) }
        </>
    }
}
