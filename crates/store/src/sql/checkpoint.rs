//! SQLite's WAL checkpoints, run beside the writer.
//!
//! Why: by default the connection whose commit pushes the WAL past 1,000
//! pages copies it into the database file and syncs it, inside that
//! commit. On the store that connection is the one writer, so every
//! thousandth page stalled a whole batch of requests behind a checkpoint.
//! The write connection has automatic checkpoints off; this task runs a
//! passive checkpoint (which never waits for the writer nor blocks it) on
//! a reading connection instead.
//!
//! A passive checkpoint copies pages back but never starts the WAL over:
//! SQLite writes from the beginning of the file again only when every frame
//! has been copied back and no reader still reads from the WAL, which under
//! steady load is never. The WAL then grew by about 100 MB a second of load
//! (5 GB after 13,000 cases). So once the WAL holds more than
//! [`RESTART_PAGES`], the checkpoint is a `RESTART` one: it holds new
//! writes back while it copies what the passive ones left and waits for the
//! readers of the WAL to finish, so that the next commit writes the WAL from
//! its beginning again (and cuts the file to `journal_size_limit`, set on
//! every connection to the same size).

use std::time::Duration;

use sqlx::{AnyPool, Row};

use crate::sql::backend::{Backend, Pools};
use crate::sql::pragmas::RESTART_PAGES;

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
            if let Err(e) = checkpoint(&read, RESTART_PAGES).await {
                if read.is_closed() {
                    return;
                }
                tracing::warn!(error = %e, "WAL checkpoint failed; the next one tries again");
            }
        }
    });
}

/// One checkpoint: passive, then starting the WAL over if it still holds
/// more than `restart_pages` frames. Returns the frames the WAL held.
async fn checkpoint(read: &AnyPool, restart_pages: i64) -> Result<i64, sqlx::Error> {
    // (busy, frames in the WAL, frames copied back)
    let row = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
        .fetch_one(read)
        .await?;
    let frames: i64 = row.try_get(1)?;
    if frames > restart_pages {
        sqlx::query("PRAGMA wal_checkpoint(RESTART)")
            .fetch_all(read)
            .await?;
    }
    Ok(frames)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::backend::ConnectOptions;
    use crate::sql::connect::{connect, sqlite_url};

    async fn write(pools: &Pools, from: i64, n: i64) {
        for i in from..from + n {
            sqlx::query("INSERT INTO ledger_heads (tree_size, root_hash, timestamp_ms, key_id, signature) VALUES ($1, 'r', 0, 'k', 's')")
                .bind(i)
                .execute(&pools.write)
                .await
                .expect("write");
        }
    }

    #[tokio::test]
    async fn a_wal_past_the_limit_starts_over_though_a_reader_was_in_it() {
        use sqlx::Executor;
        let dir = tempfile::tempdir().expect("tmp");
        let pools = connect(&sqlite_url(dir.path()), &ConnectOptions::default())
            .await
            .expect("store");
        write(&pools, 0, 50).await;
        // Under steady load some reader is always reading from the WAL.
        let mut reader = pools.read.acquire().await.expect("reader");
        reader.execute("BEGIN").await.expect("begin");
        sqlx::query("SELECT count(*) FROM ledger_heads")
            .fetch_one(&mut *reader)
            .await
            .expect("read");
        write(&pools, 50, 1).await;
        let first = checkpoint(&pools.read, i64::MAX).await.expect("passive");
        write(&pools, 51, 1).await;
        let grown = checkpoint(&pools.read, i64::MAX).await.expect("passive");
        assert!(
            grown > first,
            "with a reader in the WAL a passive checkpoint lets it grow: {first} → {grown}"
        );
        let done = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            reader.execute("COMMIT").await.expect("reader done");
        });
        // Waits for the reader, as it would for those of a busy server.
        checkpoint(&pools.read, grown - 1)
            .await
            .expect("past the limit");
        done.await.expect("reader");
        write(&pools, 52, 1).await;
        let restarted = checkpoint(&pools.read, i64::MAX).await.expect("passive");
        assert!(
            restarted < first,
            "past the limit the next commit writes the WAL from its start: {restarted} frames after {grown}"
        );
    }
}
