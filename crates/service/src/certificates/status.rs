//! A certificate's status: the issuing department revokes, suspends or
//! reinstates it (each an event in the ledger), and publishes every status
//! in its token status list; anyone verifies a presentation, and reads a
//! department's published keys.

use yici_core::case::EventKind;
use yici_core::catalog::DepartmentCode;
use yici_exchange::certificate::{CertificateError, IssuerMetadata, Status, StatusList, Verified};
use yici_store::exchange::SideEvent;

use super::holder::status_name;
use super::verification::{check, metadata};
use crate::context::Service;
use crate::error::{Result, ServiceError};
use crate::gate::{AdminDesk, DepartmentDesk};

impl Service {
    /// A department of the catalog, from a code given by anyone.
    pub fn department_code(&self, code: &str) -> Result<DepartmentCode> {
        DepartmentCode::parse(code)
            .ok()
            .filter(|c| self.catalog().departments.contains_key(c))
            .ok_or_else(|| ServiceError::NotFound {
                what: "department",
                id: code.to_owned(),
            })
    }

    /// A department's issuer metadata: its issuer id and published keys.
    pub async fn issuer_metadata(&self, code: &str) -> Result<IssuerMetadata> {
        let code = self.department_code(code)?;
        metadata(self, &code).await
    }

    /// A department's token status list, signed with its seal, valid a day.
    pub async fn status_list(&self, code: &str) -> Result<String> {
        let code = self.department_code(code)?;
        let values = self.store().status_values(code.as_str()).await?;
        let size = values.last().map_or(0, |(i, _)| i + 1).max(1024);
        let mut list = StatusList::new(size).map_err(ServiceError::internal)?;
        for (idx, value) in values {
            let status = Status::from_value(value).map_err(ServiceError::internal)?;
            list.set(idx, status).map_err(ServiceError::internal)?;
        }
        let issuer = self.issuer(&code).await?;
        let now = self.clock().now_ms() / 1000;
        Ok(list.to_jwt(
            &issuer,
            &self.status_uri(code.as_str()),
            now,
            Some(now + 24 * 3600),
        ))
    }

    /// Verifies a presentation (anyone): signature, disclosures, expiry and
    /// status, against the issuing department's keys here.
    pub async fn verify_presentation(
        &self,
        presentation: &str,
    ) -> std::result::Result<Verified, CertificateError> {
        check(self, presentation).await
    }
}

impl DepartmentDesk<'_> {
    /// Sets certificate `id`'s status to `status` (`revoked`, `suspended`,
    /// or `valid` lifting a suspension), saying why. A revoked certificate
    /// stays revoked.
    pub async fn set_certificate_status(
        &self,
        id: &str,
        status: &str,
        reason: &str,
    ) -> Result<&'static str> {
        let service = self.service();
        let cert =
            service
                .store()
                .certificate(id)
                .await?
                .ok_or_else(|| ServiceError::NotFound {
                    what: "certificate",
                    id: id.to_owned(),
                })?;
        self.owns(&cert.department, &format!("certificate {id}"))?;
        let value = match status {
            "valid" => 0,
            "revoked" => 1,
            "suspended" => 2,
            other => {
                return Err(ServiceError::invalid(
                    "status",
                    "one_of",
                    format!("{other:?} is not valid, revoked or suspended"),
                ));
            }
        };
        if reason.trim().is_empty() {
            return Err(ServiceError::invalid("reason", "required", "say why"));
        }
        if cert.status_value == 1 {
            return Err(ServiceError::StateConflict(
                "a revoked certificate stays revoked".into(),
            ));
        }
        let event = SideEvent {
            kind: EventKind::CertificateStatus,
            actor: self.caller().user().id.clone(),
            role: self.caller().role(),
            on: service.clock().today(),
            data: serde_json::json!({"certificate": id, "status": status, "reason": reason}),
        };
        service
            .store()
            .set_certificate_status(id, value, event, service.clock().now_ms())
            .await?;
        Ok(status_name(value))
    }
}

impl AdminDesk<'_> {
    /// Rotates a department's e-seal: a new current key; certificates
    /// sealed with the old one still verify. Returns the new key's id.
    pub async fn rotate_seal(&self, code: &str) -> Result<String> {
        let service = self.service();
        let code = service.department_code(code)?;
        // A department that never sealed gets its first key before the
        // rotation, so that a rotation always retires a key.
        service.issuer(&code).await?;
        service.rotate_seal(&code).await
    }
}
