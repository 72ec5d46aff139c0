//! IPC with the Tauri shell: typed wrappers over `window.__TAURI_INTERNALS__.invoke` for
//! every command, and subscriptions to the events the shell emits (`core-event`,
//! `open-conversation`).
//!
//! Nothing here unwraps: a rejected call becomes the domain [`ApiError`] the shell sent
//! (`{code, message}`), or an `internal` error carrying the JavaScript error's text.

use clienteling_domain::api::{Conversation, Customer, DemoUser, Message, Staff};
use clienteling_domain::assignment::{AssignmentEntry, AssignmentRequest};
use clienteling_domain::attribute::{AttributeDefinition, AttributeValue};
use clienteling_domain::consent_audit::ConsentEvent;
use clienteling_domain::customer_details::{CustomerDraft, UpdateCustomerRequest};
use clienteling_domain::inbox::InboxScope;
use clienteling_domain::note::Note;
use clienteling_domain::picker::{QuickReplyChoice, TemplateChoice};
use clienteling_domain::task::{Task, TaskChange, TaskDraft, TaskList, TaskTab};
use clienteling_domain::unsent::UnsentWork;
use clienteling_domain::view::{
    AppEvent, ChatCustomer, ChatView, Connection, CustomerPage, CustomerProfile, CustomerQuery,
    InboxPage, MessagePage, ProfileAttributes, SessionView,
};
use clienteling_domain::{
    ApiError, Channel, ConversationId, CustomerId, ErrorCode, MessageId, NoteId, StoreId, TaskId,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI_INTERNALS__"], js_name = invoke)]
    async fn tauri_invoke(command: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI_INTERNALS__"], js_name = transformCallback)]
    fn tauri_transform_callback(
        callback: &Closure<dyn FnMut(JsValue)>,
        once: bool,
    ) -> Result<u32, JsValue>;
}

/// Name of the event carrying core [`AppEvent`]s.
pub const CORE_EVENT: &str = "core-event";
/// Name of the event asking to open a conversation (a notification was activated).
pub const OPEN_CONVERSATION_EVENT: &str = "open-conversation";

/// Name of the event asking to show the inbox (a summary notification was activated).
pub const OPEN_INBOX_EVENT: &str = "open-inbox";

/// Event asking for a customer's profile (an activated due-task notification, B3).
pub const OPEN_CUSTOMER_EVENT: &str = "open-customer";

/// Event asking for the Tasks screen (an activated summary of due tasks, B3).
pub const OPEN_TASKS_EVENT: &str = "open-tasks";

/// Payload of [`OPEN_CONVERSATION_EVENT`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenConversationRequest {
    /// The conversation to open, with the composer focused.
    pub conversation_id: ConversationId,
}

/// The demo accounts the sign-in screen lists.
pub async fn list_demo_users() -> Result<Vec<DemoUser>, ApiError> {
    invoke("list_demo_users", &NoArgs {}).await
}

/// Waits until the engine has started; its start-up error when it could not.
pub async fn wait_for_core() -> Result<(), ApiError> {
    invoke("wait_for_core", &NoArgs {}).await
}

/// Tells the shell a screen has been painted for the first time, for its log (the start-up
/// bench's signal); nothing depends on the answer.
pub async fn report_painted_screen(screen: &'static str) {
    #[derive(Serialize)]
    struct Args {
        screen: &'static str,
    }
    if invoke::<()>("report_painted_screen", &Args { screen })
        .await
        .is_err()
    {
        web_sys::console::warn_1(&"the shell did not take the painted-screen report".into());
    }
}

/// The signed-in session, if one is kept from an earlier run.
pub async fn get_session() -> Result<Option<SessionView>, ApiError> {
    invoke("get_session", &NoArgs {}).await
}

/// Signs in and runs the first sync.
pub async fn sign_in(login: &str, password: &str) -> Result<SessionView, ApiError> {
    invoke("sign_in", &SignInArgs { login, password }).await
}

/// Signs out; the core clears its local copy. While messages wait to be sent it refuses
/// with `unsent_messages` unless `discard_unsent`.
pub async fn sign_out(discard_unsent: bool) -> Result<(), ApiError> {
    invoke("sign_out", &SignOutArgs { discard_unsent }).await
}

/// Messages written on this device that the backend has not accepted yet.
pub async fn count_unsent_messages() -> Result<u32, ApiError> {
    invoke("count_unsent_messages", &NoArgs {}).await
}

