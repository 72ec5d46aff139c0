//! Notifications on Linux desktops (M12): one task talks to the freedesktop notification
//! server (`org.freedesktop.Notifications`) over the session bus. It raises each
//! notification with the `default` action, hears `ActionInvoked` (a click) and
//! `NotificationClosed`, and keeps at most [`IN_FLIGHT`] notifications out: a newer
//! notification of the same conversation (or of the inbox) replaces the older one, and the
//! oldest is closed when one more would exceed the bound. No thread waits on a notification.

use std::collections::{HashMap, VecDeque};

use clienteling_domain::notification::{Notification, NotificationTarget};
use futures_util::StreamExt;
use tauri::AppHandle;
use tokio::sync::mpsc;
use zbus::OwnedVariant;

/// Most notifications out at once.
pub const IN_FLIGHT: usize = 8;

/// The action a click on the notification itself reports.
const DEFAULT_ACTION: &str = "default";

/// Name the notification server shows as the sender.
const APP_NAME: &str = "Clienteling Associate";

/// Let the server pick how long a notification stays.
const SERVER_DEFAULT_TIMEOUT: i32 = -1;

#[zbus::proxy(
    interface = "org.freedesktop.Notifications",
    default_service = "org.freedesktop.Notifications",
    default_path = "/org/freedesktop/Notifications"
)]
trait Notifications {
    /// Shows a notification (or replaces `replaces_id`) and answers its id.
    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &self,
        app_name: &str,
        replaces_id: u32,
        app_icon: &str,
        summary: &str,
        body: &str,
        actions: &[&str],
        hints: HashMap<&str, OwnedVariant>,
        expire_timeout: i32,
    ) -> zbus::Result<u32>;

    /// Removes a notification.
    async fn close_notification(&self, id: u32) -> zbus::Result<()>;

    /// The person activated an action of a notification.
    #[zbus(signal)]
    fn action_invoked(&self, id: u32, action_key: String) -> zbus::Result<()>;

    /// A notification went away (expired, dismissed, closed by the app).
    #[zbus(signal)]
    fn notification_closed(&self, id: u32, reason: u32) -> zbus::Result<()>;
}

/// The notifications out, oldest first, with what each opens.
#[derive(Debug, Default)]
pub struct InFlight {
    shown: VecDeque<(u32, NotificationTarget)>,
}

/// How to raise a notification for a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// The target's notification still out, which the new one replaces (0: none).
    pub replaces: u32,
    /// The oldest notification, to close first so no more than [`IN_FLIGHT`] are out.
    pub closes: Option<u32>,
}

impl InFlight {
    /// Where a new notification of `target` goes: over the target's own one if it is
    /// out, else beside the others, closing the oldest when all [`IN_FLIGHT`] are out.
    pub fn place(&mut self, target: &NotificationTarget) -> Placement {
        if let Some(index) = self.shown.iter().position(|(_, shown)| shown == target) {
            let replaces = self.shown.remove(index).map_or(0, |(id, _)| id);
            return Placement {
                replaces,
                closes: None,
            };
        }
        let closes = (self.shown.len() >= IN_FLIGHT)
            .then(|| self.shown.pop_front().map(|(id, _)| id))
            .flatten();
        Placement {
            replaces: 0,
            closes,
        }
    }

    /// The server showed the notification of `target` with `id`.
    pub fn shown(&mut self, id: u32, target: NotificationTarget) {
        self.shown.retain(|(shown, _)| *shown != id);
        self.shown.push_back((id, target));
    }

    /// The notification `id` went away; what it would have opened, if it was ours.
    pub fn gone(&mut self, id: u32) -> Option<NotificationTarget> {
        let index = self.shown.iter().position(|(shown, _)| *shown == id)?;
        self.shown.remove(index).map(|(_, target)| target)
    }

    /// How many notifications are out.
    #[cfg(test)]
    pub fn count(&self) -> usize {
        self.shown.len()
    }
}

/// The handle the event forwarder raises notifications through.
#[derive(Debug, Clone)]
pub struct Desktop {
    requests: mpsc::UnboundedSender<Notification>,
}

impl Desktop {
    /// Starts the notification task on the app's async runtime.
    pub fn start(app: AppHandle) -> Self {
        let (requests, received) = mpsc::unbounded_channel();
        tauri::async_runtime::spawn(async move {
            if let Err(error) = serve(&app, received).await {
                tracing::warn!(%error, "desktop notifications stopped");
            }
        });
        Self { requests }
    }

    /// Raises `notification` (in the order asked).
    pub fn show(&self, notification: Notification) {
        if self.requests.send(notification).is_err() {
            tracing::warn!("desktop notifications are not running; one was not shown");
        }
    }
}

