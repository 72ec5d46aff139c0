//! Conversation commands: inboxes, starting a conversation with a customer, opening a chat, its customer as now and its older pages, sending and retrying messages.

use clienteling_domain::api::{Conversation, Message};
use clienteling_domain::inbox::InboxScope;
use clienteling_domain::view::{ChatCustomer, ChatView, InboxPage, MessagePage};
use clienteling_domain::{ApiError, Channel, ConversationId, CustomerId, MessageId};
use tauri::State;

use crate::AppState;

/// One inbox, newest activity first.
#[tauri::command]
pub async fn list_inbox(
    state: State<'_, AppState>,
    scope: InboxScope,
) -> Result<InboxPage, ApiError> {
    Ok(state.core().await?.list_inbox(scope).await?)
}

/// The conversation with a customer on a channel of the current store: the one there is,
/// or one the backend starts (C2).
#[tauri::command]
pub async fn start_conversation(
    state: State<'_, AppState>,
    customer_id: CustomerId,
    channel: Channel,
) -> Result<Conversation, ApiError> {
    Ok(state
        .core()
        .await?
        .start_conversation(&customer_id, channel)
        .await?)
}

/// Opens a conversation and marks it read.
#[tauri::command]
pub async fn open_conversation(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
) -> Result<ChatView, ApiError> {
    Ok(state
        .core()
        .await?
        .open_conversation(&conversation_id)
        .await?)
}

/// The customer of a conversation as now, with their last contact from its store (B7).
#[tauri::command]
pub async fn show_chat_customer(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
) -> Result<ChatCustomer, ApiError> {
    Ok(state
        .core()
        .await?
        .show_chat_customer(&conversation_id)
        .await?)
}

/// The page of a conversation's messages just before `before`, the oldest one the chat
/// shows.
#[tauri::command]
pub async fn list_older_messages(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    before: MessageId,
) -> Result<MessagePage, ApiError> {
    Ok(state
        .core()
        .await?
        .list_older_messages(&conversation_id, &before)
        .await?)
}

/// Leaves the open conversation (notifications resume for it).
#[tauri::command]
pub async fn close_conversation(state: State<'_, AppState>) -> Result<(), ApiError> {
    state.core().await?.close_conversation().await;
    Ok(())
}

/// Queues a text message; it is sent now or when back online.
#[tauri::command]
pub async fn send_message(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    body: String,
) -> Result<Message, ApiError> {
    Ok(state
        .core()
        .await?
        .send_message(&conversation_id, &body)
        .await?)
}

/// Resends a failed message once, with the same id.
#[tauri::command]
pub async fn retry_message(
    state: State<'_, AppState>,
    message_id: MessageId,
) -> Result<Message, ApiError> {
    Ok(state.core().await?.retry_message(&message_id).await?)
}
