//! Creating a customer (C12) and editing their details (C13), with `edit_customers`.
//!
//! A creation carries a client-generated UUID: the same request again answers the customer
//! made the first time (200), and another request under that id is refused (409). The
//! details are checked by the domain's rules, the phone read in the store's country; a
//! phone or email another customer of the company has is refused with 409
//! `already_exists` naming the field. The new customer is known to the store they were
//! created in and assigned to their creator, with no consent on record (unknown on every
//! channel), and reaches the store's other devices through the feed. An edit replaces the
//! name, gender and date of birth and is announced in the feed of every store knowing the
//! customer; an edit sent with an id is made once: the same edit again under that id
//! answers the customer as now and changes nothing (an app resending after a lost answer
//! does not undo a later edit), another request under it is refused (409). Answers are
//! masked as the caller may see them (A2).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use clienteling_domain::api::Customer;
use clienteling_domain::customer_details::{
    already_exists, CreateCustomerRequest, CustomerErrors, CustomerField, Gender, NewCustomer,
    UpdateCustomerRequest,
};
use clienteling_domain::{ApiError, CustomerId, Permission, StoreId, Timestamp};
use sqlx::SqliteConnection;

use crate::auth::Caller;
use crate::changes::{self, Entity};
use crate::customers::stars::visible_to;
use crate::directory;
use crate::error::{subject, RequestError};
use crate::routes::{ApiJson, ApiPath};
use crate::state::AppState;

impl From<CustomerErrors> for RequestError {
    fn from(errors: CustomerErrors) -> Self {
        RequestError::Form(errors.into())
    }
}

