//! A customer's profile (C1, C2, C3, C10, C15, M14): the header with name, a star, contacts,
//! the stores they are known to, the consent in this store and the last contact from it
//! with a warning when a colleague messaged them today (B7), a "Message" action opening
//! their latest conversation here or starting one (`message`, C2), "Remind me" (B3), "Assign" for staff granted
//! `assign_customers` with the latest assignment entries, and the sections the backend's
//! layout configures, in its order (C15): attribute tables and the standard sections this
//! app knows — their notes (C9), every conversation with them in my stores, newest first,
//! their orders, wishlist and recommendations (C6–C8; the recommendations asked of the
//! backend each time the profile opens, the last ones shown meanwhile or offline); standard
//! sections it does not know yet are skipped. Back (the button or Escape) returns to where
//! the associate came from. Staff granted `edit_customers` have "Edit" among the header's
//! actions (C13: name, gender, date of birth, `customer_form`, opening under the header;
//! offline too, "Saving…" beside the name until the backend has the edit); the sign-up
//! date shows under the contacts.

use clienteling_domain::api::Customer;
use clienteling_domain::layout::{standard, LayoutSection};
use clienteling_domain::view::{AttributeRow, CustomerProfile, ProfileAttributes, SessionView};
use clienteling_domain::{ApiError, ConsentState, CustomerId, Permission, ProductId, Timestamp};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::assign::{AssignPanel, AssignmentHistory};
use super::attributes::AttributeTable;
use super::customer_form::{signed_up_label, CustomerForm, FormMode};
use super::list::consent_label;
use super::message::MessageAction;
use super::notes::NotesSection;
use super::orders::OrdersSection;
use super::products::{recommendations_section, wishlist_section, Share};
use super::star::StarToggle;
use crate::components::avatar::Avatar;
use crate::components::contact_notice::ContactNotice;
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
    Shown(Box<CustomerProfile>),
    Failed(ApiError),
}

