//! The backend's SQLite database: opening it (in memory, kept alive for the server's
//! lifetime, or a file in WAL mode), running the embedded migrations, and decoding the stable names stored in its columns.

use std::path::Path;
use std::str::FromStr;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
};
use sqlx::Connection;

use crate::error::ServerError;

/// The backend's database: the pool every request goes through and, for an in-memory
/// database, the connection that keeps it alive.
pub struct Database {
    pool: SqlitePool,
    /// An in-memory database lives as long as its last connection. sqlx discards the
    /// pool's connection whenever a request is dropped mid-query and opens a fresh one
    /// on the next request; without this second connection on the same named,
    /// shared-cache database that fresh connection would find an empty one. It never
    /// runs a statement, so the pool's connection stays the only reader and writer.
    keeper: Mutex<Option<SqliteConnection>>,
}

impl Database {
    /// Opens the database and brings its schema up to date.
    ///
    /// One pooled connection serves every request: the mock backend needs no
    /// concurrency, a single writer never meets a busy lock, and transactions commit one
    /// after another, so change sequence numbers become visible in order and a reader's
    /// cursor never skips a late commit. In memory, `sqlite::memory:` names a database
    /// unique to this opening in the shared cache, which the keeper holds open.
    pub async fn open(path: Option<&Path>) -> Result<Database, ServerError> {
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
        let keeper = match path {
            None => Some(
                SqliteConnection::connect_with(&options)
                    .await
                    .map_err(opened)?,
            ),
            Some(_) => None,
        };
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .map_err(opened)?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Database {
            pool,
            keeper: Mutex::new(keeper),
        })
    }

    /// The pool every request goes through.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Closes the pool, then lets an in-memory database go.
    pub async fn close(&self) {
        self.pool.close().await;
        let keeper = self
            .keeper
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(keeper) = keeper {
            if let Err(error) = keeper.close().await {
                tracing::warn!(%error, "the in-memory database did not close cleanly");
            }
        }
    }
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
