//! The notes' routes (C9): a customer's notes, writing one (idempotent by its
//! client-generated id), editing and deleting one's own, pinning one. Every one needs the
//! `view_customers` permission and a customer known to one of the caller's stores (else
//! 404, before anything else is looked at, so another store's notes do not exist for the
//! caller); edits and deletions are the author's alone (else 403).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use clienteling_domain::note::{self, CreateNoteRequest, EditNoteRequest, Note, PinNoteRequest};
use clienteling_domain::{ApiError, CustomerId, NoteId, Permission};
use sqlx::SqliteConnection;

use crate::auth::Caller;
use crate::error::RequestError;
use crate::notes::store;
use crate::routes::{ApiJson, ApiPath};
use crate::state::AppState;

/// The caller's customer, or 404.
async fn visible_customer(
    conn: &mut SqliteConnection,
    caller: &Caller,
    id: &CustomerId,
) -> Result<(), RequestError> {
    if store::customer_visible(conn, &caller.staff, id).await? {
        Ok(())
    } else {
        Err(RequestError::NotFound(format!("Customer {id}")))
    }
}

/// A note of one of the caller's customers (a deleted one included), or 404.
async fn visible_note(
    conn: &mut SqliteConnection,
    caller: &Caller,
    id: &NoteId,
) -> Result<Note, RequestError> {
    let found = store::get(&mut *conn, id).await?;
    match found {
        Some(note) if store::customer_visible(conn, &caller.staff, &note.customer_id).await? => {
            Ok(note)
        }
        _ => Err(RequestError::NotFound(format!("Note {id}"))),
    }
}

/// Refuses (403) unless the caller wrote `note`.
fn require_author(caller: &Caller, note: &Note) -> Result<(), RequestError> {
    if note.may_be_changed_by(&caller.staff.id) {
        Ok(())
    } else {
        Err(RequestError::Forbidden(format!(
            "Only {} can change this note: it is theirs",
            note.author_name
        )))
    }
}

/// Logs `ids` (notes of `customer_id`) in the feed, commits and wakes the live streams.
async fn commit(
    state: &AppState,
    mut tx: sqlx::Transaction<'_, sqlx::Sqlite>,
    customer_id: &CustomerId,
    ids: &[NoteId],
) -> Result<(), RequestError> {
    let mut last = 0;
    for id in ids {
        last = store::record_change(&mut tx, customer_id, id).await?;
    }
    tx.commit().await?;
    if last > 0 {
        state.feed().publish(last);
    }
    Ok(())
}

/// A customer's notes: the pinned one first, then newest first; deleted notes left out.
///
/// Needs the `view_customers` permission (A2).
#[utoipa::path(
    get,
    path = "/api/v1/customers/{id}/notes",
    tag = "notes",
    params(("id" = String, Path, description = "Customer id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The customer's notes, pinned first, then newest first", body = [Note]),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`", body = ApiError),
        (status = 404, description = "No such customer in the caller's stores", body = ApiError),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(customer_id): ApiPath<CustomerId>,
) -> Result<Json<Vec<Note>>, RequestError> {
    caller.require(Permission::ViewCustomers)?;
    let mut conn = state.pool().acquire().await?;
    visible_customer(&mut conn, &caller, &customer_id).await?;
    Ok(Json(store::of_customer(&mut conn, &customer_id).await?))
}

/// Writes a note on a customer, stamped with the backend's clock and its author. The note
/// id (a UUID) is the idempotency key: the same note again (same customer, author and
/// text it was created with) answers with the stored note (200) as it is now, even edited
/// or deleted since; anything else under the id is a conflict.
///
/// Needs the `view_customers` permission (A2).
#[utoipa::path(
    post,
    path = "/api/v1/customers/{id}/notes",
    tag = "notes",
    params(("id" = String, Path, description = "Customer id")),
    request_body = CreateNoteRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Written; other devices get it through the change feed", body = Note),
        (status = 200, description = "Already written under this id: the stored note as it is now", body = Note),
        (status = 400, description = "invalid_input: the id is not a UUID, or the text is empty or over 2 000 characters", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`", body = ApiError),
        (status = 404, description = "No such customer in the caller's stores", body = ApiError),
        (status = 409, description = "The id was used for another note (another customer, author or text)", body = ApiError),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(customer_id): ApiPath<CustomerId>,
    ApiJson(request): ApiJson<CreateNoteRequest>,
) -> Result<(StatusCode, Json<Note>), RequestError> {
    caller.require(Permission::ViewCustomers)?;
    let mut tx = state.pool().begin_with("BEGIN IMMEDIATE").await?;
    visible_customer(&mut tx, &caller, &customer_id).await?;
    let body = note::check_create(&request)?;
    let now = state.now();
    let new = Note {
        id: request.id.clone(),
        customer_id: customer_id.clone(),
        author_staff_id: caller.staff.id.clone(),
        author_name: caller.staff.name.clone(),
        body,
        pinned: false,
        created_at: now,
        updated_at: now,
        deleted: false,
    };
    if store::insert(&mut tx, &new).await? {
        commit(&state, tx, &customer_id, std::slice::from_ref(&new.id)).await?;
        return Ok((StatusCode::CREATED, Json(new)));
    }
    let stored = store::get(&mut tx, &new.id).await?;
    let created_body = store::created_body(&mut tx, &new.id).await?;
    match stored {
        Some(stored)
            if stored.customer_id == new.customer_id
                && stored.author_staff_id == new.author_staff_id
                && created_body.as_deref() == Some(new.body.as_str()) =>
        {
            Ok((StatusCode::OK, Json(stored)))
        }
        _ => Err(RequestError::Conflict(format!(
            "Note id {} was already used for another note",
            new.id
        ))),
    }
}

