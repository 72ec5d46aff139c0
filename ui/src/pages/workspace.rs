//! The signed-in workspace: the header, the sections (Chat, Customers) — a sidebar on a
//! desktop-sized window, a bottom tab bar on a phone-sized one — and the screen of the
//! current route; a notification brings the Chat section back from any other.

use clienteling_domain::{ConversationId, CustomerId};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::app_header::AppHeader;
use crate::components::section_nav::SectionNav;
use crate::hooks::use_store;
use crate::pages::conversations::ConversationsPage;
use crate::pages::customers::list::CustomersPage;
use crate::pages::customers::profile::CustomerPage;
use crate::routes::Route;

/// The workspace under its router.
#[component]
pub fn Workspace() -> Html {
    html! {
        <HashRouter>
            <div class="workspace">
                <AppHeader />
                <FollowNotifications />
                <div class="workspace__body">
                    <SectionNav />
                    <main class="workspace__main">
                        <Switch<Route> render={screen} />
                    </main>
                </div>
            </div>
        </HashRouter>
    }
}

/// Shows the Chat section when a notification asks for it, from whichever section is shown.
#[component]
fn FollowNotifications() -> Html {
    let store = use_store();
    let navigator = use_navigator();
    let requests = store.chat_section_requests;
    use_effect_with(requests, move |requests| {
        if *requests > 0 {
            if let Some(navigator) = navigator {
                navigator.push(&Route::Chat);
            }
        }
    });
    html! {}
}

fn screen(route: Route) -> Html {
    match route {
        Route::Chat | Route::NotFound => html! { <ConversationsPage /> },
        Route::Conversation { id } => html! {
            <ConversationsPage open={Some(ConversationId(id))} />
        },
        Route::Customers => html! { <CustomersPage /> },
        Route::Customer { id } => html! { <CustomerPage id={CustomerId(id)} /> },
    }
}
