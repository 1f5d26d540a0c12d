//! A batch's writes as a script: statements gathered first, sent together.
//!
//! Every statement costs a round trip — a thread hand-off with sqlx's
//! SQLite driver, a network round trip with PostgreSQL — that dwarfs the
//! work of writing a few rows. So rows go in as multi-row `INSERT`s, and on
//! SQLite a whole script goes to the driver as one multi-statement query:
//! sqlx's SQLite driver binds `$N` by its number across the statements of a
//! query, so the statements keep their own numbering, shifted. PostgreSQL's
//! extended protocol takes one statement at a time, so there the script
//! runs statement by statement.

use sqlx::{Any, Transaction};

use crate::db::Backend;

/// A value of a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// An integer, or NULL.
    Int(Option<i64>),
    /// A text, or NULL.
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
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

/// One statement with its own `$1…$n` placeholders.
#[derive(Debug, Clone, PartialEq)]
struct Statement {
    sql: String,
    params: Vec<Value>,
    /// Rows it must change; the script checks the sum.
    rows: u64,
}

/// Statements to run in order in one transaction.
#[derive(Debug, Default)]
pub(crate) struct Script {
    statements: Vec<Statement>,
}

/// Why a script failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ScriptError {
    /// The database refused a statement.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// Fewer or more rows changed than the statements were written for:
    /// something wrote the same rows since they were read.
    #[error("the batch changed {changed} rows where {expected} were expected")]
    RowCount {
        /// Expected.
        expected: u64,
        /// Changed.
        changed: u64,
    },
}

impl Script {
    /// Adds a statement that must change exactly `rows` rows.
    pub(crate) fn push(&mut self, sql: impl Into<String>, params: Vec<Value>, rows: u64) {
        self.statements.push(Statement {
            sql: sql.into(),
            params,
            rows,
        });
    }

    /// Adds inserts of `rows` into `head` (`"table (col, col, ...)"`), every
    /// row with the same number of values, in as few statements as the
    /// limits allow.
    pub(crate) fn insert_rows(&mut self, head: &str, rows: &[Vec<Value>]) {
        let Some(first) = rows.first() else {
            return;
        };
        let columns = first.len().max(1);
        let per_statement = (MAX_PARAMS / columns).max(1);
        for chunk in rows.chunks(per_statement) {
            self.push(
                format!(
                    "INSERT INTO {head} VALUES {}",
                    placeholders(columns, chunk.len())
                ),
                chunk.iter().flatten().cloned().collect(),
                chunk.len() as u64,
            );
        }
    }

    /// Runs the script inside `tx`: on SQLite as one query, on PostgreSQL
    /// statement by statement. Fails when the rows changed are not the rows
    /// the statements were written for.
    pub(crate) async fn run(
        self,
        tx: &mut Transaction<'_, Any>,
        backend: Backend,
    ) -> Result<(), ScriptError> {
        let expected: u64 = self.statements.iter().map(|s| s.rows).sum();
        let mut changed = 0;
        match backend {
            Backend::Sqlite if self.statements.len() > 1 => {
                let (sql, params) = joined(self.statements);
                // A batch's script is never the same text twice: do not let
                // it crowd the driver's cache of prepared statements.
                let q = bind(sqlx::query(&sql), params).persistent(false);
                changed += q.execute(&mut **tx).await?.rows_affected();
            }
            _ => {
                for s in self.statements {
                    let q = bind(sqlx::query(&s.sql), s.params);
                    changed += q.execute(&mut **tx).await?.rows_affected();
                }
            }
        }
        if changed != expected {
            return Err(ScriptError::RowCount { expected, changed });
        }
        Ok(())
    }
}

/// Binds `params` in order.
pub(crate) fn bind<'q>(
    mut q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    params: Vec<Value>,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    for v in params {
        q = match v {
            Value::Int(i) => q.bind(i),
            Value::Text(t) => q.bind(t),
        };
    }
    q
}

/// The statements as one text with their placeholders shifted to follow
/// each other, and all their parameters in order.
fn joined(statements: Vec<Statement>) -> (String, Vec<Value>) {
    let mut sql = String::new();
    let mut params = Vec::new();
    for s in statements {
        shifted(&s.sql, params.len(), &mut sql);
        sql.push_str(";\n");
        params.extend(s.params);
    }
    (sql, params)
}

/// Appends `sql` to `out` with every `$N` written as `$(N + offset)`. Our
/// statements have no `$` inside string literals, so no quoting is parsed.
fn shifted(sql: &str, offset: usize, out: &mut String) {
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        match rest[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + offset).to_string()),
            Err(_) => out.push_str(&rest[..digits]),
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_every_value_once_in_row_order() {
        assert_eq!(placeholders(2, 3), "($1,$2),($3,$4),($5,$6)");
        assert_eq!(placeholders(1, 1), "($1)");
    }

    #[test]
    fn joined_statements_number_their_parameters_in_sequence() {
        let mut script = Script::default();
        script.push(
            "UPDATE t SET a = $1 WHERE id = $2",
            vec![1.into(), "x".into()],
            1,
        );
        script.insert_rows("u (a, b)", &[vec![2.into(), 3.into()]]);
        script.push(
            "UPDATE s SET n = $1, m = $1 WHERE id = $10",
            vec![4.into()],
            1,
        );
        let (sql, params) = joined(script.statements);
        assert_eq!(
            sql,
            "UPDATE t SET a = $1 WHERE id = $2;\nINSERT INTO u (a, b) VALUES ($3,$4);\nUPDATE s SET n = $5, m = $5 WHERE id = $14;\n"
        );
        assert_eq!(params.len(), 5);
    }

    #[test]
    fn long_inserts_are_split_under_the_parameter_limit() {
        let mut script = Script::default();
        let rows: Vec<Vec<Value>> = (0..1_500).map(|i| vec![i.into(), i.into()]).collect();
        script.insert_rows("u (a, b)", &rows);
        assert_eq!(script.statements.len(), 2);
        assert_eq!(script.statements[0].rows, 1_000);
        assert_eq!(script.statements[1].params.len(), 1_000);
    }
}
