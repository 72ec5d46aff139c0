//! Hooks shared by the screens: the app store, a ticking clock, the shell's events, the
//! inbox listing, the chat's reload after lost events and its customer read again after a
//! change of them, the tasks' counts and the report of a painted screen.

mod chat;
mod events;
mod inbox;
mod now;
mod painted;
mod store;
mod tasks;

pub use chat::{use_chat_customer, use_chat_reload};
pub use events::use_app_events;
pub use inbox::use_inbox_listing;
pub use now::use_now;
pub use painted::use_painted_report;
pub use store::{use_store, AppStore};
pub use tasks::use_task_counts;
