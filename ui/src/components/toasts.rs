//! Error toasts: failures the associate should know about (background sync, commands),
//! each dismissible.

use yew::prelude::*;

use crate::hooks::use_store;
use crate::state::Action;

/// The stack of error toasts.
#[component]
pub fn Toasts() -> Html {
    let store = use_store();
    if store.toasts.is_empty() {
        return html! {};
    }
    html! {
        <div class="toasts">
            { for store.toasts.iter().map(|toast| {
                let dispatch = store.dispatcher();
                let id = toast.id;
                let dismiss = Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::ToastDismissed(id)));
                html! {
                    <div class="toast" data-test="error" role="alert" key={id}>
                        <span class="toast__icon" aria-hidden="true">{ "!" }</span>
                        <span class="toast__text">{ toast.error.message.clone() }</span>
                        <button type="button" class="icon-button" aria-label="Dismiss" onclick={dismiss}>
                            { "×" }
                        </button>
                    </div>
                }
            }) }
        </div>
    }
}
