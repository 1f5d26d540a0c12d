//! Appending to the ledger: the leaves of events, the perfect-subtree
//! nodes they complete and the new size and root, added to the script of
//! the transaction that writes the events — so that an event and its leaf
//! are committed together or not at all. And the right edge a writer keeps
//! between its batches ([`Edge`]).

use sqlx::{AnyConnection, Row};
use yici_ledger::CompactRange;

use crate::error::StoreError;
use crate::ledger::nodes::{frontier_at, leaf_end, to_i64};
use crate::sql::backend::Backend;
use crate::sql::script::{Script, json_rows, json_select};
use crate::sql::value::{Value, bind};
use crate::vocabulary::Prepared;

/// Runs `script` with the leaves of `records` appended to it, in the
/// transaction open on `conn`. On PostgreSQL the ledger row is locked first, so that one transaction at a
/// time sequences the log; on SQLite the single writer already does.
pub(crate) async fn append(
    conn: &mut AnyConnection,
    backend: Backend,
    mut script: Script,
    records: &[&Prepared],
) -> Result<(), StoreError> {
    let range = right_edge(conn, backend, || None).await?;
    append_to(&mut script, range, records);
    script.run(conn, backend).await?;
    Ok(())
}

/// The ledger's state as stored: its size, and its root at that size
/// (none before the first append that recorded it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stored {
    /// Leaves.
    pub size: u64,
    /// The root, hex.
    pub root: Option<String>,
}

/// The stored log's right edge, read in the transaction open on `conn` (on
/// PostgreSQL with the ledger row locked until the commit): see [`edge_at`].
pub(crate) async fn right_edge(
    conn: &mut AnyConnection,
    backend: Backend,
    cached: impl FnOnce() -> Option<CompactRange>,
) -> Result<CompactRange, StoreError> {
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let row = sqlx::query(&format!(
        "SELECT size, root FROM ledger_state WHERE id = 1{lock}"
    ))
    .fetch_one(&mut *conn)
    .await?;
    let stored = Stored {
        size: u64::try_from(row.try_get::<i64, _>("size")?).unwrap_or(0),
        root: row.try_get("root")?,
    };
    edge_at(conn, &stored, cached).await
}

/// The right edge of the log as `stored`. `cached` gives, once the state is
/// read (and so, on PostgreSQL, the lock held), a right edge kept in
/// memory: it is used when the stored size and root are its own, and the
/// edge is read from the nodes otherwise. The root makes this safe even
/// for an edge whose transaction was then rolled back, or for a log changed
/// behind the server's back: another transaction may reach the same size,
/// but not with the same root.
pub(crate) async fn edge_at(
    conn: &mut AnyConnection,
    stored: &Stored,
    cached: impl FnOnce() -> Option<CompactRange>,
) -> Result<CompactRange, StoreError> {
    match cached() {
        Some(range)
            if range.size() == stored.size
                && stored.root.as_deref() == Some(&hex::encode(range.root())) =>
        {
            Ok(range)
        }
        _ => frontier_at(&mut *conn, stored.size).await,
    }
}

/// Rows of the ledger for `records` appended after `range`.
struct Appended {
    /// `ledger_leaves` rows.
    leaves: Vec<Vec<Value>>,
    /// `ledger_nodes` rows: the new perfect-subtree nodes.
    nodes: Vec<Vec<Value>>,
    /// The new right edge.
    range: CompactRange,
}

const LEAF_COLUMNS: &str = "ledger_leaves (idx, leaf_hash, case_id, seq, event_idx)";
const NODE_COLUMNS: &str = "ledger_nodes (leaf_end, level, hash)";
const SET_STATE: &str = "UPDATE ledger_state SET size = $1, root = $2 WHERE id = 1";

