//! Storage errors: the one error type of the store, which every module
//! returns. It names no module of the store, so that all may use it.

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is neither `sqlite:` nor `postgres:`.
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
    /// The case changed since the caller read it (optimistic concurrency).
    #[error("case {case} is at version {actual}, not {expected}")]
    VersionConflict {
        /// The case.
        case: String,
        /// The version the caller wrote against.
        expected: u64,
        /// The version stored.
        actual: u64,
    },
    /// An idempotency key was reused for a different request.
    #[error("idempotency key {key:?} was already used for a different request")]
    IdempotencyMismatch {
        /// The key.
        key: String,
    },
    /// A unique value (user name) is taken.
    #[error("{what} {value:?} already exists")]
    Duplicate {
        /// What kind of value.
        what: &'static str,
        /// The value.
        value: String,
    },
    /// A row could not be read back into the domain (corrupt or foreign data).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// A write changed other rows than it was written for: something else
    /// wrote them between the check and the write. Nothing was kept.
    #[error("a write changed {changed} rows where {expected} were expected")]
    RowsChanged {
        /// Rows the statements were written for.
        expected: u64,
        /// Rows they changed.
        changed: u64,
    },
    /// The store's writer task has stopped (its runtime is shutting down).
    #[error("the store's writer has stopped")]
    WriterGone,
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// SQLite failed on one of the store's own connections (the hot
    /// reads, the case writer).
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

/// Whether a database error is a unique-constraint violation.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            // PostgreSQL 23505; SQLite 2067 (SQLITE_CONSTRAINT_UNIQUE) or 1555 (PRIMARYKEY).
            matches!(db.code().as_deref(), Some("23505" | "2067" | "1555"))
        }
        _ => false,
    }
}

impl StoreError {
    /// Whether this is a unique-constraint violation, from either driver.
    pub fn is_unique_violation(&self) -> bool {
        is_unique(self)
    }
}

/// Whether a store error is a unique-constraint violation, from either
/// driver.
pub(crate) fn is_unique(e: &StoreError) -> bool {
    match e {
        StoreError::Database(db) => is_unique_violation(db),
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(failure, _)) => matches!(
            failure.extended_code,
            rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
        ),
        _ => false,
    }
}
