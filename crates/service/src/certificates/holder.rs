//! The holder's side: their certificates, and presentations that disclose
//! only the claims they choose, with the QR code a verifier scans.

use yici_exchange::certificate::{CertificateError, SdJwt, present, qr_payload, qr_svg};
use yici_store::certificates::CertificateRow;

use crate::context::Service;
use crate::error::{Result, ServiceError};
use crate::gate::ApplicantDesk;

/// A certificate in the holder's library.
#[derive(Debug, Clone)]
pub struct CertificateView {
    /// The stored certificate.
    pub row: CertificateRow,
    /// Claims the holder can choose to disclose.
    pub claims: Vec<String>,
    /// `valid`, `revoked` or `suspended`.
    pub status: &'static str,
}

/// A presentation just made.
#[derive(Debug, Clone)]
pub struct Presentation {
    /// The SD-JWT presentation.
    pub presentation: String,
    /// The public verify URL it opens (also in the QR code).
    pub verify_url: String,
    /// The QR code, an SVG document.
    pub qr_svg: String,
}

/// The name of a status-list value (draft-ietf-oauth-status-list §7.1).
pub fn status_name(v: u8) -> &'static str {
    match v {
        0 => "valid",
        1 => "revoked",
        2 => "suspended",
        _ => "unknown",
    }
}

impl Service {
    /// A presentation of `sd_jwt` disclosing only `names`: pure work on a
    /// certificate the caller already holds (from their desk).
    pub fn presentation(
        &self,
        sd_jwt: &str,
        names: &[&str],
    ) -> std::result::Result<Presentation, CertificateError> {
        let sd = SdJwt::parse(sd_jwt)?;
        let p = present(&sd, names)?;
        let verify_url = qr_payload(&format!("{}/verify", self.public_url()), &p);
        let svg = qr_svg(&verify_url)?;
        Ok(Presentation {
            presentation: p.as_str().to_owned(),
            verify_url,
            qr_svg: svg,
        })
    }
}

impl ApplicantDesk<'_> {
    /// The applicant's certificates, newest first.
    pub async fn my_certificates(&self) -> Result<Vec<CertificateView>> {
        let rows = self
            .service()
            .store()
            .certificates_of(self.subject())
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| CertificateView {
                claims: SdJwt::parse(&row.sd_jwt)
                    .map(|s| s.claim_names().map(str::to_owned).collect())
                    .unwrap_or_default(),
                status: status_name(row.status_value),
                row,
            })
            .collect())
    }

    /// The applicant's own certificate `id`; another's is not found.
    pub async fn my_certificate(&self, id: &str) -> Result<CertificateRow> {
        let cert = self.service().store().certificate(id).await?;
        cert.filter(|c| c.holder == self.subject())
            .ok_or_else(|| ServiceError::NotFound {
                what: "certificate",
                id: id.to_owned(),
            })
    }

    /// A presentation of the applicant's certificate `id` disclosing only
    /// the claims `names`. A certificate rule broken by the choice (no
    /// claim, an unknown claim) is the error's `Err`, for the caller to
    /// say beside the choice.
    pub async fn present(
        &self,
        id: &str,
        names: &[&str],
    ) -> Result<std::result::Result<Presentation, CertificateError>> {
        let cert = self.my_certificate(id).await?;
        Ok(self.service().presentation(&cert.sd_jwt, names))
    }
}
