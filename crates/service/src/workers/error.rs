//! Why a worker pass stopped.

use yici_store::StoreError;

/// Why a worker pass stopped.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The store failed; the pass stops and the next one tries again.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The HTTP client could not be built (TLS backend).
    #[error("HTTP client: {0}")]
    Client(#[from] reqwest::Error),
    /// A use case failed (the blob store, say); the next pass tries again.
    #[error(transparent)]
    Service(crate::ServiceError),
}
