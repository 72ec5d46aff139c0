//! Inbound-message notifications on Android and iOS (M12): each conversation's carries a
//! "Reply" action that takes text; a tap opens the conversation (the inbox, for a summary of
//! many) and a typed reply is sent through the core.
//!
//! The plugin is prepared once the webview has loaded its page, because the Android side of
//! the plugin only works once it has been given the webview: the action types are registered,
//! the action listener is installed through the plugin's `registerListener` (a Rust channel,
//! no UI involved), notifications left over from an earlier run are removed (their
//! conversations are unknown to this run) and the notification permission is requested when
//! the system has not asked yet (Android 13 and later, iOS).

use std::sync::{Mutex, MutexGuard, Once, PoisonError};

use clienteling_core::Core;
use clienteling_domain::notification::NotificationTarget;
use tauri::webview::{PageLoadEvent, PageLoadPayload};
use tauri::{AppHandle, Manager, Webview};
use tauri_plugin_notification::{ActionPerformed, NotificationExt, PermissionState};

use super::action::{self, Intent, Slots, CONVERSATION_EXTRA};

/// The notifications this app has out and what replies go through, managed by the app.
pub struct InboundNotifications {
    slots: Mutex<Slots>,
    core: Core,
    prepared: Once,
}

/// Set once the webview has loaded its page before the notification state existed (the
/// core starts in the background, so the page may come first).
struct PageLoaded;

/// Makes the notification state available; call it before the first notification is shown.
/// Prepares the plugin at once when the page has already loaded.
pub fn install(app: &AppHandle, core: Core) {
    app.manage(InboundNotifications {
        slots: Mutex::default(),
        core,
        prepared: Once::new(),
    });
    if app.try_state::<PageLoaded>().is_some() {
        prepare_once(app);
    }
}

/// Page-load hook: prepares the plugin the first time a page has finished loading (or
/// remembers the load for `install`, when the core has not started yet).
pub fn on_page_load(webview: &Webview, payload: &PageLoadPayload<'_>) {
    if payload.event() != PageLoadEvent::Finished {
        return;
    }
    let app = webview.app_handle().clone();
    app.manage(PageLoaded);
    prepare_once(&app);
}

/// Prepares the plugin once, when the notification state exists.
fn prepare_once(app: &AppHandle) {
    let Some(state) = app.try_state::<InboundNotifications>() else {
        return;
    };
    state.prepared.call_once(|| {
        // The plugin calls wait for the UI thread, which may be running this.
        let app = app.clone();
        tauri::async_runtime::spawn_blocking(move || prepare(&app));
    });
}

/// Shows the notification of a conversation (or the inbox) in its slot, replacing the
/// target's previous one.
pub fn show(app: &AppHandle, target: &NotificationTarget, title: &str, body: &str) {
    let Some(state) = app.try_state::<InboundNotifications>() else {
        tracing::warn!("notifications are not set up yet");
        return;
    };
    let notification = app.notification();
    // Held until the notification is shown, so no other notification can take the slot
    // between freeing the slots of vanished notifications and showing this one.
    let mut slots = lock(&state.slots);
    // Only Android needs it (a tap there names no notification), and on iOS the plugin's
    // `getActive` crashes on a notification it did not show in this run.
    #[cfg(target_os = "android")]
    match notification.active() {
        Ok(shown) => slots.keep_shown(&shown),
        Err(error) => tracing::debug!(%error, "could not list the notifications shown"),
    }
    let slot = slots.assign(target);
    let mut builder = notification
        .builder()
        .id(slot.notification_id())
        .title(title)
        .body(body);
    if let NotificationTarget::Conversation(conversation_id) = target {
        builder = builder
            .action_type_id(slot.action_type_id())
            .extra(CONVERSATION_EXTRA, conversation_id);
    }
    let shown = builder.show();
    if let Err(error) = shown {
        tracing::warn!(%error, "could not show a notification");
    }
}

fn prepare(app: &AppHandle) {
    let notification = app.notification();
    if let Err(error) = notification.register_action_types(action::action_types()) {
        tracing::warn!(%error, "could not register the notification reply action");
    }
    let listener = app.clone();
    let listening = notification.on_action(move |performed| {
        let app = listener.clone();
        let performed = performed.clone();
        // Called on the UI thread; the work below calls the plugin and the core.
        tauri::async_runtime::spawn(async move { act(&app, &performed).await });
    });
    if let Err(error) = listening {
        tracing::warn!(%error, "could not listen to notification actions");
    }
    if let Some(state) = app.try_state::<InboundNotifications>() {
        let slots = lock(&state.slots);
        let stale: Vec<i32> = slots.free().map(|slot| slot.notification_id()).collect();
        // An empty list would make the Android plugin remove every notification.
        if !stale.is_empty() {
            if let Err(error) = notification.remove_active(stale) {
                tracing::debug!(%error, "could not remove notifications of an earlier run");
            }
        }
    }
    match notification.permission_state() {
        Ok(PermissionState::Granted) => {}
        Ok(PermissionState::Denied) => tracing::warn!("notifications are turned off for the app"),
        // Only asked when undecided: the Android plugin never answers a request for a
        // permission that is already granted.
        Ok(PermissionState::Prompt | PermissionState::PromptWithRationale) => {
            match notification.request_permission() {
                Ok(state) => tracing::info!(%state, "notification permission answered"),
                Err(error) => {
                    tracing::warn!(%error, "could not ask for the notification permission")
                }
            }
        }
        Err(error) => tracing::warn!(%error, "could not read the notification permission"),
    }
}

async fn act(app: &AppHandle, performed: &ActionPerformed) {
    let Some(state) = app.try_state::<InboundNotifications>() else {
        return;
    };
    let intent = lock(&state.slots).settle(performed);
    match intent {
        Intent::Open(target) => super::open(app, target),
        Intent::Reply {
            conversation_id,
            text,
        } => {
            let core = state.core.clone();
            match core.send_message(&conversation_id, &text).await {
                Ok(message) => tracing::info!(
                    %conversation_id,
                    message_id = %message.id,
                    "reply from a notification queued"
                ),
                Err(error) => {
                    tracing::warn!(%conversation_id, %error, "reply from a notification refused");
                    show(
                        app,
                        &NotificationTarget::Conversation(conversation_id),
                        "Reply not sent",
                        &error.to_string(),
                    );
                }
            }
        }
        Intent::Ignore(reason) => tracing::info!(
            ?reason,
            action = performed.action_id(),
            "notification action ignored"
        ),
    }
}

fn lock(slots: &Mutex<Slots>) -> MutexGuard<'_, Slots> {
    slots.lock().unwrap_or_else(PoisonError::into_inner)
}
