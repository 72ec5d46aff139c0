//! `use_chat_reload`: reloads the open chat from the local copy when events about it were
//! lost (B2); `use_chat_customer`: reads the open chat's customer again when the core
//! reports a change of them, their last contact included (B7).

use clienteling_domain::ConversationId;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::state::intents::{self, Dispatcher};

/// Reloads `wanted` (the chat's [`reload_wanted`]) whenever it names a conversation anew.
///
/// [`reload_wanted`]: crate::state::chat::ChatState::reload_wanted
#[hook]
pub fn use_chat_reload(dispatch: Dispatcher, wanted: Option<ConversationId>) {
    use_effect_with(wanted, move |wanted| {
        if let Some(conversation_id) = wanted.clone() {
            spawn_local(intents::reload_chat(dispatch, conversation_id));
        }
    });
}

/// Reads the open chat's customer again whenever `wanted` (the chat's
/// [`customer_wanted`]) moves.
///
/// [`customer_wanted`]: crate::state::chat::ChatState::customer_wanted
#[hook]
pub fn use_chat_customer(dispatch: Dispatcher, wanted: Option<(ConversationId, u32)>) {
    use_effect_with(wanted, move |wanted| {
        if let Some((conversation_id, _)) = wanted.clone() {
            spawn_local(intents::read_chat_customer(dispatch, conversation_id));
        }
    });
}
