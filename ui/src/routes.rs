//! The app's routes (hash-based, as the shell serves one page): a URL for every screen,
//! so links go both ways (chat → profile → conversation) and back works.

use yew_router::prelude::*;

/// Every screen of a signed-in session.
#[derive(Debug, Clone, PartialEq, Eq, Routable)]
pub enum Route {
    /// The inboxes and the chat.
    #[at("/")]
    Chat,
    /// One conversation open in the chat.
    #[at("/chat/:id")]
    Conversation {
        /// The conversation's id.
        id: String,
    },
    /// The clientbook.
    #[at("/customers")]
    Customers,
    /// A customer's profile.
    #[at("/customers/:id")]
    Customer {
        /// The customer's id.
        id: String,
    },
    /// The follow-up tasks (B3).
    #[at("/tasks")]
    Tasks,
    /// Anything else: shown as the inbox.
    #[not_found]
    #[at("/404")]
    NotFound,
}

/// Puts the address back to the inbox: the next person to sign in on this device starts
/// there, not on the screen (a customer's profile, say) the last one left open.
pub fn back_to_start() {
    if let Some(window) = web_sys::window() {
        if let Err(error) = window.location().set_hash(&Route::Chat.to_path()) {
            web_sys::console::warn_1(&error);
        }
    }
}
