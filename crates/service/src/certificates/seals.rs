//! What this server holds of the departments' seals between requests: each
//! department's issuer (its keys, decoded) and a block of its status-list
//! indexes; and, for verification, the keys each department publishes.
//!
//! Why: issuing a case's result signs one certificate per approved matter.
//! Reading and decoding a department's keys for each, and reserving each
//! status index in a write transaction of its own, cost more than the
//! signatures themselves (a profile of the case load: a seventh of the
//! server's time in `certificates_for`, most of it decoding keys).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use yici_core::catalog::DepartmentCode;
use yici_exchange::certificate::{Issuer, IssuerMetadata};
use yici_store::{Store, StoreError};

/// How long an issuer is used before its keys are read again. A rotation
/// made by this server takes effect at once; one made by another server
/// within this time (certificates signed meanwhile carry the previous key,
/// which still verifies).
pub const ISSUER_TTL: Duration = Duration::from_secs(30);

/// Status indexes reserved at a time. Those of a block this server does
/// not use before it stops stay unused: gaps in the status list, which no
/// certificate points at.
pub const STATUS_BLOCK: u64 = 64;

/// The seals of the departments, as held by this server.
#[derive(Default)]
pub struct Seals {
    issuers: Mutex<HashMap<DepartmentCode, (Arc<Issuer>, Instant)>>,
    /// Held while an issuer is loaded (or a first key made), so that
    /// requests arriving together load it once.
    loading: tokio::sync::Mutex<()>,
    /// The indexes reserved and not yet used, per department.
    blocks: tokio::sync::Mutex<HashMap<String, Range<u64>>>,
}

impl Seals {
    /// The department's issuer if it was loaded less than [`ISSUER_TTL`] ago.
    pub fn fresh(&self, department: &DepartmentCode) -> Option<Arc<Issuer>> {
        let held = self.issuers.lock().unwrap_or_else(|p| p.into_inner());
        held.get(department)
            .filter(|(_, at)| at.elapsed() < ISSUER_TTL)
            .map(|(issuer, _)| issuer.clone())
    }

    /// Keeps a freshly loaded issuer.
    pub fn keep(&self, department: DepartmentCode, issuer: Arc<Issuer>) {
        let mut held = self.issuers.lock().unwrap_or_else(|p| p.into_inner());
        held.insert(department, (issuer, Instant::now()));
    }

    /// Drops the department's issuer (its keys were rotated).
    pub fn forget(&self, department: &DepartmentCode) {
        let mut held = self.issuers.lock().unwrap_or_else(|p| p.into_inner());
        held.remove(department);
    }

    /// Waits for the right to load an issuer.
    pub async fn loading(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.loading.lock().await
    }

    /// For each `(department, n)` of `wanted`, the first of `n` consecutive
    /// status indexes of that department no certificate has used. Indexes
    /// come from the blocks this server holds; a department whose block is
    /// short gets a new one, all of them in one store call.
    pub async fn status_indexes(
        &self,
        store: &Store,
        wanted: &[(&str, u64)],
    ) -> Result<HashMap<String, u64>, StoreError> {
        let mut needed: Vec<(&str, u64)> = Vec::new();
        for &(department, n) in wanted {
            match needed.iter_mut().find(|(d, _)| *d == department) {
                Some((_, total)) => *total += n,
                None => needed.push((department, n)),
            }
        }
        let mut blocks = self.blocks.lock().await;
        let short: Vec<(&str, u64)> = needed
            .iter()
            .filter(|(d, n)| blocks.get(*d).is_none_or(|r| r.end - r.start < *n))
            .map(|&(d, n)| (d, n.max(STATUS_BLOCK)))
            .collect();
        if !short.is_empty() {
            let firsts = store.reserve_status_indexes_of(&short).await?;
            for (department, n) in short {
                let first = firsts.get(department).copied().ok_or_else(|| {
                    StoreError::Corrupt(format!("no status indexes reserved for {department}"))
                })?;
                blocks.insert(department.to_owned(), first..first + n);
            }
        }
        let mut out = HashMap::new();
        for (department, n) in needed {
            let block = blocks.get_mut(department).ok_or_else(|| {
                StoreError::Corrupt(format!("no status index block for {department}"))
            })?;
            out.insert(department.to_owned(), block.start);
            block.start += n;
        }
        Ok(out)
    }
}

/// The published keys of the departments verified so far, by department.
#[derive(Debug, Default)]
pub struct IssuerKeys {
    by_department: RwLock<HashMap<DepartmentCode, Arc<IssuerMetadata>>>,
}

impl IssuerKeys {
    pub(crate) fn cached(&self, department: &DepartmentCode) -> Option<Arc<IssuerMetadata>> {
        let map = self.by_department.read().unwrap_or_else(|p| p.into_inner());
        map.get(department).cloned()
    }

    pub(crate) fn keep(&self, department: DepartmentCode, meta: Arc<IssuerMetadata>) {
        let mut map = self
            .by_department
            .write()
            .unwrap_or_else(|p| p.into_inner());
        map.insert(department, meta);
    }
}
