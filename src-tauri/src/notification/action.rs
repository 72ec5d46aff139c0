//! What the person did with an inbound-message notification on mobile (M12): which
//! conversation (or, for a summary, the inbox) each of our notifications stands for, and
//! how a tap or a typed reply that tauri-plugin-notification reports turns into an intent
//! for the app.
//!
//! The plugin (2.8) reports an action with its id and the typed text, but it does not say
//! which notification it came from on Android, and it drops the notification's `extra` on
//! both Android and iOS. So each conversation with a notification out holds one of a few
//! slots: the slot fixes the notification id, the action type and the id of its "Reply"
//! action, and any of these leads back to the conversation. The inbox summary holds a slot
//! too, shown without the action type (there is no one to reply to).

use clienteling_domain::notification::NotificationTarget;
use clienteling_domain::ConversationId;
use tauri_plugin_notification::{Action, ActionPerformed, ActionType, ActiveNotification};

/// How many conversations can have a notification out at once; when all slots are held,
/// the conversation notified least recently gives up its slot and its notification.
pub const SLOT_COUNT: usize = 8;

/// The notification id of slot 0; slot `n` posts notification `FIRST_NOTIFICATION_ID + n`.
const FIRST_NOTIFICATION_ID: i32 = 1200;

/// The action id the plugin reports for a tap on the notification itself.
const TAP_ACTION: &str = "tap";

/// The action id the plugin reports when the person dismisses the notification (iOS).
const DISMISS_ACTION: &str = "dismiss";

/// Prefix of the action type ids, followed by the slot number.
const ACTION_TYPE_PREFIX: &str = "inbound-";

/// Prefix of the "Reply" action ids, followed by the slot number.
const REPLY_ACTION_PREFIX: &str = "reply-";

/// Key of the notification extra naming the conversation, read back whenever the plugin
/// reports it.
pub const CONVERSATION_EXTRA: &str = "conversationId";

/// One of the [`SLOT_COUNT`] places a conversation's notification can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot(usize);

impl Slot {
    /// Every slot, in order.
    pub fn all() -> impl Iterator<Item = Slot> {
        (0..SLOT_COUNT).map(Slot)
    }

    /// The id of the notification shown in this slot; showing it again replaces it.
    pub fn notification_id(self) -> i32 {
        FIRST_NOTIFICATION_ID + self.0 as i32
    }

    /// The action type the notification in this slot refers to.
    pub fn action_type_id(self) -> String {
        format!("{ACTION_TYPE_PREFIX}{}", self.0)
    }

    /// The id of the "Reply" action of this slot's action type.
    pub fn reply_action_id(self) -> String {
        format!("{REPLY_ACTION_PREFIX}{}", self.0)
    }

    fn from_notification_id(id: i32) -> Option<Slot> {
        let index = usize::try_from(id.checked_sub(FIRST_NOTIFICATION_ID)?).ok()?;
        (index < SLOT_COUNT).then_some(Slot(index))
    }

    fn from_prefixed(value: &str, prefix: &str) -> Option<Slot> {
        let index: usize = value.strip_prefix(prefix)?.parse().ok()?;
        (index < SLOT_COUNT).then_some(Slot(index))
    }
}

/// The action types to register with the plugin: one per slot, each with a "Reply" action
/// that takes text.
pub fn action_types() -> Vec<ActionType> {
    Slot::all()
        .map(|slot| {
            ActionType::builder(slot.action_type_id())
                .actions(vec![Action::builder(slot.reply_action_id(), "Reply")
                    .input(true)
                    .input_button_title("Send")
                    .input_placeholder("Reply to the customer")
                    .build()])
                .build()
        })
        .collect()
}

/// What the app does about an action on one of its notifications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// Open the conversation with the composer focused, or the inbox.
    Open(NotificationTarget),
    /// Send the typed text into the conversation.
    Reply {
        /// The conversation the notification stood for.
        conversation_id: ConversationId,
        /// What the person typed.
        text: String,
    },
    /// Nothing to do.
    Ignore(Ignored),
}

