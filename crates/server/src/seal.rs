//! Departments' e-seals: the keys that sign their e-certificates, kept in
//! the store (a key made on first use), published as JWKS, rotated on
//! request; and issuing the certificates of a case's result.

use std::collections::HashMap;
use std::sync::Arc;

use ed25519_dalek::SigningKey;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{OsRng, SeedableRng};
use serde_json::{Map, Value, json};
use uuid::Uuid;
use yici_core::case::{Applicant, Case, TaskState};
use yici_core::catalog::{Catalog, DepartmentCode, ResultKind};
use yici_core::identifier::Identifier;
use yici_exchange::certificate::{CertificateContent, Issuer, KeyRing, StatusRef, thumbprint};
use yici_store::StoreError;
use yici_store::certificates::{NewCertificate, SealKey};

use crate::problem::ApiError;
use crate::state::AppState;

/// How long a certificate is valid unless the matter says otherwise.
pub const VALIDITY_MS: i64 = 5 * 365 * 24 * 60 * 60 * 1000;

/// The issuer identifier of a department.
pub fn iss(state: &AppState, department: &str) -> String {
    format!("{}/departments/{department}", state.public_url())
}

/// Where a department's status list is served.
pub fn status_uri(state: &AppState, department: &str) -> String {
    format!("{}/api/v1/status-lists/{department}", state.public_url())
}

fn new_key() -> Result<(SealKey, SigningKey), ApiError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| ApiError::Internal(e.to_string()))?;
    let key = SigningKey::from_bytes(&seed);
    Ok((
        SealKey {
            kid: thumbprint(&key.verifying_key()),
            seed: Some(hex::encode(seed)),
            public_key: hex::encode(key.verifying_key().as_bytes()),
            current: true,
        },
        key,
    ))
}

/// The department's issuer with its current and retired keys, making its
/// first key when it has none. Held by the server for
/// [`ISSUER_TTL`](crate::seals::ISSUER_TTL) after it is read.
pub async fn issuer(
    state: &AppState,
    department: &DepartmentCode,
) -> Result<Arc<Issuer>, ApiError> {
    let seals = state.seals();
    if let Some(issuer) = seals.fresh(department) {
        return Ok(issuer);
    }
    let _loading = seals.loading().await;
    if let Some(issuer) = seals.fresh(department) {
        return Ok(issuer);
    }
    let issuer = Arc::new(load_issuer(state, department).await?);
    seals.keep(department.clone(), issuer.clone());
    Ok(issuer)
}

