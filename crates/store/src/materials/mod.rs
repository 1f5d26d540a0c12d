//! The files of the materials a case needs (`files.rs`): which case and
//! material each belongs to, who gave it, who saw its original and who
//! opened it; each a side event of its case. When a closed case's documents
//! may be deleted, and their deletion (`retention.rs`). The sealed files themselves
//! are in a blob store, not here.
//!
//! This file only declares the module and hands on its public names.

mod files;
mod retention;

pub use files::{Attached, FileLimits, MaterialFile, MaterialView};
pub use retention::{ClosedCase, Retention};
