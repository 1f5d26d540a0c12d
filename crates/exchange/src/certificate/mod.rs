//! E-certificates (电子证照): results of a matter issued as SD-JWT VCs,
//! signed with the issuing department's e-seal, revocable through a token
//! status list, presented with only the claims the holder chooses.
//!
//! Standards implemented:
//!
//! - SD-JWT, RFC 9901 (November 2025): disclosures, `_sd` digests with
//!   `sha-256`, the `~` serialization. No key binding (no `cnf` is issued).
//! - SD-JWT VC, draft-ietf-oauth-sd-jwt-vc: `typ` `dc+sd-jwt`, `vct`,
//!   `iss`, `sub`, `iat`, `exp`, `status` in the clear; JWT VC Issuer
//!   Metadata at `/.well-known/jwt-vc-issuer`.
//! - Token Status List, draft-ietf-oauth-status-list: 2-bit entries
//!   (valid, invalid, suspended), ZLIB-compressed, `statuslist+jwt` tokens.
//! - JWS with EdDSA / Ed25519 (RFC 7515, RFC 8037), JWK Sets (RFC 7517)
//!   and `kid` = RFC 7638 thumbprint.
//!
//! Why our own SD-JWT code rather than a crate: `sd-jwt-payload` signs
//! through an async trait and `sd-jwt-rs` through `jsonwebtoken`'s key
//! types, neither does key rotation by `kid`, SD-JWT VC checks or status
//! lists, and the encoding is small (a salted JSON array, a SHA-256, a
//! `~`-joined string); owning it keeps this module synchronous and pure.
//! Interoperability is proved by `tests/independent.rs`, which verifies our
//! output with the @sd-jwt npm packages.
//!
//! The flow: [`Issuer::issue`] → [`SdJwt`] (held by the applicant) →
//! [`present`] → [`Presentation`] (shown, or printed with [`qr_svg`]) →
//! [`verify`] → [`Verified`]. A department revokes or suspends with
//! [`StatusList::set`] and republishes [`StatusList::to_jwt`].
//!
//! Nothing here does I/O or reads a clock: times are passed in, random
//! salts come from the caller's RNG, status list tokens from a
//! [`StatusLookup`].

mod disclosure;
mod error;
mod issue;
mod jose;
mod jwk;
mod jws;
mod keys;
mod present;
mod status_list;
mod verify;

pub use disclosure::{Disclosure, SD_ALG};
pub use error::CertificateError;
pub use issue::{CertificateContent, Holder, Issuer, LEGACY_TYP, SdJwt, StatusRef, TYP};
pub use jwk::{Jwk, Jwks, thumbprint};
pub use keys::{IssuerMetadata, KeyRing, TrustedIssuers, well_known_url};
pub use present::{Presentation, present, qr_modules, qr_payload, qr_svg};
pub use status_list::{BITS, MAX_ENTRIES, STATUS_LIST_TYP, Status, StatusList, StatusListToken};
pub use verify::{Claimed, StatusLookup, Verified, claimed, verify, verify_by_issuer};
