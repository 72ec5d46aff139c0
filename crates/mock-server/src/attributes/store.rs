//! The attributes' SQL: definitions and layout in their configured order, a customer's
//! values with their modifiers' names, and writing or clearing a value.

use clienteling_domain::attribute::{
    AttributeDefinition, AttributeValue, CustomerAttribute, CustomerAttributes,
};
use clienteling_domain::layout::{CustomerLayout, LayoutSection};
use clienteling_domain::{CustomerId, StaffId, Timestamp};
use sqlx::SqliteConnection;

/// Why stored configuration or values could not be read back.
fn corrupt(what: &str, error: serde_json::Error) -> sqlx::Error {
    sqlx::Error::Decode(format!("{what}: {error}").into())
}

/// Every attribute definition, in the configured order.
pub async fn definitions(
    conn: &mut SqliteConnection,
) -> Result<Vec<AttributeDefinition>, sqlx::Error> {
    let rows: Vec<(String, String, String, bool, bool, bool)> = sqlx::query_as(
        "SELECT key, label, kind, filterable, editable, listed FROM attribute_definitions
         ORDER BY position, key",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(key, label, kind, filterable, editable, listed)| {
            Ok(AttributeDefinition {
                kind: serde_json::from_str(&kind)
                    .map_err(|e| corrupt("attribute_definitions.kind", e))?,
                key,
                label,
                filterable,
                editable,
                listed,
            })
        })
        .collect()
}

/// The definition of `key`, if configured.
pub async fn definition(
    conn: &mut SqliteConnection,
    key: &str,
) -> Result<Option<AttributeDefinition>, sqlx::Error> {
    Ok(definitions(conn).await?.into_iter().find(|d| d.key == key))
}

/// The profile's sections, in the configured order.
pub async fn layout(conn: &mut SqliteConnection) -> Result<CustomerLayout, sqlx::Error> {
    let rows: Vec<(String, String, bool, String)> = sqlx::query_as(
        "SELECT key, title, custom, attributes FROM layout_sections ORDER BY position, key",
    )
    .fetch_all(conn)
    .await?;
    let sections = rows
        .into_iter()
        .map(|(key, title, custom, attributes)| {
            Ok(LayoutSection {
                attributes: serde_json::from_str(&attributes)
                    .map_err(|e| corrupt("layout_sections.attributes", e))?,
                key,
                title,
                custom,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(CustomerLayout { sections })
}

/// Replaces the configuration (the demo's; the admin editor later).
pub async fn save_configuration(
    conn: &mut SqliteConnection,
    definitions: &[AttributeDefinition],
    layout: &CustomerLayout,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM layout_sections")
        .execute(&mut *conn)
        .await?;
    for (position, d) in definitions.iter().enumerate() {
        let kind = serde_json::to_string(&d.kind).map_err(|e| corrupt("kind", e))?;
        sqlx::query(
            "INSERT INTO attribute_definitions (key, position, label, kind, filterable, editable, listed)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET position = excluded.position, label = excluded.label,
               kind = excluded.kind, filterable = excluded.filterable, editable = excluded.editable,
               listed = excluded.listed",
        )
        .bind(&d.key)
        .bind(position as i64)
        .bind(&d.label)
        .bind(kind)
        .bind(d.filterable)
        .bind(d.editable)
        .bind(d.listed)
        .execute(&mut *conn)
        .await?;
    }
    for (position, s) in layout.sections.iter().enumerate() {
        let attributes =
            serde_json::to_string(&s.attributes).map_err(|e| corrupt("attributes", e))?;
        sqlx::query(
            "INSERT INTO layout_sections (key, position, title, custom, attributes) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&s.key)
        .bind(position as i64)
        .bind(&s.title)
        .bind(s.custom)
        .bind(attributes)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A stored value: key, value JSON, who set it, their name, when.
type ValueRow = (String, String, Option<String>, Option<String>, i64);

/// A customer's values, in the definitions' order, with the names of who set them.
pub async fn values(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
) -> Result<CustomerAttributes, sqlx::Error> {
    let rows: Vec<ValueRow> = sqlx::query_as(
        "SELECT ca.key, ca.value, ca.modified_by, s.name, ca.modified_at
         FROM customer_attributes ca
         JOIN attribute_definitions d ON d.key = ca.key
         LEFT JOIN staff s ON s.id = ca.modified_by
         WHERE ca.customer_id = ?
         ORDER BY d.position, ca.key",
    )
    .bind(customer_id.as_str())
    .fetch_all(conn)
    .await?;
    let values = rows
        .into_iter()
        .map(|(key, value, modified_by, name, modified_at)| {
            Ok(CustomerAttribute {
                value: serde_json::from_str(&value)
                    .map_err(|e| corrupt("customer_attributes.value", e))?,
                key,
                modified_by: modified_by.map(StaffId),
                modified_by_name: name,
                modified_at: Timestamp(modified_at),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(CustomerAttributes {
        customer_id: customer_id.clone(),
        values,
    })
}

/// Stores `value` as set by `staff` at `now`; answers false (and changes nothing) when
/// the customer already has exactly this value, so a repeated request is a no-op.
pub async fn set(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
    key: &str,
    value: &AttributeValue,
    staff: Option<&StaffId>,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let json = serde_json::to_string(value).map_err(|e| corrupt("value", e))?;
    let stored: Option<String> = sqlx::query_scalar(
        "SELECT value FROM customer_attributes WHERE customer_id = ? AND key = ?",
    )
    .bind(customer_id.as_str())
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    let unchanged = stored
        .and_then(|s| serde_json::from_str::<AttributeValue>(&s).ok())
        .is_some_and(|stored| stored == *value);
    if unchanged {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO customer_attributes (customer_id, key, value, modified_by, modified_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (customer_id, key) DO UPDATE SET value = excluded.value,
           modified_by = excluded.modified_by, modified_at = excluded.modified_at",
    )
    .bind(customer_id.as_str())
    .bind(key)
    .bind(json)
    .bind(staff.map(StaffId::as_str))
    .bind(now.millis())
    .execute(conn)
    .await?;
    Ok(true)
}

/// Clears a customer's value of `key`; whether there was one.
pub async fn clear(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
    key: &str,
) -> Result<bool, sqlx::Error> {
    let removed = sqlx::query("DELETE FROM customer_attributes WHERE customer_id = ? AND key = ?")
        .bind(customer_id.as_str())
        .bind(key)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(removed > 0)
}
