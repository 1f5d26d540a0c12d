//! Where the log keeps its hashes: the "stored interior nodes" layout.
//!
//! Node `(level, index)` is the root of the perfect subtree of `2^level`
//! leaves that starts at leaf `index * 2^level`; level 0 holds the leaf
//! hashes. Only *complete* perfect subtrees are ever stored, so a node is
//! written once and never changes: a table keyed by `(level, index)` with
//! insert-only rows is enough for SQLite or PostgreSQL.
//!
//! Appending leaf `i` (the log then has `i + 1` leaves) writes, in this order:
//!
//! 1. `(0, i)` — the leaf hash;
//! 2. for every `l >= 1` such that the low `l` bits of `i + 1` are all zero,
//!    `(l, (i + 1) / 2^l - 1)` — each perfect subtree the new leaf completes
//!    (as many as there are trailing one bits in `i`; on average one);
//! 3. the new leaf count, `i + 1`, through [`NodeStore::set_size`].
//!
//! A backend should apply one append (or a batch of appends) in one
//! transaction, so that a crash never leaves a size that points past the
//! stored nodes. Readers need at most `2 * log2(n)` point reads per proof.

use crate::error::StoreError;
use crate::hash::Hash;

/// Storage of the log's perfect-subtree hashes and leaf count.
///
/// All methods are synchronous; an async backend wraps a transaction around
/// calls to [`Log`](crate::Log) made inside `spawn_blocking`, or implements
/// this trait over rows it has already fetched.
pub trait NodeStore {
    /// The number of leaves in the log (0 for a new log).
    fn size(&self) -> Result<u64, StoreError>;
    /// Records the number of leaves, after the nodes of the last append are put.
    fn set_size(&mut self, size: u64) -> Result<(), StoreError>;
    /// The hash of node `(level, index)`, or `None` if it was never written.
    fn get(&self, level: u8, index: u64) -> Result<Option<Hash>, StoreError>;
    /// Stores the hash of node `(level, index)`. The log writes each node once,
    /// in increasing `index` within a level.
    fn put(&mut self, level: u8, index: u64, hash: Hash) -> Result<(), StoreError>;
}

/// A [`NodeStore`] in memory: one `Vec` per level. It takes about 64 bytes per
/// leaf (32 for the leaf hash, 32 for all the levels above it together).
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    levels: Vec<Vec<Hash>>,
    size: u64,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty store with room for `leaves` leaves without reallocating.
    pub fn with_capacity(leaves: usize) -> Self {
        let mut levels = Vec::new();
        let mut n = leaves;
        while n > 0 {
            levels.push(Vec::with_capacity(n));
            n /= 2;
        }
        Self { levels, size: 0 }
    }
}

/// The error a [`MemoryStore`] reports when nodes are written out of order.
#[derive(Debug, thiserror::Error)]
#[error("memory store: node ({level}, {index}) written out of order; level has {len} nodes")]
struct OutOfOrder {
    level: u8,
    index: u64,
    len: usize,
}

impl NodeStore for MemoryStore {
    fn size(&self) -> Result<u64, StoreError> {
        Ok(self.size)
    }

    fn set_size(&mut self, size: u64) -> Result<(), StoreError> {
        self.size = size;
        Ok(())
    }

    fn get(&self, level: u8, index: u64) -> Result<Option<Hash>, StoreError> {
        let hash = self
            .levels
            .get(usize::from(level))
            .zip(usize::try_from(index).ok())
            .and_then(|(nodes, i)| nodes.get(i).copied());
        Ok(hash)
    }

    fn put(&mut self, level: u8, index: u64, hash: Hash) -> Result<(), StoreError> {
        let l = usize::from(level);
        if self.levels.len() <= l {
            self.levels.resize_with(l + 1, Vec::new);
        }
        let nodes = &mut self.levels[l];
        let len = nodes.len();
        match usize::try_from(index) {
            Ok(i) if i == len => nodes.push(hash),
            Ok(i) if i < len => nodes[i] = hash,
            _ => return Err(StoreError::new(OutOfOrder { level, index, len })),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_refuses_a_write_that_leaves_a_gap() {
        let mut store = MemoryStore::new();
        assert!(store.put(0, 0, [1; 32]).is_ok());
        assert!(store.put(0, 2, [2; 32]).is_err());
        assert_eq!(store.get(0, 0).ok().flatten(), Some([1; 32]));
        assert_eq!(store.get(0, 1).ok().flatten(), None);
        assert_eq!(store.get(9, 0).ok().flatten(), None);
    }
}
