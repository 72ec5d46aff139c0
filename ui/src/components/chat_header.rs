//! The chat's header: back to the list (phones), the customer (a link to their profile),
//! channel and consent, for WhatsApp the live countdown of the 24-hour window (M5), and the
//! actions — ask to opt in while consent is unknown (M2), "Remind me" (B3) and the consent
//! history (B4) — each opening a drawer under the header.

use clienteling_domain::api::{Conversation, Customer};
use clienteling_domain::opt_in::check_channel;
use clienteling_domain::{ConsentState, ServiceWindow, Timestamp};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::avatar::Avatar;
use crate::components::consent_history::{consent_badge, ConsentHistory};
use crate::components::icon::{Icon, IconKind};
use crate::components::opt_in_request::OptInRequest;
use crate::components::reminder_form::ReminderForm;
use crate::hooks::{use_now, use_store};
use crate::routes::Route;
use crate::state::intents;

/// Props of [`ChatHeader`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ChatHeaderProps {
    /// The open conversation.
    pub conversation: Conversation,
    /// Its customer.
    pub customer: Customer,
}

/// The drawer open under the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Drawer {
    /// None.
    Closed,
    /// The opt-in request form (M2).
    OptIn,
    /// The consent history (B4).
    History,
    /// "Remind me" (B3).
    Remind,
}

/// Who the chat is with, on which channel, with which consent.
#[component]
pub fn ChatHeader(props: &ChatHeaderProps) -> Html {
    let store = use_store();
    let drawer = use_state(|| Drawer::Closed);
    let toggle = |which: Drawer| {
        let drawer = drawer.clone();
        Callback::from(move |_: MouseEvent| {
            drawer.set(if *drawer == which {
                Drawer::Closed
            } else {
                which
            });
        })
    };
    let close = {
        let drawer = drawer.clone();
        Callback::from(move |()| drawer.set(Drawer::Closed))
    };
    let back = {
        let dispatch = store.dispatcher();
        Callback::from(move |_: MouseEvent| spawn_local(intents::close_chat(dispatch.clone())))
    };
    let conversation = &props.conversation;
    let name = props.customer.full_name();
    let channel = conversation.channel;
    let can_ask = conversation.consent == ConsentState::Unknown && check_channel(channel).is_ok();
    let shown = match *drawer {
        Drawer::OptIn if !can_ask => Drawer::Closed,
        other => other,
    };
    let drawer_html = match shown {
        Drawer::Closed => html! {},
        Drawer::OptIn => html! {
            <OptInRequest conversation={conversation.clone()} customer={props.customer.clone()}
                on_close={close.clone()} />
        },
        Drawer::Remind => html! {
            <ReminderForm customer_id={props.customer.id.clone()} first_name={props.customer.first_name.clone()}
                conversation_id={Some(conversation.id.clone())} on_close={close.reform(|_: Option<String>| ())} />
        },
        Drawer::History => html! {
            <ConsentHistory conversation_id={conversation.id.clone()} consent={conversation.consent}
                on_close={close.clone()} />
        },
    };
    html! {
        <>
        <header class="chat-header">
            <button type="button" class="icon-button chat-header__back" aria-label="Back to the inbox" onclick={back}>
                { "‹" }
            </button>
            <Avatar name={name.clone()} />
            <div class="chat-header__who">
                <h2 class="chat-header__name">
                    <Link<Route> to={Route::Customer { id: props.customer.id.to_string() }}
                        classes="chat-header__profile-link">
                        <span data-test="chat-profile-link">{ name }</span>
                    </Link<Route>>
                </h2>
                <div class="chat-header__meta">
                    <span class={classes!("tag", format!("tag--{}", channel.as_str()))}>{ channel.label() }</span>
                    { consent_badge(conversation.consent) }
                </div>
            </div>
            if channel.has_service_window() {
                <WindowCountdown opened_at={conversation.window_opened_at} />
            }
            <div class="chat-header__actions">
                if can_ask {
                    <button type="button" data-test="request-opt-in" onclick={toggle(Drawer::OptIn)}
                        class={classes!("button", "button--small", (shown == Drawer::OptIn).then_some("button--active"))}
                        aria-expanded={(shown == Drawer::OptIn).to_string()} title="Ask to opt in">
                        <span aria-hidden="true"><Icon kind={IconKind::Envelope} /></span>
                        <span class="chat-header__action-label">{ "Ask to opt in" }</span>
                    </button>
                }
                <button type="button" data-test="remind-me" onclick={toggle(Drawer::Remind)}
                    class={classes!("button", "button--small", (shown == Drawer::Remind).then_some("button--active"))}
                    aria-expanded={(shown == Drawer::Remind).to_string()} title="Remind me">
                    <span aria-hidden="true"><Icon kind={IconKind::Bell} /></span>
                    <span class="chat-header__action-label">{ "Remind me" }</span>
                </button>
                <button type="button" data-test="consent-history" onclick={toggle(Drawer::History)}
                    class={classes!("button", "button--small", (shown == Drawer::History).then_some("button--active"))}
                    aria-expanded={(shown == Drawer::History).to_string()} title="Consent history">
                    <span aria-hidden="true"><Icon kind={IconKind::Clock} /></span>
                    <span class="chat-header__action-label">{ "Consent history" }</span>
                </button>
            </div>
        </header>
        { drawer_html }
        </>
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
