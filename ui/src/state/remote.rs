//! Something a panel fetches from the core on demand (templates, quick replies, consent
//! history): still loading, loaded, or failed with the reason to show.

use clienteling_domain::ApiError;

/// A value asked of the core.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Remote<T> {
    /// Asked, no answer yet.
    #[default]
    Loading,
    /// The core's answer.
    Loaded(T),
    /// Why it could not be had.
    Failed(ApiError),
}

impl<T> Remote<T> {
    /// The state after the core answered.
    pub fn from_result(result: Result<T, ApiError>) -> Self {
        match result {
            Ok(value) => Remote::Loaded(value),
            Err(error) => Remote::Failed(error),
        }
    }

    /// The loaded value, if any.
    pub fn loaded(&self) -> Option<&T> {
        match self {
            Remote::Loaded(value) => Some(value),
            _ => None,
        }
    }
}