/// Everything done on this device that the backend has not accepted yet, by kind (B1).
pub async fn count_unsent_work() -> Result<UnsentWork, ApiError> {
    invoke("count_unsent_work", &NoArgs {}).await
}

/// Switches the store the inbox shows.
pub async fn switch_store(store_id: &StoreId) -> Result<SessionView, ApiError> {
    invoke("switch_store", &SwitchStoreArgs { store_id }).await
}

/// One inbox, newest activity first, with the store's total unread.
pub async fn list_inbox(scope: InboxScope) -> Result<InboxPage, ApiError> {
    invoke("list_inbox", &ListInboxArgs { scope }).await
}

/// The current store's clientbook for a scope and a search (C1).
pub async fn list_customers(query: &CustomerQuery) -> Result<CustomerPage, ApiError> {
    invoke("list_customers", &ListCustomersArgs { query }).await
}

/// One tab of the signed-in staff member's tasks, the day ending by the device's clock
/// (B3).
pub async fn list_tasks(tab: TaskTab) -> Result<TaskList, ApiError> {
    let utc_offset_minutes = crate::clock::utc_offset_minutes();
    invoke(
        "list_tasks",
        &ListTasksArgs {
            tab,
            utc_offset_minutes,
        },
    )
    .await
}

/// Sets a reminder ("Remind me", B3).
pub async fn create_task(draft: &TaskDraft) -> Result<Task, ApiError> {
    invoke("create_task", &CreateTaskArgs { draft }).await
}

/// Completes, reopens or snoozes a task (B3).
pub async fn change_task(task_id: &TaskId, change: TaskChange) -> Result<Task, ApiError> {
    invoke("change_task", &ChangeTaskArgs { task_id, change }).await
}

/// A customer's profile with their conversations (C2, C10).
pub async fn show_customer(customer_id: &CustomerId) -> Result<CustomerProfile, ApiError> {
    invoke("show_customer", &CustomerArgs { customer_id }).await
}

/// Creates the customer of the "New customer" form in the current store (C12); the core
/// reads the phone in the store's country and the backend checks for duplicates.
pub async fn create_customer(draft: &CustomerDraft) -> Result<Customer, ApiError> {
    invoke("create_customer", &CreateCustomerArgs { draft }).await
}

/// Changes a customer's name, gender and date of birth (C13): saved on the device at once
/// (offline too) and answered as now shown; the backend gets it through the outbox.
pub async fn update_customer(
    customer_id: &CustomerId,
    request: &UpdateCustomerRequest,
) -> Result<Customer, ApiError> {
    invoke(
        "update_customer",
        &UpdateCustomerArgs {
            customer_id,
            request,
        },
    )
    .await
}

/// The configured attribute definitions (the clientbook's filters, C5).
pub async fn list_attribute_definitions() -> Result<Vec<AttributeDefinition>, ApiError> {
    invoke("list_attribute_definitions", &NoArgs {}).await
}

/// The profile's layout and a customer's attribute rows (C2, C15).
pub async fn show_customer_attributes(
    customer_id: &CustomerId,
) -> Result<ProfileAttributes, ApiError> {
    invoke("show_customer_attributes", &CustomerArgs { customer_id }).await
}

/// Sets one of a customer's attribute values (C15); answers the rows as now.
pub async fn set_attribute(
    customer_id: &CustomerId,
    key: &str,
    value: &AttributeValue,
) -> Result<ProfileAttributes, ApiError> {
    invoke(
        "set_attribute",
        &SetAttributeArgs {
            customer_id,
            key,
            value,
        },
    )
    .await
}

/// Clears one of a customer's attribute values (C15); answers the rows as now.
pub async fn clear_attribute(
    customer_id: &CustomerId,
    key: &str,
) -> Result<ProfileAttributes, ApiError> {
    invoke("clear_attribute", &AttributeKeyArgs { customer_id, key }).await
}

/// Writes a note on a customer (C9); it reaches the backend through the outbox.
pub async fn add_note(customer_id: &CustomerId, body: &str) -> Result<Note, ApiError> {
    invoke("add_note", &AddNoteArgs { customer_id, body }).await
}

/// Gives one of my notes a new text (C9).
pub async fn edit_note(note_id: &NoteId, body: &str) -> Result<Note, ApiError> {
    invoke("edit_note", &EditNoteArgs { note_id, body }).await
}

