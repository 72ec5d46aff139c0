//! The first-screen snapshot of a fresh sign-in: the caller's active conversations with
//! their customers and latest messages, and the caller's tasks with their customers, read in one transaction together with the feed
//! cursor they are current at, so a client following the feed from that cursor misses
//! nothing and the snapshot's size depends on the inbox, not on the length of history.
//! As in the feed, a reader's permissions (A2) leave out conversations and their messages
//! without `access_conversations` and customers without `view_customers`, and customers
//! are masked without `view_sensitive_data`.

use std::collections::HashSet;

use clienteling_domain::api::{Snapshot, Staff, SNAPSHOT_MESSAGES};
use clienteling_domain::permission::Permission;
use clienteling_domain::{inbox, ConversationId, CustomerId, Timestamp};
use sqlx::SqlitePool;

use crate::{changes, conversation, customers, tasks};

/// The snapshot for `reader` at `now`.
pub async fn read(
    pool: &SqlitePool,
    reader: &Staff,
    now: Timestamp,
) -> Result<Snapshot, sqlx::Error> {
    // One read transaction: the rows below are exactly those the cursor's feed describes.
    let viewer = reader.role.permissions();
    let mut tx = pool.begin().await?;
    let cursor = changes::latest_seq(&mut tx).await?;
    // ?3: no conversation at all without access_conversations.
    let ids: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, customer_id FROM conversations
         WHERE store_id IN (SELECT store_id FROM staff_stores WHERE staff_id = ?1)
           AND last_activity_at >= ?2
           AND ?3
         ORDER BY last_activity_at DESC, id",
    )
    .bind(reader.id.as_str())
    .bind(inbox::active_since(now).0)
    .bind(viewer.allows(Permission::AccessConversations))
    .fetch_all(&mut *tx)
    .await?;
    let history_kinds = changes::count_visible(&mut tx, reader, cursor).await?;
    let mut snapshot = Snapshot {
        cursor,
        customers: Vec::new(),
        conversations: Vec::with_capacity(ids.len()),
        messages: Vec::new(),
        tasks: Vec::new(),
        history_total: history_kinds.values().sum(),
        history_kinds,
        last_contacts: Vec::new(),
    };
    let mut customers = HashSet::new();
    for (conversation_id, customer_id) in ids {
        let id = ConversationId(conversation_id);
        if let Some(rendered) = conversation::render(&mut tx, &id, &reader.id).await? {
            snapshot.conversations.push(rendered);
        }
        snapshot
            .messages
            .extend(conversation::latest_messages(&mut tx, &id, SNAPSHOT_MESSAGES).await?);
        if viewer.allows(Permission::ViewCustomers) && customers.insert(customer_id.clone()) {
            let id = CustomerId(customer_id);
            if let Some(customer) = customers::customer_seen_by(&mut tx, &id, viewer).await? {
                snapshot.customers.push(customer);
            }
        }
    }
    if viewer.allows(Permission::ViewCustomers) {
        snapshot.tasks = tasks::store::of_staff(&mut tx, &reader.id).await?;
        for task in &snapshot.tasks {
            if customers.insert(task.customer_id.to_string()) {
                if let Some(customer) =
                    customers::customer_seen_by(&mut tx, &task.customer_id, viewer).await?
                {
                    snapshot.customers.push(customer);
                }
            }
        }
    }
    for customer in &snapshot.customers {
        let contacts = customers::contacts::render(&mut tx, reader, customer.id.clone()).await?;
        if !contacts.contacts.is_empty() {
            snapshot.last_contacts.push(contacts);
        }
    }
    tx.commit().await?;
    Ok(snapshot)
}
