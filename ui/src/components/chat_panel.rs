//! The chat pane: the open conversation (header, messages, a warning when a colleague
//! messaged the customer today (B7), composer), its loading state,
//! or a quiet placeholder when none is open.

use yew::prelude::*;

use crate::components::chat_header::ChatHeader;
use crate::components::composer::Composer;
use crate::components::contact_notice::ContactNotice;
use crate::components::icon::{Icon, IconKind};
use crate::components::message_list::MessageList;
use crate::hooks::use_store;

/// Whatever the chat pane shows now.
#[component]
pub fn ChatPanel() -> Html {
    let store = use_store();
    if let Some(view) = store.chat.open_view() {
        let id = view.conversation.id.to_string();
        return html! {
            <div class="chat" data-test="chat" data-conversation-id={id.clone()}>
                <ChatHeader key={format!("header-{id}")} conversation={view.conversation.clone()} customer={view.customer.clone()} />
                <MessageList conversation_id={id.clone()} messages={view.messages.clone()}
                    history={store.chat.history.clone()} />
                <ContactNotice contact={view.last_contact.clone()}
                    first_name={view.customer.first_name.clone()} />
                <Composer key={id} conversation={view.conversation.clone()}
                    customer={view.customer.clone()} focus={store.chat.focus} />
            </div>
        };
    }
    if store.chat.is_loading() {
        return html! {
            <div class="chat chat--loading" aria-busy="true">
                <span class="spinner spinner--large" aria-label="Opening the conversation" />
            </div>
        };
    }
    html! {
        <div class="chat-placeholder">
            <span class="chat-placeholder__icon" aria-hidden="true"><Icon kind={IconKind::Chat} /></span>
            <p class="chat-placeholder__title">{ "Choose a conversation" }</p>
            <p class="muted">{ "Messages, delivery status and replies show here as they happen." }</p>
        </div>
    }
}
