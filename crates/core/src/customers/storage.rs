//! The `customers` table: the customers of the signed-in staff member's stores.

use clienteling_domain::api::Customer;
use clienteling_domain::customer_details::Gender;
use clienteling_domain::customer_search::{email_key, name_key, phone_key};
use clienteling_domain::{CustomerId, Timestamp};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use crate::columns::{from_json, to_json};
use crate::error::CoreError;

/// Columns of a customer, each prefixed with `cu_` so they can sit beside a conversation's
/// in one joined row.
pub const COLUMNS: &str =
    "cu.id AS cu_id, cu.store_ids AS cu_store_ids, cu.first_name AS cu_first_name, \
     cu.last_name AS cu_last_name, cu.phone AS cu_phone, cu.email AS cu_email, \
     cu.assigned_staff_ids AS cu_assigned_staff_ids, cu.updated_at AS cu_updated_at, \
     cu.gender AS cu_gender, cu.birth_date AS cu_birth_date, \
     cu.signed_up_at AS cu_signed_up_at, cu.active AS cu_active";

/// Customers per upsert statement: 15 bound values each, well under SQLite's 32 766.
const UPSERT_ROWS: usize = 1_000;

/// What to do with a customer already stored.
const REPLACE: &str = " ON CONFLICT (id) DO UPDATE SET store_ids = excluded.store_ids, \
     name_key = excluded.name_key, phone_key = excluded.phone_key, email_key = excluded.email_key, \
     first_name = excluded.first_name, last_name = excluded.last_name, \
     phone = excluded.phone, email = excluded.email, \
     assigned_staff_ids = excluded.assigned_staff_ids, updated_at = excluded.updated_at, \
     gender = excluded.gender, birth_date = excluded.birth_date, \
     signed_up_at = excluded.signed_up_at, active = excluded.active";
const KEEP: &str = " ON CONFLICT (id) DO NOTHING";

/// Inserts or replaces customers as the backend sent them, [`UPSERT_ROWS`] to a statement;
/// a customer listed twice ends as its later version. A customer whose details edit made
/// on this device still waits keeps showing it (C13, `edits`).
pub async fn upsert(conn: &mut SqliteConnection, customers: &[&Customer]) -> Result<(), CoreError> {
    write(&mut *conn, customers, REPLACE).await?;
    super::edits::keep_waiting(conn, customers).await
}

/// Stores `customer` as this device shows them (an edit of their details waiting, C13).
pub async fn show(conn: &mut SqliteConnection, customer: &Customer) -> Result<(), CoreError> {
    write(conn, &[customer], REPLACE).await
}

/// Inserts the customers not stored yet and leaves the others as they are: a backfill's
/// older page never overwrites what the live feed brought meanwhile.
pub async fn insert_missing(
    conn: &mut SqliteConnection,
    customers: &[&Customer],
) -> Result<(), CoreError> {
    write(conn, customers, KEEP).await
}

async fn write(
    conn: &mut SqliteConnection,
    customers: &[&Customer],
    on_conflict: &str,
) -> Result<(), CoreError> {
    for chunk in customers.chunks(UPSERT_ROWS) {
        let lists: Vec<(String, String)> = chunk
            .iter()
            .map(|customer| {
                Ok((
                    to_json("customers.store_ids", &customer.store_ids)?,
                    to_json("customers.assigned_staff_ids", &customer.assigned_staff_ids)?,
                ))
            })
            .collect::<Result<_, CoreError>>()?;
        let mut upsert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO customers (id, store_ids, first_name, last_name, phone, email, \
             assigned_staff_ids, updated_at, name_key, phone_key, email_key, \
             gender, birth_date, signed_up_at, active) ",
        );
        upsert.push_values(
            chunk.iter().zip(&lists),
            |mut row, (customer, (stores, assigned))| {
                row.push_bind(customer.id.as_str())
                    .push_bind(stores)
                    .push_bind(&customer.first_name)
                    .push_bind(&customer.last_name)
                    .push_bind(&customer.phone)
                    .push_bind(&customer.email)
                    .push_bind(assigned)
                    .push_bind(customer.updated_at.millis())
                    .push_bind(name_key(&customer.first_name, &customer.last_name))
                    .push_bind(customer.phone.as_deref().map(phone_key).unwrap_or_default())
                    .push_bind(customer.email.as_deref().map(email_key).unwrap_or_default())
                    .push_bind(customer.gender.map(Gender::as_str))
                    .push_bind(customer.birth_date.map(|date| date.to_string()))
                    .push_bind(customer.signed_up_at.map(Timestamp::millis))
                    .push_bind(customer.active);
            },
        );
        upsert.push(on_conflict);
        upsert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// One customer.
pub async fn get(
    conn: &mut SqliteConnection,
    id: &CustomerId,
) -> Result<Option<Customer>, CoreError> {
    let sql = format!("SELECT {COLUMNS} FROM customers cu WHERE cu.id = ?");
    let row = sqlx::query(&sql)
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?;
    row.map(|row| decode(&row)).transpose()
}

/// A customer from a row holding [`COLUMNS`].
pub(crate) fn decode(row: &SqliteRow) -> Result<Customer, CoreError> {
    Ok(Customer {
        id: CustomerId(row.try_get("cu_id")?),
        store_ids: from_json(
            "customers.store_ids",
            &row.try_get::<String, _>("cu_store_ids")?,
        )?,
        first_name: row.try_get("cu_first_name")?,
        last_name: row.try_get("cu_last_name")?,
        phone: row.try_get("cu_phone")?,
        email: row.try_get("cu_email")?,
        assigned_staff_ids: from_json(
            "customers.assigned_staff_ids",
            &row.try_get::<String, _>("cu_assigned_staff_ids")?,
        )?,
        updated_at: Timestamp(row.try_get("cu_updated_at")?),
        gender: details::gender(row.try_get("cu_gender")?)?,
        birth_date: details::birth_date(row.try_get("cu_birth_date")?)?,
        signed_up_at: row
            .try_get::<Option<i64>, _>("cu_signed_up_at")?
            .map(Timestamp),
        active: row.try_get("cu_active")?,
    })
}

/// Decoding the details columns (C12, C13), shared with the inbox's joined rows.
pub(crate) mod details {
    use clienteling_domain::attribute::Date;
    use clienteling_domain::customer_details::Gender;

    use crate::error::CoreError;

    /// A stored gender name.
    pub fn gender(stored: Option<String>) -> Result<Option<Gender>, CoreError> {
        stored
            .map(|name| {
                Gender::parse(&name)
                    .ok_or_else(|| CoreError::Corrupt(format!("customers.gender: {name:?}")))
            })
            .transpose()
    }

    /// A stored date of birth.
    pub fn birth_date(stored: Option<String>) -> Result<Option<Date>, CoreError> {
        stored
            .map(|text| {
                Date::parse(&text)
                    .map_err(|e| CoreError::Corrupt(format!("customers.birth_date {text:?}: {e}")))
            })
            .transpose()
    }
}
