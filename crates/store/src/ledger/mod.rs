//! The ledger's storage: leaves, perfect-subtree nodes and signed tree
//! heads, appended in the same transaction as the events they record.
//! What an event's leaf is: [`leaf`].

use std::collections::HashMap;

use sqlx::AnyConnection;
use sqlx::{Any, Row};
use yici_ledger::{CompactRange, Hash, SignedTreeHead, TreeHead};

use crate::Store;
use crate::db::Backend;
use crate::error::StoreError;
use crate::script::{Script, Value, bind, json_rows, json_select};

mod leaf;

pub(crate) use leaf::Prepared;
pub use leaf::{EventRecord, canonical_json};

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn hash_of(text: &str) -> Result<Hash, StoreError> {
    let bytes = hex::decode(text).map_err(|e| StoreError::Corrupt(format!("ledger hash: {e}")))?;
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("ledger hash is not 32 bytes".into()))
}

/// Where the node `(level, idx)` is stored: one past the last leaf it
/// covers, `(idx + 1) · 2^level`. Nodes are keyed by it (then by level), so
/// the nodes an append makes land at the end of the key's order (migration
/// 0010). A position past `i64` cannot be stored and is reported as such.
pub fn leaf_end(level: u8, idx: u64) -> Option<i64> {
    idx.checked_add(1)
        .and_then(|n| n.checked_mul(1u64.checked_shl(u32::from(level))?))
        .and_then(|end| i64::try_from(end).ok())
}

/// The node stored at `(leaf_end, level)`: its `(level, idx)`.
fn position_of(end: i64, level: i64) -> Option<(u8, u64)> {
    let level = u8::try_from(level).ok()?;
    let idx = u64::try_from(end)
        .ok()?
        .checked_shr(u32::from(level))?
        .checked_sub(1)?;
    (leaf_end(level, idx)? == end).then_some((level, idx))
}

/// Reads the nodes at `positions` (missing ones are left out).
async fn nodes_in<'e, E>(
    exec: E,
    positions: &[(u8, u64)],
) -> Result<HashMap<(u8, u64), Hash>, StoreError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let mut out = HashMap::new();
    // A position past i64 cannot be stored, so it is not found.
    let keys: Vec<(i64, u8)> = positions
        .iter()
        .filter_map(|&(l, i)| Some((leaf_end(l, i)?, l)))
        .collect();
    if keys.is_empty() {
        return Ok(out);
    }
    let mut sql = String::from("SELECT leaf_end, level, hash FROM ledger_nodes WHERE ");
    for i in 0..keys.len() {
        if i > 0 {
            sql.push_str(" OR ");
        }
        sql.push_str(&format!(
            "(leaf_end = ${} AND level = ${})",
            2 * i + 1,
            2 * i + 2
        ));
    }
    let q = keys.iter().fold(sqlx::query(&sql), |q, (end, l)| {
        q.bind(*end).bind(i64::from(*l))
    });
    for r in q.fetch_all(exec).await? {
        let end: i64 = r.try_get("leaf_end")?;
        let level: i64 = r.try_get("level")?;
        let hash: String = r.try_get("hash")?;
        let position = position_of(end, level).ok_or_else(|| {
            StoreError::Corrupt(format!("ledger node at leaf_end {end}, level {level}"))
        })?;
        out.insert(position, hash_of(&hash)?);
    }
    Ok(out)
}

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

