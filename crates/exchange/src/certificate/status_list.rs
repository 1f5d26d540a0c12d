//! Token Status List (draft-ietf-oauth-status-list): one small status per
//! certificate, packed into a bit array, ZLIB-compressed and published as a
//! signed JWT that a verifier fetches from the URI the certificate names.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use serde_json::{Map, Value, json};

use super::error::CertificateError;
use super::issue::Issuer;
use super::jose::{b64, b64_decode};
use super::jwk::Jwks;
use super::jws::{self, UnverifiedJws};

/// The `typ` of a status list token (§5.1).
pub const STATUS_LIST_TYP: &str = "statuslist+jwt";

/// Bits per entry in the lists yici makes: 2, enough for valid, invalid
/// (revoked) and suspended (§4.1, §7.1).
pub const BITS: u8 = 2;

/// The largest list yici makes or reads: 16 Mi entries of 2 bits, 4 MiB
/// uncompressed. Reading stops decompressing past the byte equivalent, so a
/// small token cannot inflate into gigabytes ("zip bomb").
pub const MAX_ENTRIES: u64 = 1 << 24;

/// Largest decompressed list read, in bytes (any `bits`).
const MAX_LIST_BYTES: u64 = MAX_ENTRIES * BITS as u64 / 8;

/// The status of one certificate (§7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// `0x00` VALID.
    Valid,
    /// `0x01` INVALID: revoked for good.
    Revoked,
    /// `0x02` SUSPENDED: temporarily invalid, may become valid again.
    Suspended,
}

impl Status {
    /// The value stored in the list.
    pub fn value(self) -> u8 {
        match self {
            Self::Valid => 0,
            Self::Revoked => 1,
            Self::Suspended => 2,
        }
    }

    /// The status a stored value means; `0x03` and above are not defined
    /// by yici.
    pub fn from_value(value: u8) -> Result<Self, CertificateError> {
        match value {
            0 => Ok(Self::Valid),
            1 => Ok(Self::Revoked),
            2 => Ok(Self::Suspended),
            value => Err(CertificateError::UnrecognisedStatus { value }),
        }
    }
}

/// A status list: entry `idx` occupies `bits` bits of byte
/// `idx * bits / 8`, starting from the least significant bit (§4.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    bits: u8,
    bytes: Vec<u8>,
}

impl StatusList {
    /// A list of at least `size` entries, all valid, 2 bits each. The list
    /// holds whole bytes, so [`StatusList::len`] is `size` rounded up to a
    /// multiple of 4.
    pub fn new(size: u64) -> Result<Self, CertificateError> {
        if size == 0 || size > MAX_ENTRIES {
            return Err(CertificateError::StatusListSize {
                size,
                max: MAX_ENTRIES,
            });
        }
        let bytes = (size * u64::from(BITS)).div_ceil(8) as usize;
        Ok(Self {
            bits: BITS,
            bytes: vec![0; bytes],
        })
    }

    /// Number of entries.
    pub fn len(&self) -> u64 {
        self.bytes.len() as u64 * 8 / u64::from(self.bits)
    }

    /// Whether the list has no entries (never, for a list made here).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Bits per entry.
    pub fn bits(&self) -> u8 {
        self.bits
    }

    fn position(&self, idx: u64) -> Result<(usize, u32, u8), CertificateError> {
        if idx >= self.len() {
            return Err(CertificateError::StatusIndexOutOfRange {
                idx,
                len: self.len(),
            });
        }
        let bit = idx * u64::from(self.bits);
        let mask = ((1u16 << self.bits) - 1) as u8;
        Ok(((bit / 8) as usize, (bit % 8) as u32, mask))
    }

    /// The stored value at `idx`.
    pub fn value(&self, idx: u64) -> Result<u8, CertificateError> {
        let (byte, shift, mask) = self.position(idx)?;
        Ok((self.bytes[byte] >> shift) & mask)
    }

    /// The status at `idx`.
    pub fn get(&self, idx: u64) -> Result<Status, CertificateError> {
        Status::from_value(self.value(idx)?)
    }

    /// Sets the status at `idx`: revoke, suspend, or lift a suspension.
    pub fn set(&mut self, idx: u64, status: Status) -> Result<(), CertificateError> {
        let (byte, shift, mask) = self.position(idx)?;
        let value = status.value();
        if value > mask {
            return Err(CertificateError::StatusValueTooLarge {
                value,
                bits: self.bits,
            });
        }
        self.bytes[byte] = (self.bytes[byte] & !(mask << shift)) | (value << shift);
        Ok(())
    }

