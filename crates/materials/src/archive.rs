//! The case file (电子档案) as one package: a ZIP whose `manifest.json`
//! names every other entry with its SHA-256 and size — the materials' files,
//! the form, the events, the certificates and the ledger's receipts — so
//! that the package is checked offline, entry by entry, against its
//! manifest; the receipts are then checked against the log's signed head.

use std::collections::BTreeMap;
use std::io::{Read, Seek};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The format's name, in every manifest.
pub const FORMAT: &str = "yici-case-file/1";

/// The manifest's name inside the package.
pub const MANIFEST: &str = "manifest.json";

/// One entry of the package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Its path inside the package.
    pub path: String,
    /// SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// What the package holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// The case.
    pub case_id: String,
    /// When the package was made (ms since the epoch).
    pub exported_ms: i64,
    /// The public key (hex) of the log whose receipts are inside; check it
    /// against the one the government publishes, not only this copy.
    pub ledger_key: String,
    /// Every other entry.
    pub entries: Vec<Entry>,
}

/// What is wrong with a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The entry (or `manifest.json`).
    pub path: String,
    /// `missing`, `changed`, `extra`, `unreadable`.
    pub kind: &'static str,
}

/// An entry's SHA-256 and size.
pub fn digest(bytes: &[u8]) -> (String, u64) {
    (hex::encode(Sha256::digest(bytes)), bytes.len() as u64)
}

/// Checks a package's entries against its manifest: every entry listed is
/// there with its hash and size, and nothing else is. Returns the manifest
/// and the findings (none: the package is whole).
pub fn check_entries<R: Read + Seek>(reader: R) -> Result<(Manifest, Vec<Finding>), String> {
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| format!("not a ZIP package: {e}"))?;
    let mut manifest_text = String::new();
    zip.by_name(MANIFEST)
        .map_err(|_| format!("no {MANIFEST}"))?
        .read_to_string(&mut manifest_text)
        .map_err(|e| format!("{MANIFEST}: {e}"))?;
    let manifest: Manifest =
        serde_json::from_str(&manifest_text).map_err(|e| format!("{MANIFEST}: {e}"))?;
    if manifest.format != FORMAT {
        return Err(format!("format {:?}, not {FORMAT}", manifest.format));
    }
    let mut found: BTreeMap<String, (String, u64)> = BTreeMap::new();
    let mut findings = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| e.to_string())?;
        let name = entry.name().map_err(|e| e.to_string())?.into_owned();
        if name == MANIFEST || entry.is_dir() {
            continue;
        }
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut buf = [0u8; 64 * 1024];
        loop {
            match entry.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    hasher.update(&buf[..n]);
                    size += n as u64;
                }
                Err(_) => {
                    findings.push(Finding {
                        path: name.clone(),
                        kind: "unreadable",
                    });
                    break;
                }
            }
        }
        found.insert(name, (hex::encode(hasher.finalize()), size));
    }
    for e in &manifest.entries {
        match found.remove(&e.path) {
            None => findings.push(Finding {
                path: e.path.clone(),
                kind: "missing",
            }),
            Some((sha, size)) if sha != e.sha256 || size != e.size => findings.push(Finding {
                path: e.path.clone(),
                kind: "changed",
            }),
            Some(_) => {}
        }
    }
    findings.extend(found.into_keys().map(|path| Finding {
        path,
        kind: "extra",
    }));
    Ok((manifest, findings))
}
