//! Reaching customers beyond free text: the template and quick-reply pickers filled for a
//! conversation (M5, M6), sending templates (M5), opt-in requests (M2), the consent audit
//! trail (B4), and keeping each store's templates and quick replies cached for offline use.

use clienteling_domain::api::{Conversation, Message};
use clienteling_domain::consent_audit::ConsentEvent;
use clienteling_domain::message::validate_body;
use clienteling_domain::opt_in::{check_channel, sms_body, OptInRequest};
use clienteling_domain::picker::{
    prepare, quick_reply_choices, template_choices, QuickReplyChoice, TemplateChoice,
};
use clienteling_domain::template::{FillContext, TemplatePurpose};
use clienteling_domain::view::AppEvent;
use clienteling_domain::{
    Channel, ConversationId, Direction, MessageId, MessageKind, MessageStatus, StoreId,
};
use sqlx::SqliteConnection;

use crate::conversations::storage as conversations;
use crate::conversations::{check_sendable, send_request};
use crate::conversations::{messages, setup};
use crate::customers::storage as customers;
use crate::engine::session::StoredSession;
use crate::engine::{Core, Inner};
use crate::error::CoreError;
use crate::outbox::storage as outbox;

impl Inner {
    /// Fetches the templates and quick replies of `store_ids` and replaces the cached ones,
    /// store by store.
    pub(crate) async fn refresh_setup(
        &self,
        token: &str,
        store_ids: &[StoreId],
    ) -> Result<(), CoreError> {
        for store_id in store_ids {
            let templates = self.backend.templates(token, store_id).await?;
            let quick_replies = self.backend.quick_replies(token, store_id).await?;
            let mut tx = self.db.write().await?;
            setup::replace(&mut tx, store_id, &templates, &quick_replies).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// [`Inner::refresh_setup`], keeping the cached setup when the backend cannot answer.
    pub(crate) async fn refresh_setup_or_keep(&self, token: &str, store_ids: &[StoreId]) {
        if let Err(error) = self.refresh_setup(token, store_ids).await {
            tracing::warn!(%error, "templates and quick replies not refreshed; the cached ones stay");
        }
    }
}

/// A conversation of the local copy and what its templates are filled from: its
/// customer, the signed-in associate and its store.
async fn conversation_context(
    conn: &mut SqliteConnection,
    stored: &StoredSession,
    conversation_id: &ConversationId,
) -> Result<(Conversation, FillContext), CoreError> {
    let conversation = conversations::get(&mut *conn, conversation_id)
        .await?
        .ok_or_else(|| CoreError::UnknownConversation(conversation_id.to_string()))?;
    let customer = customers::get(conn, &conversation.customer_id)
        .await?
        .ok_or_else(|| CoreError::UnknownCustomer(conversation.customer_id.to_string()))?;
    let store_name = stored
        .store(&conversation.store_id)
        .map(|store| store.name.clone())
        .unwrap_or_default();
    let context = FillContext {
        first_name: customer.first_name,
        last_name: customer.last_name,
        associate_name: stored.staff.name.clone(),
        store_name,
    };
    Ok((conversation, context))
}

/// A new outbound message of the signed-in associate, queued.
fn outbound(
    stored: &StoredSession,
    conversation_id: &ConversationId,
    kind: MessageKind,
    body: String,
    now: clienteling_domain::Timestamp,
) -> Message {
    Message {
        id: MessageId(uuid::Uuid::new_v4().to_string()),
        conversation_id: conversation_id.clone(),
        direction: Direction::Outbound,
        kind,
        body,
        status: MessageStatus::Queued,
        failure_reason: None,
        author_staff_id: Some(stored.staff.id.clone()),
        created_at: now,
        updated_at: now,
    }
}

impl Core {
    /// The templates of the conversation's channel from the cached setup, each with its
    /// filled preview or the reason it cannot be sent; sendable first (M5). Works offline.
    pub async fn list_templates(
        &self,
        conversation_id: &ConversationId,
    ) -> Result<Vec<TemplateChoice>, CoreError> {
        let stored = self.inner.require_session().await?;
        let mut conn = self.inner.read().await?;
        let (conversation, context) =
            conversation_context(&mut conn, &stored, conversation_id).await?;
        let templates = setup::templates(&mut conn, &conversation.store_id).await?;
        Ok(template_choices(&templates, conversation.channel, &context))
    }

    /// The store's quick replies filled for the conversation's customer (M6). Works
    /// offline.
    pub async fn list_quick_replies(
        &self,
        conversation_id: &ConversationId,
    ) -> Result<Vec<QuickReplyChoice>, CoreError> {
        let stored = self.inner.require_session().await?;
        let mut conn = self.inner.read().await?;
        let (conversation, context) =
            conversation_context(&mut conn, &stored, conversation_id).await?;
        let quick_replies = setup::quick_replies(&mut conn, &conversation.store_id).await?;
        Ok(quick_reply_choices(&quick_replies, &context))
    }

    /// Sends a template (M5): allowed outside the WhatsApp window, never to an opted-out
    /// customer. Stored at once with the filled preview as its body and sent through the
    /// outbox (the backend fills it again itself), online or not.
    pub async fn send_template(
        &self,
        conversation_id: &ConversationId,
        template_id: &str,
    ) -> Result<Message, CoreError> {
        let stored = self.inner.require_session().await?;
        let now = self.inner.clock.now();
        let mut tx = self.inner.db.write().await?;
        let (conversation, context) =
            conversation_context(&mut tx, &stored, conversation_id).await?;
        let template = setup::templates(&mut tx, &conversation.store_id)
            .await?
            .into_iter()
            .find(|t| t.id == template_id)
            .ok_or_else(|| CoreError::UnknownTemplate(template_id.to_owned()))?;
        let body = prepare(&template, conversation.channel, &context)?;
        check_sendable(&mut tx, &stored, &conversation, MessageKind::Template, now).await?;
        let message = outbound(
            &stored,
            conversation_id,
            MessageKind::Template,
            validate_body(&body, conversation.channel)?,
            now,
        );
        messages::save(&mut tx, &message).await?;
        setup::remember_template(&mut tx, &message.id, &template.id).await?;
        let conversation = conversations::record_outbound(
            &mut tx,
            &conversation,
            now,
            &message.body,
            &stored.staff.id,
        )
        .await?;
        let request = send_request(&message, Some(template.id));
        outbox::enqueue_send(&mut tx, conversation_id, &request, now).await?;
        tx.commit().await?;
        self.announce(message.clone(), conversation);
        Ok(message)
    }

    /// Asks the customer to opt in (M2): by SMS `intro` followed by START/STOP
    /// instructions, on WhatsApp the store's opt-in template. Refused for a customer who
    /// opted out (they must text START themselves). Sent through the outbox, online or not.
    pub async fn request_opt_in(
        &self,
        conversation_id: &ConversationId,
        intro: Option<&str>,
    ) -> Result<Message, CoreError> {
        let stored = self.inner.require_session().await?;
        let now = self.inner.clock.now();
        let mut tx = self.inner.db.write().await?;
        let (conversation, context) =
            conversation_context(&mut tx, &stored, conversation_id).await?;
        check_channel(conversation.channel)?;
        let (kind, body, template_id) = if conversation.channel == Channel::Whatsapp {
            let template = setup::templates(&mut tx, &conversation.store_id)
                .await?
                .into_iter()
                .find(|t| {
                    t.purpose == TemplatePurpose::OptIn
                        && t.channel == Channel::Whatsapp
                        && t.is_sendable()
                })
                .ok_or(CoreError::NoOptInTemplate)?;
            let body = prepare(&template, conversation.channel, &context)?;
            (MessageKind::Template, body, Some(template.id))
        } else {
            let body = sms_body(intro, &context.store_name)?;
            (MessageKind::Text, body, None)
        };
        check_sendable(&mut tx, &stored, &conversation, kind, now).await?;
        let message = outbound(
            &stored,
            conversation_id,
            kind,
            validate_body(&body, conversation.channel)?,
            now,
        );
        messages::save(&mut tx, &message).await?;
        if let Some(template_id) = &template_id {
            setup::remember_template(&mut tx, &message.id, template_id).await?;
        }
        let conversation = conversations::record_outbound(
            &mut tx,
            &conversation,
            now,
            &message.body,
            &stored.staff.id,
        )
        .await?;
        let request = OptInRequest {
            id: message.id.clone(),
            intro: intro.map(|text| text.trim().to_owned()),
        };
        outbox::enqueue_opt_in(&mut tx, conversation_id, &request, now).await?;
        tx.commit().await?;
        self.announce(message.clone(), conversation);
        Ok(message)
    }

    /// The consent audit trail of the conversation's customer for its store, newest first
    /// (B4), asked of the backend; `offline` when it cannot be reached.
    pub async fn list_consent_events(
        &self,
        conversation_id: &ConversationId,
    ) -> Result<Vec<ConsentEvent>, CoreError> {
        let stored = self.inner.require_session().await?;
        match self
            .inner
            .backend
            .consent_events(&stored.token, conversation_id)
            .await
        {
            Ok(events) => Ok(events),
            Err(error) if error.is_unauthorized() => {
                self.end_refused_session().await?;
                Err(error.into())
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Tells the UI about a newly queued message and wakes the outbox.
    fn announce(&self, message: Message, conversation: Conversation) {
        self.inner.emit(AppEvent::MessageChanged { message });
        self.inner
            .emit(AppEvent::ConversationChanged { conversation });
        self.inner.outbox_wake.notify_one();
    }
}
