//! Departments' sealing keys (`keys.rs`) and the certificates they issued:
//! issued within a case's transition (`issue.rs`), stored and read
//! (`stored.rs`), and their status lists (`status.rs`).
//!
//! This file only declares the modules and hands on their public names;
//! none of them uses it.

mod issue;
mod keys;
mod status;
mod stored;

pub(crate) use issue::insert;
pub use issue::{LIBRARY_WRITER, NewCertificate};
pub use keys::SealKey;
pub use stored::CertificateRow;
