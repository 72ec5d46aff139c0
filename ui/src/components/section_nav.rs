//! The app's sections: Chat (with the unread badge), Customers and Tasks (with what is due
//! today or overdue), as a sidebar on a
//! desktop-sized window and a bottom tab bar on a phone-sized one (the stylesheet switches
//! at 800 px).

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::icon::{Icon, IconKind};
use crate::hooks::use_store;
use crate::routes::Route;

/// The section links, the current one marked.
#[component]
pub fn SectionNav() -> Html {
    let store = use_store();
    let route = use_route::<Route>().unwrap_or(Route::Chat);
    let unread = store.inbox.total_unread();
    let in_chat = matches!(
        route,
        Route::Chat | Route::Conversation { .. } | Route::NotFound
    );
    let in_customers = matches!(route, Route::Customers | Route::Customer { .. });
    let in_tasks = route == Route::Tasks;
    let due = store.tasks.counts.due();
    html! {
        <nav class="sections" aria-label="Sections">
            <Link<Route> to={Route::Chat}
                classes={classes!("sections__link", in_chat.then_some("sections__link--current"))}>
                <span class="sections__icon" aria-hidden="true"><Icon kind={IconKind::Chat} /></span>
                <span class="sections__label" data-test="section-chat">{ "Chat" }</span>
                if unread > 0 {
                    <span class="sections__badge" aria-label={format!("{unread} unread")}>{ unread }</span>
                }
            </Link<Route>>
            <Link<Route> to={Route::Customers}
                classes={classes!("sections__link", in_customers.then_some("sections__link--current"))}>
                <span class="sections__icon" aria-hidden="true"><Icon kind={IconKind::People} /></span>
                <span class="sections__label" data-test="section-customers">{ "Customers" }</span>
            </Link<Route>>
            <Link<Route> to={Route::Tasks}
                classes={classes!("sections__link", in_tasks.then_some("sections__link--current"))}>
                <span class="sections__icon" aria-hidden="true"><Icon kind={IconKind::Bell} /></span>
                <span class="sections__label" data-test="section-tasks">{ "Tasks" }</span>
                if due > 0 {
                    <span class="sections__badge" data-test="tasks-badge" aria-label={format!("{due} due")}>{ due }</span>
                }
            </Link<Route>>
        </nav>
    }
}
