//! Sessions: signing in with a login and password, and recognizing the caller of a request
//! by their bearer token.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use clienteling_domain::api::{LoginRequest, Session, Staff};
use clienteling_domain::StaffId;

use crate::directory;
use crate::error::RequestError;
use crate::state::AppState;

/// The signed-in staff member making a request, and the token they used.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Who they are, with their stores.
    pub staff: Staff,
    /// Their session token.
    pub token: String,
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The caller holding `token`, or unauthorized.
pub async fn authenticate(state: &AppState, token: Option<&str>) -> Result<Caller, RequestError> {
    let token = token.ok_or(RequestError::Unauthorized)?;
    let mut conn = state.pool().acquire().await?;
    let staff_id: Option<String> =
        sqlx::query_scalar("SELECT staff_id FROM sessions WHERE token = ?")
            .bind(token)
            .fetch_optional(&mut *conn)
            .await?;
    let staff_id = staff_id.ok_or(RequestError::Unauthorized)?;
    let staff = directory::staff(&mut conn, &StaffId(staff_id))
        .await?
        .ok_or(RequestError::Unauthorized)?;
    Ok(Caller {
        staff,
        token: token.to_owned(),
    })
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = RequestError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        authenticate(state, bearer_token(&parts.headers)).await
    }
}

/// Signs a staff member in: a new random token, kept until the database goes.
pub async fn sign_in(state: &AppState, request: &LoginRequest) -> Result<Session, RequestError> {
    let mut conn = state.pool().acquire().await?;
    let staff = directory::staff_with_credentials(&mut conn, &request.login, &request.password)
        .await?
        .ok_or(RequestError::BadCredentials)?;
    let token = uuid::Uuid::new_v4().to_string();
    sqlx::query("INSERT INTO sessions (token, staff_id, created_at) VALUES (?, ?, ?)")
        .bind(&token)
        .bind(staff.id.as_str())
        .bind(state.now().millis())
        .execute(&mut *conn)
        .await?;
    drop(conn);
    session(state, Caller { staff, token }).await
}

/// The session of a signed-in caller, with their stores. (The pool has one connection:
/// callers must not hold one while calling this.)
pub async fn session(state: &AppState, caller: Caller) -> Result<Session, RequestError> {
    let mut conn = state.pool().acquire().await?;
    let stores = directory::stores_of(&mut conn, &caller.staff.id).await?;
    Ok(Session {
        token: caller.token,
        staff: caller.staff,
        stores,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn bearer_token_reads_the_authorization_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer_token(&headers), None, "no header, no token");
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer abc-123"));
        assert_eq!(
            bearer_token(&headers),
            Some("abc-123"),
            "the token follows the scheme"
        );
        headers.insert(AUTHORIZATION, HeaderValue::from_static("bearer  abc-123 "));
        assert_eq!(
            bearer_token(&headers),
            Some("abc-123"),
            "the scheme ignores case and spaces"
        );
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Basic dXNlcg=="));
        assert_eq!(
            bearer_token(&headers),
            None,
            "other schemes are not sessions"
        );
    }
}
