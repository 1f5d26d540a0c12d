//! Issuing an e-certificate as an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc)
//! whose every business claim is selectively disclosable (RFC 9901).

use std::fmt;

use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use yici_core::catalog::DepartmentCode;
use yici_core::identifier::Identifier;

use super::disclosure::{Disclosure, SD_ALG, decoy_digest};
use super::error::CertificateError;
use super::jws;
use super::keys::{IssuerMetadata, KeyRing};

/// The holder of a certificate: a person by resident ID or an organisation
/// by unified social credit code.
pub type Holder = Identifier;

/// The `typ` header of an SD-JWT VC in the current drafts of
/// draft-ietf-oauth-sd-jwt-vc (media type `application/dc+sd-jwt`), and the
/// one @sd-jwt/sd-jwt-vc 0.19 issues.
pub const TYP: &str = "dc+sd-jwt";

/// The `typ` of the earlier drafts. Verification accepts it as well, as the
/// draft recommends during the transition; yici never issues it.
pub const LEGACY_TYP: &str = "vc+sd-jwt";

/// Claim names a caller may not use: registered JWT claims that SD-JWT VC
/// requires in the clear (draft §3.2.2.2) or that yici sets itself, and the
/// SD-JWT structural names (RFC 9901 §4.2.4, §4.1.1).
const RESERVED: &[&str] = &[
    "iss",
    "sub",
    "iat",
    "exp",
    "nbf",
    "vct",
    "vct#integrity",
    "status",
    "cnf",
    "_sd",
    "_sd_alg",
    "...",
];

/// Where a certificate's status is kept: index `idx` of the status list
/// token at `uri` (draft-ietf-oauth-status-list §6.2, "Referenced Token").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StatusRef {
    /// The `https` URL of the status list token.
    pub uri: String,
    /// The certificate's index in that list.
    pub idx: u64,
}

/// What a certificate says, before it is signed.
#[derive(Debug, Clone, PartialEq)]
pub struct CertificateContent {
    /// The credential type (`vct`), e.g. `https://yici.example/vct/food-business-licence`.
    pub vct: String,
    /// Whom the certificate is about; always disclosed, as `sub`.
    pub holder: Holder,
    /// The business claims, each made selectively disclosable.
    pub claims: Map<String, Value>,
    /// Issue time, seconds since the Unix epoch.
    pub iat: i64,
    /// Expiry time, seconds since the Unix epoch.
    pub exp: i64,
    /// Where revocation and suspension are published.
    pub status: StatusRef,
}

/// A department issuing certificates under its issuer identifier with its
/// e-seal.
#[derive(Debug)]
pub struct Issuer {
    department: DepartmentCode,
    iss: String,
    keys: KeyRing,
}

impl Issuer {
    /// A department `department` whose certificates carry `iss` (an `https`
    /// URL identifying the department) and are signed with `keys`.
    pub fn new(department: DepartmentCode, iss: impl Into<String>, keys: KeyRing) -> Self {
        Self {
            department,
            iss: iss.into(),
            keys,
        }
    }

    /// The department code.
    pub fn department(&self) -> &DepartmentCode {
        &self.department
    }

    /// The issuer identifier, the `iss` of every certificate.
    pub fn iss(&self) -> &str {
        &self.iss
    }

    /// The department's keys.
    pub fn keys(&self) -> &KeyRing {
        &self.keys
    }

    /// The department's keys, to rotate or remove one.
    pub fn keys_mut(&mut self) -> &mut KeyRing {
        &mut self.keys
    }

    /// What to publish for verifiers: the issuer identifier and all its keys.
    pub fn metadata(&self) -> IssuerMetadata {
        IssuerMetadata {
            issuer: self.iss.clone(),
            jwks: self.keys.jwks(),
        }
    }

