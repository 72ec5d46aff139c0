//! The `session` table: the signed-in staff member, their stores, the store shown, the
//! sync cursor, where the backfill of older history stands, and whether the backend refused its token (the session ended, its local
//! copy and unsent work kept for the same staff member's next sign-in).

use std::collections::BTreeMap;

use clienteling_domain::api::{Session, Staff, Store};
use clienteling_domain::view::{Counted, HistoryProgress};
use clienteling_domain::{ApiError, ErrorCode, Permission, StoreId};
use sqlx::{Row, SqliteConnection};

use crate::columns::{from_json, to_json};
use crate::error::CoreError;

/// The stored session.
#[derive(Debug, Clone)]
pub struct StoredSession {
    /// Bearer token.
    pub token: String,
    /// Who is signed in.
    pub staff: Staff,
    /// Their stores.
    pub stores: Vec<Store>,
    /// The store the inbox shows.
    pub current_store_id: StoreId,
    /// Sequence number of the last change applied.
    pub cursor: i64,
    /// The backend refused the token: nothing is sent or synced until the staff member
    /// signs in again.
    pub ended: bool,
    /// The sequence number the backfill reads the feed backwards from next; `None` once
    /// all older history is local.
    pub history_before: Option<i64>,
    /// How far the backfill has come.
    pub history: HistoryProgress,
}

impl StoredSession {
    /// The store with this id, if it is one of the session's.
    pub fn store(&self, id: &StoreId) -> Option<&Store> {
        self.stores.iter().find(|s| &s.id == id)
    }

    /// Refuses at once, as the backend would, what the staff member's role does not allow.
    pub fn require(&self, permission: Permission) -> Result<(), CoreError> {
        if self.staff.role.allows(permission) {
            return Ok(());
        }
        Err(CoreError::Refused(ApiError::new(
            ErrorCode::Forbidden,
            format!(
                "Not allowed: this needs the {permission} permission ({}), which your role does not grant",
                permission.label()
            ),
        )))
    }
}

/// The session, if someone is signed in.
pub async fn load(conn: &mut SqliteConnection) -> Result<Option<StoredSession>, CoreError> {
    let row = sqlx::query(
        "SELECT token, staff, stores, current_store_id, cursor, ended, history_before, \
         history_stored, history_total, history_kinds FROM session WHERE id = 1",
    )
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let history_before: Option<i64> = row.try_get("history_before")?;
    let count = |column: &str| -> Result<u64, CoreError> {
        Ok(u64::try_from(row.try_get::<i64, _>(column)?).unwrap_or(0))
    };
    let kinds: BTreeMap<String, Counted> = from_json(
        "session.history_kinds",
        &row.try_get::<String, _>("history_kinds")?,
    )?;
    let of = |kind: &str| kinds.get(kind).copied().unwrap_or_default();
    let history = HistoryProgress {
        stored: count("history_stored")?,
        total: count("history_total")?,
        complete: history_before.is_none(),
        customers: of("customer"),
        conversations: of("conversation"),
        messages: of("message"),
    };
    Ok(Some(StoredSession {
        token: row.try_get("token")?,
        staff: from_json("session.staff", &row.try_get::<String, _>("staff")?)?,
        stores: from_json("session.stores", &row.try_get::<String, _>("stores")?)?,
        current_store_id: StoreId(row.try_get("current_store_id")?),
        cursor: row.try_get("cursor")?,
        ended: row.try_get("ended")?,
        history_before,
        history,
    }))
}

