//! The inbox heading: "Chat" with the total unread badge (M12), and the My Inbox / Store
//! Inbox tabs (M11).

use clienteling_domain::inbox::InboxScope;
use yew::prelude::*;

use crate::hooks::use_store;
use crate::state::Action;

/// Heading, badge and tabs.
#[component]
pub fn InboxTabs() -> Html {
    let store = use_store();
    let total = store.inbox.total_unread();
    let tab = |scope: InboxScope, label: &'static str, test: &'static str| {
        let selected = store.inbox.scope == scope;
        let dispatch = store.dispatcher();
        let onclick = Callback::from(move |_: MouseEvent| {
            if !selected {
                dispatch.dispatch(Action::ScopeSelected(scope));
            }
        });
        html! {
            <button type="button" role="tab" class={classes!("tab", selected.then_some("tab--selected"))}
                aria-selected={selected.to_string()} data-test={test} {onclick}>
                { label }
            </button>
        }
    };
    html! {
        <div class="inbox-head">
            <h2 class="inbox-head__title">
                { "Chat" }
                if total > 0 {
                    <span class="badge" data-test="chat-badge" aria-label={format!("{total} unread")}>
                        { total }
                    </span>
                }
            </h2>
            <div class="tabs" role="tablist">
                { tab(InboxScope::Mine, "My Inbox", "inbox-tab-mine") }
                { tab(InboxScope::Store, "Store Inbox", "inbox-tab-store") }
            </div>
        </div>
    }
}
