//! Reads and writes of the local copy, one module per table, plus applying the backend's
//! changes. Every function takes a connection so callers choose the transaction.

pub mod changes;
pub mod conversations;
pub mod customers;
pub mod messages;
pub mod outbox;
pub mod session;
pub mod setup;

use serde::de::DeserializeOwned;

use crate::error::CoreError;

/// Decodes a JSON column.
fn from_json<T: DeserializeOwned>(column: &str, text: &str) -> Result<T, CoreError> {
    serde_json::from_str(text).map_err(|e| CoreError::Corrupt(format!("{column}: {e}")))
}

/// Encodes a JSON column.
fn to_json<T: serde::Serialize>(column: &str, value: &T) -> Result<String, CoreError> {
    serde_json::to_string(value).map_err(|e| CoreError::Corrupt(format!("{column}: {e}")))
}

/// Decodes a stable enum name stored in a column.
fn parse_name<T>(column: &str, text: &str, parse: fn(&str) -> Option<T>) -> Result<T, CoreError> {
    parse(text).ok_or_else(|| CoreError::Corrupt(format!("{column}: unknown value {text:?}")))
}

#[cfg(test)]
mod tests;
