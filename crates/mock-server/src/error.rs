//! Errors of the mock backend: why it could not start, and why a request was refused
//! (mapped to the domain's `ApiError {code, message}` with the code's HTTP status).

use std::path::PathBuf;

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use clienteling_domain::attribute::AttributeError;
use clienteling_domain::cart::CartError;
use clienteling_domain::channel::ChannelSetupError;
use clienteling_domain::message::BodyError;
use clienteling_domain::note::NoteError;
use clienteling_domain::permission::Permission;
use clienteling_domain::sending::{opted_out_message, WINDOW_CLOSED_MESSAGE};
use clienteling_domain::{ApiError, ErrorCode, MessageIdError};

use crate::password::PasswordError;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The loopback port is taken or not allowed.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port asked for.
        port: u16,
        /// What the system said.
        source: std::io::Error,
    },
    /// The database could not be opened.
    #[error("cannot open the database {}: {source}", path.as_ref().map_or("in memory".to_owned(), |p| p.display().to_string()))]
    Open {
        /// The file, or `None` in memory.
        path: Option<PathBuf>,
        /// What SQLite said.
        source: sqlx::Error,
    },
    /// The schema could not be brought up to date.
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Seeding or reading the data failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A demo store breaks the channel rules (M1).
    #[error("the demo store {store} cannot be set up: {source}")]
    DemoStore {
        /// The store's id.
        store: String,
        /// The rule it breaks.
        source: ChannelSetupError,
    },
    /// A demo customer is known to no store.
    #[error("the demo customer {0} is known to no store")]
    DemoCustomer(String),
    /// The demo password could not be hashed.
    #[error("cannot seed the demo accounts: {0}")]
    DemoPassword(#[from] PasswordError),
}

