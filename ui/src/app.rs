//! The root component: holds the state, subscribes to the shell's events, restores a kept
//! session, and shows the screen for the session's phase (sign-in, signing in again after
//! the session ended, or conversations) with error toasts above it; a splash while the engine
//! starts, or why it could not.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::components::toasts::Toasts;
use crate::hooks::{use_app_events, use_painted_report, AppStore};
use crate::pages::sign_in::SignInPage;
use crate::pages::workspace::Workspace;
use crate::state::{intents, AppState, SessionPhase};

/// The whole app.
#[component]
pub fn App() -> Html {
    let store = use_reducer(AppState::default);
    use_app_events(store.dispatcher());
    {
        let dispatch = store.dispatcher();
        use_effect_with((), move |_| spawn_local(intents::restore_session(dispatch)));
    }
    use_painted_report(match &store.session {
        SessionPhase::Unavailable(_) => Some("start_failed"),
        _ => None,
    });

    let screen = match &store.session {
        SessionPhase::Checking => html! {
            <main class="splash" aria-busy="true">
                <div class="brand brand--large">
                    <span class="brand__mark" aria-hidden="true">{ "C" }</span>
                    <span class="brand__name">{ "Clienteling Associate" }</span>
                </div>
                <p class="muted">{ "Opening your inbox…" }</p>
            </main>
        },
        SessionPhase::Unavailable(error) => html! {
            <main class="splash" role="alert">
                <div class="brand brand--large">
                    <span class="brand__mark" aria-hidden="true">{ "C" }</span>
                    <span class="brand__name">{ "Clienteling Associate" }</span>
                </div>
                <p class="splash__error">{ "Clienteling Associate could not start." }</p>
                <p class="muted splash__detail">{ error.message.clone() }</p>
                <p class="muted splash__detail">{ "Quit and open the app again; if this keeps happening, tell your IT contact." }</p>
            </main>
        },
        SessionPhase::SignedOut | SessionPhase::Ended { .. } => html! { <SignInPage /> },
        SessionPhase::SignedIn(_) => html! { <Workspace /> },
    };

    html! {
        <ContextProvider<AppStore> context={store.clone()}>
            { screen }
            <Toasts />
        </ContextProvider<AppStore>>
    }
}