/// Why an action leads to nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ignored {
    /// The person dismissed the notification.
    Dismissed,
    /// The reply was sent without any text.
    EmptyReply,
    /// The action cannot be traced back to a conversation, e.g. a tap on Android while
    /// several conversations have a notification out, or a reply on the inbox summary.
    UnknownConversation,
    /// The action is not one the app registered.
    UnknownAction,
}

#[derive(Debug, Clone)]
struct Held {
    target: NotificationTarget,
    notified: u64,
}

/// Which conversation (or the inbox) holds which slot.
#[derive(Debug, Default)]
pub struct Slots {
    held: [Option<Held>; SLOT_COUNT],
    notifications: u64,
}

impl Slots {
    /// The slot for a new notification of the target: the one it already holds (so the
    /// new notification replaces its previous one), else a free one, else the slot of the
    /// target notified least recently.
    pub fn assign(&mut self, target: &NotificationTarget) -> Slot {
        self.notifications += 1;
        let index = self
            .position(target)
            .or_else(|| self.held.iter().position(Option::is_none))
            .unwrap_or_else(|| self.least_recently_notified());
        self.held[index] = Some(Held {
            target: target.clone(),
            notified: self.notifications,
        });
        Slot(index)
    }

    /// What the slot's notification opens, if it holds one.
    pub fn target(&self, slot: Slot) -> Option<&NotificationTarget> {
        self.held[slot.0].as_ref().map(|held| &held.target)
    }

