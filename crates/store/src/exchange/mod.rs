//! The exchange's storage: data-set records (`records.rs`), and consents
//! and the reads of shared data (`consents.rs`), each of them a side event
//! of its case.
//!
//! This file only declares the modules and hands on their public names;
//! none of them uses it.

mod consents;
mod records;

pub use crate::vocabulary::SideEvent;
pub use consents::{Consent, DataRead};
