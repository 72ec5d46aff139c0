//! The change log and the feed built on it: markers (sequence, store, optional staff
//! member, entity) are written with every change, and payloads are rendered when read, as
//! the reader sees them. Served as pages (`/changes`) and as a live SSE stream.
//!
//! What a reader's permissions (A2) leave out never reaches their feed: customers without
//! `view_customers`, conversations and messages without `access_conversations`; and the
//! customers they see are masked without `view_sensitive_data` ([`customers::as_seen_by`]).

use std::collections::{BTreeMap, HashSet};
use std::convert::Infallible;

use axum::response::sse::Event;
use clienteling_domain::api::{Change, ChangeData, ChangesPage, HistoryPage, Staff};
use clienteling_domain::cart::CartView;
use clienteling_domain::permission::{Permission, Permissions};
use clienteling_domain::{
    CartId, ConversationId, CustomerId, MessageId, NoteId, OrderId, ProductId, StaffId, StoreId,
    TaskId, Timestamp, WishlistItemId,
};
use futures_util::Stream;
use sqlx::SqliteConnection;
use tokio::sync::broadcast;

use crate::state::AppState;
use crate::{attributes, auth, carts, catalog, conversation, customers, notes, orders, tasks};

/// Page size when the client names none.
pub const DEFAULT_LIMIT: u32 = 500;
/// The largest page served.
pub const MAX_LIMIT: u32 = 5_000;

/// The kind of entity a change marker points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    /// A customer.
    Customer,
    /// A conversation.
    Conversation,
    /// A message.
    Message,
    /// A customer's order (C6).
    Order,
    /// An item of a customer's wishlist (C8).
    WishlistItem,
    /// A follow-up task (logged for its assignee and creator only).
    Task,
    /// A note on a customer (C9).
    Note,
    /// A staff member's star on a customer (C1), its id the customer's.
    Star,
    /// A customer's attribute values (C15).
    CustomerAttributes,
    /// A customer's latest contact by the store's staff (B7), its id the customer's.
    LastContact,
    /// A remote cart (M9, C4).
    Cart,
    /// A catalog product (M7, M9): logged for every store, seen by every reader.
    Product,
}

impl Entity {
    /// Stable name stored in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Customer => "customer",
            Entity::Conversation => "conversation",
            Entity::Message => "message",
            Entity::Order => "order",
            Entity::WishlistItem => "wishlist_item",
            Entity::Task => "task",
            Entity::Note => "note",
            Entity::Star => "star",
            Entity::CustomerAttributes => "customer_attributes",
            Entity::LastContact => "last_contact",
            Entity::Cart => "cart",
            Entity::Product => "product",
        }
    }

    /// Every kind of entity.
    pub const ALL: [Entity; 12] = [
        Entity::Customer,
        Entity::Conversation,
        Entity::Message,
        Entity::Task,
        Entity::Note,
        Entity::Order,
        Entity::WishlistItem,
        Entity::Star,
        Entity::CustomerAttributes,
        Entity::LastContact,
        Entity::Cart,
        Entity::Product,
    ];

    /// Parses the stable name back.
    pub fn parse(value: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.as_str() == value)
    }

    /// Whether a reader granted `viewer` sees this kind of entity: customers need
    /// `view_customers` (so do their notes, orders and wishlists), conversations, messages
    /// and carts `access_conversations`; the catalog needs nothing.
    pub fn visible_to(self, viewer: Permissions) -> bool {
        match self {
            Entity::Product => true,
            Entity::Customer
            | Entity::Task
            | Entity::Note
            | Entity::Order
            | Entity::WishlistItem
            | Entity::Star
            | Entity::CustomerAttributes
            | Entity::LastContact => viewer.allows(Permission::ViewCustomers),
            Entity::Conversation | Entity::Message | Entity::Cart => {
                viewer.allows(Permission::AccessConversations)
            }
        }
    }
}

/// Announces new sequence numbers to the live streams once their transaction committed.
#[derive(Debug)]
pub struct ChangeFeed {
    sender: broadcast::Sender<i64>,
}

impl Default for ChangeFeed {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(256).0,
        }
    }
}

impl ChangeFeed {
    /// Starts listening for new changes.
    pub fn subscribe(&self) -> broadcast::Receiver<i64> {
        self.sender.subscribe()
    }

    /// Tells the streams that changes up to `seq` are committed.
    pub fn publish(&self, seq: i64) {
        // No stream listening is fine: they catch up from their cursor when they connect.
        let _ = self.sender.send(seq);
    }
}