/// Deletes one of my notes (C9).
pub async fn delete_note(note_id: &NoteId) -> Result<(), ApiError> {
    invoke("delete_note", &NoteArgs { note_id }).await
}

/// Pins a note (unpinning the customer's previously pinned one), or unpins it (C9).
pub async fn pin_note(note_id: &NoteId, pinned: bool) -> Result<(), ApiError> {
    invoke("pin_note", &PinNoteArgs { note_id, pinned }).await
}

/// What the backend recommends for a customer now (C7); the profile keeps showing the
/// last ones when this fails.
pub async fn refresh_recommendations(
    customer_id: &CustomerId,
) -> Result<Vec<clienteling_domain::order::Recommendation>, ApiError> {
    invoke("refresh_recommendations", &CustomerArgs { customer_id }).await
}

/// Stars the customer for the signed-in staff member (C1); works offline.
pub async fn star_customer(customer_id: &CustomerId) -> Result<(), ApiError> {
    invoke("star_customer", &CustomerArgs { customer_id }).await
}

/// Takes the signed-in staff member's star off the customer (C1).
pub async fn unstar_customer(customer_id: &CustomerId) -> Result<(), ApiError> {
    invoke("unstar_customer", &CustomerArgs { customer_id }).await
}

/// Assigns the customer to exactly these stores and staff (C3); needs the backend.
pub async fn assign_customer(
    customer_id: &CustomerId,
    request: &AssignmentRequest,
) -> Result<Customer, ApiError> {
    invoke(
        "assign_customer",
        &AssignCustomerArgs {
            customer_id,
            request,
        },
    )
    .await
}

/// The customer's assignment audit, newest first (C3); needs the backend.
pub async fn list_assignments(customer_id: &CustomerId) -> Result<Vec<AssignmentEntry>, ApiError> {
    invoke("list_assignments", &CustomerArgs { customer_id }).await
}

/// The company's staff with their stores, for the assignment picker (C3).
pub async fn list_staff() -> Result<Vec<Staff>, ApiError> {
    invoke("list_staff", &NoArgs {}).await
}

/// The conversation with a customer on a channel of the current store: the one there is,
/// or one the backend starts (C2, online).
pub async fn start_conversation(
    customer_id: &CustomerId,
    channel: Channel,
) -> Result<Conversation, ApiError> {
    invoke(
        "start_conversation",
        &StartConversationArgs {
            customer_id,
            channel,
        },
    )
    .await
}

/// Opens a conversation (marking it read) and returns its chat.
pub async fn open_conversation(conversation_id: &ConversationId) -> Result<ChatView, ApiError> {
    invoke("open_conversation", &ConversationArgs { conversation_id }).await
}

/// The customer of a conversation as now, with their last contact from its store (B7).
pub async fn show_chat_customer(
    conversation_id: &ConversationId,
) -> Result<ChatCustomer, ApiError> {
    invoke("show_chat_customer", &ConversationArgs { conversation_id }).await
}

/// The page of a conversation's messages just before `before`, the oldest one the chat
/// shows.
pub async fn list_older_messages(
    conversation_id: &ConversationId,
    before: &MessageId,
) -> Result<MessagePage, ApiError> {
    invoke(
        "list_older_messages",
        &OlderMessagesArgs {
            conversation_id,
            before,
        },
    )
    .await
}

/// Leaves the open conversation, so notifications resume for it.
pub async fn close_conversation() -> Result<(), ApiError> {
    invoke("close_conversation", &NoArgs {}).await
}

/// Queues a text message; later statuses arrive as `core-event`s.
pub async fn send_message(
    conversation_id: &ConversationId,
    body: &str,
) -> Result<Message, ApiError> {
    invoke(
        "send_message",
        &SendMessageArgs {
            conversation_id,
            body,
        },
    )
    .await
}

/// Sends a failed message again, with the same id.
pub async fn retry_message(message_id: &MessageId) -> Result<Message, ApiError> {
    invoke("retry_message", &RetryMessageArgs { message_id }).await
}

/// The templates of a conversation's channel, each filled for its customer or with the
/// reason it cannot be (M5, A7).
pub async fn list_templates(
    conversation_id: &ConversationId,
) -> Result<Vec<TemplateChoice>, ApiError> {
    invoke("list_templates", &ConversationArgs { conversation_id }).await
}

