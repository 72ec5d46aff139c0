//! Encoding of the local database's columns: JSON values and stable enum names. Every
//! capability's storage reads and writes its tables through these, so an unreadable value
//! is always the same `Corrupt` error naming its column.

use serde::de::DeserializeOwned;

use crate::error::CoreError;

/// Decodes a JSON column.
pub(crate) fn from_json<T: DeserializeOwned>(column: &str, text: &str) -> Result<T, CoreError> {
    serde_json::from_str(text).map_err(|e| CoreError::Corrupt(format!("{column}: {e}")))
}

/// Encodes a JSON column.
pub(crate) fn to_json<T: serde::Serialize>(column: &str, value: &T) -> Result<String, CoreError> {
    serde_json::to_string(value).map_err(|e| CoreError::Corrupt(format!("{column}: {e}")))
}

/// Decodes a stable enum name stored in a column.
pub(crate) fn parse_name<T>(
    column: &str,
    text: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<T, CoreError> {
    parse(text).ok_or_else(|| CoreError::Corrupt(format!("{column}: unknown value {text:?}")))
}
