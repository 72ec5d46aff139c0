//! A store's messaging setup as the backend keeps it: templates (M2, M5, A7), quick
//! replies (M6) and keyword settings (M3, M4), stored as JSON per store.

use clienteling_domain::api::Store;
use clienteling_domain::keywords::KeywordSettings;
use clienteling_domain::template::{QuickReply, Template, TemplatePurpose};
use clienteling_domain::{Channel, StoreId};
use serde::de::DeserializeOwned;
use sqlx::SqliteConnection;

fn decode<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(text)
        .map_err(|e| sqlx::Error::Decode(format!("unreadable {what} in the database: {e}").into()))
}

fn encode<T: serde::Serialize>(value: &T) -> Result<String, sqlx::Error> {
    serde_json::to_string(value).map_err(|e| sqlx::Error::Encode(e.into()))
}

/// A store's templates, sendable or not, in picker order.
pub async fn templates(
    conn: &mut SqliteConnection,
    store_id: &StoreId,
) -> Result<Vec<Template>, sqlx::Error> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT template FROM templates WHERE store_id = ? ORDER BY position")
            .bind(store_id.as_str())
            .fetch_all(conn)
            .await?;
    rows.iter().map(|text| decode("template", text)).collect()
}

/// One of a store's templates.
pub async fn template(
    conn: &mut SqliteConnection,
    store_id: &StoreId,
    id: &str,
) -> Result<Option<Template>, sqlx::Error> {
    let row: Option<String> =
        sqlx::query_scalar("SELECT template FROM templates WHERE store_id = ? AND id = ?")
            .bind(store_id.as_str())
            .bind(id)
            .fetch_optional(conn)
            .await?;
    row.map(|text| decode("template", &text)).transpose()
}

/// The store's first sendable template of `purpose` on `channel`.
pub async fn template_for(
    conn: &mut SqliteConnection,
    store_id: &StoreId,
    channel: Channel,
    purpose: TemplatePurpose,
) -> Result<Option<Template>, sqlx::Error> {
    Ok(templates(conn, store_id)
        .await?
        .into_iter()
        .find(|t| t.channel == channel && t.purpose == purpose && t.is_sendable()))
}

/// A store's quick replies, in picker order.
pub async fn quick_replies(
    conn: &mut SqliteConnection,
    store_id: &StoreId,
) -> Result<Vec<QuickReply>, sqlx::Error> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT quick_reply FROM quick_replies WHERE store_id = ? ORDER BY position",
    )
    .bind(store_id.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|text| decode("quick reply", text))
        .collect()
}

/// A store's keyword settings; the standard ones when none were saved.
pub async fn keyword_settings(
    conn: &mut SqliteConnection,
    store_id: &StoreId,
) -> Result<KeywordSettings, sqlx::Error> {
    let row: Option<String> =
        sqlx::query_scalar("SELECT settings FROM keyword_settings WHERE store_id = ?")
            .bind(store_id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(text) = row {
        return decode("keyword settings", &text);
    }
    let store: (String, Option<String>) =
        sqlx::query_as("SELECT name, clienteling_number FROM stores WHERE id = ?")
            .bind(store_id.as_str())
            .fetch_one(conn)
            .await?;
    Ok(KeywordSettings::standard(&store.0, store.1.as_deref()))
}

/// Saves a store's keyword settings.
pub async fn save_keyword_settings(
    conn: &mut SqliteConnection,
    store_id: &StoreId,
    settings: &KeywordSettings,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO keyword_settings (store_id, settings) VALUES (?, ?)
         ON CONFLICT (store_id) DO UPDATE SET settings = excluded.settings",
    )
    .bind(store_id.as_str())
    .bind(encode(settings)?)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes a store's templates, quick replies and keyword settings unless it has some.
pub async fn seed(
    conn: &mut SqliteConnection,
    store: &Store,
    templates: &[Template],
    quick_replies: &[QuickReply],
) -> Result<(), sqlx::Error> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM templates WHERE store_id = ?")
        .bind(store.id.as_str())
        .fetch_one(&mut *conn)
        .await?;
    if existing > 0 {
        return Ok(());
    }
    for (position, template) in templates.iter().enumerate() {
        sqlx::query("INSERT INTO templates (id, store_id, position, template) VALUES (?, ?, ?, ?)")
            .bind(&template.id)
            .bind(store.id.as_str())
            .bind(position as i64)
            .bind(encode(template)?)
            .execute(&mut *conn)
            .await?;
    }
    for (position, quick_reply) in quick_replies.iter().enumerate() {
        sqlx::query(
            "INSERT INTO quick_replies (id, store_id, position, quick_reply) VALUES (?, ?, ?, ?)",
        )
        .bind(&quick_reply.id)
        .bind(store.id.as_str())
        .bind(position as i64)
        .bind(encode(quick_reply)?)
        .execute(&mut *conn)
        .await?;
    }
    let settings = KeywordSettings::standard(&store.name, store.clienteling_number.as_deref());
    save_keyword_settings(conn, &store.id, &settings).await
}
