//! The `customer_config` and `customer_attributes` tables: the configuration as the
//! backend served it, each customer's values with the columns the filters read, the
//! filter SQL the clientbook listing uses (C5) and the listed attributes' tags of the rows
//! it shows (C1).

use std::collections::{HashMap, HashSet};

use clienteling_domain::attribute::{
    AttributeCondition, AttributeDefinition, AttributeFilter, AttributeValue, Comparison,
    CustomerAttribute, CustomerAttributes,
};
use clienteling_domain::layout::CustomerLayout;
use clienteling_domain::view::RowTag;
use clienteling_domain::{CustomerId, StaffId, Timestamp};
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use crate::columns::{from_json, to_json};
use crate::error::CoreError;

/// Values per insert statement: 9 bound values each.
const INSERT_ROWS: usize = 1_000;

/// What to do with a value already stored: the backend's current one replaces it unless a
/// change of it made on this device still waits in the outbox.
const REPLACE: &str = " ON CONFLICT (customer_id, key) DO UPDATE SET value = excluded.value, \
     kind = excluded.kind, num = excluded.num, txt = excluded.txt, \
     modified_by = excluded.modified_by, modified_by_name = excluded.modified_by_name, \
     modified_at = excluded.modified_at \
     WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'set_attribute' \
       AND o.subject = 'customer:' || excluded.customer_id \
       AND json_extract(o.payload, '$.key') = excluded.key)";
/// A backfill's older page never overwrites what is stored.
const KEEP: &str = " ON CONFLICT (customer_id, key) DO NOTHING";

