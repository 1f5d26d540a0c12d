//! Summaries of timed samples, and how the benchmark prints them.

use std::fmt;
use std::time::{Duration, Instant};

/// Order statistics of a set of durations.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    /// Samples.
    pub count: usize,
    /// 50th percentile.
    pub median: Duration,
    /// 99th percentile (nearest rank).
    pub p99: Duration,
    /// Largest sample.
    pub max: Duration,
    /// Sum of the samples.
    pub total: Duration,
}

impl Summary {
    /// Summarizes `samples` (sorted in place). `None` when empty.
    pub fn of(samples: &mut [Duration]) -> Option<Self> {
        if samples.is_empty() {
            return None;
        }
        samples.sort_unstable();
        let rank = |q: f64| {
            let r = (q * samples.len() as f64).ceil() as usize;
            samples[r.clamp(1, samples.len()) - 1]
        };
        Some(Summary {
            count: samples.len(),
            median: rank(0.50),
            p99: rank(0.99),
            max: samples[samples.len() - 1],
            total: samples.iter().sum(),
        })
    }

    /// Mean.
    pub fn mean(&self) -> Duration {
        self.total / self.count as u32
    }
}

/// Times `runs` calls of `f`, one sample per call.
pub fn sample<T>(runs: usize, mut f: impl FnMut(usize) -> T) -> Vec<Duration> {
    (0..runs)
        .map(|i| {
            let start = Instant::now();
            std::hint::black_box(f(i));
            start.elapsed()
        })
        .collect()
}

/// A duration printed with a unit that suits it (µs, ms or s).
#[derive(Debug, Clone, Copy)]
pub struct Human(pub Duration);

impl fmt::Display for Human {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let us = self.0.as_secs_f64() * 1e6;
        let text = if us < 1_000.0 {
            format!("{us:.1} µs")
        } else if us < 1_000_000.0 {
            format!("{:.1} ms", us / 1e3)
        } else {
            format!("{:.2} s", us / 1e6)
        };
        f.pad(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_nearest_rank() {
        let mut v: Vec<Duration> = (1..=100).rev().map(Duration::from_micros).collect();
        let s = Summary::of(&mut v).expect("samples");
        assert_eq!(s.median, Duration::from_micros(50));
        assert_eq!(s.p99, Duration::from_micros(99));
        assert_eq!(s.max, Duration::from_micros(100));
    }
}
