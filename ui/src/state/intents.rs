//! Intents: what the associate (or a notification) asks for, carried out over IPC, with
//! the outcome dispatched to the state. Errors become toasts; none is dropped.

use clienteling_domain::inbox::InboxScope;
use clienteling_domain::unsent::UnsentWork;
use clienteling_domain::{ApiError, ConversationId, ErrorCode, MessageId, StoreId};
use yew::UseReducerDispatcher;

use crate::ipc;
use crate::state::sign_out::SignOutFlow;
use crate::state::{Action, AppState};

/// Sends actions to the app's state.
pub type Dispatcher = UseReducerDispatcher<AppState>;

/// At start: waits for the engine (started in the background), then shows the kept
/// session's inbox, the session-ended screen with the count of messages waiting (B1), or
/// the sign-in screen; when the engine could not start, the splash shows why.
pub async fn restore_session(dispatch: Dispatcher) {
    if let Err(error) = ipc::wait_for_core().await {
        dispatch.dispatch(Action::StartFailed(error));
        return;
    }
    match ipc::get_session().await {
        Ok(Some(session)) if session.ended => {
            dispatch.dispatch(Action::SessionChecked(Some(session)));
            match ipc::count_unsent_messages().await {
                Ok(unsent_messages) => dispatch.dispatch(Action::SessionEnded { unsent_messages }),
                Err(error) => dispatch.dispatch(Action::Failed(error)),
            }
        }
        Ok(session) => {
            let signed_in = session.is_some();
            dispatch.dispatch(Action::SessionChecked(session));
            if signed_in {
                refresh_connection(dispatch).await;
            }
        }
        Err(error) => {
            dispatch.dispatch(Action::SessionChecked(None));
            dispatch.dispatch(Action::Failed(error));
        }
    }
}

/// Signs in; the error is returned for the sign-in screen to show.
pub async fn sign_in(dispatch: Dispatcher, login: &str, password: &str) -> Result<(), ApiError> {
    let session = ipc::sign_in(login, password).await?;
    dispatch.dispatch(Action::SignedIn(session));
    refresh_connection(dispatch).await;
    Ok(())
}

/// Signs out, discarding unsent messages only with `discard_unsent`; answers how the flow
/// goes on: a refusal because messages wait asks the associate to choose (B1).
pub async fn sign_out(
    dispatch: Dispatcher,
    flow: SignOutFlow,
    discard_unsent: bool,
) -> SignOutFlow {
    match ipc::sign_out(discard_unsent).await {
        Ok(()) => {
            crate::routes::back_to_start();
            dispatch.dispatch(Action::SignedOut);
            SignOutFlow::Idle
        }
        Err(error) if error.code == ErrorCode::UnsentMessages => {
            match count_unsent(dispatch).await {
                Some(unsent) => flow.refused(unsent),
                None => SignOutFlow::Idle,
            }
        }
        Err(error) => {
            dispatch.dispatch(Action::Failed(error));
            SignOutFlow::Idle
        }
    }
}

/// What still waits to be sent, for a sign-out waiting on it.
pub async fn count_unsent(dispatch: Dispatcher) -> Option<UnsentWork> {
    match ipc::count_unsent_work().await {
        Ok(count) => Some(count),
        Err(error) => {
            dispatch.dispatch(Action::Failed(error));
            None
        }
    }
}

/// Shows another of the associate's stores.
pub async fn switch_store(dispatch: Dispatcher, store_id: StoreId) {
    if let Err(error) = ipc::close_conversation().await {
        dispatch.dispatch(Action::Failed(error));
    }
    match ipc::switch_store(&store_id).await {
        Ok(session) => dispatch.dispatch(Action::StoreSwitched(session)),
        Err(error) => dispatch.dispatch(Action::Failed(error)),
    }
}

/// Lists an inbox.
pub async fn load_inbox(dispatch: Dispatcher, scope: InboxScope) {
    match ipc::list_inbox(scope).await {
        Ok(page) => dispatch.dispatch(Action::InboxLoaded(page)),
        Err(error) => dispatch.dispatch(Action::InboxFailed { scope, error }),
    }
}

