//! Writing to conversations: staff sending text and templates (idempotent by message id,
//! retried when it failed), opt-in requests, read markers, customers' inbound messages
//! with their consent keywords and the automated replies, and the provider's status
//! reports.

use clienteling_domain::api::{Message, SendMessageRequest, Staff};
use clienteling_domain::consent::{apply_keyword, keyword_word};
use clienteling_domain::consent_audit::ConsentAction;
use clienteling_domain::contact;
use clienteling_domain::message::validate_body;
use clienteling_domain::opt_in::{check_channel, sms_body, OptInRequest};
use clienteling_domain::picker::prepare;
use clienteling_domain::template::{Template, TemplatePurpose};
use clienteling_domain::{
    Channel, ConsentState, ConversationId, Direction, KeywordOutcome, MessageId, MessageKind,
    MessageStatus, StaffId, Timestamp,
};
use sqlx::SqliteConnection;

use crate::changes::{self, Entity};
use crate::consent::{self, AuditEntry};
use crate::conversation::{self, Thread};
use crate::db::parse_column;
use crate::error::RequestError;
use crate::setup;
use crate::state::AppState;
use clienteling_domain::preview::message_preview;

/// What a send did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// A new message was accepted and queued for the provider (201).
    Accepted(Message),
    /// The id names a message already accepted: nothing is sent again (200).
    AlreadyAccepted(Message),
    /// The id names a failed message with the same content: it is queued again (200).
    Retried(Message),
}

impl SendOutcome {
    /// The message as it stands after the send.
    pub fn message(&self) -> &Message {
        match self {
            SendOutcome::Accepted(m)
            | SendOutcome::AlreadyAccepted(m)
            | SendOutcome::Retried(m) => m,
        }
    }
}

/// A new message row.
struct NewMessage<'a> {
    id: &'a MessageId,
    conversation_id: &'a ConversationId,
    direction: Direction,
    kind: MessageKind,
    body: &'a str,
    status: MessageStatus,
    author: Option<&'a StaffId>,
    created_at: Timestamp,
    /// What the client asked for, to recognise a resend without rendering again.
    origin: Origin,
}

/// What a staff message was asked for, kept on its row: a resend is recognised by it
/// without rendering or validating anything again.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
struct Origin {
    /// The template it was sent from (templates and WhatsApp opt-in requests).
    template_id: Option<String>,
    /// The associate's introduction, trimmed (SMS opt-in requests).
    opt_in_intro: Option<String>,
}

async fn insert_message(
    conn: &mut SqliteConnection,
    new: &NewMessage<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO messages (id, conversation_id, direction, kind, body, status, author_staff_id, created_at, updated_at, template_id, opt_in_intro)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(new.id.as_str())
    .bind(new.conversation_id.as_str())
    .bind(new.direction.as_str())
    .bind(new.kind.as_str())
    .bind(new.body)
    .bind(new.status.as_str())
    .bind(new.author.map(StaffId::as_str))
    .bind(new.created_at.millis())
    .bind(new.created_at.millis())
    .bind(new.origin.template_id.as_deref())
    .bind(new.origin.opt_in_intro.as_deref())
    .execute(conn)
    .await?;
    Ok(())
}

async fn origin(conn: &mut SqliteConnection, id: &MessageId) -> Result<Origin, sqlx::Error> {
    sqlx::query_as("SELECT template_id, opt_in_intro FROM messages WHERE id = ?")
        .bind(id.as_str())
        .fetch_one(conn)
        .await
}

