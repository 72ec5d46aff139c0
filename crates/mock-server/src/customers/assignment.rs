//! Assigning a customer to stores and staff (C3): the full new sets, checked by the
//! domain's rule against the company's stores and staff, saved with an audit entry (who,
//! when, from, to) and announced in the feed of every store concerned, so each device
//! updates and a store newly knowing the customer gets them with their conversations
//! there at once (C11). Also the company's staff, for the picker.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::Json;
use clienteling_domain::api::{Customer, Staff};
use clienteling_domain::assignment::{self, AssignmentEntry, AssignmentError, AssignmentRequest};
use clienteling_domain::{ApiError, CustomerId, Permission, StaffId, StoreId, Timestamp};
use sqlx::SqliteConnection;

use crate::auth::Caller;
use crate::changes::{self, Entity};
use crate::customers::stars::visible_to;
use crate::directory;
use crate::error::RequestError;
use crate::routes::{ApiJson, ApiPath};
use crate::state::AppState;

/// The most audit entries answered.
pub const AUDIT_LIMIT: i64 = 100;

impl From<AssignmentError> for RequestError {
    fn from(error: AssignmentError) -> Self {
        RequestError::Unprocessable(error.to_string())
    }
}

/// Assigns the customer to exactly these stores and staff (C3), each staff member working
/// in one of the stores. Audited; a request naming the sets the customer already has
/// changes nothing and adds no audit entry. Every store the customer was or is now known
/// to hears of it in its feed, with the customer's conversations there for a store newly
/// knowing them (C11).
///
/// Needs the `assign_customers` permission (A2); the customer must be known to one of the
/// caller's stores.
#[utoipa::path(
    put,
    path = "/api/v1/customers/{id}/assignment",
    tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    request_body = AssignmentRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The customer as now assigned, as the caller sees them", body = Customer),
        (status = 400, description = "invalid_input: a malformed body", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `assign_customers`", body = ApiError),
        (status = 404, description = "No such customer in the caller's stores", body = ApiError),
        (status = 422, description = "unprocessable: no store, an unknown store or staff member, a staff member outside the chosen stores, or more than 500 of either", body = ApiError),
    )
)]
pub async fn assign(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CustomerId>,
    ApiJson(request): ApiJson<AssignmentRequest>,
) -> Result<Json<Customer>, RequestError> {
    caller.require(Permission::AssignCustomers)?;
    let now = state.now();
    let mut tx = state.pool().begin().await?;
    let before = match directory::customer(&mut tx, &id).await? {
        Some(customer) if visible_to(&mut tx, &caller.staff, &id).await? => customer,
        _ => return Err(RequestError::NotFound(format!("Customer {id}"))),
    };
    let stores: Vec<StoreId> = directory::all_stores(&mut tx)
        .await?
        .into_iter()
        .map(|store| store.id)
        .collect();
    let staff = directory::all_staff(&mut tx).await?;
    let wanted = assignment::validate(&request, &stores, &staff)?;
    if wanted.store_ids == before.store_ids && wanted.staff_ids == before.assigned_staff_ids {
        tx.rollback().await?;
        return answer(&state, &caller, &id).await;
    }
    save(&mut tx, &id, &wanted.store_ids, &wanted.staff_ids, now).await?;
    sqlx::query(
        "INSERT INTO assignment_audit (customer_id, by_staff_id, at, from_store_ids, from_staff_ids, to_store_ids, to_staff_ids)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.as_str())
    .bind(caller.staff.id.as_str())
    .bind(now.millis())
    .bind(ids_json(&before.store_ids)?)
    .bind(ids_json(&before.assigned_staff_ids)?)
    .bind(ids_json(&wanted.store_ids)?)
    .bind(ids_json(&wanted.staff_ids)?)
    .execute(&mut *tx)
    .await?;
    let seq = announce(&mut tx, &id, &before.store_ids, &wanted.store_ids).await?;
    tx.commit().await?;
    state.feed().publish(seq);
    answer(&state, &caller, &id).await
}

/// The customer's assignment audit, newest first, at most 100 entries (C3).
///
/// Needs the `view_customers` permission (A2); the customer must be known to one of the
/// caller's stores.
#[utoipa::path(
    get,
    path = "/api/v1/customers/{id}/assignments",
    tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Who assigned the customer when, from which stores and staff to which, newest first", body = [AssignmentEntry]),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`", body = ApiError),
        (status = 404, description = "No such customer in the caller's stores", body = ApiError),
    )
)]
pub async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CustomerId>,
) -> Result<Json<Vec<AssignmentEntry>>, RequestError> {
    caller.require(Permission::ViewCustomers)?;
    let mut conn = state.pool().acquire().await?;
    if !visible_to(&mut conn, &caller.staff, &id).await? {
        return Err(RequestError::NotFound(format!("Customer {id}")));
    }
    Ok(Json(entries(&mut conn, &id).await?))
}

