//! Properties over many tree sizes: the stored-node log agrees with the naive
//! RFC 9162 recursion, its proofs verify, and any tampering is caught.

mod reference;

use reference::{entries, leaf_hashes, log_of, naive_consistency, naive_inclusion, naive_root};
use yici_ledger::{
    CompactRange, Hash, LedgerError, Log, MemoryStore, NodeStore, StoreError, verify_consistency,
    verify_inclusion,
};

const MAX_INCLUSION_SIZE: u64 = 300;
const MAX_CONSISTENCY_SIZE: u64 = 64;

fn flipped(proof: &[Hash], i: usize) -> Vec<Hash> {
    let mut p = proof.to_vec();
    p[i][0] ^= 0x08;
    p
}

#[test]
fn roots_at_every_size_equal_the_naive_recursion() {
    let leaves = leaf_hashes(&entries(MAX_INCLUSION_SIZE));
    let log = log_of(&entries(MAX_INCLUSION_SIZE));
    for size in 0..=MAX_INCLUSION_SIZE {
        assert_eq!(
            log.root_at(size).expect("size exists"),
            naive_root(&leaves[..size as usize])
        );
    }
}

#[test]
fn compact_range_root_equals_the_naive_root_at_every_size() {
    let leaves = leaf_hashes(&entries(MAX_INCLUSION_SIZE));
    let mut range = CompactRange::new();
    for (i, leaf) in leaves.iter().enumerate() {
        range.append(*leaf);
        assert_eq!(range.root(), naive_root(&leaves[..=i]), "size {}", i + 1);
    }
}

#[test]
fn inclusion_proofs_equal_the_naive_recursion_and_verify_for_sizes_up_to_300() {
    let leaves = leaf_hashes(&entries(MAX_INCLUSION_SIZE));
    let log = log_of(&entries(MAX_INCLUSION_SIZE));
    for size in 1..=MAX_INCLUSION_SIZE {
        let root = log.root_at(size).expect("size exists");
        let bound = 64 - (size - 1).leading_zeros() as usize; // ceil(log2 size)
        for index in 0..size {
            let proof = log.inclusion_proof(index, size).expect("in range");
            let naive = naive_inclusion(index as usize, &leaves[..size as usize]);
            assert_eq!(proof, naive, "leaf {index} of {size}");
            assert!(
                proof.len() <= bound,
                "proof of leaf {index} of {size} too long"
            );
            verify_inclusion(index, size, &leaves[index as usize], &proof, &root)
                .unwrap_or_else(|e| panic!("leaf {index} of {size}: {e}"));
        }
    }
}

#[test]
fn tampered_inclusion_proofs_fail_for_sizes_up_to_300() {
    let leaves = leaf_hashes(&entries(MAX_INCLUSION_SIZE));
    let log = log_of(&entries(MAX_INCLUSION_SIZE));
    for size in 1..=MAX_INCLUSION_SIZE {
        let root = log.root_at(size).expect("size exists");
        for index in 0..size {
            let leaf = leaves[index as usize];
            let proof = log.inclusion_proof(index, size).expect("in range");
            let fails = |i: u64, n: u64, l: &Hash, p: &[Hash], r: &Hash| {
                verify_inclusion(i, n, l, p, r).is_err()
            };
            for i in 0..proof.len() {
                assert!(fails(index, size, &leaf, &flipped(&proof, i), &root));
            }
            assert!(fails(index + 1, size, &leaf, &proof, &root), "index + 1");
            if index > 0 {
                assert!(fails(index - 1, size, &leaf, &proof, &root), "index - 1");
            }
            assert!(
                fails(index ^ 2, size, &leaf, &proof, &root)
                    || index ^ 2 >= size
                    || index ^ 2 == index
            );
            assert!(fails(index, size * 2, &leaf, &proof, &root), "size * 2");
            assert!(
                fails(index, size / 2, &leaf, &proof, &root) || size == 1,
                "size / 2"
            );
            assert!(
                fails(index, size, &root, &proof, &root) || size == 1,
                "wrong leaf"
            );
            let mut longer = proof.clone();
            longer.push(root);
            assert!(fails(index, size, &leaf, &longer, &root), "trailing hash");
            if !proof.is_empty() {
                assert!(
                    fails(index, size, &leaf, &proof[1..], &root),
                    "removed hash"
                );
            }
        }
    }
}

#[test]
fn consistency_proofs_equal_the_naive_recursion_and_verify_for_all_pairs_up_to_64() {
    let leaves = leaf_hashes(&entries(MAX_CONSISTENCY_SIZE));
    let log = log_of(&entries(MAX_CONSISTENCY_SIZE));
    for new in 1..=MAX_CONSISTENCY_SIZE {
        let new_root = log.root_at(new).expect("size exists");
        for old in 0..=new {
            let old_root = log.root_at(old).expect("size exists");
            let proof = log.consistency_proof(old, new).expect("in range");
            assert_eq!(
                proof,
                naive_consistency(old as usize, &leaves[..new as usize])
            );
            assert!(proof.len() <= 2 * (64 - new.leading_zeros() as usize));
            verify_consistency(old, new, &old_root, &new_root, &proof)
                .unwrap_or_else(|e| panic!("{old} -> {new}: {e}"));
        }
    }
}

