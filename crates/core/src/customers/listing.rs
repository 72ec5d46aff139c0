//! The clientbook listing over the local copy (C1): the customers of a store, or those
//! assigned to a staff member there, matching what is typed (a name's start, any digits
//! of a phone number however typed, part of an email), most recently contacted first, with
//! each one's consent and channels in the store.

use clienteling_domain::view::CustomerRow;
use clienteling_domain::{Channel, ConsentState, StaffId, StoreId, Timestamp};
use sqlx::{Row, SqliteConnection};

use super::storage::{self as customers, COLUMNS};
use crate::columns::{from_json, parse_name};
use crate::error::CoreError;

/// Digits a search must have to be matched against phone numbers.
const MIN_PHONE_DIGITS: usize = 3;

/// A listing asked of the local copy.
#[derive(Debug, Clone, Copy)]
pub struct Listing<'a> {
    /// The store whose customers are listed.
    pub store_id: &'a StoreId,
    /// Only the customers assigned to this staff member.
    pub mine: Option<&'a StaffId>,
    /// What is typed, trimmed; empty for everyone.
    pub search: &'a str,
    /// Rows at most.
    pub limit: u32,
}

/// The rows of `listing`, and whether more match.
pub async fn rows(
    conn: &mut SqliteConnection,
    listing: &Listing<'_>,
) -> Result<(Vec<CustomerRow>, bool), CoreError> {
    let search = listing.search.trim().to_lowercase();
    let digits: String = search.chars().filter(char::is_ascii_digit).collect();
    let digits = if digits.len() >= MIN_PHONE_DIGITS {
        digits
    } else {
        String::new()
    };
    let sql = format!(
        "SELECT {COLUMNS}, \
           (SELECT MAX(c.last_activity_at) FROM conversations c \
             WHERE c.customer_id = cu.id AND c.store_id = ?1) AS last_contact_at, \
           (SELECT c.consent FROM conversations c WHERE c.customer_id = cu.id AND c.store_id = ?1 \
             ORDER BY c.last_activity_at DESC LIMIT 1) AS consent, \
           (SELECT json_group_array(DISTINCT c.channel) FROM conversations c \
             WHERE c.customer_id = cu.id AND c.store_id = ?1) AS channels \
         FROM customers cu \
         WHERE EXISTS (SELECT 1 FROM json_each(cu.store_ids) WHERE value = ?1) \
           AND (?2 IS NULL OR EXISTS (SELECT 1 FROM json_each(cu.assigned_staff_ids) WHERE value = ?2)) \
           AND (?3 = '' \
             OR substr(lower(cu.first_name), 1, length(?3)) = ?3 \
             OR substr(lower(cu.last_name), 1, length(?3)) = ?3 \
             OR substr(lower(cu.first_name || ' ' || cu.last_name), 1, length(?3)) = ?3 \
             OR instr(lower(COALESCE(cu.email, '')), ?3) > 0 \
             OR (?4 <> '' AND instr(COALESCE(cu.phone, ''), ?4) > 0)) \
         ORDER BY last_contact_at IS NULL, last_contact_at DESC, \
           lower(cu.last_name), lower(cu.first_name), cu.id \
         LIMIT ?5"
    );
    let found = sqlx::query(&sql)
        .bind(listing.store_id.as_str())
        .bind(listing.mine.map(StaffId::as_str))
        .bind(&search)
        .bind(&digits)
        .bind(i64::from(listing.limit) + 1)
        .fetch_all(conn)
        .await?;
    let has_more = found.len() > listing.limit as usize;
    let rows = found
        .iter()
        .take(listing.limit as usize)
        .map(|row| {
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
            })
        })
        .collect::<Result<Vec<_>, CoreError>>()?;
    Ok((rows, has_more))
}
