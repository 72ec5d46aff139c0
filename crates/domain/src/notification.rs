//! Which system notifications a batch of customers' messages raises (M12, B2): none for the
//! conversation open on the device, none for messages older than the last time the app was
//! in the foreground (the associate could have read them in the app), one per conversation
//! when few conversations have news, and one summary for the inbox when many do — so a
//! catch-up after a night offline raises a few notifications, not one per message.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::preview::message_preview;
use crate::{ConversationId, CustomerId, Timestamp};

/// Most conversations a batch notifies one by one; a batch with news in more of them
/// raises one summary that opens the inbox instead.
pub const CONVERSATIONS_NOTIFIED_ONE_BY_ONE: usize = 3;

/// A customer's message newly seen by the device, with what a notification needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundMessage {
    /// Where it was written.
    pub conversation_id: ConversationId,
    /// Who wrote it.
    pub customer_id: CustomerId,
    /// Their display name, for the notification title.
    pub customer_name: String,
    /// What they wrote.
    pub body: String,
    /// When the backend received it.
    pub created_at: Timestamp,
}

/// What the associate is looking at, as far as notifications care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attention<'a> {
    /// The conversation open on the device: its messages show there, so they never notify.
    pub open_conversation: Option<&'a ConversationId>,
    /// The last time the app was in the foreground (window focused, app resumed), kept
    /// across restarts; `None` when it never was. Messages written up to then were there
    /// to read in the app.
    pub last_foreground: Option<Timestamp>,
}

/// Where activating a notification leads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NotificationTarget {
    /// One conversation, with the composer focused.
    Conversation(ConversationId),
    /// The inbox.
    Inbox,
    /// A customer's profile (a follow-up task came due, B3).
    Customer(CustomerId),
    /// The Tasks screen (many follow-ups came due at once).
    Tasks,
}

/// A system notification to raise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// What activating it opens; a newer notification of the same target replaces it.
    pub target: NotificationTarget,
    /// The title.
    pub title: String,
    /// The text.
    pub body: String,
}

/// The notifications `batch` (messages in the order they were seen) raises given the
/// associate's `attention`: nothing for the open conversation or for messages written at
/// or before the last foreground; then, per conversation in order of first news, the
/// message itself or "3 new messages" with the latest one, when at most
/// [`CONVERSATIONS_NOTIFIED_ONE_BY_ONE`] conversations have news; else one summary
/// ("7 new messages from 5 customers") opening the inbox.
pub fn notifications(batch: &[InboundMessage], attention: Attention<'_>) -> Vec<Notification> {
    let news: Vec<&InboundMessage> = batch
        .iter()
        .filter(|message| attention.open_conversation != Some(&message.conversation_id))
        .filter(|message| {
            attention
                .last_foreground
                .is_none_or(|foreground| message.created_at > foreground)
        })
        .collect();
    let mut conversations: Vec<Vec<&InboundMessage>> = Vec::new();
    for &message in &news {
        match conversations
            .iter_mut()
            .find(|group| group[0].conversation_id == message.conversation_id)
        {
            Some(group) => group.push(message),
            None => conversations.push(vec![message]),
        }
    }
    if conversations.len() > CONVERSATIONS_NOTIFIED_ONE_BY_ONE {
        let customers: HashSet<&CustomerId> = news.iter().map(|m| &m.customer_id).collect();
        return vec![inbox_summary(&conversations, news.len(), customers.len())];
    }
    conversations
        .iter()
        .map(Vec::as_slice)
        .map(conversation_notification)
        .collect()
}

/// The notification of one conversation's news: the message itself, or how many arrived
/// with the latest one.
fn conversation_notification(group: &[&InboundMessage]) -> Notification {
    let latest = group[group.len() - 1];
    let quoted = message_preview(&latest.body);
    let body = match group.len() {
        1 => quoted,
        count => format!("{count} new messages — latest: {quoted}"),
    };
    Notification {
        target: NotificationTarget::Conversation(latest.conversation_id.clone()),
        title: latest.customer_name.clone(),
        body,
    }
}