/// The SQL condition keeping the markers of entities a reader granted `viewer` sees (the
/// entities' own stable names, so nothing typed reaches the SQL).
fn visible_entities(viewer: Permissions) -> String {
    let names: Vec<String> = Entity::ALL
        .into_iter()
        .filter(|entity| entity.visible_to(viewer))
        .map(|entity| format!("'{}'", entity.as_str()))
        .collect();
    if names.is_empty() {
        "0".to_owned()
    } else {
        format!("entity IN ({})", names.join(", "))
    }
}

/// Writes a change marker; `staff_id` limits it to one staff member (read markers).
pub async fn record(
    conn: &mut SqliteConnection,
    store_id: &StoreId,
    staff_id: Option<&StaffId>,
    entity: Entity,
    entity_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO changes (store_id, staff_id, entity, entity_id) VALUES (?, ?, ?, ?) RETURNING seq")
        .bind(store_id.as_str())
        .bind(staff_id.map(StaffId::as_str))
        .bind(entity.as_str())
        .bind(entity_id)
        .fetch_one(conn)
        .await
}

/// Writes many store-wide change markers (store, entity, entity id) in a few statements,
/// in the order given: the demo seeding's bulk of orders and wishlist items.
pub async fn record_many(
    conn: &mut SqliteConnection,
    markers: &[(StoreId, Entity, String)],
) -> Result<(), sqlx::Error> {
    // Three bound values a row, well under SQLite's 32 766.
    for chunk in markers.chunks(5_000) {
        let mut insert: sqlx::QueryBuilder<sqlx::Sqlite> =
            sqlx::QueryBuilder::new("INSERT INTO changes (store_id, entity, entity_id) ");
        insert.push_values(chunk, |mut row, (store_id, entity, entity_id)| {
            row.push_bind(store_id.as_str())
                .push_bind(entity.as_str())
                .push_bind(entity_id.as_str());
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Where a page of the feed starts and which way it reads.
#[derive(Debug, Clone, Copy)]
enum Direction {
    /// The entries after this sequence number, oldest first.
    After(i64),
    /// The entries before this sequence number, newest first.
    Before(i64),
}

/// A marker: sequence number, entity kind, entity id.
type Marker = (i64, String, String);

/// Up to `limit` (clamped to [`MAX_LIMIT`]) markers `reader` may see — their stores' and
/// their own per-staff ones, of the entities their permissions show — read the way
/// `direction` says; and whether more lie beyond.
async fn markers(
    conn: &mut SqliteConnection,
    reader: &Staff,
    direction: Direction,
    limit: u32,
) -> Result<(Vec<Marker>, bool), sqlx::Error> {
    let limit = limit.clamp(1, MAX_LIMIT);
    let visible = visible_entities(reader.role.permissions());
    let (bound, order, from) = match direction {
        Direction::After(after) => (">", "ASC", after),
        Direction::Before(before) => ("<", "DESC", before),
    };
    let mut markers: Vec<Marker> = sqlx::query_as(&format!(
        "SELECT seq, entity, entity_id FROM changes
         WHERE seq {bound} ?1
           AND store_id IN (SELECT store_id FROM staff_stores WHERE staff_id = ?2)
           AND (staff_id IS NULL OR staff_id = ?2)
           AND {visible}
         ORDER BY seq {order} LIMIT ?3"
    ))
    .bind(from)
    .bind(reader.id.as_str())
    .bind(i64::from(limit) + 1)
    .fetch_all(&mut *conn)
    .await?;
    let has_more = markers.len() > limit as usize;
    markers.truncate(limit as usize);
    Ok((markers, has_more))
}

/// The changes after `after` that `reader` may see — their stores' changes and their own
/// per-staff ones — rendered as they see them now. Within the page only the latest marker
/// of each entity is rendered (the earlier ones would show the same current state).
pub async fn page(
    conn: &mut SqliteConnection,
    reader: &Staff,
    after: i64,
    limit: u32,
    now: Timestamp,
) -> Result<ChangesPage, sqlx::Error> {
    let (mut markers, has_more) = markers(conn, reader, Direction::After(after), limit).await?;
    let next_cursor = markers.last().map_or(after, |(seq, _, _)| *seq);

    markers.reverse();
    let mut changes = render(conn, reader, markers, now).await?;
    changes.reverse();
    Ok(ChangesPage {
        changes,
        next_cursor,
        has_more,
    })
}

/// The changes before `before` that `reader` may see, newest first: the feed read
/// backwards for a backfill, each entity rendered once, at its latest entry in the page.
pub async fn history_page(
    conn: &mut SqliteConnection,
    reader: &Staff,
    before: i64,
    limit: u32,
    now: Timestamp,
) -> Result<HistoryPage, sqlx::Error> {
    let (markers, has_more) = markers(conn, reader, Direction::Before(before), limit).await?;
    let next_before = markers.last().map_or(before, |(seq, _, _)| *seq);
    let covered = u32::try_from(markers.len()).unwrap_or(u32::MAX);
    let mut covered_kinds: BTreeMap<String, u32> = BTreeMap::new();
    for (_, entity, _) in &markers {
        let count = covered_kinds.entry(entity.clone()).or_default();
        *count = count.saturating_add(1);
    }
    let changes = render(conn, reader, markers, now).await?;
    Ok(HistoryPage {
        changes,
        next_before,
        covered,
        covered_kinds,
        has_more,
    })
}

/// What the feed holds about one customer that `reader` may see, each entity once at its
/// latest entry, oldest first: the customer, their conversations (not the messages), notes,
/// attribute values, orders, wishlist items and the reader's star. A device whose backfill
/// has not reached them yet gets a profile's whole content at once (C11); an empty list
/// when `reader` may not see the customer.
pub async fn of_customer(
    conn: &mut SqliteConnection,
    reader: &Staff,
    customer_id: &CustomerId,
    now: Timestamp,
) -> Result<Vec<Change>, sqlx::Error> {
    let visible = visible_entities(reader.role.permissions());
    let mut markers: Vec<Marker> = sqlx::query_as(&format!(
        "SELECT MAX(seq), entity, entity_id FROM changes
         WHERE store_id IN (SELECT store_id FROM staff_stores WHERE staff_id = ?2)
           AND (staff_id IS NULL OR staff_id = ?2)
           AND {visible}
           AND ((entity IN ('customer', 'customer_attributes', 'star', 'last_contact')
                  AND entity_id = ?1)
             OR (entity = 'conversation'
                 AND entity_id IN (SELECT id FROM conversations WHERE customer_id = ?1))
             OR (entity = 'note' AND entity_id IN (SELECT id FROM notes WHERE customer_id = ?1))
             OR (entity = 'order' AND entity_id IN (SELECT id FROM orders WHERE customer_id = ?1))
             OR (entity = 'wishlist_item'
                 AND entity_id IN (SELECT id FROM wishlist_items WHERE customer_id = ?1))
             OR (entity = 'cart' AND entity_id IN (SELECT id FROM carts WHERE customer_id = ?1)))
         GROUP BY entity, entity_id
         ORDER BY 1 DESC"
    ))
    .bind(customer_id.as_str())
    .bind(reader.id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    if !markers
        .iter()
        .any(|(_, entity, _)| entity == Entity::Customer.as_str())
    {
        markers.clear();
    }
    let mut changes = render(conn, reader, markers, now).await?;
    changes.reverse();
    Ok(changes)
}

/// The feed's latest sequence number (0 when empty).
pub async fn latest_seq(conn: &mut SqliteConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM changes")
        .fetch_one(conn)
        .await
}

/// How many entries of the feed up to `through` `reader` may see, by kind of entity.
pub async fn count_visible(
    conn: &mut SqliteConnection,
    reader: &Staff,
    through: i64,
) -> Result<BTreeMap<String, u64>, sqlx::Error> {
    let visible = visible_entities(reader.role.permissions());
    let counts: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT entity, COUNT(*) FROM changes
         WHERE seq <= ?1
           AND store_id IN (SELECT store_id FROM staff_stores WHERE staff_id = ?2)
           AND (staff_id IS NULL OR staff_id = ?2)
           AND {visible}
         GROUP BY entity"
    ))
    .bind(through)
    .bind(reader.id.as_str())
    .fetch_all(conn)
    .await?;
    Ok(counts
        .into_iter()
        .map(|(entity, count)| (entity, u64::try_from(count).unwrap_or(0)))
        .collect())
}

/// Renders markers given newest first as `reader` sees their entities at `now`, newest
/// first, each entity once, at its latest marker (the earlier ones would show the same
/// current state).
async fn render(
    conn: &mut SqliteConnection,
    reader: &Staff,
    newest_first: Vec<Marker>,
    now: Timestamp,
) -> Result<Vec<Change>, sqlx::Error> {
    let viewer = reader.role.permissions();
    let mut seen = HashSet::new();
    let mut changes = Vec::with_capacity(newest_first.len());
    for (seq, entity, entity_id) in newest_first {
        let Some(entity) = Entity::parse(&entity) else {
            continue;
        };
        if !seen.insert((entity, entity_id.clone())) {
            continue;
        }
        let data = match entity {
            Entity::Customer => customers::customer_seen_by(conn, &CustomerId(entity_id), viewer)
                .await?
                .map(ChangeData::Customer),
            Entity::Conversation => {
                conversation::render(conn, &ConversationId(entity_id), &reader.id)
                    .await?
                    .map(ChangeData::Conversation)
            }
            Entity::Message => conversation::message(conn, &MessageId(entity_id))
                .await?
                .map(ChangeData::Message),
            Entity::CustomerAttributes => Some(ChangeData::CustomerAttributes(
                attributes::store::values(conn, &CustomerId(entity_id)).await?,
            )),
            Entity::Order => orders::store::order(conn, &OrderId(entity_id))
                .await?
                .map(ChangeData::Order),
            Entity::WishlistItem => orders::store::wishlist_item(conn, &WishlistItemId(entity_id))
                .await?
                .map(ChangeData::WishlistItem),
            Entity::Task => tasks::store::get(conn, &TaskId(entity_id))
                .await?
                .map(ChangeData::Task),
            Entity::Note => notes::render(conn, &NoteId(entity_id))
                .await?
                .map(ChangeData::Note),
            Entity::Star => Some(ChangeData::Star(
                customers::stars::render(conn, reader, CustomerId(entity_id)).await?,
            )),
            Entity::LastContact => Some(ChangeData::LastContact(
                customers::contacts::render(conn, reader, CustomerId(entity_id)).await?,
            )),
            Entity::Cart => carts::store::get(conn, &CartId(entity_id))
                .await?
                .map(|cart| ChangeData::Cart(CartView::at(cart, now))),
            Entity::Product => catalog::store::product(conn, &ProductId(entity_id))
                .await?
                .map(ChangeData::Product),
        };
        if let Some(data) = data {
            changes.push(Change { seq, data });
        }
    }
    Ok(changes)
}

/// The live feed for `reader` from `after`: everything already logged, then each change as
/// it commits, as `event: change` / `id: <seq>` / `data: <Change JSON>`. The stream
/// subscribes before catching up, so a change landing in between is not missed. Before
/// each page it checks that the session (known by `token_hash`) still holds, and a
/// sign-out wakes it to check at once. It ends when the session is signed out or expired,
/// when the server shuts down or when the database fails (the client reconnects from its
/// cursor).
pub fn stream(
    state: AppState,
    reader: Staff,
    token_hash: String,
    after: i64,
) -> impl Stream<Item = Result<Event, Infallible>> + Send {
    async_stream::stream! {
        let mut live = state.feed().subscribe();
        let mut shutdown = state.shutdown_signal();
        let mut sign_outs = state.sign_out_signal();
        let mut cursor = after;
        loop {
            loop {
                let fetched = match state.pool().acquire().await {
                    Ok(mut conn) => {
                        match auth::live_session(&mut conn, &token_hash, state.now()).await {
                            Ok(Some(_)) => page(&mut conn, &reader, cursor, DEFAULT_LIMIT, state.now()).await,
                            Ok(None) => {
                                tracing::debug!("change stream ends: its session is over");
                                return;
                            }
                            Err(error) => Err(error),
                        }
                    }
                    Err(error) => Err(error),
                };
                let fetched = match fetched {
                    Ok(fetched) => fetched,
                    Err(error) => {
                        tracing::warn!(%error, "change stream ends: the database failed");
                        return;
                    }
                };
                for change in &fetched.changes {
                    match Event::default().event("change").id(change.seq.to_string()).json_data(change) {
                        Ok(event) => yield Ok(event),
                        Err(error) => tracing::warn!(%error, seq = change.seq, "change skipped: not serializable"),
                    }
                }
                cursor = fetched.next_cursor;
                if !fetched.has_more {
                    break;
                }
            }
            tokio::select! {
                _ = shutdown.wait_for(|stopping| *stopping) => return,
                signed_out = sign_outs.changed() => if signed_out.is_err() {
                    return;
                },
                received = live.recv() => match received {
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clienteling_domain::api::Role;

    #[test]
    fn a2_the_feed_keeps_the_entities_the_reader_may_see() {
        assert_eq!(
            visible_entities(Role::Seasonal.permissions()),
            "entity IN ('customer', 'conversation', 'message', 'task', 'note', 'order', 'wishlist_item', 'star', 'customer_attributes', 'last_contact', 'cart', 'product')",
            "seasonal staff see customers, conversations, notes, orders, their own tasks, stars, attributes, carts and the catalog"
        );
        assert_eq!(
            visible_entities(Permissions::none().with(Permission::ViewCustomers)),
            "entity IN ('customer', 'task', 'note', 'order', 'wishlist_item', 'star', 'customer_attributes', 'last_contact', 'product')",
            "without access_conversations neither conversations nor messages"
        );
        assert_eq!(
            visible_entities(Permissions::none()),
            "entity IN ('product')",
            "without any permission, the catalog alone"
        );
    }
}
