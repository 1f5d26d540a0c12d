//! How a benchmark binary ends: bad options exit with 2, a failed run with
//! 1 (a missed target is not a failure), each with its message on stderr.

use std::error::Error;
use std::process::ExitCode;

/// Runs `run` with the parsed `options` and turns the outcome into the
/// exit status.
pub fn exit<O>(
    options: Result<O, String>,
    run: impl FnOnce(&O) -> Result<(), Box<dyn Error>>,
) -> ExitCode {
    let options = match options {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The command line, one option at a time, with its value when it takes one.
pub struct Args {
    args: std::iter::Skip<std::env::Args>,
    option: String,
}

impl Args {
    /// The process's arguments after the program name.
    pub fn new() -> Self {
        Args {
            args: std::env::args().skip(1),
            option: String::new(),
        }
    }

    /// The next option, if any.
    pub fn next_option(&mut self) -> Option<String> {
        self.option = self.args.next()?;
        Some(self.option.clone())
    }

    /// The value of the current option.
    pub fn value(&mut self) -> Result<String, String> {
        self.args
            .next()
            .ok_or_else(|| format!("{} needs a value", self.option))
    }

    /// The value of the current option, a count.
    pub fn number(&mut self) -> Result<usize, String> {
        let v = self.value()?;
        v.parse().map_err(|e| format!("{}: {v}: {e}", self.option))
    }
}

impl Default for Args {
    fn default() -> Self {
        Self::new()
    }
}
