//! The server's clock: the system time plus an offset that the simulator can move forward,
//! so tests cross the WhatsApp 24-hour window without waiting a day. The offset is kept in
//! the database, so a restart on the same file never moves time backwards, and an advance
//! that would take the clock past the last representable millisecond is refused.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use clienteling_domain::{Clock, Timestamp};
use sqlx::SqlitePool;

use crate::error::RequestError;

/// System time shifted by a controllable offset.
#[derive(Debug, Default)]
pub struct ServerClock {
    offset_ms: AtomicI64,
}

/// The system time, in milliseconds since the epoch.
fn system_now() -> Timestamp {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    Timestamp(i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX))
}

impl ServerClock {
    /// The clock as the database left it: moved by the offset the simulator saved.
    pub async fn load(pool: &SqlitePool) -> Result<Self, sqlx::Error> {
        let offset: i64 = sqlx::query_scalar("SELECT offset_ms FROM server_clock WHERE id = 1")
            .fetch_one(pool)
            .await?;
        Ok(Self {
            offset_ms: AtomicI64::new(offset),
        })
    }

    /// Moves the clock forward by `ms` milliseconds, saves the new offset and answers the
    /// new time. Refused when `ms` is negative, or when the clock would run past the
    /// largest time it can tell.
    pub async fn advance(&self, pool: &SqlitePool, ms: i64) -> Result<Timestamp, RequestError> {
        if ms < 0 {
            return Err(RequestError::InvalidInput(
                "The clock only moves forward: advance_ms must be 0 or more".into(),
            ));
        }
        let mut tx = pool.begin().await?;
        let saved: i64 = sqlx::query_scalar("SELECT offset_ms FROM server_clock WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let offset = saved
            .checked_add(ms)
            .filter(|offset| system_now().checked_plus_ms(*offset).is_some())
            .ok_or_else(|| {
                RequestError::InvalidInput(format!(
                    "Advancing the clock by {ms} ms would overflow: the server's time is a \
                     64-bit count of milliseconds since 1970"
                ))
            })?;
        sqlx::query("UPDATE server_clock SET offset_ms = ? WHERE id = 1")
            .bind(offset)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        // Offsets only grow, so the largest saved one is the latest, whichever advance
        // finishes first.
        self.offset_ms.fetch_max(offset, Ordering::SeqCst);
        Ok(self.now())
    }
}

impl Clock for ServerClock {
    fn now(&self) -> Timestamp {
        system_now().plus_ms(self.offset_ms.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clienteling_domain::time::DAY_MS;

    #[tokio::test]
    async fn m5_advancing_moves_server_time_a_day_ahead() {
        let database = crate::db::Database::open(None)
            .await
            .expect("an in-memory database");
        let pool = database.pool();
        let clock = ServerClock::load(pool).await.expect("the saved clock");
        let before = clock.now();
        let after = clock
            .advance(pool, DAY_MS)
            .await
            .expect("a day is a sensible advance");
        assert!(
            after.since(before) >= DAY_MS,
            "advancing by a day moves now at least a day ahead"
        );
        assert!(
            clock.now() >= after,
            "the moved clock keeps running from the new time"
        );
        let reloaded = ServerClock::load(pool).await.expect("the saved clock");
        assert!(reloaded.now() >= after, "the offset is saved with the data");
    }

    #[tokio::test]
    async fn m5_advances_that_would_overflow_or_go_back_are_refused() {
        let database = crate::db::Database::open(None)
            .await
            .expect("an in-memory database");
        let pool = database.pool();
        let clock = ServerClock::load(pool).await.expect("the saved clock");
        for ms in [i64::MAX, -1] {
            let refused = clock.advance(pool, ms).await;
            assert!(
                matches!(refused, Err(RequestError::InvalidInput(_))),
                "an advance of {ms} ms is refused: {refused:?}"
            );
        }
        let saved: i64 = sqlx::query_scalar("SELECT offset_ms FROM server_clock")
            .fetch_one(pool)
            .await
            .expect("the saved offset");
        assert_eq!(saved, 0, "refused advances leave the saved offset alone");
        assert_eq!(
            clock.offset_ms.load(Ordering::SeqCst),
            0,
            "and the running clock where it was"
        );
    }
}
