//! Recomputing the ledger from the events in the database and comparing it
//! with the stored leaves and the signed tree heads: what `yici ledger
//! verify` runs. Every finding names the event it concerns.
//!
//! The log is streamed leaf by leaf in one query, so verifying takes memory
//! for the findings and the tree's right edge, not for the log: the database
//! joins each leaf to its event and works out, with window functions, the
//! leaf before it in the same case and whether the event was already
//! recorded by an earlier leaf.
//!
//! Part of the ledger's folder: it reads the ledger's tables and the
//! events, and recomputes leaves from the vocabulary's [`EventRecord`].

use futures_util::TryStreamExt;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yici_ledger::{CompactRange, Hash, SignedTreeHead, VerifyingKey, leaf_hash};

use crate::Store;
use crate::error::StoreError;
use crate::vocabulary::EventRecord;

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

/// One leaf as the audit query returns it.
struct LeafRow {
    idx: u64,
    hash: String,
    event: String,
    /// The event it records, if still in the database.
    record: Option<EventRecord>,
    /// How many leaves up to this one record the same event (1 = first).
    copy: i64,
    /// (seq, event index) of the case's leaf before this one.
    previous: Option<(i64, i64)>,
    /// The hash level 0 of the tree recorded for this index when appended.
    appended: Option<String>,
}

/// Each leaf with its event, the case's leaf before it and the tree's own
/// copy of its hash, in leaf order.
const LEAVES: &str = "SELECT l.idx, l.leaf_hash, l.case_id, l.seq, l.event_idx, \
    ROW_NUMBER() OVER (PARTITION BY l.case_id, l.seq, l.event_idx ORDER BY l.idx) AS copy, \
    LAG(l.seq) OVER (PARTITION BY l.case_id ORDER BY l.idx) AS prev_seq, \
    LAG(l.event_idx) OVER (PARTITION BY l.case_id ORDER BY l.idx) AS prev_idx, \
    n.hash AS appended, e.kind, e.actor, e.role, e.at_ms, e.on_date, e.from_state, e.to_state, e.data \
    FROM ledger_leaves l \
    LEFT JOIN case_events e ON e.case_id = l.case_id AND e.seq = l.seq AND e.idx = l.event_idx \
    LEFT JOIN ledger_nodes n ON n.leaf_end = l.idx + 1 AND n.level = 0 \
    ORDER BY l.idx";

/// Events no leaf records.
const UNRECORDED: &str = "SELECT e.case_id, e.seq, e.idx FROM case_events e \
    WHERE NOT EXISTS (SELECT 1 FROM ledger_leaves l \
    WHERE l.case_id = e.case_id AND l.seq = e.seq AND l.event_idx = e.idx) \
    ORDER BY e.case_id, e.seq, e.idx";

fn leaf_row(r: &AnyRow) -> Result<LeafRow, StoreError> {
    let case_id: String = r.try_get("case_id")?;
    let seq: i64 = r.try_get("seq")?;
    let event_idx: i64 = r.try_get("event_idx")?;
    let record = match r.try_get::<Option<String>, _>("kind")? {
        None => None,
        Some(kind) => {
            let data: String = r.try_get("data")?;
            Some(EventRecord {
                case_id: case_id.clone(),
                seq,
                event_idx,
                kind,
                actor: r.try_get("actor")?,
                role: r.try_get("role")?,
                at_ms: r.try_get("at_ms")?,
                on: r.try_get("on_date")?,
                from_state: r.try_get("from_state")?,
                to_state: r.try_get("to_state")?,
                // Unparseable data is itself a modification; hash it as text.
                data: serde_json::from_str(&data).unwrap_or(serde_json::Value::String(data)),
            })
        }
    };
    let previous = match (
        r.try_get::<Option<i64>, _>("prev_seq")?,
        r.try_get::<Option<i64>, _>("prev_idx")?,
    ) {
        (Some(s), Some(i)) => Some((s, i)),
        _ => None,
    };
    Ok(LeafRow {
        idx: u64::try_from(r.try_get::<i64, _>("idx")?).unwrap_or(0),
        hash: r.try_get("leaf_hash")?,
        event: format!("{case_id}/{seq}/{event_idx}"),
        record,
        copy: r.try_get("copy")?,
        previous,
        appended: r.try_get("appended")?,
    })
}

impl Store {
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
        let mut heads = self.tree_heads().await?;
        heads.extend(kept.iter().cloned());
        heads.sort_by_key(|h| h.tree_head.size);
        let mut audit = Audit::new(heads, key);
        let mut leaves = sqlx::query(LEAVES).fetch(&self.pools.read);
        while let Some(row) = leaves.try_next().await? {
            audit.leaf(leaf_row(&row)?);
        }
        drop(leaves);
        let mut unrecorded = sqlx::query(UNRECORDED).fetch(&self.pools.read);
        while let Some(r) = unrecorded.try_next().await? {
            audit.unrecorded(format!(
                "{}/{}/{}",
                r.try_get::<String, _>(0)?,
                r.try_get::<i64, _>(1)?,
                r.try_get::<i64, _>(2)?
            ));
        }
        drop(unrecorded);
        let events: i64 = sqlx::query("SELECT COUNT(*) FROM case_events")
            .fetch_one(&self.pools.read)
            .await?
            .try_get(0)?;
        Ok(audit.finish(u64::try_from(events).unwrap_or(0)))
    }
}

