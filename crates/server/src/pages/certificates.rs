//! The holder's e-certificates: the library, and presenting chosen claims
//! to a verifier (the presentation, its QR code and the verify link). The
//! printable certificate is in `certificate_print`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use time::{OffsetDateTime, UtcOffset};
use yici_core::catalog::{MatterCode, ResultKind};
use yici_exchange::certificate::{CertificateError, SdJwt};
use yici_service::certificates::CertificateRow;
use yici_service::gate::ApplicantDesk;

use super::chrome::Chrome;
use super::input::FormData;
use super::progress;
use super::render::{error_page, render_status};
use super::session::{at_desk, check_csrf, need_signed};
use super::signed::Signed;
use crate::state::AppState;

/// A claim of a certificate, in words, with its checkbox state.
pub struct ClaimLine {
    /// The claim's name (what the form sends).
    pub name: String,
    /// Its label in the page's language.
    pub label: String,
    /// Its value in words.
    pub value: String,
    /// Ticked (after a presentation, the claims it disclosed).
    pub checked: bool,
}

/// A presentation just made.
pub struct Shown {
    /// The SD-JWT presentation.
    pub presentation: String,
    /// The public verify URL (also in the QR code).
    pub verify_url: String,
    /// The QR code, an inline SVG element.
    pub qr_svg: String,
    /// Labels of the disclosed claims.
    pub disclosed: Vec<String>,
}

/// One certificate of the library.
pub struct Card {
    pub id: String,
    pub type_name: String,
    pub department: String,
    pub matter: String,
    pub status: &'static str,
    pub status_label: String,
    pub issued: String,
    pub expires: String,
    pub claims: Vec<ClaimLine>,
    /// The presentation made from this card, if any.
    pub shown: Option<Shown>,
    /// What is wrong with the choice of claims.
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "my_certificates.html")]
struct Library {
    c: Chrome,
    csrf: String,
    cards: Vec<Card>,
}

/// A status in words.
pub fn status_label(c: &Chrome, code: &str) -> String {
    c.t.get(&format!("cert.status.{code}")).to_owned()
}

/// A time (ms since the epoch) as a date in China time.
pub fn date_ms(ms: i64) -> String {
    date_s(ms / 1000)
}

/// A time (seconds since the epoch) as a date in China time.
pub fn date_s(s: i64) -> String {
    let cst = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::from_unix_timestamp(s)
        .map(|t| t.to_offset(cst).date().to_string())
        .unwrap_or_else(|_| s.to_string())
}

/// The name of a certificate type (`urn:yici:certificate:TYPE` or TYPE):
/// the material it is when another matter asks for it (营业执照), else the
/// name of the matter that issues it, else the type itself.
pub fn type_name(state: &AppState, lang: &str, vct: &str) -> String {
    let kind = vct.rsplit(':').next().unwrap_or(vct);
    let catalog = state.catalog();
    let Some(issuing) = catalog.matters.values().find(|m| {
        matches!(&m.result, ResultKind::Certificate { certificate_type } if certificate_type == kind)
    }) else {
        return kind.to_owned();
    };
    catalog
        .matters
        .values()
        .flat_map(|m| &m.materials)
        .find(|m| m.result_of.as_ref() == Some(&issuing.code))
        .map_or_else(
            || issuing.name.get(lang).to_owned(),
            |m| m.name.get(lang).to_owned(),
        )
}

/// A claim's label: the pages' own words for the standard claims, else the
/// label of the form field it came from, else its name.
pub fn claim_label(c: &Chrome, state: &AppState, name: &str) -> String {
    let key = format!("claim.{name}");
    let own = c.t.get(&key);
    if own != key {
        return own.to_owned();
    }
    state
        .catalog()
        .matters
        .values()
        .flat_map(|m| &m.fields)
        .find(|f| f.key.as_str() == name)
        .map_or_else(|| name.to_owned(), |f| f.label.get(c.code()).to_owned())
}

/// A claim's value in words.
pub fn value_text(c: &Chrome, v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(true) => c.t.get("yes").to_owned(),
        serde_json::Value::Bool(false) => c.t.get("no").to_owned(),
        serde_json::Value::Null => "—".to_owned(),
        other => other.to_string(),
    }
}

/// The claims every certificate has, in the order they are shown (and put
/// in a QR code when not all fit); the matter's own claims follow.
const FIRST: [&str; 8] = [
    "title",
    "holder_name",
    "licensed",
    "valid_until",
    "certificate_type",
    "issuing_department",
    "matter",
    "case",
];

/// Where a claim is shown: the standard claims first, then the others by name.
pub fn claim_rank(name: &str) -> (usize, String) {
    (
        FIRST.iter().position(|f| *f == name).unwrap_or(FIRST.len()),
        name.to_owned(),
    )
}