/// Queues a template message, allowed outside the WhatsApp window (M5).
pub async fn send_template(
    conversation_id: &ConversationId,
    template_id: &str,
) -> Result<Message, ApiError> {
    invoke(
        "send_template",
        &SendTemplateArgs {
            conversation_id,
            template_id,
        },
    )
    .await
}

/// The store's quick replies, filled for the conversation's customer (M6).
pub async fn list_quick_replies(
    conversation_id: &ConversationId,
) -> Result<Vec<QuickReplyChoice>, ApiError> {
    invoke("list_quick_replies", &ConversationArgs { conversation_id }).await
}

/// Asks the customer to opt in (M2): by SMS with `intro` before the START/STOP
/// instructions, by WhatsApp with the store's opt-in template (`intro` unused).
pub async fn request_opt_in(
    conversation_id: &ConversationId,
    intro: Option<&str>,
) -> Result<Message, ApiError> {
    invoke(
        "request_opt_in",
        &RequestOptInArgs {
            conversation_id,
            intro,
        },
    )
    .await
}

/// The conversation's consent changes, newest first (B4).
pub async fn list_consent_events(
    conversation_id: &ConversationId,
) -> Result<Vec<ConsentEvent>, ApiError> {
    invoke("list_consent_events", &ConversationArgs { conversation_id }).await
}

/// Whether the app is in touch with the backend.
pub async fn get_connection() -> Result<Connection, ApiError> {
    invoke("get_connection", &NoArgs {}).await
}

/// Subscribes to core events; `handler` gets each event, or the error of a payload that
/// could not be read.
pub async fn listen_core_events(
    handler: impl FnMut(Result<AppEvent, ApiError>) + 'static,
) -> Result<Listener, ApiError> {
    listen(CORE_EVENT, handler).await
}

/// Subscribes to requests to open a conversation (activated notifications).
pub async fn listen_open_conversation(
    handler: impl FnMut(Result<OpenConversationRequest, ApiError>) + 'static,
) -> Result<Listener, ApiError> {
    listen(OPEN_CONVERSATION_EVENT, handler).await
}

/// Subscribes to requests to show the inbox (activated summary notifications).
pub async fn listen_open_inbox(
    handler: impl FnMut(Result<(), ApiError>) + 'static,
) -> Result<Listener, ApiError> {
    listen(OPEN_INBOX_EVENT, handler).await
}

/// Subscribes to requests to show a customer's profile (activated due-task notifications).
pub async fn listen_open_customer(
    handler: impl FnMut(Result<OpenCustomerRequest, ApiError>) + 'static,
) -> Result<Listener, ApiError> {
    listen(OPEN_CUSTOMER_EVENT, handler).await
}

/// Subscribes to requests to show the Tasks screen (an activated summary of due tasks).
pub async fn listen_open_tasks(
    handler: impl FnMut(Result<(), ApiError>) + 'static,
) -> Result<Listener, ApiError> {
    listen(OPEN_TASKS_EVENT, handler).await
}

/// A live event subscription. Dropping it unsubscribes; the callback stays alive until the
/// shell has confirmed, so an event racing the unsubscribe never hits a freed closure.
pub struct Listener {
    event: &'static str,
    event_id: u32,
    callback: Option<Closure<dyn FnMut(JsValue)>>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let event = self.event;
        let event_id = self.event_id;
        let callback = self.callback.take();
        wasm_bindgen_futures::spawn_local(async move {
            let unlistened: Result<(), ApiError> =
                invoke("plugin:event|unlisten", &UnlistenArgs { event, event_id }).await;
            if let Err(error) = unlistened {
                web_sys::console::warn_1(&JsValue::from_str(&format!(
                    "could not stop listening to {event}: {error}"
                )));
            }
            drop(callback);
        });
    }
}

/// The envelope Tauri hands an event callback: `{event, id, payload}`.
#[derive(Deserialize)]
struct EventEnvelope<T> {
    payload: T,
}