    /// The slots no conversation holds.
    pub fn free(&self) -> impl Iterator<Item = Slot> + '_ {
        Slot::all().filter(|slot| self.held[slot.0].is_none())
    }

    /// Frees the slots whose notification is no longer shown, given the notifications the
    /// platform still shows (Android, where a tap can only be traced while one is held).
    #[cfg(any(target_os = "android", test))]
    pub fn keep_shown(&mut self, shown: &[ActiveNotification]) {
        for slot in Slot::all() {
            if !shown.iter().any(|n| n.id() == slot.notification_id()) {
                self.held[slot.0] = None;
            }
        }
    }

    /// Reads an action the plugin reported, frees the slot of the notification it was
    /// performed on (the platform has removed that notification) and says what to do.
    pub fn settle(&mut self, performed: &ActionPerformed) -> Intent {
        let action_id = performed.action_id();
        let notification = performed.notification();
        let reply_slot = Slot::from_prefixed(action_id, REPLY_ACTION_PREFIX);
        let extra_conversation = notification
            .and_then(|n| n.extra().get(CONVERSATION_EXTRA))
            .and_then(|value| value.as_str())
            .map(|id| NotificationTarget::Conversation(ConversationId::from(id)));
        let slot = reply_slot
            .or_else(|| notification.and_then(|n| Slot::from_notification_id(n.id())))
            .or_else(|| {
                notification
                    .and_then(ActiveNotification::action_type_id)
                    .and_then(|id| Slot::from_prefixed(id, ACTION_TYPE_PREFIX))
            })
            .or_else(|| {
                extra_conversation
                    .as_ref()
                    .and_then(|id| self.position(id).map(Slot))
            })
            .or_else(|| {
                // A tap on Android names no notification: it can only be the one
                // notification out.
                (action_id == TAP_ACTION && notification.is_none())
                    .then(|| self.only_held())
                    .flatten()
            });
        let target = extra_conversation.or_else(|| slot.and_then(|s| self.target(s).cloned()));
        if let Some(slot) = slot {
            self.held[slot.0] = None;
        }

        if action_id == DISMISS_ACTION {
            return Intent::Ignore(Ignored::Dismissed);
        }
        if action_id != TAP_ACTION && reply_slot.is_none() {
            return Intent::Ignore(Ignored::UnknownAction);
        }
        let Some(target) = target else {
            return Intent::Ignore(Ignored::UnknownConversation);
        };
        if reply_slot.is_none() {
            return Intent::Open(target);
        }
        let NotificationTarget::Conversation(conversation_id) = target else {
            return Intent::Ignore(Ignored::UnknownConversation);
        };
        match performed.input_value() {
            Some(text) if !text.trim().is_empty() => Intent::Reply {
                conversation_id,
                text: text.to_owned(),
            },
            _ => Intent::Ignore(Ignored::EmptyReply),
        }
    }

    fn position(&self, target: &NotificationTarget) -> Option<usize> {
        self.held
            .iter()
            .position(|held| held.as_ref().is_some_and(|held| &held.target == target))
    }

    fn least_recently_notified(&self) -> usize {
        self.held
            .iter()
            .enumerate()
            .min_by_key(|(_, held)| held.as_ref().map_or(0, |held| held.notified))
            .map_or(0, |(index, _)| index)
    }

    fn only_held(&self) -> Option<Slot> {
        let mut held = Slot::all().filter(|slot| self.held[slot.0].is_some());
        match (held.next(), held.next()) {
            (Some(slot), None) => Some(slot),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conversation(id: &str) -> NotificationTarget {
        NotificationTarget::Conversation(ConversationId::from(id))
    }

    /// Parses a payload the way the plugin's listener does on mobile.
    fn performed(payload: serde_json::Value) -> ActionPerformed {
        serde_json::from_value(payload).expect("the payload has the plugin's shape")
    }

    fn shown(ids: &[i32]) -> Vec<ActiveNotification> {
        ids.iter()
            .map(|id| {
                serde_json::from_value(serde_json::json!({ "id": id }))
                    .expect("the shape Android's getActive answers")
            })
            .collect()
    }

    #[test]
    fn m12_a_reply_typed_on_android_is_sent_to_the_conversation_of_its_slot() {
        let mut slots = Slots::default();
        let slot = slots.assign(&conversation("c-ana"));
        // NotificationPlugin.kt sends only actionId and inputValue: `notification` is null
        // because the intent's notification JSON is never filled in.
        let intent = slots.settle(&performed(serde_json::json!({
            "actionId": slot.reply_action_id(),
            "inputValue": "Your size is back in stock",
        })));
        assert_eq!(
            intent,
            Intent::Reply {
                conversation_id: "c-ana".into(),
                text: "Your size is back in stock".into(),
            },
            "the reply action's id names the slot, and the slot the conversation"
        );
        assert_eq!(
            slots.target(slot),
            None,
            "the platform removed the notification, so its slot is free again"
        );
    }

    #[test]
    fn m12_a_reply_typed_on_ios_is_sent_to_the_conversation_of_its_slot() {
        let mut slots = Slots::default();
        slots.assign(&conversation("c-ana"));
        let slot = slots.assign(&conversation("c-ben"));
        // NotificationHandler.swift sends the notification without its extra.
        let intent = slots.settle(&performed(serde_json::json!({
            "actionId": slot.reply_action_id(),
            "inputValue": "See you at 5",
            "notification": {
                "id": slot.notification_id(),
                "title": "Ben",
                "body": "Is it still available?",
                "sound": "",
                "actionTypeId": slot.action_type_id(),
            },
        })));
        assert_eq!(
            intent,
            Intent::Reply {
                conversation_id: "c-ben".into(),
                text: "See you at 5".into(),
            },
            "the reply goes to the conversation of the notification it was typed on"
        );
    }

    #[test]
    fn m12_a_blank_reply_is_ignored_rather_than_sent() {
        let mut slots = Slots::default();
        let slot = slots.assign(&conversation("c-ana"));
        let intent = slots.settle(&performed(serde_json::json!({
            "actionId": slot.reply_action_id(),
            "inputValue": "  \n",
        })));
        assert_eq!(
            intent,
            Intent::Ignore(Ignored::EmptyReply),
            "whitespace is no message to send"
        );
    }

    #[test]
    fn m12_a_tap_on_ios_opens_the_conversation_of_the_tapped_notification() {
        let mut slots = Slots::default();
        let ana = slots.assign(&conversation("c-ana"));
        slots.assign(&conversation("c-ben"));
        let intent = slots.settle(&performed(serde_json::json!({
            "actionId": "tap",
            "notification": {
                "id": ana.notification_id(),
                "title": "Ana",
                "body": "Hello",
                "sound": "",
                "actionTypeId": ana.action_type_id(),
            },
        })));
        assert_eq!(
            intent,
            Intent::Open(conversation("c-ana")),
            "iOS reports the notification id, which names the slot even with others out"
        );
    }

    #[test]
    fn m12_a_tap_on_android_opens_the_only_conversation_with_a_notification_out() {
        let mut slots = Slots::default();
        slots.assign(&conversation("c-ana"));
        let intent = slots.settle(&performed(serde_json::json!({ "actionId": "tap" })));
        assert_eq!(
            intent,
            Intent::Open(conversation("c-ana")),
            "with a single notification out, the tap can only have been on it"
        );
    }

    #[test]
    fn m12_a_tap_on_android_opens_nothing_while_several_conversations_have_notifications_out() {
        let mut slots = Slots::default();
        slots.assign(&conversation("c-ana"));
        slots.assign(&conversation("c-ben"));
        let intent = slots.settle(&performed(serde_json::json!({ "actionId": "tap" })));
        assert_eq!(
            intent,
            Intent::Ignore(Ignored::UnknownConversation),
            "guessing could open the wrong customer's conversation; the app shows its inbox"
        );
    }

    #[test]
    fn m12_the_conversation_extra_is_trusted_when_the_plugin_reports_it() {
        let mut slots = Slots::default();
        slots.assign(&conversation("c-ana"));
        slots.assign(&conversation("c-ben"));
        let intent = slots.settle(&performed(serde_json::json!({
            "actionId": "tap",
            "notification": { "id": 7, "extra": { "conversationId": "c-ben" } },
        })));
        assert_eq!(
            intent,
            Intent::Open(conversation("c-ben")),
            "the extra names the conversation even when the notification id is not a slot's"
        );
        assert_eq!(
            slots.free().count(),
            SLOT_COUNT - 1,
            "the slot of the conversation named by the extra is freed"
        );
    }

    #[test]
    fn m12_a_dismissal_frees_the_slot_and_opens_nothing() {
        let mut slots = Slots::default();
        let slot = slots.assign(&conversation("c-ana"));
        let intent = slots.settle(&performed(serde_json::json!({
            "actionId": "dismiss",
            "notification": { "id": slot.notification_id() },
        })));
        assert_eq!(
            intent,
            Intent::Ignore(Ignored::Dismissed),
            "dismissing is not opening"
        );
        assert_eq!(
            slots.target(slot),
            None,
            "a dismissed notification holds no slot"
        );
    }

    #[test]
    fn m12_a_reply_from_a_freed_slot_is_not_sent_anywhere() {
        let mut slots = Slots::default();
        let slot = slots.assign(&conversation("c-ana"));
        slots.keep_shown(&shown(&[]));
        let intent = slots.settle(&performed(serde_json::json!({
            "actionId": slot.reply_action_id(),
            "inputValue": "Hello",
        })));
        assert_eq!(
            intent,
            Intent::Ignore(Ignored::UnknownConversation),
            "a slot no conversation holds must not route a reply to a guessed customer"
        );
    }

    #[test]
    fn m12_an_action_the_app_did_not_register_is_ignored() {
        let mut slots = Slots::default();
        slots.assign(&conversation("c-ana"));
        let intent = slots.settle(&performed(serde_json::json!({ "actionId": "archive-9" })));
        assert_eq!(
            intent,
            Intent::Ignore(Ignored::UnknownAction),
            "only taps and the registered reply actions mean something"
        );
    }

    #[test]
    fn m12_a_conversation_keeps_its_slot_so_its_new_notification_replaces_the_old_one() {
        let mut slots = Slots::default();
        let first = slots.assign(&conversation("c-ana"));
        slots.assign(&conversation("c-ben"));
        let second = slots.assign(&conversation("c-ana"));
        assert_eq!(
            first, second,
            "one notification per conversation, like a messaging app"
        );
    }

    #[test]
    fn m12_the_least_recently_notified_conversation_gives_up_its_slot_when_all_are_held() {
        let mut slots = Slots::default();
        let oldest = slots.assign(&conversation("c-0"));
        for n in 1..SLOT_COUNT {
            slots.assign(&conversation(&format!("c-{n}")));
        }
        slots.assign(&conversation("c-0"));
        let taken = slots.assign(&conversation("c-new"));
        assert_ne!(
            taken, oldest,
            "c-0 was notified again, so it is no longer the least recent"
        );
        assert_eq!(
            taken,
            Slot(1),
            "c-1 is now the conversation notified least recently"
        );
        assert_eq!(
            slots.target(taken),
            Some(&conversation("c-new")),
            "the slot now leads to the new conversation"
        );
    }

    #[test]
    fn m12_slots_whose_notification_is_gone_are_freed() {
        let mut slots = Slots::default();
        let ana = slots.assign(&conversation("c-ana"));
        let ben = slots.assign(&conversation("c-ben"));
        slots.keep_shown(&shown(&[ben.notification_id(), 99]));
        assert_eq!(
            slots.target(ana),
            None,
            "Ana's notification was swiped away, so a later tap cannot be hers"
        );
        assert_eq!(
            slots.target(ben),
            Some(&conversation("c-ben")),
            "Ben's notification is still shown"
        );
    }

    #[test]
    fn m12_each_slot_registers_a_reply_action_that_takes_text_and_leads_back_to_the_slot() {
        let types = action_types();
        assert_eq!(types.len(), SLOT_COUNT, "one action type per slot");
        for (slot, action_type) in Slot::all().zip(&types) {
            assert_eq!(
                action_type.id(),
                slot.action_type_id(),
                "the notification of the slot refers to this type"
            );
            assert_eq!(
                action_type.actions().len(),
                1,
                "the notification offers only Reply"
            );
            let reply = &action_type.actions()[0];
            assert!(reply.input(), "the reply action asks for text");
            assert_eq!(
                Slot::from_prefixed(reply.id(), REPLY_ACTION_PREFIX),
                Some(slot),
                "the reported action id names the slot again"
            );
            assert_eq!(
                Slot::from_notification_id(slot.notification_id()),
                Some(slot),
                "the reported notification id names the slot again"
            );
        }
    }

    #[test]
    fn m12_a_tap_on_the_inbox_summary_opens_the_inbox_and_a_reply_to_it_goes_nowhere() {
        let mut slots = Slots::default();
        let inbox = slots.assign(&NotificationTarget::Inbox);
        let intent = slots.settle(&performed(serde_json::json!({ "actionId": "tap" })));
        assert_eq!(
            intent,
            Intent::Open(NotificationTarget::Inbox),
            "the summary of many conversations opens the inbox"
        );
        let reused = slots.assign(&NotificationTarget::Inbox);
        assert_eq!(reused, inbox, "the freed slot is taken again");
        let intent = slots.settle(&performed(serde_json::json!({
            "actionId": reused.reply_action_id(),
            "inputValue": "Hello",
        })));
        assert_eq!(
            intent,
            Intent::Ignore(Ignored::UnknownConversation),
            "a reply needs one conversation to go to"
        );
    }
}
