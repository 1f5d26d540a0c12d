//! Recomputing the ledger from the events in the database and comparing it
//! with the stored leaves and the signed tree heads: what `yici ledger
//! verify` runs. Every finding names the event it concerns.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;
use sqlx::Row;
use yici_ledger::{CompactRange, Hash, SignedTreeHead, VerifyingKey, leaf_hash};

use crate::Store;
use crate::error::StoreError;
use crate::ledger::EventRecord;

/// What is wrong with one event or leaf.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// The event's content no longer hashes to its leaf.
    Modified,
    /// A leaf records an event that is gone.
    Deleted,
    /// An event has no leaf: written around the ledger.
    Inserted,
    /// Leaves are out of the order their events happened in.
    OutOfOrder,
    /// Two leaves record the same event.
    Duplicated,
    /// A leaf index is missing from the sequence.
    MissingLeaf,
    /// A signed tree head does not match the recomputed log, or its
    /// signature does not verify.
    TreeHead,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What.
    pub kind: FindingKind,
    /// Leaf index, when one is concerned.
    pub leaf: Option<u64>,
    /// The event `case_id/seq/event_idx`, when one is concerned.
    pub event: Option<String>,
    /// Explanation.
    pub detail: String,
}

/// The outcome of a verification.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuditReport {
    /// Leaves in the log.
    pub leaves: u64,
    /// Events in the database.
    pub events: u64,
    /// Signed tree heads checked.
    pub heads_checked: u64,
    /// The root recomputed from the events.
    pub root_hex: String,
    /// Everything wrong; empty when the log is intact.
    pub findings: Vec<Finding>,
}

fn key(r: &EventRecord) -> String {
    format!("{}/{}/{}", r.case_id, r.seq, r.event_idx)
}

struct LeafRow {
    idx: u64,
    hash: String,
    event: String,
}

