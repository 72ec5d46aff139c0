//! Clienteling core: the app's engine without Tauri. It keeps a local SQLite copy of what
//! the signed-in staff member may see, syncs it with the backend (change feed by cursor,
//! live stream), sends user actions through a durable outbox, and emits [`AppEvent`]s.
//!
//! Map: `engine` holds the public [`Core`] the shell calls; `database` opens the SQLite file
//! (schema in `migrations/`); `storage` reads and writes its tables and applies backend
//! changes; `backend` is the HTTP client of the API; `outreach` adds templates, quick
//! replies, opt-in requests and the consent audit to [`Core`]; `sync` and `outbox` are the
//! session's background workers, `sse` parses the live stream and `backoff` paces retries;
//! `history` starts a sign-in from the backend's snapshot, backfills older history and
//! fetches a chat's page on demand meanwhile; `subscription` hands the events to a subscriber, a lag included;
//! `local_copy` is a public facade over the storage functions for benchmarks and tools.
//!
//! [`AppEvent`]: clienteling_domain::view::AppEvent

mod backend;
mod backoff;
mod clock;
mod database;
mod engine;
mod error;
mod history;
pub mod local_copy;
mod outbox;
mod outreach;
mod sse;
mod stop;
mod storage;
mod subscription;
mod sync;

pub use backoff::RetryPolicy;
pub use clock::{ManualClock, SystemClock};
pub use engine::{Core, CoreConfig};
pub use error::CoreError;
pub use subscription::Subscription;
