//! `/ledger/verify`: anyone pastes a receipt (and, if they have it, the
//! event) and sees it verified step by step: the leaf hash, each hash of the
//! audit path, the root, and the log's signature on it.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use yici_ledger::{Leaf, Receipt, Side};

use crate::pages::{Chrome, render};
use crate::state::AppState;

/// Routes of the page.
pub fn router() -> Router<AppState> {
    Router::new().route("/ledger/verify", get(show).post(check))
}

/// One line of the trace.
pub struct StepLine {
    /// 1-based step.
    pub n: usize,
    /// Which side the sibling hash is on.
    pub side: &'static str,
    /// Sibling hash.
    pub sibling: String,
    /// Hash after this step.
    pub result: String,
}

/// The outcome shown.
pub struct Outcome {
    /// Leaf index.
    pub leaf_index: u64,
    /// Tree size of the signed head.
    pub tree_size: u64,
    /// The leaf hash used (from the event, or from the receipt).
    pub leaf_hash: String,
    /// Whether the event text was given and hashes to the receipt's leaf.
    pub event_matches: Option<bool>,
    /// The steps.
    pub steps: Vec<StepLine>,
    /// Root computed from the path.
    pub computed_root: String,
    /// Root in the signed head.
    pub signed_root: String,
    /// Whether they are equal.
    pub root_matches: bool,
    /// Whether the head's signature verifies with this log's key.
    pub signature_ok: bool,
    /// All good.
    pub valid: bool,
}

#[derive(Template)]
#[template(path = "ledger_verify.html")]
struct Page {
    c: Chrome,
    receipt: String,
    event: String,
    key_id: String,
    error: Option<String>,
    outcome: Option<Outcome>,
}

/// The form.
#[derive(Debug, Deserialize)]
pub struct Input {
    receipt: String,
    #[serde(default)]
    event: String,
}

async fn show(State(state): State<AppState>, c: Chrome) -> Response {
    render(&Page {
        c,
        receipt: String::new(),
        event: String::new(),
        key_id: hex::encode(state.signer().key_id()),
        error: None,
        outcome: None,
    })
}

/// Largest receipt or event accepted, in bytes.
const MAX_INPUT: usize = 64 * 1024;

fn verify(state: &AppState, input: &Input) -> Result<Outcome, String> {
    if input.receipt.len() > MAX_INPUT || input.event.len() > MAX_INPUT {
        return Err("too long".into());
    }
    let receipt: Receipt =
        serde_json::from_str(input.receipt.trim()).map_err(|e| format!("receipt: {e}"))?;
    let event = input.event.trim();
    let (leaf, event_matches) = if event.is_empty() {
        (Leaf::Hash(receipt.leaf_hash), None)
    } else {
        let value: serde_json::Value =
            serde_json::from_str(event).map_err(|e| format!("event: {e}"))?;
        let mut canonical = String::new();
        yici_store::ledger::canonical_json(&value, &mut canonical);
        let hash = yici_ledger::leaf_hash(canonical.as_bytes());
        (Leaf::Hash(hash), Some(hash == receipt.leaf_hash))
    };
    let trace = receipt.trace(leaf).map_err(|e| format!("receipt: {e}"))?;
    let signature_ok = receipt
        .signed_tree_head
        .verify(&state.signer().verifying_key())
        .is_ok();
    let root_matches = trace.matches();
    Ok(Outcome {
        leaf_index: receipt.leaf_index,
        tree_size: receipt.signed_tree_head.tree_head.size,
        leaf_hash: hex::encode(trace.leaf_hash),
        event_matches,
        steps: trace
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepLine {
                n: i + 1,
                side: match s.side {
                    Side::Left => "left",
                    Side::Right => "right",
                },
                sibling: hex::encode(s.sibling),
                result: hex::encode(s.result),
            })
            .collect(),
        computed_root: hex::encode(trace.computed_root),
        signed_root: hex::encode(trace.signed_root),
        root_matches,
        signature_ok,
        valid: root_matches && signature_ok && event_matches != Some(false),
    })
}

async fn check(State(state): State<AppState>, c: Chrome, Form(input): Form<Input>) -> Response {
    let (outcome, error) = match verify(&state, &input) {
        Ok(o) => (Some(o), None),
        Err(e) => (None, Some(e)),
    };
    render(&Page {
        c,
        receipt: input.receipt,
        event: input.event,
        key_id: hex::encode(state.signer().key_id()),
        error,
        outcome,
    })
}
