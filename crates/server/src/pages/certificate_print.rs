//! The printable certificate: an HTML page (the browser prints it) and the
//! same content as an A4 PDF, both with the QR code of a full presentation.
//! They share one permission check and one [`Sheet`], so the PDF cannot
//! show more, or to anyone else, than the page does.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use yici_exchange::certificate::{CertificateError, SdJwt};
use yici_print::{CertificateSheet, Qr, Row};

use super::certificates::{Card, card, presentation};
use super::chrome::Chrome;
use super::render::{error_page, message, render};
use super::session::{at_desk, need_signed};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "certificate_print.html")]
struct Print {
    c: Chrome,
    s: Sheet,
}

/// What the printable certificate shows, in the page's language: the HTML
/// page and the PDF are made from the same sheet.
pub struct Sheet {
    /// The certificate with its claims in words.
    pub card: Card,
    /// The holder's name.
    pub holder: String,
    /// The holder's resident ID or credit code.
    pub holder_id: String,
    /// The issuer identifier (the department's URL).
    pub issuer: String,
    /// The case that issued it.
    pub case_id: String,
    /// The verify URL of a full presentation (empty when none could be made).
    pub verify_url: String,
    /// Its QR code, an inline SVG element.
    pub qr_svg: String,
    /// Labels of the claims the QR code carries when not all fit.
    pub qr_partial: Vec<String>,
}

/// The caller's own certificate `id` as printed, or the page that says why
/// not (sign in, wrong role, someone else's: not found). The one check of
/// both the HTML print page and its PDF.
pub async fn printable(state: &AppState, c: &Chrome, id: &str) -> Result<Sheet, Response> {
    let me = need_signed(c).map_err(|r| *r)?;
    let desk = at_desk(c, state.service().applicant(&me.caller)).map_err(|r| *r)?;
    let row = match desk.my_certificate(id).await {
        Ok(row) => row,
        Err(e) => return Err(error_page(c.clone(), e, Some("/my/certificates".into()))),
    };
    let card = card(c, state, &row, &[]);
    let all: Vec<&str> = card.claims.iter().map(|l| l.name.as_str()).collect();
    // The whole certificate when it fits one QR code; otherwise as many
    // claims as fit, in the certificate's order, and the page says which.
    let mut shown = all.len();
    let mut made = presentation(state, &row, &all);
    while matches!(made, Err(CertificateError::QrTooLong { .. })) && shown > 0 {
        shown -= 1;
        made = presentation(state, &row, &all[..shown]);
    }
    let (verify_url, qr_svg) = match made {
        Ok((_, url, svg)) => (url, svg),
        Err(e) => {
            tracing::warn!(certificate = %row.id, error = %e, "no QR code for the print page");
            (String::new(), String::new())
        }
    };
    let qr_partial = if shown < all.len() {
        card.claims[..shown]
            .iter()
            .map(|l| l.label.clone())
            .collect()
    } else {
        Vec::new()
    };
    let holder = SdJwt::parse(&row.sd_jwt)
        .ok()
        .and_then(|sd| {
            sd.disclosures
                .into_iter()
                .find(|d| d.name == "holder_name")
                .and_then(|d| d.value.as_str().map(str::to_owned))
        })
        .unwrap_or_else(|| me.caller.user().display_name.clone());
    Ok(Sheet {
        holder,
        holder_id: row.holder.clone(),
        issuer: state.service().iss(&row.department),
        case_id: row.case_id.clone(),
        verify_url,
        qr_svg,
        qr_partial,
        card,
    })
}

/// GET /my/certificates/{id}/print: the whole certificate, for printing,
/// with the QR code of a full presentation.
pub async fn print(State(state): State<AppState>, c: Chrome, Path(id): Path<String>) -> Response {
    match printable(&state, &c, &id).await {
        Ok(s) => render(&Print { s, c }),
        Err(page) => page,
    }
}

/// GET /my/certificates/{id}/print.pdf: the printable certificate as an A4
/// PDF, set in a subset of the server's CJK font. Without a font, a 503
/// page that says which font is missing and how to install it.
pub async fn print_pdf(
    State(state): State<AppState>,
    c: Chrome,
    Path(id): Path<String>,
) -> Response {
    let s = match printable(&state, &c, &id).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let back = Some(format!("/my/certificates/{}/print", s.card.id));
    let font = match state.pdf_font() {
        Ok(font) => font.clone(),
        Err(e) => {
            return message(
                c,
                StatusCode::SERVICE_UNAVAILABLE,
                "cert.pdf_unavailable_title",
                "cert.pdf_unavailable_text",
                e.to_string(),
                back,
            );
        }
    };
    let sheet = pdf_sheet(&c, &s);
    // Subsetting the font and compressing take milliseconds of CPU: off
    // the async workers.
    let made = tokio::task::spawn_blocking(move || yici_print::certificate_pdf(&font, &sheet))
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r.map_err(|e| e.to_string()));
    let bytes = match made {
        Ok(bytes) => bytes,
        Err(e) => {
            let cause = format!("PDF of certificate {}: {e}", s.card.id);
            return error_page(c, yici_service::ServiceError::Internal(cause), back);
        }
    };
    // The id is the store's (a UUID), safe in a header.
    let disposition = format!("inline; filename=\"certificate-{}.pdf\"", s.card.id);
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            // A holder's personal data: kept by no shared cache.
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// The sheet in the words of the PDF, in the order of the HTML page.
fn pdf_sheet(c: &Chrome, s: &Sheet) -> CertificateSheet {
    let t = |k: &str| c.t.get(k).to_owned();
    let row = |k: &str, value: String| Row { label: t(k), value };
    let mut caption = t("cert.scan");
    if !s.qr_partial.is_empty() {
        caption.push('\n');
        caption.push_str(c.t.get("cert.qr_partial"));
        caption.push(' ');
        caption.push_str(&s.qr_partial.join(c.t.get("punct.list")));
    }
    // The same symbol as the page's SVG, from the same URL.
    let qr = yici_exchange::certificate::qr_modules(&s.verify_url)
        .ok()
        .filter(|_| !s.verify_url.is_empty())
        .map(|modules| Qr { modules, caption });
    let k = &s.card;
    CertificateSheet {
        lang: if c.code() == "zh" { "zh-CN" } else { "en" }.to_owned(),
        title: k.type_name.clone(),
        subtitle: format!("{} · {}", t("cert.electronic"), k.id),
        facts: vec![
            row("cert.holder", format!("{}\n{}", s.holder, s.holder_id)),
            row("cert.issuer", format!("{}\n{}", k.department, s.issuer)),
            row("cert.matter", k.matter.clone()),
            row("cert.case", s.case_id.clone()),
            row("cert.issued", k.issued.clone()),
            row("cert.expires", k.expires.clone()),
            row("cert.status", k.status_label.clone()),
        ],
        claims_heading: t("cert.claims"),
        claims_header: Row {
            label: t("cert.claim"),
            value: t("cert.value"),
        },
        claims: k
            .claims
            .iter()
            .map(|l| Row {
                label: l.label.clone(),
                value: l.value.clone(),
            })
            .collect(),
        qr,
        verify_label: t("cert.verify_at"),
        verify_url: s.verify_url.clone(),
    }
}
