//! Writing the generated demo into an empty database, with every customer, message and
//! conversation (and note) in the change log so a first sync from cursor 0 gets it all. Stores go
//! through the same channel rules (M1) as `PUT /stores/{id}/channels`.

use clienteling_domain::api::Staff;
use clienteling_domain::channel::ChannelSetup;
use clienteling_domain::customer_details::Gender;
use clienteling_domain::{ConsentState, StaffId, Timestamp};
use sqlx::{SqliteConnection, SqlitePool};

use super::{generate, setup, stores, DemoConversation, DemoData};
use crate::changes::{self, Entity};
use crate::directory::{self, DEMO_PASSWORD};
use crate::error::ServerError;
use crate::{notes, password};

/// Seeds the demo into an empty database; answers whether it did.
pub async fn seed_if_empty(
    pool: &SqlitePool,
    seed: u64,
    now: Timestamp,
) -> Result<bool, ServerError> {
    let mut tx = pool.begin().await?;
    let stores: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stores")
        .fetch_one(&mut *tx)
        .await?;
    let seeded = stores == 0;
    if seeded {
        let demo = generate(seed, now);
        insert(&mut tx, &demo, now).await?;
        super::orders::seed(&mut tx, &demo, seed, now).await?;
    }
    seed_setup(&mut tx).await?;
    super::attributes::seed(&mut tx, seed, now).await?;
    tx.commit().await?;
    Ok(seeded)
}

/// Gives every demo store in the database its templates, quick replies and keyword
/// settings, unless it has them (a database seeded before they existed gets them too).
async fn seed_setup(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    for store in stores() {
        let present: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stores WHERE id = ?")
            .bind(store.id.as_str())
            .fetch_one(&mut *conn)
            .await?;
        if present > 0 {
            let templates = setup::templates(&store);
            let quick_replies = setup::quick_replies(&store);
            crate::setup::seed(conn, &store, &templates, &quick_replies).await?;
        }
    }
    Ok(())
}

