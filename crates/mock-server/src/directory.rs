//! Who and where: stores, staff and customers as the database keeps them. (Customers as a
//! viewer may see them are the `customers` module's.)

use clienteling_domain::api::{Customer, DemoUser, Role, Staff, Store};
use clienteling_domain::attribute::Date;
use clienteling_domain::channel::ChannelSetup;
use clienteling_domain::customer_details::Gender;
use clienteling_domain::{Channel, CustomerId, StaffId, StoreId, Timestamp};
use sqlx::SqliteConnection;

use crate::db::parse_column;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo";

#[derive(sqlx::FromRow)]
struct StoreRow {
    id: String,
    name: String,
    country: String,
    channels: String,
    clienteling_number: Option<String>,
}

impl StoreRow {
    fn into_store(self) -> Result<Store, sqlx::Error> {
        let channels = self
            .channels
            .split(',')
            .filter(|name| !name.is_empty())
            .map(|name| parse_column(name, Channel::parse, "channel"))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Store {
            id: StoreId(self.id),
            name: self.name,
            country: self.country,
            channels,
            clienteling_number: self.clienteling_number,
        })
    }
}

#[derive(sqlx::FromRow)]
struct StaffRow {
    id: String,
    name: String,
    login: String,
    role: String,
}

/// A row of the `customers` table.
#[derive(sqlx::FromRow)]
pub(crate) struct CustomerRow {
    id: String,
    first_name: String,
    last_name: String,
    phone: Option<String>,
    email: Option<String>,
    updated_at: i64,
    gender: Option<String>,
    birth_date: Option<String>,
    signed_up_at: Option<i64>,
    active: bool,
}

impl CustomerRow {
    /// The customer without their stores and assignments (enough to match a search).
    pub(crate) fn into_bare_customer(self) -> Customer {
        Customer {
            id: CustomerId(self.id),
            store_ids: Vec::new(),
            first_name: self.first_name,
            last_name: self.last_name,
            phone: self.phone,
            email: self.email,
            assigned_staff_ids: Vec::new(),
            updated_at: Timestamp(self.updated_at),
            gender: self.gender.as_deref().and_then(Gender::parse),
            birth_date: self
                .birth_date
                .as_deref()
                .and_then(|date| Date::parse(date).ok()),
            signed_up_at: self.signed_up_at.map(Timestamp),
            active: self.active,
        }
    }
}

/// Stores a staff member works in, in their own order.
pub async fn stores_of(
    conn: &mut SqliteConnection,
    staff_id: &StaffId,
) -> Result<Vec<Store>, sqlx::Error> {
    let rows: Vec<StoreRow> = sqlx::query_as(
        "SELECT s.id, s.name, s.country, s.channels, s.clienteling_number
         FROM stores s JOIN staff_stores ss ON ss.store_id = s.id
         WHERE ss.staff_id = ? ORDER BY ss.position",
    )
    .bind(staff_id.as_str())
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(StoreRow::into_store).collect()
}

/// A store by id.
pub async fn store(
    conn: &mut SqliteConnection,
    id: &StoreId,
) -> Result<Option<Store>, sqlx::Error> {
    let row: Option<StoreRow> = sqlx::query_as(
        "SELECT id, name, country, channels, clienteling_number FROM stores WHERE id = ?",
    )
    .bind(id.as_str())
    .fetch_optional(conn)
    .await?;
    row.map(StoreRow::into_store).transpose()
}

fn channel_names(setup: &ChannelSetup) -> String {
    let names: Vec<&str> = setup.channels().iter().map(|c| c.as_str()).collect();
    names.join(",")
}

