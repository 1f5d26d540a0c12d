//! A batch's writes as a script: statements gathered first, sent together.
//!
//! Every statement costs a round trip — a thread hand-off with sqlx's
//! SQLite driver, a network round trip with PostgreSQL — that dwarfs the
//! work of writing a few rows. So rows go in as multi-row `INSERT`s, and on
//! SQLite a whole script goes to the driver as one multi-statement query.
//! PostgreSQL's extended protocol takes one statement at a time, so there
//! the script runs statement by statement.
//!
//! On SQLite the placeholders are sent anonymous (`?`): SQLite looks each
//! named or numbered placeholder up in a list, at parse and again at bind,
//! which makes a statement of n placeholders cost O(n²) — most of a batch's
//! CPU for a multi-row insert of 2,000 values. Anonymous ones cost nothing
//! to look up, and sqlx binds them in order across the statements of a
//! query. So every statement of a script numbers its placeholders `$1…$n`
//! in order, each once, and the script checks it.

use sqlx::Any;
use sqlx::AnyConnection;

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
    /// A statement's placeholders are not `$1…$n` in order, each once, for
    /// its n parameters: a mistake in the statement, refused before it runs.
    #[error("statement placeholders must be $1…$n in order: {0}")]
    Placeholders(String),
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

    /// Runs the script on `conn`, inside its open transaction: on SQLite as one query, on PostgreSQL
    /// statement by statement. Fails when the rows changed are not the rows
    /// the statements were written for.
    pub(crate) async fn run(
        self,
        conn: &mut AnyConnection,
        backend: Backend,
    ) -> Result<(), ScriptError> {
        let expected: u64 = self.statements.iter().map(|s| s.rows).sum();
        let mut changed = 0;
        match backend {
            Backend::Sqlite => {
                let single = self.statements.len() == 1;
                let (sql, params) = joined(self.statements)?;
                // A batch's script is never the same text twice: do not let
                // it crowd the driver's cache of prepared statements.
                let q = bind(sqlx::query(&sql), params).persistent(single);
                changed += q.execute(&mut *conn).await?.rows_affected();
            }
            Backend::Postgres => {
                for s in self.statements {
                    let q = bind(sqlx::query(&s.sql), s.params);
                    changed += q.execute(&mut *conn).await?.rows_affected();
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

/// The statements as one text with anonymous placeholders, and all their
/// parameters in order.
fn joined(statements: Vec<Statement>) -> Result<(String, Vec<Value>), ScriptError> {
    let mut sql = String::new();
    let mut params = Vec::new();
    for s in statements {
        anonymous(&s.sql, s.params.len(), &mut sql)?;
        sql.push_str(";\n");
        params.extend(s.params);
    }
    Ok((sql, params))
}

/// Appends `sql` to `out` with its placeholders `$1…$n` written `?`, after
/// checking they are exactly those, in order. Our statements have no `$`
/// inside string literals, so no quoting is parsed.
fn anonymous(sql: &str, params: usize, out: &mut String) -> Result<(), ScriptError> {
    let mut rest = sql;
    let mut next = 1;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if rest[..digits].parse::<usize>().ok() != Some(next) {
            return Err(ScriptError::Placeholders(sql.to_owned()));
        }
        out.push('?');
        rest = &rest[digits..];
        next += 1;
    }
    if next - 1 != params {
        return Err(ScriptError::Placeholders(sql.to_owned()));
    }
    out.push_str(rest);
    Ok(())
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
    fn joined_statements_send_anonymous_placeholders_in_order() {
        let mut script = Script::default();
        script.push(
            "UPDATE t SET a = $1 WHERE id = $2",
            vec![1.into(), "x".into()],
            1,
        );
        script.insert_rows("u (a, b)", &[vec![2.into(), 3.into()]]);
        let (sql, params) = joined(script.statements).expect("joined");
        assert_eq!(
            sql,
            "UPDATE t SET a = ? WHERE id = ?;\nINSERT INTO u (a, b) VALUES (?,?);\n"
        );
        assert_eq!(params.len(), 4);
    }

    #[test]
    fn placeholders_out_of_order_or_reused_are_refused() {
        for (sql, n) in [
            ("UPDATE t SET a = $2 WHERE id = $1", 2),
            ("UPDATE t SET a = $1, b = $1", 1),
            ("UPDATE t SET a = $1", 2),
        ] {
            let mut script = Script::default();
            script.push(sql, vec![Value::Int(None); n], 1);
            assert!(
                matches!(joined(script.statements), Err(ScriptError::Placeholders(_))),
                "{sql}"
            );
        }
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
