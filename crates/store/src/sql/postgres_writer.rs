//! The writer on PostgreSQL: a few tasks that take every job queued on a
//! channel, up to a batch, and write them in one transaction each.
//!
//! Several, so that one batch's statements travel while another waits for
//! its commit (the ledger lock still orders their leaves). Beside
//! `sqlite_writer.rs`, its SQLite counterpart; `writer.rs` chooses.

use std::sync::Arc;

use tokio::sync::{Mutex, mpsc};

use crate::error::StoreError;
use crate::sql::backend::Pools;
use crate::sql::batch::{Batch, Batches, MAX_BATCH, Queued, write_and_answer};
use crate::vocabulary::Outcome;

/// Writer tasks on PostgreSQL.
const POSTGRES_WRITERS: usize = 4;

/// Starts PostgreSQL's writer tasks on the current tokio runtime and
/// returns their queue.
pub(crate) fn spawn<J: Batch>(pools: &Pools) -> mpsc::Sender<Queued<J>> {
    let (queue, rx) = mpsc::channel(4 * MAX_BATCH);
    let rx = Arc::new(Mutex::new(rx));
    let kept = Arc::new(J::Kept::default());
    for _ in 0..POSTGRES_WRITERS {
        tokio::spawn(run_postgres(pools.clone(), rx.clone(), kept.clone()));
    }
    queue
}

async fn run_postgres<J: Batch>(
    pools: Pools,
    rx: Arc<Mutex<mpsc::Receiver<Queued<J>>>>,
    kept: Arc<J::Kept>,
) {
    while let Some(batch) = next_batch(&rx).await {
        let mut batches = PostgresBatches::<J> {
            pools: &pools,
            kept: &*kept,
        };
        write_and_answer(&mut batches, batch).await;
    }
}

/// Takes everything queued, up to a batch; `None` once the store is gone.
async fn next_batch<J>(rx: &Mutex<mpsc::Receiver<Queued<J>>>) -> Option<Vec<Queued<J>>> {
    let mut rx = rx.lock().await;
    let mut batch = vec![rx.recv().await?];
    while batch.len() < MAX_BATCH {
        match rx.try_recv() {
            Ok(next) => batch.push(next),
            Err(_) => break,
        }
    }
    Some(batch)
}

struct PostgresBatches<'a, J: Batch> {
    pools: &'a Pools,
    kept: &'a J::Kept,
}

impl<J: Batch> Batches<J> for PostgresBatches<'_, J> {
    async fn write(&mut self, jobs: &[&J]) -> Result<Vec<Outcome>, StoreError> {
        let mut tx = self.pools.write.begin().await?;
        match J::write_postgres(&mut tx, self.kept, jobs).await {
            Ok(outcomes) => {
                tx.commit().await?;
                Ok(outcomes)
            }
            Err(e) => {
                tx.rollback().await.ok();
                Err(e)
            }
        }
    }

    async fn after_failure(&mut self, job: &J, e: StoreError) -> Result<Outcome, StoreError> {
        job.after_failure(&self.pools.write, e).await
    }
}
