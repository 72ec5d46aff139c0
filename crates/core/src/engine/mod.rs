//! The engine every capability shares: [`Core`] opens the local database and the backend
//! client, keeps the session (`session`: its table; `sign_in`: signing in and out,
//! switching store), emits the events, and runs the session's background workers (sync,
//! outbox, backfill, due tasks). The capabilities (`conversations`, `customers`…) add their
//! operations to [`Core`] in their own folders.

pub(crate) mod session;
mod sign_in;

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use clienteling_domain::api::Change;
use clienteling_domain::notification::InboundMessage;
use clienteling_domain::view::{AppEvent, Connection, SessionView};
use clienteling_domain::{Clock, ConversationId};
use sqlx::pool::PoolConnection;
use sqlx::Sqlite;
use tokio::sync::{broadcast, Notify};
use tokio::task::JoinHandle;

use crate::backend::Backend;
use crate::backoff::RetryPolicy;
use crate::database::Database;
use crate::engine::session::StoredSession;
use crate::error::CoreError;
use crate::outbox::storage as outbox;
use crate::stop::StopSignal;
use crate::subscription::Subscription;
use crate::sync::apply::{self as changes, ApplyMode};

/// Events buffered for slow subscribers before they lag.
const EVENT_CAPACITY: usize = 1_024;
/// Where the engine keeps its data, which backend it talks to, and its clock.
pub struct CoreConfig {
    /// Folder of the local database (`clienteling.db`).
    pub data_dir: PathBuf,
    /// The backend's base URL, e.g. `http://127.0.0.1:8787`.
    pub backend_url: String,
    /// Source of "now" for every rule and timestamp.
    pub clock: Arc<dyn Clock>,
    /// How the outbox retries an action the backend failed to handle.
    pub retry: RetryPolicy,
}

/// The app's engine; clones share one instance. While signed in it runs background
/// workers that keep it alive: [`Core::shutdown`] stops them.
#[derive(Clone)]
pub struct Core {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("backend_url", &self.inner.backend_url)
            .finish_non_exhaustive()
    }
}

/// State shared by the engine's handles and its workers.
pub(crate) struct Inner {
    pub(crate) db: Database,
    pub(crate) backend: Backend,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) retry: RetryPolicy,
    pub(crate) backend_url: String,
    pub(crate) events: broadcast::Sender<AppEvent>,
    /// The receiver made with the channel, for the first subscriber: it hears what the
    /// workers resumed in [`Core::open`] emitted before anyone could subscribe (B2).
    pub(crate) first_receiver: Mutex<Option<broadcast::Receiver<AppEvent>>>,
    pub(crate) connection: Mutex<Connection>,
    pub(crate) open_conversation: Mutex<Option<ConversationId>>,
    /// Wakes the outbox worker: new rows, or the backend is reachable again.
    pub(crate) outbox_wake: Notify,
    pub(crate) workers: tokio::sync::Mutex<Option<Workers>>,
}

/// The running background workers of a signed-in session.
pub(crate) struct Workers {
    stop: StopSignal,
    tasks: Vec<JoinHandle<()>>,
}

impl Workers {
    pub(crate) fn start(inner: &Arc<Inner>) -> Self {
        let stop = StopSignal::new();
        let tasks = vec![
            tokio::spawn(crate::sync::run(Arc::clone(inner), stop.clone())),
            tokio::spawn(crate::outbox::run(Arc::clone(inner), stop.clone())),
            tokio::spawn(crate::history::backfill::run(
                Arc::clone(inner),
                stop.clone(),
            )),
            tokio::spawn(crate::tasks::due::run(Arc::clone(inner), stop.clone())),
        ];
        Self { stop, tasks }
    }

    pub(crate) async fn stop(self) {
        self.stop.trigger();
        for task in self.tasks {
            if let Err(error) = task.await {
                tracing::warn!(%error, "a session worker ended abnormally");
            }
        }
    }
}

