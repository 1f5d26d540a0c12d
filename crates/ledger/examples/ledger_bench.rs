//! Ledger benchmark (not a test): append throughput, proof generation time and
//! size at 10^3..10^7 leaves, and whole-log verification time.
//!
//! Run: `cargo run -p yici-ledger --release --example ledger_bench`
//! (about 1.3 GB of memory for the 10^7-leaf tree).

use std::time::{Duration, Instant};

use yici_ledger::{CompactRange, Log, MemoryStore, leaf_hash};

const PROOFS_PER_SIZE: usize = 10_000;

/// xorshift64*: deterministic picks without a dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

fn event(i: u64) -> Vec<u8> {
    format!(r#"{{"case":"330100-{i:012}","event":"accepted","at":1700000000000}}"#).into_bytes()
}

fn stats(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort_unstable();
    let mean = times.iter().sum::<Duration>().as_secs_f64() / times.len() as f64;
    let p99 = times[times.len() * 99 / 100].as_secs_f64();
    (mean * 1e6, p99 * 1e6)
}

fn main() -> Result<(), yici_ledger::LedgerError> {
    // 1. Bare append throughput: 10^6 entries into a MemoryStore.
    let n = 1_000_000u64;
    let events: Vec<Vec<u8>> = (0..n).map(event).collect();
    let mut log = Log::open(MemoryStore::new())?;
    let t = Instant::now();
    for e in &events {
        log.append(e)?;
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "append (hash + store) of {n} entries: {secs:.3} s = {:.0} leaves/s",
        n as f64 / secs
    );

    // 2. Whole-log verification: recompute the root from every entry.
    let t = Instant::now();
    let mut range = CompactRange::new();
    for e in &events {
        range.append(leaf_hash(e));
    }
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(range.root(), log.root());
    println!(
        "whole-log verification (rehash {n} entries, recompute root): {secs:.3} s per million leaves"
    );
    drop(events);

    // 3. Proofs at 10^3 .. 10^7 leaves, one log grown in place.
    let mut log = Log::open(MemoryStore::with_capacity(10_000_000))?;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    println!(
        "\n{:>10} | {:>26} | {:>26} | {:>9}",
        "leaves", "inclusion mean / p99 (us)", "consistency mean / p99 (us)", "log2 ceil"
    );
    println!(
        "{:>10} | {:>26} | {:>27} | {:>9}",
        "", "hashes mean / max", "hashes mean / max", ""
    );
    let t_build = Instant::now();
    for size in [1_000u64, 10_000, 100_000, 1_000_000, 10_000_000] {
        while log.size() < size {
            log.append_leaf_hash(leaf_hash(&log.size().to_le_bytes()))?;
        }
        let (mut inc_t, mut inc_len) = (Vec::new(), Vec::new());
        let (mut con_t, mut con_len) = (Vec::new(), Vec::new());
        for _ in 0..PROOFS_PER_SIZE {
            let index = rng.below(size);
            let t = Instant::now();
            let proof = log.inclusion_proof(index, size)?;
            inc_t.push(t.elapsed());
            inc_len.push(proof.len());
            let old = 1 + rng.below(size - 1);
            let t = Instant::now();
            let proof = log.consistency_proof(old, size)?;
            con_t.push(t.elapsed());
            con_len.push(proof.len());
        }
        let (im, ip) = stats(inc_t);
        let (cm, cp) = stats(con_t);
        let mean = |v: &[usize]| v.iter().sum::<usize>() as f64 / v.len() as f64;
        let max = |v: &[usize]| v.iter().copied().max().unwrap_or(0);
        println!(
            "{size:>10} | {im:>11.2} / {ip:>11.2}  | {cm:>12.2} / {cp:>11.2}  | {:>9}",
            64 - (size - 1).leading_zeros()
        );
        println!(
            "{:>10} | {:>11.2} / {:>11}  | {:>12.2} / {:>11}  |",
            "",
            mean(&inc_len),
            max(&inc_len),
            mean(&con_len),
            max(&con_len)
        );
    }
    println!(
        "\n(building the 10^7-leaf tree from leaf hashes took {:.2} s)",
        t_build.elapsed().as_secs_f64()
    );
    Ok(())
}
