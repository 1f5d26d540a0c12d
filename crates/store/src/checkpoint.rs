//! SQLite's WAL checkpoints, run beside the writer.
//!
//! Why: by default the connection whose commit pushes the WAL past 1,000
//! pages copies it into the database file and syncs it, inside that
//! commit. On the store that connection is the one writer, so every
//! thousandth page stalled a whole batch of requests behind a checkpoint.
//! The write connection has automatic checkpoints off; this task runs a
//! passive checkpoint (which never waits for the writer nor blocks it) on
//! a reading connection instead.

use std::time::Duration;

use crate::db::{Backend, Pools};

/// Time between checkpoints: short enough that the WAL stays small under
/// load (a busy second writes a few thousand pages).
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(250);

/// Starts the checkpoints of a SQLite store on the current tokio runtime;
/// nothing on PostgreSQL. The task ends when the store is closed.
pub(crate) fn spawn(pools: &Pools) {
    if pools.backend != Backend::Sqlite {
        return;
    }
    let read = pools.read.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(CHECKPOINT_INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if read.is_closed() {
                return;
            }
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .fetch_all(&read)
                .await
            {
                if read.is_closed() {
                    return;
                }
                tracing::warn!(error = %e, "WAL checkpoint failed; the next one tries again");
            }
        }
    });
}