/// Locks `mutex`, going on with its data if a panic poisoned it.
pub(crate) fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Inner {
    /// Sends an event to every subscriber (none listening is fine).
    pub(crate) fn emit(&self, event: AppEvent) {
        if self.events.send(event).is_err() {
            tracing::trace!("no subscriber for a core event");
        }
    }

    /// Records the connection state, emitting an event when it changed.
    pub(crate) fn set_connection(&self, connection: Connection) {
        let changed = {
            let mut current = locked(&self.connection);
            std::mem::replace(&mut *current, connection) != connection
        };
        if changed {
            self.emit(AppEvent::ConnectionChanged { connection });
        }
    }

    pub(crate) fn open_conversation_id(&self) -> Option<ConversationId> {
        locked(&self.open_conversation).clone()
    }

    /// A connection for reads.
    pub(crate) async fn read(&self) -> Result<PoolConnection<Sqlite>, CoreError> {
        Ok(self.db.pool().acquire().await?)
    }

    /// The stored session, if someone is signed in.
    pub(crate) async fn stored_session(&self) -> Result<Option<StoredSession>, CoreError> {
        session::load(&mut *self.read().await?).await
    }

    pub(crate) async fn require_session(&self) -> Result<StoredSession, CoreError> {
        self.stored_session().await?.ok_or(CoreError::SignedOut)
    }

    /// Applies a batch of backend changes after the first sync and moves the cursor to
    /// `next_cursor`, in one transaction; then emits their events and wakes the outbox for
    /// queued read markers. With `inbound`, the customers' messages are added to it instead
    /// of announced, for a catch-up of many pages to announce them once.
    pub(crate) async fn apply_changes(
        &self,
        batch: &[Change],
        next_cursor: i64,
        mut inbound: Option<&mut Vec<InboundMessage>>,
    ) -> Result<(), CoreError> {
        let open = self.open_conversation_id();
        let mut tx = self.db.write().await?;
        let applied = changes::apply(
            &mut tx,
            batch,
            ApplyMode::Follow,
            open.as_ref(),
            self.clock.now(),
        )
        .await?;
        session::advance_cursor(&mut tx, next_cursor).await?;
        tx.commit().await?;
        for event in applied.events {
            match (event, inbound.as_deref_mut()) {
                (AppEvent::InboundMessages { messages }, Some(collected)) => {
                    collected.extend(messages);
                }
                (event, _) => self.emit(event),
            }
        }
        if applied.queued_read_markers {
            self.outbox_wake.notify_one();
        }
        Ok(())
    }

    /// [`Inner::end_refused_session`] for a caller that can only log its failure.
    pub(crate) async fn end_refused_session_or_log(&self) {
        if let Err(error) = self.end_refused_session().await {
            tracing::error!(%error, "could not record the end of the refused session");
        }
    }

    /// Ends the session after the backend refused its token: the local copy and the
    /// outbox stay for the same staff member's next sign-in, and the UI hears how many
    /// messages wait (B1).
    pub(crate) async fn end_refused_session(&self) -> Result<(), CoreError> {
        let mut tx = self.db.write().await?;
        let ended = session::mark_ended(&mut tx).await?;
        let unsent_messages = outbox::unsent_messages(&mut tx).await?;
        tx.commit().await?;
        *locked(&self.open_conversation) = None;
        self.set_connection(Connection::Offline);
        if ended {
            self.emit(AppEvent::SessionEnded { unsent_messages });
        }
        Ok(())
    }

    /// Deletes the session and the whole local copy, unsent work included, and tells the
    /// UI.
    pub(crate) async fn discard_session(&self) -> Result<(), CoreError> {
        let mut tx = self.db.write().await?;
        let had_session = session::clear_all(&mut tx).await?;
        tx.commit().await?;
        *locked(&self.open_conversation) = None;
        self.set_connection(Connection::Offline);
        if had_session {
            self.emit(AppEvent::SignedOut);
        }
        Ok(())
    }

    pub(crate) fn session_view(&self, stored: StoredSession) -> SessionView {
        SessionView {
            staff: stored.staff,
            stores: stored.stores,
            current_store_id: stored.current_store_id,
            backend_url: self.backend_url.clone(),
            ended: stored.ended,
            history: stored.history,
        }
    }
}

impl Core {
    /// Opens (creating or migrating) the local database in `config.data_dir`; when a
    /// live session is stored, its workers resume: catch up from the cursor, follow the
    /// live stream, and send what the outbox still holds. An ended session waits for the
    /// staff member to sign in again.
    pub async fn open(config: CoreConfig) -> Result<Core, CoreError> {
        let db = Database::open(&config.data_dir).await?;
        let backend = Backend::new(&config.backend_url)?;
        let (events, first_receiver) = broadcast::channel(EVENT_CAPACITY);
        let inner = Arc::new(Inner {
            db,
            backend,
            clock: config.clock,
            retry: config.retry,
            backend_url: config.backend_url.trim_end_matches('/').to_owned(),
            events,
            first_receiver: Mutex::new(Some(first_receiver)),
            connection: Mutex::new(Connection::Offline),
            open_conversation: Mutex::new(None),
            outbox_wake: Notify::new(),
            workers: tokio::sync::Mutex::new(None),
        });
        if inner
            .stored_session()
            .await?
            .is_some_and(|stored| !stored.ended)
        {
            *inner.workers.lock().await = Some(Workers::start(&inner));
        }
        Ok(Core { inner })
    }

    /// Events from now on (messages, conversations, connection, sign-out, failures), with
    /// a lag reported as [`AppEvent::EventsLost`]; the first subscriber also gets those
    /// emitted since [`Core::open`] (a catch-up may have begun before it subscribed).
    pub fn subscribe(&self) -> Subscription {
        let first = locked(&self.inner.first_receiver).take();
        Subscription::new(first.unwrap_or_else(|| self.inner.events.subscribe()))
    }

    /// Whether the live stream is connected.
    pub fn connection(&self) -> Connection {
        *locked(&self.inner.connection)
    }

    /// Stops the workers and closes the database (the session stays stored).
    pub async fn shutdown(&self) {
        if let Some(running) = self.inner.workers.lock().await.take() {
            running.stop().await;
        }
        self.inner.db.close().await;
    }
}
