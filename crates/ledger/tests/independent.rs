//! Independent check (issue 4, §3): our roots and proofs for trees of many
//! sizes are written to a JSON file and checked by
//! `tests/independent/verify_proofs.py` with pymerkle, an RFC 6962 / 9162
//! implementation we did not write.
//!
//! Needs `python3` with `pymerkle==7.0.0`; `scripts/test` installs it. The
//! test fails (never skips) without them, so a green run always means the
//! independent check ran.

mod reference;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use reference::{entries, log_of};
use serde_json::json;

/// Tree sizes checked: every size to 64, a sample to 1000, and a few larger
/// ones around powers of two.
fn sizes() -> Vec<u64> {
    let mut sizes: Vec<u64> = (1..=64).collect();
    sizes.extend((65..=1000).step_by(7));
    sizes.extend([1000, 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 4097]);
    sizes.dedup();
    sizes
}

/// A few deterministic picks in `[lo, hi)`: the ends, the middle and
/// pseudo-random ones.
fn picks(lo: u64, hi: u64, seed: u64) -> Vec<u64> {
    let mut out = vec![lo, hi - 1, lo + (hi - lo) / 2];
    let mut x = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    for _ in 0..3 {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        out.push(lo + (x >> 33) % (hi - lo));
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn cases_file() -> serde_json::Value {
    let sizes = sizes();
    let max = sizes.iter().copied().max().unwrap_or(1);
    let all = entries(max);
    let log = log_of(&all);
    let mut roots = BTreeMap::new();
    let mut inclusion = Vec::new();
    let mut consistency = Vec::new();
    for &size in &sizes {
        roots.insert(
            size.to_string(),
            hex::encode(log.root_at(size).expect("size exists")),
        );
        for index in picks(0, size, size) {
            let proof = log.inclusion_proof(index, size).expect("in range");
            inclusion.push(json!({
                "index": index,
                "size": size,
                "leaf_hash": hex::encode(log.leaf_hash(index).expect("leaf exists")),
                "proof": proof.iter().map(hex::encode).collect::<Vec<_>>(),
            }));
        }
        let mut olds = picks(1, size + 1, size ^ 0x5eed);
        olds.push(size.next_power_of_two() / 2);
        olds.retain(|&old| old >= 1);
        olds.sort_unstable();
        olds.dedup();
        for old in olds {
            roots
                .entry(old.to_string())
                .or_insert_with(|| hex::encode(log.root_at(old).expect("size")));
            let proof = log.consistency_proof(old, size).expect("in range");
            consistency.push(json!({
                "old": old,
                "new": size,
                "proof": proof.iter().map(hex::encode).collect::<Vec<_>>(),
            }));
        }
    }
    json!({
        "entries": all.iter().map(hex::encode).collect::<Vec<_>>(),
        "leaf_hashes": (0..max).map(|i| hex::encode(log.leaf_hash(i).expect("leaf"))).collect::<Vec<_>>(),
        "roots": roots,
        "inclusion": inclusion,
        "consistency": consistency,
    })
}

#[test]
fn roots_and_proofs_are_accepted_by_an_independent_rfc6962_implementation() {
    let file = std::env::temp_dir().join(format!(
        "yici-ledger-independent-{}.json",
        std::process::id()
    ));
    let text = serde_json::to_string(&cases_file()).expect("serializes");
    std::fs::write(&file, text).expect("temp file is writable");
    let script: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "independent",
        "verify_proofs.py",
    ]
    .iter()
    .collect();

    let output = Command::new("python3").arg(&script).arg(&file).output();
    let _ = std::fs::remove_file(&file);
    let output = output.unwrap_or_else(|e| {
        panic!(
            "cannot run python3 ({e}); run scripts/test, which installs python3 and pymerkle==7.0.0"
        )
    });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() == Some(3) {
        panic!(
            "{stderr}the independent check needs pymerkle: run scripts/test (pip install pymerkle==7.0.0)"
        );
    }
    assert!(
        output.status.success(),
        "independent check failed:\n{stdout}{stderr}"
    );

    // "checked N inclusion proofs, M consistency proofs, R roots"
    let counts: Vec<u64> = stdout
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(
        counts.len() == 3 && counts.iter().all(|&n| n > 0),
        "the independent check reported no proofs: {stdout}"
    );
    println!("{}", stdout.trim());
}