/// Gives one of the caller's own notes a new text. The same text again changes nothing
/// and answers with the note.
///
/// Needs the `view_customers` permission (A2); only the note's author may edit it.
#[utoipa::path(
    patch,
    path = "/api/v1/notes/{id}",
    tag = "notes",
    params(("id" = String, Path, description = "Note id")),
    request_body = EditNoteRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The note with its new text", body = Note),
        (status = 400, description = "invalid_input: the text is empty or over 2 000 characters", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`, or the note is someone else's", body = ApiError),
        (status = 404, description = "No such note (or it was deleted) on a customer of the caller's stores", body = ApiError),
    )
)]
pub async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<NoteId>,
    ApiJson(request): ApiJson<EditNoteRequest>,
) -> Result<Json<Note>, RequestError> {
    caller.require(Permission::ViewCustomers)?;
    let mut tx = state.pool().begin_with("BEGIN IMMEDIATE").await?;
    let stored = visible_note(&mut tx, &caller, &id).await?;
    if stored.deleted {
        return Err(RequestError::NotFound(format!("Note {id}")));
    }
    require_author(&caller, &stored)?;
    let body = note::check_body(&request.body)?;
    if stored.body == body {
        return Ok(Json(stored));
    }
    store::set_body(&mut tx, &id, &body, state.now()).await?;
    let edited = store::get(&mut tx, &id)
        .await?
        .ok_or_else(|| RequestError::NotFound(format!("Note {id}")))?;
    commit(&state, tx, &edited.customer_id, std::slice::from_ref(&id)).await?;
    Ok(Json(edited))
}

/// Deletes one of the caller's own notes; deleting it again changes nothing. Answers with
/// the tombstone (`deleted` set), which the change feed carries to every device.
///
/// Needs the `view_customers` permission (A2); only the note's author may delete it.
#[utoipa::path(
    delete,
    path = "/api/v1/notes/{id}",
    tag = "notes",
    params(("id" = String, Path, description = "Note id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Deleted (now or before): the tombstone", body = Note),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`, or the note is someone else's", body = ApiError),
        (status = 404, description = "No such note on a customer of the caller's stores", body = ApiError),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<NoteId>,
) -> Result<Json<Note>, RequestError> {
    caller.require(Permission::ViewCustomers)?;
    let mut tx = state.pool().begin_with("BEGIN IMMEDIATE").await?;
    let stored = visible_note(&mut tx, &caller, &id).await?;
    require_author(&caller, &stored)?;
    if stored.deleted {
        return Ok(Json(stored));
    }
    store::mark_deleted(&mut tx, &id, state.now()).await?;
    let deleted = store::get(&mut tx, &id)
        .await?
        .ok_or_else(|| RequestError::NotFound(format!("Note {id}")))?;
    commit(&state, tx, &deleted.customer_id, std::slice::from_ref(&id)).await?;
    Ok(Json(deleted))
}

/// Pins a note of one of the caller's customers (unpinning the one pinned before: one
/// pinned note per customer), or unpins it. Anyone who sees the customer may pin any of
/// their notes; pinning the pinned note again changes nothing.
///
/// Needs the `view_customers` permission (A2).
#[utoipa::path(
    put,
    path = "/api/v1/notes/{id}/pin",
    tag = "notes",
    params(("id" = String, Path, description = "Note id")),
    request_body = PinNoteRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The note, pinned or not; a note unpinned by it comes through the change feed", body = Note),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`", body = ApiError),
        (status = 404, description = "No such note (or it was deleted) on a customer of the caller's stores", body = ApiError),
    )
)]
pub async fn pin(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<NoteId>,
    ApiJson(request): ApiJson<PinNoteRequest>,
) -> Result<Json<Note>, RequestError> {
    caller.require(Permission::ViewCustomers)?;
    let mut tx = state.pool().begin_with("BEGIN IMMEDIATE").await?;
    let stored = visible_note(&mut tx, &caller, &id).await?;
    if stored.deleted {
        return Err(RequestError::NotFound(format!("Note {id}")));
    }
    let changed = store::set_pinned(
        &mut tx,
        &stored.customer_id,
        &id,
        request.pinned,
        state.now(),
    )
    .await?;
    let pinned = store::get(&mut tx, &id)
        .await?
        .ok_or_else(|| RequestError::NotFound(format!("Note {id}")))?;
    commit(&state, tx, &stored.customer_id, &changed).await?;
    Ok(Json(pinned))
}
