//! The header of the conversations screen: app name, store switcher (for staff of more
//! than one store), connection indicator with the offline notice, and signing out — which
//! asks first when messages still wait to be sent (B1).

use clienteling_domain::view::{Connection, SessionView};
use clienteling_domain::StoreId;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::sign_out::SignOutButton;
use crate::hooks::use_store;
use crate::state::intents;

/// The header, with the offline notice under it while offline.
#[component]
pub fn AppHeader() -> Html {
    let store = use_store();
    let Some(session) = store.session().cloned() else {
        return html! {};
    };
    let offline = store.connection == Connection::Offline;
    html! {
        <>
            <header class="app-header">
                <div class="brand">
                    <span class="brand__mark" aria-hidden="true">{ "C" }</span>
                    <span class="brand__name">{ "Clienteling Associate" }</span>
                </div>
                <div class="app-header__actions">
                    { store_picker(&session, &store.dispatcher()) }
                    { connection_indicator(store.connection) }
                    <span class="app-header__user" title={session.staff.role.label()}>
                        { session.staff.name.clone() }
                    </span>
                    <SignOutButton can_wait=true />
                </div>
            </header>
            if offline {
                <div class="offline-notice" role="status">
                    { "Working offline — messages will be sent when back online" }
                </div>
            }
        </>
    }
}

/// A select of the associate's stores when there is more than one, else the store's name.
fn store_picker(session: &SessionView, dispatch: &intents::Dispatcher) -> Html {
    let current = session
        .stores
        .iter()
        .find(|store| store.id == session.current_store_id);
    if session.stores.len() < 2 {
        return html! {
            <span class="app-header__store">{ current.map(|s| s.name.clone()).unwrap_or_default() }</span>
        };
    }
    let onchange = {
        let dispatch = dispatch.clone();
        let current = session.current_store_id.clone();
        Callback::from(move |event: Event| {
            let chosen = StoreId::from(event.target_unchecked_into::<HtmlSelectElement>().value());
            if chosen != current {
                spawn_local(intents::switch_store(dispatch.clone(), chosen));
            }
        })
    };
    html! {
        <label class="store-switcher">
            <span class="visually-hidden">{ "Store" }</span>
            <select class="store-switcher__select" data-test="store-switcher" {onchange}>
                { for session.stores.iter().map(|store| html! {
                    <option value={store.id.to_string()} selected={store.id == session.current_store_id}>
                        { store.name.clone() }
                    </option>
                }) }
            </select>
        </label>
    }
}

/// A dot and a word: online or offline.
fn connection_indicator(connection: Connection) -> Html {
    let (state, label, title) = match connection {
        Connection::Online => (
            "online",
            "Online",
            "Connected: changes arrive as they happen",
        ),
        Connection::Offline => (
            "offline",
            "Offline",
            "Working offline — messages will be sent when back online",
        ),
    };
    html! {
        <span class={classes!("connection", format!("connection--{state}"))}
            data-test="connection" data-state={state} {title}>
            <span class="connection__dot" aria-hidden="true" />
            { label }
        </span>
    }
}
