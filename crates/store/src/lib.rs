//! Persistence of yici: users and sessions, cases with their tasks and
//! events, idempotency keys, the outbox, job leases and the figures of the
//! statistics — on SQLite (the embedded default, in a data directory) or
//! PostgreSQL (the scale-out store), through one surface.
//!
//! SQL lives here and nowhere else. Every write that changes a case runs in
//! one transaction with its events and outbox messages; ids and timestamps
//! come from the caller, so both backends behave alike.
//!
//! One folder per aggregate — `cases/`, `exchange/`, `certificates/`,
//! `outbox/`, `ledger/` — with its tables' reads and writes; users and the
//! statistics, which no other part uses, are a file each. Below them the
//! words they share (`vocabulary/`) and the SQL plumbing (`sql/`: pools,
//! migrations, scripts, the writer), which names none of them: the cases
//! hand the writer their changes as jobs it knows only through a trait. No
//! module imports another that imports it back (`scripts/module-cycles`).

mod alongside;
mod cases;
pub mod certificates;
mod error;
pub mod exchange;
pub mod hall;
pub mod ledger;
pub mod materials;
pub mod messages;
mod outbox;
pub mod parcels;
pub mod payments;
mod sql;
mod stats;
mod users;
mod vocabulary;

pub use alongside::Alongside;
pub use cases::{CaseFilter, Inserted, StoredCase, StoredEvent, TaskFilter, TaskRow};
pub use error::StoreError;
pub use ledger::audit::{AuditReport, Finding, FindingKind};
pub use outbox::{OutboxEntry, OutboxFilter, OutboxMessage, OutboxState, Retry};
pub use sql::backend::{Backend, ConnectOptions, Pools};
pub use sql::connect::sqlite_url;
pub use stats::{DecidedTask, StatsFilter, StatsRows};
pub use users::User;
pub use vocabulary::IdempotencyKey;

/// The store: connection pools to one database.
#[derive(Clone, Debug)]
pub struct Store {
    pools: Pools,
    /// The writer of the cases' changes.
    writer: sql::writer::Writer<cases::job::Job>,
    sessions: std::sync::Arc<users::SessionCache>,
    cases: std::sync::Arc<cases::cache::CaseCache>,
    /// SQLite's hot reads, on the calling thread (`None` on PostgreSQL).
    sqlite_reads: Option<std::sync::Arc<sql::sqlite_reads::SqliteReads>>,
}

impl Store {
    /// Connects to `url` (`sqlite://PATH?mode=rwc` or `postgres://...`) and
    /// applies pending migrations. The case writer runs on the calling
    /// tokio runtime (on SQLite, in the tasks of the requests that write).
    pub async fn connect(url: &str, options: &ConnectOptions) -> Result<Store, StoreError> {
        let pools = sql::connect::connect(url, options).await?;
        let (writer, sqlite_reads) = match pools.backend {
            Backend::Sqlite => {
                let reads = sql::sqlite_reads::SqliteReads::for_url(url)
                    .ok_or_else(|| StoreError::UnsupportedUrl(url.to_owned()))?;
                let writer = sql::writer::Writer::sqlite(&pools, reads.path())?;
                (writer, Some(std::sync::Arc::new(reads)))
            }
            Backend::Postgres => (sql::writer::Writer::postgres(&pools), None),
        };
        sql::checkpoint::spawn(&pools);
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
