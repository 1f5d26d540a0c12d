//! The certificate-transparency reference vectors (CT C++/Go
//! `merkle_tree_test`, transparency-dev/merkle `proof/verify_test.go`).

mod reference;

use reference::{CT_CONSISTENCY, CT_INCLUSION, CT_ROOTS, ct_entries, ct_log, h, hs};
use yici_ledger::{EMPTY_ROOT, LedgerError, leaf_hash, verify_consistency, verify_inclusion};

#[test]
fn empty_tree_root_is_sha256_of_the_empty_string() {
    assert_eq!(EMPTY_ROOT, h(CT_ROOTS[0]));
    assert_eq!(ct_log().root_at(0).expect("size 0 exists"), h(CT_ROOTS[0]));
}

#[test]
fn roots_of_sizes_one_to_eight_match_the_reference() {
    let log = ct_log();
    for size in 1..=8u64 {
        assert_eq!(
            log.root_at(size).expect("size exists"),
            h(CT_ROOTS[size as usize]),
            "size {size}"
        );
    }
    assert_eq!(log.root(), h(CT_ROOTS[8]));
}

#[test]
fn roots_match_the_reference_while_the_log_grows() {
    let mut log = reference::log_of(&[]);
    for (i, e) in ct_entries().iter().enumerate() {
        log.append(e).expect("append");
        assert_eq!(log.root(), h(CT_ROOTS[i + 1]), "after {} appends", i + 1);
    }
}

#[test]
fn leaf_hash_prefixes_zero_byte() {
    assert_eq!(leaf_hash(b""), h(CT_ROOTS[1]));
}

#[test]
fn inclusion_proofs_match_the_reference_paths() {
    let log = ct_log();
    for (index, size, proof) in CT_INCLUSION {
        assert_eq!(
            log.inclusion_proof(index, size).expect("in range"),
            hs(proof),
            "leaf {index} of {size}"
        );
    }
}

#[test]
fn reference_inclusion_proofs_verify() {
    let entries = ct_entries();
    for (index, size, proof) in CT_INCLUSION {
        let leaf = leaf_hash(&entries[index as usize]);
        verify_inclusion(index, size, &leaf, &hs(proof), &h(CT_ROOTS[size as usize]))
            .unwrap_or_else(|e| panic!("leaf {index} of {size}: {e}"));
    }
}

#[test]
fn inclusion_in_the_empty_tree_is_refused() {
    let err = verify_inclusion(0, 0, &EMPTY_ROOT, &[], &EMPTY_ROOT);
    assert!(matches!(
        err,
        Err(LedgerError::IndexOutOfRange { index: 0, size: 0 })
    ));
    assert!(ct_log().inclusion_proof(0, 0).is_err());
}

#[test]
fn consistency_proofs_match_the_reference() {
    let log = ct_log();
    for (old, new, proof) in CT_CONSISTENCY {
        assert_eq!(
            log.consistency_proof(old, new).expect("in range"),
            hs(proof),
            "{old} -> {new}"
        );
    }
}

#[test]
fn reference_consistency_proofs_verify() {
    for (old, new, proof) in CT_CONSISTENCY {
        let (r1, r2) = (h(CT_ROOTS[old as usize]), h(CT_ROOTS[new as usize]));
        verify_consistency(old, new, &r1, &r2, &hs(proof))
            .unwrap_or_else(|e| panic!("{old} -> {new}: {e}"));
    }
}

#[test]
fn trivial_consistency_cases_follow_the_reference_verifier() {
    let (a, b) = (h(CT_ROOTS[1]), h(CT_ROOTS[2]));
    // Every tree extends the empty tree; a tree extends itself.
    assert!(verify_consistency(0, 0, &a, &a, &[]).is_ok());
    assert!(verify_consistency(0, 1, &a, &b, &[]).is_ok());
    assert!(verify_consistency(1, 1, &b, &b, &[]).is_ok());
    // Same size, different roots; time travel; empty proof; extra hashes.
    assert!(verify_consistency(1, 1, &a, &b, &[]).is_err());
    assert!(verify_consistency(1, 0, &a, &b, &[]).is_err());
    assert!(verify_consistency(2, 1, &a, &b, &[]).is_err());
    assert!(verify_consistency(1, 2, &a, &b, &[]).is_err());
    assert!(verify_consistency(0, 1, &EMPTY_ROOT, &EMPTY_ROOT, &[EMPTY_ROOT]).is_err());
    assert!(verify_consistency(1, 1, &EMPTY_ROOT, &EMPTY_ROOT, &[EMPTY_ROOT]).is_err());
}
