//! Reading rows of either driver: sqlx's rows on PostgreSQL (and the cold
//! paths on SQLite), and SQLite's own rows for the hot reads, which run on
//! the calling thread (`sqlite_reads.rs`). Plumbing under every
//! aggregate's reads: a row is read by column name, whichever driver.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Store;
use crate::error::StoreError;

/// A result row, read by column name.
pub(crate) trait Columns {
    /// A text column.
    fn text(&self, name: &str) -> Result<String, StoreError>;
    /// A text column that may be NULL.
    fn opt_text(&self, name: &str) -> Result<Option<String>, StoreError>;
    /// An integer column.
    fn int(&self, name: &str) -> Result<i64, StoreError>;
    /// An integer column that may be NULL.
    fn opt_int(&self, name: &str) -> Result<Option<i64>, StoreError>;
}

impl Columns for AnyRow {
    fn text(&self, name: &str) -> Result<String, StoreError> {
        Ok(self.try_get(name)?)
    }

    fn opt_text(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self.try_get(name)?)
    }

    fn int(&self, name: &str) -> Result<i64, StoreError> {
        Ok(self.try_get(name)?)
    }

    fn opt_int(&self, name: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.try_get(name)?)
    }
}

impl Columns for rusqlite::Row<'_> {
    fn text(&self, name: &str) -> Result<String, StoreError> {
        Ok(self.get(name)?)
    }

    fn opt_text(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self.get(name)?)
    }

    fn int(&self, name: &str) -> Result<i64, StoreError> {
        Ok(self.get(name)?)
    }

    fn opt_int(&self, name: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.get(name)?)
    }
}

impl Store {
    /// The rows of `sql` with text parameters `$1`, `$2`, … bound to
    /// `binds`, each read by `each`. On SQLite the statement runs on the
    /// calling thread; use it for reads of a few rows by index only.
    pub(crate) async fn hot_rows<T>(
        &self,
        sql: &str,
        binds: &[String],
        each: impl Fn(&dyn Columns) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        if let Some(reads) = &self.sqlite_reads {
            return reads.rows(sql, binds, each);
        }
        let query = binds.iter().fold(sqlx::query(sql), |q, b| q.bind(b));
        let rows = query.fetch_all(&self.pools.read).await?;
        rows.iter().map(|r| each(r)).collect()
    }

    /// The first row of [`Store::hot_rows`], if any.
    pub(crate) async fn hot_row<T>(
        &self,
        sql: &str,
        binds: &[String],
        each: impl Fn(&dyn Columns) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        Ok(self.hot_rows(sql, binds, each).await?.into_iter().next())
    }
}