    /// The `lst` member: base64url of the ZLIB (RFC 1950) compressed bytes,
    /// at the best compression as §4.1 recommends.
    pub fn lst(&self) -> String {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
        // Writing to a Vec cannot fail.
        let compressed = encoder
            .write_all(&self.bytes)
            .and_then(|()| encoder.finish())
            .unwrap_or_default();
        b64(compressed)
    }

    /// Reads a `status_list` object `{"bits": …, "lst": …}` (§4.2).
    pub fn from_json(value: &Value) -> Result<Self, CertificateError> {
        let bits = value
            .get("bits")
            .and_then(Value::as_u64)
            .filter(|b| matches!(b, 1 | 2 | 4 | 8))
            .ok_or_else(|| {
                CertificateError::malformed("status_list", "bits must be 1, 2, 4 or 8")
            })? as u8;
        let lst = value
            .get("lst")
            .and_then(Value::as_str)
            .ok_or_else(|| CertificateError::malformed("status_list", "lst is missing"))?;
        let compressed = b64_decode(lst, "status_list")?;
        let mut bytes = Vec::new();
        ZlibDecoder::new(compressed.as_slice())
            .take(MAX_LIST_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| CertificateError::malformed("status_list", format!("not ZLIB: {e}")))?;
        if bytes.len() as u64 > MAX_LIST_BYTES {
            return Err(CertificateError::malformed(
                "status_list",
                format!("decompresses past {MAX_LIST_BYTES} bytes"),
            ));
        }
        if bytes.is_empty() {
            return Err(CertificateError::malformed(
                "status_list",
                "the list is empty",
            ));
        }
        Ok(Self { bits, bytes })
    }

    /// The status list token (§5.1): a JWT of `typ` `statuslist+jwt` with
    /// `sub` = `uri` (the URL it is served at), `iat`, optional `exp`, the
    /// issuer's `iss` and the list, signed with the issuer's current key.
    pub fn to_jwt(&self, issuer: &Issuer, uri: &str, iat: i64, exp: Option<i64>) -> String {
        let mut payload = json!({
            "iss": issuer.iss(),
            "sub": uri,
            "iat": iat,
            "status_list": { "bits": self.bits, "lst": self.lst() },
        });
        if let (Some(exp), Some(map)) = (exp, payload.as_object_mut()) {
            map.insert("exp".into(), exp.into());
        }
        let mut header = Map::new();
        header.insert("typ".into(), STATUS_LIST_TYP.into());
        let keys = issuer.keys();
        jws::sign(header, &payload, keys.current(), keys.current_kid())
    }
}

/// A status list token whose signature, type and expiry have been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusListToken {
    /// The URI the token is for (its `sub`).
    pub sub: String,
    /// The issuer, if the token names one.
    pub iss: Option<String>,
    /// When the token was made.
    pub iat: i64,
    /// When it stops being usable, if it says.
    pub exp: Option<i64>,
    /// The list.
    pub list: StatusList,
}

impl StatusListToken {
    /// Verifies a status list token with the issuer's keys at time `now`
    /// (§8.3: signature, `typ`, `sub`, `iat`, `exp`, then the list).
    pub fn verify(token: &str, jwks: &Jwks, now: i64) -> Result<Self, CertificateError> {
        let jws = UnverifiedJws::parse(token)?.verify(jwks, &[STATUS_LIST_TYP])?;
        let claims = &jws.payload;
        let sub = claims
            .get("sub")
            .and_then(Value::as_str)
            .ok_or_else(|| CertificateError::malformed("status_list_token", "sub is missing"))?;
        let iat = claims
            .get("iat")
            .and_then(Value::as_i64)
            .ok_or_else(|| CertificateError::malformed("status_list_token", "iat is missing"))?;
        let exp = match claims.get("exp") {
            None => None,
            Some(v) => Some(v.as_i64().ok_or_else(|| {
                CertificateError::malformed("status_list_token", "exp is not an integer")
            })?),
        };
        if let Some(exp) = exp.filter(|&exp| exp <= now) {
            return Err(CertificateError::StatusListExpired { exp, now });
        }
        let list = claims
            .get("status_list")
            .ok_or_else(|| {
                CertificateError::malformed("status_list_token", "status_list is missing")
            })
            .and_then(StatusList::from_json)?;
        Ok(Self {
            sub: sub.to_owned(),
            iss: claims.get("iss").and_then(Value::as_str).map(str::to_owned),
            iat,
            exp,
            list,
        })
    }
}
