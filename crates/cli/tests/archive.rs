//! `yici archive verify` on case files built here: a whole one passes; a
//! changed entry, an extra one, a changed event under its receipt, and a
//! head signed by another key are each found, with exit status 1.

use std::io::{Cursor, Write};
use std::path::Path;
use std::process::Command;

use yici_ledger::{LogSigner, MemoryStore, Receipt, TreeHead};
use yici_materials::archive::{Entry, FORMAT, MANIFEST, Manifest, digest};

/// A receipt of `event` (its canonical JSON the leaf) in a log of three
/// leaves signed by `signer`.
fn receipt_of(event: &serde_json::Value, signer: &LogSigner) -> Receipt {
    let mut log = yici_ledger::Log::open(MemoryStore::new()).expect("log");
    log.append(b"an earlier event").expect("append");
    let mut canonical = String::new();
    yici_store::ledger::canonical_json(event, &mut canonical);
    let (index, _) = log.append(canonical.as_bytes()).expect("append");
    log.append(b"a later event").expect("append");
    let head = signer.sign(TreeHead {
        size: log.size(),
        root_hash: log.root(),
        timestamp_ms: 1,
    });
    Receipt::issue(&log, index, head).expect("receipt")
}

/// A package of `entries` with its manifest; `extra` is added unlisted.
fn package(
    dir: &Path,
    entries: &[(&str, Vec<u8>)],
    extra: Option<(&str, &[u8])>,
    key: &str,
) -> std::path::PathBuf {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut listed = Vec::new();
    for (path, bytes) in entries {
        zip.start_file(*path, options).expect("entry");
        zip.write_all(bytes).expect("write");
        let (sha256, size) = digest(bytes);
        listed.push(Entry {
            path: (*path).to_owned(),
            sha256,
            size,
        });
    }
    if let Some((path, bytes)) = extra {
        zip.start_file(path, options).expect("entry");
        zip.write_all(bytes).expect("write");
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        case_id: "case-1".into(),
        exported_ms: 1,
        ledger_key: key.to_owned(),
        entries: listed,
    };
    zip.start_file(MANIFEST, options).expect("manifest");
    zip.write_all(&serde_json::to_vec(&manifest).expect("json"))
        .expect("write");
    let path = dir.join(format!("{}.zip", uuid::Uuid::new_v4()));
    std::fs::write(&path, zip.finish().expect("zip").into_inner()).expect("package");
    path
}

fn verify(package: &Path, key: Option<&str>) -> (i32, serde_json::Value) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_yici"));
    cmd.args(["archive", "verify"])
        .arg(package)
        .args(["--format", "json"]);
    if let Some(k) = key {
        cmd.args(["--public-key", k]);
    }
    let out = cmd.output().expect("yici runs");
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), report)
}

fn kinds(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["kind"].as_str().unwrap_or_default(),
                f["path"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn a_case_file_is_whole_and_each_change_is_found() {
    let dir = tempfile::tempdir().expect("dir");
    let signer = LogSigner::from_seed(&[3; 32]);
    let key = hex::encode(signer.verifying_key().as_bytes());
    let event = serde_json::json!({"case_id": "case-1", "seq": 1, "index": 0, "kind": "submitted"});
    let receipts = |event: &serde_json::Value| {
        serde_json::to_vec(&serde_json::json!([
            {"kind": "submitted", "event": event, "receipt": receipt_of(&event.clone(), &signer)}
        ]))
        .expect("json")
    };
    let good = vec![
        ("form.json", "{\"name\": \"张三\"}".as_bytes().to_vec()),
        ("files/abc.pdf", b"%PDF-1.4 contract".to_vec()),
        ("receipts.json", receipts(&event)),
    ];
    let (code, report) = verify(&package(dir.path(), &good, None, &key), Some(&key));
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["valid"], true);
    assert_eq!(report["receipts"], 1);

    // An entry changed after the manifest was written, and one added.
    let path = package(
        dir.path(),
        &good,
        Some(("files/new.pdf", b"%PDF-1.4 x")),
        &key,
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).expect("open")).expect("zip");
    let mut changed = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).expect("entry");
        let name = e.name().expect("name").into_owned();
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut content).expect("read");
        if name == "form.json" {
            content = "{\"name\": \"李四\"}".as_bytes().to_vec();
        }
        changed
            .start_file(name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        changed.write_all(&content).expect("write");
    }
    std::fs::write(&path, changed.finish().expect("zip").into_inner()).expect("write");
    let (code, report) = verify(&path, Some(&key));
    assert_eq!(code, 1);
    assert_eq!(
        kinds(&report),
        vec!["changed form.json", "extra files/new.pdf"]
    );

    // The event under a receipt changed (and the manifest rewritten to
    // match): its receipt no longer holds.
    let forged_event =
        serde_json::json!({"case_id": "case-1", "seq": 1, "index": 0, "kind": "rejected"});
    let mut forged_receipts: serde_json::Value =
        serde_json::from_slice(&receipts(&event)).expect("json");
    forged_receipts[0]["event"] = forged_event;
    let forged = vec![
        good[0].clone(),
        good[1].clone(),
        (
            "receipts.json",
            serde_json::to_vec(&forged_receipts).expect("json"),
        ),
    ];
    let (code, report) = verify(&package(dir.path(), &forged, None, &key), Some(&key));
    assert_eq!(code, 1);
    assert_eq!(kinds(&report), vec!["changed receipts.json#0 (submitted)"]);

    // Signed by another log's key than the one the government publishes.
    let other = hex::encode(LogSigner::from_seed(&[4; 32]).verifying_key().as_bytes());
    let (code, report) = verify(&package(dir.path(), &good, None, &key), Some(&other));
    assert_eq!(code, 1);
    assert_eq!(kinds(&report), vec!["unsigned receipts.json#0 (submitted)"]);
}
