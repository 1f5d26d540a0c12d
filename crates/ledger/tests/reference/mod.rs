//! Fixtures shared by the integration tests: the certificate-transparency
//! reference vectors and a naive recursive RFC 9162 implementation that
//! follows the RFC's definitions literally (O(n) per call), against which the
//! stored-node log is compared.
#![allow(dead_code)]

use yici_ledger::{Hash, Log, MemoryStore, leaf_hash, node_hash};

/// Hex of the eight leaf entries used by the CT C++/Go `merkle_tree_test`
/// and transparency-dev/merkle `proof/verify_test.go`.
pub const CT_LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

/// Roots of the trees of the first 0..=8 reference leaves.
pub const CT_ROOTS: [&str; 9] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/// Reference inclusion proofs: (zero-based leaf index, tree size, proof).
/// (The Go vectors number leaves from one.)
pub const CT_INCLUSION: [(u64, u64, &[&str]); 5] = [
    (0, 1, &[]),
    (
        0,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        &[
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        3,
        &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    ),
    (
        1,
        5,
        &[
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
];

/// Reference consistency proofs: (old size, new size, proof).
pub const CT_CONSISTENCY: [(u64, u64, &[&str]); 5] = [
    (1, 1, &[]),
    (
        1,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        &[
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
];

/// Decodes a 64-digit hex hash; panics on bad fixtures only.
pub fn h(hex_text: &str) -> Hash {
    let mut out = [0u8; 32];
    hex::decode_to_slice(hex_text, &mut out).expect("fixture hash is 64 hex digits");
    out
}

/// Decodes a list of fixture hashes.
pub fn hs(list: &[&str]) -> Vec<Hash> {
    list.iter().map(|t| h(t)).collect()
}

/// The reference entries as bytes.
pub fn ct_entries() -> Vec<Vec<u8>> {
    CT_LEAVES
        .iter()
        .map(|t| hex::decode(t).expect("fixture leaf is hex"))
        .collect()
}

/// A memory log holding the reference entries.
pub fn ct_log() -> Log<MemoryStore> {
    log_of(&ct_entries())
}

/// A memory log holding `entries`.
pub fn log_of(entries: &[Vec<u8>]) -> Log<MemoryStore> {
    let mut log = Log::open(MemoryStore::new()).expect("empty store opens");
    for e in entries {
        log.append(e).expect("memory store accepts appends");
    }
    log
}

/// `n` distinct entries.
pub fn entries(n: u64) -> Vec<Vec<u8>> {
    (0..n).map(|i| format!("event {i}").into_bytes()).collect()
}

/// Largest power of two strictly below `n` (n >= 2).
fn k(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// MTH(D[n]) by the RFC 9162 §2.1.1 recursion.
pub fn naive_root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => yici_ledger::EMPTY_ROOT,
        1 => leaves[0],
        n => {
            let (l, r) = leaves.split_at(k(n));
            node_hash(&naive_root(l), &naive_root(r))
        }
    }
}

/// PATH(m, D[n]) by the RFC 9162 §2.1.3.1 recursion.
pub fn naive_inclusion(m: usize, leaves: &[Hash]) -> Vec<Hash> {
    let n = leaves.len();
    if n <= 1 {
        return vec![];
    }
    let k = k(n);
    let (l, r) = leaves.split_at(k);
    if m < k {
        let mut p = naive_inclusion(m, l);
        p.push(naive_root(r));
        p
    } else {
        let mut p = naive_inclusion(m - k, r);
        p.push(naive_root(l));
        p
    }
}

/// PROOF(m, D[n]) by the RFC 9162 §2.1.4.1 recursion (empty for m = 0 or n).
pub fn naive_consistency(m: usize, leaves: &[Hash]) -> Vec<Hash> {
    if m == 0 || m == leaves.len() {
        return vec![];
    }
    subproof(m, leaves, true)
}

fn subproof(m: usize, leaves: &[Hash], b: bool) -> Vec<Hash> {
    let n = leaves.len();
    if m == n {
        return if b { vec![] } else { vec![naive_root(leaves)] };
    }
    let k = k(n);
    let (l, r) = leaves.split_at(k);
    if m <= k {
        let mut p = subproof(m, l, b);
        p.push(naive_root(r));
        p
    } else {
        let mut p = subproof(m - k, r, false);
        p.push(naive_root(l));
        p
    }
}

/// Leaf hashes of `entries`.
pub fn leaf_hashes(entries: &[Vec<u8>]) -> Vec<Hash> {
    entries.iter().map(|e| leaf_hash(e)).collect()
}
