//! A `WHERE` clause built from a filter's optional fields, and one page of
//! rows with the number that match in all: what every list (cases, tasks,
//! outbox) and the statistics build their statements with. SQL plumbing,
//! apart from the aggregates that list.

use crate::Store;
use crate::error::StoreError;
use crate::sql::rows::Columns;

/// The conditions of a statement and their text parameters, `$1`, `$2`, …
/// in order.
pub(crate) struct Where {
    clauses: Vec<String>,
    binds: Vec<String>,
}

impl Where {
    pub(crate) fn new() -> Self {
        Where {
            clauses: Vec::new(),
            binds: Vec::new(),
        }
    }

    pub(crate) fn eq(&mut self, column: &str, value: &Option<String>) {
        if let Some(v) = value {
            self.binds.push(v.clone());
            self.clauses
                .push(format!("{column} = ${}", self.binds.len()));
        }
    }

    pub(crate) fn prefix(&mut self, column: &str, value: &Option<String>) {
        let Some(v) = value else { return };
        let (low, high) = region_range(v);
        self.binds.push(low);
        self.clauses
            .push(format!("{column} >= ${}", self.binds.len()));
        if let Some(high) = high {
            self.binds.push(high);
            self.clauses
                .push(format!("{column} < ${}", self.binds.len()));
        }
    }

    /// A condition without parameters, e.g. `dead_ms IS NULL`.
    pub(crate) fn raw(&mut self, clause: &str) {
        self.clauses.push(clause.to_owned());
    }

    /// The text parameters, in order.
    pub(crate) fn binds(&self) -> &[String] {
        &self.binds
    }

    pub(crate) fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }

    pub(crate) fn query<'q>(
        &'q self,
        sql: &'q str,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        self.binds.iter().fold(sqlx::query(sql), |q, b| q.bind(b))
    }
}

/// A page's `total` column.
pub(crate) fn total(r: &dyn Columns) -> Result<u64, StoreError> {
    Ok(u64::try_from(r.int("total")?).unwrap_or(0))
}

impl Store {
    /// How many rows match in all: the page's `total` column (one statement
    /// for page and count), or a count of its own for a page past the end.
    pub(crate) async fn total_of<T>(
        &self,
        page: &[(T, u64)],
        w: &Where,
        table: &str,
    ) -> Result<u64, StoreError> {
        if let Some((_, total)) = page.first() {
            return Ok(*total);
        }
        let sql = format!("SELECT COUNT(*) AS total FROM {table} {}", w.sql());
        Ok(self.hot_row(&sql, &w.binds, total).await?.unwrap_or(0))
    }
}

/// The codes under a region as a range `[low, high)` (no `high`: no upper
/// bound): a range lets the database seek in an index where `LIKE 'p%'`
/// scans. Region codes are digit strings, which sort alike in every
/// collation, and a region's codes share its code without trailing zeros:
/// `330200` → `["3302", "3303")`, `339900` → `["3399", "34")`.
pub(crate) fn region_range(code: &str) -> (String, Option<String>) {
    let prefix = code.trim_end_matches('0');
    let mut high: Vec<u8> = prefix.trim_end_matches('9').bytes().collect();
    let high = high.pop().map(|last| {
        high.push(last + 1);
        String::from_utf8_lossy(&high).into_owned()
    });
    (prefix.to_owned(), high)
}

#[cfg(test)]
mod tests {
    use super::region_range;

    #[test]
    fn a_region_is_the_range_of_its_prefix() {
        assert_eq!(region_range("330200"), ("3302".into(), Some("3303".into())));
        assert_eq!(region_range("339900"), ("3399".into(), Some("34".into())));
        assert_eq!(
            region_range("330212"),
            ("330212".into(), Some("330213".into()))
        );
        assert_eq!(region_range("990000"), ("99".into(), None));
    }
}
