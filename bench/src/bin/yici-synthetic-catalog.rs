//! Writes the synthetic benchmark catalog into a directory, for a look at
//! it or for `yici catalog check DIR`.
//!
//! Usage: `yici-synthetic-catalog DIR [MATTERS [ONE_THINGS]]`

use std::path::PathBuf;
use std::process::ExitCode;

use yici_bench::synthetic::{self, Shape};

/// Writes the synthetic benchmark catalog into a directory.
#[derive(clap::Parser)]
#[command(name = "yici-synthetic-catalog")]
struct Options {
    /// Directory to write the catalog into.
    dir: PathBuf,
    /// Matters.
    #[arg(default_value_t = Shape::default().matters)]
    matters: usize,
    /// One-things, the largest included.
    #[arg(default_value_t = Shape::default().one_things)]
    one_things: usize,
}

fn main() -> ExitCode {
    yici_bench::command::exit(run)
}

fn run(o: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let shape = Shape {
        matters: o.matters,
        one_things: o.one_things,
        ..Shape::default()
    };
    let w = synthetic::write(&o.dir, &shape)
        .map_err(|e| format!("cannot write {}: {e}", o.dir.display()))?;
    println!(
        "wrote {} matters, {} one-things in {} files ({:.1} MB) to {}",
        w.matters,
        w.one_things,
        w.files,
        w.bytes as f64 / 1e6,
        o.dir.display()
    );
    Ok(())
}
