//! Lower-case hex for fixed-size byte arrays in the JSON forms, e.g.
//! `#[serde(with = "serde_hex")]` on a `[u8; 32]` field.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};

/// Writes the bytes as lower-case hex.
pub fn serialize<S: Serializer, const N: usize>(bytes: &[u8; N], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(bytes))
}

/// Reads exactly `N` bytes of hex (either case).
pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(d: D) -> Result<[u8; N], D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    let mut out = [0u8; N];
    hex::decode_to_slice(text.as_bytes(), &mut out)
        .map_err(|e| D::Error::custom(format!("expected {} hex digits: {e}", 2 * N)))?;
    Ok(out)
}

/// Hex for a list of hashes (`Vec<[u8; 32]>`).
pub mod list {
    use serde::de::Error as _;
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::hash::Hash;

    /// Writes each hash as lower-case hex.
    pub fn serialize<S: Serializer>(hashes: &[Hash], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(hashes.len()))?;
        for h in hashes {
            seq.serialize_element(&hex::encode(h))?;
        }
        seq.end()
    }

    /// Reads a list of 64-digit hex strings.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Hash>, D::Error> {
        let texts = Vec::<String>::deserialize(d)?;
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut out = [0u8; 32];
                hex::decode_to_slice(t.as_bytes(), &mut out).map_err(|e| {
                    D::Error::custom(format!("hash {i}: expected 64 hex digits: {e}"))
                })?;
                Ok(out)
            })
            .collect()
    }
}
