//! Where the ledger's nodes are stored, and reading them back: the
//! perfect-subtree nodes keyed by where they end (migration 10), and the
//! log's right edge rebuilt from them. Shared by appending (`append.rs`)
//! and by the reads of proofs (`tree.rs`), below both.

use std::collections::HashMap;

use sqlx::{Any, Row};
use yici_ledger::{CompactRange, Hash};

use crate::error::StoreError;

pub(super) fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

pub(super) fn hash_of(text: &str) -> Result<Hash, StoreError> {
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
pub(super) async fn nodes_in<'e, E>(
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

/// The right edge of the stored tree of `size` leaves, from its nodes.
pub(super) async fn frontier_at<'e, E>(exec: E, size: u64) -> Result<CompactRange, StoreError>
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