fn appended(mut range: CompactRange, records: &[&Prepared]) -> Appended {
    let size = range.size();
    let mut nodes: Vec<Vec<Value>> = Vec::with_capacity(records.len() * 2);
    let mut leaves: Vec<Vec<Value>> = Vec::with_capacity(records.len());
    for (i, prepared) in records.iter().enumerate() {
        let (record, hash) = (&prepared.record, prepared.leaf);
        range
            .append_with(hash, |l, i, h| {
                nodes.push(vec![
                    // A node ends within the log's size, which fits.
                    leaf_end(l, i).unwrap_or(i64::MAX).into(),
                    i64::from(l).into(),
                    hex::encode(h).into(),
                ]);
                Ok::<_, std::convert::Infallible>(())
            })
            .unwrap_or_else(|never| match never {});
        leaves.push(vec![
            to_i64(size + i as u64).into(),
            hex::encode(hash).into(),
            record.case_id.as_str().into(),
            record.seq.into(),
            record.event_idx.into(),
        ]);
    }
    Appended {
        leaves,
        nodes,
        range,
    }
}

/// The new size and root, as `ledger_state` keeps them.
fn state_of(range: &CompactRange) -> Vec<Value> {
    vec![
        to_i64(range.size()).into(),
        hex::encode(range.root()).into(),
    ]
}

/// Adds the leaves of `records` after `range` to the script — leaf rows,
/// the new perfect-subtree nodes and the new size and root — and returns
/// the new right edge.
pub(crate) fn append_to(
    script: &mut Script,
    range: CompactRange,
    records: &[&Prepared],
) -> CompactRange {
    if records.is_empty() {
        return range;
    }
    let rows = appended(range, records);
    script.insert_rows(LEAF_COLUMNS, rows.leaves);
    script.insert_rows(NODE_COLUMNS, rows.nodes);
    script.push(SET_STATE, state_of(&rows.range), 1);
    rows.range
}

/// PostgreSQL: the same writes as [`append_to`] in one statement of
/// constant text, so that the ledger row [`right_edge`] locked is held for
/// one round trip and the commit rather than three. Returns the new edge.
pub(crate) async fn append_postgres(
    conn: &mut AnyConnection,
    range: CompactRange,
    records: &[&Prepared],
) -> Result<CompactRange, StoreError> {
    if records.is_empty() {
        return Ok(range);
    }
    let rows = appended(range, records);
    let sql = format!(
        "WITH leaves AS (INSERT INTO {LEAF_COLUMNS} {}), nodes AS (INSERT INTO {NODE_COLUMNS} {}) \
         UPDATE ledger_state SET size = $3, root = $4 WHERE id = 1",
        json_select(&rows.leaves, 1),
        json_select(&rows.nodes, 2),
    );
    let mut params = vec![json_rows(&rows.leaves)?, json_rows(&rows.nodes)?];
    params.extend(state_of(&rows.range));
    let changed = bind(sqlx::query(&sql), params)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    // The inserts either write every row or fail; the update must find the
    // one ledger row.
    if changed != 1 {
        return Err(StoreError::RowsChanged {
            expected: 1,
            changed,
        });
    }
    Ok(rows.range)
}

/// The ledger's right edge after the newest append of this process's
/// writers, shared so that a writer whose batch follows another's need not
/// read the edge back from the database. Each writer shares its edge while
/// it still holds the log (SQLite: the write connection; PostgreSQL: the
/// ledger row's lock), so the one kept is always the newest; and
/// [`edge_at`] uses it only if the stored size and root are its own.
#[derive(Debug, Default)]
pub(crate) struct Edge(std::sync::Mutex<Option<CompactRange>>);

impl Edge {
    pub(crate) fn get(&self) -> Option<CompactRange> {
        self.0.lock().ok().and_then(|e| e.clone())
    }

    /// Keeps `appended`, the newest edge.
    pub(crate) fn offer(&self, appended: CompactRange) {
        if let Ok(mut e) = self.0.lock() {
            *e = Some(appended);
        }
    }
}