/// Stores the configuration the backend serves.
pub async fn save_config(
    conn: &mut SqliteConnection,
    definitions: &[AttributeDefinition],
    layout: &CustomerLayout,
) -> Result<(), CoreError> {
    for (name, body) in [
        ("attributes", to_json("customer_config.body", &definitions)?),
        ("layout", to_json("customer_config.body", layout)?),
    ] {
        sqlx::query(
            "INSERT INTO customer_config (name, body) VALUES (?, ?) \
             ON CONFLICT (name) DO UPDATE SET body = excluded.body",
        )
        .bind(name)
        .bind(body)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn config_body(conn: &mut SqliteConnection, name: &str) -> Result<Option<String>, CoreError> {
    Ok(
        sqlx::query_scalar("SELECT body FROM customer_config WHERE name = ?")
            .bind(name)
            .fetch_optional(conn)
            .await?,
    )
}

/// The values of the attributes `definitions` mark as listed (C1) of the customers `shown`
/// (a clientbook page), each customer's in the configured order: one read by the table's
/// key, only for the rows shown.
pub async fn listed_tags(
    conn: &mut SqliteConnection,
    definitions: &[AttributeDefinition],
    shown: &[&CustomerId],
) -> Result<HashMap<CustomerId, Vec<RowTag>>, CoreError> {
    let listed: Vec<&AttributeDefinition> = definitions.iter().filter(|d| d.listed).collect();
    let mut tags: HashMap<CustomerId, Vec<RowTag>> = HashMap::new();
    if listed.is_empty() || shown.is_empty() {
        return Ok(tags);
    }
    let keys: Vec<&str> = listed.iter().map(|d| d.key.as_str()).collect();
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT customer_id, key, value FROM customer_attributes \
         WHERE customer_id IN (SELECT value FROM json_each(?1)) \
           AND key IN (SELECT value FROM json_each(?2))",
    )
    .bind(to_json("customer ids", &shown)?)
    .bind(to_json("attribute keys", &keys)?)
    .fetch_all(conn)
    .await?;
    let mut values: HashMap<(String, String), AttributeValue> = HashMap::new();
    for (customer_id, key, value) in rows {
        let value: AttributeValue = from_json("customer_attributes.value", &value)?;
        values.insert((customer_id, key), value);
    }
    for id in shown {
        let of_customer: Vec<RowTag> = listed
            .iter()
            .filter_map(|definition| {
                let value = values.get(&(id.to_string(), definition.key.clone()))?;
                Some(RowTag {
                    key: definition.key.clone(),
                    label: definition.label.clone(),
                    text: value.display(),
                })
            })
            .collect();
        if !of_customer.is_empty() {
            tags.insert((*id).clone(), of_customer);
        }
    }
    Ok(tags)
}

/// The attribute definitions last fetched, none before the first fetch.
pub async fn definitions(
    conn: &mut SqliteConnection,
) -> Result<Vec<AttributeDefinition>, CoreError> {
    config_body(conn, "attributes")
        .await?
        .map_or(Ok(Vec::new()), |body| {
            from_json("customer_config.attributes", &body)
        })
}

/// The profile layout last fetched, empty before the first fetch.
pub async fn layout(conn: &mut SqliteConnection) -> Result<CustomerLayout, CoreError> {
    config_body(conn, "layout")
        .await?
        .map_or(Ok(CustomerLayout::default()), |body| {
            from_json("customer_config.layout", &body)
        })
}

/// The value's type and the columns the filters read (see the migration).
fn filter_columns(
    value: &AttributeValue,
) -> Result<(&'static str, Option<f64>, Option<String>), CoreError> {
    Ok(match value {
        AttributeValue::Date(date) => ("date", None, Some(date.to_string())),
        AttributeValue::Number(n) => ("number", Some(*n), None),
        AttributeValue::Boolean(b) => ("boolean", Some(if *b { 1.0 } else { 0.0 }), None),
        AttributeValue::Text(text) => ("text", None, Some(text.to_lowercase())),
        AttributeValue::Choices(picked) => {
            let lower: Vec<String> = picked.iter().map(|p| p.trim().to_lowercase()).collect();
            (
                "choices",
                None,
                Some(to_json("customer_attributes.txt", &lower)?),
            )
        }
    })
}

/// Stores the values the backend sent; `keep` leaves values already stored as they are
/// (a backfill), otherwise each customer's values become the backend's (all of them: a
/// value it no longer has was cleared, C15) except those changed on this device and not
/// yet sent, set or cleared.
pub async fn store(
    conn: &mut SqliteConnection,
    customers: &[&CustomerAttributes],
    keep: bool,
) -> Result<(), CoreError> {
    let waiting: HashSet<(String, String)> = if keep {
        HashSet::new()
    } else {
        waiting_changes(conn).await?
    };
    if !keep {
        for of_customer in customers {
            let keys: Vec<&str> = of_customer.values.iter().map(|v| v.key.as_str()).collect();
            sqlx::query(
                "DELETE FROM customer_attributes WHERE customer_id = ?1 \
                   AND key NOT IN (SELECT value FROM json_each(?2)) \
                   AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'set_attribute' \
                     AND o.subject = 'customer:' || ?1 \
                     AND json_extract(o.payload, '$.key') = customer_attributes.key)",
            )
            .bind(of_customer.customer_id.as_str())
            .bind(to_json("attribute keys", &keys)?)
            .execute(&mut *conn)
            .await?;
        }
    }
    let rows: Vec<(&CustomerId, &CustomerAttribute)> = customers
        .iter()
        .flat_map(|c| c.values.iter().map(move |v| (&c.customer_id, v)))
        .filter(|(id, v)| !waiting.contains(&(id.to_string(), v.key.clone())))
        .collect();
    for chunk in rows.chunks(INSERT_ROWS) {
        let encoded = chunk
            .iter()
            .map(|(_, v)| {
                Ok((
                    to_json("customer_attributes.value", &v.value)?,
                    filter_columns(&v.value)?,
                ))
            })
            .collect::<Result<Vec<_>, CoreError>>()?;
        let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO customer_attributes (customer_id, key, value, kind, num, txt, \
             modified_by, modified_by_name, modified_at) ",
        );
        insert.push_values(
            chunk.iter().zip(encoded),
            |mut row, ((id, v), (json, (kind, num, txt)))| {
                row.push_bind(id.as_str())
                    .push_bind(v.key.as_str())
                    .push_bind(json)
                    .push_bind(kind)
                    .push_bind(num)
                    .push_bind(txt)
                    .push_bind(v.modified_by.as_ref().map(|s| s.as_str().to_owned()))
                    .push_bind(v.modified_by_name.clone())
                    .push_bind(v.modified_at.millis());
            },
        );
        insert.push(if keep { KEEP } else { REPLACE });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// The (customer, key) of every value change waiting in the outbox: a value set or
/// cleared here that the backend's copy must not overwrite or bring back.
async fn waiting_changes(
    conn: &mut SqliteConnection,
) -> Result<HashSet<(String, String)>, CoreError> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT substr(subject, length('customer:') + 1), json_extract(payload, '$.key') \
         FROM outbox WHERE kind = 'set_attribute' AND subject LIKE 'customer:%'",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(customer, key)| Some((customer, key?)))
        .collect())
}

/// Stores a value set on this device, whatever is stored.
pub async fn set_local(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
    value: &CustomerAttribute,
) -> Result<(), CoreError> {
    sqlx::query("DELETE FROM customer_attributes WHERE customer_id = ? AND key = ?")
        .bind(customer_id.as_str())
        .bind(&value.key)
        .execute(&mut *conn)
        .await?;
    let values = CustomerAttributes {
        customer_id: customer_id.clone(),
        values: vec![value.clone()],
    };
    store(conn, &[&values], true).await
}

