//! The one error type of e-certificates: every refusal names its rule.

/// Why an e-certificate could not be issued, presented or verified, or a
/// status list could not be read.
///
/// Each variant has a stable machine name, [`CertificateError::rule`], that
/// the HTTP layer can put in a problem document; the `Display` text is an
/// English sentence safe to show to the public verifier (it never contains
/// key material or claim values).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    /// The input is not the shape the standard prescribes.
    #[error("malformed {what}: {reason}")]
    Malformed {
        /// Which part: `presentation`, `jwt`, `header`, `payload`, `disclosure`, …
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A disclosure does not hash to any digest the issuer signed: it was
    /// altered, or taken from another certificate (RFC 9901 §7.1 step 4).
    #[error("disclosure {index} is not one the issuer signed (tampered or foreign)")]
    TamperedDisclosure {
        /// 0-based position of the disclosure in the presentation.
        index: usize,
    },
    /// The same disclosure, or two disclosures of one claim, appear twice.
    #[error("disclosure {index} repeats a digest or claim already disclosed")]
    DuplicateDisclosure {
        /// 0-based position of the repeated disclosure.
        index: usize,
    },
    /// The JWS names a key that the issuer's JWKS does not publish.
    #[error("signed with key {kid:?}, which the issuer does not publish")]
    UnknownKey {
        /// The `kid` header of the JWS.
        kid: String,
    },
    /// The issuer named in the certificate is not a trusted issuer.
    #[error("issuer {iss:?} is not trusted")]
    UnknownIssuer {
        /// The `iss` claim.
        iss: String,
    },
    /// A JWS algorithm other than `EdDSA` (including `none`).
    #[error("algorithm {alg:?} is not accepted (only EdDSA)")]
    UnsupportedAlgorithm {
        /// The `alg` header found.
        alg: String,
    },
    /// The `typ` header is not the one of the expected token type.
    #[error("token type {found:?} is not {expected:?}")]
    WrongType {
        /// The `typ` expected.
        expected: &'static str,
        /// The `typ` found.
        found: String,
    },
    /// The Ed25519 signature does not verify with the named key.
    #[error("signature does not verify")]
    BadSignature,
    /// `exp` is at or before the verification time.
    #[error("certificate expired at {exp} (now {now})")]
    Expired {
        /// The `exp` claim, seconds since the Unix epoch.
        exp: i64,
        /// The verification time.
        now: i64,
    },
    /// `iat` or `nbf` is after the verification time.
    #[error("certificate is not valid before {not_before} (now {now})")]
    NotYetValid {
        /// The later of `iat` and `nbf`.
        not_before: i64,
        /// The verification time.
        now: i64,
    },
    /// The status list marks the certificate revoked (status `0x01`, INVALID).
    #[error("certificate was revoked (status list {uri}, index {idx})")]
    Revoked {
        /// The status list URI.
        uri: String,
        /// The certificate's index in it.
        idx: u64,
    },
    /// The status list marks the certificate suspended (status `0x02`).
    #[error("certificate is suspended (status list {uri}, index {idx})")]
    Suspended {
        /// The status list URI.
        uri: String,
        /// The certificate's index in it.
        idx: u64,
    },
    /// A status value yici does not define (`0x03` or above).
    #[error("status value {value} is not one yici defines")]
    UnrecognisedStatus {
        /// The value read from the list.
        value: u8,
    },
    /// The index is at or past the end of the status list.
    #[error("status index {idx} is outside the status list of {len} entries")]
    StatusIndexOutOfRange {
        /// The index asked for.
        idx: u64,
        /// Number of entries in the list.
        len: u64,
    },
    /// No status list token could be had for the URI the certificate names.
    #[error("status list {uri} is not available")]
    StatusListUnavailable {
        /// The status list URI.
        uri: String,
    },
    /// The status list token is not the one for this URI (`sub` differs).
    #[error("status list token is for {found}, not {expected}")]
    StatusListMismatch {
        /// The URI the certificate names.
        expected: String,
        /// The `sub` of the token.
        found: String,
    },
    /// The status list token's `exp` has passed: the verifier must fetch a fresh one.
    #[error("status list token expired at {exp} (now {now})")]
    StatusListExpired {
        /// The token's `exp`.
        exp: i64,
        /// The verification time.
        now: i64,
    },
    /// Claims given to issue use a name the standards reserve.
    #[error("claim name {name:?} is reserved and cannot be a certificate claim")]
    ReservedClaim {
        /// The claim name.
        name: String,
    },
    /// A presentation asked to disclose a claim the certificate does not have.
    #[error("the certificate has no claim {name:?} to disclose")]
    UnknownClaim {
        /// The claim name asked for.
        name: String,
    },
    /// `exp` is not after `iat` when issuing.
    #[error("expiry {exp} is not after issue time {iat}")]
    ExpiryBeforeIssue {
        /// Issue time.
        iat: i64,
        /// Expiry time.
        exp: i64,
    },
    /// A status list size of zero or past the largest list accepted.
    #[error("a status list size must be 1 to {max} entries, got {size}")]
    StatusListSize {
        /// The size asked for.
        size: u64,
        /// The largest size accepted.
        max: u64,
    },
    /// A status value does not fit the list's bits per entry.
    #[error("status value {value} does not fit in {bits} bits")]
    StatusValueTooLarge {
        /// The value.
        value: u8,
        /// Bits per entry of the list.
        bits: u8,
    },
    /// The payload is too long to fit one QR code.
    #[error("{len} bytes do not fit in one QR code")]
    QrTooLong {
        /// Length of the payload in bytes.
        len: usize,
    },
}

impl CertificateError {
    /// A stable machine-readable name of the broken rule.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::Malformed { .. } => "malformed",
            Self::TamperedDisclosure { .. } => "tampered_disclosure",
            Self::DuplicateDisclosure { .. } => "duplicate_disclosure",
            Self::UnknownKey { .. } => "unknown_key",
            Self::UnknownIssuer { .. } => "unknown_issuer",
            Self::UnsupportedAlgorithm { .. } => "unsupported_algorithm",
            Self::WrongType { .. } => "wrong_type",
            Self::BadSignature => "bad_signature",
            Self::Expired { .. } => "expired",
            Self::NotYetValid { .. } => "not_yet_valid",
            Self::Revoked { .. } => "revoked",
            Self::Suspended { .. } => "suspended",
            Self::UnrecognisedStatus { .. } => "unrecognised_status",
            Self::StatusIndexOutOfRange { .. } => "status_index_out_of_range",
            Self::StatusListUnavailable { .. } => "status_list_unavailable",
            Self::StatusListMismatch { .. } => "status_list_mismatch",
            Self::StatusListExpired { .. } => "status_list_expired",
            Self::ReservedClaim { .. } => "reserved_claim",
            Self::UnknownClaim { .. } => "unknown_claim",
            Self::ExpiryBeforeIssue { .. } => "expiry_before_issue",
            Self::StatusListSize { .. } => "status_list_size",
            Self::StatusValueTooLarge { .. } => "status_value_too_large",
            Self::QrTooLong { .. } => "qr_too_long",
        }
    }

    /// Shorthand for [`CertificateError::Malformed`].
    pub(crate) fn malformed(what: &'static str, reason: impl Into<String>) -> Self {
        Self::Malformed {
            what,
            reason: reason.into(),
        }
    }
}
