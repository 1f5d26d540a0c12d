//! Receipts: what the applicant (or anyone) keeps to prove later that an
//! event is in the ledger — the leaf, its inclusion proof and the signed tree
//! head the proof leads to. Verification returns every step so that a web
//! page can show the recomputation hash by hash.

use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

use crate::error::LedgerError;
use crate::hash::{Hash, leaf_hash};
use crate::log::Log;
use crate::serde_hex;
use crate::sth::SignedTreeHead;
use crate::store::NodeStore;
use crate::verify::{Step, inclusion_steps};

/// Proof that one leaf is in the tree a signed tree head commits to.
///
/// JSON: `{"leaf_index": 5, "leaf_hash": "<hex>", "signed_tree_head": {…},
/// "inclusion_proof": ["<hex>", …]}` (see [`SignedTreeHead`] for the head).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// Zero-based position of the leaf in the log.
    pub leaf_index: u64,
    /// `SHA-256(0x00 || entry)`.
    #[serde(with = "serde_hex")]
    pub leaf_hash: Hash,
    /// The tree head the proof leads to.
    pub signed_tree_head: SignedTreeHead,
    /// RFC 9162 §2.1.3 inclusion proof, leaf to root.
    #[serde(with = "serde_hex::list")]
    pub inclusion_proof: Vec<Hash>,
}

/// What the verifier holds of the entry: the entry itself or only its leaf hash.
#[derive(Debug, Clone, Copy)]
pub enum Leaf<'a> {
    /// The entry's bytes, hashed here as an RFC 9162 leaf.
    Data(&'a [u8]),
    /// The leaf hash, already computed.
    Hash(Hash),
}

/// The recomputation of a receipt's root, step by step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    /// The leaf hash the walk starts from (computed from the entry if given).
    #[serde(with = "serde_hex")]
    pub leaf_hash: Hash,
    /// One step per proof hash, leaf to root.
    pub steps: Vec<Step>,
    /// The root the steps arrive at.
    #[serde(with = "serde_hex")]
    pub computed_root: Hash,
    /// The root in the signed tree head.
    #[serde(with = "serde_hex")]
    pub signed_root: Hash,
}

impl Trace {
    /// Whether the walk arrived at the signed root.
    pub fn matches(&self) -> bool {
        self.computed_root == self.signed_root
    }
}

impl Receipt {
    /// The receipt for leaf `index` under `signed_tree_head`, which must be a
    /// head of this log. Costs one inclusion proof and one root (`O(log n)`).
    pub fn issue<S: NodeStore>(
        log: &Log<S>,
        index: u64,
        signed_tree_head: SignedTreeHead,
    ) -> Result<Self, LedgerError> {
        let head = signed_tree_head.tree_head;
        let inclusion_proof = log.inclusion_proof(index, head.size)?;
        if log.root_at(head.size)? != head.root_hash {
            return Err(LedgerError::InclusionProofInvalid(
                "the tree head is not this log's",
            ));
        }
        let leaf_hash = log.leaf_hash(index)?;
        Ok(Self {
            leaf_index: index,
            leaf_hash,
            signed_tree_head,
            inclusion_proof,
        })
    }

    /// Recomputes the root from `leaf` without judging the result, so that a
    /// failed verification can be shown too. Fails only when the proof does
    /// not fit the index and size (RFC 9162 §2.1.3.2 steps 1 and 5).
    pub fn trace(&self, leaf: Leaf<'_>) -> Result<Trace, LedgerError> {
        let start = match leaf {
            Leaf::Data(data) => leaf_hash(data),
            Leaf::Hash(hash) => hash,
        };
        let head = &self.signed_tree_head.tree_head;
        if self.leaf_index >= head.size {
            return Err(LedgerError::ReceiptMismatch {
                index: self.leaf_index,
                head_size: head.size,
            });
        }
        let steps = inclusion_steps(self.leaf_index, head.size, &start, &self.inclusion_proof)?;
        let computed_root = steps.last().map_or(start, |s| s.result);
        Ok(Trace {
            leaf_hash: start,
            steps,
            computed_root,
            signed_root: head.root_hash,
        })
    }

    /// Verifies the receipt for `leaf`: the entry hashes to the receipt's leaf
    /// hash, `key` signed the tree head, and the proof leads from the leaf to
    /// the signed root. Returns the steps on success.
    pub fn verify(&self, leaf: Leaf<'_>, key: &VerifyingKey) -> Result<Trace, LedgerError> {
        let trace = self.trace(leaf)?;
        if trace.leaf_hash != self.leaf_hash {
            return Err(LedgerError::LeafMismatch {
                expected: hex::encode(self.leaf_hash),
                computed: hex::encode(trace.leaf_hash),
            });
        }
        self.signed_tree_head.verify(key)?;
        if !trace.matches() {
            return Err(LedgerError::InclusionProofInvalid(
                "recomputed root differs from the signed root",
            ));
        }
        Ok(trace)
    }
}
