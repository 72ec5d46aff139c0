//! The loading and load-failed states shared by the panels that fetch a list on demand
//! (templates, quick replies, consent history).

use clienteling_domain::ApiError;
use yew::prelude::*;

/// A spinner with what is loading, inside an element of `class`.
pub fn loading(class: &'static str, label: &'static str) -> Html {
    html! {
        <div class={class} aria-busy="true">
            <span class="spinner" />
            <span class="muted">{ label }</span>
        </div>
    }
}

/// Why `what` could not be loaded, with a "Try again" that bumps `reload`.
pub fn load_failed(what: &str, error: &ApiError, reload: &UseStateHandle<u32>) -> Html {
    let reload = reload.clone();
    let retry = Callback::from(move |_: MouseEvent| reload.set(reload.wrapping_add(1)));
    html! {
        <div class="error-box" data-test="error" role="alert">
            <span>{ format!("{what} could not be loaded: {}", error.message) }</span>
            <button type="button" class="button button--quiet" onclick={retry}>{ "Try again" }</button>
        </div>
    }
}
