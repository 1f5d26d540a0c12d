//! What JWS (RFC 7515) and JWK (RFC 7517) share: the one algorithm yici
//! signs with and the base64url encoding of every JOSE member.
//!
//! Both `jws` (which verifies against a JWK Set) and `jwk` (which publishes
//! keys with this `alg` and base64url `x`) use these, so they live here
//! rather than in either.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::error::CertificateError;

/// The JWS `alg` of every yici signature (RFC 8037 §3.1).
pub const ALG: &str = "EdDSA";

/// base64url without padding (RFC 7515 §2).
pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url without padding, naming `what` on failure.
pub fn b64_decode(s: &str, what: &'static str) -> Result<Vec<u8>, CertificateError> {
    URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|e| CertificateError::malformed(what, format!("not base64url: {e}")))
}

#[cfg(test)]
mod tests {
    /// `jws` verifies against a JWK Set, so `jwk` must not import `jws`
    /// back: what both need is here.
    #[test]
    fn jwk_takes_alg_and_base64url_from_here_not_from_jws() {
        let jwk = include_str!("jwk.rs");
        assert!(!jwk.contains("jws::"), "jwk.rs imports jws.rs");
        assert!(jwk.contains("use super::jose::{ALG, b64, b64_decode};"));
    }
}
