//! The engine the shell calls: [`Core`] opens the local database, signs in, answers the
//! UI's queries from the local copy, records user actions with their outbox rows, and runs
//! the session's background workers (sync and outbox).

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use clienteling_domain::api::{
    Change, Conversation, DemoUser, LoginRequest, Message, SendMessageRequest, Session,
};
use clienteling_domain::inbox::{self, InboxScope};
use clienteling_domain::message::validate_body;
use clienteling_domain::notification::InboundMessage;
use clienteling_domain::sending::{
    opted_out_message, SendContext, SendRefusal, WINDOW_CLOSED_MESSAGE,
};
use clienteling_domain::view::{
    AppEvent, ChatView, Connection, InboxPage, MessagePage, SessionView,
};
use clienteling_domain::{
    Clock, ConversationId, Direction, MessageId, MessageKind, MessageStatus, ServiceWindow,
    StoreId, Timestamp,
};
use sqlx::pool::PoolConnection;
use sqlx::Sqlite;
use tokio::sync::{broadcast, Notify};
use tokio::task::JoinHandle;

use crate::backend::{Backend, RequestError};
use crate::backoff::RetryPolicy;
use crate::database::Database;
use crate::error::CoreError;
use crate::history::on_demand::{self, Place};
use crate::stop::StopSignal;
use crate::storage::changes::{self, ApplyMode};
use crate::storage::conversations::{self, InboxQuery};
use crate::storage::session::{self, StoredSession};
use crate::storage::{customers, messages, outbox, setup};
use crate::subscription::Subscription;

/// Events buffered for slow subscribers before they lag.
const EVENT_CAPACITY: usize = 1_024;
/// Rows an inbox page holds at most.
const INBOX_LIMIT: u32 = 200;

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
    backend_url: String,
    events: broadcast::Sender<AppEvent>,
    /// The receiver made with the channel, for the first subscriber: it hears what the
    /// workers resumed in [`Core::open`] emitted before anyone could subscribe (B2).
    first_receiver: Mutex<Option<broadcast::Receiver<AppEvent>>>,
    connection: Mutex<Connection>,
    open_conversation: Mutex<Option<ConversationId>>,
    /// Wakes the outbox worker: new rows, or the backend is reachable again.
    pub(crate) outbox_wake: Notify,
    workers: tokio::sync::Mutex<Option<Workers>>,
}

/// The running background workers of a signed-in session.
struct Workers {
    stop: StopSignal,
    tasks: Vec<JoinHandle<()>>,
}

impl Workers {
    fn start(inner: &Arc<Inner>) -> Self {
        let stop = StopSignal::new();
        let tasks = vec![
            tokio::spawn(crate::sync::run(Arc::clone(inner), stop.clone())),
            tokio::spawn(crate::outbox::run(Arc::clone(inner), stop.clone())),
            tokio::spawn(crate::history::backfill::run(
                Arc::clone(inner),
                stop.clone(),
            )),
        ];
        Self { stop, tasks }
    }

    async fn stop(self) {
        self.stop.trigger();
        for task in self.tasks {
            if let Err(error) = task.await {
                tracing::warn!(%error, "a session worker ended abnormally");
            }
        }
    }
}

fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
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
    async fn discard_session(&self) -> Result<(), CoreError> {
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

    fn session_view(&self, stored: StoredSession) -> SessionView {
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

    /// The demo accounts the sign-in screen lists; none from a backend that is not in demo
    /// mode (it answers 404 there).
    pub async fn list_demo_users(&self) -> Result<Vec<DemoUser>, CoreError> {
        match self.inner.backend.demo_users().await {
            Ok(users) => Ok(users),
            Err(RequestError::Refused { status: 404, .. }) => Ok(Vec::new()),
            Err(error) => Err(error.into()),
        }
    }

    /// The signed-in session, if any.
    pub async fn session(&self) -> Result<Option<SessionView>, CoreError> {
        Ok(self
            .inner
            .stored_session()
            .await?
            .map(|stored| self.inner.session_view(stored)))
    }

    /// Signs in. The same staff member as the stored session (whose token the backend
    /// refused, say) takes it up again: the local copy stays, the workers catch up from
    /// the cursor and send what the outbox holds (B1). Anyone else starts afresh: the
    /// previous local copy and its unsent work are deleted, never sent under the new
    /// token, and the backend's first-screen snapshot of the staff member's stores (with
    /// their templates and quick replies) fills a new one, whatever the size of their
    /// history: the workers follow the feed from the snapshot's cursor and backfill the
    /// older history in the background. On failure nothing of the new session is kept.
    pub async fn sign_in(&self, login: &str, password: &str) -> Result<SessionView, CoreError> {
        let request = LoginRequest {
            login: login.trim().to_owned(),
            password: password.to_owned(),
        };
        let session = self.inner.backend.sign_in(&request).await?;
        let store_id = first_store(&session)?;
        let mut workers = self.inner.workers.lock().await;
        if let Some(running) = workers.take() {
            running.stop().await;
        }
        let resumed = self
            .inner
            .stored_session()
            .await?
            .is_some_and(|stored| stored.staff.id == session.staff.id);
        if resumed {
            let mut tx = self.inner.db.write().await?;
            session::resume(&mut tx, &session, &store_id).await?;
            tx.commit().await?;
        } else {
            *locked(&self.inner.open_conversation) = None;
            let snapshot = crate::history::snapshot::fetch(&self.inner.backend, &session.token)
                .await
                .map_err(CoreError::from)?;
            crate::history::snapshot::store(
                &self.inner.db,
                &session,
                &store_id,
                snapshot,
                self.inner.clock.now(),
            )
            .await?;
            // The backend has just answered; the live stream reports any break.
            self.inner.set_connection(Connection::Online);
        }
        let store_ids: Vec<StoreId> = session.stores.iter().map(|s| s.id.clone()).collect();
        self.inner
            .refresh_setup_or_keep(&session.token, &store_ids)
            .await;
        *workers = Some(Workers::start(&self.inner));
        drop(workers);
        let stored = self.inner.require_session().await?;
        Ok(self.inner.session_view(stored))
    }

    /// Ends the session after the backend refused its token to a command: the workers
    /// stop, the local copy and the outbox stay (B1).
    pub(crate) async fn end_refused_session(&self) -> Result<(), CoreError> {
        if let Some(running) = self.inner.workers.lock().await.take() {
            running.stop().await;
        }
        self.inner.end_refused_session().await
    }

    /// Messages written on this device that the backend has not accepted yet (B1).
    pub async fn count_unsent_messages(&self) -> Result<u32, CoreError> {
        outbox::unsent_messages(&mut *self.inner.read().await?).await
    }

    /// Signs out: stops the workers, revokes the token at the backend when it can be
    /// reached, and deletes the local copy. Unsent messages are deleted only with
    /// `discard_unsent`; without it, signing out is refused while any wait (B1).
    pub async fn sign_out(&self, discard_unsent: bool) -> Result<(), CoreError> {
        let unsent = self.count_unsent_messages().await?;
        if unsent > 0 && !discard_unsent {
            return Err(CoreError::UnsentMessages(unsent));
        }
        let mut workers = self.inner.workers.lock().await;
        if let Some(running) = workers.take() {
            running.stop().await;
        }
        if let Some(stored) = self.inner.stored_session().await? {
            if !stored.ended {
                if let Err(error) = self.inner.backend.sign_out(&stored.token).await {
                    tracing::warn!(%error, "the backend did not revoke the token; signing out here anyway");
                }
            }
        }
        self.inner.discard_session().await
    }

    /// Shows another of the staff member's stores, refreshing its templates and quick
    /// replies when the backend can be reached.
    pub async fn switch_store(&self, store_id: &StoreId) -> Result<SessionView, CoreError> {
        let stored = self.inner.require_session().await?;
        if stored.store(store_id).is_none() {
            return Err(CoreError::UnknownStore(store_id.to_string()));
        }
        let mut tx = self.inner.db.write().await?;
        session::set_current_store(&mut tx, store_id).await?;
        tx.commit().await?;
        self.inner
            .refresh_setup_or_keep(&stored.token, std::slice::from_ref(store_id))
            .await;
        let stored = self.inner.require_session().await?;
        Ok(self.inner.session_view(stored))
    }

    /// One inbox of the current store: conversations active in the last 120 days, newest
    /// activity first, and the store's unread total (M11, M12).
    pub async fn list_inbox(&self, scope: InboxScope) -> Result<InboxPage, CoreError> {
        let stored = self.inner.require_session().await?;
        let active_since = inbox::active_since(self.inner.clock.now());
        let mine = match scope {
            InboxScope::Mine => Some(&stored.staff.id),
            InboxScope::Store => None,
        };
        let query = InboxQuery {
            store_id: &stored.current_store_id,
            mine,
            active_since,
            limit: INBOX_LIMIT,
        };
        let mut conn = self.inner.read().await?;
        let items = conversations::inbox(&mut conn, &query).await?;
        let total_unread =
            conversations::total_unread(&mut conn, &stored.current_store_id, active_since).await?;
        Ok(InboxPage {
            scope,
            items,
            total_unread,
        })
    }

    /// Opens a conversation: its customer and its latest page of messages (oldest first),
    /// whatever the length of its history (fetched first while the backfill is not
    /// complete). It becomes the open
    /// one (no notifications for it) and is marked read, here at once and at the backend
    /// through the outbox (M12).
    pub async fn open_conversation(&self, id: &ConversationId) -> Result<ChatView, CoreError> {
        let stored = self.inner.require_session().await?;
        let mut conn = self.inner.read().await?;
        let mut conversation = conversations::get(&mut conn, id)
            .await?
            .ok_or_else(|| CoreError::UnknownConversation(id.to_string()))?;
        let customer = customers::get(&mut conn, &conversation.customer_id)
            .await?
            .ok_or_else(|| CoreError::UnknownCustomer(conversation.customer_id.to_string()))?;
        drop(conn);
        *locked(&self.inner.open_conversation) = Some(id.clone());
        if conversation.unread_count > 0 {
            let mut tx = self.inner.db.write().await?;
            conversations::mark_read(&mut tx, id).await?;
            outbox::enqueue_mark_read(&mut tx, id, self.inner.clock.now()).await?;
            tx.commit().await?;
            conversation.unread_count = 0;
            self.inner.outbox_wake.notify_one();
            self.inner.emit(AppEvent::ConversationChanged {
                conversation: conversation.clone(),
            });
        }
        let page = on_demand::page(&self.inner, &stored, id, Place::Latest).await?;
        Ok(ChatView {
            conversation,
            customer,
            messages: page.messages,
            has_older: page.has_older,
        })
    }

    /// The page of a conversation's messages just before `before` (the oldest one the chat
    /// shows), oldest first, and whether even older ones exist; fetched first while the
    /// backfill is not complete.
    pub async fn list_older_messages(
        &self,
        conversation_id: &ConversationId,
        before: &MessageId,
    ) -> Result<MessagePage, CoreError> {
        let stored = self.inner.require_session().await?;
        on_demand::page(&self.inner, &stored, conversation_id, Place::Before(before)).await
    }

    /// Leaves the open conversation (notifications resume for it).
    pub async fn close_conversation(&self) {
        *locked(&self.inner.open_conversation) = None;
    }

    /// The conversation open on this device, if any.
    pub fn open_conversation_id(&self) -> Option<ConversationId> {
        self.inner.open_conversation_id()
    }

    /// Writes a text message: refused here with the backend's codes when the customer
    /// opted out (M3) or the WhatsApp window is closed (M5); otherwise stored as queued with
    /// its outbox row in one transaction and returned at once, online or not (B1).
    pub async fn send_message(
        &self,
        conversation_id: &ConversationId,
        body: &str,
    ) -> Result<Message, CoreError> {
        let stored = self.inner.require_session().await?;
        let now = self.inner.clock.now();
        let mut tx = self.inner.db.write().await?;
        let conversation = conversations::get(&mut tx, conversation_id)
            .await?
            .ok_or_else(|| CoreError::UnknownConversation(conversation_id.to_string()))?;
        let body = validate_body(body, conversation.channel)?;
        check_sendable(&mut tx, &stored, &conversation, MessageKind::Text, now).await?;
        let message = Message {
            id: MessageId(uuid::Uuid::new_v4().to_string()),
            conversation_id: conversation_id.clone(),
            direction: Direction::Outbound,
            kind: MessageKind::Text,
            body,
            status: MessageStatus::Queued,
            failure_reason: None,
            author_staff_id: Some(stored.staff.id.clone()),
            created_at: now,
            updated_at: now,
        };
        messages::save(&mut tx, &message).await?;
        let conversation = conversations::record_outbound(
            &mut tx,
            &conversation,
            now,
            &message.body,
            &stored.staff.id,
        )
        .await?;
        outbox::enqueue_send(&mut tx, conversation_id, &send_request(&message, None), now).await?;
        tx.commit().await?;
        self.inner.emit(AppEvent::MessageChanged {
            message: message.clone(),
        });
        self.inner
            .emit(AppEvent::ConversationChanged { conversation });
        self.inner.outbox_wake.notify_one();
        Ok(message)
    }

    /// Sends a failed outbound message again with the same id (M10).
    pub async fn retry_message(&self, message_id: &MessageId) -> Result<Message, CoreError> {
        let stored = self.inner.require_session().await?;
        let now = self.inner.clock.now();
        let mut tx = self.inner.db.write().await?;
        let message = messages::get(&mut tx, message_id)
            .await?
            .ok_or_else(|| CoreError::UnknownMessage(message_id.to_string()))?;
        if message.direction != Direction::Outbound
            || message.status != MessageStatus::Failed
            || outbox::has_pending_send(&mut tx, message_id).await?
        {
            return Err(CoreError::NotRetryable);
        }
        let conversation = conversations::get(&mut tx, &message.conversation_id)
            .await?
            .ok_or_else(|| CoreError::UnknownConversation(message.conversation_id.to_string()))?;
        check_sendable(&mut tx, &stored, &conversation, message.kind, now).await?;
        messages::requeue(&mut tx, message_id, now).await?;
        let template_id = setup::template_of(&mut tx, message_id).await?;
        outbox::enqueue_send(
            &mut tx,
            &message.conversation_id,
            &send_request(&message, template_id),
            now,
        )
        .await?;
        let requeued = messages::get(&mut tx, message_id)
            .await?
            .ok_or_else(|| CoreError::UnknownMessage(message_id.to_string()))?;
        tx.commit().await?;
        self.inner.emit(AppEvent::MessageChanged {
            message: requeued.clone(),
        });
        self.inner.outbox_wake.notify_one();
        Ok(requeued)
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

/// The store shown after sign-in: the first of the staff member's stores.
fn first_store(session: &Session) -> Result<StoreId, CoreError> {
    session
        .stores
        .first()
        .map(|store| store.id.clone())
        .ok_or_else(|| CoreError::UnexpectedAnswer(format!("{} has no store", session.staff.login)))
}

/// The request that sends `message` (its id is the idempotency key), naming the template
/// it was filled from if any.
pub(crate) fn send_request(message: &Message, template_id: Option<String>) -> SendMessageRequest {
    SendMessageRequest {
        id: message.id.clone(),
        body: message.body.clone(),
        kind: message.kind,
        created_at: Some(message.created_at),
        template_id,
    }
}

/// The backend's send rule (`domain::sending`), checked here so the associate hears at
/// once: nothing to a customer who opted out (M3), only templates on WhatsApp outside the
/// 24-hour window (M5).
pub(crate) async fn check_sendable(
    conn: &mut sqlx::SqliteConnection,
    stored: &StoredSession,
    conversation: &Conversation,
    kind: MessageKind,
    now: Timestamp,
) -> Result<(), CoreError> {
    let context = SendContext {
        consent: conversation.consent,
        channel: conversation.channel,
        window: ServiceWindow {
            opened_at: conversation.window_opened_at,
        },
    };
    match context.check(kind, now) {
        Ok(()) => Ok(()),
        Err(SendRefusal::WindowClosed) => {
            Err(CoreError::WindowClosed(WINDOW_CLOSED_MESSAGE.to_owned()))
        }
        Err(SendRefusal::OptedOut) => {
            let first_name = customers::get(conn, &conversation.customer_id)
                .await?
                .map(|customer| customer.first_name)
                .unwrap_or_else(|| "The customer".to_owned());
            let store_name = stored
                .store(&conversation.store_id)
                .map(|store| store.name.clone())
                .unwrap_or_else(|| "this store".to_owned());
            Err(CoreError::OptedOut(opted_out_message(
                &first_name,
                &store_name,
            )))
        }
    }
}
