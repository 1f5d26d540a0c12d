//! Departments' e-seals: the keys that sign their e-certificates, kept in
//! the store (a key made on first use), published as JWKS, rotated on
//! request; and issuing the certificates of a case's result.

use std::sync::Arc;

use ed25519_dalek::SigningKey;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{OsRng, SeedableRng};
use uuid::Uuid;
use yici_core::case::Case;
use yici_core::catalog::DepartmentCode;
use yici_exchange::certificate::{CertificateContent, Issuer, KeyRing, StatusRef, thumbprint};
use yici_exchange::content::{VALIDITY_MS, certified, claims, holder_of, vct};
use yici_store::StoreError;
use yici_store::certificates::{NewCertificate, SealKey};

use crate::context::Service;
use crate::error::{Result, ServiceError};

fn new_key() -> Result<(SealKey, SigningKey)> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(ServiceError::internal)?;
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

impl Service {
    /// The issuer identifier of a department.
    pub fn iss(&self, department: &str) -> String {
        format!("{}/departments/{department}", self.public_url())
    }

    /// Where a department's status list is served.
    pub fn status_uri(&self, department: &str) -> String {
        format!("{}/api/v1/status-lists/{department}", self.public_url())
    }

    /// The department's issuer with its current and retired keys, making
    /// its first key when it has none. Held by the server for
    /// [`ISSUER_TTL`](super::seals::ISSUER_TTL) after it is read.
    pub(crate) async fn issuer(&self, department: &DepartmentCode) -> Result<Arc<Issuer>> {
        let seals = self.seals();
        if let Some(issuer) = seals.fresh(department) {
            return Ok(issuer);
        }
        let _loading = seals.loading().await;
        if let Some(issuer) = seals.fresh(department) {
            return Ok(issuer);
        }
        let issuer = Arc::new(load_issuer(self, department).await?);
        seals.keep(department.clone(), issuer.clone());
        Ok(issuer)
    }

    /// Makes a new current key for the department; the old one still
    /// verifies. Returns the new key's id.
    pub(crate) async fn rotate_seal(&self, department: &DepartmentCode) -> Result<String> {
        let (key, _) = new_key()?;
        let rotated = self
            .store()
            .rotate_seal_key(department.as_str(), &key, self.clock().now_ms())
            .await;
        // Whatever the outcome, the next certificate reads the keys again.
        self.seals().forget(department);
        rotated?;
        Ok(key.kid)
    }
}

async fn load_issuer(service: &Service, department: &DepartmentCode) -> Result<Issuer> {
    let mut keys = service.store().seal_keys(department.as_str()).await?;
    if !keys.iter().any(|k| k.current) {
        let (key, _) = new_key()?;
        match service
            .store()
            .rotate_seal_key(department.as_str(), &key, service.clock().now_ms())
            .await
        {
            // Another server made the department's first key at the same
            // moment: use that one.
            Ok(()) | Err(StoreError::Duplicate { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        keys = service.store().seal_keys(department.as_str()).await?;
    }
    let current = keys
        .iter()
        .find(|k| k.current)
        .and_then(|k| k.seed.as_deref())
        .and_then(|s| hex::decode(s).ok())
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .map(|b| SigningKey::from_bytes(&b))
        .ok_or_else(|| {
            ServiceError::Internal(format!("department {department} has no usable current key"))
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
        service.iss(department.as_str()),
        KeyRing::with_retired(current, retired),
    ))
}

impl Service {
    /// The certificates a case's result consists of: one per approved
    /// matter whose result is an e-certificate, signed by its department's
    /// seal, with what it says from `yici_exchange::content`.
    pub(crate) async fn certificates_for(&self, case: &Case) -> Result<Vec<NewCertificate>> {
        let (holder, _) = holder_of(case);
        let now = self.clock().now_ms();
        let results = certified(self.catalog(), case);
        // The status index is inside what is signed, so every certificate's
        // is taken first, from the blocks this server reserved; signing then
        // happens here, beside the request, not in the store's writer.
        let wanted: Vec<(&str, u64)> = results
            .iter()
            .map(|(m, _)| (m.department.as_str(), 1))
            .collect();
        let mut next_idx = self.seals().status_indexes(self.store(), &wanted).await?;
        // The disclosures' salts come from a CSPRNG seeded once from the OS
        // here, not one getrandom call per salt (measured: 1.5 % of the
        // server's CPU under the case load).
        let mut rng = ChaCha20Rng::from_rng(OsRng)
            .map_err(|e| ServiceError::Internal(format!("seeding certificate salts: {e}")))?;
        let mut out = Vec::new();
        for (matter, certificate_type) in results {
            let issuer = self.issuer(&matter.department).await?;
            let id = Uuid::now_v7().to_string();
            let vct = vct(certificate_type);
            let slot = next_idx
                .get_mut(matter.department.as_str())
                .ok_or_else(|| {
                    ServiceError::Internal(format!("no status index for {}", matter.department))
                })?;
            let status_idx = *slot;
            *slot += 1;
            let content = CertificateContent {
                vct: vct.clone(),
                holder,
                claims: claims(self.catalog(), case, matter, certificate_type, now),
                iat: now / 1000,
                exp: (now + VALIDITY_MS) / 1000,
                status: StatusRef {
                    uri: self.status_uri(matter.department.as_str()),
                    idx: status_idx,
                },
            };
            let sd_jwt = issuer
                .issue(&content, &mut rng)
                .map_err(|e| ServiceError::Internal(format!("signing certificate {id}: {e}")))?
                .to_string();
            out.push(NewCertificate {
                id,
                department: matter.department.to_string(),
                matter: matter.code.to_string(),
                holder: holder.as_str().to_owned(),
                vct,
                issued_ms: now,
                expires_ms: now + VALIDITY_MS,
                status_idx,
                sd_jwt,
                library: self.library_of(matter.code.as_str()).to_vec(),
            });
        }
        Ok(out)
    }
}