async fn listen<T: DeserializeOwned + 'static>(
    event: &'static str,
    mut handler: impl FnMut(Result<T, ApiError>) + 'static,
) -> Result<Listener, ApiError> {
    let callback = Closure::<dyn FnMut(JsValue)>::new(move |raw: JsValue| {
        let payload = serde_wasm_bindgen::from_value::<EventEnvelope<T>>(raw)
            .map(|envelope| envelope.payload)
            .map_err(|error| {
                ApiError::new(
                    ErrorCode::Internal,
                    format!("unreadable {event} event: {error}"),
                )
            });
        handler(payload);
    });
    let handler_id = tauri_transform_callback(&callback, false).map_err(error_from_js)?;
    let event_id: u32 = invoke(
        "plugin:event|listen",
        &ListenArgs {
            event,
            target: EventTarget { kind: "Any" },
            handler: handler_id,
        },
    )
    .await?;
    Ok(Listener {
        event,
        event_id,
        callback: Some(callback),
    })
}

async fn invoke<T: DeserializeOwned>(
    command: &'static str,
    args: &impl Serialize,
) -> Result<T, ApiError> {
    let args = args
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| {
            ApiError::new(
                ErrorCode::Internal,
                format!("could not encode the arguments of {command}: {error}"),
            )
        })?;
    let answer = tauri_invoke(command, args).await.map_err(error_from_js)?;
    serde_wasm_bindgen::from_value(answer).map_err(|error| {
        ApiError::new(
            ErrorCode::Internal,
            format!("unexpected answer to {command}: {error}"),
        )
    })
}

/// The shell's `{code, message}`, or an internal error with whatever text the JS error has.
fn error_from_js(value: JsValue) -> ApiError {
    if let Ok(error) = serde_wasm_bindgen::from_value::<ApiError>(value.clone()) {
        return error;
    }
    let text = if let Some(text) = value.as_string() {
        text
    } else if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        String::from(error.message())
    } else {
        js_sys::JSON::stringify(&value)
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_else(|| "unknown error".to_owned())
    };
    ApiError::new(ErrorCode::Internal, text)
}

#[derive(Serialize)]
struct NoArgs {}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SignOutArgs {
    discard_unsent: bool,
}

#[derive(Serialize)]
struct SignInArgs<'a> {
    login: &'a str,
    password: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SwitchStoreArgs<'a> {
    store_id: &'a StoreId,
}

#[derive(Serialize)]
struct ListInboxArgs {
    scope: InboxScope,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListCustomersArgs<'a> {
    query: &'a CustomerQuery,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListTasksArgs {
    tab: TaskTab,
    utc_offset_minutes: i32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateTaskArgs<'a> {
    draft: &'a TaskDraft,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChangeTaskArgs<'a> {
    task_id: &'a TaskId,
    change: TaskChange,
}

/// Payload of [`OPEN_CUSTOMER_EVENT`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenCustomerRequest {
    /// The customer whose profile to show.
    pub customer_id: CustomerId,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CustomerArgs<'a> {
    customer_id: &'a CustomerId,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateCustomerArgs<'a> {
    draft: &'a CustomerDraft,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UpdateCustomerArgs<'a> {
    customer_id: &'a CustomerId,
    request: &'a UpdateCustomerRequest,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AttributeKeyArgs<'a> {
    customer_id: &'a CustomerId,
    key: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SetAttributeArgs<'a> {
    customer_id: &'a CustomerId,
    key: &'a str,
    value: &'a AttributeValue,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AddNoteArgs<'a> {
    customer_id: &'a CustomerId,
    body: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EditNoteArgs<'a> {
    note_id: &'a NoteId,
    body: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NoteArgs<'a> {
    note_id: &'a NoteId,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PinNoteArgs<'a> {
    note_id: &'a NoteId,
    pinned: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AssignCustomerArgs<'a> {
    customer_id: &'a CustomerId,
    request: &'a AssignmentRequest,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StartConversationArgs<'a> {
    customer_id: &'a CustomerId,
    channel: Channel,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConversationArgs<'a> {
    conversation_id: &'a ConversationId,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OlderMessagesArgs<'a> {
    conversation_id: &'a ConversationId,
    before: &'a MessageId,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SendMessageArgs<'a> {
    conversation_id: &'a ConversationId,
    body: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SendTemplateArgs<'a> {
    conversation_id: &'a ConversationId,
    template_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RequestOptInArgs<'a> {
    conversation_id: &'a ConversationId,
    intro: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RetryMessageArgs<'a> {
    message_id: &'a MessageId,
}

#[derive(Serialize)]
struct EventTarget {
    kind: &'static str,
}

#[derive(Serialize)]
struct ListenArgs {
    event: &'static str,
    target: EventTarget,
    handler: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UnlistenArgs {
    event: &'static str,
    event_id: u32,
}
