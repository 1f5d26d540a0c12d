//! Which database is behind the store, and the connection pools to it:
//! the words every piece of the SQL plumbing and every aggregate use to
//! reach the database. Apart from connecting (`connect.rs`) so that what
//! connecting needs (the checkpoints' settings) may use them too.

use sqlx::AnyPool;

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite in a file: the embedded default.
    Sqlite,
    /// PostgreSQL (or a database speaking its protocol): the scale-out store.
    Postgres,
}

/// Connection pools of a store.
#[derive(Clone, Debug)]
pub struct Pools {
    /// Backend.
    pub backend: Backend,
    /// For writes. SQLite allows one writer at a time, so its write pool has
    /// one connection and writers queue here instead of failing with BUSY.
    pub write: AnyPool,
    /// For reads (the same pool as `write` on PostgreSQL).
    pub read: AnyPool,
}

/// Options of a connection.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// PostgreSQL schema to use (created if missing); tests give each test
    /// its own so that they do not collide.
    pub schema: Option<String>,
    /// Largest number of connections (PostgreSQL) or readers (SQLite).
    pub max_connections: Option<u32>,
}

impl Pools {
    /// Begins a write transaction outside the writer (a side event, a
    /// consent, a file). On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and
    /// writes after the writer committed fails with `SQLITE_BUSY` at once,
    /// never waiting (its snapshot is stale); an immediate one waits its
    /// turn under the busy timeout.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.write.begin().await,
        }
    }
}
