//! The HTTP client of the backend's API v1 (`domain::api`): sign-in and out, the change feed and
//! its live stream, sending messages and read markers, opt-in requests, the consent audit
//! trail, and each store's templates and quick replies.

use std::time::Duration;

use clienteling_domain::api::{
    Change, ChangesPage, DemoUser, LoginRequest, Message, SendMessageRequest, Session, API_PREFIX,
};
use clienteling_domain::consent_audit::ConsentEvent;
use clienteling_domain::opt_in::OptInRequest;
use clienteling_domain::template::{QuickReply, Template};
use clienteling_domain::{ApiError, ConversationId, ErrorCode, StoreId};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// How long to wait for a TCP connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long an ordinary request may take (the live stream has no limit).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// How long signing out waits for the backend to revoke the token before going on without.
const SIGN_OUT_TIMEOUT: Duration = Duration::from_secs(3);
/// Changes asked for per page of the feed: the backend's largest page, so a first sync of a
/// big store commits (and checkpoints) as few times as it can.
pub const PAGE_LIMIT: u32 = 5_000;

/// Why a request to the backend did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// The backend could not be reached, or the connection broke.
    #[error("the backend cannot be reached: {0}")]
    Transport(#[from] reqwest::Error),
    /// The backend answered with an error status.
    #[error("the backend answered {status}: {error}")]
    Refused {
        /// The HTTP status.
        status: u16,
        /// The backend's `{code, message}`.
        error: ApiError,
    },
    /// The answer could not be understood.
    #[error("the backend sent an unexpected answer: {0}")]
    Unexpected(String),
}

impl RequestError {
    /// Whether trying again later may succeed: the network failed or the backend had a
    /// server-side failure.
    pub fn is_transient(&self) -> bool {
        match self {
            RequestError::Transport(_) => true,
            RequestError::Refused { status, .. } => *status >= 500,
            RequestError::Unexpected(_) => false,
        }
    }

    /// Whether the backend refused the session token.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, RequestError::Refused { status: 401, .. })
    }
}

impl From<RequestError> for CoreError {
    fn from(error: RequestError) -> Self {
        match error {
            RequestError::Transport(e) => CoreError::Offline(e),
            RequestError::Refused { error, .. } => CoreError::Refused(error),
            RequestError::Unexpected(what) => CoreError::UnexpectedAnswer(what),
        }
    }
}

/// A client bound to one backend base URL.
#[derive(Debug, Clone)]
pub struct Backend {
    http: reqwest::Client,
    base_url: String,
}

impl Backend {
    /// A client for the backend at `base_url` ("http://host:port", no API prefix).
    pub fn new(base_url: &str) -> Result<Self, CoreError> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .map_err(CoreError::HttpClient)?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{API_PREFIX}{path}", self.base_url)
    }

    /// `GET /demo/users`.
    pub async fn demo_users(&self) -> Result<Vec<DemoUser>, RequestError> {
        json(
            self.http
                .get(self.url("/demo/users"))
                .timeout(REQUEST_TIMEOUT),
        )
        .await
    }

    /// `POST /sessions`.
    pub async fn sign_in(&self, request: &LoginRequest) -> Result<Session, RequestError> {
        json(
            self.http
                .post(self.url("/sessions"))
                .json(request)
                .timeout(REQUEST_TIMEOUT),
        )
        .await
    }

    /// `DELETE /sessions/current`: revokes the token.
    pub async fn sign_out(&self, token: &str) -> Result<(), RequestError> {
        let request = self
            .http
            .delete(self.url("/sessions/current"))
            .bearer_auth(token)
            .timeout(SIGN_OUT_TIMEOUT);
        checked(request.send().await?).await.map(drop)
    }

    /// `GET /changes?after=&limit=`: one page of the change feed. Changes of kinds this
    /// version does not know are left out (see [`read_change`]).
    pub async fn changes(&self, token: &str, after: i64) -> Result<ChangesPage, RequestError> {
        let request = self
            .http
            .get(self.url("/changes"))
            .query(&[
                ("after", after.to_string()),
                ("limit", PAGE_LIMIT.to_string()),
            ])
            .bearer_auth(token)
            .timeout(REQUEST_TIMEOUT);
        let page: RawChangesPage = json(request).await?;
        Ok(ChangesPage {
            changes: page.changes.into_iter().filter_map(read_change).collect(),
            next_cursor: page.next_cursor,
            has_more: page.has_more,
        })
    }

    /// `GET /changes/stream?after=`: the live stream, once its headers arrived.
    pub async fn change_stream(&self, token: &str, after: i64) -> Result<Response, RequestError> {
        let request = self
            .http
            .get(self.url("/changes/stream"))
            .query(&[("after", after.to_string())])
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .bearer_auth(token);
        checked(request.send().await?).await
    }

    /// `POST /conversations/{id}/messages`.
    pub async fn send_message(
        &self,
        token: &str,
        conversation_id: &ConversationId,
        request: &SendMessageRequest,
    ) -> Result<Message, RequestError> {
        let path = format!("/conversations/{}/messages", conversation_id.as_str());
        let request = self
            .http
            .post(self.url(&path))
            .bearer_auth(token)
            .json(request)
            .timeout(REQUEST_TIMEOUT);
        json(request).await
    }

    /// `POST /conversations/{id}/read`.
    pub async fn mark_read(
        &self,
        token: &str,
        conversation_id: &ConversationId,
    ) -> Result<(), RequestError> {
        let path = format!("/conversations/{}/read", conversation_id.as_str());
        let request = self
            .http
            .post(self.url(&path))
            .bearer_auth(token)
            .timeout(REQUEST_TIMEOUT);
        checked(request.send().await?).await.map(drop)
    }
}

