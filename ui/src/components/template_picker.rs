//! The template picker (M5): when the WhatsApp window is closed it takes the composer's
//! place — the reason, the channel's templates (reconnect first; those that cannot be sent
//! shown disabled with their status), the picked one's filled preview or problem, and Send.

use clienteling_domain::picker::TemplateChoice;
use clienteling_domain::ConversationId;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::components::icon::{Icon, IconKind};
use crate::components::remote_state::{load_failed, loading};
use crate::hooks::use_store;
use crate::ipc;
use crate::state::intents;
use crate::state::remote::Remote;
use crate::state::templates::{
    purpose_key, status_label, TemplatePicker as PickerState, TemplatePickerAction,
};

/// Props of [`TemplatePicker`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct TemplatePickerProps {
    /// The open conversation.
    pub conversation_id: ConversationId,
    /// Why only templates can be sent.
    pub reason: AttrValue,
}

/// Choosing and sending a template.
#[component]
pub fn TemplatePicker(props: &TemplatePickerProps) -> Html {
    let store = use_store();
    let picker = use_reducer(PickerState::default);
    let reload = use_state(|| 0u32);
    {
        let dispatch = picker.dispatcher();
        use_effect_with(
            (props.conversation_id.clone(), *reload),
            move |(conversation_id, _)| {
                let conversation_id = conversation_id.clone();
                spawn_local(async move {
                    let listed = ipc::list_templates(&conversation_id).await;
                    dispatch.dispatch(TemplatePickerAction::Loaded(listed));
                });
            },
        );
    }

    let send = {
        let picker = picker.clone();
        let dispatch = store.dispatcher();
        let conversation_id = props.conversation_id.clone();
        Callback::from(move |_: MouseEvent| {
            if !picker.can_send() {
                return;
            }
            let Some(template_id) = picker.picked.clone() else {
                return;
            };
            picker.dispatch(TemplatePickerAction::Sending);
            let picker = picker.clone();
            let dispatch = dispatch.clone();
            let conversation_id = conversation_id.clone();
            spawn_local(async move {
                match intents::send_template(dispatch, conversation_id, template_id).await {
                    Ok(()) => picker.dispatch(TemplatePickerAction::Sent),
                    Err(error) => picker.dispatch(TemplatePickerAction::Failed(error)),
                }
            });
        })
    };

    let options = match &picker.choices {
        Remote::Loading => loading("template-picker__loading", "Loading templates…"),
        Remote::Failed(error) => load_failed("Templates", error, &reload),
        Remote::Loaded(choices) if choices.is_empty() => html! {
            <p class="muted template-picker__empty">{ "No templates are approved for this channel yet." }</p>
        },
        Remote::Loaded(choices) => html! {
            <div class="template-options" role="radiogroup" aria-label="Templates">
                { for choices.iter().map(|choice| option(choice, &picker)) }
            </div>
        },
    };

    let preview = picker.picked_choice().map(|choice| {
        let (class, text) = match (&choice.preview, &choice.problem) {
            (_, Some(problem)) => ("template-preview--problem", problem.clone()),
            (Some(preview), None) => ("template-preview--ready", preview.clone()),
            (None, None) => ("template-preview--problem", "This template has no text to send.".to_owned()),
        };
        html! {
            <div class="template-picker__picked">
                <p class={classes!("template-preview", class)} data-test="template-preview">{ text }</p>
                if let Some(error) = &picker.error {
                    <div class="composer__error" data-test="error" role="alert">{ error.clone() }</div>
                }
                <div class="template-picker__actions">
                    <button type="button" class="button button--primary" data-test="send-template"
                        disabled={!picker.can_send()} onclick={send.clone()}>
                        { if picker.sending { "Sending…" } else { "Send template" } }
                    </button>
                </div>
            </div>
        }
    });

    html! {
        <section class="template-picker" data-test="template-picker" aria-label="Send a template">
            <p class="template-picker__reason" role="status">
                <span class="composer-blocked__icon" aria-hidden="true"><Icon kind={IconKind::Hourglass} /></span>
                <span>{ props.reason.clone() }</span>
            </p>
            { options }
            { for preview }
        </section>
    }
}

fn option(choice: &TemplateChoice, picker: &UseReducerHandle<PickerState>) -> Html {
    let template = &choice.template;
    let sendable = template.is_sendable();
    let picked = picker.picked.as_deref() == Some(template.id.as_str());
    let onclick = {
        let picker = picker.dispatcher();
        let id = template.id.clone();
        Callback::from(move |_: MouseEvent| {
            picker.dispatch(TemplatePickerAction::Picked(id.clone()))
        })
    };
    html! {
        <button type="button" key={template.id.clone()} role="radio" aria-checked={picked.to_string()}
            class={classes!("template-option", picked.then_some("template-option--picked"))}
            data-test="template-option" data-template-id={template.id.clone()}
            data-purpose={purpose_key(template)} disabled={!sendable || picker.sending} {onclick}>
            <span class="template-option__name">{ template.name.clone() }</span>
            <span class={classes!("template-option__status", (!sendable).then_some("template-option__status--blocked"))}>
                { status_label(template.status) }
            </span>
        </button>
    }
}
