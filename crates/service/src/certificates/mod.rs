//! E-certificates (电子证照) as use cases: issued with a case's result
//! ([`seal`]), kept in the holder's library and presented claim by claim
//! ([`holder`]), revoked or suspended by the issuing department and
//! published in its status list ([`status`]), verified by anyone
//! ([`verification`]). The format and its rules are in
//! `yici_exchange::certificate`.

mod holder;
pub mod seal;
pub mod seals;
mod status;
pub mod verification;

pub use holder::{CertificateView, Presentation, status_name};
pub use yici_exchange::certificate::{CertificateError, IssuerMetadata, Verified};
pub use yici_store::certificates::CertificateRow;
