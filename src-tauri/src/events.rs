//! Forwards core events to the UI (`core-event`), a lag included (`events_lost`, on which
//! the UI reloads from the local copy, B2), and raises the system notifications the
//! domain's rule gives each batch of customers' messages, given the open conversation and
//! the last time the app was in the foreground (M12), and those of follow-up tasks that
//! came due (B3).

use clienteling_core::Core;
use clienteling_domain::notification::{notifications, Attention};
use clienteling_domain::task::due_notifications;
use clienteling_domain::view::AppEvent;
use tauri::{AppHandle, Emitter, Manager};

use crate::foreground::Foreground;
use crate::notification::Notifier;

/// Name of the event the UI listens to.
pub const CORE_EVENT: &str = "core-event";

/// Starts the forwarding task.
pub fn forward(app: AppHandle, core: Core) {
    let mut events = core.subscribe();
    let notifier = Notifier::start(&app);
    tauri::async_runtime::spawn(async move {
        while let Some(event) = events.recv().await {
            match &event {
                AppEvent::InboundMessages { messages } => {
                    let open = core.open_conversation_id();
                    let attention = Attention {
                        open_conversation: open.as_ref(),
                        last_foreground: app.try_state::<Foreground>().and_then(|f| f.last()),
                    };
                    for notification in notifications(messages, attention) {
                        notifier.show(notification);
                    }
                }
                AppEvent::TasksDue { tasks } => {
                    for notification in due_notifications(tasks) {
                        notifier.show(notification);
                    }
                }
                AppEvent::EventsLost { skipped } => {
                    tracing::warn!(skipped, "UI event forwarding lagged; the UI reloads");
                }
                _ => {}
            }
            if let Err(error) = app.emit(CORE_EVENT, &event) {
                tracing::warn!(%error, "could not forward a core event to the UI");
            }
        }
    });
}