async fn load_issuer(state: &AppState, department: &DepartmentCode) -> Result<Issuer, ApiError> {
    let mut keys = state.store().seal_keys(department.as_str()).await?;
    if !keys.iter().any(|k| k.current) {
        let (key, _) = new_key()?;
        match state
            .store()
            .rotate_seal_key(department.as_str(), &key, state.clock().now_ms())
            .await
        {
            // Another server made the department's first key at the same
            // moment: use that one.
            Ok(()) | Err(StoreError::Duplicate { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        keys = state.store().seal_keys(department.as_str()).await?;
    }
    let current = keys
        .iter()
        .find(|k| k.current)
        .and_then(|k| k.seed.as_deref())
        .and_then(|s| hex::decode(s).ok())
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .map(|b| SigningKey::from_bytes(&b))
        .ok_or_else(|| {
            ApiError::Internal(format!("department {department} has no usable current key"))
        })?;
    let retired = keys
        .iter()
        .filter(|k| !k.current)
        .filter_map(|k| hex::decode(&k.public_key).ok())
        .filter_map(|b| <[u8; 32]>::try_from(b).ok())
        .filter_map(|b| ed25519_dalek::VerifyingKey::from_bytes(&b).ok())
        .collect();
    Ok(Issuer::new(
        department.clone(),
        iss(state, department.as_str()),
        KeyRing::with_retired(current, retired),
    ))
}

/// Makes a new current key for the department; the old one still verifies.
pub async fn rotate(state: &AppState, department: &DepartmentCode) -> Result<String, ApiError> {
    let (key, _) = new_key()?;
    let rotated = state
        .store()
        .rotate_seal_key(department.as_str(), &key, state.clock().now_ms())
        .await;
    // Whatever the outcome, the next certificate reads the keys again.
    state.seals().forget(department);
    rotated?;
    Ok(key.kid)
}

/// The certificates a case's result consists of: one per approved matter
/// whose result is an e-certificate, signed by its department's seal.
pub async fn certificates_for(
    state: &AppState,
    case: &Case,
) -> Result<Vec<NewCertificate>, ApiError> {
    let (holder, holder_name) = match &case.subject {
        Applicant::Person {
            resident_id, name, ..
        } => (Identifier::ResidentId(*resident_id), name.clone()),
        Applicant::Enterprise { uscc, name, .. } => (Identifier::Uscc(*uscc), name.clone()),
    };
    let now = state.clock().now_ms();
    let results: Vec<_> = case
        .tasks
        .iter()
        .filter(|t| t.state == TaskState::Approved)
        .filter_map(|t| state.catalog().matters.get(&t.matter))
        .filter_map(|m| match &m.result {
            ResultKind::Certificate { certificate_type } => Some((m, certificate_type)),
            _ => None,
        })
        .collect();
    // The status index is inside what is signed, so every certificate's is
    // taken first, from the blocks this server reserved; signing then
    // happens here, beside the request, not in the store's writer.
    let wanted: Vec<(&str, u64)> = results
        .iter()
        .map(|(m, _)| (m.department.as_str(), 1))
        .collect();
    let mut next_idx = state.seals().status_indexes(state.store(), &wanted).await?;
    // The disclosures' salts come from a CSPRNG seeded once from the OS
    // here, not one getrandom call per salt (measured: 1.5 % of the
    // server's CPU under the case load).
    let mut rng = ChaCha20Rng::from_rng(OsRng)
        .map_err(|e| ApiError::Internal(format!("seeding certificate salts: {e}")))?;
    let mut out = Vec::new();
    for (matter, certificate_type) in results {
        let issuer = issuer(state, &matter.department).await?;
        let department_name = state
            .catalog()
            .departments
            .get(&matter.department)
            .map_or_else(|| matter.department.to_string(), |d| d.name.zh.to_string());
        let mut claims = Map::new();
        claims.insert("certificate_type".into(), json!(certificate_type));
        claims.insert("title".into(), json!(matter.name.zh));
        claims.insert("holder_name".into(), json!(holder_name));
        claims.insert("issuing_department".into(), json!(department_name));
        claims.insert("matter".into(), json!(matter.code.as_str()));
        claims.insert("case".into(), json!(case.id.to_string()));
        claims.insert("licensed".into(), json!(true));
        claims.insert("valid_until".into(), json!(valid_until(now + VALIDITY_MS)));
        for field in &matter.fields {
            if let Some(v) = case.form.get(field.key.as_str()).filter(|v| !v.is_null()) {
                claims.insert(field.key.to_string(), v.clone());
            }
        }
        let id = Uuid::now_v7().to_string();
        let uri = status_uri(state, matter.department.as_str());
        let vct = format!("urn:yici:certificate:{certificate_type}");
        let holder_id = holder.as_str().to_owned();
        let slot = next_idx
            .get_mut(matter.department.as_str())
            .ok_or_else(|| {
                ApiError::Internal(format!("no status index for {}", matter.department))
            })?;
        let status_idx = *slot;
        *slot += 1;
        let content = CertificateContent {
            vct: vct.clone(),
            holder,
            claims,
            iat: now / 1000,
            exp: (now + VALIDITY_MS) / 1000,
            status: StatusRef {
                uri,
                idx: status_idx,
            },
        };
        let sd_jwt = issuer
            .issue(&content, &mut rng)
            .map_err(|e| ApiError::Internal(format!("signing certificate {id}: {e}")))?
            .to_string();
        out.push(NewCertificate {
            id,
            department: matter.department.to_string(),
            matter: matter.code.to_string(),
            holder: holder_id,
            vct,
            issued_ms: now,
            expires_ms: now + VALIDITY_MS,
            status_idx,
            sd_jwt,
            library: state.library_of(matter.code.as_str()).to_vec(),
        });
    }
    Ok(out)
}

fn valid_until(ms: i64) -> Value {
    // The date in China, like every date of a case.
    let cst = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let date = time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .map(|t| t.to_offset(cst).date().to_string())
        .unwrap_or_default();
    json!(date)
}

/// Every certificate is exchange data: where a material of the catalog is
/// the result of a matter and comes from a data-set field, that field of the
/// holder's record names the certificate (written with it), so the next
/// case fetches it instead of asking for it. Matter code → its `(data set,
/// field)` pairs, found in one pass over the catalog at start.
pub fn libraries(catalog: &Catalog) -> HashMap<String, Vec<(String, String)>> {
    let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for m in catalog.matters.values() {
        for material in &m.materials {
            if let Some(result_of) = &material.result_of
                && let yici_core::catalog::MaterialSource::Exchange { dataset, field } =
                    &material.source
            {
                let targets = out.entry(result_of.to_string()).or_default();
                let target = (dataset.to_string(), field.clone());
                if !targets.contains(&target) {
                    targets.push(target);
                }
            }
        }
    }
    out
}

/// A presentation of a certificate disclosing only `names`: the
/// presentation, the public verify URL it opens, and its QR code (an SVG
/// document). Shared by the API and the holder's pages.
pub fn make_presentation(
    state: &AppState,
    sd_jwt: &str,
    names: &[&str],
) -> Result<(String, String, String), yici_exchange::certificate::CertificateError> {
    use yici_exchange::certificate::{SdJwt, present, qr_payload, qr_svg};
    let sd = SdJwt::parse(sd_jwt)?;
    let p = present(&sd, names)?;
    let verify_url = qr_payload(&format!("{}/verify", state.public_url()), &p);
    let svg = qr_svg(&verify_url)?;
    Ok((p.as_str().to_owned(), verify_url, svg))
}
