//! The `outbox` table: user actions written locally and not yet accepted by the backend,
//! kept in order per subject (the conversation, the customer… the action is about) until
//! they are (B1). Each row belongs to the staff
//! member signed in when it was written and is only read back for them.

use clienteling_domain::api::SendMessageRequest;
use clienteling_domain::customer_details::UpdateCustomerRequest;
use clienteling_domain::opt_in::OptInRequest;
use clienteling_domain::task::{CreateTaskRequest, TaskChange};
use clienteling_domain::unsent::UnsentWork;
use clienteling_domain::{ConversationId, CustomerId, MessageId, TaskId, Timestamp};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use crate::attributes::QueuedSet;
use crate::columns::{from_json, to_json};
use crate::error::CoreError;
use crate::notes::sending::NoteAction;

/// What an outbox row asks the backend to do.
#[derive(Debug, Clone, PartialEq)]
pub enum OutboxAction {
    /// `POST /conversations/{id}/messages` with this body.
    SendMessage(SendMessageRequest),
    /// `POST /conversations/{id}/read`.
    MarkRead,
    /// `POST /conversations/{id}/opt-in-request` with this body (M2).
    RequestOptIn(OptInRequest),
    /// `PUT /customers/{id}/attributes` with this value (C15).
    SetAttribute(QueuedSet),
    /// `POST /tasks` with this body (B3).
    CreateTask(CreateTaskRequest),
    /// `PATCH /tasks/{id}` with this body (B3).
    ChangeTask(TaskChange),
    /// A change of a note on a customer (C9), sent by `notes::sending`.
    Note(NoteAction),
    /// `PATCH /customers/{id}` with this edit of the customer's details, its id the
    /// idempotency key (C13), sent by `customers::edits`.
    EditCustomer(UpdateCustomerRequest),
    /// `PUT /customers/{id}/star` (C1).
    StarCustomer,
    /// `DELETE /customers/{id}/star` (C1).
    UnstarCustomer,
}

/// What an action is about; order is kept per subject, and one subject's waiting head holds
/// back no other.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A conversation (messages, read markers, opt-in requests).
    Conversation(ConversationId),
    /// A follow-up task (its creation and changes).
    Task(TaskId),
    /// A customer (their notes, C9, stars, C1, attribute values, C15, and details, C13).
    Customer(CustomerId),
}

impl Subject {
    /// The stored form, `<kind of thing>:<id>`.
    pub(crate) fn encode(&self) -> String {
        match self {
            Subject::Conversation(id) => format!("conversation:{id}"),
            Subject::Task(id) => format!("task:{id}"),
            Subject::Customer(id) => format!("customer:{id}"),
        }
    }

    /// Reads the stored form back.
    fn decode(text: &str) -> Result<Subject, String> {
        match text.split_once(':') {
            Some(("conversation", id)) if !id.is_empty() => {
                Ok(Subject::Conversation(ConversationId::from(id)))
            }
            Some(("task", id)) if !id.is_empty() => Ok(Subject::Task(TaskId::from(id))),
            Some(("customer", id)) if !id.is_empty() => Ok(Subject::Customer(CustomerId::from(id))),
            _ => Err(format!("unknown subject {text:?}")),
        }
    }
}

impl OutboxAction {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            OutboxAction::SendMessage(_) => "send_message",
            OutboxAction::MarkRead => "mark_read",
            OutboxAction::RequestOptIn(_) => "opt_in_request",
            OutboxAction::SetAttribute(_) => "set_attribute",
            OutboxAction::CreateTask(_) => "create_task",
            OutboxAction::ChangeTask(_) => "change_task",
            OutboxAction::Note(_) => "note",
            OutboxAction::EditCustomer(_) => EDIT_CUSTOMER,
            OutboxAction::StarCustomer => STAR_CUSTOMER,
            OutboxAction::UnstarCustomer => UNSTAR_CUSTOMER,
        }
    }
}

/// The stored kind of [`OutboxAction::EditCustomer`].
pub(crate) const EDIT_CUSTOMER: &str = "edit_customer";
/// The stored kind of [`OutboxAction::StarCustomer`].
pub(crate) const STAR_CUSTOMER: &str = "star_customer";
/// The stored kind of [`OutboxAction::UnstarCustomer`].
pub(crate) const UNSTAR_CUSTOMER: &str = "unstar_customer";

/// One waiting action.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxRow {
    /// Position in the queue.
    pub seq: i64,
    /// What it is about, or why the stored subject cannot be read back.
    pub subject: Result<Subject, String>,
    /// The message it sends, if any.
    pub message_id: Option<MessageId>,
    /// What to do, or why the stored row cannot be read back.
    pub action: Result<OutboxAction, String>,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Not to be tried before this time (unless the worker is woken).
    pub next_attempt_at: Timestamp,
}

