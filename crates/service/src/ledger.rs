//! The ledger as use cases: signed tree heads, inclusion and consistency
//! proofs for anyone, and receipts for whoever may see a case, built from
//! the nodes the store keeps; and the key the heads are signed with.

use std::cell::RefCell;
use std::collections::HashMap;

use yici_ledger::{
    Hash, LedgerError, Log, LogSigner, NodeStore, Receipt, SignedTreeHead, StoreError as NodeError,
};

use yici_core::case::CaseId;

use crate::context::Service;
use crate::error::{Result, ServiceError};
use crate::gate::CaseDesk;

/// Node reads for one proof. A proof reads only positions that depend on
/// the indices and sizes, never on hash values, so a first pass records
/// them with placeholder hashes, one query fetches them all, and a second
/// pass computes the proof from the fetched nodes.
enum ProofStore {
    Recording {
        size: u64,
        seen: RefCell<Vec<(u8, u64)>>,
    },
    Fetched {
        size: u64,
        nodes: HashMap<(u8, u64), Hash>,
    },
}

impl NodeStore for ProofStore {
    fn size(&self) -> Result<u64, NodeError> {
        Ok(match self {
            ProofStore::Recording { size, .. } | ProofStore::Fetched { size, .. } => *size,
        })
    }

    fn set_size(&mut self, _: u64) -> Result<(), NodeError> {
        Err(NodeError::new("proofs never append"))
    }

    fn get(&self, level: u8, index: u64) -> Result<Option<Hash>, NodeError> {
        Ok(match self {
            ProofStore::Recording { seen, .. } => {
                seen.borrow_mut().push((level, index));
                Some([0; 32])
            }
            ProofStore::Fetched { nodes, .. } => nodes.get(&(level, index)).copied(),
        })
    }

    fn put(&mut self, _: u8, _: u64, _: Hash) -> Result<(), NodeError> {
        Err(NodeError::new("proofs never append"))
    }
}

fn ledger_error(e: LedgerError, field: &str) -> ServiceError {
    match e {
        LedgerError::IndexOutOfRange { .. }
        | LedgerError::SizeOutOfRange { .. }
        | LedgerError::SizesReversed { .. } => ServiceError::invalid(field, "range", e.to_string()),
        other => ServiceError::Internal(other.to_string()),
    }
}

/// Runs `op` against the log's stored nodes.
async fn with_log<T>(
    service: &Service,
    field: &str,
    op: impl Fn(&Log<ProofStore>) -> std::result::Result<T, LedgerError>,
) -> Result<T> {
    let size = service.store().ledger_frontier().await?.size();
    let recording = Log::open(ProofStore::Recording {
        size,
        seen: RefCell::new(Vec::new()),
    })
    .map_err(|e| ledger_error(e, field))?;
    // Errors of the first pass (range errors) are the second pass's too.
    let _ = op(&recording);
    let positions = match recording.into_store() {
        ProofStore::Recording { seen, .. } => seen.into_inner(),
        ProofStore::Fetched { .. } => Vec::new(),
    };
    let mut unique = positions;
    unique.sort_unstable();
    unique.dedup();
    let nodes = service.store().ledger_nodes(&unique).await?;
    let log = Log::open(ProofStore::Fetched { size, nodes }).map_err(|e| ledger_error(e, field))?;
    op(&log).map_err(|e| ledger_error(e, field))
}

impl Service {
    /// The newest signed tree head, signing one for the current size first
    /// when the log grew since the last one.
    pub async fn current_head(&self) -> Result<SignedTreeHead> {
        let frontier = self.store().ledger_frontier().await?;
        let latest = self.store().latest_tree_head().await?;
        if let Some(h) = latest
            && h.tree_head.size >= frontier.size()
        {
            return Ok(h);
        }
        let head = yici_ledger::TreeHead {
            size: frontier.size(),
            root_hash: frontier.root(),
            timestamp_ms: u64::try_from(self.clock().now_ms()).unwrap_or(0),
        };
        let signed = self.signer().sign(head);
        self.store().insert_tree_head(&signed).await?;
        Ok(self.store().latest_tree_head().await?.unwrap_or(signed))
    }

    /// An inclusion proof of leaf `index` in the tree of `size` leaves:
    /// the leaf hash, the audit path and the root.
    pub async fn inclusion(&self, index: u64, size: u64) -> Result<(Hash, Vec<Hash>, Hash)> {
        with_log(self, "leaf", |log| {
            Ok((
                log.leaf_hash(index)?,
                log.inclusion_proof(index, size)?,
                log.root_at(size)?,
            ))
        })
        .await
    }

    /// A consistency proof between the trees of `from` and `to` leaves, with
    /// both roots.
    pub async fn consistency(&self, from: u64, to: u64) -> Result<(Vec<Hash>, Hash, Hash)> {
        if from > to {
            return Err(ServiceError::invalid(
                "from",
                "range",
                "from must not exceed to",
            ));
        }
        with_log(self, "from", |log| {
            Ok((
                log.consistency_proof(from, to)?,
                log.root_at(from)?,
                log.root_at(to)?,
            ))
        })
        .await
    }

    /// A receipt for leaf `index` under the current signed head.
    async fn receipt(&self, index: u64) -> Result<Receipt> {
        let head = self.current_head().await?;
        with_log(self, "leaf", move |log| {
            // Read what `issue` reads, in an order that cannot stop early on
            // the placeholder hashes of the recording pass.
            log.leaf_hash(index)?;
            log.inclusion_proof(index, head.tree_head.size)?;
            log.root_at(head.tree_head.size)?;
            Receipt::issue(log, index, head.clone())
        })
        .await
    }
}

