//! The conversations screen: the inbox (tabs, banner, list, and the backfill's progress
//! laid over the list's foot so that its coming and going never moves a row under a
//! finger) and the chat side by side on wide windows, one at a time on phones (the
//! stylesheet switches at 800 px). A route naming a conversation (a link from a
//! customer's profile) opens it.

use clienteling_domain::ConversationId;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::components::chat_panel::ChatPanel;
use crate::components::history_progress::HistoryProgress;
use crate::components::inbox_list::InboxList;
use crate::components::inbox_tabs::InboxTabs;
use crate::components::unread_banner::UnreadBanner;
use crate::hooks::{use_chat_customer, use_chat_reload, use_inbox_listing, use_store};
use crate::state::intents;

/// Props of [`ConversationsPage`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ConversationsPageProps {
    /// The conversation the route opens, if any.
    #[prop_or_default]
    pub open: Option<ConversationId>,
}

/// The conversations screen.
#[component]
pub fn ConversationsPage(props: &ConversationsPageProps) -> Html {
    let store = use_store();
    {
        let dispatch = store.dispatcher();
        use_effect_with(props.open.clone(), move |open| {
            if let Some(id) = open.clone() {
                spawn_local(intents::open_chat(dispatch, id));
            }
        });
    }
    let store_id = store
        .session()
        .map(|session| session.current_store_id.clone());
    use_inbox_listing(
        store.dispatcher(),
        store_id,
        store.inbox.scope,
        store.inbox.revision,
    );
    use_chat_reload(store.dispatcher(), store.chat.reload_wanted().cloned());
    use_chat_customer(store.dispatcher(), store.chat.customer_wanted());
    let chat_open = store.chat.requested.is_some();
    let backfilling = store
        .session()
        .is_some_and(|session| !session.history.complete);
    html! {
        <div class={classes!("panes", chat_open.then_some("panes--chat-open"))}>
                <section class={classes!("pane", "pane--inbox", backfilling.then_some("pane--backfilling"))}
                    aria-label="Inbox">
                    <InboxTabs />
                    <UnreadBanner />
                    <InboxList />
                    <HistoryProgress />
                </section>
                <section class="pane pane--chat" aria-label="Chat">
                    <ChatPanel />
                </section>
        </div>
    }
}
