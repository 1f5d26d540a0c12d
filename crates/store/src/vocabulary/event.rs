//! An event as the store records it: its fields, and its leaf in the
//! ledger. Here, in the vocabulary, because the cases write events, the
//! exchange and the certificates write side events, the ledger appends
//! their leaves and the audit recomputes them: all of them speak it.
//!
//! The leaf data of an event is its JSON object with exactly the keys
//! `actor, at_ms, case_id, data, event_idx, from_state, kind, on, role, seq,
//! to_state` (values as stored and as `GET /api/v1/cases/{id}` shows them),
//! written canonically: object keys sorted by byte order at every depth, no
//! whitespace, strings and numbers as serde_json writes them (for the value
//! types used here this is RFC 8785 JSON Canonicalization). The leaf hash is
//! `SHA-256(0x00 || data)` (RFC 9162 §2.1.1), so anyone holding the event
//! can recompute it.

use yici_core::case::Event;
use yici_ledger::{Hash, leaf_hash};

/// Writes `v` canonically (sorted keys, no whitespace) into `out`.
pub fn canonical_json(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::String((*k).clone()).to_string());
                out.push(':');
                canonical_json(&map[*k], out);
            }
            out.push('}');
        }
        serde_json::Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_json(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The fields of a stored event, as the leaf records them.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    /// Case id.
    pub case_id: String,
    /// Transition (case version).
    pub seq: i64,
    /// Position in the transition.
    pub event_idx: i64,
    /// Kind.
    pub kind: String,
    /// Actor.
    pub actor: String,
    /// Role.
    pub role: String,
    /// When written (ms).
    pub at_ms: i64,
    /// Day.
    pub on: String,
    /// State before.
    pub from_state: Option<String>,
    /// State after.
    pub to_state: String,
    /// Data.
    pub data: serde_json::Value,
}

/// An event made ready for the store's writer in the task of the request
/// that made it, so that the writer, which holds the one write connection
/// while it works, only gathers: the event's record, its leaf hash and its
/// data as JSON text.
pub(crate) struct Prepared {
    /// The record.
    pub record: EventRecord,
    /// Its leaf hash (RFC 6962, of [`EventRecord::leaf_data`]).
    pub leaf: Hash,
    /// Its data, serialized.
    pub data: String,
}

impl Prepared {
    /// Prepares a domain event written at `at_ms`.
    pub(crate) fn of(e: &Event, at_ms: i64) -> Self {
        let record = EventRecord::of(e, at_ms);
        Prepared {
            leaf: leaf_hash(&record.leaf_data()),
            data: record.data.to_string(),
            record,
        }
    }
}

impl EventRecord {
    /// The record of a domain event written at `at_ms`.
    pub fn of(e: &Event, at_ms: i64) -> Self {
        EventRecord {
            case_id: e.case_id.to_string(),
            seq: i64::try_from(e.seq).unwrap_or(i64::MAX),
            event_idx: i64::from(e.index),
            kind: e.kind.as_str().to_owned(),
            actor: e.actor.clone(),
            role: e.role.as_str().to_owned(),
            at_ms,
            on: e.on.to_string(),
            from_state: e.from_state.map(|s| s.as_str().to_owned()),
            to_state: e.to_state.as_str().to_owned(),
            data: e.data.clone(),
        }
    }

    /// The leaf data: the canonical JSON described in the module docs.
    pub fn leaf_data(&self) -> Vec<u8> {
        let fields = LeafFields {
            actor: &self.actor,
            at_ms: self.at_ms,
            case_id: &self.case_id,
            data: &self.data,
            event_idx: self.event_idx,
            from_state: self.from_state.as_deref(),
            kind: &self.kind,
            on: &self.on,
            role: &self.role,
            seq: self.seq,
            to_state: &self.to_state,
        };
        serde_json::to_vec(&fields).unwrap_or_else(|_| self.leaf_data_from_tree())
    }

    /// The same bytes, built as a tree of values and then sorted: the
    /// definition [`LeafFields`] is checked against.
    fn leaf_data_from_tree(&self) -> Vec<u8> {
        let v = serde_json::json!({
            "actor": self.actor,
            "at_ms": self.at_ms,
            "case_id": self.case_id,
            "data": self.data,
            "event_idx": self.event_idx,
            "from_state": self.from_state,
            "kind": self.kind,
            "on": self.on,
            "role": self.role,
            "seq": self.seq,
            "to_state": self.to_state,
        });
        let mut out = String::new();
        canonical_json(&v, &mut out);
        out.into_bytes()
    }
}

/// An event's leaf fields in canonical order, borrowed. serde writes a
/// struct's fields in declaration order (here sorted) and a
/// `serde_json::Map` in its keys' order (a `BTreeMap`: the workspace does
/// not enable serde_json's `preserve_order`, which a test guards), so this
/// serializes straight to the canonical JSON, with no tree of values built,
/// copied and sorted first — that was most of an event's cost in the
/// request (bench/RESULTS.md, session 5).
#[derive(serde::Serialize)]
struct LeafFields<'a> {
    actor: &'a str,
    at_ms: i64,
    case_id: &'a str,
    data: &'a serde_json::Value,
    event_idx: i64,
    from_state: Option<&'a str>,
    kind: &'a str,
    on: &'a str,
    role: &'a str,
    seq: i64,
    to_state: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_data_is_the_canonical_json_of_the_event() {
        // Keys inserted out of order at every depth, escapes, non-ASCII,
        // numbers of each kind, a null.
        let data: serde_json::Value = serde_json::from_str(
            r#"{"zeta": {"b": [3, {"y": 1, "x": "引号\"与\\"}], "a": null}, "alpha": -1.5, "mid": 18446744073709551615, "Émile": "\u0007"}"#,
        )
        .expect("data");
        for from_state in [None, Some("submitted".to_owned())] {
            let record = EventRecord {
                case_id: "c-1".into(),
                seq: 3,
                event_idx: 1,
                kind: "accepted".into(),
                actor: "clerk\"1".into(),
                role: "window_clerk".into(),
                at_ms: 1_795_000_000_000,
                on: "2026-11-27".into(),
                from_state,
                to_state: "in_review".into(),
                data: data.clone(),
            };
            let fast = String::from_utf8(record.leaf_data()).expect("utf-8");
            let tree = String::from_utf8(record.leaf_data_from_tree()).expect("utf-8");
            assert_eq!(fast, tree);
            assert!(fast.starts_with(
                r#"{"actor":"clerk\"1","at_ms":1795000000000,"case_id":"c-1","data":{"alpha":-1.5,"#
            ));
        }
    }
}
