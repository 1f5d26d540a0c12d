//! Disclosures of object properties (RFC 9901 §4.2.1) and their digests
//! (§4.2.3), hash algorithm `sha-256` (§4.1.1).

use rand_core::CryptoRngCore;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::error::CertificateError;
use super::jose::{b64, b64_decode};

/// The `_sd_alg` of every yici certificate.
pub const SD_ALG: &str = "sha-256";

/// Bytes of salt per disclosure: 128 bits, as RFC 9901 §9.3 recommends.
const SALT_BYTES: usize = 16;

/// One selectively disclosable claim: `[salt, name, value]`, base64url.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    /// The claim name.
    pub name: String,
    /// The claim value.
    pub value: Value,
    /// The disclosure as it travels: base64url of the JSON array.
    pub encoded: String,
}

impl Disclosure {
    /// A disclosure of `name: value` with a fresh random salt.
    pub fn new(name: &str, value: Value, rng: &mut impl CryptoRngCore) -> Self {
        let array = Value::Array(vec![
            Value::String(random_b64(rng)),
            Value::String(name.to_owned()),
            value.clone(),
        ]);
        Self {
            name: name.to_owned(),
            value,
            encoded: b64(array.to_string()),
        }
    }

    /// Decodes a disclosure received in an SD-JWT. Refuses anything but a
    /// three-element array of string salt, string name and any value
    /// (array-element disclosures are not used by yici certificates).
    pub fn parse(encoded: &str) -> Result<Self, CertificateError> {
        let bytes = b64_decode(encoded, "disclosure")?;
        let value: Value = serde_json::from_slice(&bytes)
            .map_err(|e| CertificateError::malformed("disclosure", format!("not JSON: {e}")))?;
        let Value::Array(mut items) = value else {
            return Err(CertificateError::malformed(
                "disclosure",
                "not a JSON array",
            ));
        };
        if items.len() != 3 {
            return Err(CertificateError::malformed(
                "disclosure",
                format!(
                    "{} elements, an object property disclosure has 3",
                    items.len()
                ),
            ));
        }
        let value = items.pop().unwrap_or(Value::Null);
        let (Some(Value::String(name)), Some(Value::String(_salt))) = (items.pop(), items.pop())
        else {
            return Err(CertificateError::malformed(
                "disclosure",
                "salt and name must be strings",
            ));
        };
        Ok(Self {
            name,
            value,
            encoded: encoded.to_owned(),
        })
    }

    /// The digest that the issuer-signed JWT lists in `_sd`: base64url of
    /// SHA-256 over the ASCII bytes of the encoded disclosure (§4.2.3).
    pub fn digest(&self) -> String {
        digest(&self.encoded)
    }
}

/// base64url(SHA-256(`s`)), used for disclosure digests.
pub fn digest(s: &str) -> String {
    b64(Sha256::digest(s.as_bytes()))
}

/// A digest of random bytes, indistinguishable from a real one (§4.2.5).
pub fn decoy_digest(rng: &mut impl CryptoRngCore) -> String {
    digest(&random_b64(rng))
}

fn random_b64(rng: &mut impl CryptoRngCore) -> String {
    let mut salt = [0u8; SALT_BYTES];
    rng.fill_bytes(&mut salt);
    b64(salt)
}
