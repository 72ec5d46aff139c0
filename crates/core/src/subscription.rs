//! A subscriber's view of the core's events: the broadcast channel in order, where falling
//! behind is an event of its own ([`AppEvent::EventsLost`]) instead of an error to log, so
//! a slow reader (the shell forwarding to the UI during a large catch-up) knows to reload
//! what it shows from the local copy (B2).

use std::collections::VecDeque;

use clienteling_domain::view::AppEvent;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::broadcast::Receiver;

/// The events emitted since [`crate::Core::subscribe`].
#[derive(Debug)]
pub struct Subscription {
    receiver: Receiver<AppEvent>,
    /// Events held back while reporting a lag, handed out next.
    held: VecDeque<AppEvent>,
}

impl Subscription {
    pub(crate) fn new(receiver: Receiver<AppEvent>) -> Self {
        Self {
            receiver,
            held: VecDeque::new(),
        }
    }

    /// The next event, waiting for it; `None` once the core is gone.
    ///
    /// When this subscriber fell behind and events were dropped, it answers
    /// [`AppEvent::EventsLost`] first: the message and conversation updates still buffered
    /// then are older than a reload the subscriber makes next, so they are counted as lost
    /// too, while the events a reload cannot stand in for (inbound messages to notify,
    /// connection changes, sign-out, failures) follow in their order.
    pub async fn recv(&mut self) -> Option<AppEvent> {
        if let Some(event) = self.held.pop_front() {
            return Some(event);
        }
        match self.receiver.recv().await {
            Ok(event) => Some(event),
            Err(RecvError::Lagged(skipped)) => Some(self.catch_up(skipped)),
            Err(RecvError::Closed) => None,
        }
    }

    /// Reads what is buffered after a lag of `skipped` events, keeping what a reload of the
    /// local copy does not replace, and says how many events the subscriber misses.
    fn catch_up(&mut self, mut skipped: u64) -> AppEvent {
        loop {
            match self.receiver.try_recv() {
                Ok(AppEvent::MessageChanged { .. } | AppEvent::ConversationChanged { .. }) => {
                    skipped += 1;
                }
                Ok(event) => self.held.push_back(event),
                Err(TryRecvError::Lagged(more)) => skipped += more,
                Err(TryRecvError::Empty | TryRecvError::Closed) => {
                    return AppEvent::EventsLost { skipped };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clienteling_domain::api::Message;
    use clienteling_domain::view::Connection;
    use clienteling_domain::{Direction, MessageKind, MessageStatus, Timestamp};
    use tokio::sync::broadcast;

    fn changed(n: i64) -> AppEvent {
        AppEvent::MessageChanged {
            message: Message {
                id: format!("m{n}").as_str().into(),
                conversation_id: "c1".into(),
                direction: Direction::Outbound,
                kind: MessageKind::Text,
                body: "hello".into(),
                status: MessageStatus::Sent,
                failure_reason: None,
                author_staff_id: None,
                created_at: Timestamp(n),
                updated_at: Timestamp(n),
            },
        }
    }

    #[tokio::test]
    async fn b2_a_subscriber_that_fell_behind_hears_of_it_then_what_a_reload_cannot_replace() {
        let (sender, receiver) = broadcast::channel(4);
        let mut events = Subscription::new(receiver);
        for n in 0..6 {
            sender.send(changed(n)).expect("a subscriber listens");
        }
        let offline = AppEvent::ConnectionChanged {
            connection: Connection::Offline,
        };
        sender.send(offline.clone()).expect("a subscriber listens");
        sender.send(changed(7)).expect("a subscriber listens");

        assert_eq!(
            events.recv().await,
            Some(AppEvent::EventsLost { skipped: 7 }),
            "four events were dropped by the channel and three stale updates are superseded by the reload"
        );
        assert_eq!(
            events.recv().await,
            Some(offline),
            "the connection change is still delivered"
        );
        sender.send(changed(8)).expect("a subscriber listens");
        assert_eq!(
            events.recv().await,
            Some(changed(8)),
            "events after the lag arrive as usual"
        );
        drop(sender);
        assert_eq!(events.recv().await, None, "the core is gone");
    }
}
