//! `use_chat_reload`: reloads the open chat from the local copy when events about it were
//! lost (B2).

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
