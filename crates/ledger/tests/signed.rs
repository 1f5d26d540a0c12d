//! Signed tree heads and receipts.

mod reference;

use reference::{CT_ROOTS, ct_entries, ct_log, h};
use yici_ledger::{Leaf, LedgerError, LogSigner, Receipt, Side, SignedTreeHead, TreeHead, key_id};

const SEED: [u8; 32] = [42; 32];

fn signer() -> LogSigner {
    LogSigner::from_seed(&SEED)
}

fn receipt(index: u64, size: u64) -> Receipt {
    let log = ct_log();
    let head = TreeHead {
        size,
        root_hash: log.root_at(size).expect("size"),
        timestamp_ms: 1_700_000_000_000,
    };
    Receipt::issue(&log, index, signer().sign(head)).expect("receipt")
}

#[test]
fn tree_head_signed_bytes_follow_rfc6962_tree_head_signature() {
    let head = TreeHead {
        size: 8,
        root_hash: h(CT_ROOTS[8]),
        timestamp_ms: 0x0102_0304_0506_0708,
    };
    let bytes = head.signed_bytes();
    assert_eq!(bytes[..2], [0, 1], "version v1, signature_type tree_hash");
    assert_eq!(
        bytes[2..10],
        [1, 2, 3, 4, 5, 6, 7, 8],
        "timestamp, big-endian"
    );
    assert_eq!(
        bytes[10..18],
        [0, 0, 0, 0, 0, 0, 0, 8],
        "tree_size, big-endian"
    );
    assert_eq!(bytes[18..], h(CT_ROOTS[8]));
}

#[test]
fn signed_tree_head_verifies_with_the_signers_key() {
    let sth = signer().sign(ct_log().tree_head(1));
    assert_eq!(sth.key_id, key_id(&signer().verifying_key()));
    sth.verify(&signer().verifying_key())
        .expect("valid signature");
}

#[test]
fn signed_tree_head_with_any_field_changed_fails() {
    let key = signer().verifying_key();
    let sth = signer().sign(ct_log().tree_head(1));
    let mut changed = [sth.clone(), sth.clone(), sth.clone(), sth.clone()];
    changed[0].tree_head.size -= 1;
    changed[1].tree_head.root_hash[0] ^= 1;
    changed[2].tree_head.timestamp_ms += 1;
    changed[3].signature[10] ^= 1;
    for c in &changed {
        assert!(matches!(c.verify(&key), Err(LedgerError::BadSignature)));
    }
}

#[test]
fn signed_tree_head_from_another_key_fails_on_key_id() {
    let sth = signer().sign(ct_log().tree_head(1));
    let other = LogSigner::from_seed(&[7; 32]).verifying_key();
    assert!(matches!(
        sth.verify(&other),
        Err(LedgerError::KeyIdMismatch { .. })
    ));
}

#[test]
fn signed_tree_head_json_uses_hex_fields_and_round_trips() {
    let sth = signer().sign(ct_log().tree_head(1_700_000_000_000));
    let json = serde_json::to_value(&sth).expect("serializes");
    assert_eq!(json["tree_size"], 8);
    assert_eq!(json["timestamp_ms"], 1_700_000_000_000u64);
    assert_eq!(json["root_hash"], CT_ROOTS[8]);
    assert_eq!(json["key_id"].as_str().map(str::len), Some(64));
    assert_eq!(json["signature"].as_str().map(str::len), Some(128));
    let back: SignedTreeHead = serde_json::from_value(json).expect("deserializes");
    assert_eq!(back, sth);
    back.verify(&signer().verifying_key()).expect("still valid");
}

#[test]
fn signed_tree_head_json_with_short_hash_is_rejected() {
    let text =
        r#"{"tree_size":1,"root_hash":"abcd","timestamp_ms":0,"key_id":"00","signature":"00"}"#;
    assert!(serde_json::from_str::<SignedTreeHead>(text).is_err());
}

#[test]
fn signer_seed_round_trips() {
    let again = LogSigner::from_seed(&signer().seed());
    assert_eq!(again.verifying_key(), signer().verifying_key());
}

#[test]
fn receipt_verifies_for_every_leaf_with_one_step_per_proof_hash() {
    let entries = ct_entries();
    for size in 1..=8u64 {
        for index in 0..size {
            let r = receipt(index, size);
            let trace = r
                .verify(
                    Leaf::Data(&entries[index as usize]),
                    &signer().verifying_key(),
                )
                .unwrap_or_else(|e| panic!("leaf {index} of {size}: {e}"));
            assert_eq!(trace.steps.len(), r.inclusion_proof.len());
            assert_eq!(trace.computed_root, h(CT_ROOTS[size as usize]));
            let siblings: Vec<_> = trace.steps.iter().map(|s| s.sibling).collect();
            assert_eq!(siblings, r.inclusion_proof);
        }
    }
}

#[test]
fn receipt_trace_shows_sides_of_leaf_five_of_eight() {
    // Leaf 5 (binary 101) in a tree of 8: sibling 4 on the left, then the
    // pair 6-7 on the right, then the subtree 0-3 on the left.
    let trace = receipt(5, 8)
        .trace(Leaf::Data(&ct_entries()[5]))
        .expect("fits");
    let sides: Vec<Side> = trace.steps.iter().map(|s| s.side).collect();
    assert_eq!(sides, [Side::Left, Side::Right, Side::Left]);
    assert!(trace.matches());
}

#[test]
fn receipt_verifies_from_the_leaf_hash_alone() {
    let r = receipt(3, 7);
    r.verify(Leaf::Hash(r.leaf_hash), &signer().verifying_key())
        .expect("valid");
}

#[test]
fn receipt_for_other_data_fails() {
    let r = receipt(3, 7);
    let err = r.verify(Leaf::Data(b"forged event"), &signer().verifying_key());
    assert!(matches!(err, Err(LedgerError::LeafMismatch { .. })));
}

#[test]
fn receipt_with_tampered_proof_fails_but_still_traces() {
    let mut r = receipt(3, 7);
    r.inclusion_proof[1][0] ^= 1;
    let err = r.verify(Leaf::Hash(r.leaf_hash), &signer().verifying_key());
    assert!(matches!(err, Err(LedgerError::InclusionProofInvalid(_))));
    let trace = r.trace(Leaf::Hash(r.leaf_hash)).expect("shape fits");
    assert!(!trace.matches());
}

#[test]
fn receipt_with_leaf_index_outside_its_tree_head_fails() {
    let mut r = receipt(3, 7);
    r.leaf_index = 7;
    assert!(matches!(
        r.trace(Leaf::Hash(r.leaf_hash)),
        Err(LedgerError::ReceiptMismatch { .. })
    ));
}

#[test]
fn receipt_for_a_head_of_another_log_is_not_issued() {
    let log = ct_log();
    let head = TreeHead {
        size: 8,
        root_hash: [0; 32],
        timestamp_ms: 0,
    };
    assert!(Receipt::issue(&log, 1, signer().sign(head)).is_err());
}

#[test]
fn receipt_json_round_trips() {
    let r = receipt(5, 8);
    let text = serde_json::to_string(&r).expect("serializes");
    let back: Receipt = serde_json::from_str(&text).expect("deserializes");
    assert_eq!(back, r);
}
