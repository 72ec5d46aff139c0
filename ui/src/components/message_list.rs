//! The chat's messages as bubbles: the customer's on the left, the store's on the right
//! (automated ones set apart), each with its time and, for outbound messages, the delivery
//! status (M10) with the reason and a retry when it failed. Opens at the newest; scrolling
//! near the top reads the older page (a spinner meanwhile, the error and a Retry if it
//! fails) and keeps the message the associate was looking at in place; a new message
//! scrolls into view only at the bottom, otherwise an "N new messages" pill jumps there.

use std::cell::RefCell;
use std::rc::Rc;

use clienteling_domain::api::Message;
use clienteling_domain::{Clock, ConversationId, Direction, MessageKind, MessageStatus, Timestamp};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use crate::clock::{clock_label, BrowserClock};
use crate::hooks::use_store;
use crate::state::chat::{History, OlderPage};
use crate::state::{intents, Action};

/// Pixels from the bottom that still count as being at the bottom.
const BOTTOM_SLACK: i32 = 48;
/// Pixels from the top at which the older page is read.
const TOP_SLACK: i32 = 240;

/// Props of [`MessageList`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct MessageListProps {
    /// The conversation the messages belong to.
    pub conversation_id: AttrValue,
    /// The part of the history held, oldest first.
    pub messages: Vec<Message>,
    /// The associate's place in the history.
    pub history: History,
}

/// The message kept in place while a page is prepended: its id and its distance from the
/// top of the visible area.
type Anchor = Option<(String, i32)>;

/// The scrolling list of bubbles.
#[component]
pub fn MessageList(props: &MessageListProps) -> Html {
    let store = use_store();
    let scroller = use_node_ref();
    let anchor: Rc<RefCell<Anchor>> = use_mut_ref(|| None);
    {
        // On opening, and whenever the state asks for the newest message.
        let scroller = scroller.clone();
        let deps = (props.conversation_id.clone(), props.history.to_bottom);
        use_effect_with(deps, move |_| {
            if let Some(element) = scroller.cast::<Element>() {
                element.set_scroll_top(element.scroll_height());
            }
        });
    }
    {
        // After a page was prepended, the anchor message goes back to where it was.
        let scroller = scroller.clone();
        let anchor = Rc::clone(&anchor);
        let first = props.messages.first().map(|m| m.id.to_string());
        use_effect_with(first, move |first| {
            if let Some(element) = scroller.cast::<Element>() {
                let kept = anchor.borrow().clone();
                if let Some((id, distance)) = kept.filter(|(id, _)| Some(id) != first.as_ref()) {
                    if let Some(top) = offset_of(&element, &id) {
                        element.set_scroll_top(top - distance);
                    }
                }
                *anchor.borrow_mut() = first_anchor(&element, first.as_deref());
            }
        });
    }
    let onscroll = {
        let dispatch = store.dispatcher();
        let scroller = scroller.clone();
        let at_bottom_before = props.history.at_bottom;
        let older = store
            .chat
            .older_wanted()
            .map(|(conversation, before)| (conversation.clone(), before.clone()));
        let first = props.messages.first().map(|m| m.id.to_string());
        Callback::from(move |_: Event| {
            let Some(element) = scroller.cast::<Element>() else {
                return;
            };
            *anchor.borrow_mut() = first_anchor(&element, first.as_deref());
            let top = element.scroll_top();
            let at_bottom = element.scroll_height() - top - element.client_height() <= BOTTOM_SLACK;
            if at_bottom != at_bottom_before {
                dispatch.dispatch(Action::ChatScrolled { at_bottom });
            }
            if top <= TOP_SLACK {
                if let Some((conversation, before)) = older.clone() {
                    spawn_local(intents::load_older(dispatch.clone(), conversation, before));
                }
            }
        })
    };
    let now = BrowserClock.now();
    let body = if props.messages.is_empty() {
        html! { <p class="messages__empty muted">{ "No messages yet. Say hello!" }</p> }
    } else {
        html! {
            { for props.messages.iter().map(|message| bubble(message, now, &store.dispatcher())) }
        }
    };
    let conversation_id = ConversationId::from(props.conversation_id.to_string());
    let older = older_notice(
        &props.history.older,
        &store.dispatcher(),
        &conversation_id,
        props.messages.first(),
    );
    let pill = pill(&props.history, &store.dispatcher(), &conversation_id);
    html! {
        <div class="messages-pane">
            <div class="messages" ref={scroller} role="log" aria-live="polite" data-test="messages" {onscroll}>
                { body }
            </div>
            { older }
            { pill }
        </div>
    }
}

/// Where the message `id` starts, measured from the top of the list's content.
fn offset_of(scroller: &Element, id: &str) -> Option<i32> {
    let selector = format!("[data-message-id=\"{id}\"]");
    let found = scroller.query_selector(&selector).ok().flatten()?;
    found
        .dyn_into::<HtmlElement>()
        .ok()
        .map(|bubble| bubble.offset_top())
}

/// The first message's distance from the top of the visible area.
fn first_anchor(scroller: &Element, first: Option<&str>) -> Anchor {
    let id = first?;
    offset_of(scroller, id).map(|top| (id.to_owned(), top - scroller.scroll_top()))
}

/// The spinner while the older page is read, or the error with a Retry, over the top of
/// the list (so it moves no bubble).
fn older_notice(
    older: &OlderPage,
    dispatch: &intents::Dispatcher,
    conversation_id: &ConversationId,
    first: Option<&Message>,
) -> Html {
    match older {
        OlderPage::Idle => Html::default(),
        OlderPage::Loading(_) => html! {
            <div class="messages__older" data-test="older-loading" aria-busy="true">
                <span class="spinner" aria-hidden="true" />
                { "Loading earlier messages…" }
            </div>
        },
        OlderPage::Failed(error) => {
            let dispatch = dispatch.clone();
            let conversation_id = conversation_id.clone();
            let before = first.map(|m| m.id.clone());
            let onclick = Callback::from(move |_: MouseEvent| {
                dispatch.dispatch(Action::OlderRetried);
                if let Some(before) = before.clone() {
                    spawn_local(intents::load_older(
                        dispatch.clone(),
                        conversation_id.clone(),
                        before,
                    ));
                }
            });
            html! {
                <div class="messages__older messages__older--failed" data-test="older-failed" role="alert">
                    <span>{ format!("Earlier messages could not be loaded: {}", error.message) }</span>
                    <button type="button" class="button button--small" data-test="older-retry" {onclick}>{ "Retry" }</button>
                </div>
            }
        }
    }
}

/// The "N new messages" pill while the associate is scrolled up and new ones arrived, or
/// the way back to the newest messages after they were let go.
fn pill(
    history: &History,
    dispatch: &intents::Dispatcher,
    conversation_id: &ConversationId,
) -> Html {
    if history.at_bottom && !history.has_newer {
        return Html::default();
    }
    let label = match (history.unseen, history.has_newer) {
        (0, false) => return Html::default(),
        (0, true) => "Newest messages".to_owned(),
        (1, _) => "1 new message".to_owned(),
        (n, _) => format!("{n} new messages"),
    };
    let dispatch = dispatch.clone();
    let conversation_id = conversation_id.clone();
    let has_newer = history.has_newer;
    let onclick = Callback::from(move |_: MouseEvent| {
        if has_newer {
            spawn_local(intents::jump_to_latest(
                dispatch.clone(),
                conversation_id.clone(),
            ));
        } else {
            dispatch.dispatch(Action::JumpedToBottom);
        }
    });
    html! {
        <button type="button" class="messages__pill" data-test="new-messages-pill" {onclick}>{ label }</button>
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