/// Queues sending a message (its row in `messages` must exist).
pub async fn enqueue_send(
    conn: &mut SqliteConnection,
    conversation_id: &ConversationId,
    request: &SendMessageRequest,
    now: Timestamp,
) -> Result<(), CoreError> {
    let subject = Subject::Conversation(conversation_id.clone());
    let action = OutboxAction::SendMessage(request.clone());
    enqueue(conn, &subject, &action, now).await
}

/// Queues an opt-in request (its message row must exist).
pub async fn enqueue_opt_in(
    conn: &mut SqliteConnection,
    conversation_id: &ConversationId,
    request: &OptInRequest,
    now: Timestamp,
) -> Result<(), CoreError> {
    let subject = Subject::Conversation(conversation_id.clone());
    let action = OutboxAction::RequestOptIn(request.clone());
    enqueue(conn, &subject, &action, now).await
}

/// Queues a read marker unless one for the conversation is already waiting (that one,
/// sent later, covers this); answers whether a row was added.
pub async fn enqueue_mark_read(
    conn: &mut SqliteConnection,
    conversation_id: &ConversationId,
    now: Timestamp,
) -> Result<bool, CoreError> {
    let waiting: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE subject = ? AND kind = 'mark_read'")
            .bind(Subject::Conversation(conversation_id.clone()).encode())
            .fetch_one(&mut *conn)
            .await?;
    if waiting > 0 {
        return Ok(false);
    }
    let subject = Subject::Conversation(conversation_id.clone());
    enqueue(conn, &subject, &OutboxAction::MarkRead, now).await?;
    Ok(true)
}

/// Queues a change of a customer's attribute value (C15).
pub async fn enqueue_set_attribute(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
    queued: &QueuedSet,
    now: Timestamp,
) -> Result<(), CoreError> {
    let subject = Subject::Customer(customer_id.clone());
    let action = OutboxAction::SetAttribute(queued.clone());
    enqueue(conn, &subject, &action, now).await
}

/// Queues a change of a note on a customer (C9), in order with the customer's others.
pub async fn enqueue_note(
    conn: &mut SqliteConnection,
    action: &NoteAction,
    now: Timestamp,
) -> Result<(), CoreError> {
    let subject = Subject::Customer(action.customer_id.clone());
    enqueue(conn, &subject, &OutboxAction::Note(action.clone()), now).await
}

/// Queues `action` about `subject`, after the subject's earlier rows, for the signed-in
/// staff member.
pub async fn enqueue(
    conn: &mut SqliteConnection,
    subject: &Subject,
    action: &OutboxAction,
    now: Timestamp,
) -> Result<(), CoreError> {
    let (message_id, payload) = match action {
        OutboxAction::SendMessage(request) => (
            Some(request.id.as_str()),
            Some(to_json("outbox.payload", request)?),
        ),
        OutboxAction::RequestOptIn(request) => (
            Some(request.id.as_str()),
            Some(to_json("outbox.payload", request)?),
        ),
        OutboxAction::MarkRead => (None, None),
        OutboxAction::SetAttribute(queued) => (None, Some(to_json("outbox.payload", queued)?)),
        OutboxAction::Note(action) => (None, Some(to_json("outbox.payload", action)?)),
        OutboxAction::EditCustomer(edit) => (None, Some(to_json("outbox.payload", edit)?)),
        OutboxAction::CreateTask(request) => (None, Some(to_json("outbox.payload", request)?)),
        OutboxAction::ChangeTask(change) => (None, Some(to_json("outbox.payload", change)?)),
        OutboxAction::StarCustomer | OutboxAction::UnstarCustomer => (None, None),
    };
    sqlx::query(
        "INSERT INTO outbox (kind, subject, message_id, payload, attempts, next_attempt_at, staff_id) \
         VALUES (?, ?, ?, ?, 0, ?, (SELECT json_extract(staff, '$.id') FROM session WHERE id = 1))",
    )
    .bind(action.kind())
    .bind(subject.encode())
    .bind(message_id)
    .bind(payload)
    .bind(now.millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// The rows that may be tried now: each subject's oldest row written by the signed-in
/// staff member, the earliest due first. A subject whose head waits for another attempt
/// holds back only its own later rows.
pub async fn heads(conn: &mut SqliteConnection) -> Result<Vec<OutboxRow>, CoreError> {
    let rows = sqlx::query(
        "SELECT o.seq, o.kind, o.subject, o.message_id, o.payload, o.attempts, o.next_attempt_at \
         FROM outbox o JOIN session s ON s.id = 1 AND o.staff_id = json_extract(s.staff, '$.id') \
         WHERE o.seq = (SELECT MIN(i.seq) FROM outbox i \
                        WHERE i.subject = o.subject AND i.staff_id = o.staff_id) \
         ORDER BY o.next_attempt_at, o.seq",
    )
    .fetch_all(conn)
    .await?;
    rows.iter().map(decode).collect()
}

/// Messages (texts, templates, opt-in requests) the signed-in staff member wrote that the
/// backend has not accepted yet; read markers are not counted.
pub async fn unsent_messages(conn: &mut SqliteConnection) -> Result<u32, CoreError> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox o JOIN session s ON s.id = 1 \
         WHERE o.staff_id = json_extract(s.staff, '$.id') \
           AND o.kind IN ('send_message', 'opt_in_request')",
    )
    .fetch_one(conn)
    .await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// Everything the signed-in staff member did on this device that the backend has not
/// accepted yet, by kind (B1); read markers are not counted.
pub async fn unsent_work(conn: &mut SqliteConnection) -> Result<UnsentWork, CoreError> {
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT o.kind, COUNT(*) FROM outbox o JOIN session s ON s.id = 1 \
         WHERE o.staff_id = json_extract(s.staff, '$.id') GROUP BY o.kind",
    )
    .fetch_all(conn)
    .await?;
    let mut work = UnsentWork::default();
    for (kind, count) in counts {
        let slot = match kind.as_str() {
            "send_message" | "opt_in_request" => &mut work.messages,
            "note" => &mut work.notes,
            STAR_CUSTOMER | UNSTAR_CUSTOMER => &mut work.stars,
            "set_attribute" => &mut work.attributes,
            EDIT_CUSTOMER => &mut work.customer_edits,
            "create_task" | "change_task" => &mut work.tasks,
            _ => continue,
        };
        *slot = slot.saturating_add(u32::try_from(count).unwrap_or(u32::MAX));
    }
    Ok(work)
}

