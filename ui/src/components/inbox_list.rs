//! The inbox list (M11): one row per conversation with the customer, channel, last message,
//! age, unread count, opt-out heart and a "window closing" flag; loading and empty states;
//! arrow keys move between rows and Enter opens one.

use clienteling_domain::view::InboxItem;
use clienteling_domain::{ConsentState, Direction, ServiceWindow, Timestamp};
use wasm_bindgen_futures::spawn_local;
use web_sys::Element;
use yew::prelude::*;

use crate::components::avatar::Avatar;
use crate::components::focus::move_focus;
use crate::components::icon::{Icon, IconKind};
use crate::components::list_states;
use crate::hooks::{use_now, use_painted_report, use_store};
use crate::state::intents::{self, Dispatcher};
use crate::state::Action;

/// Relative times and flags are refreshed this often.
const AGE_REFRESH_MS: u32 = 30_000;
/// Selector of the rows, for keyboard moves.
const ROW_SELECTOR: &str = "[data-test=inbox-row]";

/// The list of the chosen inbox.
#[component]
pub fn InboxList() -> Html {
    let store = use_store();
    let now = use_now(AGE_REFRESH_MS);
    let list = use_node_ref();
    use_painted_report(
        (!store.inbox.is_loading() && store.inbox.error.is_none()).then_some("inbox"),
    );

    let on_keydown = {
        let list = list.clone();
        Callback::from(move |event: KeyboardEvent| {
            let step = match event.key().as_str() {
                "ArrowDown" => 1,
                "ArrowUp" => -1,
                _ => return,
            };
            event.prevent_default();
            if let Some(list) = list.cast::<Element>() {
                move_focus(&list, ROW_SELECTOR, step);
            }
        })
    };

    if let Some(error) = &store.inbox.error {
        let dispatch = store.dispatcher();
        let retry = Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::InboxStale));
        let message = format!("The inbox could not be loaded: {}", error.message);
        return list_states::load_failed(html! { <span>{ message }</span> }, retry);
    }
    if store.inbox.is_loading() {
        return list_states::loading_rows("Loading conversations", 5);
    }
    let rows = store.inbox.rows();
    if rows.is_empty() {
        return html! {
            <div class="inbox-state inbox-state--empty">
                <span class="inbox-state__icon" aria-hidden="true"><Icon kind={IconKind::Envelope} /></span>
                <p class="inbox-state__title">{ "No conversations yet" }</p>
                <p class="muted">{ "Conversations active in the last 120 days show here." }</p>
            </div>
        };
    }
    let open = store.chat.requested.clone();
    html! {
        <ul class="inbox-list" ref={list} onkeydown={on_keydown} aria-label="Conversations">
            { for rows.iter().map(|item| {
                let selected = open.as_ref() == Some(&item.conversation.id);
                inbox_row(item, selected, now, &store.dispatcher())
            }) }
        </ul>
    }
}

fn inbox_row(item: &InboxItem, selected: bool, now: Timestamp, dispatch: &Dispatcher) -> Html {
    let conversation = &item.conversation;
    let onclick = {
        let dispatch = dispatch.clone();
        let id = conversation.id.clone();
        Callback::from(move |_: MouseEvent| {
            spawn_local(intents::open_chat(dispatch.clone(), id.clone()))
        })
    };
    let window = ServiceWindow {
        opened_at: conversation.window_opened_at,
    };
    let closing = conversation.channel.has_service_window() && window.is_closing_soon(now);
    let unread = conversation.unread_count;
    let opted_out = conversation.consent == ConsentState::OptedOut;
    let channel = conversation.channel;
    html! {
        <li key={conversation.id.to_string()}>
            <button type="button"
                class={classes!("inbox-row", selected.then_some("inbox-row--selected"), (unread > 0).then_some("inbox-row--unread"))}
                data-test="inbox-row" data-conversation-id={conversation.id.to_string()}
                aria-current={selected.then_some("true")} {onclick}>
                <Avatar name={item.customer_name.clone()} />
                <span class="inbox-row__main">
                    <span class="inbox-row__top">
                        <span class="inbox-row__name" data-test="customer-name">{ item.customer_name.clone() }</span>
                        if opted_out {
                            <span class="inbox-row__heart" title="Opted out" role="img" aria-label="Opted out">
                                <Icon kind={IconKind::BrokenHeart} />
                            </span>
                        }
                        <span class="inbox-row__time">{ conversation.last_activity_at.relative_label(now) }</span>
                    </span>
                    <span class="inbox-row__bottom">
                        <span class={classes!("tag", format!("tag--{}", channel.as_str()))}>{ channel.label() }</span>
                        if closing {
                            <span class="tag tag--warning" title="The WhatsApp window closes within 4 hours">
                                { "Window closing" }
                            </span>
                        }
                        <span class="inbox-row__preview">
                            if conversation.last_message_direction == Direction::Outbound
                                && !conversation.last_message_preview.is_empty() {
                                <span class="inbox-row__you">{ "You: " }</span>
                            }
                            <span data-test="last-message">{ conversation.last_message_preview.clone() }</span>
                        </span>
                        if unread > 0 {
                            <span class="pill" data-test="unread-count" aria-label={format!("{unread} unread")}>
                                { unread }
                            </span>
                        }
                    </span>
                </span>
            </button>
        </li>
    }
}
