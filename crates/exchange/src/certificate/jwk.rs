//! Department public keys as JWKs (RFC 7517) of type OKP / Ed25519
//! (RFC 8037 §2), named by their RFC 7638 thumbprint, and published together
//! as a JWK Set.

use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::error::CertificateError;
use super::jose::{ALG, b64, b64_decode};

/// One published Ed25519 public key.
///
/// ```json
/// {"kty":"OKP","crv":"Ed25519","x":"11qY…","kid":"kPrK…","alg":"EdDSA","use":"sig"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    /// Key type, always `OKP`.
    pub kty: String,
    /// Curve, always `Ed25519`.
    pub crv: String,
    /// The 32-byte public key, base64url.
    pub x: String,
    /// Key id: the RFC 7638 thumbprint of the key.
    pub kid: String,
    /// Algorithm, `EdDSA`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// Public key use, `sig`.
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
}

impl Jwk {
    /// The JWK of `key`, with its thumbprint as `kid`.
    pub fn from_key(key: &VerifyingKey) -> Self {
        let x = b64(key.as_bytes());
        Self {
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            kid: thumbprint_of_x(&x),
            x,
            alg: Some(ALG.into()),
            use_: Some("sig".into()),
        }
    }

    /// The Ed25519 key, checking the members and that `kid` is the key's
    /// thumbprint (so a JWKS cannot publish one key under another's name).
    pub fn to_key(&self) -> Result<VerifyingKey, CertificateError> {
        if self.kty != "OKP" || self.crv != "Ed25519" {
            return Err(CertificateError::malformed(
                "jwk",
                format!("kty {} / crv {} is not OKP / Ed25519", self.kty, self.crv),
            ));
        }
        if self.alg.as_deref().is_some_and(|alg| alg != ALG) {
            return Err(CertificateError::malformed("jwk", "alg is not EdDSA"));
        }
        let bytes: [u8; 32] = b64_decode(&self.x, "jwk")?
            .try_into()
            .map_err(|_| CertificateError::malformed("jwk", "x is not 32 bytes"))?;
        if thumbprint_of_x(&self.x) != self.kid {
            return Err(CertificateError::malformed(
                "jwk",
                "kid is not the key's thumbprint",
            ));
        }
        VerifyingKey::from_bytes(&bytes)
            .map_err(|_| CertificateError::malformed("jwk", "x is not an Ed25519 point"))
    }
}

/// The RFC 7638 thumbprint of an Ed25519 key: base64url(SHA-256) of the
/// required members `crv`, `kty`, `x` in lexicographic order, no whitespace
/// (RFC 8037 §2 names the required members of an OKP key).
pub fn thumbprint(key: &VerifyingKey) -> String {
    thumbprint_of_x(&b64(key.as_bytes()))
}

fn thumbprint_of_x(x: &str) -> String {
    // x is base64url, so it needs no JSON escaping.
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    b64(Sha256::digest(canonical.as_bytes()))
}

/// A JWK Set (RFC 7517 §5): every key of a department, current and
/// retired, as published at its well-known URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwks {
    /// The keys.
    pub keys: Vec<Jwk>,
}

impl Jwks {
    /// Parses a JWK Set document. Keys of other types are kept but never
    /// match; a malformed Ed25519 key is found by [`Jwks::find`] as absent.
    pub fn from_json(json: &str) -> Result<Self, CertificateError> {
        serde_json::from_str(json).map_err(|e| CertificateError::malformed("jwks", e.to_string()))
    }

    /// The JWK Set document.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| r#"{"keys":[]}"#.into())
    }

    /// The Ed25519 key published under `kid`, if any and well formed.
    pub fn find(&self, kid: &str) -> Option<VerifyingKey> {
        self.keys
            .iter()
            .find(|k| k.kid == kid)
            .and_then(|k| k.to_key().ok())
    }
}
