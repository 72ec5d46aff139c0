//! The consent history panel (B4): the customer's consent changes and opt-in requests for
//! this store, newest first — when, the state after it, the channel, and what caused it.

use clienteling_domain::consent_audit::{ConsentAction, ConsentEvent};
use clienteling_domain::{Clock, ConsentState, ConversationId};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::clock::{clock_label, BrowserClock};
use crate::components::icon::{Icon, IconKind};
use crate::components::remote_state::{load_failed, loading};
use crate::ipc;
use crate::state::remote::Remote;

/// Props of [`ConsentHistory`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ConsentHistoryProps {
    /// The open conversation.
    pub conversation_id: ConversationId,
    /// Its consent now: the history is listed again when it changes.
    pub consent: ConsentState,
    /// Closes the panel.
    pub on_close: Callback<()>,
}

/// The list of consent events.
#[component]
pub fn ConsentHistory(props: &ConsentHistoryProps) -> Html {
    let events = use_state(Remote::<Vec<ConsentEvent>>::default);
    let reload = use_state(|| 0u32);
    {
        let events = events.clone();
        use_effect_with(
            (props.conversation_id.clone(), props.consent, *reload),
            move |(conversation_id, _, _)| {
                events.set(Remote::Loading);
                let conversation_id = conversation_id.clone();
                spawn_local(async move {
                    events.set(Remote::from_result(
                        ipc::list_consent_events(&conversation_id).await,
                    ));
                });
            },
        );
    }
    let now = BrowserClock.now();
    let body = match &*events {
        Remote::Loading => loading("chat-drawer__state", "Loading the consent history…"),
        Remote::Failed(error) => load_failed("The consent history", error, &reload),
        Remote::Loaded(events) if events.is_empty() => html! {
            <p class="chat-drawer__state muted" data-test="consent-history-empty">{ "No consent changes yet" }</p>
        },
        Remote::Loaded(events) => html! {
            <ol class="consent-events">
                { for events.iter().map(|event| {
                    html! {
                        <li class="consent-event" data-test="consent-event" data-action={event.action.as_str()}
                            data-state={event.state.as_str()} key={event.message_id.to_string()}>
                            <time class="consent-event__time">{ clock_label(event.at, now) }</time>
                            { consent_badge(event.state) }
                            <span class={classes!("tag", format!("tag--{}", event.channel.as_str()))}>{ event.channel.label() }</span>
                            <span class="consent-event__cause">{ cause(event) }</span>
                        </li>
                    }
                }) }
            </ol>
        },
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
    html! {
        <section class="chat-drawer" aria-label="Consent history" onkeydown={on_keydown}>
            <div class="chat-drawer__head">
                <h3 class="chat-drawer__title">{ "Consent history" }</h3>
                <button type="button" class="icon-button" aria-label="Close"
                    onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "×" }</button>
            </div>
            { body }
        </section>
    }
}

/// A consent state in words, opted out led by the broken heart (M3).
pub fn consent_badge(state: ConsentState) -> Html {
    let (class, words) = consent_label(state);
    html! {
        <span class={classes!("consent", class)}>
            if state == ConsentState::OptedOut {
                <Icon kind={IconKind::BrokenHeart} class="consent__icon" />
            }
            { words }
        </span>
    }
}

/// The CSS class and words for a consent state.
fn consent_label(state: ConsentState) -> (&'static str, &'static str) {
    match state {
        ConsentState::OptedIn => ("consent--in", "Opted in"),
        ConsentState::OptedOut => ("consent--out", "Opted out"),
        ConsentState::Unknown => ("consent--unknown", "Consent not given yet"),
    }
}

/// What caused a consent event, in words.
fn cause(event: &ConsentEvent) -> String {
    match (event.action, event.keyword.as_deref()) {
        (ConsentAction::Keyword, Some(keyword)) => format!("Texted “{keyword}”"),
        (ConsentAction::Keyword, None) => "Texted a keyword".to_owned(),
        (ConsentAction::OptInRequest, _) => "Opt-in request sent".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_words_are_plain_text_so_no_emoji_font_is_needed_m3() {
        for state in [
            ConsentState::OptedIn,
            ConsentState::OptedOut,
            ConsentState::Unknown,
        ] {
            let (_, words) = consent_label(state);
            assert!(
                words.chars().all(|c| c.is_alphanumeric() || c == ' '),
                "the heart is drawn as an SVG icon, never as an emoji in the words: {words:?}"
            );
        }
        assert_eq!(
            consent_label(ConsentState::OptedOut),
            ("consent--out", "Opted out"),
            "an opted-out customer reads as opted out, in the danger colour"
        );
    }
}
