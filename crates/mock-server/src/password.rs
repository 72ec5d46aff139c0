//! Passwords as Argon2id hashes in PHC strings (`$argon2id$v=19$…`): hashing one for the
//! database and checking a sign-in against one. Both run on tokio's blocking threads, so
//! the tens of milliseconds they take never stall the server's other requests.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// A PHC string of no one's password, checked against when a login is unknown so that a
/// wrong login takes as long as a wrong password.
const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$ZGVjb3ktc2FsdC1mb3ItdGltaW5n$X2I2Bp6hSDw7m1fbXiFsNQY0lSgw1RfIP4UKOgoqBJw";

/// Why a password could not be hashed.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// Argon2 refused the input.
    #[error("cannot hash the password: {0}")]
    Hash(argon2::password_hash::Error),
    /// The blocking task doing the work was lost.
    #[error("the password hashing task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// The Argon2id PHC string of `password`, with a fresh random salt.
pub async fn hash(password: &str) -> Result<String, PasswordError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt =
            SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes()).map_err(PasswordError::Hash)?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(PasswordError::Hash)
    })
    .await?
}

/// Whether `password` matches the PHC string `phc`; a malformed PHC string (or a password
/// stored some other way) matches nothing. `None` checks against a decoy and answers
/// false, taking the same time.
pub async fn verify(password: &str, phc: Option<String>) -> Result<bool, PasswordError> {
    let password = password.to_owned();
    let known = phc.is_some();
    let phc = phc.unwrap_or_else(|| DECOY_HASH.to_owned());
    tokio::task::spawn_blocking(move || {
        let matches = PasswordHash::new(&phc).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        known && matches
    })
    .await
    .map_err(PasswordError::Task)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::DEMO_PASSWORD;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_nothing_else_does() {
        let phc = hash("demo").await.expect("the password hashes");
        assert!(
            phc.starts_with("$argon2id$"),
            "stored as an Argon2id PHC string: {phc}"
        );
        assert!(
            !phc.contains("demo"),
            "the password itself is not in the hash"
        );
        assert!(
            verify("demo", Some(phc.clone())).await.expect("verifies"),
            "the right password matches"
        );
        assert!(
            !verify("Demo", Some(phc.clone())).await.expect("verifies"),
            "passwords are case-sensitive"
        );
        assert!(
            !verify("demo", Some("demo".into())).await.expect("verifies"),
            "a password stored in plain text never matches"
        );
        assert_ne!(
            hash("demo").await.expect("the password hashes"),
            phc,
            "every hash has its own salt"
        );
    }

    #[tokio::test]
    async fn the_migration_hashes_plain_text_demo_passwords_to_the_demo_password() {
        let migration = include_str!("../migrations/0004_sessions.sql");
        let phc = migration
            .split('\'')
            .find(|quoted| quoted.starts_with("$argon2id$"))
            .expect("the migration sets an Argon2id hash");
        assert!(
            verify(DEMO_PASSWORD, Some(phc.to_owned()))
                .await
                .expect("verifies"),
            "databases seeded before hashing keep their demo logins working"
        );
    }

    #[tokio::test]
    async fn an_unknown_login_is_checked_against_a_well_formed_decoy() {
        assert!(
            PasswordHash::new(DECOY_HASH).is_ok(),
            "the decoy parses, so the unknown-login check does the full work"
        );
        assert!(
            !verify("demo", None).await.expect("verifies"),
            "no stored hash means no match"
        );
    }
}
