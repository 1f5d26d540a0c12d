//! The ledger's errors.

use std::error::Error as StdError;

/// A failure of the storage behind a [`NodeStore`](crate::NodeStore),
/// carried through the ledger unchanged.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct StoreError(Box<dyn StdError + Send + Sync>);

impl StoreError {
    /// Wraps a storage backend's own error.
    pub fn new(source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        Self(source.into())
    }
}

/// Why a ledger operation or a verification failed.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// A leaf index at or past the tree size.
    #[error("leaf index {index} is not in a tree of {size} leaves")]
    IndexOutOfRange {
        /// The requested leaf index.
        index: u64,
        /// The tree size it was checked against.
        size: u64,
    },
    /// A tree size larger than the log.
    #[error("tree size {requested} is larger than the log ({size} leaves)")]
    SizeOutOfRange {
        /// The requested tree size.
        requested: u64,
        /// The current size of the log.
        size: u64,
    },
    /// A consistency proof asked from a larger tree to a smaller one.
    #[error("old tree size {old} is larger than new tree size {new}")]
    SizesReversed {
        /// The older tree size.
        old: u64,
        /// The newer tree size.
        new: u64,
    },
    /// The store lacks a node the log wrote earlier: the store is damaged.
    #[error("node at level {level}, index {index} is missing from the store")]
    MissingNode {
        /// Level of the node (0 = leaves).
        level: u8,
        /// Index of the node within its level.
        index: u64,
    },
    /// The store refused a write at a position the log did not expect.
    #[error("node at level {level}, index {index} cannot be written: {reason}")]
    BadWrite {
        /// Level of the node.
        level: u8,
        /// Index of the node within its level.
        index: u64,
        /// What the store expected instead.
        reason: &'static str,
    },
    /// The storage backend failed.
    #[error("ledger storage failed")]
    Store(#[from] StoreError),
    /// An inclusion proof does not prove the leaf in the tree (RFC 9162 §2.1.3.2).
    #[error("inclusion proof is invalid: {0}")]
    InclusionProofInvalid(&'static str),
    /// A consistency proof does not link the two trees (RFC 9162 §2.1.4.2).
    #[error("consistency proof is invalid: {0}")]
    ConsistencyProofInvalid(&'static str),
    /// A signed tree head names a different key than the one given.
    #[error("signed tree head names key {found}, not the verifying key {expected}")]
    KeyIdMismatch {
        /// Hex key id of the verifying key.
        expected: String,
        /// Hex key id in the signed tree head.
        found: String,
    },
    /// The Ed25519 signature over the tree head does not verify.
    #[error("tree head signature does not verify")]
    BadSignature,
    /// The entry shown does not hash to the receipt's leaf hash.
    #[error("the entry's leaf hash {computed} differs from the receipt's {expected}")]
    LeafMismatch {
        /// Hex leaf hash in the receipt.
        expected: String,
        /// Hex leaf hash of the entry given.
        computed: String,
    },
    /// A tree head whose root is not this log's root at that size.
    #[error("the tree head of size {size} does not match this log's root at that size")]
    ForeignTreeHead {
        /// The tree head's size.
        size: u64,
    },
    /// A receipt's proof is for another tree than its signed tree head.
    #[error("receipt's tree head has {head_size} leaves, its proof is for leaf {index}")]
    ReceiptMismatch {
        /// The leaf index in the receipt.
        index: u64,
        /// The tree size in the receipt's signed tree head.
        head_size: u64,
    },
}