async fn insert(
    conn: &mut SqliteConnection,
    demo: &DemoData,
    now: Timestamp,
) -> Result<(), ServerError> {
    for store in &demo.stores {
        let channels = ChannelSetup::new(&store.channels, store.clienteling_number.as_deref())
            .map_err(|source| ServerError::DemoStore {
                store: store.id.to_string(),
                source,
            })?;
        directory::insert_store(conn, store, &channels).await?;
    }
    // One hash for every demo account: they share the password, and Argon2 is slow.
    let password_hash = password::hash(DEMO_PASSWORD).await?;
    for (position, member) in demo.staff.iter().enumerate() {
        sqlx::query("INSERT INTO staff (id, name, login, password_hash, role, position) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(member.id.as_str())
            .bind(&member.name)
            .bind(&member.login)
            .bind(&password_hash)
            .bind(member.role.as_str())
            .bind(position as i64)
            .execute(&mut *conn)
            .await?;
        for (store_position, store_id) in member.store_ids.iter().enumerate() {
            sqlx::query("INSERT INTO staff_stores (staff_id, store_id, position) VALUES (?, ?, ?)")
                .bind(member.id.as_str())
                .bind(store_id.as_str())
                .bind(store_position as i64)
                .execute(&mut *conn)
                .await?;
        }
    }
    for (customer, consent) in &demo.customers {
        // The first store is the one the customer signed up in; their consent is for it.
        let signup_store = customer
            .store_ids
            .first()
            .ok_or_else(|| ServerError::DemoCustomer(customer.id.to_string()))?;
        sqlx::query(
            "INSERT INTO customers (id, signup_store_id, first_name, last_name, phone, email, updated_at,
                                    gender, birth_date, signed_up_at, active)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(customer.id.as_str())
        .bind(signup_store.as_str())
        .bind(&customer.first_name)
        .bind(&customer.last_name)
        .bind(&customer.phone)
        .bind(&customer.email)
        .bind(customer.updated_at.millis())
        .bind(customer.gender.map(Gender::as_str))
        .bind(customer.birth_date.map(|date| date.to_string()))
        .bind(customer.signed_up_at.map(Timestamp::millis))
        .bind(customer.active)
        .execute(&mut *conn)
        .await?;
        for staff_id in &customer.assigned_staff_ids {
            sqlx::query("INSERT INTO customer_assignments (customer_id, staff_id) VALUES (?, ?)")
                .bind(customer.id.as_str())
                .bind(staff_id.as_str())
                .execute(&mut *conn)
                .await?;
        }
        if *consent != ConsentState::Unknown {
            sqlx::query("INSERT INTO consents (customer_id, store_id, state, updated_at) VALUES (?, ?, ?, ?)")
                .bind(customer.id.as_str())
                .bind(signup_store.as_str())
                .bind(consent.as_str())
                .bind(customer.updated_at.millis())
                .execute(&mut *conn)
                .await?;
        }
        for store_id in &customer.store_ids {
            sqlx::query("INSERT INTO customer_stores (customer_id, store_id) VALUES (?, ?)")
                .bind(customer.id.as_str())
                .bind(store_id.as_str())
                .execute(&mut *conn)
                .await?;
            changes::record(conn, store_id, None, Entity::Customer, customer.id.as_str()).await?;
        }
    }
    for opt_out in &demo.opt_outs {
        sqlx::query(
            "INSERT INTO consent_audit (customer_id, store_id, state, channel, action, keyword, message_id, recorded_at)
             VALUES (?, ?, 'opted_out', ?, 'keyword', 'STOP', ?, ?)",
        )
        .bind(opt_out.customer_id.as_str())
        .bind(opt_out.store_id.as_str())
        .bind(opt_out.channel.as_str())
        .bind(opt_out.message_id.as_str())
        .bind(opt_out.at.millis())
        .execute(&mut *conn)
        .await?;
        sqlx::query("UPDATE consents SET updated_at = ? WHERE customer_id = ? AND store_id = ?")
            .bind(opt_out.at.millis())
            .bind(opt_out.customer_id.as_str())
            .bind(opt_out.store_id.as_str())
            .execute(&mut *conn)
            .await?;
    }
    for demo_conversation in &demo.conversations {
        insert_conversation(conn, demo_conversation, &demo.staff).await?;
    }
    for note in super::notes::notes(demo, now) {
        notes::store::insert(conn, &note).await?;
        notes::store::record_change(conn, &note.customer_id, &note.id).await?;
    }
    Ok(())
}

async fn insert_conversation(
    conn: &mut SqliteConnection,
    demo: &DemoConversation,
    staff: &[Staff],
) -> Result<(), sqlx::Error> {
    let c = &demo.conversation;
    sqlx::query(
        "INSERT INTO conversations (id, store_id, customer_id, channel, window_opened_at, last_activity_at,
                                    last_message_preview, last_message_direction)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(c.id.as_str())
    .bind(c.store_id.as_str())
    .bind(c.customer_id.as_str())
    .bind(c.channel.as_str())
    .bind(c.window_opened_at.map(Timestamp::millis))
    .bind(c.last_activity_at.millis())
    .bind(&c.last_message_preview)
    .bind(c.last_message_direction.as_str())
    .execute(&mut *conn)
    .await?;
    for participant in &c.participant_ids {
        sqlx::query(
            "INSERT INTO conversation_participants (conversation_id, staff_id) VALUES (?, ?)",
        )
        .bind(c.id.as_str())
        .bind(participant.as_str())
        .execute(&mut *conn)
        .await?;
    }
    if c.unread_count > 0 {
        for member in staff.iter().filter(|s| s.store_ids.contains(&c.store_id)) {
            sqlx::query(
                "INSERT INTO read_markers (conversation_id, staff_id, read_at, unread_count) VALUES (?, ?, NULL, ?)",
            )
            .bind(c.id.as_str())
            .bind(member.id.as_str())
            .bind(i64::from(c.unread_count))
            .execute(&mut *conn)
            .await?;
        }
    }
    for m in &demo.messages {
        sqlx::query(
            "INSERT INTO messages (id, conversation_id, direction, kind, body, status, failure_reason,
                                   author_staff_id, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(m.id.as_str())
        .bind(m.conversation_id.as_str())
        .bind(m.direction.as_str())
        .bind(m.kind.as_str())
        .bind(&m.body)
        .bind(m.status.as_str())
        .bind(&m.failure_reason)
        .bind(m.author_staff_id.as_ref().map(StaffId::as_str))
        .bind(m.created_at.millis())
        .bind(m.updated_at.millis())
        .execute(&mut *conn)
        .await?;
        changes::record(conn, &c.store_id, None, Entity::Message, m.id.as_str()).await?;
    }
    let contacted = demo.messages.iter().any(|m| {
        clienteling_domain::contact::counts_as_contact(
            m.direction,
            m.author_staff_id.as_ref(),
            m.status,
        )
    });
    if contacted {
        // B7: the customer's latest contact by the store, for the feed and its history.
        let customer = c.customer_id.as_str();
        changes::record(conn, &c.store_id, None, Entity::LastContact, customer).await?;
    }
    changes::record(conn, &c.store_id, None, Entity::Conversation, c.id.as_str()).await?;
    Ok(())
}
