//! The sign-in screen: the demo accounts as cards (a click signs in) and a login form.
//! After the backend refused the session's token it asks the same staff member to sign in
//! again, saying how many messages wait to be sent (B1).

use clienteling_domain::api::DemoUser;
use clienteling_domain::message::messages_phrase;
use clienteling_domain::view::SessionView;
use clienteling_domain::ApiError;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::avatar::Avatar;
use crate::components::sign_out::SignOutButton;
use crate::hooks::{use_painted_report, use_store};
use crate::ipc;
use crate::state::{intents, SessionPhase};

/// The demo accounts, as far as they are known.
#[derive(Debug, Clone, PartialEq)]
enum DemoAccounts {
    Loading,
    Loaded(Vec<DemoUser>),
    Failed(ApiError),
}

/// Login and password to sign in with.
#[derive(Debug, Clone, PartialEq)]
struct Credentials {
    login: String,
    password: String,
}

/// Signing in: the demo users, a form, progress and errors.
#[component]
pub fn SignInPage() -> Html {
    let store = use_store();
    let accounts = use_state(|| DemoAccounts::Loading);
    // The form does not wait for the backend; the demo accounts fill their place once it
    // answers (the embedded one may still be seeding its demo data).
    use_painted_report(Some("sign_in"));
    use_painted_report((*accounts != DemoAccounts::Loading).then_some("demo_accounts"));
    let attempt = use_state(|| 0_u32);
    let signing_in = use_state(|| None::<String>);
    let error = use_state(|| None::<ApiError>);
    let ended = match &store.session {
        SessionPhase::Ended {
            session,
            unsent_messages,
        } => Some((session.clone(), *unsent_messages)),
        _ => None,
    };
    let login = {
        let kept = ended
            .as_ref()
            .map(|(session, _)| session.staff.login.clone());
        use_state(move || kept.unwrap_or_default())
    };
    let password = use_state(String::new);

    {
        let accounts = accounts.clone();
        use_effect_with(*attempt, move |_| {
            accounts.set(DemoAccounts::Loading);
            spawn_local(async move {
                accounts.set(match ipc::list_demo_users().await {
                    Ok(users) => DemoAccounts::Loaded(users),
                    Err(error) => DemoAccounts::Failed(error),
                });
            });
        });
    }

    let sign_in = {
        let dispatch = store.dispatcher();
        let signing_in = signing_in.clone();
        let error = error.clone();
        Callback::from(move |credentials: Credentials| {
            if signing_in.is_some() {
                return;
            }
            signing_in.set(Some(credentials.login.clone()));
            error.set(None);
            let dispatch = dispatch.clone();
            let signing_in = signing_in.clone();
            let error = error.clone();
            spawn_local(async move {
                let outcome =
                    intents::sign_in(dispatch, &credentials.login, &credentials.password).await;
                if let Err(failure) = outcome {
                    error.set(Some(failure));
                    signing_in.set(None);
                }
            });
        })
    };

    let on_submit = {
        let sign_in = sign_in.clone();
        let login = login.clone();
        let password = password.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            sign_in.emit(Credentials {
                login: login.trim().to_owned(),
                password: (*password).clone(),
            });
        })
    };
    let on_login = {
        let login = login.clone();
        Callback::from(move |event: InputEvent| {
            login.set(event.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let on_password = {
        let password = password.clone();
        Callback::from(move |event: InputEvent| {
            password.set(event.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let retry = {
        let attempt = attempt.clone();
        Callback::from(move |_: MouseEvent| attempt.set(attempt.wrapping_add(1)))
    };

    let busy = signing_in.is_some();
    let cards = match &*accounts {
        DemoAccounts::Loading => html! {
            <div class="user-grid" aria-busy="true">
                { for (0..4).map(|_| html! { <div class="user-card user-card--placeholder" /> }) }
            </div>
        },
        DemoAccounts::Failed(failure) => html! {
            <div class="error-box" data-test="error" role="alert">
                <span>{ format!("The demo accounts could not be loaded: {failure}") }</span>
                <button type="button" class="button button--quiet" onclick={retry}>
                    { "Try again" }
                </button>
            </div>
        },
        DemoAccounts::Loaded(users) if users.is_empty() => html! {
            <p class="muted">{ "No demo accounts on this backend. Sign in with your account below." }</p>
        },
        DemoAccounts::Loaded(users) => html! {
            <div class="user-grid">
                { for users.iter().map(|user| demo_user_card(user, signing_in.as_deref(), &sign_in)) }
            </div>
        },
    };

    html! {
        <main class="sign-in">
            <section class="sign-in__panel">
                <header class="sign-in__header">
                    <div class="brand brand--large">
                        <span class="brand__mark" aria-hidden="true">{ "C" }</span>
                        <h1 class="brand__name">{ "Clienteling Associate" }</h1>
                    </div>
                    <p class="muted">{ "Stay close to your clients — every conversation in one inbox." }</p>
                </header>

                if let Some((session, unsent)) = &ended {
                    { session_ended(session, *unsent) }
                }

                <h2 class="section-title">{ "Demo accounts" }</h2>
                { cards }

                <div class="divider"><span>{ "or sign in with your account" }</span></div>

                <form class="sign-in__form" onsubmit={on_submit}>
                    <label class="field">
                        <span class="field__label">{ "Email" }</span>
                        <input class="field__input" type="email" name="login" autocomplete="username"
                            value={(*login).clone()} oninput={on_login} disabled={busy} required=true />
                    </label>
                    <label class="field">
                        <span class="field__label">{ "Password" }</span>
                        <input class="field__input" type="password" name="password"
                            autocomplete="current-password" value={(*password).clone()}
                            oninput={on_password} disabled={busy} required=true />
                    </label>
                    <button class="button button--primary" type="submit" disabled={busy}>
                        { if busy { "Signing in…" } else { "Sign in" } }
                    </button>
                </form>

                if let Some(failure) = &*error {
                    <div class="error-box" data-test="error" role="alert">{ failure.message.clone() }</div>
                }
            </section>
        </main>
    }
}

/// Why the associate is asked to sign in again, and what waits on this device.
fn session_ended(session: &SessionView, unsent: u32) -> Html {
    let name = &session.staff.name;
    let waiting = match unsent {
        0 => format!("Sign in again as {name} to carry on."),
        count => format!(
            "{} {} waiting on this device. Sign in again as {name} to send {}; signing in as someone else deletes {}.",
            messages_phrase(count),
            if count == 1 { "is" } else { "are" },
            if count == 1 { "it" } else { "them" },
            if count == 1 { "it" } else { "them" },
        ),
    };
    html! {
        <div class="session-ended" role="status" data-test="session-ended" data-unsent={unsent.to_string()}>
            <h2 class="session-ended__title">{ "Your session has ended" }</h2>
            <span>{ waiting }</span>
            <div class="session-ended__actions">
                <SignOutButton can_wait=false />
            </div>
        </div>
    }
}

fn demo_user_card(
    user: &DemoUser,
    signing_in: Option<&str>,
    sign_in: &Callback<Credentials>,
) -> Html {
    let staff = &user.staff;
    let this_one = signing_in == Some(staff.login.as_str());
    let onclick = {
        let sign_in = sign_in.clone();
        let credentials = Credentials {
            login: staff.login.clone(),
            password: user.password.clone(),
        };
        Callback::from(move |_: MouseEvent| sign_in.emit(credentials.clone()))
    };
    let stores = user.store_names.join(" · ");
    html! {
        <button type="button" class={classes!("user-card", this_one.then_some("user-card--busy"))}
            data-test="demo-user" data-login={staff.login.clone()}
            disabled={signing_in.is_some()} {onclick}>
            <Avatar name={staff.name.clone()} />
            <span class="user-card__text">
                <span class="user-card__name">{ staff.name.clone() }</span>
                <span class="user-card__role">{ staff.role.label() }</span>
                <span class="user-card__stores">{ stores }</span>
            </span>
            if this_one {
                <span class="spinner" aria-label="Signing in" />
            }
        </button>
    }
}
