//! The opt-in request form (M2), opened from the chat header while the customer's consent
//! is unknown: by SMS the associate's introduction (prefilled, editable) before the
//! START/STOP instructions; on WhatsApp the store's opt-in template as it will be sent.

use clienteling_domain::api::{Conversation, Customer};
use clienteling_domain::opt_in::sms_body;
use clienteling_domain::picker::TemplateChoice;
use clienteling_domain::template::FillContext;
use clienteling_domain::Channel;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::hooks::use_store;
use crate::ipc;
use crate::state::draft::{Draft, DraftAction};
use crate::state::intents;
use crate::state::opt_in::{default_intro, opt_in_template};
use crate::state::remote::Remote;

/// Props of [`OptInRequest`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct OptInRequestProps {
    /// The open conversation (SMS or WhatsApp).
    pub conversation: Conversation,
    /// Its customer.
    pub customer: Customer,
    /// Called once the request was queued, or when the form is closed.
    pub on_close: Callback<()>,
}

/// Writing and sending an opt-in request.
#[component]
pub fn OptInRequest(props: &OptInRequestProps) -> Html {
    let store = use_store();
    let channel = props.conversation.channel;
    let context = {
        let session = store.session();
        FillContext {
            first_name: props.customer.first_name.clone(),
            last_name: props.customer.last_name.clone(),
            associate_name: session.map(|s| s.staff.name.clone()).unwrap_or_default(),
            store_name: session
                .and_then(|s| s.stores.iter().find(|store| store.id == s.current_store_id))
                .map(|store| store.name.clone())
                .unwrap_or_default(),
        }
    };
    let draft = {
        let intro = default_intro(&context);
        use_reducer(move || Draft {
            text: intro,
            ..Draft::default()
        })
    };
    let template = use_state(Remote::<Option<TemplateChoice>>::default);
    let intro_ref = use_node_ref();
    {
        let template = template.clone();
        let intro_ref = intro_ref.clone();
        use_effect_with(
            (props.conversation.id.clone(), channel),
            move |(conversation_id, channel)| {
                if *channel == Channel::Whatsapp {
                    let conversation_id = conversation_id.clone();
                    spawn_local(async move {
                        let listed = ipc::list_templates(&conversation_id).await;
                        template.set(Remote::from_result(
                            listed.map(|choices| opt_in_template(&choices).cloned()),
                        ));
                    });
                } else if let Some(element) = intro_ref.cast::<HtmlTextAreaElement>() {
                    // A refused focus (the window is in the background) leaves it where it was.
                    let _ = element.focus();
                }
            },
        );
    }

    let sms = sms_body(Some(&draft.text), &context.store_name);
    let ready = match channel {
        Channel::Whatsapp => template
            .loaded()
            .and_then(Option::as_ref)
            .is_some_and(|choice| choice.preview.is_some() && choice.problem.is_none()),
        _ => sms.is_ok(),
    };
    let send = {
        let draft = draft.clone();
        let dispatch = store.dispatcher();
        let conversation_id = props.conversation.id.clone();
        let on_close = props.on_close.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if draft.sending || !ready {
                return;
            }
            let intro = (channel != Channel::Whatsapp).then(|| draft.text.trim().to_owned());
            let sent = draft.text.clone();
            draft.dispatch(DraftAction::Sending);
            let draft = draft.clone();
            let dispatch = dispatch.clone();
            let conversation_id = conversation_id.clone();
            let on_close = on_close.clone();
            spawn_local(async move {
                match intents::request_opt_in(dispatch, conversation_id, intro).await {
                    Ok(()) => {
                        draft.dispatch(DraftAction::Sent(sent));
                        on_close.emit(());
                    }
                    Err(error) => draft.dispatch(DraftAction::Failed(error)),
                }
            });
        })
    };
    let on_input = {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| {
            let text = event.target_unchecked_into::<HtmlTextAreaElement>().value();
            draft.dispatch(DraftAction::Edit(text));
        })
    };
    let on_keydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                event.prevent_default();
                on_close.emit(());
            }
        })
    };
    let cancel = props.on_close.reform(|_: MouseEvent| ());

    let body = if channel == Channel::Whatsapp {
        match &*template {
            Remote::Loading => html! {
                <div class="chat-drawer__state" aria-busy="true">
                    <span class="spinner" />
                    <span class="muted">{ "Loading the opt-in template…" }</span>
                </div>
            },
            Remote::Failed(error) => html! {
                <div class="error-box" data-test="error" role="alert">
                    { format!("The opt-in template could not be loaded: {}", error.message) }
                </div>
            },
            Remote::Loaded(None) => html! {
                <div class="error-box" data-test="error" role="alert">
                    { "This store has no WhatsApp opt-in template yet." }
                </div>
            },
            Remote::Loaded(Some(choice)) => {
                let (class, text) = match (&choice.preview, &choice.problem) {
                    (_, Some(problem)) => ("template-preview--problem", problem.clone()),
                    (Some(preview), None) => ("template-preview--ready", preview.clone()),
                    (None, None) => (
                        "template-preview--problem",
                        "The opt-in template has no text.".to_owned(),
                    ),
                };
                html! {
                    <>
                        <p class="chat-drawer__hint muted">{ format!("Sends the “{}” template:", choice.template.name) }</p>
                        <p class={classes!("template-preview", class)} data-test="template-preview">{ text }</p>
                    </>
                }
            }
        }
    } else {
        html! {
            <>
                <label class="field">
                    <span class="field__label">{ "Introduction" }</span>
                    <textarea class="field__input chat-drawer__intro" data-test="opt-in-intro" rows="2"
                        ref={intro_ref} value={draft.text.clone()} oninput={on_input} />
                </label>
                <p class="chat-drawer__hint muted">
                    { match &sms {
                        Ok(body) => format!("Sends: “{body}”"),
                        Err(refused) => format!("To send, {refused}."),
                    } }
                </p>
            </>
        }
    };

    html! {
        <form class="chat-drawer" aria-label="Ask to opt in" onsubmit={send} onkeydown={on_keydown}>
            <div class="chat-drawer__head">
                <h3 class="chat-drawer__title">{ format!("Ask {} to opt in", props.customer.first_name.trim()) }</h3>
                <button type="button" class="icon-button" aria-label="Close" onclick={cancel.clone()}>{ "×" }</button>
            </div>
            { body }
            if let Some(error) = &draft.error {
                <div class="composer__error" data-test="error" role="alert">{ error.clone() }</div>
            }
            <div class="chat-drawer__actions">
                <button type="button" class="button button--quiet" onclick={cancel}>{ "Cancel" }</button>
                <button type="submit" class="button button--primary" data-test="send-opt-in"
                    disabled={draft.sending || !ready}>
                    { if draft.sending { "Sending…" } else { "Send request" } }
                </button>
            </div>
        </form>
    }
}
