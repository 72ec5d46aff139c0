//! Sessions: signing in with a login and password (checked against its Argon2 hash),
//! recognizing the caller of a request by their bearer token, and signing out. The
//! database keeps only each token's SHA-256 and when it expires on the server clock.
//! The caller's role grants their permissions (A2), which every endpoint checks here.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use clienteling_domain::api::{LoginRequest, Session, Staff};
use clienteling_domain::permission::{Permission, Permissions};
use clienteling_domain::{StaffId, Timestamp};
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

use crate::error::RequestError;
use crate::state::AppState;
use crate::{directory, password};

/// The signed-in staff member making a request, and the token they used.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Who they are, with their stores.
    pub staff: Staff,
    /// Their session token.
    pub token: String,
    /// When the token stops working.
    pub expires_at: Timestamp,
}

impl Caller {
    /// What the database knows the caller's session by.
    pub fn token_hash(&self) -> String {
        token_hash(&self.token)
    }

    /// What the caller's role grants them.
    pub fn permissions(&self) -> Permissions {
        self.staff.role.permissions()
    }

    /// Refuses the request (403 `forbidden`, naming the permission) unless the caller's
    /// role grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), RequestError> {
        require(self.permissions(), permission)
    }
}

/// Refuses (403 `forbidden`, naming the permission) unless `granted` holds `permission`.
pub fn require(granted: Permissions, permission: Permission) -> Result<(), RequestError> {
    if granted.allows(permission) {
        Ok(())
    } else {
        Err(RequestError::MissingPermission(permission))
    }
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The SHA-256 of a token, in lower-case hex: what the `sessions` table keeps, so a copy
/// of the database hands out no working token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The staff member and expiry of the session known by `token_hash`, unless it was signed
/// out or has expired at `now`.
pub async fn live_session(
    conn: &mut SqliteConnection,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<(StaffId, Timestamp)>, sqlx::Error> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT staff_id, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?",
    )
    .bind(token_hash)
    .bind(now.millis())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(staff_id, expires_at)| (StaffId(staff_id), Timestamp(expires_at))))
}

/// The caller holding `token`, or unauthorized (no token, an unknown, expired or signed
/// out one).
pub async fn authenticate(state: &AppState, token: Option<&str>) -> Result<Caller, RequestError> {
    let token = token.ok_or(RequestError::Unauthorized)?;
    let mut conn = state.pool().acquire().await?;
    let (staff_id, expires_at) = live_session(&mut conn, &token_hash(token), state.now())
        .await?
        .ok_or(RequestError::Unauthorized)?;
    let staff = directory::staff(&mut conn, &staff_id)
        .await?
        .ok_or(RequestError::Unauthorized)?;
    Ok(Caller {
        staff,
        token: token.to_owned(),
        expires_at,
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

/// Signs a staff member in: a new random token that works for the configured session
/// lifetime. Expired sessions are cleared out on the way.
pub async fn sign_in(state: &AppState, request: &LoginRequest) -> Result<Session, RequestError> {
    let mut conn = state.pool().acquire().await?;
    let credentials = directory::credentials(&mut conn, &request.login).await?;
    // The pool has one connection: give it back while Argon2 works.
    drop(conn);
    let (staff_id, hash) = credentials.unzip();
    if !password::verify(&request.password, hash).await? {
        return Err(RequestError::BadCredentials);
    }
    let staff_id = staff_id.ok_or(RequestError::BadCredentials)?;
    let token = uuid::Uuid::new_v4().to_string();
    let now = state.now();
    let lifetime_ms = i64::try_from(state.session_lifetime().as_millis()).unwrap_or(i64::MAX);
    let expires_at = now.plus_ms(lifetime_ms);
    let mut conn = state.pool().acquire().await?;
    sqlx::query("DELETE FROM sessions WHERE expires_at <= ?")
        .bind(now.millis())
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    )
    .bind(token_hash(&token))
    .bind(staff_id.as_str())
    .bind(now.millis())
    .bind(expires_at.millis())
    .execute(&mut *conn)
    .await?;
    let staff = directory::staff(&mut conn, &staff_id)
        .await?
        .ok_or(RequestError::BadCredentials)?;
    drop(conn);
    session(
        state,
        Caller {
            staff,
            token,
            expires_at,
        },
    )
    .await
}

/// Signs the caller's session out: its token stops working at once, and live streams
/// opened with it end.
pub async fn sign_out(state: &AppState, caller: &Caller) -> Result<(), RequestError> {
    let mut conn = state.pool().acquire().await?;
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(caller.token_hash())
        .execute(&mut *conn)
        .await?;
    drop(conn);
    state.announce_sign_out();
    Ok(())
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
        expires_at: caller.expires_at,
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

    #[test]
    fn a2_a_missing_permission_is_forbidden_and_named() {
        let seasonal = clienteling_domain::api::Role::Seasonal.permissions();
        assert!(
            require(seasonal, Permission::AccessConversations).is_ok(),
            "seasonal staff may open conversations"
        );
        let refused = require(seasonal, Permission::EditCustomers)
            .expect_err("seasonal staff do not edit customers");
        let api = clienteling_domain::ApiError::from(refused);
        assert_eq!(
            api.code,
            clienteling_domain::ErrorCode::Forbidden,
            "a missing permission is forbidden, not unauthorized"
        );
        assert_eq!(
            api.message,
            "Not allowed: this needs the edit_customers permission (Edit customers), which your role does not grant",
            "the message names the missing permission"
        );
    }

    #[test]
    fn a_token_is_kept_as_its_sha256() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "the SHA-256 test vector of \"abc\", in lower-case hex"
        );
    }
}
