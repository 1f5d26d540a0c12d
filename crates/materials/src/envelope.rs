//! The form a file is kept in: encrypted at rest, streamed in and out.
//!
//! Personal documents are scans of ID cards and contracts, so the storage
//! (a folder, an object store) sees only ciphertext. Each file has a key of
//! its own (the data key), wrapped with the deployment's key (the master
//! key) in the file's header; rotating the master key re-wraps headers, not
//! files. The content is encrypted with AES-256-GCM in the STREAM
//! construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015; RustCrypto's
//! `aead-stream`, big-endian 32-bit counter): 64 KiB chunks, each
//! authenticated, the last one marked, so a chunk changed, reordered,
//! dropped or cut off at the end fails to open. Every chunk's associated
//! data is the header, so a header cannot be put on another file's chunks.
//!
//! ```text
//! magic "YICIDOC1" | key id (8) | wrap nonce (12) | wrapped data key (32 + 16) | stream nonce (7)
//! chunk 0 (64 KiB + 16) | chunk 1 | … | last chunk (≤ 64 KiB + 16)
//! ```
//!
//! Randomness comes from the caller (keys and nonces are parameters), so
//! this module stays pure and its output testable.

use aead_stream::{DecryptorBE32, EncryptorBE32};
use aes_gcm::Aes256Gcm;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use sha2::{Digest, Sha256};

/// Plaintext bytes per chunk.
pub const CHUNK: usize = 64 * 1024;

/// Bytes the tag adds to each chunk.
pub const TAG: usize = 16;

const MAGIC: &[u8; 8] = b"YICIDOC1";

/// Length of the header.
pub const HEADER: usize = 8 + 8 + 12 + 32 + TAG + 7;

/// Why a sealed file does not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    /// The header is not a header of this format.
    #[error("not a sealed document (bad header)")]
    NotSealed,
    /// The file was sealed under another master key.
    #[error("sealed under key {found}, not this deployment's key {ours}")]
    OtherKey {
        /// Id of the key in the header.
        found: String,
        /// Id of the key given.
        ours: String,
    },
    /// A chunk or the wrapped key failed authentication: changed, reordered
    /// or cut off.
    #[error("the sealed document was changed or cut off")]
    Tampered,
    /// More than the construction can seal (2³² chunks, 256 TiB): never
    /// reached under any file limit, but not ignored either.
    #[error("the document is too long to seal")]
    TooLong,
}

/// The deployment's key that wraps every file's own key.
#[derive(Clone)]
pub struct MasterKey {
    key: [u8; 32],
    id: [u8; 8],
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.debug_struct("MasterKey")
            .field("id", &hex::encode(self.id))
            .finish_non_exhaustive()
    }
}

impl MasterKey {
    /// The master key of these 32 bytes.
    pub fn from_bytes(key: [u8; 32]) -> MasterKey {
        let digest = Sha256::digest([b"yici document key id:".as_slice(), &key].concat());
        let mut id = [0u8; 8];
        id.copy_from_slice(&digest[..8]);
        MasterKey { key, id }
    }

    /// Its id: the first 8 bytes of a SHA-256 of it, in every header, so a
    /// file tells which key opens it.
    pub fn id(&self) -> String {
        hex::encode(self.id)
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(&self.key.into())
    }
}

/// The random inputs of sealing one file.
#[derive(Debug, Clone, Copy)]
pub struct Randomness {
    /// The file's own key.
    pub data_key: [u8; 32],
    /// The nonce that wraps it.
    pub wrap_nonce: [u8; 12],
    /// The stream's nonce prefix.
    pub stream_nonce: [u8; 7],
}

/// Adds `data` to `pending` and passes every full chunk of `size` bytes to
/// `seal_or_open`, but only once more bytes follow it: the last chunk must
/// be treated as the last, which only the end of the data tells.
fn whole_chunks(
    pending: &mut Vec<u8>,
    mut data: &[u8],
    size: usize,
    mut seal_or_open: impl FnMut(&[u8]) -> Result<Vec<u8>, EnvelopeError>,
) -> Result<Vec<u8>, EnvelopeError> {
    let mut out = Vec::new();
    while !data.is_empty() {
        let take = (size - pending.len()).min(data.len());
        pending.extend_from_slice(&data[..take]);
        data = &data[take..];
        if pending.len() == size && !data.is_empty() {
            out.extend(seal_or_open(pending)?);
            pending.clear();
        }
    }
    Ok(out)
}

