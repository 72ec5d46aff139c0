//! System notifications for customers' messages (M12) and due follow-up tasks (B3), and
//! opening what one stands for when the person activates it: its conversation, the inbox
//! for a summary of many, a task's customer, or the Tasks screen.
//! Which notifications a batch of messages raises is the domain's rule
//! (`clienteling_domain::notification`); this module shows them.
//!
//! On Linux one task talks to the notification server over D-Bus ([`linux`]), because
//! tauri-plugin-notification drops the handle on desktop and never reports a click. On
//! Android and iOS the plugin shows them, a conversation's with a "Reply" action, and taps
//! and replies come back through its action listener ([`mobile`]). Other desktops show a
//! plain notification.

#[cfg(any(mobile, test))]
mod action;
#[cfg(target_os = "linux")]
mod linux;
#[cfg(mobile)]
pub mod mobile;

use clienteling_domain::notification::Notification;
#[cfg(any(target_os = "linux", mobile))]
use clienteling_domain::notification::NotificationTarget;
#[cfg(any(target_os = "linux", mobile))]
use clienteling_domain::{ConversationId, CustomerId};
#[cfg(any(target_os = "linux", mobile))]
use serde::Serialize;
use tauri::AppHandle;
#[cfg(any(target_os = "linux", mobile))]
use tauri::Emitter;

#[cfg(any(target_os = "linux", mobile))]
/// Event telling the UI to open a conversation with the composer focused.
pub const OPEN_CONVERSATION_EVENT: &str = "open-conversation";

#[cfg(any(target_os = "linux", mobile))]
/// Event telling the UI to show the inbox (no conversation open).
pub const OPEN_INBOX_EVENT: &str = "open-inbox";

#[cfg(any(target_os = "linux", mobile))]
/// Event telling the UI to show a customer's profile (a due task, B3).
pub const OPEN_CUSTOMER_EVENT: &str = "open-customer";

#[cfg(any(target_os = "linux", mobile))]
/// Event telling the UI to show the Tasks screen (many tasks came due).
pub const OPEN_TASKS_EVENT: &str = "open-tasks";

#[cfg(any(target_os = "linux", mobile))]
/// Payload of [`OPEN_CUSTOMER_EVENT`].
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenCustomer {
    /// The customer to show.
    pub customer_id: CustomerId,
}

#[cfg(any(target_os = "linux", mobile))]
/// Payload of [`OPEN_CONVERSATION_EVENT`].
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenConversation {
    /// The conversation to open.
    pub conversation_id: ConversationId,
}

/// Raises notifications on this platform.
#[derive(Debug, Clone)]
pub struct Notifier {
    #[cfg(target_os = "linux")]
    desktop: linux::Desktop,
    #[cfg(not(target_os = "linux"))]
    app: AppHandle,
}

impl Notifier {
    /// Prepares notifications (on Linux, starts the task talking to the server).
    pub fn start(app: &AppHandle) -> Self {
        Self {
            #[cfg(target_os = "linux")]
            desktop: linux::Desktop::start(app.clone()),
            #[cfg(not(target_os = "linux"))]
            app: app.clone(),
        }
    }

    /// Shows `notification`; activating it opens its target.
    pub fn show(&self, notification: Notification) {
        #[cfg(target_os = "linux")]
        self.desktop.show(notification);
        #[cfg(mobile)]
        mobile::show(
            &self.app,
            &notification.target,
            &notification.title,
            &notification.body,
        );
        #[cfg(all(desktop, not(target_os = "linux")))]
        {
            use tauri_plugin_notification::NotificationExt;
            let shown = self
                .app
                .notification()
                .builder()
                .title(notification.title)
                .body(notification.body)
                .show();
            if let Err(error) = shown {
                tracing::warn!(%error, "could not show a notification");
            }
        }
    }
}

#[cfg(any(target_os = "linux", mobile))]
/// Brings the window forward and asks the UI to open what the notification stands for.
pub fn open(app: &AppHandle, target: NotificationTarget) {
    #[cfg(desktop)]
    {
        use tauri::Manager;
        if let Some(window) = app.get_webview_window("main") {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
    }
    let asked = match target {
        NotificationTarget::Conversation(conversation_id) => app.emit(
            OPEN_CONVERSATION_EVENT,
            OpenConversation { conversation_id },
        ),
        NotificationTarget::Inbox => app.emit(OPEN_INBOX_EVENT, ()),
        NotificationTarget::Customer(customer_id) => {
            app.emit(OPEN_CUSTOMER_EVENT, OpenCustomer { customer_id })
        }
        NotificationTarget::Tasks => app.emit(OPEN_TASKS_EVENT, ()),
    };
    if let Err(error) = asked {
        tracing::warn!(%error, "could not ask the UI to open what a notification stands for");
    }
}
