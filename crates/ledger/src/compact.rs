//! The right edge of the tree: the roots of the perfect subtrees that make up
//! the first `size` leaves, one per set bit of `size` (Crosby & Wallach's
//! "frontier"; transparency-dev calls it a compact range `[0, size)`).
//!
//! With it a sequencer appends and computes the current root without reading
//! any stored node, and knows which nodes an append completes.

use crate::hash::{EMPTY_ROOT, Hash, node_hash};

/// The perfect-subtree roots covering leaves `[0, size)`, largest (leftmost)
/// first. Holds at most 64 hashes; appending costs one hash per completed
/// subtree (two on average); the root costs one hash per set bit of `size`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompactRange {
    size: u64,
    hashes: Vec<Hash>,
}

impl CompactRange {
    /// The range of the empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Rebuilds a range from its subtree roots, largest first; `None` unless
    /// there is exactly one hash per set bit of `size`.
    pub fn from_parts(size: u64, hashes: Vec<Hash>) -> Option<Self> {
        (hashes.len() == size.count_ones() as usize).then_some(Self { size, hashes })
    }

    /// The number of leaves covered.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The perfect-subtree roots, largest (leftmost) first.
    pub fn hashes(&self) -> &[Hash] {
        &self.hashes
    }

    /// The `(level, index)` of each subtree root of a range of `size` leaves,
    /// largest first, in the numbering of [`NodeStore`](crate::NodeStore).
    pub fn node_positions(size: u64) -> impl Iterator<Item = (u8, u64)> {
        (0..64u8)
            .rev()
            .filter(move |l| size >> l & 1 == 1)
            .map(move |l| {
                // Leaves before this subtree: the bits of `size` above `l`.
                let start = size & (u64::MAX << l << 1);
                (l, start >> l)
            })
    }

    /// The Merkle tree hash of leaves `[0, size)` (RFC 9162 §2.1.1): the
    /// subtree roots folded from the right.
    pub fn root(&self) -> Hash {
        let mut it = self.hashes.iter().rev();
        match it.next() {
            None => EMPTY_ROOT,
            Some(last) => it.fold(*last, |acc, left| node_hash(left, &acc)),
        }
    }

    /// Appends a leaf hash, calling `visit(level, index, hash)` for the leaf
    /// itself (level 0) and then for every perfect subtree it completes, in
    /// increasing level. If `visit` fails the range is left unchanged.
    pub fn append_with<E>(
        &mut self,
        leaf_hash: Hash,
        mut visit: impl FnMut(u8, u64, &Hash) -> Result<(), E>,
    ) -> Result<(), E> {
        let index = self.size;
        visit(0, index, &leaf_hash)?;
        let merges = index.trailing_ones() as usize;
        let mut cur = leaf_hash;
        for (l, left) in self.hashes.iter().rev().take(merges).enumerate() {
            cur = node_hash(left, &cur);
            let level = (l + 1) as u8;
            visit(level, ((index + 1) >> level) - 1, &cur)?;
        }
        self.hashes.truncate(self.hashes.len() - merges);
        self.hashes.push(cur);
        self.size += 1;
        Ok(())
    }

    /// Appends a leaf hash.
    pub fn append(&mut self, leaf_hash: Hash) {
        let ok: Result<(), std::convert::Infallible> =
            self.append_with(leaf_hash, |_, _, _| Ok(()));
        match ok {
            Ok(()) => {}
            Err(never) => match never {},
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_positions_are_the_perfect_subtrees_of_the_size_left_to_right() {
        // 13 = 8 + 4 + 1: leaves [0,8) at level 3, [8,12) at level 2, [12,13).
        let positions: Vec<_> = CompactRange::node_positions(13).collect();
        assert_eq!(positions, [(3, 0), (2, 2), (0, 12)]);
        assert_eq!(CompactRange::node_positions(0).count(), 0);
    }

    #[test]
    fn from_parts_needs_one_hash_per_set_bit_of_the_size() {
        assert!(CompactRange::from_parts(13, vec![[0; 32]; 3]).is_some());
        assert!(CompactRange::from_parts(13, vec![[0; 32]; 2]).is_none());
    }

    #[test]
    fn empty_range_has_the_empty_root() {
        assert_eq!(CompactRange::new().root(), EMPTY_ROOT);
    }
}
