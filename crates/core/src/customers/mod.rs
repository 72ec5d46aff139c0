//! Customers (C1, C2, C10): the clientbook listing (`listing`) and a customer's profile,
//! read from the local copy, offline as online; `storage` is the `customers` table the
//! sync's applier writes; `stars` the staff member's own stars (C1), `assignment` the
//! online assignment to stores and staff (C3), `details` creating a customer (C12, online)
//! and editing their details (C13, offline too: `edits` sends the edit through the outbox);
//! `on_demand` completes a profile from the backend while the backfill has not reached it
//! (C11); `contacts` the last contact per store (B7), `backend_search` the search asked of
//! the backend too, by a full phone or email for staff who see them masked (A2) and while
//! the backfill has not brought every customer (C1).

pub(crate) mod assignment;
pub(crate) mod backend_search;
pub(crate) mod contacts;
pub(crate) mod details;
pub(crate) mod edits;
pub(crate) mod listing;
pub(crate) mod on_demand;
pub(crate) mod stars;
pub(crate) mod storage;

use clienteling_domain::view::{CustomerPage, CustomerProfile, CustomerQuery, CustomerScope};
use clienteling_domain::CustomerId;

use crate::attributes::storage as attributes;
use crate::conversations::storage as conversations;
use crate::engine::Core;
use crate::error::CoreError;
use crate::notes::storage as notes;
use listing::Listing;

/// The page's note while a search or filter reads a local copy the backfill has not
/// completed: customers not yet local cannot match.
const HISTORY_ARRIVING: &str =
    "Older customers are still arriving on this device: the search and filters may miss some until they are all here.";

/// Rows a clientbook page holds at most; the search narrows it down.
const PAGE_ROWS: u32 = 100;

impl Core {
    /// The clientbook of the current store (C1): the signed-in staff member's customers
    /// or the whole store's, matching the search and every attribute filter (C5, checked
    /// against the stored configuration), most recently contacted first. A search is also
    /// asked of the backend (`backend_search`) when the staff member sees phones and emails
    /// masked and typed a full one (A2), or while the backfill has not brought every
    /// customer: its finds are stored when missing and so listed in their place, and those
    /// the local search cannot match (by a masked phone) come first. A search or filter the
    /// backend did not answer while the backfill runs says it may miss customers. Each
    /// row shown carries the customer's values of the attributes the configuration lists
    /// (C1: the demo's tier), read for those rows only.
    pub async fn list_customers(&self, query: CustomerQuery) -> Result<CustomerPage, CoreError> {
        let stored = self.inner.require_session().await?;
        let mine = match query.scope {
            CustomerScope::Mine => Some(&stored.staff.id),
            CustomerScope::Store | CustomerScope::Starred => None,
        };
        let mut conn = self.inner.read().await?;
        let definitions = attributes::definitions(&mut conn).await?;
        for condition in &query.filters {
            condition.check(&definitions)?;
        }
        drop(conn);
        let mut found = None;
        let mut note = None;
        if query.filters.is_empty() && backend_search::applies(&stored, &query.search) {
            found = self
                .search_backend(&stored, &query.search, query.scope)
                .await?;
            if found.is_none() && backend_search::masked(&stored, &query.search) {
                note = Some(backend_search::NEEDS_BACKEND.to_owned());
            }
        }
        let listing = Listing {
            store_id: &stored.current_store_id,
            mine,
            starred_only: query.scope == CustomerScope::Starred,
            search: &query.search,
            filters: &query.filters,
            limit: PAGE_ROWS,
        };
        let (mut rows, has_more) = listing::rows(&mut *self.inner.read().await?, &listing).await?;
        let answered_by_backend = found.is_some();
        for row in found.unwrap_or_default().into_iter().rev() {
            if rows.iter().all(|r| r.customer.id != row.customer.id) {
                rows.insert(0, row);
            }
        }
        let shown: Vec<&CustomerId> = rows.iter().map(|row| &row.customer.id).collect();
        let mut tags =
            attributes::listed_tags(&mut *self.inner.read().await?, &definitions, &shown).await?;
        for row in &mut rows {
            row.tags = tags.remove(&row.customer.id).unwrap_or_default();
        }
        let narrowed = !query.filters.is_empty() || !query.search.trim().is_empty();
        if note.is_none() && narrowed && !answered_by_backend && !stored.history.complete {
            note = Some(HISTORY_ARRIVING.to_owned());
        }
        Ok(CustomerPage {
            query,
            rows,
            has_more,
            note,
        })
    }

    /// A customer's profile: the customer, their conversations in my stores, newest first
    /// (C2, C10, M14), their notes, the pinned one first (C9), their latest orders, wishlist
    /// and the recommendations last kept (C6–C8). While the backfill is not complete the
    /// local copy is first completed from the backend (C11, `on_demand`).
    pub async fn show_customer(&self, id: &CustomerId) -> Result<CustomerProfile, CoreError> {
        let stored = self.inner.require_session().await?;
        on_demand::complete(&self.inner, &stored, id).await?;
        let mut conn = self.inner.read().await?;
        let customer = storage::get(&mut conn, id)
            .await?
            .ok_or_else(|| CoreError::UnknownCustomer(id.to_string()))?;
        let conversations = conversations::of_customer(&mut conn, id).await?;
        let (notes, unsaved_note_ids) = notes::of_customer(&mut conn, id).await?;
        let purchases = crate::orders::purchases(&mut conn, id).await?;
        let starred = stars::is_starred(&mut conn, id).await?;
        let last_contact =
            contacts::latest(&mut conn, id, &stored.current_store_id, &stored.staff).await?;
        let details_pending = edits::is_waiting(&mut conn, id).await?;
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
            details_pending,
        })
    }
}