#[test]
fn tampered_consistency_proofs_fail_for_all_pairs_up_to_64() {
    let log = log_of(&entries(MAX_CONSISTENCY_SIZE));
    for new in 2..=MAX_CONSISTENCY_SIZE {
        let r2 = log.root_at(new).expect("size exists");
        for old in 1..new {
            let r1 = log.root_at(old).expect("size exists");
            let proof = log.consistency_proof(old, new).expect("in range");
            let fails = |m: u64, n: u64, a: &Hash, b: &Hash, p: &[Hash]| {
                verify_consistency(m, n, a, b, p).is_err()
            };
            for i in 0..proof.len() {
                assert!(
                    fails(old, new, &r1, &r2, &flipped(&proof, i)),
                    "{old}->{new} flip {i}"
                );
            }
            assert!(
                fails(old, new, &r2, &r1, &proof),
                "{old}->{new} swapped roots"
            );
            assert!(
                fails(old, new, &r1, &r1, &proof),
                "{old}->{new} wrong new root"
            );
            assert!(
                fails(old, new, &[7; 32], &r2, &proof),
                "{old}->{new} wrong old root"
            );
            assert!(fails(old, new, &r1, &r2, &[]), "{old}->{new} empty proof");
            assert!(
                fails(old, new, &r1, &r2, &proof[..proof.len() - 1]),
                "truncated"
            );
            let mut longer = proof.clone();
            longer.push(r2);
            assert!(
                fails(old, new, &r1, &r2, &longer),
                "{old}->{new} trailing root"
            );
            if old + 1 < new {
                assert!(
                    fails(old + 1, new, &r1, &r2, &proof),
                    "{old}->{new} old + 1"
                );
            }
            assert!(
                fails(old - 1, new, &r1, &r2, &proof),
                "{old}->{new} old - 1"
            );
            assert!(
                fails(old, new * 2, &r1, &r2, &proof),
                "{old}->{new} new * 2"
            );
        }
    }
}

#[test]
fn reopening_a_store_continues_the_same_tree() {
    let all = entries(100);
    let mut log = log_of(&all[..37]);
    let store = log.store().clone();
    let mut reopened = Log::open(store).expect("store reopens");
    assert_eq!(reopened.root(), log.root());
    for e in &all[37..] {
        log.append(e).expect("append");
        reopened.append(e).expect("append");
    }
    assert_eq!(reopened.root(), naive_root(&leaf_hashes(&all)));
}

/// A store that records the positions written, to check the documented
/// write set of an append.
#[derive(Default)]
struct Recording {
    inner: MemoryStore,
    writes: Vec<(u8, u64)>,
}

impl NodeStore for Recording {
    fn size(&self) -> Result<u64, StoreError> {
        self.inner.size()
    }
    fn set_size(&mut self, size: u64) -> Result<(), StoreError> {
        self.inner.set_size(size)
    }
    fn get(&self, level: u8, index: u64) -> Result<Option<Hash>, StoreError> {
        self.inner.get(level, index)
    }
    fn put(&mut self, level: u8, index: u64, hash: Hash) -> Result<(), StoreError> {
        self.writes.push((level, index));
        self.inner.put(level, index, hash)
    }
}

#[test]
fn each_append_writes_the_leaf_and_every_subtree_it_completes() {
    let mut log = Log::open(Recording::default()).expect("empty store opens");
    for (i, e) in entries(300).iter().enumerate() {
        let before = log.store().writes.len();
        let (index, _) = log.append(e).expect("append");
        assert_eq!(index, i as u64);
        let n = index + 1;
        let expected: Vec<(u8, u64)> = (0..=n.trailing_zeros() as u8)
            .map(|l| (l, (n >> l) - 1))
            .collect();
        assert_eq!(
            log.store().writes[before..],
            expected[..],
            "append of leaf {index}"
        );
        assert_eq!(log.store().size().expect("size"), n);
    }
}

#[test]
fn proofs_beyond_the_log_are_refused() {
    let log = log_of(&entries(10));
    assert!(matches!(
        log.root_at(11),
        Err(LedgerError::SizeOutOfRange {
            requested: 11,
            size: 10
        })
    ));
    assert!(matches!(
        log.inclusion_proof(10, 10),
        Err(LedgerError::IndexOutOfRange { .. })
    ));
    assert!(matches!(
        log.inclusion_proof(0, 11),
        Err(LedgerError::SizeOutOfRange { .. })
    ));
    assert!(matches!(
        log.consistency_proof(5, 11),
        Err(LedgerError::SizeOutOfRange { .. })
    ));
    assert!(matches!(
        log.consistency_proof(6, 5),
        Err(LedgerError::SizesReversed { .. })
    ));
}

#[test]
fn a_store_missing_nodes_is_reported_not_panicked_on() {
    let mut store = MemoryStore::new();
    store.set_size(5).expect("set size");
    assert!(matches!(
        Log::open(store),
        Err(LedgerError::MissingNode { .. })
    ));
}
