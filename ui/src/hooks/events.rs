//! `use_app_events`: subscribes, for the app's lifetime, to the shell's `core-event`s
//! (live messages, conversations, tasks, connection, sign-out, failures, lost events), to
//! `open-conversation` (an activated notification), `open-inbox` (an activated summary of
//! many conversations), `open-customer` and `open-tasks` (due tasks) (B2, B3, M12).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use clienteling_domain::view::AppEvent;
use clienteling_domain::ApiError;
use gloo_timers::callback::Timeout;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::ipc::{self, Listener, OpenConversationRequest, OpenCustomerRequest};
use crate::routes::Route;
use crate::state::intents::{self, Dispatcher};
use crate::state::Action;

/// Changes arriving within this span cause one inbox listing.
const INBOX_REFRESH_DELAY_MS: u32 = 300;

/// Subscribes to the shell's events and dispatches what they say.
#[hook]
pub fn use_app_events(dispatch: Dispatcher) {
    use_effect_with((), move |_| {
        let listeners: Rc<RefCell<Vec<Listener>>> = Rc::default();
        let mounted = Rc::new(Cell::new(true));
        let refresh: Rc<RefCell<Option<Timeout>>> = Rc::default();

        let on_core_event = {
            let dispatch = dispatch.clone();
            let refresh = refresh.clone();
            move |event: Result<AppEvent, ApiError>| {
                handle_core_event(&dispatch, &refresh, event);
            }
        };
        let on_open_inbox = {
            let dispatch = dispatch.clone();
            move |request: Result<(), ApiError>| match request {
                Ok(()) => {
                    dispatch.dispatch(Action::ChatSectionRequested);
                    spawn_local(intents::close_chat(dispatch.clone()));
                }
                Err(error) => dispatch.dispatch(Action::Failed(error)),
            }
        };
        let on_open_conversation = {
            let dispatch = dispatch.clone();
            move |request: Result<OpenConversationRequest, ApiError>| match request {
                Ok(request) => {
                    dispatch.dispatch(Action::ChatSectionRequested);
                    spawn_local(intents::open_chat(
                        dispatch.clone(),
                        request.conversation_id,
                    ));
                }
                Err(error) => dispatch.dispatch(Action::Failed(error)),
            }
        };

        let on_open_customer = {
            let dispatch = dispatch.clone();
            move |request: Result<OpenCustomerRequest, ApiError>| match request {
                Ok(request) => dispatch.dispatch(Action::RouteRequested(Route::Customer {
                    id: request.customer_id.to_string(),
                })),
                Err(error) => dispatch.dispatch(Action::Failed(error)),
            }
        };
        let on_open_tasks = {
            let dispatch = dispatch.clone();
            move |request: Result<(), ApiError>| match request {
                Ok(()) => dispatch.dispatch(Action::RouteRequested(Route::Tasks)),
                Err(error) => dispatch.dispatch(Action::Failed(error)),
            }
        };

        {
            let listeners = listeners.clone();
            let mounted = mounted.clone();
            spawn_local(async move {
                let subscribed = [
                    ipc::listen_core_events(on_core_event).await,
                    ipc::listen_open_conversation(on_open_conversation).await,
                    ipc::listen_open_inbox(on_open_inbox).await,
                    ipc::listen_open_customer(on_open_customer).await,
                    ipc::listen_open_tasks(on_open_tasks).await,
                ];
                for subscription in subscribed {
                    match subscription {
                        Ok(listener) if mounted.get() => listeners.borrow_mut().push(listener),
                        Ok(listener) => drop(listener),
                        Err(error) => dispatch.dispatch(Action::Failed(error)),
                    }
                }
            });
        }

        move || {
            mounted.set(false);
            listeners.borrow_mut().clear();
            refresh.borrow_mut().take();
        }
    });
}

fn handle_core_event(
    dispatch: &Dispatcher,
    refresh: &Rc<RefCell<Option<Timeout>>>,
    event: Result<AppEvent, ApiError>,
) {
    match event {
        Ok(AppEvent::MessageChanged { message }) => {
            dispatch.dispatch(Action::MessageChanged(message));
        }
        Ok(AppEvent::ConversationChanged { conversation }) => {
            dispatch.dispatch(Action::ConversationChanged(conversation));
            let dispatch = dispatch.clone();
            let timer = Timeout::new(INBOX_REFRESH_DELAY_MS, move || {
                dispatch.dispatch(Action::InboxStale);
            });
            refresh.borrow_mut().replace(timer);
        }
        // The messages and their conversations arrive as their own events; the shell
        // notifies.
        Ok(AppEvent::InboundMessages { .. }) => {}
        Ok(AppEvent::CustomerAttributesChanged { .. }) => {
            dispatch.dispatch(Action::CustomerAttributesChanged);
        }
        // A profile reads a customer's orders and wishlist each time it opens.
        Ok(AppEvent::PurchasesChanged { .. }) => {}
        // Anything may have changed meanwhile, the connection included.
        Ok(AppEvent::EventsLost { .. }) => {
            dispatch.dispatch(Action::EventsLost);
            spawn_local(intents::refresh_connection(dispatch.clone()));
        }
        Ok(AppEvent::ConnectionChanged { connection }) => {
            dispatch.dispatch(Action::ConnectionChanged(connection));
        }
        Ok(AppEvent::HistoryProgressed { progress }) => {
            dispatch.dispatch(Action::HistoryProgressed(progress));
        }
        Ok(AppEvent::TasksChanged) => dispatch.dispatch(Action::TasksChanged),
        // The shell notifies; the badge follows the next TasksChanged or reload.
        Ok(AppEvent::TasksDue { .. }) => dispatch.dispatch(Action::TasksChanged),
        Ok(AppEvent::NotesChanged { customer_id }) => {
            dispatch.dispatch(Action::NotesChanged(customer_id));
        }
        Ok(AppEvent::CustomersChanged { customer_ids }) => {
            dispatch.dispatch(Action::CustomersChanged(customer_ids));
        }
        Ok(AppEvent::SignedOut) => dispatch.dispatch(Action::SignedOut),
        Ok(AppEvent::SessionEnded { unsent_messages }) => {
            dispatch.dispatch(Action::SessionEnded { unsent_messages });
        }
        Ok(AppEvent::Failure { error }) | Err(error) => dispatch.dispatch(Action::Failed(error)),
    }
}
