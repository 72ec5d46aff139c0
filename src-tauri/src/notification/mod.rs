//! System notifications for inbound messages (M12), and opening the conversation when the
//! person activates one.
//!
//! On Linux the notification is raised with `notify-rust` directly, declaring the
//! freedesktop `default` action and waiting for it on a thread of its own, because
//! tauri-plugin-notification drops the handle on desktop and never reports a click. On
//! Android and iOS the plugin shows it with a "Reply" action, and taps and replies come
//! back through its action listener ([`mobile`]). Other desktops show a plain notification.

#[cfg(any(mobile, test))]
mod action;
#[cfg(mobile)]
pub mod mobile;

use clienteling_domain::ConversationId;
#[cfg(any(target_os = "linux", mobile))]
use serde::Serialize;
use tauri::AppHandle;
#[cfg(any(target_os = "linux", mobile))]
use tauri::Emitter;

#[cfg(any(target_os = "linux", mobile))]
/// Event telling the UI to open a conversation with the composer focused.
pub const OPEN_CONVERSATION_EVENT: &str = "open-conversation";

#[cfg(any(target_os = "linux", mobile))]
/// Payload of [`OPEN_CONVERSATION_EVENT`].
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenConversation {
    /// The conversation to open.
    pub conversation_id: ConversationId,
}

/// Shows a notification for a customer's message; activating it opens the conversation.
pub fn notify_inbound(app: &AppHandle, conversation_id: ConversationId, title: &str, body: &str) {
    #[cfg(target_os = "linux")]
    {
        let app = app.clone();
        let (title, body) = (title.to_owned(), body.to_owned());
        let spawned = std::thread::Builder::new()
            .name("notification".into())
            .spawn(move || {
                let shown = notify_rust::Notification::new()
                    .appname("Clienteling Associate")
                    .summary(&title)
                    .body(&body)
                    .action("default", "Open conversation")
                    .show();
                match shown {
                    Ok(handle) => handle.wait_for_action(|action| {
                        if action == "default" {
                            open_conversation(&app, conversation_id.clone());
                        }
                    }),
                    Err(error) => tracing::warn!(%error, "could not show a notification"),
                }
            });
        if let Err(error) = spawned {
            tracing::warn!(%error, "could not start the notification thread");
        }
    }
    #[cfg(mobile)]
    mobile::show(app, &conversation_id, title, body);
    #[cfg(all(desktop, not(target_os = "linux")))]
    {
        use tauri_plugin_notification::NotificationExt;
        let _ = conversation_id;
        if let Err(error) = app.notification().builder().title(title).body(body).show() {
            tracing::warn!(%error, "could not show a notification");
        }
    }
}

#[cfg(any(target_os = "linux", mobile))]
/// Brings the window forward and asks the UI to open the conversation.
pub fn open_conversation(app: &AppHandle, conversation_id: ConversationId) {
    #[cfg(desktop)]
    {
        use tauri::Manager;
        if let Some(window) = app.get_webview_window("main") {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
    }
    if let Err(error) = app.emit(
        OPEN_CONVERSATION_EVENT,
        OpenConversation { conversation_id },
    ) {
        tracing::warn!(%error, "could not ask the UI to open a conversation");
    }
}
