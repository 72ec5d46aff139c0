//! Forwards core events to the UI (`core-event`) and raises a system notification for each
//! inbound message outside the open conversation (M12).

use clienteling_core::Core;
use clienteling_domain::view::AppEvent;
use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::error::RecvError;

use crate::notification::notify_inbound;

/// Name of the event the UI listens to.
pub const CORE_EVENT: &str = "core-event";

/// Starts the forwarding task.
pub fn forward(app: AppHandle, core: Core) {
    let mut events = core.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    if let AppEvent::InboundMessage {
                        conversation_id,
                        customer_name,
                        body,
                    } = &event
                    {
                        if core.open_conversation_id().as_ref() != Some(conversation_id) {
                            notify_inbound(&app, conversation_id.clone(), customer_name, body);
                        }
                    }
                    if let Err(error) = app.emit(CORE_EVENT, &event) {
                        tracing::warn!(%error, "could not forward a core event to the UI");
                    }
                }
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(skipped, "UI event forwarding lagged");
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}
