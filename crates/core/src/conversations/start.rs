//! Starting a conversation with a customer (C2, "Message" on the profile), online.
//!
//! Why online and not through the outbox: the backend keeps one conversation per customer
//! × store × channel, shared by every device of the store, and names it. A conversation
//! made offline would need an id of this device's own, and two devices (or a customer
//! writing meanwhile) would make two of the same conversation that the backend must then
//! merge, messages and all. Starting one is a single quick request; offline it answers
//! "you are offline: the conversation was not started; try again" and stores nothing.
//! The backend's answer is stored in the local copy at once (the feed brings the same
//! conversation again later, and to the store's other devices), so the chat opens from
//! it as any other; its consent decides what may be written (the opt-in request while it
//! is unknown, M2).

use clienteling_domain::api::{Conversation, StartConversationRequest};
use clienteling_domain::channel::reachable_channels;
use clienteling_domain::view::AppEvent;
use clienteling_domain::{ApiError, Channel, CustomerId, ErrorCode, Permission};

use super::storage as conversations;
use crate::backend::RequestError;
use crate::customers::storage as customers;
use crate::engine::Core;
use crate::error::CoreError;

impl Core {
    /// The conversation with `customer_id` on `channel` in the current store: the one
    /// there is, or a new one the backend starts (C2). The store must have the channel
    /// and the customer the contact it writes to (checked here first by the domain's
    /// rule, then by the backend). Answered as stored in the local copy.
    pub async fn start_conversation(
        &self,
        customer_id: &CustomerId,
        channel: Channel,
    ) -> Result<Conversation, CoreError> {
        let stored = self.inner.require_session().await?;
        stored.require(Permission::AccessConversations)?;
        let store = stored
            .stores
            .iter()
            .find(|store| store.id == stored.current_store_id)
            .ok_or_else(|| CoreError::UnknownStore(stored.current_store_id.to_string()))?;
        let mut conn = self.inner.read().await?;
        let customer = customers::get(&mut conn, customer_id)
            .await?
            .ok_or_else(|| CoreError::UnknownCustomer(customer_id.to_string()))?;
        let existing = conversations::of_customer(&mut conn, customer_id)
            .await?
            .into_iter()
            .find(|c| c.store_id == store.id && c.channel == channel);
        drop(conn);
        if let Some(existing) = existing {
            return Ok(existing);
        }
        let reachable = reachable_channels(
            &store.channels,
            customer.phone.is_some(),
            customer.email.is_some(),
        );
        if !reachable.contains(&channel) {
            return Err(CoreError::Refused(ApiError::new(
                ErrorCode::Unprocessable,
                format!(
                    "{} cannot be written to on {} from {}",
                    customer.full_name(),
                    channel.label(),
                    store.name
                ),
            )));
        }
        let request = StartConversationRequest {
            store_id: store.id.clone(),
            channel,
        };
        let conversation: Conversation = self
            .inner
            .backend
            .send_json(
                reqwest::Method::POST,
                &stored.token,
                &format!("/customers/{customer_id}/conversations"),
                Some(&request),
            )
            .await
            .map_err(|error| match error {
                RequestError::Transport(_) => CoreError::NotStartedOffline,
                other => CoreError::from(other),
            })?;
        let mut tx = self.inner.db.write().await?;
        conversations::upsert_from_backend(&mut tx, &[&conversation], None).await?;
        let stored_now = conversations::get(&mut tx, &conversation.id)
            .await?
            .unwrap_or(conversation);
        tx.commit().await?;
        self.inner.emit(AppEvent::ConversationChanged {
            conversation: stored_now.clone(),
        });
        Ok(stored_now)
    }
}