/// Removes a value (one set on this device that the backend refused and that had none).
pub async fn remove(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
    key: &str,
) -> Result<(), CoreError> {
    sqlx::query("DELETE FROM customer_attributes WHERE customer_id = ? AND key = ?")
        .bind(customer_id.as_str())
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// A customer's stored values.
pub async fn values(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
) -> Result<Vec<CustomerAttribute>, CoreError> {
    let rows = sqlx::query(
        "SELECT key, value, modified_by, modified_by_name, modified_at FROM customer_attributes \
         WHERE customer_id = ? ORDER BY key",
    )
    .bind(customer_id.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(CustomerAttribute {
                key: row.try_get("key")?,
                value: from_json(
                    "customer_attributes.value",
                    &row.try_get::<String, _>("value")?,
                )?,
                modified_by: row
                    .try_get::<Option<String>, _>("modified_by")?
                    .map(StaffId),
                modified_by_name: row.try_get("modified_by_name")?,
                modified_at: Timestamp(row.try_get("modified_at")?),
            })
        })
        .collect()
}

/// The keys of a customer's values changed on this device and not yet sent.
pub async fn pending_keys(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
) -> Result<Vec<String>, CoreError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT json_extract(payload, '$.key') FROM outbox \
         WHERE kind = 'set_attribute' AND subject = 'customer:' || ?",
    )
    .bind(customer_id.as_str())
    .fetch_all(conn)
    .await?)
}

/// One bound value of the filter SQL.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound {
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// Nothing (an open end of a date range).
    Null,
}

/// The SQL condition that keeps the customers whose id is the column `customer_id` (such
/// as `cu.id`) passing every filter, with its bound values in order, numbered from `first`
/// (`?N`).
pub fn filter_sql(
    conditions: &[AttributeCondition],
    customer_id: &str,
    first: usize,
) -> Result<(String, Vec<Bound>), CoreError> {
    let mut sql = String::new();
    let mut bounds: Vec<Bound> = Vec::new();
    for condition in conditions {
        let mut bind = |bound: Bound| {
            bounds.push(bound);
            format!("?{}", first + bounds.len() - 1)
        };
        let key = bind(Bound::Text(condition.key.clone()));
        let test = match &condition.filter {
            AttributeFilter::DateRange { from, to } => {
                let from = bind(from.map_or(Bound::Null, |d| Bound::Text(d.to_string())));
                let to = bind(to.map_or(Bound::Null, |d| Bound::Text(d.to_string())));
                format!("ca.kind = 'date' AND ({from} IS NULL OR ca.txt >= {from}) AND ({to} IS NULL OR ca.txt <= {to})")
            }
            AttributeFilter::NumberCompare { op, value } => {
                let symbol = match op {
                    Comparison::Lt => "<",
                    Comparison::Le => "<=",
                    Comparison::Eq => "=",
                    Comparison::Ge => ">=",
                    Comparison::Gt => ">",
                };
                format!(
                    "ca.kind = 'number' AND ca.num {symbol} {}",
                    bind(Bound::Number(*value))
                )
            }
            AttributeFilter::Boolean(wanted) => format!(
                "ca.kind = 'boolean' AND ca.num = {}",
                bind(Bound::Number(if *wanted { 1.0 } else { 0.0 }))
            ),
            AttributeFilter::TextContains(needle) => format!(
                "ca.kind = 'text' AND instr(ca.txt, {}) > 0",
                bind(Bound::Text(needle.trim().to_lowercase()))
            ),
            AttributeFilter::AnyOf(wanted) => {
                let lower: Vec<String> = wanted.iter().map(|w| w.trim().to_lowercase()).collect();
                format!(
                    "ca.kind = 'choices' AND EXISTS (SELECT 1 FROM json_each(ca.txt) picked \
                     WHERE picked.value IN (SELECT value FROM json_each({})))",
                    bind(Bound::Text(to_json("filter", &lower)?))
                )
            }
        };
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM customer_attributes ca \
               WHERE ca.customer_id = {customer_id} AND ca.key = {key} AND {test})"
        ));
    }
    Ok((sql, bounds))
}

/// Binds the filter SQL's values, in order.
pub fn bind_all<'q>(
    mut query: Query<'q, Sqlite, SqliteArguments<'q>>,
    bounds: &'q [Bound],
) -> Query<'q, Sqlite, SqliteArguments<'q>> {
    for bound in bounds {
        query = match bound {
            Bound::Text(text) => query.bind(text.as_str()),
            Bound::Number(n) => query.bind(*n),
            Bound::Null => query.bind(None::<String>),
        };
    }
    query
}
