//! Persistence of yici: users and sessions, cases with their tasks and
//! events, idempotency keys, the outbox, job leases and the figures of the
//! statistics — on SQLite (the embedded default, in a data directory) or
//! PostgreSQL (the scale-out store), through one surface.
//!
//! SQL lives here and nowhere else. Every write that changes a case runs in
//! one transaction with its events and outbox messages; ids and timestamps
//! come from the caller, so both backends behave alike.

mod audit;
mod case_cache;
mod cases;
pub mod certificates;
mod change;
mod checkpoint;
mod db;
mod error;
pub mod exchange;
mod lease;
pub mod ledger;
mod outbox;
mod queries;
mod rows;
mod script;
mod sqlite_reads;
mod sqlite_writer;
mod stats;
mod users;
mod writer;

pub use audit::{AuditReport, Finding, FindingKind};
pub use cases::{IdempotencyKey, Inserted, StoredCase, StoredEvent};
pub use db::{Backend, ConnectOptions, Pools, sqlite_url};
pub use error::StoreError;
pub use outbox::{OutboxEntry, OutboxFilter, OutboxMessage, OutboxState, Retry};
pub use queries::{CaseFilter, TaskFilter, TaskRow};
pub use stats::{DecidedTask, StatsFilter, StatsRows};
pub use users::User;

/// The store: connection pools to one database.
#[derive(Clone, Debug)]
pub struct Store {
    pools: Pools,
    writer: writer::Writer,
    sessions: std::sync::Arc<users::SessionCache>,
    cases: std::sync::Arc<case_cache::CaseCache>,
    /// SQLite's hot reads, on the calling thread (`None` on PostgreSQL).
    sqlite_reads: Option<std::sync::Arc<sqlite_reads::SqliteReads>>,
}

impl Store {
    /// Connects to `url` (`sqlite://PATH?mode=rwc` or `postgres://...`) and
    /// applies pending migrations. The case writer runs on the calling
    /// tokio runtime (on SQLite, in the tasks of the requests that write).
    pub async fn connect(url: &str, options: &ConnectOptions) -> Result<Store, StoreError> {
        let pools = db::connect(url, options).await?;
        let (writer, sqlite_reads) = match pools.backend {
            Backend::Sqlite => {
                let reads = sqlite_reads::SqliteReads::for_url(url)
                    .ok_or_else(|| StoreError::UnsupportedUrl(url.to_owned()))?;
                let writer = writer::Writer::sqlite(&pools, reads.path())?;
                (writer, Some(std::sync::Arc::new(reads)))
            }
            Backend::Postgres => (writer::Writer::postgres(&pools), None),
        };
        checkpoint::spawn(&pools);
        Ok(Store {
            writer,
            sessions: Default::default(),
            cases: Default::default(),
            sqlite_reads,
            pools,
        })
    }

    /// Which database is behind the store.
    pub fn backend(&self) -> Backend {
        self.pools.backend
    }

    /// Closes the pools (waits for connections to be returned).
    pub async fn close(&self) {
        self.pools.write.close().await;
        self.pools.read.close().await;
    }
}

/// Milliseconds since the Unix epoch, for records the store writes on its
/// own (migrations).
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
