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
use yici_ledger::Side;

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
        key_id: hex::encode(state.service().ledger_key_id()),
        error: None,
        outcome: None,
    })
}

fn verify(state: &AppState, input: &Input) -> Result<Outcome, String> {
    let checked = state
        .service()
        .check_receipt(&input.receipt, &input.event)?;
    let trace = &checked.trace;
    Ok(Outcome {
        leaf_index: checked.leaf_index,
        tree_size: checked.tree_size,
        leaf_hash: hex::encode(trace.leaf_hash),
        event_matches: checked.event_matches,
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
        root_matches: trace.matches(),
        signature_ok: checked.signature_ok,
        valid: checked.valid(),
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
        key_id: hex::encode(state.service().ledger_key_id()),
        error,
        outcome,
    })
}