/// The company's staff with their stores, by name: whom a customer can be assigned to
/// (C3).
///
/// Needs the `assign_customers` permission (A2).
#[utoipa::path(
    get,
    path = "/api/v1/staff",
    tag = "customers",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every staff member of the company with their stores, by name", body = [Staff]),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `assign_customers`", body = ApiError),
    )
)]
pub async fn staff(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Staff>>, RequestError> {
    caller.require(Permission::AssignCustomers)?;
    let mut conn = state.pool().acquire().await?;
    Ok(Json(directory::all_staff(&mut conn).await?))
}

async fn answer(
    state: &AppState,
    caller: &Caller,
    id: &CustomerId,
) -> Result<Json<Customer>, RequestError> {
    let mut conn = state.pool().acquire().await?;
    super::customer_seen_by(&mut conn, id, caller.permissions())
        .await?
        .map(Json)
        .ok_or_else(|| RequestError::NotFound(format!("Customer {id}")))
}

fn ids_json<T: serde::Serialize>(ids: &[T]) -> Result<String, sqlx::Error> {
    serde_json::to_string(ids).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

fn parse_ids<T: From<String>>(column: &str, text: &str) -> Result<Vec<T>, sqlx::Error> {
    let ids: Vec<String> = serde_json::from_str(text).map_err(|e| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: Box::new(e),
    })?;
    Ok(ids.into_iter().map(T::from).collect())
}

/// Replaces the customer's stores and staff and marks them updated.
async fn save(
    conn: &mut SqliteConnection,
    id: &CustomerId,
    stores: &[StoreId],
    staff: &[StaffId],
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM customer_stores WHERE customer_id = ?")
        .bind(id.as_str())
        .execute(&mut *conn)
        .await?;
    for store in stores {
        sqlx::query("INSERT INTO customer_stores (customer_id, store_id) VALUES (?, ?)")
            .bind(id.as_str())
            .bind(store.as_str())
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("DELETE FROM customer_assignments WHERE customer_id = ?")
        .bind(id.as_str())
        .execute(&mut *conn)
        .await?;
    for member in staff {
        sqlx::query("INSERT INTO customer_assignments (customer_id, staff_id) VALUES (?, ?)")
            .bind(id.as_str())
            .bind(member.as_str())
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("UPDATE customers SET updated_at = MAX(updated_at + 1, ?) WHERE id = ?")
        .bind(now.millis())
        .bind(id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Writes the customer's change marker in every store it was or is now known to, and for
/// each store newly knowing them their conversations there (C11); answers the last
/// sequence number.
async fn announce(
    conn: &mut SqliteConnection,
    id: &CustomerId,
    before: &[StoreId],
    after: &[StoreId],
) -> Result<i64, sqlx::Error> {
    let concerned: BTreeSet<&StoreId> = before.iter().chain(after).collect();
    let mut seq = 0;
    for store in concerned {
        seq = changes::record(conn, store, None, Entity::Customer, id.as_str()).await?;
    }
    for store in after.iter().filter(|store| !before.contains(store)) {
        let conversations: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM conversations WHERE customer_id = ? AND store_id = ?
             ORDER BY last_activity_at, id",
        )
        .bind(id.as_str())
        .bind(store.as_str())
        .fetch_all(&mut *conn)
        .await?;
        for conversation in conversations {
            seq = changes::record(conn, store, None, Entity::Conversation, &conversation).await?;
        }
    }
    Ok(seq)
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    by_staff_id: String,
    by_name: String,
    at: i64,
    from_store_ids: String,
    from_staff_ids: String,
    to_store_ids: String,
    to_staff_ids: String,
}

/// The audit of `id`, newest first, at most [`AUDIT_LIMIT`], with the names of who
/// assigned and of the staff assigned.
pub async fn entries(
    conn: &mut SqliteConnection,
    id: &CustomerId,
) -> Result<Vec<AssignmentEntry>, sqlx::Error> {
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT a.by_staff_id, s.name AS by_name, a.at, a.from_store_ids, a.from_staff_ids,
                a.to_store_ids, a.to_staff_ids
         FROM assignment_audit a JOIN staff s ON s.id = a.by_staff_id
         WHERE a.customer_id = ? ORDER BY a.id DESC LIMIT ?",
    )
    .bind(id.as_str())
    .bind(AUDIT_LIMIT)
    .fetch_all(&mut *conn)
    .await?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        let to_staff_ids: Vec<StaffId> = parse_ids("to_staff_ids", &row.to_staff_ids)?;
        let mut to_staff_names = Vec::with_capacity(to_staff_ids.len());
        for member in &to_staff_ids {
            let name: Option<String> = sqlx::query_scalar("SELECT name FROM staff WHERE id = ?")
                .bind(member.as_str())
                .fetch_optional(&mut *conn)
                .await?;
            to_staff_names.push(name.unwrap_or_else(|| member.to_string()));
        }
        entries.push(AssignmentEntry {
            customer_id: id.clone(),
            by_staff_id: StaffId(row.by_staff_id),
            by_name: row.by_name,
            at: Timestamp(row.at),
            from_store_ids: parse_ids("from_store_ids", &row.from_store_ids)?,
            from_staff_ids: parse_ids("from_staff_ids", &row.from_staff_ids)?,
            to_store_ids: parse_ids("to_store_ids", &row.to_store_ids)?,
            to_staff_ids,
            to_staff_names,
        });
    }
    Ok(entries)
}
