//! The schema migrations, in order, and applying the pending ones when the
//! store connects. Apart from connecting: the list grows with every new
//! table, connecting does not.

use sqlx::Executor;

use crate::error::StoreError;
use crate::sql::backend::{Backend, Pools};

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
    (
        1,
        Sql::Both(include_str!("../../migrations/0001_cases.sql")),
    ),
    (
        2,
        Sql::Both(include_str!("../../migrations/0002_ledger.sql")),
    ),
    (
        3,
        Sql::Both(include_str!("../../migrations/0003_exchange.sql")),
    ),
    (
        4,
        Sql::Both(include_str!("../../migrations/0004_certificates.sql")),
    ),
    (
        5,
        Sql::Both(include_str!("../../migrations/0005_queues.sql")),
    ),
    (
        6,
        Sql::Both(include_str!("../../migrations/0006_status_counters.sql")),
    ),
    (
        7,
        Sql::Both(include_str!(
            "../../migrations/0007_outbox_dead_letters.sql"
        )),
    ),
    (
        8,
        Sql::Both(include_str!(
            "../../migrations/0008_one_current_seal_key.sql"
        )),
    ),
    (
        9,
        Sql::Both(include_str!("../../migrations/0009_ledger_root.sql")),
    ),
    (
        10,
        Sql::Both(include_str!(
            "../../migrations/0010_ledger_nodes_by_end.sql"
        )),
    ),
    (
        11,
        Sql::Both(include_str!(
            "../../migrations/0011_one_task_queue_index.sql"
        )),
    ),
    (
        12,
        Sql::SqliteOnly(include_str!(
            "../../migrations/0012_sqlite_only_ledger_leaves.sql"
        )),
    ),
    (
        13,
        Sql::Both(include_str!("../../migrations/0013_materials.sql")),
    ),
    (
        14,
        Sql::Both(include_str!("../../migrations/0014_case_retention.sql")),
    ),
    (
        15,
        Sql::Both(include_str!("../../migrations/0015_bookings.sql")),
    ),
    (
        16,
        Sql::Both(include_str!("../../migrations/0016_ratings.sql")),
    ),
    (
        17,
        Sql::Both(include_str!("../../migrations/0017_payments.sql")),
    ),
    (
        18,
        Sql::Both(include_str!("../../migrations/0018_messages.sql")),
    ),
    (
        19,
        Sql::Both(include_str!("../../migrations/0019_parcels.sql")),
    ),
];

/// Lock key for migrations on PostgreSQL, so that servers starting together
/// do not race ("yici" in ASCII).
const MIGRATION_LOCK: i64 = 0x7969_6369;

/// Applies the pending migrations, one transaction each; on PostgreSQL
/// under an advisory lock, so that servers starting together do not race.
pub(crate) async fn migrate(pools: &Pools) -> Result<(), StoreError> {
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