/// Creates a customer of the company in one of the caller's stores (C12).
///
/// Needs the `edit_customers` permission (A2). The phone may be typed nationally in the
/// store's country or internationally; it is stored in E.164. The answer is masked as the
/// caller may see it.
#[utoipa::path(
    post,
    path = "/api/v1/customers",
    tag = "customers",
    request_body = CreateCustomerRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created, known to the store and assigned to the caller; the store's other devices get it through the change feed", body = Customer),
        (status = 200, description = "Already created under this id by this request: the customer as now", body = Customer),
        (status = 400, description = "invalid_input: a malformed body", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `edit_customers`", body = ApiError),
        (status = 409, description = "already_exists: another customer has this phone or email (`fields` names which); conflict: the id was used for another request", body = ApiError),
        (status = 422, description = "unprocessable: a name missing or over 100 characters, a phone that is no number of the store's country, an email that is none, neither phone nor email, or an id that is no UUID (`fields` names each); a store that is not the caller's", body = ApiError),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<CreateCustomerRequest>,
) -> Result<(StatusCode, Json<Customer>), RequestError> {
    caller.require(Permission::EditCustomers)?;
    if !caller.staff.store_ids.contains(&request.store_id) {
        return Err(RequestError::Unprocessable(format!(
            "{} is not one of your stores: create the customer in one of them",
            subject("Store", request.store_id.as_str())
        )));
    }
    let mut conn = state.pool().acquire().await?;
    let store = directory::store(&mut conn, &request.store_id)
        .await?
        .ok_or_else(|| RequestError::Unprocessable(subject("Store", request.store_id.as_str())))?;
    drop(conn);
    let new = request.validate(&store.country)?;
    let fingerprint = serde_json::to_string(&new).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let now = state.now();
    let mut tx = state.pool().begin_with("BEGIN IMMEDIATE").await?;
    let created: Option<String> =
        sqlx::query_scalar("SELECT request FROM customer_creations WHERE customer_id = ?")
            .bind(new.id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    match created {
        Some(earlier) if earlier == fingerprint => {
            tx.rollback().await?;
            return Ok((StatusCode::OK, answer(&state, &caller, &new.id).await?));
        }
        Some(_) => return Err(id_taken(&new.id)),
        None if directory::customer(&mut tx, &new.id).await?.is_some() => {
            return Err(id_taken(&new.id))
        }
        None => {}
    }
    refuse_duplicates(&mut tx, &new).await?;
    insert(&mut tx, &new, &store.id, &caller, now, &fingerprint).await?;
    let seq = changes::record(&mut tx, &store.id, None, Entity::Customer, new.id.as_str()).await?;
    tx.commit().await?;
    state.feed().publish(seq);
    Ok((StatusCode::CREATED, answer(&state, &caller, &new.id).await?))
}

/// Changes a customer's name, gender and date of birth (C13): all three as given, what is
/// left out cleared. With an `id` (a UUID) the edit is made once: the same edit again
/// under that id answers the customer as now without changing them.
///
/// Needs the `edit_customers` permission (A2); the customer must be known to one of the
/// caller's stores. The answer is masked as the caller may see it.
#[utoipa::path(
    patch,
    path = "/api/v1/customers/{id}",
    tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    request_body = UpdateCustomerRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The customer as now; every store knowing them gets the change through the feed (a repeat of an edit already made under its id changes nothing)", body = Customer),
        (status = 400, description = "invalid_input: a malformed body", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `edit_customers`", body = ApiError),
        (status = 404, description = "No such customer in the caller's stores", body = ApiError),
        (status = 409, description = "conflict: the id was used for another edit", body = ApiError),
        (status = 422, description = "unprocessable: a name missing or over 100 characters, a date of birth that is no date, in the future or before 1900, or an id that is no UUID (`fields` names each)", body = ApiError),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CustomerId>,
    ApiJson(request): ApiJson<UpdateCustomerRequest>,
) -> Result<Json<Customer>, RequestError> {
    caller.require(Permission::EditCustomers)?;
    let now = state.now();
    let mut tx = state.pool().begin_with("BEGIN IMMEDIATE").await?;
    if !visible_to(&mut tx, &caller.staff, &id).await? {
        return Err(RequestError::NotFound(subject("Customer", id.as_str())));
    }
    let edit = request.validate(now)?;
    if let Some(edit_id) = &request.id {
        let fingerprint =
            serde_json::to_string(&(&id, &edit)).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let made: Option<String> =
            sqlx::query_scalar("SELECT request FROM customer_edits WHERE id = ?")
                .bind(edit_id.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        match made {
            Some(earlier) if earlier == fingerprint => {
                tx.rollback().await?;
                return answer(&state, &caller, &id).await;
            }
            Some(_) => {
                return Err(RequestError::Conflict(format!(
                    "{} was already used for another edit: send the edit under a new id",
                    subject("Edit id", edit_id.as_str())
                )))
            }
            None => {}
        }
        sqlx::query(
            "INSERT INTO customer_edits (id, customer_id, edited_by, request) VALUES (?, ?, ?, ?)",
        )
        .bind(edit_id.as_str())
        .bind(id.as_str())
        .bind(caller.staff.id.as_str())
        .bind(&fingerprint)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "UPDATE customers SET first_name = ?, last_name = ?, gender = ?, birth_date = ?,
                updated_at = MAX(updated_at + 1, ?)
         WHERE id = ?",
    )
    .bind(&edit.first_name)
    .bind(&edit.last_name)
    .bind(edit.gender.map(Gender::as_str))
    .bind(edit.birth_date.map(|date| date.to_string()))
    .bind(now.millis())
    .bind(id.as_str())
    .execute(&mut *tx)
    .await?;
    let stores: Vec<String> = sqlx::query_scalar(
        "SELECT store_id FROM customer_stores WHERE customer_id = ? ORDER BY store_id",
    )
    .bind(id.as_str())
    .fetch_all(&mut *tx)
    .await?;
    let mut seq = 0;
    for store in stores {
        seq = changes::record(
            &mut tx,
            &StoreId(store),
            None,
            Entity::Customer,
            id.as_str(),
        )
        .await?;
    }
    tx.commit().await?;
    state.feed().publish(seq);
    answer(&state, &caller, &id).await
}

fn id_taken(id: &CustomerId) -> RequestError {
    RequestError::Conflict(format!(
        "{} was already used for another customer: create the customer under a new id",
        subject("Customer id", id.as_str())
    ))
}

/// Refuses a phone or email another customer of the company has (emails in any case).
async fn refuse_duplicates(
    conn: &mut SqliteConnection,
    new: &NewCustomer,
) -> Result<(), RequestError> {
    if let Some(phone) = &new.phone {
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE phone = ?")
            .bind(phone.as_str())
            .fetch_one(&mut *conn)
            .await?;
        if taken > 0 {
            return Err(RequestError::Form(already_exists(
                CustomerField::Phone,
                phone.as_str(),
            )));
        }
    }
    if let Some(email) = &new.email {
        let taken: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE lower(email) = lower(?)")
                .bind(email)
                .fetch_one(&mut *conn)
                .await?;
        if taken > 0 {
            return Err(RequestError::Form(already_exists(
                CustomerField::Email,
                email,
            )));
        }
    }
    Ok(())
}

async fn insert(
    conn: &mut SqliteConnection,
    new: &NewCustomer,
    store: &StoreId,
    caller: &Caller,
    now: Timestamp,
    fingerprint: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO customers (id, signup_store_id, first_name, last_name, phone, email,
                                updated_at, gender, birth_date, signed_up_at, active)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)",
    )
    .bind(new.id.as_str())
    .bind(store.as_str())
    .bind(&new.first_name)
    .bind(&new.last_name)
    .bind(new.phone.as_ref().map(|phone| phone.as_str()))
    .bind(&new.email)
    .bind(now.millis())
    .bind(new.gender.map(Gender::as_str))
    .bind(now.millis())
    .bind(new.active)
    .execute(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO customer_stores (customer_id, store_id) VALUES (?, ?)")
        .bind(new.id.as_str())
        .bind(store.as_str())
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO customer_assignments (customer_id, staff_id) VALUES (?, ?)")
        .bind(new.id.as_str())
        .bind(caller.staff.id.as_str())
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO customer_creations (customer_id, created_by, request) VALUES (?, ?, ?)",
    )
    .bind(new.id.as_str())
    .bind(caller.staff.id.as_str())
    .bind(fingerprint)
    .execute(&mut *conn)
    .await?;
    Ok(())
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
        .ok_or_else(|| RequestError::NotFound(subject("Customer", id.as_str())))
}
