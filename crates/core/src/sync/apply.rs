//! Applying the backend's change feed to the local copy: upserts in a safe order, statuses
//! that never move backwards, and the events the app raises for what changed.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use clienteling_domain::api::{Change, ChangeData};
use clienteling_domain::notification::InboundMessage;
use clienteling_domain::view::AppEvent;
use clienteling_domain::{ConversationId, CustomerId, Direction, Timestamp};
use sqlx::SqliteConnection;

use crate::attributes::storage as attributes;
use crate::conversations::messages;
use crate::conversations::storage as conversations;
use crate::customers::contacts;
use crate::customers::stars;
use crate::customers::storage as customers;
use crate::error::CoreError;
use crate::notes::apply as notes;
use crate::outbox::storage as outbox;
use crate::tasks;

/// How a batch of changes is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyMode {
    /// The first-screen snapshot at sign-in: no events (the UI loads the result at once).
    Snapshot,
    /// A page of older history: what is stored already stays as it is (the live feed
    /// brought it, newer), message statuses only move forward, and nothing is announced.
    Backfill,
    /// Catch-up and live changes afterwards: events for everything, and one
    /// [`AppEvent::InboundMessages`] with the batch's newly seen inbound messages.
    Follow,
}

/// What applying a batch did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Events to emit once the transaction commits.
    pub events: Vec<AppEvent>,
    /// Whether read markers were queued (the outbox worker has work).
    pub queued_read_markers: bool,
}

