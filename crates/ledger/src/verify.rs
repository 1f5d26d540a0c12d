//! Proof verification exactly as written in RFC 9162 §2.1.3.2 (inclusion)
//! and §2.1.4.2 (consistency): a client needs only hashes, sizes and these
//! two functions, never the log itself.

use serde::{Deserialize, Serialize};

use crate::error::LedgerError;
use crate::hash::{Hash, node_hash};
use crate::serde_hex;

/// On which side of the running hash a proof hash is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The proof hash is the left child: `result = H(0x01 || proof || running)`.
    Left,
    /// The proof hash is the right child: `result = H(0x01 || running || proof)`.
    Right,
}

/// One step of recomputing a root from an inclusion proof, for showing the
/// verification to a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The proof hash combined in this step.
    #[serde(with = "serde_hex")]
    pub sibling: Hash,
    /// Where the proof hash goes.
    pub side: Side,
    /// The hash after this step.
    #[serde(with = "serde_hex")]
    pub result: Hash,
}

/// Recomputes the root from an inclusion proof (RFC 9162 §2.1.3.2, steps 1–5),
/// returning every step; it does not compare with any expected root.
///
/// Costs one hash per proof element.
pub fn inclusion_steps(
    index: u64,
    size: u64,
    leaf_hash: &Hash,
    proof: &[Hash],
) -> Result<Vec<Step>, LedgerError> {
    if index >= size {
        return Err(LedgerError::IndexOutOfRange { index, size });
    }
    let (mut fn_, mut sn) = (index, size - 1);
    let mut r = *leaf_hash;
    let mut steps = Vec::with_capacity(proof.len());
    for p in proof {
        if sn == 0 {
            return Err(LedgerError::InclusionProofInvalid(
                "proof is too long for the tree size",
            ));
        }
        let side = if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
            Side::Left
        } else {
            r = node_hash(&r, p);
            Side::Right
        };
        steps.push(Step {
            sibling: *p,
            side,
            result: r,
        });
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err(LedgerError::InclusionProofInvalid(
            "proof is too short for the tree size",
        ));
    }
    Ok(steps)
}

/// Recomputes the root of a tree of `size` leaves from a leaf hash and its
/// inclusion proof (RFC 9162 §2.1.3.2).
pub fn root_from_inclusion_proof(
    index: u64,
    size: u64,
    leaf_hash: &Hash,
    proof: &[Hash],
) -> Result<Hash, LedgerError> {
    let steps = inclusion_steps(index, size, leaf_hash, proof)?;
    Ok(steps.last().map_or(*leaf_hash, |s| s.result))
}

/// Checks that `leaf_hash` is leaf `index` of the tree of `size` leaves whose
/// root is `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf_hash: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), LedgerError> {
    if root_from_inclusion_proof(index, size, leaf_hash, proof)? == *root {
        Ok(())
    } else {
        Err(LedgerError::InclusionProofInvalid(
            "recomputed root differs from the tree root",
        ))
    }
}

/// Checks that the tree of `new_size` leaves with root `new_root` extends the
/// tree of `old_size` leaves with root `old_root` (RFC 9162 §2.1.4.2).
///
/// Two trivial cases the RFC leaves to the caller are decided here: every
/// tree extends the empty tree (empty proof), and a tree is consistent with
/// itself when the roots are equal (empty proof).
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), LedgerError> {
    let invalid = LedgerError::ConsistencyProofInvalid;
    if old_size > new_size {
        return Err(LedgerError::SizesReversed {
            old: old_size,
            new: new_size,
        });
    }
    if old_size == 0 || old_size == new_size {
        if !proof.is_empty() {
            return Err(invalid("a trivial consistency proof must be empty"));
        }
        if old_size == new_size && old_root != new_root {
            return Err(invalid("equal tree sizes with different roots"));
        }
        return Ok(());
    }
    // Step 1–2: an old tree that is a perfect subtree is itself the first hash.
    let (first, rest) = match proof.split_first() {
        None => return Err(invalid("proof is empty")),
        Some(_) if old_size.is_power_of_two() => (old_root, proof),
        Some(split) => split,
    };
    let (mut fn_, mut sn) = (old_size - 1, new_size - 1);
    // Step 4.
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if sn == 0 {
            return Err(invalid("proof is too long for the tree sizes"));
        }
        if fn_ & 1 == 1 || fn_ == sn {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err(invalid("proof is too short for the tree sizes"));
    }
    if fr != *old_root {
        return Err(invalid("recomputed old root differs"));
    }
    if sr != *new_root {
        return Err(invalid("recomputed new root differs"));
    }
    Ok(())
}
