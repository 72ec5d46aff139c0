//! The states a list shows before or instead of its rows, alike in the inbox, the
//! clientbook and the tasks: placeholder rows while it loads, and why it could not load
//! with a way to try again.

use yew::prelude::*;

/// `rows` placeholder rows of a list still loading, announced as `label`.
pub fn loading_rows(label: &'static str, rows: usize) -> Html {
    html! {
        <ul class="inbox-list" aria-busy="true" aria-label={label}>
            { for (0..rows).map(|_| html! {
                <li class="inbox-skeleton">
                    <span class="avatar avatar--placeholder" />
                    <span class="inbox-skeleton__lines"><span /><span /></span>
                </li>
            }) }
        </ul>
    }
}

/// Why the list could not load (`message`, already worded) and "Try again".
pub fn load_failed(message: Html, retry: Callback<MouseEvent>) -> Html {
    html! {
        <div class="inbox-state">
            <div class="error-box" data-test="error" role="alert">
                { message }
                <button type="button" class="button button--quiet" onclick={retry}>{ "Try again" }</button>
            </div>
        </div>
    }
}
