//! Rows of other aggregates that a case transition writes in its own
//! transaction. Its own module: the aggregates make them and the cases
//! apply them, and neither may import the other.

use crate::error::StoreError;
use crate::sql::value::{Value, bind};

/// Rows of another aggregate written in a case transition's transaction
/// (a rating and its follow-up with the `rated` event, say): made by that
/// aggregate's own functions, so its SQL stays in its folder; applied by
/// the case writer after the case's own rows, each statement changing
/// exactly the rows it says.
#[derive(Debug, Default)]
pub struct Alongside(pub(crate) Vec<(String, Vec<Value>, u64)>);

impl Alongside {
    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds what `other` writes after what this writes.
    pub fn extend(&mut self, other: Alongside) {
        self.0.extend(other.0);
    }
}

impl Alongside {
    /// Writes the rows in `tx`, each statement changing exactly the rows
    /// it says (else nothing is kept: the caller's transaction is dropped).
    pub(crate) async fn apply(
        self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ) -> Result<(), StoreError> {
        for (sql, params, rows) in self.0 {
            let done = bind(sqlx::query(&sql), params).execute(&mut **tx).await?;
            if done.rows_affected() != rows {
                return Err(StoreError::RowsChanged {
                    expected: rows,
                    changed: done.rows_affected(),
                });
            }
        }
        Ok(())
    }
}
