//! `/api/v1/ledger`: the public, tamper-evident log of every event.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use yici_ledger::{Receipt, SignedTreeHead};

use super::params::{Params, RawParams};
use crate::auth::Caller;
use crate::authz;
use crate::ledger;
use crate::problem::ApiError;
use crate::state::AppState;

/// The log's public key.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LogKey {
    /// Algorithm: Ed25519 (RFC 8032).
    pub algorithm: &'static str,
    /// Public key, hex.
    pub public_key: String,
    /// SHA-256 of the public key, hex: the `key_id` of every signed head.
    pub key_id: String,
    /// The same key as a JWK (RFC 8037 OKP).
    #[schema(value_type = Object)]
    pub jwk: serde_json::Value,
}

/// The key signed tree heads verify with (also at
/// `/.well-known/yici-ledger-key`).
#[utoipa::path(get, path = "/api/v1/ledger/key", tag = "ledger", responses((status = 200, body = LogKey)))]
pub async fn key(State(state): State<AppState>) -> Json<LogKey> {
    let public = state.signer().verifying_key();
    let x = base64url(public.as_bytes());
    Json(LogKey {
        algorithm: "Ed25519",
        public_key: hex::encode(public.as_bytes()),
        key_id: hex::encode(state.signer().key_id()),
        jwk: serde_json::json!({"kty": "OKP", "crv": "Ed25519", "x": x, "kid": hex::encode(state.signer().key_id()), "use": "sig"}),
    })
}

/// Unpadded base64url (RFC 4648 §5), for the JWK.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// The newest signed tree head (signing one now if the log grew).
#[utoipa::path(get, path = "/api/v1/ledger/head", tag = "ledger", responses((status = 200, body = serde_json::Value)))]
pub async fn head(State(state): State<AppState>) -> Result<Json<SignedTreeHead>, ApiError> {
    ledger::current_head(&state).await.map(Json)
}

fn u64_param(params: &RawParams, name: &str) -> Result<u64, ApiError> {
    let raw = params
        .get(name)
        .ok_or_else(|| ApiError::invalid(name, "required", format!("{name} is required")))?;
    raw.trim()
        .parse()
        .map_err(|_| ApiError::invalid(name, "integer", format!("{name} must be a whole number")))
}

/// An inclusion proof.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InclusionProof {
    /// Leaf index.
    pub leaf_index: u64,
    /// Tree size the proof is for.
    pub tree_size: u64,
    /// The leaf's hash, hex.
    pub leaf_hash: String,
    /// The audit path, hex, leaf to root (RFC 9162 §2.1.3).
    pub proof: Vec<String>,
    /// The root of that tree, hex.
    pub root_hash: String,
}

/// Proves leaf `leaf` is in the tree of `size` leaves.
#[utoipa::path(get, path = "/api/v1/ledger/proof/inclusion", tag = "ledger",
    params(("leaf" = u64, Query), ("size" = u64, Query)),
    responses((status = 200, body = InclusionProof), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn inclusion(
    State(state): State<AppState>,
    Params(params): Params,
) -> Result<Json<InclusionProof>, ApiError> {
    let leaf = u64_param(&params, "leaf")?;
    let size = u64_param(&params, "size")?;
    let (leaf_hash, proof, root) = ledger::inclusion(&state, leaf, size).await?;
    Ok(Json(InclusionProof {
        leaf_index: leaf,
        tree_size: size,
        leaf_hash: hex::encode(leaf_hash),
        proof: proof.iter().map(hex::encode).collect(),
        root_hash: hex::encode(root),
    }))
}

/// A consistency proof.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConsistencyProof {
    /// The earlier size.
    pub from: u64,
    /// The later size.
    pub to: u64,
    /// The proof, hex (RFC 9162 §2.1.4).
    pub proof: Vec<String>,
    /// Root of the earlier tree.
    pub from_root: String,
    /// Root of the later tree.
    pub to_root: String,
}

/// Proves the tree of `to` leaves extends the tree of `from` leaves.
#[utoipa::path(get, path = "/api/v1/ledger/proof/consistency", tag = "ledger",
    params(("from" = u64, Query), ("to" = u64, Query)),
    responses((status = 200, body = ConsistencyProof), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn consistency(
    State(state): State<AppState>,
    Params(params): Params,
) -> Result<Json<ConsistencyProof>, ApiError> {
    let from = u64_param(&params, "from")?;
    let to = u64_param(&params, "to")?;
    if from > to {
        return Err(ApiError::invalid(
            "from",
            "range",
            "from must not exceed to",
        ));
    }
    let (proof, from_root, to_root) = ledger::consistency(&state, from, to).await?;
    Ok(Json(ConsistencyProof {
        from,
        to,
        proof: proof.iter().map(hex::encode).collect(),
        from_root: hex::encode(from_root),
        to_root: hex::encode(to_root),
    }))
}

/// A receipt for one event of a case.
#[derive(Debug, Serialize)]
pub struct CaseReceipt {
    /// The event's kind (`submitted`, `result_issued`, ...).
    pub kind: String,
    /// The event's transition and position.
    pub seq: u64,
    /// Position within the transition.
    pub index: u32,
    /// The event as recorded (its canonical form is the leaf data).
    pub event: serde_json::Value,
    /// Leaf, proof and signed head.
    pub receipt: Receipt,
}

/// Receipts for a case's submission and result (and delivery), for the
/// applicant to keep and anyone to verify.
#[utoipa::path(get, path = "/api/v1/cases/{id}/receipts", tag = "ledger",
    params(("id" = String, Path)),
    responses((status = 200, body = serde_json::Value), (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn receipts(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<CaseReceipt>>, ApiError> {
    let id = super::cases::case_id(&id)?;
    let stored = state.store().case(&id).await?;
    if !stored.as_ref().is_some_and(|s| authz::may_view(&caller, s)) {
        return Err(ApiError::NotFound {
            what: "case",
            id: id.to_string(),
        });
    }
    let mut out = Vec::new();
    for e in state.store().case_events(&id).await? {
        let kind = e.event.kind.as_str();
        if !matches!(kind, "submitted" | "result_issued" | "delivered") {
            continue;
        }
        let Some((leaf, _)) = state
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
            receipt: ledger::receipt(&state, leaf).await?,
        });
    }
    Ok(Json(out))
}
