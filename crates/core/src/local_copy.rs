//! The local copy as a library: a thin public facade over the storage functions the engine
//! uses, with no backend, so benchmarks (`benches/local_copy.rs`) and tools measure the
//! app's real code paths: opening the database with the real migrations, storing a sign-in's
//! snapshot and the backfill's pages of older history exactly as the engine does, and the
//! inbox, chat (latest and older pages), unread, clientbook and profile queries the UI's
//! screens run, and the catalog's storage and search as you type.

use clienteling_domain::attribute::AttributeCondition;
use std::path::Path;

use clienteling_domain::api::{Change, HistoryPage, Session, Snapshot, Staff};
use clienteling_domain::catalog::Product;
use clienteling_domain::inbox;
use clienteling_domain::view::{
    ChatView, CustomerProfile, CustomerRow, HistoryProgress, InboxItem, MessagePage,
};
use clienteling_domain::{ConversationId, CustomerId, MessageId, StaffId, StoreId, Timestamp};
use sqlx::SqlitePool;

use crate::conversations::messages;
use crate::conversations::storage::{self as conversations, InboxQuery};
use crate::customers::listing::Listing;
use crate::customers::storage as customers;
use crate::database::Database;
use crate::error::CoreError;
use crate::sync::apply::ApplyMode;

pub use crate::backend::PAGE_LIMIT;

/// The local SQLite copy in a data folder, read and written through the engine's storage
/// functions.
#[derive(Debug, Clone)]
pub struct LocalCopy {
    db: Database,
}

impl LocalCopy {
    /// Opens (creating if needed) the database in `data_dir` and applies the migrations,
    /// exactly as the engine does at start-up.
    pub async fn open(data_dir: &Path) -> Result<Self, CoreError> {
        Ok(Self {
            db: Database::open(data_dir).await?,
        })
    }

    /// The connection pool, for hand-written queries on the same file (a benchmark's
    /// baseline).
    pub fn pool(&self) -> &SqlitePool {
        self.db.pool()
    }

    /// Replaces the local copy with a sign-in's snapshot under `session`, as a fresh
    /// sign-in does: the backfill then starts at the snapshot's cursor.
    pub async fn store_snapshot(
        &self,
        session: &Session,
        store_id: &StoreId,
        snapshot: Snapshot,
        now: Timestamp,
    ) -> Result<(), CoreError> {
        crate::history::snapshot::store(&self.db, session, store_id, snapshot, now).await
    }

    /// Stores one page of older history as the backfill does, with where it goes on from;
    /// answers the progress.
    pub async fn store_history_page(
        &self,
        page: &HistoryPage,
        now: Timestamp,
    ) -> Result<HistoryProgress, CoreError> {
        crate::history::backfill::store(&self.db, page, now).await
    }

