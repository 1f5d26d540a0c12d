//! How a benchmark binary starts and ends: its options are parsed by `clap`
//! (bad options exit with 2 and the usage, `--help` describes each option),
//! a failed run exits with 1 (a missed target is not a failure), with its
//! message on stderr.

use std::error::Error;
use std::process::ExitCode;

/// Parses the command line into `O`, runs `run` with it and turns the
/// outcome into the exit status.
pub fn exit<O: clap::Parser>(run: impl FnOnce(&O) -> Result<(), Box<dyn Error>>) -> ExitCode {
    let options = O::parse();
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
