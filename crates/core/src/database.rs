//! The local SQLite database: opening the file (WAL, foreign keys, busy timeout, page
//! cache), bringing it to the current schema, starting write transactions, and
//! checkpointing after a first sync.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::error::CoreError;

/// The database file's name inside the data folder.
pub const FILE_NAME: &str = "clienteling.db";
/// Connections kept open: enough for the UI's reads beside the sync and outbox writers.
const MAX_CONNECTIONS: u32 = 4;
/// How long a statement waits for another connection's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Each connection's page cache, in KiB (SQLite's negative `cache_size`): room for the
/// message indexes a sync writes into at random places, so a page of messages does not
/// read the same index pages back from the file again and again. SQLite takes the memory
/// only as pages are used.
const PAGE_CACHE_KIB: i64 = 64 * 1024;

/// The pool of connections to the local database.
#[derive(Debug, Clone)]
pub struct Database {
    pool: SqlitePool,
}

impl Database {
    /// Opens (creating if needed) `data_dir/clienteling.db` and applies the migrations.
    pub async fn open(data_dir: &Path) -> Result<Self, CoreError> {
        tokio::fs::create_dir_all(data_dir).await?;
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(data_dir.join(FILE_NAME))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            .pragma("cache_size", (-PAGE_CACHE_KIB).to_string());
        let pool = SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool })
    }

    /// The pool, for reads.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts a write transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so
    /// concurrent writers wait for each other instead of failing on a stale snapshot.
    pub async fn write(&self) -> Result<Transaction<'static, Sqlite>, CoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Copies the write-ahead log into the database file and empties it (once a backfill
    /// of many pages completes: the log keeps the size it grew to until then).
    pub async fn checkpoint(&self) -> Result<(), CoreError> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
