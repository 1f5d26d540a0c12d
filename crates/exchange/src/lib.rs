//! The public data exchange (公共数据平台) of yici: the rules by which data
//! travels instead of people.
//!
//! - [`prefill`]: what the exchange holds for an applicant, the plan
//!   adjusted to it, and the form values it fills in;
//! - [`consent`]: what a case's consent covers, field by field, and which
//!   fields a matter may read under it (the purpose filter);
//! - [`library`] and [`content`]: where an issued certificate is filed as
//!   exchange data, and what it says;
//! - [`certificate`]: e-certificates as SD-JWT VCs: issue, present, verify,
//!   key rotation and status lists.
//!
//! Pure and synchronous: no database, no HTTP, no clock. The application
//! layer (`yici-service`) reads the records and writes the reads.

pub mod certificate;
pub mod consent;
pub mod content;
pub mod library;
pub mod prefill;
