//! The hot reads on SQLite — a case, a task's case, a queue page — run on
//! the calling thread.
//!
//! Why: sqlx runs each SQLite connection on a thread of its own and hands
//! every statement and every row across threads. Measured on the 2-core
//! machine under the case load, those threads took half of the server's
//! CPU, much of it futex waits and context switches, for reads that take
//! SQLite tens of microseconds. Such a read is cheaper done where the
//! request already is, on a connection taken from a small stack, than
//! handed off. Long reads (audits, statistics, exports) stay on sqlx's pool
//! so that they never hold up a runtime thread.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::StoreError;
use crate::sql::rows::Columns;

/// Idle connections kept; more are opened when needed (at most one per
/// thread reading at once) and closed when returned past this.
const KEEP_IDLE: usize = 8;

/// Read-only connections to the SQLite file, used on the calling thread.
#[derive(Debug)]
pub(crate) struct SqliteReads {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl SqliteReads {
    /// For the database file in `url` (`sqlite://PATH?...` or
    /// `sqlite:PATH`); `None` for an in-memory or immutable database, which
    /// the store's own connections cannot share: the store needs a file.
    pub(crate) fn for_url(url: &str) -> Option<SqliteReads> {
        let rest = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        if path.is_empty()
            || path == ":memory:"
            || query
                .split('&')
                .any(|p| p == "mode=memory" || p == "immutable=1")
        {
            return None;
        }
        Some(SqliteReads {
            path: PathBuf::from(path),
            idle: Mutex::new(Vec::new()),
        })
    }

    /// The database file.
    pub(crate) fn path(&self) -> &std::path::Path {
        &self.path
    }

    fn connect(&self) -> Result<Connection, StoreError> {
        // NO_MUTEX: a connection is used by one thread at a time (it is
        // taken off the stack), so SQLite's own locking would be waste.
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.set_prepared_statement_cache_capacity(32);
        Ok(conn)
    }

    /// Runs `sql` with text parameters `binds` and reads each row with
    /// `each`, on this thread.
    pub(crate) fn rows<T>(
        &self,
        sql: &str,
        binds: &[String],
        each: impl Fn(&dyn Columns) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let taken = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match taken {
            Some(conn) => conn,
            None => self.connect()?,
        };
        let out = read(&conn, sql, binds, each);
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < KEEP_IDLE
        {
            idle.push(conn);
        }
        out
    }
}

fn read<T>(
    conn: &Connection,
    sql: &str,
    binds: &[String],
    each: impl Fn(&dyn Columns) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut statement = conn.prepare_cached(sql)?;
    let mut rows = statement.query(rusqlite::params_from_iter(binds))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(each(row)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_url_is_read_here_and_a_shared_nothing_url_is_not() {
        let file = SqliteReads::for_url("sqlite:///data/yici.db?mode=rwc").expect("file");
        assert_eq!(file.path, PathBuf::from("/data/yici.db"));
        let bare = SqliteReads::for_url("sqlite:yici.db").expect("bare path");
        assert_eq!(bare.path, PathBuf::from("yici.db"));
        assert!(SqliteReads::for_url("sqlite::memory:").is_none());
        assert!(SqliteReads::for_url("sqlite://x.db?mode=memory").is_none());
        assert!(SqliteReads::for_url("sqlite://x.db?mode=ro&immutable=1").is_none());
        assert!(SqliteReads::for_url("postgres://localhost/test").is_none());
    }
}