/// A claim's value in words; a certificate type by its name.
pub fn claim_value(c: &Chrome, state: &AppState, name: &str, v: &serde_json::Value) -> String {
    match (name, v) {
        ("certificate_type", serde_json::Value::String(t)) => type_name(state, c.code(), t),
        _ => value_text(c, v),
    }
}

pub(super) fn card(c: &Chrome, state: &AppState, row: &CertificateRow, ticked: &[String]) -> Card {
    let lang = c.code();
    let mut claims: Vec<ClaimLine> = SdJwt::parse(&row.sd_jwt)
        .map(|sd| {
            sd.disclosures
                .iter()
                .map(|d| ClaimLine {
                    label: claim_label(c, state, &d.name),
                    value: claim_value(c, state, &d.name, &d.value),
                    checked: ticked.iter().any(|t| t == &d.name),
                    name: d.name.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    claims.sort_by_cached_key(|l| claim_rank(&l.name));
    let status = yici_service::certificates::status_name(row.status_value);
    Card {
        id: row.id.clone(),
        type_name: type_name(state, lang, &row.vct),
        department: progress::department_name(state, lang, &row.department),
        matter: MatterCode::parse(&row.matter).map_or_else(
            |_| row.matter.clone(),
            |m| progress::matter_name(state, lang, &m),
        ),
        status,
        status_label: status_label(c, status),
        issued: date_ms(row.issued_ms),
        expires: date_ms(row.expires_ms),
        claims,
        shown: None,
        error: None,
    }
}

/// The presentation of `row` disclosing `names`: the presentation, the
/// verify URL it opens and its QR code (the SVG element only).
pub(super) fn presentation(
    state: &AppState,
    row: &CertificateRow,
    names: &[&str],
) -> Result<(String, String, String), CertificateError> {
    let p = state.service().presentation(&row.sd_jwt, names)?;
    Ok((p.presentation, p.verify_url, inline_svg(&p.qr_svg)))
}

/// The `<svg>` element of an SVG document, for inlining in HTML.
fn inline_svg(doc: &str) -> String {
    doc.find("<svg")
        .map_or_else(|| doc.to_owned(), |i| doc[i..].to_owned())
}

async fn library(
    state: &AppState,
    c: Chrome,
    me: &Signed,
    desk: &ApplicantDesk<'_>,
    made: Option<(String, Vec<String>, Result<Shown, String>)>,
) -> Response {
    let rows: Vec<CertificateRow> = match desk.my_certificates().await {
        Ok(mine) => mine.into_iter().map(|m| m.row).collect(),
        Err(e) => return error_page(c, e, None),
    };
    let mut status = StatusCode::OK;
    let mut made = made;
    let mut cards = Vec::with_capacity(rows.len());
    for row in &rows {
        let Some((_, ticked, result)) = made.take_if(|(id, _, _)| *id == row.id) else {
            cards.push(card(&c, state, row, &[]));
            continue;
        };
        let mut k = card(&c, state, row, &ticked);
        match result {
            Ok(shown) => k.shown = Some(shown),
            Err(e) => {
                status = StatusCode::UNPROCESSABLE_ENTITY;
                k.error = Some(e);
            }
        }
        cards.push(k);
    }
    render_status(
        status,
        &Library {
            csrf: me.csrf.clone(),
            cards,
            c,
        },
    )
}

/// GET /my/certificates: the signed-in holder's library.
pub async fn list(State(state): State<AppState>, c: Chrome) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    library(&state, c, &me, &desk, None).await
}

/// The error of a certificate rule, in the page's language.
pub fn rule_text(c: &Chrome, e: &CertificateError) -> String {
    let key = format!("cert_error.{}", e.rule());
    let text = c.t.get(&key);
    if text == key {
        e.to_string()
    } else {
        text.to_owned()
    }
}

/// POST /my/certificates/{id}/present: a presentation of the ticked
/// claims, shown on the library page with its QR code and verify link.
pub async fn present_form(
    State(state): State<AppState>,
    c: Chrome,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    if let Err(r) = check_csrf(&c, &me, &form) {
        return *r;
    }
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let row = match desk.my_certificate(&id).await {
        Ok(row) => row,
        Err(e) => return error_page(c, e, Some("/my/certificates".into())),
    };
    let ticked = form.all("disclose");
    let result = if ticked.is_empty() {
        Err(c.t.get("cert.choose_one").to_owned())
    } else {
        let names: Vec<&str> = ticked.iter().map(String::as_str).collect();
        presentation(&state, &row, &names)
            .map(|(presentation, verify_url, qr_svg)| Shown {
                presentation,
                verify_url,
                qr_svg,
                disclosed: ticked.iter().map(|n| claim_label(&c, &state, n)).collect(),
            })
            .map_err(|e| rule_text(&c, &e))
    };
    library(
        &state,
        c,
        &me,
        &desk,
        Some((row.id.clone(), ticked, result)),
    )
    .await
}