impl Store {
    async fn audit_rows(
        &self,
    ) -> Result<
        (
            Vec<LeafRow>,
            BTreeMap<String, EventRecord>,
            BTreeMap<u64, String>,
        ),
        StoreError,
    > {
        // The leaf hashes as the tree's level 0 recorded them when appended.
        let mut appended = BTreeMap::new();
        for r in sqlx::query("SELECT idx, hash FROM ledger_nodes WHERE level = 0")
            .fetch_all(&self.pools.read)
            .await?
        {
            appended.insert(
                u64::try_from(r.try_get::<i64, _>("idx")?).unwrap_or(0),
                r.try_get::<String, _>("hash")?,
            );
        }
        let leaves = sqlx::query(
            "SELECT idx, leaf_hash, case_id, seq, event_idx FROM ledger_leaves ORDER BY idx",
        )
        .fetch_all(&self.pools.read)
        .await?
        .iter()
        .map(|r| {
            Ok(LeafRow {
                idx: u64::try_from(r.try_get::<i64, _>("idx")?).unwrap_or(0),
                hash: r.try_get("leaf_hash")?,
                event: format!(
                    "{}/{}/{}",
                    r.try_get::<String, _>("case_id")?,
                    r.try_get::<i64, _>("seq")?,
                    r.try_get::<i64, _>("event_idx")?
                ),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let mut events = BTreeMap::new();
        for r in sqlx::query(
            "SELECT case_id, seq, idx, kind, actor, role, at_ms, on_date, from_state, to_state, data FROM case_events",
        )
        .fetch_all(&self.pools.read)
        .await?
        {
            let data: String = r.try_get("data")?;
            let record = EventRecord {
                case_id: r.try_get("case_id")?,
                seq: r.try_get("seq")?,
                event_idx: r.try_get("idx")?,
                kind: r.try_get("kind")?,
                actor: r.try_get("actor")?,
                role: r.try_get("role")?,
                at_ms: r.try_get("at_ms")?,
                on: r.try_get("on_date")?,
                from_state: r.try_get("from_state")?,
                to_state: r.try_get("to_state")?,
                // Unparseable data is itself a modification; hash it as text.
                data: serde_json::from_str(&data).unwrap_or(serde_json::Value::String(data)),
            };
            events.insert(key(&record), record);
        }
        Ok((leaves, events, appended))
    }

    /// Recomputes the log from the events and checks it against the leaves
    /// and every signed tree head (with `key`, when given).
    pub async fn audit_ledger(
        &self,
        key: Option<&VerifyingKey>,
    ) -> Result<AuditReport, StoreError> {
        self.audit_ledger_with(key, &[]).await
    }

    /// As [`Store::audit_ledger`], also checking heads kept outside the
    /// database (exported earlier by a monitor): the log must extend them.
    pub async fn audit_ledger_with(
        &self,
        key: Option<&VerifyingKey>,
        kept: &[SignedTreeHead],
    ) -> Result<AuditReport, StoreError> {
        let (leaves, events, appended) = self.audit_rows().await?;
        let mut heads = self.tree_heads().await?;
        heads.extend(kept.iter().cloned());
        heads.sort_by_key(|h| h.tree_head.size);
        Ok(audit(&leaves, &events, &appended, &heads, key))
    }
}

fn audit(
    leaves: &[LeafRow],
    events: &BTreeMap<String, EventRecord>,
    appended: &BTreeMap<u64, String>,
    heads: &[SignedTreeHead],
    key: Option<&VerifyingKey>,
) -> AuditReport {
    let mut findings = Vec::new();
    let mut seen = HashSet::new();
    let mut recomputed: Vec<Hash> = Vec::with_capacity(leaves.len());
    // Last (seq, event_idx) seen per case, to catch reordering.
    let mut last: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for (expected, leaf) in leaves.iter().enumerate() {
        let expected = expected as u64;
        if leaf.idx != expected {
            findings.push(Finding {
                kind: FindingKind::MissingLeaf,
                leaf: Some(expected),
                event: None,
                detail: format!(
                    "leaf {expected} is missing (next stored leaf is {})",
                    leaf.idx
                ),
            });
        }
        let stored: Hash = hex::decode(&leaf.hash)
            .ok()
            .and_then(|b| b.try_into().ok())
            .unwrap_or([0; 32]);
        if !seen.insert(leaf.event.clone()) {
            findings.push(Finding {
                kind: FindingKind::Duplicated,
                leaf: Some(leaf.idx),
                event: Some(leaf.event.clone()),
                detail: "a second leaf records the same event".into(),
            });
        }
        let Some(record) = events.get(&leaf.event) else {
            findings.push(Finding {
                kind: FindingKind::Deleted,
                leaf: Some(leaf.idx),
                event: Some(leaf.event.clone()),
                detail: "the event this leaf records is no longer in the database".into(),
            });
            recomputed.push(stored);
            continue;
        };
        let hash = leaf_hash(&record.leaf_data());
        if hash != stored {
            findings.push(Finding {
                kind: FindingKind::Modified,
                leaf: Some(leaf.idx),
                event: Some(leaf.event.clone()),
                detail: "the event's content does not hash to its leaf: it was changed after it was recorded".into(),
            });
        }
        let order = (record.seq, record.event_idx);
        let case_back = last
            .get(record.case_id.as_str())
            .is_some_and(|prev| *prev >= order);
        // The leaf's place in the tree was fixed when it was appended.
        let moved = hash == stored && appended.get(&leaf.idx).is_some_and(|h| *h != leaf.hash);
        // Wall-clock stamps of different cases may commit out of order under
        // concurrency, so order is judged per case and by the tree itself.
        if case_back || moved {
            findings.push(Finding {
                kind: FindingKind::OutOfOrder,
                leaf: Some(leaf.idx),
                event: Some(leaf.event.clone()),
                detail: "this leaf comes after a later event: leaves were reordered".into(),
            });
        }
        last.insert(record.case_id.as_str(), order);
        recomputed.push(hash);
    }
    for (k, _) in events.iter().filter(|(k, _)| !seen.contains(*k)) {
        findings.push(Finding {
            kind: FindingKind::Inserted,
            leaf: None,
            event: Some(k.clone()),
            detail: "this event has no leaf: it was written around the ledger".into(),
        });
    }
    let mut range = CompactRange::new();
    let mut heads_checked = 0;
    let mut heads = heads.iter().peekable();
    let mut check =
        |range: &CompactRange,
         findings: &mut Vec<Finding>,
         heads: &mut std::iter::Peekable<std::slice::Iter<SignedTreeHead>>| {
            while let Some(h) = heads.next_if(|h| h.tree_head.size == range.size()) {
                heads_checked += 1;
                let signed = key.is_none_or(|k| h.verify(k).is_ok());
                if h.tree_head.root_hash != range.root() || !signed {
                    findings.push(Finding {
                    kind: FindingKind::TreeHead,
                    leaf: None,
                    event: None,
                    detail: if signed {
                        format!("the signed head of size {} does not match the events: an event before it was changed, removed or reordered", h.tree_head.size)
                    } else {
                        format!("the signature of the head of size {} does not verify with the log's key", h.tree_head.size)
                    },
                });
                }
            }
        };
    check(&range, &mut findings, &mut heads);
    for h in &recomputed {
        range.append(*h);
        check(&range, &mut findings, &mut heads);
    }
    for h in heads {
        findings.push(Finding {
            kind: FindingKind::TreeHead,
            leaf: None,
            event: None,
            detail: format!(
                "a signed head claims size {} but the log has {} leaves: leaves were removed",
                h.tree_head.size,
                range.size()
            ),
        });
    }
    AuditReport {
        leaves: leaves.len() as u64,
        events: events.len() as u64,
        heads_checked,
        root_hex: hex::encode(range.root()),
        findings,
    }
}