/// Applies `changes` through `conn` (inside the caller's transaction). `open` is the
/// conversation open on this device: it stays read, and new inbound messages in it queue a
/// read marker (M12).
pub async fn apply(
    conn: &mut SqliteConnection,
    changes: &[Change],
    mode: ApplyMode,
    open: Option<&ConversationId>,
    now: Timestamp,
) -> Result<Applied, CoreError> {
    let mut ordered: Vec<&Change> = changes.iter().collect();
    ordered.sort_by_key(|change| (dependency_rank(&change.data), change.seq));
    let mut applied = Applied::default();
    let follow = mode == ApplyMode::Follow;
    let mut page_customers = Vec::new();
    let mut page_conversations = Vec::new();
    let mut page_messages = Vec::new();
    let mut page_attributes = Vec::new();
    let mut page_stars = Vec::new();
    let mut page_tasks = Vec::new();
    let mut page_notes = Vec::new();
    let mut page_contacts = Vec::new();
    for change in ordered {
        match &change.data {
            ChangeData::Customer(customer) => page_customers.push(customer),
            ChangeData::Conversation(conversation) => page_conversations.push(conversation),
            ChangeData::Message(message) => page_messages.push(message.clone()),
            ChangeData::CustomerAttributes(values) => page_attributes.push(values),
            ChangeData::Order(_)
            | ChangeData::WishlistItem(_)
            | ChangeData::Cart(_)
            | ChangeData::Product(_) => {}
            ChangeData::Task(task) => page_tasks.push(task),
            ChangeData::Star(star) => page_stars.push(star),
            ChangeData::Note(note) => page_notes.push(note),
            ChangeData::LastContact(contacts) => page_contacts.push(contacts),
        }
    }
    attributes::store(&mut *conn, &page_attributes, mode == ApplyMode::Backfill).await?;
    if follow {
        applied.events.extend(page_attributes.iter().map(|values| {
            AppEvent::CustomerAttributesChanged {
                customer_id: values.customer_id.clone(),
            }
        }));
    }
    let backfill = mode == ApplyMode::Backfill;
    if tasks::storage::apply_from_backend(&mut *conn, &page_tasks, backfill).await? && follow {
        applied.events.push(AppEvent::TasksChanged);
    }
    stars::apply(&mut *conn, &page_stars, backfill).await?;
    if mode == ApplyMode::Backfill {
        customers::insert_missing(&mut *conn, &page_customers).await?;
        conversations::insert_missing(&mut *conn, &page_conversations).await?;
    } else {
        customers::upsert(&mut *conn, &page_customers).await?;
        conversations::upsert_from_backend(&mut *conn, &page_conversations, open).await?;
    }
    if follow {
        for conversation in &page_conversations {
            if let Some(stored) = conversations::get(&mut *conn, &conversation.id).await? {
                applied.events.push(AppEvent::ConversationChanged {
                    conversation: stored,
                });
            }
        }
    }
    let merged = messages::merge_page_from_backend(&mut *conn, &page_messages).await?;
    let mut inbound = Vec::new();
    let mut writers: HashMap<ConversationId, (CustomerId, String)> = HashMap::new();
    for (message, merged) in page_messages.iter().zip(merged) {
        let announce = follow && merged.is_new && message.direction == Direction::Inbound;
        if follow {
            applied.events.push(AppEvent::MessageChanged {
                message: merged.message,
            });
        }
        if announce {
            let (customer_id, customer_name) = match writers.entry(message.conversation_id.clone())
            {
                Entry::Occupied(known) => known.get().clone(),
                Entry::Vacant(unknown) => unknown
                    .insert(writer(&mut *conn, &message.conversation_id).await?)
                    .clone(),
            };
            inbound.push(InboundMessage {
                conversation_id: message.conversation_id.clone(),
                customer_id,
                customer_name,
                body: message.body.clone(),
                created_at: message.created_at,
            });
            if open == Some(&message.conversation_id) {
                conversations::mark_read(&mut *conn, &message.conversation_id).await?;
                applied.queued_read_markers |=
                    outbox::enqueue_mark_read(&mut *conn, &message.conversation_id, now).await?;
            }
        }
    }
    applied
        .events
        .extend(crate::orders::apply::apply(&mut *conn, changes, mode).await?);
    crate::catalog::apply::apply(&mut *conn, changes, mode).await?;
    if !inbound.is_empty() {
        applied
            .events
            .push(AppEvent::InboundMessages { messages: inbound });
    }
    let noted = notes::apply(&mut *conn, &page_notes, mode == ApplyMode::Backfill).await?;
    if follow {
        applied.events.extend(
            noted
                .into_iter()
                .map(|customer_id| AppEvent::NotesChanged { customer_id }),
        );
    }
    let contacted = contacts::apply(&mut *conn, &page_contacts, backfill).await?;
    if follow {
        let mut customer_ids: Vec<CustomerId> = page_customers
            .iter()
            .map(|customer| customer.id.clone())
            .chain(page_conversations.iter().map(|c| c.customer_id.clone()))
            .chain(
                page_attributes
                    .iter()
                    .map(|values| values.customer_id.clone()),
            )
            .chain(page_stars.iter().map(|star| star.customer_id.clone()))
            .chain(page_notes.iter().map(|note| note.customer_id.clone()))
            .chain(changes.iter().filter_map(|change| match &change.data {
                ChangeData::Order(order) => Some(order.customer_id.clone()),
                ChangeData::WishlistItem(item) => Some(item.customer_id.clone()),
                _ => None,
            }))
            .chain(contacted)
            .collect();
        customer_ids.sort();
        customer_ids.dedup();
        if !customer_ids.is_empty() {
            applied
                .events
                .push(AppEvent::CustomersChanged { customer_ids });
        }
    }
    Ok(applied)
}

/// Customers before conversations before messages, so names and rows exist when the
/// things that refer to them arrive in the same batch.
fn dependency_rank(data: &ChangeData) -> u8 {
    match data {
        ChangeData::Customer(_) | ChangeData::Product(_) => 0,
        ChangeData::Conversation(_) => 1,
        ChangeData::Message(_)
        | ChangeData::Task(_)
        | ChangeData::Order(_)
        | ChangeData::WishlistItem(_)
        | ChangeData::Cart(_) => 2,
        ChangeData::Note(_) | ChangeData::CustomerAttributes(_) => 3,
        ChangeData::Star(_) | ChangeData::LastContact(_) => 4,
    }
}

/// The customer writing in a conversation: their id and display name (a placeholder name
/// when the customer or the conversation is not in the local copy).
async fn writer(
    conn: &mut SqliteConnection,
    conversation_id: &ConversationId,
) -> Result<(CustomerId, String), CoreError> {
    let Some(conversation) = conversations::get(&mut *conn, conversation_id).await? else {
        return Ok((
            CustomerId::from(""),
            conversations::UNKNOWN_CUSTOMER_NAME.to_owned(),
        ));
    };
    let name = customers::get(conn, &conversation.customer_id)
        .await?
        .map(|customer| customer.full_name())
        .unwrap_or_else(|| conversations::UNKNOWN_CUSTOMER_NAME.to_owned());
    Ok((conversation.customer_id, name))
}
