//! Clienteling core: the app's engine without Tauri. It keeps a local SQLite copy of what
//! the signed-in staff member may see, syncs it with the backend (change feed by cursor,
//! live stream), sends user actions through a durable outbox, and emits [`AppEvent`]s.
//!
//! Map, by capability: `engine` holds the public [`Core`] the shell calls, the session
//! (sign-in, sign-out, store switch) and the events every capability shares;
//! `conversations` the inboxes, chats, sending, templates, quick replies, opt-in and the
//! consent audit, with their tables; `customers` the customers' table; `notes` the notes
//! on customers (C9), written offline through the outbox; `orders` their orders, wishlists
//! and recommendations; `catalog` the products searched offline as you type (M7, M9);
//! `history` starts a
//! sign-in from the backend's snapshot, backfills older history and fetches a chat's page
//! on demand meanwhile. The generic workers: `sync` follows the change feed and applies
//! each change to its capability's tables (`sync::apply`, the live stream parsed by
//! `sync::sse`), `outbox` sends the queued actions. Shared infrastructure: `database`
//! opens the SQLite file (schema in `migrations/`), `columns` encodes its values,
//! `backend` is the HTTP client of the API, `backoff` paces retries, `stop` ends workers,
//! `subscription` hands the events to a subscriber, a lag included. `local_copy` is a
//! public facade over the storage functions for benchmarks and tools.
//!
//! [`AppEvent`]: clienteling_domain::view::AppEvent

mod attributes;
mod backend;
mod backoff;
mod catalog;
mod clock;
mod columns;
mod conversations;
mod customers;
mod database;
mod engine;
mod error;
mod history;
pub mod local_copy;
mod notes;
mod orders;
mod outbox;
mod stop;
mod subscription;
mod sync;
mod tasks;

pub use backoff::RetryPolicy;
pub use clock::{ManualClock, SystemClock};
pub use engine::{Core, CoreConfig};
pub use error::CoreError;
pub use subscription::Subscription;