/// Seals a file chunk by chunk.
pub struct Sealer {
    encryptor: EncryptorBE32<Aes256Gcm>,
    header: Vec<u8>,
    pending: Vec<u8>,
}

impl Sealer {
    /// A sealer under `master`; `header` is the first bytes to write.
    pub fn new(master: &MasterKey, random: Randomness) -> Result<(Sealer, Vec<u8>), EnvelopeError> {
        let wrapped = master
            .cipher()
            .encrypt(&random.wrap_nonce.into(), random.data_key.as_slice())
            .map_err(|_| EnvelopeError::TooLong)?;
        let mut header = Vec::with_capacity(HEADER);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&master.id);
        header.extend_from_slice(&random.wrap_nonce);
        header.extend_from_slice(&wrapped);
        header.extend_from_slice(&random.stream_nonce);
        let aead = Aes256Gcm::new(&random.data_key.into());
        let encryptor = EncryptorBE32::from_aead(aead, &random.stream_nonce.into());
        let sealer = Sealer {
            encryptor,
            header: header.clone(),
            pending: Vec::with_capacity(CHUNK),
        };
        Ok((sealer, header))
    }

    /// More plaintext; returns the ciphertext ready to write (whole chunks).
    pub fn push(&mut self, data: &[u8]) -> Result<Vec<u8>, EnvelopeError> {
        let (encryptor, header) = (&mut self.encryptor, &self.header);
        whole_chunks(&mut self.pending, data, CHUNK, |msg| {
            encryptor
                .encrypt_next(Payload { msg, aad: header })
                .map_err(|_| EnvelopeError::TooLong)
        })
    }

    /// The end of the plaintext; returns the last ciphertext to write.
    pub fn finish(self) -> Result<Vec<u8>, EnvelopeError> {
        let payload = Payload {
            msg: &self.pending,
            aad: &self.header,
        };
        self.encryptor
            .encrypt_last(payload)
            .map_err(|_| EnvelopeError::TooLong)
    }
}

/// Opens a sealed file chunk by chunk.
pub struct Opener {
    decryptor: DecryptorBE32<Aes256Gcm>,
    header: Vec<u8>,
    pending: Vec<u8>,
}

impl Opener {
    /// An opener of a file whose first [`HEADER`] bytes are `header`.
    pub fn new(master: &MasterKey, header: &[u8]) -> Result<Opener, EnvelopeError> {
        if header.len() != HEADER || &header[..8] != MAGIC {
            return Err(EnvelopeError::NotSealed);
        }
        if header[8..16] != master.id {
            return Err(EnvelopeError::OtherKey {
                found: hex::encode(&header[8..16]),
                ours: master.id(),
            });
        }
        let wrap_nonce: [u8; 12] = header[16..28]
            .try_into()
            .map_err(|_| EnvelopeError::NotSealed)?;
        let wrapped = &header[28..28 + 32 + TAG];
        let stream_nonce: [u8; 7] = header[28 + 32 + TAG..]
            .try_into()
            .map_err(|_| EnvelopeError::NotSealed)?;
        let data_key: [u8; 32] = master
            .cipher()
            .decrypt(&wrap_nonce.into(), wrapped)
            .ok()
            .and_then(|k| k.try_into().ok())
            .ok_or(EnvelopeError::Tampered)?;
        let aead = Aes256Gcm::new(&data_key.into());
        Ok(Opener {
            decryptor: DecryptorBE32::from_aead(aead, &stream_nonce.into()),
            header: header.to_vec(),
            pending: Vec::with_capacity(CHUNK + TAG),
        })
    }