/// Whether a send of this message (or the opt-in request it carries) is waiting.
pub async fn has_pending_send(
    conn: &mut SqliteConnection,
    message_id: &MessageId,
) -> Result<bool, CoreError> {
    let waiting: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE message_id = ? AND kind IN ('send_message', 'opt_in_request')",
    )
    .bind(message_id.as_str())
    .fetch_one(conn)
    .await?;
    Ok(waiting > 0)
}

/// Removes a row once the backend accepted (or definitively refused) it.
pub async fn remove(conn: &mut SqliteConnection, seq: i64) -> Result<(), CoreError> {
    sqlx::query("DELETE FROM outbox WHERE seq = ?")
        .bind(seq)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records a failed attempt that will be tried again at `next_attempt_at`.
pub async fn record_failure(
    conn: &mut SqliteConnection,
    seq: i64,
    error: &str,
    next_attempt_at: Timestamp,
) -> Result<(), CoreError> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE seq = ?",
    )
    .bind(error)
    .bind(next_attempt_at.millis())
    .bind(seq)
    .execute(conn)
    .await?;
    Ok(())
}

fn payload(row: &SqliteRow) -> Result<String, String> {
    let payload: Option<String> = row.try_get("payload").map_err(|e| e.to_string())?;
    payload.ok_or_else(|| "the request body is missing".to_owned())
}

fn parse<T: serde::de::DeserializeOwned>(row: &SqliteRow) -> Result<T, String> {
    from_json("outbox.payload", &payload(row)?).map_err(|e| e.to_string())
}

/// Reads a row back; an action that cannot be read is kept as the reason, so the worker
/// can fail that one row instead of stalling on it.
fn decode(row: &SqliteRow) -> Result<OutboxRow, CoreError> {
    let kind: String = row.try_get("kind")?;
    let action = match kind.as_str() {
        "send_message" => parse(row).map(OutboxAction::SendMessage),
        "mark_read" => Ok(OutboxAction::MarkRead),
        "opt_in_request" => parse(row).map(OutboxAction::RequestOptIn),
        "set_attribute" => parse(row).map(OutboxAction::SetAttribute),
        "create_task" => parse(row).map(OutboxAction::CreateTask),
        "change_task" => parse(row).map(OutboxAction::ChangeTask),
        "note" => parse(row).map(OutboxAction::Note),
        EDIT_CUSTOMER => parse(row).map(OutboxAction::EditCustomer),
        STAR_CUSTOMER => Ok(OutboxAction::StarCustomer),
        UNSTAR_CUSTOMER => Ok(OutboxAction::UnstarCustomer),
        other => Err(format!("unknown kind of action {other:?}")),
    };
    Ok(OutboxRow {
        seq: row.try_get("seq")?,
        subject: Subject::decode(&row.try_get::<String, _>("subject")?),
        message_id: row
            .try_get::<Option<String>, _>("message_id")?
            .map(MessageId),
        action,
        attempts: row.try_get("attempts")?,
        next_attempt_at: Timestamp(row.try_get("next_attempt_at")?),
    })
}
