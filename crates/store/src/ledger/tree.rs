//! The stored tree read back, for proofs and verification: the ledger's
//! frontier, its nodes, an event's leaf, and the signed tree heads.

use std::collections::HashMap;

use sqlx::Row;
use yici_ledger::{CompactRange, Hash, SignedTreeHead, TreeHead};

use crate::Store;
use crate::error::StoreError;
use crate::ledger::nodes::{frontier_at, hash_of, nodes_in, to_i64};

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