/// Adds a store with a channel set-up that passed the M1 rules (its own `channels` and
/// `clienteling_number` are not used).
pub async fn insert_store(
    conn: &mut SqliteConnection,
    store: &Store,
    channels: &ChannelSetup,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO stores (id, name, country, channels, clienteling_number) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(store.id.as_str())
    .bind(&store.name)
    .bind(&store.country)
    .bind(channel_names(channels))
    .bind(channels.clienteling_number())
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces a store's channels and clienteling number with a set-up that passed the M1
/// rules.
pub async fn save_channels(
    conn: &mut SqliteConnection,
    id: &StoreId,
    channels: &ChannelSetup,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE stores SET channels = ?, clienteling_number = ? WHERE id = ?")
        .bind(channel_names(channels))
        .bind(channels.clienteling_number())
        .bind(id.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

async fn complete_staff(conn: &mut SqliteConnection, row: StaffRow) -> Result<Staff, sqlx::Error> {
    let store_ids: Vec<String> = sqlx::query_scalar(
        "SELECT store_id FROM staff_stores WHERE staff_id = ? ORDER BY position",
    )
    .bind(&row.id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Staff {
        role: parse_column(&row.role, Role::parse, "role")?,
        id: StaffId(row.id),
        name: row.name,
        login: row.login,
        store_ids: store_ids.into_iter().map(StoreId).collect(),
    })
}

/// A staff member by id.
pub async fn staff(
    conn: &mut SqliteConnection,
    id: &StaffId,
) -> Result<Option<Staff>, sqlx::Error> {
    let row: Option<StaffRow> =
        sqlx::query_as("SELECT id, name, login, role FROM staff WHERE id = ?")
            .bind(id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    match row {
        Some(row) => complete_staff(conn, row).await.map(Some),
        None => Ok(None),
    }
}

/// The staff member signing in as `login` (any case) and their password's PHC string.
pub async fn credentials(
    conn: &mut SqliteConnection,
    login: &str,
) -> Result<Option<(StaffId, String)>, sqlx::Error> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT id, password_hash FROM staff WHERE lower(login) = lower(?)")
            .bind(login.trim())
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(id, hash)| (StaffId(id), hash)))
}

/// Every demo account, in the order the sign-in screen lists them, with the demo password.
pub async fn demo_users(conn: &mut SqliteConnection) -> Result<Vec<DemoUser>, sqlx::Error> {
    let rows: Vec<StaffRow> =
        sqlx::query_as("SELECT id, name, login, role FROM staff ORDER BY position")
            .fetch_all(&mut *conn)
            .await?;
    let mut users = Vec::with_capacity(rows.len());
    for row in rows {
        let staff = complete_staff(conn, row).await?;
        let store_names = stores_of(conn, &staff.id)
            .await?
            .into_iter()
            .map(|store| store.name)
            .collect();
        users.push(DemoUser {
            staff,
            store_names,
            password: DEMO_PASSWORD.to_owned(),
        });
    }
    Ok(users)
}

/// A customer by id, unmasked: answers render it with `customers::as_seen_by`.
pub async fn customer(
    conn: &mut SqliteConnection,
    id: &CustomerId,
) -> Result<Option<Customer>, sqlx::Error> {
    let row: Option<CustomerRow> = sqlx::query_as(
        "SELECT id, first_name, last_name, phone, email, updated_at, gender, birth_date,
                signed_up_at, active
         FROM customers WHERE id = ?",
    )
    .bind(id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let assigned: Vec<String> = sqlx::query_scalar(
        "SELECT staff_id FROM customer_assignments WHERE customer_id = ? ORDER BY staff_id",
    )
    .bind(&row.id)
    .fetch_all(&mut *conn)
    .await?;
    let stores: Vec<String> = sqlx::query_scalar(
        "SELECT store_id FROM customer_stores WHERE customer_id = ? ORDER BY store_id",
    )
    .bind(&row.id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(Customer {
        store_ids: stores.into_iter().map(StoreId).collect(),
        assigned_staff_ids: assigned.into_iter().map(StaffId).collect(),
        ..row.into_bare_customer()
    }))
}

/// Every store of the company, by id.
pub async fn all_stores(conn: &mut SqliteConnection) -> Result<Vec<Store>, sqlx::Error> {
    let rows: Vec<StoreRow> = sqlx::query_as(
        "SELECT id, name, country, channels, clienteling_number FROM stores ORDER BY id",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(StoreRow::into_store).collect()
}

/// Every staff member of the company, by name, with their stores.
pub async fn all_staff(conn: &mut SqliteConnection) -> Result<Vec<Staff>, sqlx::Error> {
    let rows: Vec<StaffRow> =
        sqlx::query_as("SELECT id, name, login, role FROM staff ORDER BY name, id")
            .fetch_all(&mut *conn)
            .await?;
    let mut staff = Vec::with_capacity(rows.len());
    for row in rows {
        staff.push(complete_staff(conn, row).await?);
    }
    Ok(staff)
}
