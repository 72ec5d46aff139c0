//! The composer: a textarea and Send (Enter sends, Shift+Enter breaks the line), with quick
//! replies to insert (M6). Replaced by the reason when the customer opted out (M3), and by
//! the template picker when the WhatsApp window is closed (M5). A failed send keeps the
//! text and shows why. A product shared from a profile starts it with the product's link.

use clienteling_domain::api::{Conversation, Customer};
use clienteling_domain::message::{validate_body, BodyError};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;
use yew_router::hooks::use_location;

use crate::components::icon::{Icon, IconKind};
use crate::components::quick_replies::QuickReplies;
use crate::components::template_picker::TemplatePicker;
use crate::hooks::{use_now, use_store};
use crate::state::chat::{composer_block, ComposerBlock};
use crate::state::draft::{Draft, DraftAction};
use crate::state::intents;
use crate::state::share::SharedDraft;
use crate::state::snippet::insert_snippet;

/// Props of [`Composer`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ComposerProps {
    /// The open conversation.
    pub conversation: Conversation,
    /// Its customer.
    pub customer: Customer,
    /// Changes whenever the composer should take the focus.
    pub focus: u32,
}

/// Writing and sending a message.
#[component]
pub fn Composer(props: &ComposerProps) -> Html {
    let store = use_store();
    let draft = use_reducer(Draft::default);
    let now = use_now(1_000);
    let textarea = use_node_ref();
    let block = composer_block(&props.conversation, &props.customer, now);
    // A product shared from the customer's profile arrives as the route's draft (C7, C8).
    let shared = use_location()
        .and_then(|location| location.query::<SharedDraft>().ok())
        .and_then(|query| query.draft);
    {
        let draft = draft.clone();
        use_effect_with(
            (props.conversation.id.clone(), shared),
            move |(_, shared)| {
                if let Some(text) = shared {
                    draft.dispatch(DraftAction::Edit(text.clone()));
                }
            },
        );
    }

    {
        let textarea = textarea.clone();
        use_effect_with((props.focus, block.is_none()), move |_| focus(&textarea));
    }

    let submit = {
        let draft = draft.clone();
        let dispatch = store.dispatcher();
        let conversation_id = props.conversation.id.clone();
        let channel = props.conversation.channel;
        let textarea = textarea.clone();
        Callback::from(move |_: ()| {
            if draft.sending {
                return;
            }
            let body = match validate_body(&draft.text, channel) {
                Ok(body) => body,
                Err(BodyError::Empty) => return,
                Err(refused) => {
                    draft.dispatch(DraftAction::Rejected(refused.to_string()));
                    return;
                }
            };
            let sent = draft.text.clone();
            draft.dispatch(DraftAction::Sending);
            let draft = draft.clone();
            let dispatch = dispatch.clone();
            let conversation_id = conversation_id.clone();
            let textarea = textarea.clone();
            spawn_local(async move {
                match intents::send_message(dispatch, conversation_id, body).await {
                    Ok(()) => draft.dispatch(DraftAction::Sent(sent)),
                    Err(error) => draft.dispatch(DraftAction::Failed(error)),
                }
                focus(&textarea);
            });
        })
    };

    match block {
        Some(block @ ComposerBlock::OptedOut { .. }) => {
            return html! {
                <div class="composer-blocked" data-test="composer-blocked" role="status">
                    <span class="composer-blocked__icon" aria-hidden="true"><Icon kind={IconKind::BrokenHeart} /></span>
                    <span>{ block.to_string() }</span>
                </div>
            };
        }
        Some(block @ ComposerBlock::WindowClosed) => {
            return html! {
                <TemplatePicker conversation_id={props.conversation.id.clone()}
                    reason={AttrValue::from(block.to_string())} />
            };
        }
        None => {}
    }

    let on_input = {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| {
            let text = event.target_unchecked_into::<HtmlTextAreaElement>().value();
            draft.dispatch(DraftAction::Edit(text));
        })
    };
    let on_keydown = {
        let submit = submit.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" && !event.shift_key() && !event.is_composing() {
                event.prevent_default();
                submit.emit(());
            }
        })
    };
    let on_quick_reply = {
        let draft = draft.clone();
        let textarea = textarea.clone();
        Callback::from(move |snippet: String| {
            let element = textarea.cast::<HtmlTextAreaElement>();
            let selection = element.as_ref().and_then(|element| {
                let start = element.selection_start().ok().flatten()?;
                let end = element.selection_end().ok().flatten()?;
                Some((start, end))
            });
            let current = element
                .as_ref()
                .map_or_else(|| draft.text.clone(), |e| e.value());
            let (text, caret) = insert_snippet(&current, selection, &snippet);
            if let Some(element) = &element {
                element.set_value(&text);
                // The caret lands after the snippet; a refusal leaves it at the end.
                let _ = element.set_selection_range(caret, caret);
            }
            draft.dispatch(DraftAction::Edit(text));
            focus(&textarea);
        })
    };
    let on_submit = Callback::from(move |event: SubmitEvent| {
        event.prevent_default();
        submit.emit(());
    });
    let first_name = props.customer.first_name.trim();
    let placeholder = if first_name.is_empty() {
        "Write a message…".to_owned()
    } else {
        format!("Write to {first_name}…")
    };

    html! {
        <div class="composer-area">
            if let Some(error) = &draft.error {
                <div class="composer__error" data-test="error" role="alert">{ error.clone() }</div>
            }
            <form class="composer" onsubmit={on_submit}>
                <QuickReplies conversation_id={props.conversation.id.clone()} on_choose={on_quick_reply}
                    disabled={draft.sending} />
                <textarea class="composer__input" data-test="composer" ref={textarea} rows="2"
                    aria-label="Message" {placeholder} value={draft.text.clone()}
                    oninput={on_input} onkeydown={on_keydown} />
                <button type="submit" class="button button--primary composer__send" data-test="send"
                    disabled={draft.sending}>
                    { if draft.sending { "Sending…" } else { "Send" } }
                </button>
            </form>
        </div>
    }
}

/// Puts the caret in the composer, when it is shown.
fn focus(textarea: &NodeRef) {
    if let Some(element) = textarea.cast::<HtmlTextAreaElement>() {
        // A refused focus (the window is in the background) leaves it where it was.
        let _ = element.focus();
    }
}
