//! A batch's writes as a script: statements gathered first, sent together.
//!
//! Every statement through sqlx costs a round trip — a thread hand-off with
//! its SQLite driver, a network round trip with PostgreSQL — that dwarfs
//! the work of writing a few rows. So through sqlx rows go in as multi-row
//! `INSERT`s, and on SQLite a whole script goes to the driver as one
//! multi-statement query (a side event's leaf, `ledger::append`).
//! PostgreSQL's extended protocol takes one statement at a time, so there
//! the script runs statement by statement. The SQLite case writer runs its
//! scripts itself, on its own thread and connection, where a statement
//! costs no round trip ([`Script::run_sqlite`]).
//!
//! On PostgreSQL a multi-row `INSERT … VALUES` is a new statement text for
//! every new row count, parsed and planned again each time, and it churns
//! the driver's cache of prepared statements. So on PostgreSQL rows go as
//! one JSON array to a statement of constant text, `INSERT … SELECT … FROM
//! jsonb_array_elements($1)`, prepared once per connection. (Updates keep
//! their own statements: joined to a JSON array, PostgreSQL guesses it
//! holds 100 rows and plans a hash join over a whole table.)
//!
//! On SQLite the placeholders are sent anonymous (`?`): SQLite looks each
//! named or numbered placeholder up in a list, at parse and again at bind,
//! which makes a statement of n placeholders cost O(n²) — most of a batch's
//! CPU for a multi-row insert of 2,000 values. Anonymous ones cost nothing
//! to look up, and sqlx binds them in order across the statements of a
//! query. So every statement of a script numbers its placeholders `$1…$n`
//! in order, each once, and the script checks it.

use sqlx::AnyConnection;

use crate::error::StoreError;
use crate::sql::backend::Backend;
use crate::sql::value::{Value, bind};

/// Most parameters in one SQLite statement: well under SQLite's 32,766,
/// and small enough to keep statements short.
const MAX_PARAMS: usize = 2_000;

/// One statement of a script.
#[derive(Debug, Clone, PartialEq)]
enum Statement {
    /// A statement with its own `$1…$n` placeholders that must change
    /// exactly `rows` rows.
    Sql {
        sql: String,
        params: Vec<Value>,
        rows: u64,
    },
    /// Rows into `head` (`"table (col, col, ...)"`), every row with the same
    /// number and kinds of values; written in the backend's own way.
    Insert { head: String, rows: Vec<Vec<Value>> },
}

