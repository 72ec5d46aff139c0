//! The backend's SQLite database: opening it (in memory or a file in WAL mode), running
//! the embedded migrations, and decoding the stable names stored in its columns.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

use crate::error::ServerError;

/// Opens the database and brings its schema up to date.
///
/// One connection serves every request: the mock backend needs no concurrency, an
/// in-memory database lives exactly as long as that connection, a single writer never
/// meets a busy lock, and transactions commit one after another, so change sequence
/// numbers become visible in order and a reader's cursor never skips a late commit.
pub async fn open(path: Option<&Path>) -> Result<SqlitePool, ServerError> {
    let opened = |source| ServerError::Open {
        path: path.map(Path::to_path_buf),
        source,
    };
    let options = match path {
        None => SqliteConnectOptions::from_str("sqlite::memory:").map_err(opened)?,
        Some(file) => SqliteConnectOptions::new()
            .filename(file)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(5)),
    }
    .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(options)
        .await
        .map_err(opened)?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

/// Decodes a stable name stored in a column (a channel, a status…) with the domain's
/// parser, failing like any other decode error when the column holds something else.
pub fn parse_column<T>(
    value: &str,
    parse: fn(&str) -> Option<T>,
    what: &str,
) -> Result<T, sqlx::Error> {
    parse(value).ok_or_else(|| {
        sqlx::Error::Decode(format!("unknown {what} {value:?} in the database").into())
    })
}
