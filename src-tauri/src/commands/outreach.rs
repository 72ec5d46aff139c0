//! Outreach commands: the template and quick-reply pickers, sending a template, asking for
//! opt-in and the consent audit trail (M2, M5, M6, B4).

use clienteling_domain::api::Message;
use clienteling_domain::consent_audit::ConsentEvent;
use clienteling_domain::picker::{QuickReplyChoice, TemplateChoice};
use clienteling_domain::{ApiError, ConversationId};
use tauri::State;

use crate::AppState;

/// The conversation's templates with their previews, sendable first.
#[tauri::command]
pub async fn list_templates(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
) -> Result<Vec<TemplateChoice>, ApiError> {
    Ok(state.core().await?.list_templates(&conversation_id).await?)
}

/// Queues a template; it is sent now or when back online.
#[tauri::command]
pub async fn send_template(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    template_id: String,
) -> Result<Message, ApiError> {
    Ok(state
        .core()
        .await?
        .send_template(&conversation_id, &template_id)
        .await?)
}

/// The store's quick replies filled for the conversation's customer.
#[tauri::command]
pub async fn list_quick_replies(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
) -> Result<Vec<QuickReplyChoice>, ApiError> {
    Ok(state
        .core()
        .await?
        .list_quick_replies(&conversation_id)
        .await?)
}

/// Queues an opt-in request (SMS with `intro`, WhatsApp with the opt-in template).
#[tauri::command]
pub async fn request_opt_in(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    intro: Option<String>,
) -> Result<Message, ApiError> {
    Ok(state
        .core()
        .await?
        .request_opt_in(&conversation_id, intro.as_deref())
        .await?)
}

/// The customer's consent audit trail for the store, newest first (needs the backend).
#[tauri::command]
pub async fn list_consent_events(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
) -> Result<Vec<ConsentEvent>, ApiError> {
    Ok(state
        .core()
        .await?
        .list_consent_events(&conversation_id)
        .await?)
}
