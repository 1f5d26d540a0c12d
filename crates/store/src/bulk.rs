//! Multi-row `INSERT`s: one statement for many rows, because each statement
//! costs a round trip (a thread hand-off with sqlx's SQLite driver, a network
//! round trip with PostgreSQL) that dwarfs the work of writing one row.

use sqlx::{Any, Transaction};

/// A value of a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// An integer.
    Int(i64),
    /// A text, or NULL.
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(Some(v))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_owned()))
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::Text(v)
    }
}

/// Most parameters in one statement: well under SQLite's 32,766 and
/// PostgreSQL's 65,535, and small enough to keep statements short.
const MAX_PARAMS: usize = 2_000;

/// The `VALUES` list for `rows` rows of `columns` placeholders numbered from 1.
fn placeholders(columns: usize, rows: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 5);
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..columns {
            if c > 0 {
                sql.push(',');
            }
            sql.push('$');
            sql.push_str(&(r * columns + c + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

/// Inserts `rows` into `head` (`"table (col, col, ...)"`), every row with
/// the same number of values, in as few statements as the limits allow.
pub(crate) async fn insert(
    tx: &mut Transaction<'_, Any>,
    head: &str,
    rows: &[Vec<Value>],
) -> Result<(), sqlx::Error> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let columns = first.len().max(1);
    let per_statement = (MAX_PARAMS / columns).max(1);
    // One statement for as many rows as the limit allows, although each
    // row count is a statement of its own to prepare: the writer waits on
    // every statement it sends, and on a busy machine each wait is a trip
    // through the scheduler, which costs more than parsing.
    for chunk in rows.chunks(per_statement) {
        let sql = format!(
            "INSERT INTO {head} VALUES {}",
            placeholders(columns, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for v in chunk.iter().flatten() {
            q = match v {
                Value::Int(i) => q.bind(*i),
                Value::Text(t) => q.bind(t.clone()),
            };
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_number_every_value_once_in_row_order() {
        assert_eq!(placeholders(2, 3), "($1,$2),($3,$4),($5,$6)");
        assert_eq!(placeholders(1, 1), "($1)");
    }
}
