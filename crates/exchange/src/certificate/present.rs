//! The holder's side: choose which claims to show, get a presentation to
//! hand over or print as a QR code.

use std::collections::BTreeSet;
use std::fmt;

use qrcode::QrCode;
use qrcode::render::svg;

use super::error::CertificateError;
use super::issue::SdJwt;

/// An SD-JWT with only the chosen disclosures and no key binding:
/// `jwt~d1~…~dk~` (RFC 9901 §4, §5.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Presentation(String);

impl Presentation {
    /// The compact serialization.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Presentation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A presentation of `sd_jwt` that discloses exactly the claims named in
/// `disclose` (in the certificate's order) and drops every other
/// disclosure. Naming a claim the certificate does not have is an error,
/// so a typo cannot silently disclose less than the holder meant.
///
/// The always-visible claims (`iss`, `sub`, `vct`, `iat`, `exp`, `status`)
/// are in the signed JWT and need no naming.
pub fn present(sd_jwt: &SdJwt, disclose: &[&str]) -> Result<Presentation, CertificateError> {
    let wanted: BTreeSet<&str> = disclose.iter().copied().collect();
    if let Some(name) = wanted
        .iter()
        .find(|n| !sd_jwt.claim_names().any(|c| c == **n))
    {
        return Err(CertificateError::UnknownClaim {
            name: (*name).to_owned(),
        });
    }
    let mut out = String::with_capacity(sd_jwt.jwt.len() + 1);
    out.push_str(&sd_jwt.jwt);
    out.push('~');
    for d in sd_jwt
        .disclosures
        .iter()
        .filter(|d| wanted.contains(d.name.as_str()))
    {
        out.push_str(&d.encoded);
        out.push('~');
    }
    Ok(Presentation(out))
}

/// What the printed QR code carries: the public verify page with the
/// presentation as its `presentation` query parameter. The compact
/// serialization uses only URL-unreserved characters (base64url, `.`, `~`),
/// so it needs no percent-encoding and a plain HTML form or a phone camera
/// can open it without JavaScript.
pub fn qr_payload(verify_url: &str, presentation: &Presentation) -> String {
    let sep = if verify_url.contains('?') { '&' } else { '?' };
    format!("{verify_url}{sep}presentation={}", presentation.as_str())
}

/// The QR code of `payload` as a standalone SVG document, at error
/// correction level M (15 % of the symbol may be damaged and still read),
/// or L (7 %) when M cannot hold it, so that a printed certificate can carry
/// all its claims. A payload past what version 40 holds even at L is
/// [`CertificateError::QrTooLong`]: disclose fewer claims.
pub fn qr_svg(payload: &str) -> Result<String, CertificateError> {
    Ok(qr_code(payload)?
        .render::<svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

/// The modules of the same QR code as [`qr_svg`], row by row (true is
/// dark), without the quiet zone: for renderers that draw their own
/// squares, such as the PDF certificate.
pub fn qr_modules(payload: &str) -> Result<Vec<Vec<bool>>, CertificateError> {
    let code = qr_code(payload)?;
    let width = code.width();
    let colors = code.to_colors();
    Ok(colors
        .chunks(width)
        .map(|row| row.iter().map(|c| *c == qrcode::Color::Dark).collect())
        .collect())
}

fn qr_code(payload: &str) -> Result<QrCode, CertificateError> {
    QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::L))
        .map_err(|_| CertificateError::QrTooLong { len: payload.len() })
}
