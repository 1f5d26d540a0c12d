//! Benchmarks of yici (not tests): a synthetic city-scale catalog, complete
//! cases driven through the real server (`yici-case-load`), and the
//! measuring pieces the `yici-bench` binary puts together. `bench/run`
//! builds and runs it; `bench/RESULTS.md` records a run.

pub mod case_load;
pub mod client;
pub mod command;
pub mod data_reads;
pub mod hall;
pub mod http_load;
pub mod latency;
pub mod loopback;
pub mod report;
pub mod rows;
pub mod scans;
pub mod server_proc;
pub mod synthetic;
pub mod timer;
pub mod two_way;