/// Opens a conversation (marking it read) with the composer focused.
pub async fn open_chat(dispatch: Dispatcher, conversation_id: ConversationId) {
    dispatch.dispatch(Action::ChatRequested(conversation_id.clone()));
    match ipc::open_conversation(&conversation_id).await {
        Ok(view) => dispatch.dispatch(Action::ChatLoaded(view)),
        Err(error) => dispatch.dispatch(Action::ChatFailed {
            conversation_id,
            error,
        }),
    }
}

/// Reloads the open chat from the local copy after events were lost (B2); the composer
/// keeps its focus.
pub async fn reload_chat(dispatch: Dispatcher, conversation_id: ConversationId) {
    match ipc::open_conversation(&conversation_id).await {
        Ok(view) => dispatch.dispatch(Action::ChatReloaded(view)),
        Err(error) => dispatch.dispatch(Action::Failed(error)),
    }
}

/// Reads the open chat's customer again after the core reported a change of them (B7).
pub async fn read_chat_customer(dispatch: Dispatcher, conversation_id: ConversationId) {
    match ipc::show_chat_customer(&conversation_id).await {
        Ok(read) => dispatch.dispatch(Action::ChatCustomerLoaded(read)),
        Err(error) => dispatch.dispatch(Action::Failed(error)),
    }
}

/// Reads the page of the open chat before `before`, its oldest message shown (the
/// associate scrolled near the top).
pub async fn load_older(dispatch: Dispatcher, conversation_id: ConversationId, before: MessageId) {
    dispatch.dispatch(Action::OlderRequested(before.clone()));
    match ipc::list_older_messages(&conversation_id, &before).await {
        Ok(page) => dispatch.dispatch(Action::OlderLoaded {
            conversation_id,
            before,
            page,
        }),
        Err(error) => dispatch.dispatch(Action::OlderFailed { before, error }),
    }
}

/// Reads the latest page of the open chat again, after newer messages were let go while
/// the associate scrolled far up, and goes to the newest message.
pub async fn jump_to_latest(dispatch: Dispatcher, conversation_id: ConversationId) {
    match ipc::open_conversation(&conversation_id).await {
        Ok(view) => dispatch.dispatch(Action::LatestLoaded(view)),
        Err(error) => dispatch.dispatch(Action::Failed(error)),
    }
}

/// Closes the open chat (back to the list on a phone).
pub async fn close_chat(dispatch: Dispatcher) {
    dispatch.dispatch(Action::ChatClosed);
    if let Err(error) = ipc::close_conversation().await {
        dispatch.dispatch(Action::Failed(error));
    }
}

/// Sends a text; the error is returned for the composer to show beside the kept text.
pub async fn send_message(
    dispatch: Dispatcher,
    conversation_id: ConversationId,
    body: String,
) -> Result<(), ApiError> {
    let message = ipc::send_message(&conversation_id, &body).await?;
    dispatch.dispatch(Action::MessageAccepted(message));
    Ok(())
}

/// Sends a failed message again (M10).
pub async fn retry_message(dispatch: Dispatcher, message_id: MessageId) {
    match ipc::retry_message(&message_id).await {
        Ok(message) => dispatch.dispatch(Action::MessageAccepted(message)),
        Err(error) => dispatch.dispatch(Action::Failed(error)),
    }
}

/// Sends a template message (M5); the error is returned for the picker to show.
pub async fn send_template(
    dispatch: Dispatcher,
    conversation_id: ConversationId,
    template_id: String,
) -> Result<(), ApiError> {
    let message = ipc::send_template(&conversation_id, &template_id).await?;
    dispatch.dispatch(Action::MessageAccepted(message));
    Ok(())
}

/// Asks the customer to opt in (M2); the error is returned for the form to show beside
/// the kept text.
pub async fn request_opt_in(
    dispatch: Dispatcher,
    conversation_id: ConversationId,
    intro: Option<String>,
) -> Result<(), ApiError> {
    let message = ipc::request_opt_in(&conversation_id, intro.as_deref()).await?;
    dispatch.dispatch(Action::MessageAccepted(message));
    Ok(())
}

/// Asks the core whether it reaches the backend; a change the core reports while the
/// answer is on its way wins over the answer.
pub async fn refresh_connection(dispatch: Dispatcher) {
    dispatch.dispatch(Action::ConnectionAsked);
    match ipc::get_connection().await {
        Ok(connection) => dispatch.dispatch(Action::ConnectionAnswered(connection)),
        Err(error) => dispatch.dispatch(Action::Failed(error)),
    }
}