/// A receipt of one event of a case: which event, and the proof that the
/// log holds it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CaseReceipt {
    /// `submitted`, `material_attached`, `result_issued`, `delivered` or
    /// `material_deleted`.
    pub kind: String,
    /// The event's transition (case version).
    pub seq: u64,
    /// Its position within the transition.
    pub index: u32,
    /// The event as the leaf holds it (canonical JSON).
    pub event: serde_json::Value,
    /// Leaf index and hash, signed head, inclusion proof.
    pub receipt: Receipt,
}

impl CaseDesk<'_> {
    /// The receipts of case `id`: for its submission, each file attached
    /// (its SHA-256 is in the event), its result, its delivery, and each
    /// file deleted at the end of its retention.
    pub async fn receipts(&self, id: &CaseId) -> Result<Vec<CaseReceipt>> {
        self.case(id).await?;
        let service = self.service();
        let mut out = Vec::new();
        for e in service.store().case_events(id).await? {
            let kind = e.event.kind.as_str();
            if !matches!(
                kind,
                "submitted"
                    | "material_attached"
                    | "result_issued"
                    | "delivered"
                    | "material_deleted"
            ) {
                continue;
            }
            let Some((leaf, _)) = service
                .store()
                .event_leaf(&id.to_string(), e.event.seq, e.event.index)
                .await?
            else {
                continue;
            };
            let record = yici_store::ledger::EventRecord::of(&e.event, e.at_ms);
            let mut event = serde_json::Value::Null;
            if let Ok(text) = String::from_utf8(record.leaf_data()) {
                event = serde_json::from_str(&text).unwrap_or_default();
            }
            out.push(CaseReceipt {
                kind: kind.to_owned(),
                seq: e.event.seq,
                index: e.event.index,
                event,
                receipt: service.receipt(leaf).await?,
            });
        }
        Ok(out)
    }
}

/// Publishes a signed tree head every second while the log grows, until
/// `stop` resolves.
pub async fn publish_heads(service: Service, stop: impl std::future::Future<Output = ()>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => return,
            _ = tick.tick() => {
                if let Err(e) = service.current_head().await {
                    tracing::warn!(error = %e, "could not publish a tree head");
                }
            }
        }
    }
}

/// Loads the ledger's signing key from `path` (the hex of a 32-byte seed),
/// creating it (mode 0600) on first start. Every server of one database
/// must use the same key file.
pub fn load_or_create_key(path: &std::path::Path) -> std::io::Result<LogSigner> {
    Ok(LogSigner::from_seed(&crate::keyfile::load_or_create(path)?))
}

/// A receipt checked step by step, as anyone can check it: the walk from
/// the leaf to the root, and whether the log's key signed that root.
#[derive(Debug, Clone)]
pub struct ReceiptCheck {
    /// The receipt's leaf index.
    pub leaf_index: u64,
    /// The tree size of its signed head.
    pub tree_size: u64,
    /// Whether the event text was given and hashes to the receipt's leaf.
    pub event_matches: Option<bool>,
    /// The walk: leaf hash, each step, computed and signed roots.
    pub trace: yici_ledger::Trace,
    /// Whether the head's signature verifies with this log's key.
    pub signature_ok: bool,
}

impl ReceiptCheck {
    /// Every check passed.
    pub fn valid(&self) -> bool {
        self.trace.matches() && self.signature_ok && self.event_matches != Some(false)
    }
}

/// Largest receipt or event text checked, in bytes.
pub const MAX_RECEIPT_TEXT: usize = 64 * 1024;

impl Service {
    /// Checks a receipt (JSON, as `GET /cases/{id}/receipts` gives it) and,
    /// if given, the event it is for (whose canonical JSON is the leaf).
    /// What cannot be read is said in words naming the input.
    pub fn check_receipt(
        &self,
        receipt: &str,
        event: &str,
    ) -> std::result::Result<ReceiptCheck, String> {
        if receipt.len() > MAX_RECEIPT_TEXT || event.len() > MAX_RECEIPT_TEXT {
            return Err("too long".into());
        }
        let receipt: Receipt =
            serde_json::from_str(receipt.trim()).map_err(|e| format!("receipt: {e}"))?;
        let event = event.trim();
        let (leaf, event_matches) = if event.is_empty() {
            (receipt.leaf_hash, None)
        } else {
            let value: serde_json::Value =
                serde_json::from_str(event).map_err(|e| format!("event: {e}"))?;
            let mut canonical = String::new();
            yici_store::ledger::canonical_json(&value, &mut canonical);
            let hash = yici_ledger::leaf_hash(canonical.as_bytes());
            (hash, Some(hash == receipt.leaf_hash))
        };
        let trace = receipt
            .trace(yici_ledger::Leaf::Hash(leaf))
            .map_err(|e| format!("receipt: {e}"))?;
        let signature_ok = receipt
            .signed_tree_head
            .verify(&self.signer().verifying_key())
            .is_ok();
        Ok(ReceiptCheck {
            leaf_index: receipt.leaf_index,
            tree_size: receipt.signed_tree_head.tree_head.size,
            event_matches,
            trace,
            signature_ok,
        })
    }
}
