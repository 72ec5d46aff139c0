//! The Sign out button and what it may ask (B1): while work waits to be sent, a
//! confirmation that says what would be deleted ("2 messages, 1 note, 1 task"), with the
//! choice to wait until it is sent (signing out then by itself) or to delete it.

use gloo_timers::callback::Interval;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::hooks::use_store;
use crate::state::intents;
use crate::state::sign_out::{SignOutFlow, SignOutStep};

/// How often a sign-out waiting for unsent work counts it again.
const WAIT_POLL_MS: u32 = 1_000;

/// Properties of [`SignOutButton`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct SignOutButtonProps {
    /// Whether waiting for the messages to be sent is offered (not once the session
    /// ended: nothing is sent until someone signs in again).
    pub can_wait: bool,
}

/// The button, the confirmation dialog and the notice of a sign-out waiting for messages.
#[component]
pub fn SignOutButton(props: &SignOutButtonProps) -> Html {
    let store = use_store();
    let flow = use_state(SignOutFlow::default);
    // Moves the flow on, and asks the core to sign out when the step says so.
    let advance = {
        let dispatch = store.dispatcher();
        let flow = flow.clone();
        Callback::from(move |(next, step): (SignOutFlow, SignOutStep)| {
            flow.set(next);
            if let SignOutStep::SignOut { discard_unsent } = step {
                let dispatch = dispatch.clone();
                let flow = flow.clone();
                spawn_local(async move {
                    flow.set(intents::sign_out(dispatch, next, discard_unsent).await);
                });
            }
        })
    };
    {
        let dispatch = store.dispatcher();
        let advance = advance.clone();
        let current = *flow;
        use_effect_with(matches!(current, SignOutFlow::Waiting(_)), move |waiting| {
            let poll = waiting.then(|| {
                Interval::new(WAIT_POLL_MS, move || {
                    let dispatch = dispatch.clone();
                    let advance = advance.clone();
                    spawn_local(async move {
                        if let Some(unsent) = intents::count_unsent(dispatch).await {
                            advance.emit(current.counted(unsent));
                        }
                    });
                })
            });
            move || drop(poll)
        });
    }
    let current = *flow;
    let start = {
        let advance = advance.clone();
        Callback::from(move |_: MouseEvent| advance.emit(current.start()))
    };
    let busy = current == SignOutFlow::Asking;
    html! {
        <>
            <button type="button" class="button button--quiet" data-test="sign-out"
                onclick={start} disabled={busy}>
                { if busy { "Signing out…" } else { "Sign out" } }
            </button>
            { prompt(current, props.can_wait, &advance, &flow) }
        </>
    }
}

/// The confirmation while messages wait, or the notice of a sign-out waiting for them.
fn prompt(
    current: SignOutFlow,
    can_wait: bool,
    advance: &Callback<(SignOutFlow, SignOutStep)>,
    flow: &UseStateHandle<SignOutFlow>,
) -> Html {
    let cancel = {
        let flow = flow.clone();
        Callback::from(move |_: MouseEvent| flow.set(current.cancel()))
    };
    let discard = {
        let advance = advance.clone();
        Callback::from(move |_: MouseEvent| advance.emit(current.discard()))
    };
    match current {
        SignOutFlow::Confirming(count) => {
            let wait = {
                let flow = flow.clone();
                Callback::from(move |_: MouseEvent| flow.set(current.wait()))
            };
            let on_key = {
                let flow = flow.clone();
                Callback::from(move |event: KeyboardEvent| {
                    if event.key() == "Escape" {
                        flow.set(current.cancel());
                    }
                })
            };
            let what = count.phrase();
            let (verb, they, go, them) = if count.total() == 1 {
                ("has", "It", "goes", "it")
            } else {
                ("have", "They", "go", "them")
            };
            let when = if can_wait {
                format!("{they} {go} out as soon as the app reaches the backend; signing out now deletes {them} from this device.")
            } else {
                format!("{they} {go} out once you sign in again as the same person; signing out now deletes {them} from this device.")
            };
            html! {
                <div class="dialog-backdrop" onkeydown={on_key}>
                    <div class="dialog" role="alertdialog" aria-modal="true"
                        aria-labelledby="sign-out-title" aria-describedby="sign-out-text"
                        data-test="sign-out-dialog" data-unsent={count.total().to_string()}>
                        <h2 class="dialog__title" id="sign-out-title">
                            { format!("Sign out with {what} unsent?") }
                        </h2>
                        <p class="dialog__text" id="sign-out-text">
                            { format!("{what} {verb} not been sent yet. {when}") }
                        </p>
                        <div class="dialog__actions">
                            <button type="button" class="button button--quiet" data-test="sign-out-cancel"
                                onclick={cancel} autofocus={!can_wait}>
                                { "Cancel" }
                            </button>
                            <button type="button" class="button button--danger" data-test="sign-out-discard" onclick={discard}>
                                { "Delete and sign out" }
                            </button>
                            if can_wait {
                                <button type="button" class="button button--primary" data-test="sign-out-wait"
                                    onclick={wait} autofocus=true>
                                    { "Wait until sent" }
                                </button>
                            }
                        </div>
                    </div>
                </div>
            }
        }
        SignOutFlow::Waiting(count) => html! {
            <div class="sign-out-wait" role="status" data-test="sign-out-waiting">
                <span>{ format!("Signing out once {} {} sent…", count.phrase(), if count.total() == 1 { "is" } else { "are" }) }</span>
                <button type="button" class="button button--quiet button--small" onclick={discard}>
                    { "Delete and sign out now" }
                </button>
                <button type="button" class="button button--quiet button--small" onclick={cancel}>
                    { "Cancel" }
                </button>
            </div>
        },
        SignOutFlow::Idle | SignOutFlow::Asking => html! {},
    }
}