    /// One inbox page of a store at `now` (conversations active in the inbox window, newest
    /// activity first, at most `limit` rows): the whole store, or with `mine` only the
    /// conversations of that staff member (M11).
    pub async fn inbox_page(
        &self,
        store_id: &StoreId,
        mine: Option<&StaffId>,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<InboxItem>, CoreError> {
        let query = InboxQuery {
            store_id,
            mine,
            active_since: inbox::active_since(now),
            limit,
        };
        conversations::inbox(&mut *self.pool().acquire().await?, &query).await
    }

    /// Unread inbound messages across a store's inbox at `now` (the Chat badge, M12).
    pub async fn unread_total(&self, store_id: &StoreId, now: Timestamp) -> Result<u32, CoreError> {
        conversations::total_unread(
            &mut *self.pool().acquire().await?,
            store_id,
            inbox::active_since(now),
        )
        .await
    }

    /// A clientbook page of a store (C1): its customers, or with `mine` those assigned to
    /// that staff member, matching `search` as the UI's search box does and every attribute
    /// filter (C5), at most `limit` rows; and whether more match.
    pub async fn customer_rows(
        &self,
        store_id: &StoreId,
        mine: Option<&StaffId>,
        search: &str,
        filters: &[AttributeCondition],
        limit: u32,
    ) -> Result<(Vec<CustomerRow>, bool), CoreError> {
        let listing = Listing {
            store_id,
            mine,
            starred_only: false,
            search,
            filters,
            limit,
        };
        crate::customers::listing::rows(&mut *self.pool().acquire().await?, &listing).await
    }

    /// What opening a conversation reads: the conversation, its customer and its latest page
    /// of messages, oldest first. Unlike the engine it marks nothing read.
    pub async fn chat(&self, id: &ConversationId) -> Result<ChatView, CoreError> {
        let mut conn = self.pool().acquire().await?;
        let conversation = conversations::get(&mut conn, id)
            .await?
            .ok_or_else(|| CoreError::UnknownConversation(id.to_string()))?;
        let customer = customers::get(&mut conn, &conversation.customer_id)
            .await?
            .ok_or_else(|| CoreError::UnknownCustomer(conversation.customer_id.to_string()))?;
        let page = messages::latest_page(&mut conn, id, messages::CHAT_PAGE).await?;
        Ok(ChatView {
            conversation,
            customer,
            messages: page.messages,
            has_older: page.has_older,
            last_contact: None,
        })
    }

    /// What scrolling up a chat reads: the page of messages before `before`, oldest first.
    pub async fn messages_before(
        &self,
        id: &ConversationId,
        before: &MessageId,
    ) -> Result<MessagePage, CoreError> {
        messages::page_before(
            &mut *self.pool().acquire().await?,
            id,
            before,
            messages::CHAT_PAGE,
        )
        .await
    }

    /// What opening a customer's profile in `store_id` as `staff` reads, as
    /// `Core::show_customer` does once the customer is stored: the customer, their
    /// conversations, notes, latest orders with their lines, order count, wishlist, kept
    /// recommendations, star and latest contact.
    pub async fn customer_profile(
        &self,
        id: &CustomerId,
        store_id: &StoreId,
        staff: &Staff,
    ) -> Result<CustomerProfile, CoreError> {
        let mut conn = self.pool().acquire().await?;
        let customer = customers::get(&mut conn, id)
            .await?
            .ok_or_else(|| CoreError::UnknownCustomer(id.to_string()))?;
        let conversations = conversations::of_customer(&mut conn, id).await?;
        let (notes, unsaved_note_ids) = crate::notes::storage::of_customer(&mut conn, id).await?;
        let purchases = crate::orders::purchases(&mut conn, id).await?;
        let starred = crate::customers::stars::is_starred(&mut conn, id).await?;
        let last_contact =
            crate::customers::contacts::latest(&mut conn, id, store_id, staff).await?;
        Ok(CustomerProfile {
            customer,
            conversations,
            notes,
            unsaved_note_ids,
            orders: purchases.orders,
            order_count: purchases.order_count,
            wishlist: purchases.wishlist,
            recommendations: purchases.recommendations,
            starred,
            last_contact,
            details_pending: crate::customers::edits::is_waiting(&mut conn, id).await?,
        })
    }

    /// Stores catalog changes (`product` entries of the feed) as the sync worker applies
    /// them: products, variants and the search index, in one transaction.
    pub async fn store_catalog(&self, changes: &[Change]) -> Result<usize, CoreError> {
        let mut tx = self.db.write().await?;
        let written = crate::catalog::apply::apply(&mut tx, changes, ApplyMode::Follow).await?;
        tx.commit().await?;
        Ok(written)
    }

    /// The catalog search as you type (M7, M9): the products `typed` finds, best first, at
    /// most `limit` — by barcode, or by words starting the name, category, colours or SKUs.
    pub async fn search_products(
        &self,
        typed: &str,
        limit: u32,
    ) -> Result<Vec<Product>, CoreError> {
        let found =
            crate::catalog::storage::search(&mut *self.pool().acquire().await?, typed, limit)
                .await?;
        Ok(found.into_iter().map(|found| found.product).collect())
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.db.close().await;
    }
}

#[cfg(test)]
mod tests {
    use clienteling_domain::api::{
        Change, ChangeData, Conversation, Customer, Message, Role, Staff, Store,
    };
    use clienteling_domain::view::Counted;
    use clienteling_domain::{Channel, ConsentState, Direction, MessageKind, MessageStatus};

    use super::*;

    const NOW: Timestamp = Timestamp(1_750_000_000_000);

    fn session() -> Session {
        let store = Store {
            id: "store-nyc".into(),
            name: "Fifth Avenue".into(),
            country: "US".into(),
            channels: vec![Channel::Sms],
            clienteling_number: None,
        };
        Session {
            token: "token".into(),
            staff: Staff {
                id: "staff-ava".into(),
                name: "Ava".into(),
                login: "ava".into(),
                role: Role::Associate,
                store_ids: vec![store.id.clone()],
            },
            stores: vec![store],
            expires_at: NOW.plus_ms(1_000_000),
        }
    }