/// Connects to the session bus, then raises what is asked and follows what the person does
/// with the notifications, until the app drops its [`Desktop`] handle.
async fn serve(
    app: &AppHandle,
    mut requests: mpsc::UnboundedReceiver<Notification>,
) -> zbus::Result<()> {
    let connection = zbus::Connection::session().await?;
    let server = NotificationsProxy::new(&connection).await?;
    let mut invoked = server.receive_action_invoked().await?;
    let mut closed = server.receive_notification_closed().await?;
    let mut in_flight = InFlight::default();
    loop {
        tokio::select! {
            request = requests.recv() => {
                let Some(notification) = request else { return Ok(()) };
                raise(&server, &mut in_flight, notification).await;
            }
            Some(signal) = invoked.next() => {
                match signal.args() {
                    Ok(args) if args.action_key == DEFAULT_ACTION => {
                        if let Some(target) = in_flight.gone(args.id) {
                            super::open(app, target);
                        }
                    }
                    Ok(_) => {}
                    Err(error) => tracing::debug!(%error, "an unreadable ActionInvoked signal"),
                }
            }
            Some(signal) = closed.next() => {
                match signal.args() {
                    Ok(args) => {
                        in_flight.gone(args.id);
                    }
                    Err(error) => tracing::debug!(%error, "an unreadable NotificationClosed signal"),
                }
            }
        }
    }
}

async fn raise(
    server: &NotificationsProxy<'_>,
    in_flight: &mut InFlight,
    notification: Notification,
) {
    let placement = in_flight.place(&notification.target);
    if let Some(oldest) = placement.closes {
        if let Err(error) = server.close_notification(oldest).await {
            tracing::debug!(%error, "could not close the oldest notification");
        }
    }
    let label = match notification.target {
        NotificationTarget::Conversation(_) => "Open conversation",
        NotificationTarget::Inbox => "Open inbox",
        NotificationTarget::Customer(_) => "Open customer",
        NotificationTarget::Tasks => "Open tasks",
    };
    let shown = server
        .notify(
            APP_NAME,
            placement.replaces,
            "",
            &notification.title,
            &notification.body,
            &[DEFAULT_ACTION, label],
            HashMap::new(),
            SERVER_DEFAULT_TIMEOUT,
        )
        .await;
    match shown {
        Ok(id) => in_flight.shown(id, notification.target),
        Err(error) => tracing::warn!(%error, "could not show a notification"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conversation(id: &str) -> NotificationTarget {
        NotificationTarget::Conversation(id.into())
    }

    #[test]
    fn m12_no_more_than_the_bound_are_out_and_the_oldest_gives_way() {
        let mut in_flight = InFlight::default();
        for n in 0..IN_FLIGHT {
            let placement = in_flight.place(&conversation(&format!("c{n}")));
            assert_eq!(
                placement,
                Placement {
                    replaces: 0,
                    closes: None
                },
                "room for notification {n}"
            );
            in_flight.shown(100 + n as u32, conversation(&format!("c{n}")));
        }
        let placement = in_flight.place(&NotificationTarget::Inbox);
        assert_eq!(
            placement.closes,
            Some(100),
            "the oldest notification is closed to make room"
        );
        in_flight.shown(200, NotificationTarget::Inbox);
        assert_eq!(in_flight.count(), IN_FLIGHT, "still at the bound");
        assert_eq!(
            in_flight.gone(100),
            None,
            "the closed notification no longer opens anything"
        );
    }

    #[test]
    fn m12_a_conversations_new_notification_replaces_its_previous_one() {
        let mut in_flight = InFlight::default();
        in_flight.place(&conversation("c1"));
        in_flight.shown(7, conversation("c1"));
        in_flight.place(&conversation("c2"));
        in_flight.shown(8, conversation("c2"));
        let placement = in_flight.place(&conversation("c1"));
        assert_eq!(
            placement,
            Placement {
                replaces: 7,
                closes: None
            },
            "one notification per conversation: the server replaces it in place"
        );
        in_flight.shown(7, conversation("c1"));
        assert_eq!(in_flight.count(), 2, "replacing adds none");
        assert_eq!(
            in_flight.gone(7),
            Some(conversation("c1")),
            "a click on it opens its conversation"
        );
    }

    #[test]
    fn m12_a_closed_notification_frees_its_place() {
        let mut in_flight = InFlight::default();
        in_flight.place(&conversation("c1"));
        in_flight.shown(1, conversation("c1"));
        assert_eq!(in_flight.gone(1), Some(conversation("c1")), "it was ours");
        assert_eq!(in_flight.count(), 0, "nothing out any more");
        assert_eq!(
            in_flight.gone(99),
            None,
            "another app's notification is none of ours"
        );
    }
}
