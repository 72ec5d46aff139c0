//! Conversations: the inboxes (M11, M12), opening a chat at constant cost, writing and
//! retrying messages within the consent and window rules (M3, M5, M10). `storage` and
//! `messages` are their tables, `setup` the stores' cached templates and quick replies,
//! `outreach` templates, quick replies, opt-in requests and the consent audit, `start`
//! starting a conversation with a customer (C2, online).

pub(crate) mod messages;
pub(crate) mod outreach;
pub(crate) mod setup;
pub(crate) mod start;
pub(crate) mod storage;

use clienteling_domain::api::{Conversation, Message, SendMessageRequest};
use clienteling_domain::inbox::{self, InboxScope};
use clienteling_domain::message::validate_body;
use clienteling_domain::sending::{
    opted_out_message, SendContext, SendRefusal, WINDOW_CLOSED_MESSAGE,
};
use clienteling_domain::view::{AppEvent, ChatCustomer, ChatView, InboxPage, MessagePage};
use clienteling_domain::{
    ConversationId, Direction, MessageId, MessageKind, MessageStatus, ServiceWindow, Timestamp,
};

use crate::customers::storage as customers;
use crate::engine::session::StoredSession;
use crate::engine::{locked, Core};
use crate::error::CoreError;
use crate::history::on_demand::{self, Place};
use crate::outbox::storage as outbox;
use storage::{self as conversations, InboxQuery};

/// Rows an inbox page holds at most.
const INBOX_LIMIT: u32 = 200;

impl Core {
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
        let last_contact = crate::customers::contacts::latest(
            &mut *self.inner.read().await?,
            &customer.id,
            &conversation.store_id,
            &stored.staff,
        )
        .await?;
        Ok(ChatView {
            conversation,
            customer,
            messages: page.messages,
            has_older: page.has_older,
            last_contact,
        })
    }

    /// The customer of conversation `id` as the local copy has them now, with their latest
    /// contact by staff of the conversation's store: what an open chat reads again when
    /// the core reports a change of that customer (B7, C13).
    pub async fn show_chat_customer(&self, id: &ConversationId) -> Result<ChatCustomer, CoreError> {
        let stored = self.inner.require_session().await?;
        let mut conn = self.inner.read().await?;
        let conversation = conversations::get(&mut conn, id)
            .await?
            .ok_or_else(|| CoreError::UnknownConversation(id.to_string()))?;
        let customer = customers::get(&mut conn, &conversation.customer_id)
            .await?
            .ok_or_else(|| CoreError::UnknownCustomer(conversation.customer_id.to_string()))?;
        let last_contact = crate::customers::contacts::latest(
            &mut conn,
            &customer.id,
            &conversation.store_id,
            &stored.staff,
        )
        .await?;
        Ok(ChatCustomer {
            conversation_id: id.clone(),
            customer,
            last_contact,
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
