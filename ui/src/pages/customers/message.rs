//! "Message" on the profile header (C2): opens the customer's latest conversation in the
//! current store, or starts one on a channel the store has and the customer has a contact
//! for (one such channel: at once; several: a choice), online through the core, and opens
//! the new chat, where the consent rules apply (the opt-in request while consent is
//! unknown, M2). Hidden when no channel of the store can reach the customer.

use clienteling_domain::api::{Customer, Store};
use clienteling_domain::channel::reachable_channels;
use clienteling_domain::{Channel, ConversationId};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::ipc;
use crate::routes::Route;

/// Props of [`MessageAction`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct MessageActionProps {
    /// The customer.
    pub customer: Customer,
    /// The current store.
    pub store: Store,
    /// Their latest conversation in the current store, if any.
    pub latest: Option<ConversationId>,
}

/// The channels "Message" can start a conversation on: the store's channels the customer
/// has a contact for, when they are a customer of the store.
fn startable(customer: &Customer, store: &Store) -> Vec<Channel> {
    if !customer.store_ids.contains(&store.id) {
        return Vec::new();
    }
    reachable_channels(
        &store.channels,
        customer.phone.is_some(),
        customer.email.is_some(),
    )
}

/// The "Message" button, with its channel choice and the reason a start was refused.
#[component]
pub fn MessageAction(props: &MessageActionProps) -> Html {
    let navigator = use_navigator();
    let choosing = use_state(|| false);
    let busy = use_state(|| false);
    let refusal = use_state(|| None::<String>);
    let channels = startable(&props.customer, &props.store);
    if props.latest.is_none() && channels.is_empty() {
        return Html::default();
    }
    let start = {
        let navigator = navigator.clone();
        let busy = busy.clone();
        let refusal = refusal.clone();
        let choosing = choosing.clone();
        let customer_id = props.customer.id.clone();
        Callback::from(move |channel: Channel| {
            busy.set(true);
            refusal.set(None);
            let navigator = navigator.clone();
            let busy = busy.clone();
            let refusal = refusal.clone();
            let choosing = choosing.clone();
            let customer_id = customer_id.clone();
            spawn_local(async move {
                match ipc::start_conversation(&customer_id, channel).await {
                    Ok(conversation) => {
                        choosing.set(false);
                        if let Some(navigator) = &navigator {
                            navigator.push(&Route::Conversation {
                                id: conversation.id.to_string(),
                            });
                        }
                    }
                    Err(error) => refusal.set(Some(error.message)),
                }
                busy.set(false);
            });
        })
    };
    let onclick = {
        let latest = props.latest.clone();
        let navigator = navigator.clone();
        let choosing = choosing.clone();
        let start = start.clone();
        let only = (channels.len() == 1).then(|| channels[0]);
        Callback::from(move |_: MouseEvent| match (&latest, only) {
            (Some(id), _) => {
                if let Some(navigator) = &navigator {
                    navigator.push(&Route::Conversation { id: id.to_string() });
                }
            }
            (None, Some(channel)) => start.emit(channel),
            (None, None) => choosing.set(!*choosing),
        })
    };
    html! {
        <span class="profile__message">
            <button type="button" class="button" data-test="profile-message"
                disabled={*busy} {onclick}>{ "Message" }</button>
            if *choosing {
                <span class="profile__channels" role="group" aria-label="Message on">
                    { for channels.iter().map(|channel| {
                        let start = start.clone();
                        let channel = *channel;
                        html! {
                            <button type="button" class={classes!("button", "button--small", format!("tag--{}", channel.as_str()))}
                                data-test="message-channel" data-channel={channel.as_str()}
                                disabled={*busy}
                                onclick={Callback::from(move |_: MouseEvent| start.emit(channel))}>
                                { channel.label() }
                            </button>
                        }
                    }) }
                </span>
            }
            if let Some(reason) = (*refusal).clone() {
                <span class="error" role="alert" data-test="message-refusal">{ reason }</span>
            }
        </span>
    }
}