impl Backend {
    /// `GET /stores/{id}/templates`.
    pub async fn templates(
        &self,
        token: &str,
        store_id: &StoreId,
    ) -> Result<Vec<Template>, RequestError> {
        let path = format!("/stores/{}/templates", store_id.as_str());
        json(self.authorized_get(token, &path)).await
    }

    /// `GET /stores/{id}/quick-replies`.
    pub async fn quick_replies(
        &self,
        token: &str,
        store_id: &StoreId,
    ) -> Result<Vec<QuickReply>, RequestError> {
        let path = format!("/stores/{}/quick-replies", store_id.as_str());
        json(self.authorized_get(token, &path)).await
    }

    /// `GET /conversations/{id}/consent-events`.
    pub async fn consent_events(
        &self,
        token: &str,
        conversation_id: &ConversationId,
    ) -> Result<Vec<ConsentEvent>, RequestError> {
        let path = format!("/conversations/{}/consent-events", conversation_id.as_str());
        json(self.authorized_get(token, &path)).await
    }

    /// `POST /conversations/{id}/opt-in-request`.
    pub async fn request_opt_in(
        &self,
        token: &str,
        conversation_id: &ConversationId,
        request: &OptInRequest,
    ) -> Result<Message, RequestError> {
        let path = format!("/conversations/{}/opt-in-request", conversation_id.as_str());
        let request = self
            .http
            .post(self.url(&path))
            .bearer_auth(token)
            .json(request)
            .timeout(REQUEST_TIMEOUT);
        json(request).await
    }

    /// `GET {path}?{query}` with the session token, its JSON answer read as `T`, given up
    /// after `limit`: the one way a capability's module asks the backend for something new.
    pub(crate) async fn get_json<T: DeserializeOwned>(
        &self,
        token: &str,
        path: &str,
        query: &[(&str, String)],
        limit: Duration,
    ) -> Result<T, RequestError> {
        json(self.authorized_get(token, path).query(query).timeout(limit)).await
    }

    /// `PUT {path}` with a JSON body and the session token, its JSON answer read as `T`.
    pub(crate) async fn put_json<B: serde::Serialize, T: DeserializeOwned>(
        &self,
        token: &str,
        path: &str,
        body: &B,
    ) -> Result<T, RequestError> {
        let request = self
            .http
            .put(self.url(path))
            .bearer_auth(token)
            .json(body)
            .timeout(REQUEST_TIMEOUT);
        json(request).await
    }

    /// `{method} {path}` with the session token and, if given, a JSON body; its JSON answer
    /// read as `T`: the one way a capability's module asks the backend to change something.
    pub(crate) async fn send_json<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        method: Method,
        token: &str,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, RequestError> {
        let mut request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(token)
            .timeout(REQUEST_TIMEOUT);
        if let Some(body) = body {
            request = request.json(body);
        }
        json(request).await
    }

    /// `method {path}` with the session token and no body, for an answer without one.
    pub(crate) async fn send_empty(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
    ) -> Result<(), RequestError> {
        let request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(token)
            .timeout(REQUEST_TIMEOUT);
        checked(request.send().await?).await.map(drop)
    }

    fn authorized_get(&self, token: &str, path: &str) -> RequestBuilder {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .timeout(REQUEST_TIMEOUT)
    }
}

/// A page of the change feed before each change is read.
#[derive(Debug, Deserialize)]
struct RawChangesPage {
    changes: Vec<serde_json::Value>,
    next_cursor: i64,
    has_more: bool,
}

/// Reads one change of the feed; a change this version cannot read (an entity added to the
/// API later) is skipped with a warning, so it never blocks the changes after it.
pub fn read_change(value: serde_json::Value) -> Option<Change> {
    let seq = value.get("seq").and_then(serde_json::Value::as_i64);
    match serde_json::from_value(value) {
        Ok(change) => Some(change),
        Err(error) => {
            tracing::warn!(?seq, %error, "skipping a change this version cannot read");
            None
        }
    }
}

async fn json<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, RequestError> {
    let response = checked(request.send().await?).await?;
    let bytes = response.bytes().await?;
    serde_json::from_slice(&bytes).map_err(|e| RequestError::Unexpected(e.to_string()))
}

/// Passes a success through; turns an error status into [`RequestError::Refused`] with the
/// backend's `{code, message}` (or one made from the status when the body is not one).
async fn checked(response: Response) -> Result<Response, RequestError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let text = response.text().await.unwrap_or_default();
    let error = serde_json::from_str::<ApiError>(&text).unwrap_or_else(|_| {
        let message = if text.trim().is_empty() {
            status.to_string()
        } else {
            text
        };
        ApiError::new(code_for_status(status), message)
    });
    Err(RequestError::Refused {
        status: status.as_u16(),
        error,
    })
}

fn code_for_status(status: StatusCode) -> ErrorCode {
    match status.as_u16() {
        400 => ErrorCode::InvalidInput,
        401 => ErrorCode::Unauthorized,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        409 => ErrorCode::Conflict,
        502..=504 => ErrorCode::Offline,
        _ => ErrorCode::Internal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn b2_a_change_of_an_unknown_kind_is_skipped_not_fatal() {
        let known = json!({"seq": 3, "type": "customer", "data": {
            "id": "c1", "store_ids": ["store-nyc"], "first_name": "Ada", "last_name": "Lovelace",
            "phone": null, "email": null, "assigned_staff_ids": [], "updated_at": 1
        }});
        assert_eq!(
            read_change(known).map(|c| c.seq),
            Some(3),
            "a known change is read"
        );
        let unknown = json!({"seq": 4, "type": "cart", "data": {"id": "cart-1"}});
        assert_eq!(
            read_change(unknown),
            None,
            "a change from a newer API is skipped"
        );
    }
}
