//! The one error shape that crosses every boundary (HTTP and IPC): a stable code the UI
//! matches on, and a message a person can read.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable error codes shared by the backend, the core and the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request was malformed or a field is invalid.
    InvalidInput,
    /// No valid session: sign in again.
    Unauthorized,
    /// Signed in, but not allowed to do this or see this.
    Forbidden,
    /// The thing does not exist (or is outside the user's stores).
    NotFound,
    /// The customer opted out of messages from this store (M3).
    OptedOut,
    /// The WhatsApp service window is closed: only templates may be sent (M5).
    WindowClosed,
    /// A value breaks its attribute's rule: its type, options or length (C15).
    InvalidValue,
    /// The same id was used for a different request.
    Conflict,
    /// Another record has the same unique value, e.g. a customer's phone or email (C12);
    /// the error's `fields` name which.
    AlreadyExists,
    /// The request is well-formed but breaks a rule (e.g. an assignment naming a staff
    /// member outside the chosen stores, C3).
    Unprocessable,
    /// Signing out would discard messages not sent yet; confirm to discard them (B1).
    UnsentMessages,
    /// The backend could not be reached; the action is kept and retried.
    Offline,
    /// The local database failed.
    Storage,
    /// Anything else.
    Internal,
}

impl ErrorCode {
    /// The HTTP status the backend answers with for this code.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::InvalidInput => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict | ErrorCode::AlreadyExists | ErrorCode::UnsentMessages => 409,
            ErrorCode::OptedOut
            | ErrorCode::WindowClosed
            | ErrorCode::InvalidValue
            | ErrorCode::Unprocessable => 422,
            ErrorCode::Offline => 503,
            ErrorCode::Storage | ErrorCode::Internal => 500,
        }
    }
}

/// `{ code, message }`: the serializable error at the HTTP and IPC boundaries, with the
/// fields of a form it is about when there are any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// What kind of failure, for code to match on.
    pub code: ErrorCode,
    /// What happened, for a person to read.
    pub message: String,
    /// The fields of the request the error is about, each with its own message, for a
    /// form to show next to the inputs (absent when the error is about no field).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

impl ApiError {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// This error about these fields.
    #[must_use]
    pub fn with_fields(mut self, fields: Vec<FieldError>) -> Self {
        self.fields = fields;
        self
    }

    /// The message about `field`, if the error names it.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .map(|f| f.message.as_str())
    }
}

/// What is wrong with one field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The request's property, e.g. "phone".
    pub field: String,
    /// What is wrong with it, for a person to read.
    pub message: String,
}

impl FieldError {
    /// The message about `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_serializes_as_code_and_message() {
        let e = ApiError::new(ErrorCode::WindowClosed, "closed");
        let json = serde_json::to_string(&e).expect("serializable");
        assert_eq!(
            json, r#"{"code":"window_closed","message":"closed"}"#,
            "the UI matches on snake_case codes"
        );
    }
}
