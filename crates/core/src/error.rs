//! What can go wrong in the engine, and how each failure maps to the one `{code, message}`
//! error that crosses the IPC boundary.

use clienteling_domain::message::BodyError;
use clienteling_domain::note::NoteError;
use clienteling_domain::opt_in::OptInError;
use clienteling_domain::picker::TemplateRefusal;
use clienteling_domain::task::TaskError;
use clienteling_domain::unsent::UnsentWork;
use clienteling_domain::{ApiError, ErrorCode};

/// A failure of a core operation.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The local SQLite database failed.
    #[error("the local database failed: {0}")]
    Storage(#[from] sqlx::Error),
    /// The local database could not be brought to the current schema.
    #[error("the local database could not be prepared: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The data folder could not be created.
    #[error("the data folder could not be created: {0}")]
    DataDir(#[from] std::io::Error),
    /// A stored value could not be read back.
    #[error("the local database holds an unreadable value: {0}")]
    Corrupt(String),
    /// The HTTP client could not be set up.
    #[error("the HTTP client could not start: {0}")]
    HttpClient(#[source] reqwest::Error),
    /// The backend could not be reached.
    #[error("the backend cannot be reached right now; try again when back online")]
    Offline(#[source] reqwest::Error),
    /// The backend answered with a refusal; its code and message are kept.
    #[error("{0}")]
    Refused(ApiError),
    /// The backend answered something the core does not understand.
    #[error("the backend sent an unexpected answer: {0}")]
    UnexpectedAnswer(String),
    /// An online action could not reach the backend (C3).
    #[error(
        "{0} needs the backend, which cannot be reached right now; try again when back online"
    )]
    NeedsBackend(&'static str),
    /// An assignment breaks the rule (C3).
    #[error("{0}")]
    AssignmentRefused(#[from] clienteling_domain::assignment::AssignmentError),
    /// No one is signed in.
    #[error("you are signed out; sign in again")]
    SignedOut,
    /// The store is not one of the signed-in staff member's stores.
    #[error("store {0} is not one of your stores")]
    UnknownStore(String),
    /// The conversation is not in the local copy.
    #[error("conversation {0} was not found")]
    UnknownConversation(String),
    /// The conversation's customer is not in the local copy.
    #[error("customer {0} was not found")]
    UnknownCustomer(String),
    /// The task is not in the local copy (or not the signed-in staff member's).
    #[error("task {0} was not found")]
    UnknownTask(String),
    /// The task cannot be set as written (B3).
    #[error("{0}")]
    TaskRefused(#[from] TaskError),
    /// The message is not in the local copy.
    #[error("message {0} was not found")]
    UnknownMessage(String),
    /// The note is not in the local copy, or was deleted (C9).
    #[error("note {0} was not found")]
    UnknownNote(String),
    /// The product is not in the local copy of the catalog.
    #[error("product {0} was not found")]
    UnknownProduct(String),
    /// The note is someone else's: only its author edits or deletes it (C9).
    #[error("only {0} can change this note: it is theirs")]
    NotYourNote(String),
    /// The note's text cannot be written (C9).
    #[error("{0}")]
    InvalidNote(#[from] NoteError),
    /// The composed body cannot be sent.
    #[error("{0}")]
    InvalidBody(#[from] BodyError),
    /// Only a failed outbound message can be retried.
    #[error("only a failed message that you wrote can be sent again")]
    NotRetryable,
    /// The customer opted out of messages from this store (M3).
    #[error("{0}")]
    OptedOut(String),
    /// The WhatsApp service window is closed (M5).
    #[error("{0}")]
    WindowClosed(String),
    /// The template is not among the store's cached templates.
    #[error("template {0} is not one of this store's templates")]
    UnknownTemplate(String),
    /// The template cannot be sent into this conversation (M5, A7).
    #[error("{0}")]
    TemplateRefused(#[from] TemplateRefusal),
    /// The opt-in request cannot be written (M2).
    #[error("{0}")]
    OptInRefused(#[from] OptInError),
    /// The store has no WhatsApp opt-in template ready to send (M2).
    #[error("this store has no WhatsApp opt-in template ready to send")]
    NoOptInTemplate,
    /// The new customer's form breaks the rules (C12, C13): each field with its reason.
    #[error("{0}")]
    CustomerDetails(#[from] clienteling_domain::customer_details::CustomerErrors),
    /// A customer cannot be created without the backend, which checks for duplicates (C12).
    #[error("you are offline: the customer was not created; try again")]
    NotCreatedOffline,
    /// A conversation is started by the backend, which keeps one per customer × store ×
    /// channel for every device (C2).
    #[error("you are offline: the conversation was not started; try again")]
    NotStartedOffline,
    /// Signing out now would discard work not sent yet (B1): messages, notes, stars,
    /// attribute values, tasks.
    #[error("{} {} not been sent yet; signing out deletes {}", .0.phrase(), if .0.total() == 1 { "has" } else { "have" }, if .0.total() == 1 { "it" } else { "them" })]
    UnsentMessages(UnsentWork),
}

impl From<clienteling_domain::attribute::AttributeError> for CoreError {
    fn from(error: clienteling_domain::attribute::AttributeError) -> Self {
        CoreError::Refused(ApiError::new(ErrorCode::InvalidValue, error.to_string()))
    }
}

impl CoreError {
    /// The stable code the UI matches on.
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::Storage(_)
            | CoreError::Migration(_)
            | CoreError::DataDir(_)
            | CoreError::Corrupt(_) => ErrorCode::Storage,
            CoreError::Offline(_)
            | CoreError::NeedsBackend(_)
            | CoreError::NotCreatedOffline
            | CoreError::NotStartedOffline => ErrorCode::Offline,
            CoreError::CustomerDetails(_) => ErrorCode::Unprocessable,
            CoreError::AssignmentRefused(_) => ErrorCode::Unprocessable,
            CoreError::Refused(error) => error.code,
            CoreError::UnexpectedAnswer(_) | CoreError::HttpClient(_) => ErrorCode::Internal,
            CoreError::SignedOut => ErrorCode::Unauthorized,
            CoreError::UnknownStore(_)
            | CoreError::UnknownConversation(_)
            | CoreError::UnknownCustomer(_)
            | CoreError::UnknownMessage(_)
            | CoreError::UnknownTask(_) => ErrorCode::NotFound,
            CoreError::UnknownNote(_) | CoreError::UnknownProduct(_) => ErrorCode::NotFound,
            CoreError::NotYourNote(_) => ErrorCode::Forbidden,
            CoreError::InvalidBody(_)
            | CoreError::InvalidNote(_)
            | CoreError::UnknownTemplate(_)
            | CoreError::NotRetryable
            | CoreError::TemplateRefused(_)
            | CoreError::OptInRefused(_)
            | CoreError::NoOptInTemplate
            | CoreError::TaskRefused(_) => ErrorCode::InvalidInput,
            CoreError::OptedOut(_) => ErrorCode::OptedOut,
            CoreError::WindowClosed(_) => ErrorCode::WindowClosed,
            CoreError::UnsentMessages(_) => ErrorCode::UnsentMessages,
        }
    }
}

impl From<CoreError> for ApiError {
    fn from(error: CoreError) -> Self {
        match error {
            CoreError::Refused(api) => api,
            CoreError::CustomerDetails(errors) => errors.into(),
            other => ApiError::new(other.code(), other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_keep_the_backend_code_and_message() {
        let api: ApiError =
            CoreError::Refused(ApiError::new(ErrorCode::WindowClosed, "closed")).into();
        assert_eq!(
            api,
            ApiError::new(ErrorCode::WindowClosed, "closed"),
            "the backend's words reach the UI unchanged"
        );
    }

    #[test]
    fn local_refusals_use_the_backend_codes() {
        assert_eq!(
            ApiError::from(CoreError::OptedOut("x".into())).code,
            ErrorCode::OptedOut,
            "M3 code"
        );
        assert_eq!(
            ApiError::from(CoreError::WindowClosed("x".into())).code,
            ErrorCode::WindowClosed,
            "M5 code"
        );
        assert_eq!(
            ApiError::from(CoreError::InvalidBody(BodyError::Empty)).code,
            ErrorCode::InvalidInput,
            "empty body"
        );
        assert_eq!(
            ApiError::from(CoreError::SignedOut).code,
            ErrorCode::Unauthorized,
            "no session"
        );
        assert_eq!(
            ApiError::from(CoreError::Corrupt("x".into())).code,
            ErrorCode::Storage,
            "local data"
        );
        let messages = |messages| UnsentWork {
            messages,
            ..UnsentWork::default()
        };
        assert_eq!(
            ApiError::from(CoreError::UnsentMessages(messages(3))),
            ApiError::new(
                ErrorCode::UnsentMessages,
                "3 messages have not been sent yet; signing out deletes them"
            ),
            "B1: the refusal to sign out says how many messages would be lost"
        );
        assert_eq!(
            CoreError::UnsentMessages(messages(1)).to_string(),
            "1 message has not been sent yet; signing out deletes it",
            "B1: one message reads in the singular"
        );
        assert_eq!(
            CoreError::UnsentMessages(UnsentWork {
                notes: 1,
                tasks: 1,
                ..messages(2)
            })
            .to_string(),
            "2 messages, 1 note, 1 task have not been sent yet; signing out deletes them",
            "B1: the refusal counts every kind of unsent work"
        );
    }
}