    /// More ciphertext; returns the plaintext it opens (whole chunks, not
    /// the last until [`Opener::finish`]).
    pub fn push(&mut self, data: &[u8]) -> Result<Vec<u8>, EnvelopeError> {
        let (decryptor, header) = (&mut self.decryptor, &self.header);
        whole_chunks(&mut self.pending, data, CHUNK + TAG, |msg| {
            decryptor
                .decrypt_next(Payload { msg, aad: header })
                .map_err(|_| EnvelopeError::Tampered)
        })
    }

    /// The end of the ciphertext: the last plaintext, or an error when the
    /// file was cut off or changed.
    pub fn finish(self) -> Result<Vec<u8>, EnvelopeError> {
        let payload = Payload {
            msg: &self.pending,
            aad: &self.header,
        };
        self.decryptor
            .decrypt_last(payload)
            .map_err(|_| EnvelopeError::Tampered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random(n: u8) -> Randomness {
        Randomness {
            data_key: [n; 32],
            wrap_nonce: [n.wrapping_add(1); 12],
            stream_nonce: [n.wrapping_add(2); 7],
        }
    }

    fn seal(master: &MasterKey, plain: &[u8], step: usize) -> Vec<u8> {
        let (mut s, mut out) = Sealer::new(master, random(7)).expect("sealer");
        for c in plain.chunks(step.max(1)) {
            out.extend(s.push(c).expect("seal"));
        }
        out.extend(s.finish().expect("seal"));
        out
    }

    fn open(master: &MasterKey, sealed: &[u8], step: usize) -> Result<Vec<u8>, EnvelopeError> {
        let mut o = Opener::new(master, &sealed[..HEADER])?;
        let mut out = Vec::new();
        for c in sealed[HEADER..].chunks(step.max(1)) {
            out.extend(o.push(c)?);
        }
        out.extend(o.finish()?);
        Ok(out)
    }

    #[test]
    fn a_sealed_file_opens_to_itself_whatever_the_chunking() {
        let master = MasterKey::from_bytes([1; 32]);
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17] {
            let plain: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let sealed = seal(&master, &plain, 10_000);
            assert_ne!(&sealed[HEADER..], &plain[..], "ciphertext, not plaintext");
            for step in [1000, CHUNK + TAG, 70_001] {
                assert_eq!(
                    open(&master, &sealed, step).expect("opens"),
                    plain,
                    "{len}/{step}"
                );
            }
        }
    }

    #[test]
    fn a_changed_reordered_or_cut_file_does_not_open() {
        let master = MasterKey::from_bytes([1; 32]);
        let plain = vec![42u8; 2 * CHUNK + 5];
        let sealed = seal(&master, &plain, 4096);
        let mut changed = sealed.clone();
        changed[HEADER + 100] ^= 1;
        assert_eq!(open(&master, &changed, 4096), Err(EnvelopeError::Tampered));
        // Cut after the first chunk: the first chunk is not a last chunk.
        let cut = &sealed[..HEADER + CHUNK + TAG];
        assert_eq!(open(&master, cut, 4096), Err(EnvelopeError::Tampered));
        let mut swapped = sealed[..HEADER].to_vec();
        swapped.extend_from_slice(&sealed[HEADER + CHUNK + TAG..HEADER + 2 * (CHUNK + TAG)]);
        swapped.extend_from_slice(&sealed[HEADER..HEADER + CHUNK + TAG]);
        swapped.extend_from_slice(&sealed[HEADER + 2 * (CHUNK + TAG)..]);
        assert_eq!(open(&master, &swapped, 4096), Err(EnvelopeError::Tampered));
    }

    #[test]
    fn another_key_is_named_and_a_foreign_header_refused() {
        let sealed = seal(&MasterKey::from_bytes([1; 32]), b"contract", 3);
        let other = MasterKey::from_bytes([2; 32]);
        assert!(matches!(
            open(&other, &sealed, 3),
            Err(EnvelopeError::OtherKey { .. })
        ));
        assert_eq!(
            Opener::new(&other, &[0; HEADER]).err(),
            Some(EnvelopeError::NotSealed)
        );
    }
}
