//! The clientbook listing over the local copy (C1): the customers of a store, those
//! assigned to a staff member there, or those they starred (starred first in every tab), matching what is typed by the domain's rule
//! (`domain::customer_search`, over the keys stored beside each customer), most recently
//! contacted first, with each one's consent and channels in the store; attribute filters
//! (C5) narrow it with the SQL of `attributes::storage::filter_sql`. The page is read in
//! order from `clientbook_entries` (migration 0019: one row per customer and store with
//! the sort and search keys, kept by triggers), so only the rows shown are joined to
//! their customer and conversations.

use clienteling_domain::attribute::AttributeCondition;
use clienteling_domain::customer_search::CustomerSearch;
use clienteling_domain::view::CustomerRow;
use clienteling_domain::{Channel, ConsentState, StaffId, StoreId, Timestamp};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::storage::{self as customers, COLUMNS};
use crate::attributes::storage as attributes;
use crate::columns::{from_json, parse_name};
use crate::error::CoreError;

/// A listing asked of the local copy.
#[derive(Debug, Clone, Copy)]
pub struct Listing<'a> {
    /// The store whose customers are listed.
    pub store_id: &'a StoreId,
    /// Only the customers assigned to this staff member.
    pub mine: Option<&'a StaffId>,
    /// Only the customers the signed-in staff member starred.
    pub starred_only: bool,
    /// What is typed; empty for everyone.
    pub search: &'a str,
    /// Attribute filters a customer passes all of (C5).
    pub filters: &'a [AttributeCondition],
    /// Rows at most.
    pub limit: u32,
}

/// The rows of `listing`, and whether more match.
pub async fn rows(
    conn: &mut SqliteConnection,
    listing: &Listing<'_>,
) -> Result<(Vec<CustomerRow>, bool), CoreError> {
    let search = CustomerSearch::new(listing.search);
    let (filtered, bounds) = attributes::filter_sql(listing.filters, "e.customer_id", 8)?;
    let sql = format!(
        "SELECT {COLUMNS}, e.last_contact_at, e.starred, \
           (SELECT c.consent FROM conversations c WHERE c.customer_id = cu.id AND c.store_id = ?1 \
             ORDER BY c.last_activity_at DESC LIMIT 1) AS consent, \
           (SELECT json_group_array(DISTINCT c.channel) FROM conversations c \
             WHERE c.customer_id = cu.id AND c.store_id = ?1) AS channels \
         FROM (SELECT e.customer_id, e.starred, e.uncontacted, e.last_contact_at, \
                 e.last_name_lower, e.first_name_lower \
               FROM clientbook_entries e \
               WHERE e.store_id = ?1 \
                 AND (?7 = 0 OR e.starred = 1) \
                 AND (?6 = '' \
                   OR (?3 <> '' AND (e.name_key LIKE ?3 || '%' OR e.name_key LIKE '% ' || ?3 || '%')) \
                   OR (?4 IS NOT NULL AND e.phone_key LIKE '%' || ?4 || '%') \
                   OR (e.email_key <> '' AND instr(e.email_key, ?6) > 0)) \
                 AND (?2 IS NULL OR EXISTS (SELECT 1 FROM customers m, json_each(m.assigned_staff_ids) \
                   WHERE m.id = e.customer_id AND value = ?2)) \
                 {filtered} \
               ORDER BY e.starred DESC, e.uncontacted, e.last_contact_at DESC, \
                 e.last_name_lower, e.first_name_lower, e.customer_id \
               LIMIT ?5) e \
         JOIN customers cu ON cu.id = e.customer_id \
         ORDER BY e.starred DESC, e.uncontacted, e.last_contact_at DESC, \
           e.last_name_lower, e.first_name_lower, e.customer_id"
    );
    let query = sqlx::query(&sql)
        .bind(listing.store_id.as_str())
        .bind(listing.mine.map(StaffId::as_str))
        .bind(search.name())
        .bind(search.digits())
        .bind(i64::from(listing.limit) + 1)
        .bind(search.email())
        .bind(listing.starred_only);
    let found = attributes::bind_all(query, &bounds).fetch_all(conn).await?;
    let has_more = found.len() > listing.limit as usize;
    let rows = found
        .iter()
        .take(listing.limit as usize)
        .map(row_of)
        .collect::<Result<Vec<_>, CoreError>>()?;
    Ok((rows, has_more))
}

/// A clientbook row read from the listing's columns (the customer's, `channels`,
/// `consent`, `last_contact_at`, `starred`), without tags (the caller reads those for
/// the rows shown).
pub(super) fn row_of(row: &SqliteRow) -> Result<CustomerRow, CoreError> {
    let channels: Vec<String> =
        from_json("customers.channels", &row.try_get::<String, _>("channels")?)?;
    let consent: Option<String> = row.try_get("consent")?;
    Ok(CustomerRow {
        customer: customers::decode(row)?,
        last_contact_at: row
            .try_get::<Option<i64>, _>("last_contact_at")?
            .map(Timestamp),
        consent: consent
            .map(|name| parse_name("conversations.consent", &name, ConsentState::parse))
            .transpose()?
            .unwrap_or(ConsentState::Unknown),
        channels: channels
            .iter()
            .map(|name| parse_name("conversations.channel", name, Channel::parse))
            .collect::<Result<_, _>>()?,
        starred: row.try_get("starred")?,
        tags: Vec::new(),
    })
}