/// Stores a new session whose local copy is current at the feed's `cursor`, with
/// `history_total` entries of older history to backfill from there (none: complete), of
/// which `history_kinds` by kind of entity.
pub async fn save(
    conn: &mut SqliteConnection,
    session: &Session,
    current_store_id: &StoreId,
    cursor: i64,
    history_total: u64,
    history_kinds: &BTreeMap<String, u64>,
) -> Result<(), CoreError> {
    let history_before = (history_total > 0).then(|| cursor.saturating_add(1));
    let kinds: BTreeMap<&String, Counted> = history_kinds
        .iter()
        .map(|(kind, total)| {
            let counted = Counted {
                stored: 0,
                total: *total,
            };
            (kind, counted)
        })
        .collect();
    sqlx::query(
        "INSERT OR REPLACE INTO session (id, token, staff, stores, current_store_id, cursor, \
         history_before, history_stored, history_total, history_kinds) \
         VALUES (1, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
    )
    .bind(&session.token)
    .bind(to_json("session.staff", &session.staff)?)
    .bind(to_json("session.stores", &session.stores)?)
    .bind(current_store_id.as_str())
    .bind(cursor)
    .bind(history_before)
    .bind(i64::try_from(history_total).unwrap_or(i64::MAX))
    .bind(to_json("session.history_kinds", &kinds)?)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a backfilled page that went through `covered` entries, `covered_kinds` of them
/// by kind: the backfill goes on before `next_before`, or is complete.
pub async fn advance_history(
    conn: &mut SqliteConnection,
    next_before: Option<i64>,
    covered: u32,
    covered_kinds: &BTreeMap<String, u32>,
) -> Result<(), CoreError> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT history_kinds FROM session WHERE id = 1")
            .fetch_optional(&mut *conn)
            .await?;
    let mut kinds: BTreeMap<String, Counted> = match stored {
        Some(text) => from_json("session.history_kinds", &text)?,
        None => BTreeMap::new(),
    };
    for (kind, count) in covered_kinds {
        let counted = kinds.entry(kind.clone()).or_default();
        counted.stored = counted.stored.saturating_add(u64::from(*count));
    }
    sqlx::query(
        "UPDATE session SET history_before = ?, history_stored = history_stored + ?, \
         history_kinds = ? WHERE id = 1",
    )
    .bind(next_before)
    .bind(covered)
    .bind(to_json("session.history_kinds", &kinds)?)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes up the stored session of the same staff member again under a new token: their
/// stores as the backend now lists them (the store shown stays if it is still theirs),
/// the cursor, local copy and outbox kept.
pub async fn resume(
    conn: &mut SqliteConnection,
    session: &Session,
    fallback_store_id: &StoreId,
) -> Result<(), CoreError> {
    let store_ids: Vec<&str> = session.stores.iter().map(|s| s.id.as_str()).collect();
    sqlx::query(
        "UPDATE session SET token = ?, staff = ?, stores = ?, ended = 0, \
         current_store_id = CASE WHEN current_store_id IN (SELECT value FROM json_each(?)) \
                                 THEN current_store_id ELSE ? END \
         WHERE id = 1",
    )
    .bind(&session.token)
    .bind(to_json("session.staff", &session.staff)?)
    .bind(to_json("session.stores", &session.stores)?)
    .bind(to_json("session.stores", &store_ids)?)
    .bind(fallback_store_id.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks the session ended because the backend refused its token; answers whether a
/// live session was there to end.
pub async fn mark_ended(conn: &mut SqliteConnection) -> Result<bool, CoreError> {
    let ended = sqlx::query("UPDATE session SET ended = 1 WHERE id = 1 AND ended = 0")
        .execute(conn)
        .await?;
    Ok(ended.rows_affected() > 0)
}

/// Changes the store the inbox shows.
pub async fn set_current_store(
    conn: &mut SqliteConnection,
    store_id: &StoreId,
) -> Result<(), CoreError> {
    sqlx::query("UPDATE session SET current_store_id = ? WHERE id = 1")
        .bind(store_id.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves the cursor forward to `cursor` (never back).
pub async fn advance_cursor(conn: &mut SqliteConnection, cursor: i64) -> Result<(), CoreError> {
    sqlx::query("UPDATE session SET cursor = MAX(cursor, ?) WHERE id = 1")
        .bind(cursor)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes the session and the whole local copy, outbox included; answers whether a
/// session was there.
pub async fn clear_all(conn: &mut SqliteConnection) -> Result<bool, CoreError> {
    crate::conversations::setup::clear(&mut *conn).await?;
    crate::orders::storage::clear(&mut *conn).await?;
    crate::tasks::storage::clear(&mut *conn).await?;
    for statement in [
        "DELETE FROM outbox",
        "DELETE FROM messages",
        // The clientbook's index before the conversations, so their triggers find no
        // entry to update.
        "DELETE FROM clientbook_entries",
        "DELETE FROM conversations",
        "DELETE FROM customers",
        "DELETE FROM customer_details_confirmed",
        "DELETE FROM customer_attributes",
        "DELETE FROM customer_config",
        "DELETE FROM notes",
        "DELETE FROM customer_stars",
        "DELETE FROM last_contacts",
    ] {
        sqlx::query(statement).execute(&mut *conn).await?;
    }
    let deleted = sqlx::query("DELETE FROM session")
        .execute(&mut *conn)
        .await?;
    Ok(deleted.rows_affected() > 0)
}
