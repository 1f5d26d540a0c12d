//! `yici archive verify PACKAGE`: checking a case file offline — every
//! entry against the manifest's SHA-256, and every ledger receipt against
//! the signed head it carries and the log's public key.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use serde::Serialize;
use yici_ledger::{Leaf, Receipt, VerifyingKey};
use yici_materials::archive::{Finding, check_entries};

use crate::Format;

#[derive(Subcommand)]
pub enum Command {
    /// Check a case file (a ZIP from `GET /api/v1/cases/{id}/archive`):
    /// entries against the manifest, receipts against the signed heads;
    /// exit 1 on any finding.
    Verify {
        /// The package.
        package: PathBuf,
        /// The log's public key in hex, as the government publishes it; by
        /// default the copy in the manifest (which proves less: whoever
        /// made the package wrote that copy too).
        #[arg(long)]
        public_key: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

/// One receipt of `receipts.json`, as the case file writes it.
#[derive(serde::Deserialize)]
struct CaseReceipt {
    kind: String,
    event: serde_json::Value,
    receipt: Receipt,
}

#[derive(Serialize)]
struct Report {
    case_id: String,
    entries: usize,
    receipts: usize,
    key_from: &'static str,
    findings: Vec<Finding>,
    valid: bool,
}

fn key_of(hex_key: &str) -> anyhow::Result<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(hex_key.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .context("the public key is not 32 bytes of hex")?;
    VerifyingKey::from_bytes(&bytes).context("not an Ed25519 public key")
}

/// The receipts' findings: each event must hash to its receipt's leaf, the
/// audit path must reach the signed root, and the head must be signed by `key`.
fn check_receipts(text: &str, key: &VerifyingKey) -> anyhow::Result<(usize, Vec<Finding>)> {
    let receipts: Vec<CaseReceipt> = serde_json::from_str(text).context("receipts.json")?;
    let mut findings = Vec::new();
    for (i, r) in receipts.iter().enumerate() {
        let path = format!("receipts.json#{i} ({})", r.kind);
        let mut canonical = String::new();
        yici_store::ledger::canonical_json(&r.event, &mut canonical);
        let leaf = yici_ledger::leaf_hash(canonical.as_bytes());
        let walked = r
            .receipt
            .trace(Leaf::Hash(leaf))
            .map(|t| t.matches())
            .unwrap_or(false);
        if leaf != r.receipt.leaf_hash || !walked {
            findings.push(Finding {
                path: path.clone(),
                kind: "changed",
            });
        }
        if r.receipt.signed_tree_head.verify(key).is_err() {
            findings.push(Finding {
                path,
                kind: "unsigned",
            });
        }
    }
    Ok((receipts.len(), findings))
}

pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    let Command::Verify {
        package,
        public_key,
        format,
    } = cmd;
    let file = std::fs::File::open(&package).with_context(|| format!("{}", package.display()))?;
    let (manifest, mut findings) =
        check_entries(file).map_err(|e| anyhow::anyhow!("{}: {e}", package.display()))?;
    let (key, key_from) = match &public_key {
        Some(k) => (key_of(k)?, "given"),
        None => (key_of(&manifest.ledger_key)?, "manifest"),
    };
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&package)?)?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("receipts.json")?, &mut text)?;
    let (receipts, receipt_findings) = check_receipts(&text, &key)?;
    findings.extend(receipt_findings);
    let report = Report {
        case_id: manifest.case_id.clone(),
        entries: manifest.entries.len(),
        receipts,
        key_from,
        valid: findings.is_empty(),
        findings,
    };
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Text => {
            for f in &report.findings {
                println!("{}: {}", f.kind, f.path);
            }
            println!(
                "case {}: {} entries, {} receipts (key from the {}): {}",
                report.case_id,
                report.entries,
                report.receipts,
                report.key_from,
                if report.valid {
                    "the case file is whole"
                } else {
                    "NOT whole"
                }
            );
        }
    }
    Ok(if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
