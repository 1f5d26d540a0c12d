//! Compact JWS (RFC 7515 §7.1) with EdDSA over Ed25519 (RFC 8037 §3.1), the
//! only algorithm yici signs or accepts.
//!
//! Why not a JOSE crate: `jsonwebtoken` and `josekit` carry RSA and ECDSA
//! stacks and their own key types, and neither knows SD-JWT; the part we need
//! is a header, a payload and one Ed25519 signature, which `ed25519-dalek`
//! (already in the workspace for the ledger) does. Accepting exactly one
//! algorithm also closes the `alg: none` and algorithm-confusion attacks of
//! RFC 8725 §2.1 by construction.

use ed25519_dalek::{Signature, Signer, SigningKey};
use serde_json::{Map, Value};

use super::error::CertificateError;
use super::jose::{ALG, b64, b64_decode};
use super::jwk::Jwks;

/// Upper bound on one compact JWS, to refuse absurd input before decoding.
/// A certificate with a few dozen claims is a few kilobytes.
const MAX_JWS_LEN: usize = 256 * 1024;

/// Signs `payload` with `header` (to which `alg` and `kid` are added) and
/// returns the compact serialization `header.payload.signature`.
pub fn sign(
    mut header: Map<String, Value>,
    payload: &Value,
    key: &SigningKey,
    kid: &str,
) -> String {
    header.insert("alg".into(), ALG.into());
    header.insert("kid".into(), kid.into());
    let signing_input = format!(
        "{}.{}",
        b64(Value::Object(header).to_string()),
        b64(payload.to_string())
    );
    let signature = key.sign(signing_input.as_bytes());
    format!("{signing_input}.{}", b64(signature.to_bytes()))
}

/// A compact JWS whose signature has been checked against a published key.
#[derive(Debug, Clone)]
pub struct VerifiedJws {
    /// The payload, a JSON object.
    pub payload: Map<String, Value>,
    /// The `kid` of the key that signed it.
    pub kid: String,
}

/// A compact JWS split and decoded but not yet verified.
#[derive(Debug, Clone)]
pub struct UnverifiedJws<'a> {
    signing_input: &'a str,
    signature: Vec<u8>,
    header: Map<String, Value>,
    payload: Map<String, Value>,
}

impl<'a> UnverifiedJws<'a> {
    /// Splits `jws` into its three parts and decodes the header and payload
    /// as JSON objects. Checks nothing cryptographic.
    pub fn parse(jws: &'a str) -> Result<Self, CertificateError> {
        if jws.len() > MAX_JWS_LEN {
            return Err(CertificateError::malformed(
                "jwt",
                format!("{} bytes, at most {MAX_JWS_LEN} accepted", jws.len()),
            ));
        }
        let (signing_input, signature) = jws
            .rsplit_once('.')
            .ok_or_else(|| CertificateError::malformed("jwt", "not three dot-separated parts"))?;
        let (header, payload) = signing_input
            .split_once('.')
            .filter(|(_, p)| !p.contains('.'))
            .ok_or_else(|| CertificateError::malformed("jwt", "not three dot-separated parts"))?;
        Ok(Self {
            signing_input,
            signature: b64_decode(signature, "signature")?,
            header: json_object(&b64_decode(header, "header")?, "header")?,
            payload: json_object(&b64_decode(payload, "payload")?, "payload")?,
        })
    }

    /// The claims, before the signature is checked: only for finding which
    /// issuer's keys to use.
    pub fn unverified_payload(&self) -> &Map<String, Value> {
        &self.payload
    }

    /// The `kid` header, before the signature is checked: only for knowing
    /// whether a cached key set has the key, or must be reloaded.
    pub fn unverified_kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// Checks `typ` and `alg`, finds the key named by `kid` in `jwks` and
    /// verifies the signature with it.
    pub fn verify(
        self,
        jwks: &Jwks,
        typ: &[&'static str],
    ) -> Result<VerifiedJws, CertificateError> {
        let found_typ = self.header.get("typ").and_then(Value::as_str).unwrap_or("");
        if !typ.contains(&found_typ) {
            return Err(CertificateError::WrongType {
                expected: typ.first().copied().unwrap_or(""),
                found: found_typ.to_owned(),
            });
        }
        let alg = self.header.get("alg").and_then(Value::as_str).unwrap_or("");
        if alg != ALG {
            return Err(CertificateError::UnsupportedAlgorithm {
                alg: alg.to_owned(),
            });
        }
        // RFC 7515 §4.1.11: a critical extension we do not understand must be refused.
        if self.header.contains_key("crit") {
            return Err(CertificateError::malformed(
                "header",
                "crit is not supported",
            ));
        }
        let kid = self
            .header
            .get("kid")
            .and_then(Value::as_str)
            .ok_or_else(|| CertificateError::malformed("header", "kid is missing"))?
            .to_owned();
        let key = jwks
            .find(&kid)
            .ok_or_else(|| CertificateError::UnknownKey { kid: kid.clone() })?;
        let signature =
            Signature::from_slice(&self.signature).map_err(|_| CertificateError::BadSignature)?;
        // verify_strict refuses small-order keys and non-canonical signatures.
        key.verify_strict(self.signing_input.as_bytes(), &signature)
            .map_err(|_| CertificateError::BadSignature)?;
        Ok(VerifiedJws {
            payload: self.payload,
            kid,
        })
    }
}

fn json_object(bytes: &[u8], what: &'static str) -> Result<Map<String, Value>, CertificateError> {
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(CertificateError::malformed(what, "not a JSON object")),
        Err(e) => Err(CertificateError::malformed(what, format!("not JSON: {e}"))),
    }
}
