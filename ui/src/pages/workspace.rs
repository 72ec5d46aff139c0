//! The signed-in workspace: the header, the sections (Chat, Customers, Tasks) — a sidebar
//! on a desktop-sized window, a bottom tab bar on a phone-sized one — and the screen of
//! the current route; a notification brings its screen from any other.

use clienteling_domain::{ConversationId, CustomerId};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::app_header::AppHeader;
use crate::components::section_nav::SectionNav;
use crate::hooks::{use_store, use_task_counts};
use crate::pages::conversations::ConversationsPage;
use crate::pages::customers::list::CustomersPage;
use crate::pages::customers::profile::CustomerPage;
use crate::pages::tasks::TasksPage;
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

/// Shows the Chat section, a customer or the Tasks screen when a notification asks for
/// it, from whichever section is shown; and keeps the Tasks badge's counts.
#[component]
fn FollowNotifications() -> Html {
    let store = use_store();
    let navigator = use_navigator();
    let requests = store.chat_section_requests;
    {
        let navigator = navigator.clone();
        use_effect_with(requests, move |requests| {
            if *requests > 0 {
                if let Some(navigator) = navigator {
                    navigator.push(&Route::Chat);
                }
            }
        });
    }
    let (asked, route) = store.route_request.clone();
    use_effect_with(asked, move |_| {
        if let (Some(navigator), Some(route)) = (navigator, route) {
            navigator.push(&route);
        }
    });
    use_task_counts(store.dispatcher(), store.tasks.revision);
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
        Route::Tasks => html! { <TasksPage /> },
    }
}
