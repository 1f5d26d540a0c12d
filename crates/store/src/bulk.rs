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

/// The largest power of two not above `remaining` nor `most`.
fn chunk_size(remaining: usize, most: usize) -> usize {
    let limit = remaining.min(most).max(1);
    1 << limit.ilog2()
}

/// Inserts `rows` into `head` (`"table (col, col, ...)"`), every row with
/// the same number of values, in a few statements.
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
    let mut rest = rows;
    while !rest.is_empty() {
        // Chunks of a power of two rows: few distinct statements, so that
        // each is prepared once and then found in the statement cache
        // (parsing a long INSERT costs more than running it).
        let size = chunk_size(rest.len(), per_statement);
        let (chunk, tail) = rest.split_at(size);
        rest = tail;
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
    use super::{chunk_size, placeholders};

    #[test]
    fn rows_go_in_power_of_two_chunks_within_the_limit() {
        assert_eq!(chunk_size(22, 1000), 16);
        assert_eq!(chunk_size(6, 1000), 4);
        assert_eq!(chunk_size(1, 1000), 1);
        assert_eq!(chunk_size(5000, 181), 128);
    }

    #[test]
    fn placeholders_number_every_value_once_in_row_order() {
        assert_eq!(placeholders(2, 3), "($1,$2),($3,$4),($5,$6)");
        assert_eq!(placeholders(1, 1), "($1)");
    }
}
