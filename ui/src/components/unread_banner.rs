//! The banner shown after signing in when messages wait unread (M12).

use yew::prelude::*;

use crate::hooks::use_store;
use crate::state::{Action, UnreadBanner as BannerState};

/// "You have N unread messages" with the badge's live count, dismissible.
#[component]
pub fn UnreadBanner() -> Html {
    let store = use_store();
    let count = store.inbox.total_unread();
    if store.unread_banner != BannerState::Shown || count == 0 {
        return html! {};
    }
    let dismiss = {
        let dispatch = store.dispatcher();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::BannerDismissed))
    };
    let noun = if count == 1 { "message" } else { "messages" };
    html! {
        <div class="banner" data-test="unread-banner" role="status">
            <span class="banner__dot" aria-hidden="true" />
            <span class="banner__text">{ format!("You have {count} unread {noun}") }</span>
            <button type="button" class="icon-button" aria-label="Dismiss" onclick={dismiss}>{ "×" }</button>
        </div>
    }
}