impl Statement {
    /// Rows it must change; the script checks the sum.
    fn rows(&self) -> u64 {
        match self {
            Statement::Sql { rows, .. } => *rows,
            Statement::Insert { rows, .. } => rows.len() as u64,
        }
    }
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
    /// SQLite refused a statement run by the SQLite writer.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// A statement's placeholders are not `$1…$n` in order, each once, for
    /// its n parameters: a mistake in the statement, refused before it runs.
    #[error("statement placeholders must be $1…$n in order: {0}")]
    Placeholders(String),
    /// Rows that could not be written as JSON (never for integers and
    /// text, which is all a [`Value`] holds).
    #[error("rows could not be encoded as JSON: {0}")]
    Encode(#[from] serde_json::Error),
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

impl From<ScriptError> for StoreError {
    fn from(e: ScriptError) -> Self {
        match e {
            ScriptError::Database(e) => StoreError::Database(e),
            ScriptError::Sqlite(e) => StoreError::Sqlite(e),
            e @ (ScriptError::Placeholders(_) | ScriptError::Encode(_)) => {
                StoreError::Database(sqlx::Error::Protocol(e.to_string()))
            }
            ScriptError::RowCount { expected, changed } => {
                StoreError::RowsChanged { expected, changed }
            }
        }
    }
}

impl Script {
    /// Adds a statement that must change exactly `rows` rows.
    pub(crate) fn push(&mut self, sql: impl Into<String>, params: Vec<Value>, rows: u64) {
        self.statements.push(Statement::Sql {
            sql: sql.into(),
            params,
            rows,
        });
    }

    /// Adds an insert of `rows` into `head` (`"table (col, col, ...)"`),
    /// every row with the same number of values and each column's values of
    /// one kind (integer or text, NULL or not).
    pub(crate) fn insert_rows(&mut self, head: &str, rows: Vec<Vec<Value>>) {
        if rows.is_empty() {
            return;
        }
        self.statements.push(Statement::Insert {
            head: head.to_owned(),
            rows,
        });
    }

    /// Runs the script on `conn`, inside its open transaction: on SQLite as
    /// one query, on PostgreSQL statement by statement. Fails when the rows
    /// changed are not the rows the statements were written for.
    pub(crate) async fn run(
        self,
        conn: &mut AnyConnection,
        backend: Backend,
    ) -> Result<(), ScriptError> {
        let expected: u64 = self.statements.iter().map(Statement::rows).sum();
        let mut changed = 0;
        match backend {
            Backend::Sqlite => {
                let (sql, params, count) = joined(self.statements)?;
                // A batch's script is never the same text twice: do not let
                // it crowd the driver's cache of prepared statements.
                let q = bind(sqlx::query(&sql), params).persistent(count == 1);
                changed += q.execute(&mut *conn).await?.rows_affected();
            }
            Backend::Postgres => {
                for s in self.statements {
                    let (sql, params) = match s {
                        Statement::Sql { sql, params, .. } => (sql, params),
                        Statement::Insert { head, rows } => json_insert(&head, &rows)?,
                    };
                    let q = bind(sqlx::query(&sql), params);
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

impl Script {
    /// Runs the script on the SQLite writer's connection, inside its open
    /// transaction, statement by statement from the connection's cache of
    /// prepared statements: on the writer's own thread a statement costs
    /// no hand-off, so an insert runs once a row with one prepared text
    /// instead of a new multi-row text parsed each batch. Fails like
    /// [`Script::run`].
    pub(crate) fn run_sqlite(self, conn: &rusqlite::Connection) -> Result<(), ScriptError> {
        let expected: u64 = self.statements.iter().map(Statement::rows).sum();
        let mut changed = 0;
        for s in self.statements {
            match s {
                Statement::Sql { sql, params, .. } => {
                    let mut text = String::with_capacity(sql.len());
                    anonymous(&sql, params.len(), &mut text)?;
                    let mut statement = conn.prepare_cached(&text)?;
                    changed += statement.execute(rusqlite::params_from_iter(params))? as u64;
                }
                Statement::Insert { head, rows } => {
                    let columns = rows.first().map_or(0, Vec::len);
                    let mut text = format!("INSERT INTO {head} VALUES ");
                    values_list(columns, 1, &mut text);
                    let mut statement = conn.prepare_cached(&text)?;
                    for row in rows {
                        changed += statement.execute(rusqlite::params_from_iter(row))? as u64;
                    }
                }
            }
        }
        if changed != expected {
            return Err(ScriptError::RowCount { expected, changed });
        }
        Ok(())
    }
}

/// PostgreSQL: `rows` into `head` as one statement whose text depends only
/// on the table and the kinds of its columns, with the rows as one JSON
/// array of arrays.
fn json_insert(head: &str, rows: &[Vec<Value>]) -> Result<(String, Vec<Value>), ScriptError> {
    let sql = format!("INSERT INTO {head} {}", json_select(rows, 1));
    Ok((sql, vec![json_rows(rows)?]))
}

/// PostgreSQL: `SELECT` of the columns of `rows` from the JSON array bound
/// as parameter `$param` ([`json_rows`]), each column cast to its kind.
/// `jsonb`, so that each row is parsed once, not once a column.
pub(crate) fn json_select(rows: &[Vec<Value>], param: usize) -> String {
    let first = rows.first().map(Vec::as_slice).unwrap_or_default();
    let mut sql = String::from("SELECT ");
    for (i, v) in first.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        match v {
            Value::Int(_) => sql.push_str(&format!("(r->>{i})::bigint")),
            Value::Text(_) => sql.push_str(&format!("r->>{i}")),
        }
    }
    sql.push_str(&format!(" FROM jsonb_array_elements(${param}::jsonb) AS r"));
    sql
}

/// `rows` as one JSON array of arrays, for [`json_select`].
pub(crate) fn json_rows(rows: &[Vec<Value>]) -> Result<Value, serde_json::Error> {
    Ok(serde_json::to_string(rows)?.into())
}

/// SQLite: the statements as one text with anonymous placeholders, all
/// their parameters in order, and how many statements that is. Inserts
/// become multi-row `INSERT … VALUES`, split under the parameter limit.
fn joined(statements: Vec<Statement>) -> Result<(String, Vec<Value>, usize), ScriptError> {
    let mut sql = String::new();
    let mut params = Vec::new();
    let mut count = 0;
    for s in statements {
        match s {
            Statement::Sql {
                sql: text,
                params: values,
                ..
            } => {
                anonymous(&text, values.len(), &mut sql)?;
                sql.push_str(";\n");
                params.extend(values);
                count += 1;
            }
            Statement::Insert { head, rows } => {
                let columns = rows.first().map_or(1, |r| r.len().max(1));
                let per_statement = (MAX_PARAMS / columns).max(1);
                for chunk in rows.chunks(per_statement) {
                    sql.push_str(&format!("INSERT INTO {head} VALUES "));
                    values_list(columns, chunk.len(), &mut sql);
                    sql.push_str(";\n");
                    count += 1;
                }
                params.extend(rows.into_iter().flatten());
            }
        }
    }
    Ok((sql, params, count))
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

/// Appends the anonymous `VALUES` list for `rows` rows of `columns` values.
fn values_list(columns: usize, rows: usize, out: &mut String) {
    let row = format!("({})", vec!["?"; columns].join(","));
    for r in 0..rows {
        if r > 0 {
            out.push(',');
        }
        out.push_str(&row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_lists_hold_one_anonymous_placeholder_per_value() {
        let mut out = String::new();
        values_list(2, 3, &mut out);
        assert_eq!(out, "(?,?),(?,?),(?,?)");
    }

    #[test]
    fn joined_statements_send_anonymous_placeholders_in_order() {
        let mut script = Script::default();
        script.push(
            "UPDATE t SET a = $1 WHERE id = $2",
            vec![1.into(), "x".into()],
            1,
        );
        script.insert_rows("u (a, b)", vec![vec![2.into(), 3.into()]]);
        let (sql, params, count) = joined(script.statements).expect("joined");
        assert_eq!(
            sql,
            "UPDATE t SET a = ? WHERE id = ?;\nINSERT INTO u (a, b) VALUES (?,?);\n"
        );
        assert_eq!(params, vec![1.into(), "x".into(), 2.into(), 3.into()]);
        assert_eq!(count, 2);
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
        script.insert_rows("u (a, b)", rows);
        assert_eq!(script.statements[0].rows(), 1_500);
        let (sql, params, count) = joined(script.statements).expect("joined");
        assert_eq!(count, 2);
        assert_eq!(sql.matches("INSERT INTO u (a, b) VALUES ").count(), 2);
        assert_eq!(sql.matches("(?,?)").count(), 1_500);
        assert_eq!(params.len(), 3_000);
    }

    #[test]
    fn postgres_inserts_have_one_text_for_any_number_of_rows() {
        let row = |i: i64, t: Option<&str>| vec![i.into(), t.map(str::to_owned).into()];
        let one = json_insert("u (a, b)", &[row(1, Some("x"))]).expect("one");
        let three = json_insert(
            "u (a, b)",
            &[row(1, Some("say \"hi\"")), row(2, None), row(3, Some("雅"))],
        )
        .expect("three");
        assert_eq!(one.0, three.0);
        assert_eq!(
            one.0,
            "INSERT INTO u (a, b) SELECT (r->>0)::bigint, r->>1 FROM jsonb_array_elements($1::jsonb) AS r"
        );
        assert_eq!(
            three.1,
            vec![Value::from(r#"[[1,"say \"hi\""],[2,null],[3,"雅"]]"#)]
        );
    }
}
