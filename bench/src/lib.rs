//! Benchmarks of yici (not tests): a synthetic city-scale catalog, and the
//! measuring pieces the `yici-bench` binary puts together. `bench/run`
//! builds and runs it; `bench/RESULTS.md` records a run.

pub mod http_load;
pub mod latency;
pub mod loopback;
pub mod report;
pub mod synthetic;
