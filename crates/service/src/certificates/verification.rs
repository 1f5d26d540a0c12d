//! Verifying a presentation here, where the certificates were issued: only
//! the issuing department's keys are loaded (and kept, since a department's
//! published keys only ever grow), and only the one status entry the
//! certificate names is read, from the store, on every verification.
//!
//! Why the status is never cached: a revocation must count from the moment
//! it is committed, by whichever server of a shared database made it. One
//! indexed row costs less than any cache invalidation across servers would.
//! Why the keys may be: rotation adds a key and keeps the old public half
//! (`Service::rotate_seal`), so a cached key set can only be *missing* a key, never
//! hold a withdrawn one; a `kid` the cache does not know reloads it.

use std::sync::Arc;

use yici_core::catalog::DepartmentCode;
use yici_exchange::certificate::{
    CertificateError, IssuerMetadata, Jwk, Jwks, Status, StatusRef, Verified, claimed,
    verify_by_issuer,
};

use crate::context::Service;
use crate::error::Result;

/// The published keys of a department (current and retired), as stored.
pub(crate) async fn metadata(service: &Service, code: &DepartmentCode) -> Result<IssuerMetadata> {
    let keys = service.store().seal_keys(code.as_str()).await?;
    let jwks = Jwks {
        keys: keys
            .iter()
            .filter_map(|k| hex::decode(&k.public_key).ok())
            .filter_map(|b| <[u8; 32]>::try_from(b).ok())
            .filter_map(|b| ed25519_dalek::VerifyingKey::from_bytes(&b).ok())
            .map(|k| Jwk::from_key(&k))
            .collect(),
    };
    Ok(IssuerMetadata {
        issuer: service.iss(code.as_str()),
        jwks,
    })
}

/// The department whose issuer identifier (or status list URI, with
/// `path` = `api/v1/status-lists`) this server publishes as `url`.
fn department_at(service: &Service, url: &str, path: &str) -> Option<DepartmentCode> {
    let code = url
        .strip_prefix(service.public_url())?
        .strip_prefix('/')?
        .strip_prefix(path)?
        .strip_prefix('/')?;
    DepartmentCode::parse(code)
        .ok()
        .filter(|c| service.catalog().departments.contains_key(c))
}

/// The keys of `department`, from the cache when it knows `kid`.
async fn issuer_keys(
    service: &Service,
    department: &DepartmentCode,
    kid: Option<&str>,
) -> Option<Arc<IssuerMetadata>> {
    let cache = service.issuer_keys();
    if let Some(meta) = cache.cached(department)
        && kid.is_some_and(|k| meta.jwks.find(k).is_some())
    {
        return Some(meta);
    }
    // A department that never sealed anything publishes no keys: nothing
    // of it can verify, and nothing is kept until it has some.
    let meta = metadata(service, department)
        .await
        .ok()
        .filter(|m| !m.jwks.keys.is_empty())?;
    let meta = Arc::new(meta);
    cache.keep(department.clone(), meta.clone());
    Some(meta)
}

/// The status of the entry `status_ref` names, when it is an entry of
/// `issuer`'s own list here; `None` when this server keeps no such entry.
async fn own_status(
    service: &Service,
    issuer: &DepartmentCode,
    status_ref: &StatusRef,
) -> Option<Result<Status, CertificateError>> {
    let list = department_at(service, &status_ref.uri, "api/v1/status-lists")?;
    if list != *issuer {
        return None;
    }
    let value = service
        .store()
        .certificate_status(list.as_str(), status_ref.idx)
        .await
        .ok()??;
    Some(Status::from_value(value))
}

/// Verifies a presentation against the issuing department's published keys
/// and its status entry: signature, disclosures, expiry and status.
pub(crate) async fn check(
    service: &Service,
    presentation: &str,
) -> std::result::Result<Verified, CertificateError> {
    let presentation = presentation.trim();
    let claim = claimed(presentation)?;
    let issuer = department_at(service, &claim.iss, "departments");
    let mut keys = None;
    let mut status = None;
    if let Some(department) = &issuer
        && let Some(meta) = issuer_keys(service, department, claim.kid.as_deref()).await
    {
        keys = Some(meta);
        if let Some(r) = &claim.status_ref {
            status = own_status(service, department, r)
                .await
                .map(|s| (r.clone(), s));
        }
    }
    let trusted: &[IssuerMetadata] = match &keys {
        Some(meta) => std::slice::from_ref(meta.as_ref()),
        None => &[],
    };
    verify_by_issuer(
        presentation,
        trusted,
        service.clock().now_ms() / 1000,
        |signed| match status {
            // The entry read before the signature was checked is used only
            // if it is the one the signed certificate names.
            Some((read, found)) if &read == signed => found,
            _ => Err(CertificateError::StatusListUnavailable {
                uri: signed.uri.clone(),
            }),
        },
    )
}
