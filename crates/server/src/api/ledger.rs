//! `/api/v1/ledger`: the public, tamper-evident log of every event.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use yici_ledger::SignedTreeHead;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use yici_service::ledger::CaseReceipt;

use crate::auth::SignedIn;
use crate::params::{Params, RawParams};
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
    let public = state.service().ledger_key();
    let key_id = hex::encode(state.service().ledger_key_id());
    // RFC 8037 §2: the OKP key's `x` is the base64url of its raw bytes.
    let x = URL_SAFE_NO_PAD.encode(public.as_bytes());
    Json(LogKey {
        algorithm: "Ed25519",
        public_key: hex::encode(public.as_bytes()),
        jwk: serde_json::json!({"kty": "OKP", "crv": "Ed25519", "x": x, "kid": key_id, "use": "sig"}),
        key_id,
    })
}

/// The newest signed tree head (signing one now if the log grew).
#[utoipa::path(get, path = "/api/v1/ledger/head", tag = "ledger", responses((status = 200, body = serde_json::Value)))]
pub async fn head(State(state): State<AppState>) -> Result<Json<SignedTreeHead>, ApiError> {
    Ok(Json(state.service().current_head().await?))
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
    let (leaf_hash, proof, root) = state.service().inclusion(leaf, size).await?;
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
    let (proof, from_root, to_root) = state.service().consistency(from, to).await?;
    Ok(Json(ConsistencyProof {
        from,
        to,
        proof: proof.iter().map(hex::encode).collect(),
        from_root: hex::encode(from_root),
        to_root: hex::encode(to_root),
    }))
}

/// Receipts for a case's submission, each file attached or deleted, its
/// result and its delivery, for the applicant to keep and anyone to verify.
#[utoipa::path(get, path = "/api/v1/cases/{id}/receipts", tag = "ledger",
    params(("id" = String, Path)),
    responses((status = 200, body = serde_json::Value), (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn receipts(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<Vec<CaseReceipt>>, ApiError> {
    let id = super::cases::case_id(&id)?;
    Ok(Json(state.service().cases(&caller)?.receipts(&id).await?))
}
