//! Exporting a closed case's file (电子档案) as one package, checkable
//! offline with `yici archive verify`: the case, its form, its events, its
//! certificates, its materials' files (opened), the ledger's receipts, and
//! a manifest with every entry's SHA-256 (`yici_materials::archive`).
//!
//! The package is written to an unnamed temporary file (gone when closed),
//! not held in memory: a case may have 200 MB of files.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};

use futures_util::StreamExt;
use yici_core::case::CaseId;
use yici_materials::FileKind;
use yici_materials::archive::{Entry, FORMAT, MANIFEST, Manifest, digest};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use crate::error::{Result, ServiceError};
use crate::gate::CaseDesk;

fn zip_error(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(format!("writing the case file: {e}"))
}

/// Pretty JSON of a value.
fn pretty<T: serde::Serialize + ?Sized>(v: &T) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(v).map_err(ServiceError::internal)
}

/// Adds one entry from bytes, noting its hash.
fn add(
    zip: &mut ZipWriter<File>,
    entries: &mut Vec<Entry>,
    path: &str,
    bytes: &[u8],
) -> Result<()> {
    zip.start_file(path, SimpleFileOptions::default())
        .map_err(zip_error)?;
    zip.write_all(bytes).map_err(zip_error)?;
    let (sha256, size) = digest(bytes);
    entries.push(Entry {
        path: path.to_owned(),
        sha256,
        size,
    });
    Ok(())
}

impl CaseDesk<'_> {
    /// The package of closed case `id`, as a file read from its start.
    pub async fn export_archive(&self, id: &CaseId) -> Result<File> {
        let found = self.history(id).await?;
        let case = &found.stored.case;
        if !case.state.is_closed() {
            return Err(ServiceError::StateConflict(format!(
                "a case file is exported once the case is closed; this one is {}",
                case.state
            )));
        }
        let service = self.service();
        let events = found.events_json();
        let receipts = self.receipts(id).await?;
        let certificates: Vec<_> = service
            .store()
            .certificates_of(&found.stored.owner)
            .await?
            .into_iter()
            .filter(|c| c.case_id == id.to_string())
            .collect();
        let files = service.store().case_files(&id.to_string()).await?;

        let temp = tempfile::tempfile().map_err(ServiceError::internal)?;
        let mut zip = ZipWriter::new(temp);
        let mut entries = Vec::new();
        add(&mut zip, &mut entries, "case.json", &pretty(case)?)?;
        add(&mut zip, &mut entries, "form.json", &pretty(&case.form)?)?;
        add(&mut zip, &mut entries, "events.json", &pretty(&events)?)?;
        add(&mut zip, &mut entries, "receipts.json", &pretty(&receipts)?)?;
        let listed: Vec<serde_json::Value> = files
            .iter()
            .map(|f| {
                serde_json::json!({
                    "id": f.id, "material": f.material, "name": f.name, "sha256": f.sha256,
                    "kind": f.kind, "size": f.size, "given_by": f.given_by, "given_ms": f.given_ms,
                    "original_seen_by": f.original_seen_by, "deleted_ms": f.deleted_ms,
                })
            })
            .collect();
        add(&mut zip, &mut entries, "files.json", &pretty(&listed)?)?;
        for c in &certificates {
            add(
                &mut zip,
                &mut entries,
                &format!("certificates/{}.sd-jwt", c.id),
                c.sd_jwt.as_bytes(),
            )?;
        }
        let blobs = service.blobs()?;
        let mut written: Vec<String> = Vec::new();
        for f in files.iter().filter(|f| f.deleted_ms.is_none()) {
            if written.contains(&f.sha256) {
                continue;
            }
            let ext = FileKind::parse(&f.kind).map_or("bin", FileKind::extension);
            let path = format!("files/{}.{ext}", f.sha256);
            zip.start_file(path.as_str(), SimpleFileOptions::default())
                .map_err(zip_error)?;
            let mut content = blobs.open(&f.sha256).await?;
            let mut size = 0u64;
            while let Some(chunk) = content.next().await {
                let chunk = chunk?;
                size += chunk.len() as u64;
                zip.write_all(&chunk).map_err(zip_error)?;
            }
            // The content was checked against this hash when it was given,
            // and the envelope authenticates every chunk of it since.
            entries.push(Entry {
                path,
                sha256: f.sha256.clone(),
                size,
            });
            written.push(f.sha256.clone());
        }
        let manifest = Manifest {
            format: FORMAT.to_owned(),
            case_id: id.to_string(),
            exported_ms: service.clock().now_ms(),
            ledger_key: hex::encode(service.ledger_key().as_bytes()),
            entries,
        };
        zip.start_file(MANIFEST, SimpleFileOptions::default())
            .map_err(zip_error)?;
        zip.write_all(&pretty(&manifest)?).map_err(zip_error)?;
        let mut file = zip.finish().map_err(zip_error)?;
        file.seek(SeekFrom::Start(0))
            .map_err(ServiceError::internal)?;
        Ok(file)
    }
}
