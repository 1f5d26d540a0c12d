//! The deployment's secret keys kept in files: the ledger's signing key and
//! the key that seals the documents. A key is 32 bytes, written as hex,
//! made on first start (mode 0600) and read on every later one; every server
//! of one database must be given the same files.

use std::io::Write;
use std::path::Path;

/// The 32-byte key in `path`, made (from the OS's randomness) and written
/// there when the file does not exist.
pub fn load_or_create(path: &Path) -> std::io::Result<[u8; 32]> {
    if path.exists() {
        let text = std::fs::read_to_string(path)?;
        return hex::decode(text.trim())
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| {
                std::io::Error::other(format!("{} is not a 32-byte hex key", path.display()))
            });
    }
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(hex::encode(key).as_bytes())?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_and_read_again() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("k.key");
        let made = load_or_create(&path).expect("made");
        assert_eq!(load_or_create(&path).expect("read"), made);
        std::fs::write(&path, "not hex").expect("spoil");
        assert!(load_or_create(&path).is_err());
    }
}
