//! Connecting to SQLite or PostgreSQL, and the schema migrations.
//!
//! Both backends are reached through sqlx's `Any` driver with one set of SQL
//! written in their common dialect; the few places where they differ (job
//! leasing with `FOR UPDATE SKIP LOCKED`) branch on [`Backend`].

use std::path::Path;
use std::sync::Once;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

use crate::error::StoreError;

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite in a file: the embedded default.
    Sqlite,
    /// PostgreSQL (or a database speaking its protocol): the scale-out store.
    Postgres,
}

/// A migration's SQL: the same on both backends, or SQLite's own (none on
/// PostgreSQL) where only SQLite's storage changes.
enum Sql {
    Both(&'static str),
    SqliteOnly(&'static str),
}

impl Sql {
    fn for_backend(&self, backend: Backend) -> &'static str {
        match (self, backend) {
            (Sql::Both(sql), _) | (Sql::SqliteOnly(sql), Backend::Sqlite) => sql,
            (Sql::SqliteOnly(_), Backend::Postgres) => "",
        }
    }
}

/// The migrations, in order. Each runs once, in one transaction.
const MIGRATIONS: &[(i64, Sql)] = &[
    (1, Sql::Both(include_str!("../migrations/0001_cases.sql"))),
    (2, Sql::Both(include_str!("../migrations/0002_ledger.sql"))),
    (
        3,
        Sql::Both(include_str!("../migrations/0003_exchange.sql")),
    ),
    (
        4,
        Sql::Both(include_str!("../migrations/0004_certificates.sql")),
    ),
    (5, Sql::Both(include_str!("../migrations/0005_queues.sql"))),
    (
        6,
        Sql::Both(include_str!("../migrations/0006_status_counters.sql")),
    ),
    (
        7,
        Sql::Both(include_str!("../migrations/0007_outbox_dead_letters.sql")),
    ),
    (
        8,
        Sql::Both(include_str!("../migrations/0008_one_current_seal_key.sql")),
    ),
    (
        9,
        Sql::Both(include_str!("../migrations/0009_ledger_root.sql")),
    ),
    (
        10,
        Sql::Both(include_str!("../migrations/0010_ledger_nodes_by_end.sql")),
    ),
    (
        11,
        Sql::Both(include_str!("../migrations/0011_one_task_queue_index.sql")),
    ),
    (
        12,
        Sql::SqliteOnly(include_str!(
            "../migrations/0012_sqlite_only_ledger_leaves.sql"
        )),
    ),
];

/// Lock key for migrations on PostgreSQL, so that servers starting together
/// do not race ("yici" in ASCII).
const MIGRATION_LOCK: i64 = 0x7969_6369;

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

fn backend_of(url: &str) -> Result<Backend, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Backend::Postgres)
    } else {
        Err(StoreError::UnsupportedUrl(url.to_owned()))
    }
}

/// The URL of the SQLite database in a data directory.
pub fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("yici.db").display())
}

/// The settings of every SQLite connection that writes: sqlx's, and the
/// case writer's own (`sqlite_writer.rs`); `writer` for the connections
/// that write cases, whose checkpoints run beside them (`checkpoint.rs`),
/// not inside their commits.
pub(crate) fn sqlite_pragmas(writer: bool) -> Vec<String> {
    // WAL lets readers run beside the writer; NORMAL synchronous is durable
    // across process crashes in WAL mode (only an OS crash can lose the
    // last commits).
    let mut pragmas = vec![
        "PRAGMA journal_mode = WAL".to_owned(),
        "PRAGMA synchronous = NORMAL".to_owned(),
        "PRAGMA busy_timeout = 10000".to_owned(),
        "PRAGMA foreign_keys = ON".to_owned(),
        format!(
            "PRAGMA journal_size_limit = {}",
            crate::checkpoint::WAL_LIMIT_BYTES
        ),
    ];
    if writer {
        pragmas.push("PRAGMA wal_autocheckpoint = 0".to_owned());
    }
    pragmas
}

/// Connects and applies pending migrations.
pub async fn connect(url: &str, options: &ConnectOptions) -> Result<Pools, StoreError> {
    static DRIVERS: Once = Once::new();
    DRIVERS.call_once(install_default_drivers);
    let backend = backend_of(url)?;
    let pools = match backend {
        Backend::Sqlite => {
            let pragmas = |pool: AnyPoolOptions, writer: bool| {
                // A file connection does not drop like a network one, and
                // the ping before each use is one more hand-off to sqlx's
                // SQLite thread for every statement.
                pool.test_before_acquire(false)
                    .after_connect(move |conn, _| {
                        Box::pin(async move {
                            for pragma in sqlite_pragmas(writer) {
                                conn.execute(pragma.as_str()).await?;
                            }
                            Ok(())
                        })
                    })
            };
            let write = pragmas(AnyPoolOptions::new().max_connections(1), true)
                .acquire_timeout(Duration::from_secs(30))
                .connect(url)
                .await?;
            let read = pragmas(
                AnyPoolOptions::new().max_connections(options.max_connections.unwrap_or(4)),
                false,
            )
            .connect(url)
            .await?;
            Pools {
                backend,
                write,
                read,
            }
        }
        Backend::Postgres => {
            if let Some(schema) = &options.schema {
                let admin = AnyPoolOptions::new()
                    .max_connections(1)
                    .connect(url)
                    .await?;
                admin
                    .execute(format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\"").as_str())
                    .await?;
                admin.close().await;
            }
            let schema = options.schema.clone();
            let pool = AnyPoolOptions::new()
                .max_connections(options.max_connections.unwrap_or(16))
                .after_connect(move |conn, _| {
                    let schema = schema.clone();
                    Box::pin(async move {
                        if let Some(s) = schema {
                            conn.execute(format!("SET search_path TO \"{s}\"").as_str())
                                .await?;
                        }
                        Ok(())
                    })
                })
                .connect(url)
                .await?;
            Pools {
                backend,
                write: pool.clone(),
                read: pool,
            }
        }
    };
    migrate(&pools).await?;
    Ok(pools)
}

async fn migrate(pools: &Pools) -> Result<(), StoreError> {
    let mut conn = pools.write.acquire().await?;
    if pools.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    let result = async {
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_ms BIGINT NOT NULL)",
        )
        .await?;
        for (version, sql) in MIGRATIONS {
            let sql = sql.for_backend(pools.backend);
            let done: Option<(i64,)> =
                sqlx::query_as("SELECT version FROM schema_migrations WHERE version = $1")
                    .bind(version)
                    .fetch_optional(&mut *conn)
                    .await?;
            if done.is_some() {
                continue;
            }
            let mut tx = sqlx::Connection::begin(&mut *conn).await?;
            // Comment lines go first, so that a `;` in a comment does not
            // split a statement.
            let code: String = sql
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n");
            for statement in code.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                tx.execute(statement).await?;
            }
            sqlx::query("INSERT INTO schema_migrations (version, applied_ms) VALUES ($1, $2)")
                .bind(version)
                .bind(crate::now_ms())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::info!(version, "schema migration applied");
        }
        Ok::<_, StoreError>(())
    }
    .await;
    if pools.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    result
}