/// The audit's state while the leaves stream by: the findings, the tree
/// recomputed so far and the signed heads not yet reached.
struct Audit<'k> {
    key: Option<&'k VerifyingKey>,
    heads: std::iter::Peekable<std::vec::IntoIter<SignedTreeHead>>,
    heads_checked: u64,
    range: CompactRange,
    findings: Vec<Finding>,
}

impl<'k> Audit<'k> {
    fn new(heads: Vec<SignedTreeHead>, key: Option<&'k VerifyingKey>) -> Self {
        let mut audit = Audit {
            key,
            heads: heads.into_iter().peekable(),
            heads_checked: 0,
            range: CompactRange::new(),
            findings: Vec::new(),
        };
        audit.check_heads();
        audit
    }

    fn find(&mut self, kind: FindingKind, leaf: Option<u64>, event: Option<&str>, detail: String) {
        self.findings.push(Finding {
            kind,
            leaf,
            event: event.map(str::to_owned),
            detail,
        });
    }

    fn leaf(&mut self, leaf: LeafRow) {
        let expected = self.range.size();
        let event = Some(leaf.event.as_str());
        if leaf.idx != expected {
            self.find(
                FindingKind::MissingLeaf,
                Some(expected),
                None,
                format!(
                    "leaf {expected} is missing (next stored leaf is {})",
                    leaf.idx
                ),
            );
        }
        let stored: Hash = hex::decode(&leaf.hash)
            .ok()
            .and_then(|b| b.try_into().ok())
            .unwrap_or([0; 32]);
        if leaf.copy > 1 {
            self.find(
                FindingKind::Duplicated,
                Some(leaf.idx),
                event,
                "a second leaf records the same event".into(),
            );
        }
        let Some(record) = &leaf.record else {
            self.find(
                FindingKind::Deleted,
                Some(leaf.idx),
                event,
                "the event this leaf records is no longer in the database".into(),
            );
            self.append(stored);
            return;
        };
        let hash = leaf_hash(&record.leaf_data());
        if hash != stored {
            self.find(
                FindingKind::Modified,
                Some(leaf.idx),
                event,
                "the event's content does not hash to its leaf: it was changed after it was recorded".into(),
            );
        }
        let case_back = leaf
            .previous
            .is_some_and(|prev| prev >= (record.seq, record.event_idx));
        // The leaf's place in the tree was fixed when it was appended.
        let moved = hash == stored && leaf.appended.as_ref().is_some_and(|h| *h != leaf.hash);
        // Wall-clock stamps of different cases may commit out of order under
        // concurrency, so order is judged per case and by the tree itself.
        if case_back || moved {
            self.find(
                FindingKind::OutOfOrder,
                Some(leaf.idx),
                event,
                "this leaf comes after a later event: leaves were reordered".into(),
            );
        }
        self.append(hash);
    }

    fn unrecorded(&mut self, event: String) {
        self.find(
            FindingKind::Inserted,
            None,
            Some(&event),
            "this event has no leaf: it was written around the ledger".into(),
        );
    }

    fn append(&mut self, hash: Hash) {
        self.range.append(hash);
        self.check_heads();
    }

    /// Checks every signed head of the size the recomputed tree has now.
    fn check_heads(&mut self) {
        let size = self.range.size();
        while let Some(h) = self.heads.next_if(|h| h.tree_head.size == size) {
            self.heads_checked += 1;
            let signed = self.key.is_none_or(|k| h.verify(k).is_ok());
            if h.tree_head.root_hash != self.range.root() || !signed {
                let detail = if signed {
                    format!(
                        "the signed head of size {size} does not match the events: an event before it was changed, removed or reordered"
                    )
                } else {
                    format!(
                        "the signature of the head of size {size} does not verify with the log's key"
                    )
                };
                self.find(FindingKind::TreeHead, None, None, detail);
            }
        }
    }

    fn finish(mut self, events: u64) -> AuditReport {
        let size = self.range.size();
        while let Some(h) = self.heads.next() {
            self.find(
                FindingKind::TreeHead,
                None,
                None,
                format!(
                    "a signed head claims size {} but the log has {size} leaves: leaves were removed",
                    h.tree_head.size
                ),
            );
        }
        AuditReport {
            leaves: size,
            events,
            heads_checked: self.heads_checked,
            root_hex: hex::encode(self.range.root()),
            findings: self.findings,
        }
    }
}
