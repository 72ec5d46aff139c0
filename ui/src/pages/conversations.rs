//! The conversations screen: header, the inbox (tabs, banner, list) and the chat side by
//! side on wide windows, one at a time on phones (the stylesheet switches at 800 px).

use yew::prelude::*;

use crate::components::app_header::AppHeader;
use crate::components::chat_panel::ChatPanel;
use crate::components::history_progress::HistoryProgress;
use crate::components::inbox_list::InboxList;
use crate::components::inbox_tabs::InboxTabs;
use crate::components::unread_banner::UnreadBanner;
use crate::hooks::{use_chat_reload, use_inbox_listing, use_store};

/// The signed-in screen.
#[component]
pub fn ConversationsPage() -> Html {
    let store = use_store();
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
    let chat_open = store.chat.requested.is_some();
    html! {
        <div class={classes!("workspace", chat_open.then_some("workspace--chat-open"))}>
            <AppHeader />
            <div class="panes">
                <section class="pane pane--inbox" aria-label="Inbox">
                    <InboxTabs />
                    <HistoryProgress />
                    <UnreadBanner />
                    <InboxList />
                </section>
                <section class="pane pane--chat" aria-label="Chat">
                    <ChatPanel />
                </section>
            </div>
        </div>
    }
}