/// Why a request was refused.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// No session, or an unknown token.
    #[error("Sign in first: the request has no valid session token")]
    Unauthorized,
    /// Sign-in with a wrong login or password.
    #[error("Wrong login or password")]
    BadCredentials,
    /// Signed in, but their role does not allow it.
    #[error("{0}")]
    Forbidden(String),
    /// Signed in, but their role lacks the permission the endpoint needs (A2).
    #[error("Not allowed: this needs the {0} permission ({label}), which your role does not grant", label = .0.label())]
    MissingPermission(Permission),
    /// The thing does not exist, or lies outside the caller's stores.
    #[error("{0} was not found")]
    NotFound(String),
    /// A field or the body is malformed.
    #[error("{0}")]
    InvalidInput(String),
    /// The message body is empty or too long.
    #[error("Invalid message: {0}")]
    InvalidBody(#[from] BodyError),
    /// A client-generated message id is not a UUID.
    #[error("Invalid message id: {0}")]
    InvalidMessageId(#[from] MessageIdError),
    /// A note is not one (C9): its id is not a UUID, or its text is empty or too long.
    #[error("Invalid note: {0}")]
    InvalidNote(#[from] NoteError),
    /// The customer opted out of this store's messages (M3).
    #[error("{}", opted_out_message(.first_name, .store_name))]
    OptedOut {
        /// The customer's first name.
        first_name: String,
        /// The store's name.
        store_name: String,
    },
    /// The WhatsApp service window is closed (M5).
    #[error("{WINDOW_CLOSED_MESSAGE}")]
    WindowClosed,
    /// The same id was used for a different request.
    #[error("{0}")]
    Conflict(String),
    /// An attribute value breaks its rule, or the attribute cannot be set (C15).
    #[error("{0}")]
    InvalidValue(#[from] AttributeError),
    /// Well-formed, but it breaks a rule (e.g. an assignment, C3).
    #[error("{0}")]
    Unprocessable(String),
    /// A form's fields are refused, each named with its reason (C12, C13): invalid
    /// details, or a phone or email another customer has.
    #[error("{}", .0.message)]
    Form(ApiError),
    /// A cart refuses the change: its status, a quantity, a price or a discount (M9).
    #[error("{0}")]
    Cart(#[from] CartError),
    /// The database failed.
    #[error("The mock backend's database failed: {0}")]
    Database(#[from] sqlx::Error),
    /// A password could not be hashed or checked.
    #[error("The mock backend could not check the password: {0}")]
    Password(#[from] PasswordError),
}

impl RequestError {
    /// The stable code the client matches on.
    pub fn code(&self) -> ErrorCode {
        match self {
            RequestError::Unauthorized | RequestError::BadCredentials => ErrorCode::Unauthorized,
            RequestError::Forbidden(_) | RequestError::MissingPermission(_) => ErrorCode::Forbidden,
            RequestError::NotFound(_) => ErrorCode::NotFound,
            RequestError::InvalidInput(_)
            | RequestError::InvalidBody(_)
            | RequestError::InvalidMessageId(_)
            | RequestError::InvalidNote(_) => ErrorCode::InvalidInput,
            RequestError::OptedOut { .. } => ErrorCode::OptedOut,
            RequestError::WindowClosed => ErrorCode::WindowClosed,
            RequestError::Conflict(_) => ErrorCode::Conflict,
            RequestError::InvalidValue(_) => ErrorCode::InvalidValue,
            RequestError::Unprocessable(_) => ErrorCode::Unprocessable,
            RequestError::Form(api) => api.code,
            RequestError::Cart(
                CartError::Quantity
                | CartError::Price
                | CartError::Discount
                | CartError::TooManyLines,
            ) => ErrorCode::InvalidInput,
            RequestError::Cart(CartError::NoSuchLine) => ErrorCode::NotFound,
            RequestError::Cart(_) => ErrorCode::Unprocessable,
            RequestError::Database(_) | RequestError::Password(_) => ErrorCode::Internal,
        }
    }
}

impl From<RequestError> for ApiError {
    fn from(error: RequestError) -> Self {
        match error {
            RequestError::Form(api) => api,
            other => ApiError::new(other.code(), other.to_string()),
        }
    }
}

impl From<JsonRejection> for RequestError {
    fn from(rejection: JsonRejection) -> Self {
        RequestError::InvalidInput(format!("Invalid JSON body: {}", rejection.body_text()))
    }
}

impl From<QueryRejection> for RequestError {
    fn from(rejection: QueryRejection) -> Self {
        RequestError::InvalidInput(format!("Invalid query: {}", rejection.body_text()))
    }
}

impl From<PathRejection> for RequestError {
    fn from(rejection: PathRejection) -> Self {
        RequestError::InvalidInput(format!("Invalid path: {}", rejection.body_text()))
    }
}

impl IntoResponse for RequestError {
    fn into_response(self) -> Response {
        match &self {
            RequestError::Database(error) => {
                tracing::error!(%error, "request failed in the database");
            }
            RequestError::Password(error) => tracing::error!(%error, "password check failed"),
            _ => {}
        }
        let status = StatusCode::from_u16(self.code().http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(ApiError::from(self))).into_response()
    }
}

/// The ids an error message names at most, in characters; a longer one (hostile input) is
/// not echoed back.
pub const NAMED_ID_CHARS: usize = 64;

/// "Product prod-0001" for an error message, or "Product (an id of 5000 characters)" when
/// the id is too long to echo.
pub fn subject(kind: &str, id: &str) -> String {
    let length = id.chars().count();
    if length > NAMED_ID_CHARS {
        format!("{kind} (an id of {length} characters)")
    } else {
        format!("{kind} {id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m3_opted_out_refusal_names_the_customer_and_the_way_back() {
        let error = RequestError::OptedOut {
            first_name: "Ava".into(),
            store_name: "Fifth Avenue".into(),
        };
        let api = ApiError::from(error);
        assert_eq!(api.code, ErrorCode::OptedOut, "the UI matches on opted_out");
        assert_eq!(
            api.message,
            "Ava opted out of messages from Fifth Avenue; they can text START to opt back in",
            "the message tells the associate why and what the customer can do"
        );
        assert_eq!(
            api.code.http_status(),
            422,
            "a consent refusal is unprocessable, not malformed"
        );
    }
}