/// Makes `new` the conversation's latest activity unless a later message is already there.
async fn touch_conversation(
    conn: &mut SqliteConnection,
    new: &NewMessage<'_>,
) -> Result<(), sqlx::Error> {
    // SQLite evaluates every SET expression against the row as it was before the update.
    sqlx::query(
        "UPDATE conversations SET
             last_message_preview = CASE WHEN ?1 >= last_activity_at THEN ?2 ELSE last_message_preview END,
             last_message_direction = CASE WHEN ?1 >= last_activity_at THEN ?3 ELSE last_message_direction END,
             last_activity_at = MAX(last_activity_at, ?1)
         WHERE id = ?4",
    )
    .bind(new.created_at.millis())
    .bind(message_preview(new.body))
    .bind(new.direction.as_str())
    .bind(new.conversation_id.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

async fn stored_message(
    conn: &mut SqliteConnection,
    id: &MessageId,
) -> Result<Message, RequestError> {
    conversation::message(conn, id)
        .await?
        .ok_or_else(|| RequestError::NotFound(format!("Message {id}")))
}

/// A template's body filled for this conversation's customer, store and the caller, or
/// why it cannot be sent on this channel.
fn render(template: &Template, thread: &Thread, caller: &Staff) -> Result<String, RequestError> {
    prepare(template, thread.channel, &thread.fill_context(&caller.name))
        .map_err(|refusal| RequestError::InvalidInput(refusal.to_string()))
}

/// The body a send request carries: a template filled here from the customer, the author
/// and the store (M5), or the validated text of any other kind, within the channel's
/// length.
async fn send_body(
    conn: &mut SqliteConnection,
    thread: &Thread,
    caller: &Staff,
    request: &SendMessageRequest,
) -> Result<String, RequestError> {
    match (&request.template_id, request.kind) {
        (Some(template_id), MessageKind::Template) => {
            let template = setup::template(conn, &thread.store_id, template_id)
                .await?
                .ok_or_else(|| {
                    RequestError::InvalidInput(format!(
                        "Template {template_id} is not one of {}'s templates",
                        thread.store_name
                    ))
                })?;
            Ok(validate_body(
                &render(&template, thread, caller)?,
                thread.channel,
            )?)
        }
        (Some(_), _) => Err(RequestError::InvalidInput(
            "A message with a template_id must be of kind template".into(),
        )),
        (None, MessageKind::Template) => Err(RequestError::InvalidInput(
            "Templates are sent by template_id; the backend fills them".into(),
        )),
        (None, MessageKind::System) => Err(RequestError::InvalidInput(
            "System messages are written by the backend, not sent by staff".into(),
        )),
        (None, _) => Ok(validate_body(&request.body, thread.channel)?),
    }
}

/// Whether `existing` could be a message `caller` asks for again in `conversation_id`:
/// their own outbound message there. Each kind of request then compares what it was
/// asked for (the kind, the words, the template, the intro) as stored, without rendering
/// or validating anything, so a resend is recognised whatever changed since.
fn is_resend(existing: &Message, caller: &Staff, conversation_id: &ConversationId) -> bool {
    existing.conversation_id == *conversation_id
        && existing.direction == Direction::Outbound
        && existing.author_staff_id.as_ref() == Some(&caller.id)
}

fn reused_id(id: &MessageId) -> RequestError {
    RequestError::Conflict(format!(
        "Message id {id} was already used for a different message"
    ))
}

/// Sends a staff member's message (M10): validated, checked against consent (M3) and the
/// WhatsApp window (M5), stamped with the server's time (never the client's), stored as
/// queued and handed to the simulated provider. A template (`template_id`) is filled by the
/// backend and may go outside the window.
///
/// The id is the idempotency key and is looked up before anything is validated: the same
/// message again is answered with the stored one whatever its state and whatever changed
/// since, except a failed one, which is a retry and is validated like a new send; a
/// different message under the same id is a conflict.
pub async fn send(
    state: &AppState,
    caller: &Staff,
    conversation_id: &ConversationId,
    request: &SendMessageRequest,
) -> Result<SendOutcome, RequestError> {
    let mut tx = state.pool().begin().await?;
    let thread = Thread::visible(&mut tx, caller, conversation_id).await?;
    request.id.check_client_generated()?;
    let asked = Origin {
        template_id: request.template_id.clone(),
        opt_in_intro: None,
    };

    if let Some(existing) = conversation::message(&mut tx, &request.id).await? {
        // A template is recognised by its id, anything else by its words.
        let same_content = existing.kind == request.kind
            && origin(&mut tx, &request.id).await? == asked
            && (request.template_id.is_some() || existing.body == request.body.trim());
        if !same_content || !is_resend(&existing, caller, conversation_id) {
            return Err(reused_id(&request.id));
        }
        if existing.status != MessageStatus::Failed {
            return Ok(SendOutcome::AlreadyAccepted(existing));
        }
        // A retry sends the stored words again once the request passes a new send's checks.
        send_body(&mut tx, &thread, caller, request).await?;
        let now = state.now();
        thread.check_can_send(request.kind, now)?;
        return retry(state, tx, &thread, &request.id, now).await;
    }

    let body = send_body(&mut tx, &thread, caller, request).await?;
    let now = state.now();
    thread.check_can_send(request.kind, now)?;
    let new = NewMessage {
        id: &request.id,
        conversation_id,
        direction: Direction::Outbound,
        kind: request.kind,
        body: &body,
        status: MessageStatus::Queued,
        author: Some(&caller.id),
        created_at: now,
        origin: asked,
    };
    let accepted = accept_outbound(state, tx, &thread, &new, None).await?;
    Ok(SendOutcome::Accepted(accepted))
}

/// Queues a failed message again as the provider's next attempt, logs the change, commits
/// and hands it to the provider.
async fn retry(
    state: &AppState,
    mut tx: sqlx::Transaction<'_, sqlx::Sqlite>,
    thread: &Thread,
    id: &MessageId,
    now: Timestamp,
) -> Result<SendOutcome, RequestError> {
    let attempt: i64 = sqlx::query_scalar(
        "UPDATE messages SET status = 'queued', failure_reason = NULL, updated_at = ?, attempt = attempt + 1
         WHERE id = ? RETURNING attempt",
    )
    .bind(now.millis())
    .bind(id.as_str())
    .fetch_one(&mut *tx)
    .await?;
    changes::record(
        &mut tx,
        &thread.store_id,
        None,
        Entity::LastContact,
        thread.customer_id.as_str(),
    )
    .await?;
    let seq = changes::record(
        &mut tx,
        &thread.store_id,
        None,
        Entity::Message,
        id.as_str(),
    )
    .await?;
    let retried = stored_message(&mut tx, id).await?;
    tx.commit().await?;
    state.feed().publish(seq);
    state.simulation().carry(state, id.clone(), attempt);
    Ok(SendOutcome::Retried(retried))
}

/// Stores a new outbound message with its audit entry if any, makes its author a
/// participant, logs the changes, commits and hands the message to the provider.
async fn accept_outbound(
    state: &AppState,
    mut tx: sqlx::Transaction<'_, sqlx::Sqlite>,
    thread: &Thread,
    new: &NewMessage<'_>,
    audit: Option<AuditEntry<'_>>,
) -> Result<Message, RequestError> {
    insert_message(&mut tx, new).await?;
    touch_conversation(&mut tx, new).await?;
    if let Some(author) = new.author {
        sqlx::query(
            "INSERT OR IGNORE INTO conversation_participants (conversation_id, staff_id) VALUES (?, ?)",
        )
        .bind(new.conversation_id.as_str())
        .bind(author.as_str())
        .execute(&mut *tx)
        .await?;
    }
    if let Some(entry) = audit {
        consent::record(&mut tx, &entry).await?;
    }
    if contact::counts_as_contact(new.direction, new.author, new.status) {
        changes::record(
            &mut tx,
            &thread.store_id,
            None,
            Entity::LastContact,
            thread.customer_id.as_str(),
        )
        .await?;
    }
    changes::record(
        &mut tx,
        &thread.store_id,
        None,
        Entity::Message,
        new.id.as_str(),
    )
    .await?;
    let seq = changes::record(
        &mut tx,
        &thread.store_id,
        None,
        Entity::Conversation,
        new.conversation_id.as_str(),
    )
    .await?;
    let accepted = stored_message(&mut tx, new.id).await?;
    tx.commit().await?;
    state.feed().publish(seq);
    state.simulation().carry(state, new.id.clone(), 1);
    Ok(accepted)
}

/// Asks a customer to opt in (M2): by SMS the associate's intro with START/STOP
/// instructions, on WhatsApp the store's opt-in template; audited (B4). Refused when the
/// customer opted out (they must text START themselves). Like a send, the id is looked up
/// first: the same request again is answered with its stored message, a failed one is
/// retried (validated again), and a different one under the same id is a conflict.
pub async fn request_opt_in(
    state: &AppState,
    caller: &Staff,
    conversation_id: &ConversationId,
    request: &OptInRequest,
) -> Result<SendOutcome, RequestError> {
    let mut tx = state.pool().begin().await?;
    let thread = Thread::visible(&mut tx, caller, conversation_id).await?;
    request.id.check_client_generated()?;
    let intro = (thread.channel == Channel::Sms)
        .then(|| request.intro.as_deref().map(str::trim).map(str::to_owned))
        .flatten();

    if let Some(existing) = conversation::message(&mut tx, &request.id).await? {
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM consent_audit WHERE message_id = ? AND action = 'opt_in_request'",
        )
        .bind(request.id.as_str())
        .fetch_one(&mut *tx)
        .await?;
        // The backend picks the WhatsApp template itself: only the SMS intro is compared.
        let same_intro = origin(&mut tx, &request.id).await?.opt_in_intro == intro;
        if audited == 0 || !same_intro || !is_resend(&existing, caller, conversation_id) {
            return Err(reused_id(&request.id));
        }
        if existing.status != MessageStatus::Failed {
            return Ok(SendOutcome::AlreadyAccepted(existing));
        }
        let (kind, _, _) = opt_in_message(&mut tx, &thread, caller, request).await?;
        let now = state.now();
        thread.check_can_send(kind, now)?;
        return retry(state, tx, &thread, &request.id, now).await;
    }

    let (kind, body, template_id) = opt_in_message(&mut tx, &thread, caller, request).await?;
    let now = state.now();
    thread.check_can_send(kind, now)?;
    let new = NewMessage {
        id: &request.id,
        conversation_id,
        direction: Direction::Outbound,
        kind,
        body: &body,
        status: MessageStatus::Queued,
        author: Some(&caller.id),
        created_at: now,
        origin: Origin {
            template_id,
            opt_in_intro: intro,
        },
    };
    let audit = AuditEntry {
        customer_id: &thread.customer_id,
        store_id: &thread.store_id,
        state: thread.consent,
        channel: thread.channel,
        action: ConsentAction::OptInRequest,
        keyword: None,
        message_id: &request.id,
        at: now,
    };
    let accepted = accept_outbound(state, tx, &thread, &new, Some(audit)).await?;
    Ok(SendOutcome::Accepted(accepted))
}

/// The kind, the validated body and the template (on WhatsApp) of an opt-in request in
/// this conversation, or why it cannot be written.
async fn opt_in_message(
    conn: &mut SqliteConnection,
    thread: &Thread,
    caller: &Staff,
    request: &OptInRequest,
) -> Result<(MessageKind, String, Option<String>), RequestError> {
    check_channel(thread.channel).map_err(|e| RequestError::InvalidInput(e.to_string()))?;
    let (kind, body, template_id) = match thread.channel {
        Channel::Whatsapp => {
            let template = setup::template_for(
                conn,
                &thread.store_id,
                Channel::Whatsapp,
                TemplatePurpose::OptIn,
            )
            .await?
            .ok_or_else(|| {
                RequestError::InvalidInput(format!(
                    "{} has no WhatsApp opt-in template ready to send",
                    thread.store_name
                ))
            })?;
            let body = render(&template, thread, caller)?;
            (MessageKind::Template, body, Some(template.id))
        }
        _ => {
            let body = sms_body(request.intro.as_deref(), &thread.store_name)
                .map_err(|e| RequestError::InvalidInput(e.to_string()))?;
            (MessageKind::Text, body, None)
        }
    };
    Ok((kind, validate_body(&body, thread.channel)?, template_id))
}

/// Marks a conversation read by `caller` now: their unread count becomes 0 (M12).
pub async fn mark_read(
    state: &AppState,
    caller: &Staff,
    conversation_id: &ConversationId,
) -> Result<(), RequestError> {
    let mut tx = state.pool().begin().await?;
    let thread = Thread::visible(&mut tx, caller, conversation_id).await?;
    sqlx::query(
        "INSERT INTO read_markers (conversation_id, staff_id, read_at, unread_count) VALUES (?, ?, ?, 0)
         ON CONFLICT (conversation_id, staff_id) DO UPDATE SET read_at = excluded.read_at, unread_count = 0",
    )
    .bind(conversation_id.as_str())
    .bind(caller.id.as_str())
    .bind(state.now().millis())
    .execute(&mut *tx)
    .await?;
    let seq = changes::record(
        &mut tx,
        &thread.store_id,
        Some(&caller.id),
        Entity::Conversation,
        conversation_id.as_str(),
    )
    .await?;
    tx.commit().await?;
    state.feed().publish(seq);
    Ok(())
}

/// A customer's message arrives from the provider: stored as received, it opens the
/// WhatsApp window (M5) and raises every store staff member's unread count (M12). A
/// keyword that changes consent is audited and gets one automated confirmation (M3, M4,
/// B4); one that changes nothing (STOP when opted out, START when opted in) writes and
/// sends nothing more; HELP always gets the help reply. Automated replies are never
/// blocked by consent.
pub async fn receive(
    state: &AppState,
    conversation_id: &ConversationId,
    body: &str,
) -> Result<Message, RequestError> {
    let mut tx = state.pool().begin().await?;
    let thread = Thread::load(&mut tx, conversation_id)
        .await?
        .ok_or_else(|| RequestError::NotFound(format!("Conversation {conversation_id}")))?;
    let body = validate_body(body, thread.channel)?;
    let now = state.now();
    let inbound_id = MessageId(uuid::Uuid::new_v4().to_string());
    let inbound = NewMessage {
        id: &inbound_id,
        conversation_id,
        direction: Direction::Inbound,
        kind: MessageKind::Text,
        body: &body,
        status: MessageStatus::Received,
        author: None,
        created_at: now,
        origin: Origin::default(),
    };
    insert_message(&mut tx, &inbound).await?;
    touch_conversation(&mut tx, &inbound).await?;
    if thread.channel.has_service_window() {
        let window = thread.window.reopen(now);
        sqlx::query("UPDATE conversations SET window_opened_at = ? WHERE id = ?")
            .bind(window.opened_at.map(Timestamp::millis))
            .bind(conversation_id.as_str())
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO read_markers (conversation_id, staff_id, read_at, unread_count)
         SELECT ?1, staff_id, NULL, 1 FROM staff_stores WHERE store_id = ?2
         ON CONFLICT (conversation_id, staff_id) DO UPDATE SET unread_count = unread_count + 1",
    )
    .bind(conversation_id.as_str())
    .bind(thread.store_id.as_str())
    .execute(&mut *tx)
    .await?;
    changes::record(
        &mut tx,
        &thread.store_id,
        None,
        Entity::Message,
        inbound_id.as_str(),
    )
    .await?;

    let mut automated_id = None;
    let settings = setup::keyword_settings(&mut tx, &thread.store_id).await?;
    let keyword = settings
        .keywords
        .classify(&body)
        .map(|action| (action, apply_keyword(thread.consent, action)));
    if let Some((action, outcome)) = keyword.filter(|(_, outcome)| outcome.replies()) {
        if let KeywordOutcome::Changes(consent) = outcome {
            let keyword = keyword_word(&body).map(str::to_uppercase);
            record_consent(
                &mut tx,
                &thread,
                consent,
                keyword.as_deref(),
                &inbound_id,
                now,
            )
            .await?;
        }
        // One millisecond after the keyword, so it sorts after it everywhere.
        let reply = settings.reply(action).to_owned();
        automated_id = Some(write_automated(&mut tx, &thread, &reply, now.plus_ms(1)).await?);
    }
    let seq = changes::record(
        &mut tx,
        &thread.store_id,
        None,
        Entity::Conversation,
        conversation_id.as_str(),
    )
    .await?;
    let received = stored_message(&mut tx, &inbound_id).await?;
    tx.commit().await?;
    state.feed().publish(seq);
    if let Some(reply_id) = automated_id {
        state.simulation().carry(state, reply_id, 1);
    }
    Ok(received)
}

/// Writes an automated text into `thread` at `at` (a keyword's confirmation, a receipt):
/// handed to the provider at once, so stored as sent; the conversation's latest activity
/// and a message change are written with it. The caller logs the conversation's change,
/// commits and then hands the message to the provider (`Simulation::carry`).
pub async fn write_automated(
    conn: &mut SqliteConnection,
    thread: &Thread,
    body: &str,
    at: Timestamp,
) -> Result<MessageId, sqlx::Error> {
    let id = MessageId(uuid::Uuid::new_v4().to_string());
    let automated = NewMessage {
        id: &id,
        conversation_id: &thread.id,
        direction: Direction::Automated,
        kind: MessageKind::Text,
        body,
        status: MessageStatus::Sent,
        author: None,
        created_at: at,
        origin: Origin::default(),
    };
    insert_message(&mut *conn, &automated).await?;
    touch_conversation(&mut *conn, &automated).await?;
    changes::record(conn, &thread.store_id, None, Entity::Message, id.as_str()).await?;
    Ok(id)
}

/// Stores the customer's consent for the store, audits it (B4) and logs a change for
/// every conversation of theirs in that store, since all of them show it.
async fn record_consent(
    conn: &mut SqliteConnection,
    thread: &Thread,
    consent: ConsentState,
    keyword: Option<&str>,
    evidence: &MessageId,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consents (customer_id, store_id, state, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (customer_id, store_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
    )
    .bind(thread.customer_id.as_str())
    .bind(thread.store_id.as_str())
    .bind(consent.as_str())
    .bind(now.millis())
    .execute(&mut *conn)
    .await?;
    let entry = AuditEntry {
        customer_id: &thread.customer_id,
        store_id: &thread.store_id,
        state: consent,
        channel: thread.channel,
        action: ConsentAction::Keyword,
        keyword,
        message_id: evidence,
        at: now,
    };
    consent::record(&mut *conn, &entry).await?;
    let siblings: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM conversations WHERE customer_id = ? AND store_id = ? AND id <> ? ORDER BY id",
    )
    .bind(thread.customer_id.as_str())
    .bind(thread.store_id.as_str())
    .bind(thread.id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    for sibling in siblings {
        changes::record(conn, &thread.store_id, None, Entity::Conversation, &sibling).await?;
    }
    Ok(())
}

/// The provider reports `reported` for attempt `attempt` of a message, in whatever order
/// its reports arrive. Answers whether the report changed the message: one for an older
/// attempt, one that would move the message backwards (M10), or a read receipt on a
/// channel without them (only WhatsApp has read receipts) changes nothing. The reason is
/// kept only with a failure.
pub async fn report_status(
    state: &AppState,
    id: &MessageId,
    attempt: i64,
    reported: MessageStatus,
    failure_reason: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let mut tx = state.pool().begin().await?;
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT m.status, c.channel, c.store_id FROM messages m
         JOIN conversations c ON c.id = m.conversation_id
         WHERE m.id = ? AND m.attempt = ?",
    )
    .bind(id.as_str())
    .bind(attempt)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((status, channel, store_id)) = row else {
        return Ok(false);
    };
    let current = parse_column(&status, MessageStatus::parse, "message status")?;
    let channel = parse_column(&channel, Channel::parse, "channel")?;
    let Some(next) = current.after_report(reported, channel) else {
        return Ok(false);
    };
    sqlx::query(
        "UPDATE messages SET status = ?, failure_reason = ?, updated_at = ? WHERE id = ? AND attempt = ?",
    )
    .bind(next.as_str())
    .bind(failure_reason.filter(|_| next == MessageStatus::Failed))
    .bind(state.now().millis())
    .bind(id.as_str())
    .bind(attempt)
    .execute(&mut *tx)
    .await?;
    let seq = changes::record(
        &mut tx,
        &store_id.into(),
        None,
        Entity::Message,
        id.as_str(),
    )
    .await?;
    tx.commit().await?;
    state.feed().publish(seq);
    Ok(true)
}
