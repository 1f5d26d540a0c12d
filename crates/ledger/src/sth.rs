//! Signed tree heads: the log's signed statement "my tree of `size` leaves has
//! this root", as in RFC 6962 §3.5, with Ed25519 (RFC 8032) signatures.
//!
//! # Bytes that are signed
//!
//! Exactly RFC 6962 §3.5's `TreeHeadSignature`, 50 bytes, integers big-endian:
//!
//! | bytes | field | value |
//! | --- | --- | --- |
//! | 0 | `version` | `0` (v1) |
//! | 1 | `signature_type` | `1` (`tree_hash`) |
//! | 2..10 | `timestamp` | milliseconds since the Unix epoch, `u64` |
//! | 10..18 | `tree_size` | number of leaves, `u64` |
//! | 18..50 | `sha256_root_hash` | the Merkle tree hash |
//!
//! The Ed25519 signature is over these bytes directly (pure Ed25519, no
//! pre-hash). The key id is `SHA-256(public key bytes)`, as in RFC 6962 §3.2.
//!
//! # JSON
//!
//! ```json
//! {"tree_size": 8, "root_hash": "5dc9…4328", "timestamp_ms": 1700000000000,
//!  "key_id": "…64 hex…", "signature": "…128 hex…"}
//! ```
//!
//! Every byte string is lower-case hex (hashes 64 digits, the signature 128).

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::LedgerError;
use crate::hash::Hash;
use crate::serde_hex;

/// SHA-256 of an Ed25519 public key, naming the key that signed a tree head.
pub type KeyId = [u8; 32];

/// The key id of a verifying key: `SHA-256(key bytes)`.
pub fn key_id(key: &VerifyingKey) -> KeyId {
    Sha256::digest(key.as_bytes()).into()
}

/// The state of the log at one moment: its size and root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeHead {
    /// Number of leaves.
    #[serde(rename = "tree_size")]
    pub size: u64,
    /// Merkle tree hash of those leaves (RFC 9162 §2.1.1).
    #[serde(with = "serde_hex")]
    pub root_hash: Hash,
    /// When the head was produced, in milliseconds since the Unix epoch.
    pub timestamp_ms: u64,
}

impl TreeHead {
    /// Length of [`TreeHead::signed_bytes`].
    pub const SIGNED_LEN: usize = 50;

    /// The canonical bytes that are signed (see the module docs).
    pub fn signed_bytes(&self) -> [u8; Self::SIGNED_LEN] {
        let mut out = [0u8; Self::SIGNED_LEN];
        out[0] = 0; // version: v1
        out[1] = 1; // signature_type: tree_hash
        out[2..10].copy_from_slice(&self.timestamp_ms.to_be_bytes());
        out[10..18].copy_from_slice(&self.size.to_be_bytes());
        out[18..50].copy_from_slice(&self.root_hash);
        out
    }
}

/// A tree head with the log's Ed25519 signature over its canonical bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedTreeHead {
    /// What is signed.
    #[serde(flatten)]
    pub tree_head: TreeHead,
    /// Which key signed it: SHA-256 of the public key.
    #[serde(with = "serde_hex")]
    pub key_id: KeyId,
    /// Ed25519 signature over [`TreeHead::signed_bytes`].
    #[serde(with = "serde_hex")]
    pub signature: [u8; 64],
}

impl SignedTreeHead {
    /// Checks that `key` made the signature (strict RFC 8032 verification,
    /// rejecting weak keys and malleable signatures) and that the key id names it.
    pub fn verify(&self, key: &VerifyingKey) -> Result<(), LedgerError> {
        let expected = key_id(key);
        if expected != self.key_id {
            return Err(LedgerError::KeyIdMismatch {
                expected: hex::encode(expected),
                found: hex::encode(self.key_id),
            });
        }
        let signature = Signature::from_bytes(&self.signature);
        key.verify_strict(&self.tree_head.signed_bytes(), &signature)
            .map_err(|_| LedgerError::BadSignature)
    }
}

/// The log's signing key.
pub struct LogSigner {
    key: SigningKey,
    key_id: KeyId,
}

impl std::fmt::Debug for LogSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret key.
        f.debug_struct("LogSigner")
            .field("key_id", &hex::encode(self.key_id))
            .finish()
    }
}

impl LogSigner {
    /// The signer of an RFC 8032 32-byte secret seed (e.g. read from a key file).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self::from_key(SigningKey::from_bytes(seed))
    }

    /// A new random key from a cryptographic random number generator.
    pub fn generate<R: CryptoRngCore + ?Sized>(rng: &mut R) -> Self {
        Self::from_key(SigningKey::generate(rng))
    }

    fn from_key(key: SigningKey) -> Self {
        let key_id = key_id(&key.verifying_key());
        Self { key, key_id }
    }

    /// The 32-byte seed, for storing the key.
    pub fn seed(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// The public key that verifies this signer's tree heads.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// `SHA-256` of the public key.
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// Signs a tree head.
    pub fn sign(&self, tree_head: TreeHead) -> SignedTreeHead {
        let signature = self.key.sign(&tree_head.signed_bytes()).to_bytes();
        SignedTreeHead {
            tree_head,
            key_id: self.key_id,
            signature,
        }
    }
}
