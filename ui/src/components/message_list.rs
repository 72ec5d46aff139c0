//! The chat's messages as bubbles: the customer's on the left, the store's on the right
//! (automated ones set apart), each with its time and, for outbound messages, the delivery
//! status (M10) with the reason and a retry when it failed. Scrolls to the newest.

use clienteling_domain::api::Message;
use clienteling_domain::{Clock, Direction, MessageKind, MessageStatus, Timestamp};
use wasm_bindgen_futures::spawn_local;
use web_sys::Element;
use yew::prelude::*;

use crate::clock::{clock_label, BrowserClock};
use crate::hooks::use_store;
use crate::state::intents;

/// Props of [`MessageList`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct MessageListProps {
    /// The conversation the messages belong to.
    pub conversation_id: AttrValue,
    /// Oldest first.
    pub messages: Vec<Message>,
}

/// The scrolling list of bubbles.
#[component]
pub fn MessageList(props: &MessageListProps) -> Html {
    let store = use_store();
    let scroller = use_node_ref();
    {
        let scroller = scroller.clone();
        let newest = props.messages.last().map(|m| m.id.to_string());
        let deps = (props.conversation_id.clone(), props.messages.len(), newest);
        use_effect_with(deps, move |_| {
            if let Some(element) = scroller.cast::<Element>() {
                element.set_scroll_top(element.scroll_height());
            }
        });
    }
    let now = BrowserClock.now();
    let body = if props.messages.is_empty() {
        html! { <p class="messages__empty muted">{ "No messages yet. Say hello!" }</p> }
    } else {
        html! {
            { for props.messages.iter().map(|message| bubble(message, now, &store.dispatcher())) }
        }
    };
    html! {
        <div class="messages" ref={scroller} role="log" aria-live="polite">
            { body }
        </div>
    }
}

fn bubble(message: &Message, now: Timestamp, dispatch: &intents::Dispatcher) -> Html {
    let direction = message.direction.as_str();
    let system = message.kind == MessageKind::System;
    let failed = message.status == MessageStatus::Failed;
    let status = (message.direction == Direction::Outbound).then(|| {
        let label = match (&message.failure_reason, failed) {
            (Some(reason), true) => format!("{} — {reason}", message.status.label()),
            _ => message.status.label().to_owned(),
        };
        let retry = failed.then(|| {
            let dispatch = dispatch.clone();
            let id = message.id.clone();
            let onclick = Callback::from(move |_: MouseEvent| {
                spawn_local(intents::retry_message(dispatch.clone(), id.clone()));
            });
            html! { <button type="button" class="button button--small" data-test="retry" {onclick}>{ "Retry" }</button> }
        });
        html! {
            <div class="message__footer">
                <span class={classes!("message__status", format!("status--{}", message.status.as_str()))}
                    data-test="message-status">{ label }</span>
                { for retry }
            </div>
        }
    });
    html! {
        <div key={message.id.to_string()}
            class={classes!("message", format!("message--{direction}"), system.then_some("message--system"))}
            data-test="message" data-message-id={message.id.to_string()}
            data-direction={direction} data-status={message.status.as_str()}>
            <div class="bubble">
                if let Some(tag) = kind_tag(message) {
                    <span class="bubble__tag">{ tag }</span>
                }
                <p class="bubble__body" data-test="message-body">{ message.body.clone() }</p>
                <time class="bubble__time">{ clock_label(message.created_at, now) }</time>
            </div>
            { for status }
        </div>
    }
}

/// A small caption for messages that are not plain text from a person.
fn kind_tag(message: &Message) -> Option<&'static str> {
    if message.direction == Direction::Automated {
        return Some("Automated");
    }
    match message.kind {
        MessageKind::Text | MessageKind::System => None,
        MessageKind::Template => Some("Template"),
        MessageKind::Image => Some("Image"),
        MessageKind::ProductLink => Some("Product"),
        MessageKind::Cart => Some("Cart"),
    }
}
