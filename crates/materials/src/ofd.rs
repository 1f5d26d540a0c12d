//! The whole-file check of an OFD document (GB/T 33190-2016): a ZIP
//! container whose root holds `OFD.xml`, the document's entry file (§7.3,
//! its root element `ofd:OFD`). The container is read by its central
//! directory, entry by entry, without inflating anything but `OFD.xml`.

use std::io::{Read, Seek};

use crate::refusal::Refusal;

/// Most entries an OFD may have: a document of a few hundred pages has a
/// few thousand; more is a sign of a crafted archive.
pub const MAX_ENTRIES: usize = 20_000;

/// Largest `OFD.xml` read, in bytes: it lists the document's parts.
pub const MAX_ENTRY_FILE: u64 = 1024 * 1024;

/// Most an entry may inflate to relative to its stored size: ZIP bombs
/// inflate by millions; ordinary XML by tens.
pub const MAX_RATIO: u64 = 1000;

fn damaged(e: impl std::fmt::Display) -> Refusal {
    Refusal::Damaged(format!("ZIP: {e}"))
}

/// Checks an OFD container: readable, not encrypted, every entry named
/// inside the container, none inflating absurdly, and `OFD.xml` at the
/// root with an `ofd:OFD` root element.
pub fn check<R: Read + Seek>(reader: R) -> Result<(), Refusal> {
    let mut archive = zip::ZipArchive::new(reader).map_err(damaged)?;
    if archive.len() > MAX_ENTRIES {
        return Err(damaged(format!("more than {MAX_ENTRIES} entries")));
    }
    let mut has_entry_file = false;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(damaged)?;
        if entry.encrypted() {
            return Err(Refusal::Encrypted);
        }
        // A name that leaves the container (`../x`, `/etc/x`) is a crafted
        // archive, whatever reads it later.
        if entry.enclosed_name().is_none() {
            return Err(damaged("an entry is named outside the container"));
        }
        if entry.size() > entry.compressed_size().max(1).saturating_mul(MAX_RATIO) {
            return Err(damaged("an entry inflates more than a document does"));
        }
        if entry.name().map_err(damaged)? == "OFD.xml" {
            has_entry_file = true;
        }
    }
    if !has_entry_file {
        return Err(Refusal::NotOfd);
    }
    let mut text = String::new();
    archive
        .by_name("OFD.xml")
        .map_err(damaged)?
        .take(MAX_ENTRY_FILE)
        .read_to_string(&mut text)
        .map_err(|_| Refusal::NotOfd)?;
    if text.contains("<ofd:OFD") || text.contains("<OFD") {
        Ok(())
    } else {
        Err(Refusal::NotOfd)
    }
}
