//! Cases as this process last wrote or read them, kept by id with their
//! version, so that a read whose stored version is the one kept takes the
//! kept case instead of parsing the stored JSON again.
//!
//! Why: a case moves through a dozen requests in a few seconds, each
//! reading the version the one before wrote; parsing the snapshot was 6 %
//! of the server's CPU under the case load. A version is written once (the
//! writer's guarded update), so an id and a version name one content: a
//! kept case can be old, never wrong, whichever server wrote since, because
//! the version compared is always the one just read from the database.

use std::collections::HashMap;
use std::sync::Mutex;

use yici_core::case::{Case, CaseId};

use crate::cases::read::{StoredCase, stored_case};
use crate::error::StoreError;
use crate::sql::rows::Columns;

/// Most cases kept; beyond, the cache starts over.
const MAX_ENTRIES: usize = 4_096;

#[derive(Debug, Default)]
pub(crate) struct CaseCache {
    entries: Mutex<HashMap<CaseId, StoredCase>>,
}

impl CaseCache {
    /// The case of a row with `owner`, `version` and `snapshot` columns:
    /// the kept one if it has that version, else parsed from the row and
    /// kept.
    pub(crate) fn read(&self, id: &CaseId, row: &dyn Columns) -> Result<StoredCase, StoreError> {
        let version = u64::try_from(row.int("version")?).unwrap_or(0);
        if let Some(kept) = self.get(id, version) {
            return Ok(kept);
        }
        let stored = stored_case(row)?;
        if stored.case.id == *id && stored.case.version == version {
            self.put(stored.clone());
        }
        Ok(stored)
    }

    fn get(&self, id: &CaseId, version: u64) -> Option<StoredCase> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(id)
            .filter(|kept| kept.case.version == version)
            .cloned()
    }

    fn put(&self, stored: StoredCase) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(stored.case.id, stored);
        }
    }

    /// Keeps a case just written for `owner`.
    pub(crate) fn written(&self, case: Case, owner: &str) {
        self.put(StoredCase {
            case,
            owner: owner.to_owned(),
        });
    }

    /// Keeps a transition just written, if its case's owner is known here.
    pub(crate) fn transition_written(&self, case: Case) {
        if let Ok(mut entries) = self.entries.lock()
            && let Some(kept) = entries.get_mut(&case.id)
        {
            kept.case = case;
        }
    }
}