    /// Signs `content` with the current key. Each claim becomes a disclosure
    /// with a fresh 128-bit salt from `rng`; one to four decoy digests hide
    /// how many claims there are (RFC 9901 §4.2.5), and the digests are
    /// sorted so that their order says nothing either.
    pub fn issue(
        &self,
        content: &CertificateContent,
        rng: &mut impl CryptoRngCore,
    ) -> Result<SdJwt, CertificateError> {
        if let Some(name) = content
            .claims
            .keys()
            .find(|k| RESERVED.contains(&k.as_str()))
        {
            return Err(CertificateError::ReservedClaim { name: name.clone() });
        }
        if content.exp <= content.iat {
            return Err(CertificateError::ExpiryBeforeIssue {
                iat: content.iat,
                exp: content.exp,
            });
        }
        let disclosures: Vec<Disclosure> = content
            .claims
            .iter()
            .map(|(name, value)| Disclosure::new(name, value.clone(), rng))
            .collect();
        let mut digests: Vec<String> = disclosures.iter().map(Disclosure::digest).collect();
        let decoys = 1 + (rng.next_u32() % 4) as usize;
        digests.extend((0..decoys).map(|_| decoy_digest(rng)));
        digests.sort_unstable();

        let payload = json!({
            "iss": self.iss,
            "sub": content.holder.as_str(),
            "iat": content.iat,
            "exp": content.exp,
            "vct": content.vct,
            "status": { "status_list": { "idx": content.status.idx, "uri": content.status.uri } },
            "_sd": digests,
            "_sd_alg": SD_ALG,
        });
        let mut header = Map::new();
        header.insert("typ".into(), TYP.into());
        let jwt = jws::sign(
            header,
            &payload,
            self.keys.current(),
            self.keys.current_kid(),
        );
        Ok(SdJwt { jwt, disclosures })
    }
}

/// An issued SD-JWT with all its disclosures: what the holder keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdJwt {
    /// The issuer-signed JWT.
    pub jwt: String,
    /// One disclosure per claim.
    pub disclosures: Vec<Disclosure>,
}

impl SdJwt {
    /// Reads the compact serialization `jwt~d1~…~dn~` (RFC 9901 §4).
    /// Checks the shape only; [`verify`](super::verify) checks the rest.
    pub fn parse(s: &str) -> Result<Self, CertificateError> {
        let (jwt, disclosures, key_binding) = split(s)?;
        if !key_binding.is_empty() {
            return Err(CertificateError::malformed(
                "sd_jwt",
                "an issued SD-JWT ends with '~' and has no key binding JWT",
            ));
        }
        let disclosures = disclosures
            .into_iter()
            .map(Disclosure::parse)
            .collect::<Result<_, _>>()?;
        Ok(Self {
            jwt: jwt.to_owned(),
            disclosures,
        })
    }

    /// The names of the claims the holder can choose to disclose.
    pub fn claim_names(&self) -> impl Iterator<Item = &str> {
        self.disclosures.iter().map(|d| d.name.as_str())
    }
}

impl fmt::Display for SdJwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.jwt)?;
        f.write_str("~")?;
        for d in &self.disclosures {
            f.write_str(&d.encoded)?;
            f.write_str("~")?;
        }
        Ok(())
    }
}

/// Splits `jwt~d1~…~dn~kb` into the JWT, the disclosures and the (possibly
/// empty) key binding JWT. There must be at least one `~`.
pub(crate) fn split(s: &str) -> Result<(&str, Vec<&str>, &str), CertificateError> {
    let mut parts: Vec<&str> = s.split('~').collect();
    if parts.len() < 2 {
        return Err(CertificateError::malformed("sd_jwt", "no '~' separator"));
    }
    let key_binding = parts.pop().unwrap_or("");
    let jwt = parts.remove(0);
    if jwt.is_empty() {
        return Err(CertificateError::malformed(
            "sd_jwt",
            "the issuer-signed JWT is empty",
        ));
    }
    if parts.iter().any(|d| d.is_empty()) {
        return Err(CertificateError::malformed(
            "sd_jwt",
            "an empty disclosure ('~~')",
        ));
    }
    Ok((jwt, parts, key_binding))
}
