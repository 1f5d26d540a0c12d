//! Writes the synthetic benchmark catalog into a directory, for a look at
//! it or for `yici catalog check DIR`.
//!
//! Usage: `yici-synthetic-catalog DIR [MATTERS [ONE_THINGS]]`

use std::path::PathBuf;
use std::process::ExitCode;

use yici_bench::synthetic::{self, Shape};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        eprintln!("usage: yici-synthetic-catalog DIR [MATTERS [ONE_THINGS]]");
        return ExitCode::from(2);
    };
    let mut shape = Shape::default();
    let number =
        |i: usize, default: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default);
    shape.matters = number(1, shape.matters);
    shape.one_things = number(2, shape.one_things);
    match synthetic::write(&dir, &shape) {
        Ok(w) => {
            println!(
                "wrote {} matters, {} one-things in {} files ({:.1} MB) to {}",
                w.matters,
                w.one_things,
                w.files,
                w.bytes as f64 / 1e6,
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}
