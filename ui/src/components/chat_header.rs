//! The chat's header: back to the list (phones), the customer, channel and consent, and
//! for WhatsApp the live countdown of the 24-hour window (M5).

use clienteling_domain::api::{Conversation, Customer};
use clienteling_domain::{ConsentState, ServiceWindow, Timestamp};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::components::avatar::Avatar;
use crate::hooks::{use_now, use_store};
use crate::state::intents;

/// Props of [`ChatHeader`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ChatHeaderProps {
    /// The open conversation.
    pub conversation: Conversation,
    /// Its customer.
    pub customer: Customer,
}

/// Who the chat is with, on which channel, with which consent.
#[component]
pub fn ChatHeader(props: &ChatHeaderProps) -> Html {
    let store = use_store();
    let back = {
        let dispatch = store.dispatcher();
        Callback::from(move |_: MouseEvent| spawn_local(intents::close_chat(dispatch.clone())))
    };
    let conversation = &props.conversation;
    let name = props.customer.full_name();
    let channel = conversation.channel;
    let (consent_class, consent_label) = match conversation.consent {
        ConsentState::OptedIn => ("consent--in", "Opted in"),
        ConsentState::OptedOut => ("consent--out", "💔 Opted out"),
        ConsentState::Unknown => ("consent--unknown", "Consent not given yet"),
    };
    html! {
        <header class="chat-header">
            <button type="button" class="icon-button chat-header__back" aria-label="Back to the inbox" onclick={back}>
                { "‹" }
            </button>
            <Avatar name={name.clone()} />
            <div class="chat-header__who">
                <h2 class="chat-header__name">{ name }</h2>
                <div class="chat-header__meta">
                    <span class={classes!("tag", format!("tag--{}", channel.as_str()))}>{ channel.label() }</span>
                    <span class={classes!("consent", consent_class)}>{ consent_label }</span>
                </div>
            </div>
            if channel.has_service_window() {
                <WindowCountdown opened_at={conversation.window_opened_at} />
            }
        </header>
    }
}

/// Props of [`WindowCountdown`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct WindowCountdownProps {
    /// The latest event that opened the window.
    pub opened_at: Option<Timestamp>,
}

/// The time left in the WhatsApp window, updated every second, warning in its last hour.
#[component]
pub fn WindowCountdown(props: &WindowCountdownProps) -> Html {
    let now = use_now(1_000);
    let window = ServiceWindow {
        opened_at: props.opened_at,
    };
    let state = if !window.is_open(now) {
        "countdown--closed"
    } else if window.is_warning(now) {
        "countdown--warning"
    } else {
        "countdown--open"
    };
    html! {
        <div class={classes!("countdown", state)} title="WhatsApp 24-hour service window">
            <span class="countdown__caption">{ "WhatsApp window" }</span>
            <span class="countdown__value" data-test="window-countdown">{ window.countdown_label(now) }</span>
        </div>
    }
}
