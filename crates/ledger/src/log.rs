//! The append-only log over a [`NodeStore`]: appends, roots of any past size,
//! and RFC 9162 proofs, each from `O(log n)` stored perfect-subtree hashes.

use crate::compact::CompactRange;
use crate::error::LedgerError;
use crate::hash::{EMPTY_ROOT, Hash, leaf_hash, node_hash, split_point};
use crate::sth::TreeHead;
use crate::store::NodeStore;

/// An RFC 9162 Merkle log backed by a [`NodeStore`].
///
/// The log keeps the right edge of the tree ([`CompactRange`]) in memory, so
/// an append reads nothing and writes the nodes listed in the
/// [`store`](crate::store) module docs; proofs read at most `2 * log2(n)`
/// nodes and hash only to combine the ragged right edge. One `Log` per store
/// at a time: it is the sequencer.
#[derive(Debug)]
pub struct Log<S> {
    store: S,
    frontier: CompactRange,
}

impl<S: NodeStore> Log<S> {
    /// Opens the log kept in `store`, reading its size and right edge
    /// (one read per set bit of the size).
    pub fn open(store: S) -> Result<Self, LedgerError> {
        let size = store.size()?;
        let mut hashes = Vec::with_capacity(size.count_ones() as usize);
        for (level, index) in CompactRange::node_positions(size) {
            hashes.push(read(&store, level, index)?);
        }
        let frontier = CompactRange::from_parts(size, hashes).ok_or(LedgerError::MissingNode {
            level: 0,
            index: size,
        })?;
        Ok(Self { store, frontier })
    }

    /// The store, for reads outside the log.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Gives the store back.
    pub fn into_store(self) -> S {
        self.store
    }

    /// The right edge of the tree as it is now.
    pub fn frontier(&self) -> &CompactRange {
        &self.frontier
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.frontier.size()
    }

    /// Appends one entry, hashing it as an RFC 9162 leaf; returns its index and
    /// leaf hash.
    pub fn append(&mut self, data: &[u8]) -> Result<(u64, Hash), LedgerError> {
        let hash = leaf_hash(data);
        Ok((self.append_leaf_hash(hash)?, hash))
    }

    /// Appends an already computed leaf hash; returns its index. If the store
    /// fails, the in-memory state is unchanged (the backend's transaction
    /// must then be rolled back, and the log reopened if it was not).
    pub fn append_leaf_hash(&mut self, hash: Hash) -> Result<u64, LedgerError> {
        let index = self.frontier.size();
        let store = &mut self.store;
        self.frontier
            .append_with(hash, |level, i, h| store.put(level, i, *h))?;
        self.store.set_size(index + 1)?;
        Ok(index)
    }

    /// The current root hash, from memory.
    pub fn root(&self) -> Hash {
        self.frontier.root()
    }

    /// The root hash of the tree of the first `size` leaves.
    pub fn root_at(&self, size: u64) -> Result<Hash, LedgerError> {
        self.check_size(size)?;
        if size == self.size() {
            return Ok(self.root());
        }
        self.subtree_hash(0, size)
    }

    /// The tree head of the current tree, stamped with `timestamp_ms`
    /// (milliseconds since the Unix epoch, supplied by the caller).
    pub fn tree_head(&self, timestamp_ms: u64) -> TreeHead {
        TreeHead {
            size: self.size(),
            root_hash: self.root(),
            timestamp_ms,
        }
    }

    /// The leaf hash at `index`.
    pub fn leaf_hash(&self, index: u64) -> Result<Hash, LedgerError> {
        if index >= self.size() {
            return Err(LedgerError::IndexOutOfRange {
                index,
                size: self.size(),
            });
        }
        read(&self.store, 0, index)
    }

    /// The inclusion proof of leaf `index` in the tree of the first `size`
    /// leaves (RFC 9162 §2.1.3.1), from the leaf upward; `ceil(log2 size)`
    /// hashes at most.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, LedgerError> {
        self.check_size(size)?;
        if index >= size {
            return Err(LedgerError::IndexOutOfRange { index, size });
        }
        // Walk down from the root; the sibling subtree at each split is
        // recorded, then the list is reversed to run leaf-to-root.
        let mut proof = Vec::with_capacity(64 - size.leading_zeros() as usize);
        let (mut start, mut width) = (0, size);
        while width > 1 {
            let k = split_point(width);
            if index - start < k {
                proof.push(self.subtree_hash(start + k, width - k)?);
                width = k;
            } else {
                proof.push(self.subtree_hash(start, k)?);
                start += k;
                width -= k;
            }
        }
        proof.reverse();
        Ok(proof)
    }

    /// The consistency proof from the tree of `old` leaves to the tree of
    /// `new` leaves (RFC 9162 §2.1.4.1), bottom-up. Empty when `old` is 0 or
    /// equals `new`.
    pub fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>, LedgerError> {
        self.check_size(new)?;
        if old > new {
            return Err(LedgerError::SizesReversed { old, new });
        }
        let mut proof = Vec::new();
        if old == 0 || old == new {
            return Ok(proof);
        }
        // SUBPROOF(m, D[start:start+width], b), unrolled.
        let (mut m, mut start, mut width, mut whole_old_tree) = (old, 0, new, true);
        loop {
            if m == width {
                if !whole_old_tree {
                    proof.push(self.subtree_hash(start, width)?);
                }
                break;
            }
            let k = split_point(width);
            if m <= k {
                proof.push(self.subtree_hash(start + k, width - k)?);
                width = k;
            } else {
                proof.push(self.subtree_hash(start, k)?);
                start += k;
                m -= k;
                width -= k;
                whole_old_tree = false;
            }
        }
        proof.reverse();
        Ok(proof)
    }

    fn check_size(&self, requested: u64) -> Result<(), LedgerError> {
        if requested > self.size() {
            return Err(LedgerError::SizeOutOfRange {
                requested,
                size: self.size(),
            });
        }
        Ok(())
    }

    /// `MTH(D[start:start+width])` for a subtree of the RFC recursion: `start`
    /// is a multiple of the smallest power of two >= `width`, so the subtree
    /// is the stored perfect subtrees of the set bits of `width`, folded from
    /// the right. One read per set bit of `width`.
    fn subtree_hash(&self, start: u64, width: u64) -> Result<Hash, LedgerError> {
        if width == 0 {
            return Ok(EMPTY_ROOT);
        }
        let mut acc: Option<Hash> = None;
        for level in (0..64u8).filter(|l| width >> l & 1 == 1) {
            // Leaves of the larger subtrees to the left of this one.
            let offset = width & (u64::MAX << level << 1);
            let h = read(&self.store, level, (start + offset) >> level)?;
            acc = Some(match acc {
                None => h,
                Some(right) => node_hash(&h, &right),
            });
        }
        Ok(acc.unwrap_or(EMPTY_ROOT))
    }
}

fn read<S: NodeStore>(store: &S, level: u8, index: u64) -> Result<Hash, LedgerError> {
    store
        .get(level, index)?
        .ok_or(LedgerError::MissingNode { level, index })
}