/// The right edge of the stored tree of `size` leaves, from its nodes.
async fn frontier_at<'e, E>(exec: E, size: u64) -> Result<CompactRange, StoreError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let positions: Vec<(u8, u64)> = CompactRange::node_positions(size).collect();
    let found = nodes_in(exec, &positions).await?;
    let hashes = positions
        .iter()
        .map(|p| {
            found
                .get(p)
                .copied()
                .ok_or_else(|| StoreError::Corrupt(format!("ledger node {p:?} missing")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    CompactRange::from_parts(size, hashes)
        .ok_or_else(|| StoreError::Corrupt("ledger frontier does not fit its size".into()))
}

fn head_of(r: &sqlx::any::AnyRow) -> Result<SignedTreeHead, StoreError> {
    let sig = hex::decode(r.try_get::<String, _>("signature")?)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(SignedTreeHead {
        tree_head: TreeHead {
            size: u64::try_from(r.try_get::<i64, _>("tree_size")?).unwrap_or(0),
            root_hash: hash_of(&r.try_get::<String, _>("root_hash")?)?,
            timestamp_ms: u64::try_from(r.try_get::<i64, _>("timestamp_ms")?).unwrap_or(0),
        },
        key_id: hash_of(&r.try_get::<String, _>("key_id")?)?,
        signature: sig
            .try_into()
            .map_err(|_| StoreError::Corrupt("signature is not 64 bytes".into()))?,
    })
}

const HEAD_COLUMNS: &str = "tree_size, root_hash, timestamp_ms, key_id, signature";

impl Store {
    /// The ledger's size and right edge (enough for its current root).
    pub async fn ledger_frontier(&self) -> Result<CompactRange, StoreError> {
        let row = sqlx::query("SELECT size FROM ledger_state WHERE id = 1")
            .fetch_one(&self.pools.read)
            .await?;
        let size = u64::try_from(row.try_get::<i64, _>("size")?).unwrap_or(0);
        frontier_at(&self.pools.read, size).await
    }

    /// The stored nodes at `positions`, for building proofs.
    pub async fn ledger_nodes(
        &self,
        positions: &[(u8, u64)],
    ) -> Result<HashMap<(u8, u64), Hash>, StoreError> {
        let mut out = HashMap::new();
        // Keep statements small: a proof needs about 2·log2(n) nodes.
        for part in positions.chunks(200) {
            out.extend(nodes_in(&self.pools.read, part).await?);
        }
        Ok(out)
    }

    /// Records a signed tree head (once per size).
    pub async fn insert_tree_head(&self, head: &SignedTreeHead) -> Result<(), StoreError> {
        let result = sqlx::query(&format!(
            "INSERT INTO ledger_heads ({HEAD_COLUMNS}) VALUES ($1, $2, $3, $4, $5)"
        ))
        .bind(to_i64(head.tree_head.size))
        .bind(hex::encode(head.tree_head.root_hash))
        .bind(to_i64(head.tree_head.timestamp_ms))
        .bind(hex::encode(head.key_id))
        .bind(hex::encode(head.signature))
        .execute(&self.pools.write)
        .await;
        match result {
            Ok(_) => Ok(()),
            // Another server signed this size first: its head stands.
            Err(e) if crate::error::is_unique_violation(&e) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// The newest signed tree head.
    pub async fn latest_tree_head(&self) -> Result<Option<SignedTreeHead>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {HEAD_COLUMNS} FROM ledger_heads ORDER BY tree_size DESC LIMIT 1"
        ))
        .fetch_optional(&self.pools.read)
        .await?;
        row.as_ref().map(head_of).transpose()
    }

    /// Every signed tree head, oldest first.
    pub async fn tree_heads(&self) -> Result<Vec<SignedTreeHead>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {HEAD_COLUMNS} FROM ledger_heads ORDER BY tree_size"
        ))
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter().map(head_of).collect()
    }

    /// The leaf index of an event.
    pub async fn event_leaf(
        &self,
        case_id: &str,
        seq: u64,
        event_idx: u32,
    ) -> Result<Option<(u64, Hash)>, StoreError> {
        let row = sqlx::query("SELECT idx, leaf_hash FROM ledger_leaves WHERE case_id = $1 AND seq = $2 AND event_idx = $3")
            .bind(case_id)
            .bind(to_i64(seq))
            .bind(i64::from(event_idx))
            .fetch_optional(&self.pools.read)
            .await?;
        row.map(|r| {
            Ok((
                u64::try_from(r.try_get::<i64, _>("idx")?).unwrap_or(0),
                hash_of(&r.try_get::<String, _>("leaf_hash")?)?,
            ))
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::{leaf_end, position_of};

    #[test]
    fn a_node_ends_one_past_its_last_leaf() {
        assert_eq!(leaf_end(0, 0), Some(1));
        assert_eq!(leaf_end(0, 6), Some(7));
        // (2, 1) covers leaves 4..8.
        assert_eq!(leaf_end(2, 1), Some(8));
        assert_eq!(leaf_end(62, 0), Some(1 << 62));
        assert_eq!(leaf_end(63, 0), None);
        assert_eq!(leaf_end(0, u64::MAX), None);
    }

    #[test]
    fn the_nodes_of_one_append_end_inside_it() {
        // Appending leaf 7 (the 8th) completes (0, 7), (1, 3), (2, 1), (3, 0):
        // all end at 8, so they sort together after every older node.
        for (level, idx) in [(0u8, 7u64), (1, 3), (2, 1), (3, 0)] {
            assert_eq!(leaf_end(level, idx), Some(8));
        }
        assert!(leaf_end(1, 2) < leaf_end(0, 7));
    }

    #[test]
    fn a_stored_key_gives_its_node_back() {
        for (level, idx) in [(0u8, 0u64), (0, 41), (3, 5), (20, 3), (62, 0)] {
            let end = leaf_end(level, idx).expect("fits");
            assert_eq!(position_of(end, i64::from(level)), Some((level, idx)));
        }
        // 12 is no multiple of 2^3: no node of level 3 ends there.
        assert_eq!(position_of(12, 3), None);
        assert_eq!(position_of(0, 0), None);
        assert_eq!(position_of(8, -1), None);
    }
}
