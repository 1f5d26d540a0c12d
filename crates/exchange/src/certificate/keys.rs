//! A department's e-seal: its current signing key and the public halves of
//! the keys it signed with before, so that certificates outlive a rotation.

use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use super::jwk::{Jwk, Jwks, thumbprint};

/// The signing keys of one department.
///
/// Rotation moves the current key's *public* half to the retired list and
/// drops its private half: a retired key can still verify the certificates
/// it signed but can never sign again, so a leak after rotation forges
/// nothing new. Removing a retired key (after a compromise) makes every
/// certificate it signed fail with [`UnknownKey`](super::CertificateError::UnknownKey).
pub struct KeyRing {
    current: SigningKey,
    current_kid: String,
    retired: Vec<VerifyingKey>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the private key.
        f.debug_struct("KeyRing")
            .field("current_kid", &self.current_kid)
            .field("retired", &self.retired.len())
            .finish()
    }
}

impl KeyRing {
    /// A ring whose current key is `key` and that has no retired keys.
    pub fn new(key: SigningKey) -> Self {
        let current_kid = thumbprint(&key.verifying_key());
        Self {
            current: key,
            current_kid,
            retired: Vec::new(),
        }
    }

    /// A ring whose current key is `key`, keeping `retired` for verification
    /// (e.g. as loaded from storage).
    pub fn with_retired(key: SigningKey, retired: Vec<VerifyingKey>) -> Self {
        let mut ring = Self::new(key);
        ring.retired = retired;
        ring
    }

    /// The key that signs new certificates and status lists.
    pub fn current(&self) -> &SigningKey {
        &self.current
    }

    /// The `kid` (RFC 7638 thumbprint) of the current key.
    pub fn current_kid(&self) -> &str {
        &self.current_kid
    }

    /// The public halves of the retired keys, oldest first.
    pub fn retired(&self) -> &[VerifyingKey] {
        &self.retired
    }

    /// Makes `key` the current key; the old current key's public half is
    /// retired and its private half dropped.
    pub fn rotate(&mut self, key: SigningKey) {
        let old = std::mem::replace(&mut self.current, key);
        self.retired.push(old.verifying_key());
        self.current_kid = thumbprint(&self.current.verifying_key());
    }

    /// Stops publishing the retired key `kid`; certificates it signed no
    /// longer verify. Returns whether such a retired key was found. The
    /// current key cannot be removed, only rotated away.
    pub fn remove_retired(&mut self, kid: &str) -> bool {
        let before = self.retired.len();
        self.retired.retain(|k| thumbprint(k) != kid);
        self.retired.len() != before
    }

    /// The JWK Set to publish: the current key first, then the retired ones.
    pub fn jwks(&self) -> Jwks {
        let keys = std::iter::once(self.current.verifying_key())
            .chain(self.retired.iter().copied())
            .map(|k| Jwk::from_key(&k))
            .collect();
        Jwks { keys }
    }
}

/// JWT VC Issuer Metadata (draft-ietf-oauth-sd-jwt-vc §5): the issuer
/// identifier and its keys, served at
/// `https://host/.well-known/jwt-vc-issuer/<path of the issuer>`.
///
/// A verifier trusts a set of these; a certificate verifies only with the
/// keys published for the `iss` it names, so one department's key cannot
/// vouch for a certificate that claims to come from another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerMetadata {
    /// The issuer identifier, equal to the `iss` of its certificates.
    pub issuer: String,
    /// The issuer's keys, current and retired.
    pub jwks: Jwks,
}

/// Where the [`IssuerMetadata`] of `issuer` (an `https` URL) is published:
/// the well-known segment goes between host and path, as in RFC 8414 §3.1.
/// Returns `None` if `issuer` is not an `https://` URL.
pub fn well_known_url(issuer: &str) -> Option<String> {
    let rest = issuer.strip_prefix("https://")?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let path = path.trim_end_matches('/');
    Some(if path.is_empty() {
        format!("https://{host}/.well-known/jwt-vc-issuer")
    } else {
        format!("https://{host}/.well-known/jwt-vc-issuer/{path}")
    })
}

/// The issuers a verifier trusts, looked up by `iss`.
pub trait TrustedIssuers {
    /// The keys of `iss`, or `None` if it is not trusted.
    fn keys_of(&self, iss: &str) -> Option<&Jwks>;
}

impl TrustedIssuers for IssuerMetadata {
    fn keys_of(&self, iss: &str) -> Option<&Jwks> {
        (self.issuer == iss).then_some(&self.jwks)
    }
}

impl TrustedIssuers for [IssuerMetadata] {
    fn keys_of(&self, iss: &str) -> Option<&Jwks> {
        self.iter().find(|m| m.issuer == iss).map(|m| &m.jwks)
    }
}

impl TrustedIssuers for Vec<IssuerMetadata> {
    fn keys_of(&self, iss: &str) -> Option<&Jwks> {
        self.as_slice().keys_of(iss)
    }
}