/// The one notification of news in many conversations: counts, and who wrote (the
/// customers of the first two conversations, then how many more).
fn inbox_summary(
    conversations: &[Vec<&InboundMessage>],
    messages: usize,
    customers: usize,
) -> Notification {
    let mut names: Vec<&str> = Vec::new();
    for group in conversations {
        let name = group[0].customer_name.as_str();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let body = match names.as_slice() {
        [] => String::new(),
        [only] => format!("From {only}"),
        [first, second] => format!("From {first} and {second}"),
        [first, second, rest @ ..] => {
            let others = if rest.len() == 1 { "other" } else { "others" };
            format!("From {first}, {second} and {} {others}", rest.len())
        }
    };
    Notification {
        target: NotificationTarget::Inbox,
        title: format!(
            "{} from {}",
            counted(messages, "new message", "new messages"),
            counted(customers, "customer", "customers")
        ),
        body,
    }
}

fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inbound(conversation: &str, customer: &str, body: &str, at: i64) -> InboundMessage {
        InboundMessage {
            conversation_id: conversation.into(),
            customer_id: format!("cu-{customer}").as_str().into(),
            customer_name: customer.to_owned(),
            body: body.to_owned(),
            created_at: Timestamp(at),
        }
    }

    fn targets(notifications: &[Notification]) -> Vec<NotificationTarget> {
        notifications.iter().map(|n| n.target.clone()).collect()
    }

    fn conversation(id: &str) -> NotificationTarget {
        NotificationTarget::Conversation(id.into())
    }

    #[test]
    fn m12_one_live_message_notifies_with_the_customer_and_the_message() {
        let shown = notifications(
            &[inbound(
                "c1",
                "Ana Silva",
                "Is the scarf\nback in stock?",
                50,
            )],
            Attention::default(),
        );
        assert_eq!(
            shown,
            vec![Notification {
                target: conversation("c1"),
                title: "Ana Silva".into(),
                body: "Is the scarf back in stock?".into(),
            }],
            "one message, one notification quoting it on one line and opening its chat"
        );
    }

    #[test]
    fn m12_b2_a_catch_up_raises_one_summary_per_conversation_not_one_per_message() {
        let batch = [
            inbound("c1", "Ana Silva", "Hello", 10),
            inbound("c2", "Ben Lee", "Is it in blue?", 11),
            inbound("c1", "Ana Silva", "Are you there?", 12),
            inbound("c1", "Ana Silva", "Call me back", 13),
        ];
        let shown = notifications(&batch, Attention::default());
        assert_eq!(
            shown,
            vec![
                Notification {
                    target: conversation("c1"),
                    title: "Ana Silva".into(),
                    body: "3 new messages — latest: Call me back".into(),
                },
                Notification {
                    target: conversation("c2"),
                    title: "Ben Lee".into(),
                    body: "Is it in blue?".into(),
                },
            ],
            "Ana's three messages make one notification with the count and the latest"
        );
    }

    #[test]
    fn m12_b2_news_in_many_conversations_raises_one_summary_opening_the_inbox() {
        let batch = [
            inbound("c1", "Ana Silva", "a", 10),
            inbound("c2", "Ben Lee", "b", 11),
            inbound("c3", "Chloé Martin", "c", 12),
            inbound("c4", "Ben Lee", "d", 13),
            inbound("c1", "Ana Silva", "e", 14),
            inbound("c5", "Dev Patel", "f", 15),
            inbound("c2", "Ben Lee", "g", 16),
        ];
        let shown = notifications(&batch, Attention::default());
        assert_eq!(
            shown,
            vec![Notification {
                target: NotificationTarget::Inbox,
                title: "7 new messages from 4 customers".into(),
                body: "From Ana Silva, Ben Lee and 2 others".into(),
            }],
            "five conversations with news make one summary; Ben's two conversations are one customer"
        );
    }

    #[test]
    fn m12_as_many_conversations_as_the_limit_are_still_notified_one_by_one() {
        let batch: Vec<InboundMessage> = (0..CONVERSATIONS_NOTIFIED_ONE_BY_ONE)
            .map(|n| inbound(&format!("c{n}"), &format!("Customer {n}"), "hi", 10))
            .collect();
        let shown = notifications(&batch, Attention::default());
        assert_eq!(
            shown.len(),
            CONVERSATIONS_NOTIFIED_ONE_BY_ONE,
            "up to the limit each conversation has its own notification"
        );
        assert!(
            !targets(&shown).contains(&NotificationTarget::Inbox),
            "no inbox summary at the limit"
        );
    }

    #[test]
    fn m12_the_open_conversation_never_notifies() {
        let open = ConversationId::from("c1");
        let batch = [
            inbound("c1", "Ana Silva", "Thanks for the photos", 10),
            inbound("c2", "Ben Lee", "Is it in blue?", 11),
        ];
        let shown = notifications(
            &batch,
            Attention {
                open_conversation: Some(&open),
                last_foreground: None,
            },
        );
        assert_eq!(
            targets(&shown),
            vec![conversation("c2")],
            "Ana's message shows in the open chat; only Ben's notifies"
        );
    }

    #[test]
    fn m12_b2_messages_older_than_the_last_foreground_do_not_notify() {
        let batch = [
            inbound("c1", "Ana Silva", "Seen in the app already", 100),
            inbound("c2", "Ben Lee", "Written at the very moment", 200),
            inbound(
                "c3",
                "Chloé Martin",
                "Written while the app was closed",
                201,
            ),
        ];
        let shown = notifications(
            &batch,
            Attention {
                open_conversation: None,
                last_foreground: Some(Timestamp(200)),
            },
        );
        assert_eq!(
            targets(&shown),
            vec![conversation("c3")],
            "only what was written after the app was last in the foreground notifies"
        );
        assert!(
            notifications(
                &batch[..2],
                Attention {
                    open_conversation: None,
                    last_foreground: Some(Timestamp(200)),
                },
            )
            .is_empty(),
            "a re-sync of old history raises nothing"
        );
    }

    #[test]
    fn m12_a_summary_counts_one_customer_and_one_message_in_the_singular() {
        let batch: Vec<InboundMessage> = (0..=CONVERSATIONS_NOTIFIED_ONE_BY_ONE)
            .map(|n| inbound(&format!("c{n}"), "Ana Silva", "hi", 10))
            .collect();
        let shown = notifications(&batch, Attention::default());
        assert_eq!(
            shown.first().map(|n| (n.title.as_str(), n.body.as_str())),
            Some(("4 new messages from 1 customer", "From Ana Silva")),
            "one customer writing in four conversations is one customer"
        );
        assert_eq!(
            counted(1, "new message", "new messages"),
            "1 new message",
            "one message is singular"
        );
    }

    #[test]
    fn m12_nothing_new_raises_nothing() {
        assert!(
            notifications(&[], Attention::default()).is_empty(),
            "an empty batch is silent"
        );
    }
}