    fn message(id: &str, at: i64) -> Message {
        Message {
            id: id.into(),
            conversation_id: "conv-1".into(),
            direction: Direction::Inbound,
            kind: MessageKind::Text,
            body: format!("body of {id}"),
            status: MessageStatus::Received,
            failure_reason: None,
            author_staff_id: None,
            created_at: NOW.plus_ms(at),
            updated_at: NOW.plus_ms(at),
        }
    }

    /// The first screen: Grace's conversation with its latest message, current at seq 4 of
    /// a feed of 4 entries.
    fn snapshot() -> Snapshot {
        Snapshot {
            cursor: 4,
            customers: vec![Customer {
                id: "cust-1".into(),
                store_ids: vec!["store-nyc".into()],
                first_name: "Grace".into(),
                last_name: "Hopper".into(),
                phone: Some("+12125550123".into()),
                email: None,
                assigned_staff_ids: vec!["staff-ava".into()],
                updated_at: NOW,
                gender: None,
                birth_date: None,
                signed_up_at: None,
                active: true,
            }],
            conversations: vec![Conversation {
                id: "conv-1".into(),
                store_id: "store-nyc".into(),
                customer_id: "cust-1".into(),
                channel: Channel::Sms,
                consent: ConsentState::OptedIn,
                window_opened_at: None,
                last_activity_at: NOW,
                last_message_preview: "Second".into(),
                last_message_direction: Direction::Inbound,
                unread_count: 2,
                participant_ids: vec![],
            }],
            messages: vec![message("msg-2", -1_000)],
            tasks: Vec::new(),
            history_total: 4,
            history_kinds: [
                ("customer".to_owned(), 1),
                ("conversation".to_owned(), 1),
                ("message".to_owned(), 2),
            ]
            .into_iter()
            .collect(),
            last_contacts: Vec::new(),
        }
    }

    #[tokio::test]
    async fn m11_m12_a_snapshot_and_a_history_page_read_back_as_inbox_unread_total_and_chat() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let copy = LocalCopy::open(dir.path())
            .await
            .expect("the database opens and migrates");
        let store = StoreId::from("store-nyc");
        copy.store_snapshot(&session(), &store, snapshot(), NOW)
            .await
            .expect("the snapshot is stored");
        let older = HistoryPage {
            changes: vec![Change {
                seq: 1,
                data: ChangeData::Message(message("msg-1", -2_000)),
            }],
            next_before: 1,
            covered: 4,
            covered_kinds: [
                ("customer".to_owned(), 1),
                ("conversation".to_owned(), 1),
                ("message".to_owned(), 2),
            ]
            .into_iter()
            .collect(),
            has_more: false,
        };
        let progress = copy
            .store_history_page(&older, NOW)
            .await
            .expect("the page of older history is stored");
        assert_eq!(
            progress,
            HistoryProgress {
                stored: 4,
                total: 4,
                complete: true,
                customers: Counted {
                    stored: 1,
                    total: 1
                },
                conversations: Counted {
                    stored: 1,
                    total: 1
                },
                messages: Counted {
                    stored: 2,
                    total: 2
                },
            },
            "the last page completes the history, and the counts by kind add up"
        );

        let page = copy
            .inbox_page(&store, None, NOW, 200)
            .await
            .expect("the inbox reads");
        assert_eq!(page.len(), 1, "the one conversation is in the store inbox");
        assert_eq!(
            page[0].customer_name, "Grace Hopper",
            "the row carries its customer's name"
        );
        let mine = copy
            .inbox_page(&store, Some(&StaffId::from("staff-ava")), NOW, 200)
            .await
            .expect("My Inbox reads");
        assert_eq!(mine.len(), 1, "the customer is assigned to Ava (M11)");
        assert_eq!(
            copy.unread_total(&store, NOW)
                .await
                .expect("the total reads"),
            2,
            "the badge counts the unread inbound messages (M12)"
        );

        let chat = copy
            .chat(&ConversationId::from("conv-1"))
            .await
            .expect("the chat reads");
        let ids: Vec<&str> = chat.messages.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["msg-1", "msg-2"], "messages come oldest first");
        copy.close().await;
    }
}
