//! Quick replies (M6): a button beside the composer opening the store's snippets, filled
//! for the customer; choosing one hands its text to the composer to edit. Arrow keys move
//! through the list, Escape closes it.

use clienteling_domain::picker::QuickReplyChoice;
use clienteling_domain::ConversationId;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use crate::components::focus::move_focus;
use crate::components::icon::{Icon, IconKind};
use crate::components::remote_state::{load_failed, loading};
use crate::ipc;
use crate::state::remote::Remote;

/// Selector of the items, for keyboard moves.
const ITEM_SELECTOR: &str = "[data-test=quick-reply]";

/// Props of [`QuickReplies`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct QuickRepliesProps {
    /// The open conversation.
    pub conversation_id: ConversationId,
    /// Gets the chosen quick reply's text.
    pub on_choose: Callback<String>,
    /// Whether the button can be used.
    #[prop_or_default]
    pub disabled: bool,
}

/// The quick-reply button and its list.
#[component]
pub fn QuickReplies(props: &QuickRepliesProps) -> Html {
    let open = use_state(|| false);
    let choices = use_state(Remote::<Vec<QuickReplyChoice>>::default);
    let reload = use_state(|| 0u32);
    let refocus = use_state(|| 0u32);
    let button = use_node_ref();
    let menu = use_node_ref();

    {
        let choices = choices.clone();
        use_effect_with(
            (*open, props.conversation_id.clone(), *reload),
            move |(open, conversation_id, _)| {
                if *open {
                    choices.set(Remote::Loading);
                    let conversation_id = conversation_id.clone();
                    spawn_local(async move {
                        let listed = ipc::list_quick_replies(&conversation_id).await;
                        choices.set(Remote::from_result(listed));
                    });
                }
            },
        );
    }
    {
        let button = button.clone();
        use_effect_with(*refocus, move |refocus| {
            if *refocus > 0 {
                if let Some(button) = button.cast::<HtmlElement>() {
                    // A refused focus (the window is in the background) leaves it where it was.
                    let _ = button.focus();
                }
            }
        });
    }
    {
        let menu = menu.clone();
        let loaded = choices.loaded().map(Vec::len);
        use_effect_with((*open, loaded), move |(open, loaded)| {
            if *open && loaded.is_some_and(|n| n > 0) {
                if let Some(menu) = menu.cast::<Element>() {
                    move_focus(&menu, ITEM_SELECTOR, 1);
                }
            }
        });
    }

    let close = {
        let open = open.clone();
        let refocus = refocus.clone();
        Callback::from(move |()| {
            open.set(false);
            refocus.set(refocus.wrapping_add(1));
        })
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let on_keydown = {
        let close = close.clone();
        let menu = menu.clone();
        Callback::from(move |event: KeyboardEvent| {
            let step = match event.key().as_str() {
                "Escape" => {
                    event.prevent_default();
                    event.stop_propagation();
                    close.emit(());
                    return;
                }
                "ArrowDown" => 1,
                "ArrowUp" => -1,
                _ => return,
            };
            event.prevent_default();
            if let Some(menu) = menu.cast::<Element>() {
                move_focus(&menu, ITEM_SELECTOR, step);
            }
        })
    };

    let list = open.then(|| {
        let body = match &*choices {
            Remote::Loading => loading("quick-replies__state", "Loading quick replies…"),
            Remote::Failed(error) => load_failed("Quick replies", error, &reload),
            Remote::Loaded(choices) if choices.is_empty() => html! {
                <p class="quick-replies__state muted">{ "This store has no quick replies yet." }</p>
            },
            Remote::Loaded(choices) => html! {
                { for choices.iter().map(|choice| {
                    let text = choice.text.clone();
                    let on_choose = props.on_choose.clone();
                    let open = open.clone();
                    let onclick = Callback::from(move |_: MouseEvent| {
                        open.set(false);
                        on_choose.emit(text.clone());
                    });
                    html! {
                        <button type="button" class="quick-reply" role="menuitem" data-test="quick-reply"
                            key={choice.quick_reply.id.clone()} {onclick}>
                            <span class="quick-reply__title">{ choice.quick_reply.title.clone() }</span>
                            <span class="quick-reply__text">{ choice.text.clone() }</span>
                        </button>
                    }
                }) }
            },
        };
        html! {
            <div class="quick-replies__menu" role="menu" aria-label="Quick replies" ref={menu.clone()}
                onkeydown={on_keydown.clone()}>
                <div class="quick-replies__head">
                    <span>{ "Quick replies" }</span>
                    <button type="button" class="icon-button" aria-label="Close quick replies"
                        onclick={close.reform(|_: MouseEvent| ())}>{ "×" }</button>
                </div>
                { body }
            </div>
        }
    });

    html! {
        <div class="quick-replies">
            <button type="button" class="button composer__quick" data-test="quick-replies" ref={button}
                aria-haspopup="menu" aria-expanded={open.to_string()} title="Quick replies"
                disabled={props.disabled} onclick={toggle} onkeydown={on_keydown}>
                <span aria-hidden="true"><Icon kind={IconKind::Bolt} /></span>
                <span class="composer__quick-label">{ "Quick replies" }</span>
            </button>
            { for list }
        </div>
    }
}
