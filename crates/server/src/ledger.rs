//! The ledger as the server serves it: signed tree heads, inclusion and
//! consistency proofs, and receipts for applicants, built from the nodes
//! the store keeps.

use std::cell::RefCell;
use std::collections::HashMap;

use yici_ledger::{
    Hash, LedgerError, Log, LogSigner, NodeStore, Receipt, SignedTreeHead, StoreError as NodeError,
};

use crate::problem::ApiError;
use crate::state::AppState;

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

fn ledger_error(e: LedgerError, field: &str) -> ApiError {
    match e {
        LedgerError::IndexOutOfRange { .. }
        | LedgerError::SizeOutOfRange { .. }
        | LedgerError::SizesReversed { .. } => ApiError::invalid(field, "range", e.to_string()),
        other => ApiError::Internal(other.to_string()),
    }
}

/// Runs `op` against the log's stored nodes.
async fn with_log<T>(
    state: &AppState,
    field: &str,
    op: impl Fn(&Log<ProofStore>) -> Result<T, LedgerError>,
) -> Result<T, ApiError> {
    let size = state.store().ledger_frontier().await?.size();
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
    let nodes = state.store().ledger_nodes(&unique).await?;
    let log = Log::open(ProofStore::Fetched { size, nodes }).map_err(|e| ledger_error(e, field))?;
    op(&log).map_err(|e| ledger_error(e, field))
}

/// The newest signed tree head, signing one for the current size first when
/// the log grew since the last one.
pub async fn current_head(state: &AppState) -> Result<SignedTreeHead, ApiError> {
    let frontier = state.store().ledger_frontier().await?;
    let latest = state.store().latest_tree_head().await?;
    if let Some(h) = latest
        && h.tree_head.size >= frontier.size()
    {
        return Ok(h);
    }
    let head = yici_ledger::TreeHead {
        size: frontier.size(),
        root_hash: frontier.root(),
        timestamp_ms: u64::try_from(state.clock().now_ms()).unwrap_or(0),
    };
    let signed = state.signer().sign(head);
    state.store().insert_tree_head(&signed).await?;
    Ok(state.store().latest_tree_head().await?.unwrap_or(signed))
}

/// An inclusion proof of leaf `index` in the tree of `size` leaves.
pub async fn inclusion(
    state: &AppState,
    index: u64,
    size: u64,
) -> Result<(Hash, Vec<Hash>, Hash), ApiError> {
    with_log(state, "leaf", |log| {
        Ok((
            log.leaf_hash(index)?,
            log.inclusion_proof(index, size)?,
            log.root_at(size)?,
        ))
    })
    .await
}

/// A consistency proof between the trees of `from` and `to` leaves.
pub async fn consistency(
    state: &AppState,
    from: u64,
    to: u64,
) -> Result<(Vec<Hash>, Hash, Hash), ApiError> {
    with_log(state, "from", |log| {
        Ok((
            log.consistency_proof(from, to)?,
            log.root_at(from)?,
            log.root_at(to)?,
        ))
    })
    .await
}

/// A receipt for leaf `index` under the current signed head.
pub async fn receipt(state: &AppState, index: u64) -> Result<Receipt, ApiError> {
    let head = current_head(state).await?;
    with_log(state, "leaf", move |log| {
        // Read what `issue` reads, in an order that cannot stop early on
        // the placeholder hashes of the recording pass.
        log.leaf_hash(index)?;
        log.inclusion_proof(index, head.tree_head.size)?;
        log.root_at(head.tree_head.size)?;
        Receipt::issue(log, index, head.clone())
    })
    .await
}

/// A new random signing key (for a data directory's first start, and tests).
pub fn random_signer() -> Result<LogSigner, ApiError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(LogSigner::from_seed(&seed))
}

/// Publishes a signed tree head every second while the log grows, until
/// `stop` resolves.
pub async fn publish_heads(state: AppState, stop: impl std::future::Future<Output = ()>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => return,
            _ = tick.tick() => {
                if let Err(e) = current_head(&state).await {
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
    use std::io::Write;
    if path.exists() {
        let text = std::fs::read_to_string(path)?;
        let bytes = hex::decode(text.trim())
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| {
                std::io::Error::other(format!("{} is not a 32-byte hex seed", path.display()))
            })?;
        return Ok(LogSigner::from_seed(&bytes));
    }
    let signer = random_signer().map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(hex::encode(signer.seed()).as_bytes())?;
    Ok(signer)
}