/// The profile screen.
#[component]
pub fn CustomerPage(props: &CustomerPageProps) -> Html {
    let store = use_store();
    let profile = use_state(|| Loaded::Loading);
    let attributes = use_state(|| None::<ProfileAttributes>);
    let attempt = use_state(|| 0_u32);
    let editing = use_state(|| false);
    {
        // Another customer's profile opens with its form closed.
        let editing = editing.clone();
        use_effect_with(props.id.clone(), move |_| editing.set(false));
    }
    let navigator = use_navigator();
    let now = use_now(60_000);
    {
        let profile = profile.clone();
        // Moves when the core reports a change of this customer: the profile reads itself
        // again in place, keeping its recommendations.
        let revision = store.customer_revisions.of(&props.id);
        use_effect_with((props.id.clone(), *attempt, revision), move |(id, _, _)| {
            let id = id.clone();
            let kept = match &*profile {
                Loaded::Shown(shown) if shown.customer.id == id => {
                    Some(shown.recommendations.clone())
                }
                _ => None,
            };
            if kept.is_none() {
                profile.set(Loaded::Loading);
            }
            spawn_local(async move {
                let shown = match ipc::show_customer(&id).await {
                    Ok(shown) => shown,
                    Err(error) => {
                        profile.set(Loaded::Failed(error));
                        return;
                    }
                };
                if let Some(recommendations) = kept {
                    profile.set(Loaded::Shown(Box::new(CustomerProfile {
                        recommendations,
                        ..shown
                    })));
                    return;
                }
                profile.set(Loaded::Shown(Box::new(shown.clone())));
                // Offline the kept recommendations stay on screen.
                if let Ok(recommendations) = ipc::refresh_recommendations(&id).await {
                    profile.set(Loaded::Shown(Box::new(CustomerProfile {
                        recommendations,
                        ..shown
                    })));
                }
            });
        });
    }
    {
        // Read once the profile is shown (opening it completes the local copy from the
        // backend while the backfill has not reached the customer, C11), and again whenever
        // values change locally (another device, a refused change).
        let attributes = attributes.clone();
        let revisions = (
            store.attributes_revision,
            store.customer_revisions.of(&props.id),
        );
        let shown = matches!(&*profile, Loaded::Shown(shown) if shown.customer.id == props.id);
        use_effect_with(
            (props.id.clone(), *attempt, revisions, shown),
            move |(id, _, _, shown)| {
                if *shown {
                    let id = id.clone();
                    spawn_local(async move {
                        // Without its attribute rows the profile still shows its conversations.
                        attributes.set(ipc::show_customer_attributes(&id).await.ok());
                    });
                }
            },
        );
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
            let on_saved = {
                let attributes = attributes.clone();
                Callback::from(move |saved: ProfileAttributes| attributes.set(Some(saved)))
            };
            let sections = Sections {
                attributes: attributes.as_ref(),
                on_saved,
            };
            let on_assigned = {
                let attempt = attempt.clone();
                Callback::from(move |_: Customer| attempt.set(*attempt + 1))
            };
            let may_edit = session.staff.role.allows(Permission::EditCustomers);
            let edit = may_edit.then(|| {
                let (open, close, saved) = (editing.clone(), editing.clone(), editing.clone());
                let attempt = attempt.clone();
                Edit {
                    open: *editing,
                    on_open: Callback::from(move |_: MouseEvent| open.set(true)),
                    on_cancel: Callback::from(move |()| close.set(false)),
                    on_saved: Callback::from(move |_: Customer| {
                        saved.set(false);
                        attempt.set(*attempt + 1);
                    }),
                }
            });
            profile_body(
                shown,
                session,
                now,
                navigator.as_ref(),
                &sections,
                Actions { on_assigned, edit },
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

/// The configured sections' data: the layout and attribute rows once read, and what to do
/// with the rows a save answers.
struct Sections<'a> {
    attributes: Option<&'a ProfileAttributes>,
    on_saved: Callback<ProfileAttributes>,
}

/// The standard sections this app shows.
const KNOWN_SECTIONS: [&str; 5] = [
    standard::NOTES,
    standard::CONVERSATIONS,
    standard::ORDERS,
    standard::WISHLIST,
    standard::RECOMMENDATIONS,
];

/// A standard section (`key`, one of [`KNOWN_SECTIONS`]) titled `title`.
fn standard_section(
    key: &str,
    title: &str,
    profile: &CustomerProfile,
    session: &SessionView,
    now: Timestamp,
    share: &Share,
) -> Html {
    let customer = &profile.customer;
    let shown = match key {
        standard::CONVERSATIONS => return conversations_section(title, profile, session, now),
        standard::NOTES => html! {
            <NotesSection key={customer.id.to_string()} customer_id={customer.id.clone()} notes={profile.notes.clone()}
                unsaved={profile.unsaved_note_ids.clone()} me={session.staff.id.clone()} {now} />
        },
        standard::ORDERS => html! {
            <OrdersSection orders={profile.orders.clone()} count={profile.order_count}
                backend_url={session.backend_url.clone()} {now} />
        },
        standard::WISHLIST => wishlist_section(&profile.wishlist, &session.backend_url, share),
        standard::RECOMMENDATIONS => {
            recommendations_section(&profile.recommendations, &session.backend_url, share)
        }
        _ => return Html::default(),
    };
    // The section keeps its own heading; the slot names it for the layout.
    html! {
        <div class="profile__slot" data-test="profile-section" data-section-key={key.to_owned()}>
            { shown }
        </div>
    }
}

/// The layout's sections in order, or the standard ones in the app's order before the
/// layout is known.
fn sections_html(
    profile: &CustomerProfile,
    session: &SessionView,
    now: Timestamp,
    sections: &Sections<'_>,
    share: &Share,
) -> Html {
    let Some(attributes) = sections
        .attributes
        .filter(|a| !a.layout.sections.is_empty())
    else {
        return html! {
            <>{ for KNOWN_SECTIONS.iter().map(|key| {
                let title = if *key == standard::CONVERSATIONS { "Conversations" } else { "" };
                // Keyed, so the layout's sections arriving later keep these nodes.
                html! {
                    <key={*key}>{ standard_section(key, title, profile, session, now, share) }</>
                }
            }) }</>
        };
    };
    let section = |section: &LayoutSection| {
        if !section.custom && KNOWN_SECTIONS.contains(&section.key.as_str()) {
            let shown =
                standard_section(&section.key, &section.title, profile, session, now, share);
            return html! { <key={section.key.clone()}>{ shown }</> };
        }
        let rows: Vec<AttributeRow> = section
            .attributes
            .iter()
            .filter_map(|key| attributes.rows.iter().find(|r| &r.definition.key == key))
            .cloned()
            .collect();
        html! {
            <section key={section.key.clone()} class="profile__section" aria-label={section.title.clone()}
                data-test="profile-section" data-section-key={section.key.clone()}>
                <h2 class="profile__section-title">{ section.title.clone() }</h2>
                <AttributeTable customer_id={profile.customer.id.clone()} {rows}
                    can_edit={attributes.can_edit} {now} on_saved={sections.on_saved.clone()} />
            </section>
        }
    };
    html! { <>{ for attributes.layout.shown(&KNOWN_SECTIONS).map(section) }</> }
}

/// The profile's "Edit" (C13): whether its form is open, and what opens, cancels and
/// closes it once saved.
struct Edit {
    open: bool,
    on_open: Callback<MouseEvent>,
    on_cancel: Callback<()>,
    on_saved: Callback<Customer>,
}

/// What the header's "Assign" and "Edit" do once saved.
struct Actions {
    on_assigned: Callback<Customer>,
    edit: Option<Edit>,
}

fn profile_body(
    profile: &CustomerProfile,
    session: &SessionView,
    now: Timestamp,
    navigator: Option<&Navigator>,
    sections: &Sections<'_>,
    actions: Actions,
    version: u32,
) -> Html {
    let Actions { on_assigned, edit } = actions;
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
    let message = session
        .stores
        .iter()
        .find(|store| store.id == session.current_store_id)
        .map(|store| {
            html! {
                <MessageAction customer={customer.clone()} store={store.clone()}
                    latest={here.first().map(|latest| latest.id.clone())} />
            }
        });
    html! {
        <>
            <header class="profile__header">
                <Avatar name={name.clone()} />
                <div class="profile__who">
                    <div class="profile__title">
                        <h1 class="profile__name" data-test="profile-name">{ name }</h1>
                        <StarToggle customer_id={customer.id.clone()} starred={profile.starred} />
                        if profile.details_pending {
                            <span class="muted profile__saving" data-test="details-saving">{ "Saving…" }</span>
                        }
                    </div>
                    <p class="muted profile__stores">{ stores.join(" · ") }</p>
                    <p class="profile__consent">{ consent_label(consent) }</p>
                    <ContactNotice contact={profile.last_contact.clone()}
                        first_name={customer.first_name.clone()} with_line=true />
                </div>
                <div class="profile__actions">
                    { for message }
                    if let Some(edit) = edit.as_ref().filter(|edit| !edit.open) {
                        <button type="button" class="button" data-test="edit-customer"
                            onclick={edit.on_open.clone()}>{ "Edit" }</button>
                    }
                    <RemindMe customer_id={customer.id.clone()} first_name={customer.first_name.clone()} />
                    if may_assign {
                        <AssignPanel customer={customer.clone()} stores={session.stores.clone()}
                            on_saved={on_assigned} />
                    }
                </div>
            </header>
            if let Some(edit) = edit.filter(|edit| edit.open) {
                <div class="profile__edit">
                    <CustomerForm mode={FormMode::Edit(customer.clone())}
                        on_saved={edit.on_saved} on_cancel={edit.on_cancel} />
                </div>
            }
            <dl class="profile__contacts">
                <dt>{ "Phone" }</dt>
                <dd data-test="profile-phone">{ customer.phone.clone().unwrap_or_else(|| "—".into()) }</dd>
                <dt>{ "Email" }</dt>
                <dd data-test="profile-email">{ customer.email.clone().unwrap_or_else(|| "—".into()) }</dd>
                <dt>{ "Signed up" }</dt>
                <dd data-test="customer-signed-up">
                    { customer.signed_up_at.map_or_else(|| "Not known".to_owned(), signed_up_label) }
                </dd>
            </dl>
            <AssignmentHistory customer_id={customer.id.clone()} {version} />
            { sections_html(profile, session, now, sections, &share) }
        </>
    }
}

/// The customer's conversations in my stores, newest first.
fn conversations_section(
    title: &str,
    profile: &CustomerProfile,
    session: &SessionView,
    now: Timestamp,
) -> Html {
    html! {
            <section class="profile__section" aria-label="Conversations"
                data-test="profile-section" data-section-key={standard::CONVERSATIONS}>
                <h2 class="profile__section-title">{ title.to_owned() }</h2>
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
    }
}
