//! Connecting to SQLite or PostgreSQL: the pools, each connection's
//! settings, then the pending migrations (`migrations.rs`).
//!
//! Both backends are reached through sqlx's `Any` driver with one set of SQL
//! written in their common dialect; the few places where they differ (job
//! leasing with `FOR UPDATE SKIP LOCKED`) branch on [`Backend`].

use std::path::Path;
use std::sync::Once;
use std::time::Duration;

use sqlx::Executor;
use sqlx::any::{AnyPoolOptions, install_default_drivers};

use crate::error::StoreError;
use crate::sql::backend::{Backend, ConnectOptions, Pools};
use crate::sql::migrations::migrate;
use crate::sql::pragmas::sqlite_pragmas;

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
