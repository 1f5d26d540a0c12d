//! The materials a case needs, as files (申请材料): what a file is, judged
//! by its content and never by its name ([`kind`]); what is refused and why
//! ([`refusal`]); the limits a deployment sets ([`limits`]); the check of a
//! file as it streams past ([`scan`]) and, for the containers a stream scan
//! cannot see into, of the whole file ([`pdf`], [`ofd`]); and the sealed
//! form a file is kept in, encrypted at rest ([`envelope`]).
//!
//! Pure and synchronous: no database, no network, no clock. Reading the
//! upload and keeping the file is the application layer's (`yici-service`).

pub mod archive;
pub mod envelope;
pub mod kind;
pub mod limits;
pub mod ofd;
pub mod pdf;
pub mod refusal;
pub mod scan;

pub use kind::{FileKind, claimed_kind};
pub use limits::Limits;
pub use refusal::Refusal;
pub use scan::{Scan, Scanned};
