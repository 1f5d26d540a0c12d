//! The files of a case's materials on its page: each material the applicant
//! brings with the files given for it (opened through `/api/v1/files/{id}`,
//! which the page's session cookie signs in to), and whether a form to give
//! one is shown (the form's handler is `case_action::give`); to the
//! applicant, the files they gave in earlier cases, offered again
//! (`case_action::reuse`).

use yici_catalog::Plan;
use yici_core::case::{Case, CaseId};
use yici_service::materials::MaterialFile;
use yici_service::{Caller, Service};

use super::chrome::Chrome;
use super::input::Errors;
use super::progress;

/// An earlier file of the applicant's, offered again for a material.
pub struct Offer {
    /// Its id.
    pub file: String,
    /// Its name.
    pub name: String,
    /// When it was given.
    pub given: String,
}

/// A file given for a material, as the page lists it.
pub struct FileLine {
    /// Its id.
    pub id: String,
    /// Where it opens.
    pub href: String,
    /// Its name.
    pub name: String,
    /// `pdf`, `jpeg`, `png`, `ofd`.
    pub kind: String,
    /// Its size in words (`1.2 MB`).
    pub size: String,
    /// The first characters of its SHA-256, for the eye.
    pub sha: String,
    /// Its whole SHA-256 (shown for a file offered for download).
    pub sha256: String,
    /// Whether a clerk saw the original.
    pub original_seen: bool,
    /// How the page shows it: `image` and `pdf` inline (on demand, so that
    /// only a file someone looks at is logged as opened), `download` else.
    pub preview: &'static str,
}

/// A material the applicant brings, with its files.
pub struct DocumentLine {
    /// Its key (the form's field).
    pub key: String,
    /// Its name.
    pub name: String,
    /// Whether the original paper must be shown at the window.
    pub original_required: bool,
    /// Its files.
    pub files: Vec<FileLine>,
    /// What is wrong with the last file given, beside its form.
    pub error: Option<String>,
    /// An online application waits for a file of it.
    pub missing: bool,
    /// The applicant's earlier files of it, to give again.
    pub offers: Vec<Offer>,
}

fn size_words(bytes: i64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{} KB", b / 1024),
        b => format!("{b} B"),
    }
}

/// A file as a page lists it.
pub fn file_line(f: &MaterialFile) -> FileLine {
    FileLine {
        id: f.id.clone(),
        href: format!("/api/v1/files/{}", f.id),
        name: f.name.clone(),
        kind: f.kind.clone(),
        size: size_words(f.size),
        sha: f.sha256.chars().take(12).collect(),
        sha256: f.sha256.clone(),
        original_seen: f.original_seen_by.is_some(),
        preview: match f.kind.as_str() {
            "jpeg" | "png" => "image",
            "pdf" => "pdf",
            _ => "download",
        },
    }
}

/// The page's lines: every material `plan` says is brought, with `files`;
/// those in `missing` marked.
pub fn document_lines(
    c: &Chrome,
    plan: Option<&Plan>,
    files: &[MaterialFile],
    missing: &[String],
    errors: &Errors,
) -> Vec<DocumentLine> {
    let Some(plan) = plan else {
        return Vec::new();
    };
    plan.materials
        .bring
        .iter()
        .map(|m| {
            let key = m.key.to_string();
            DocumentLine {
                files: files
                    .iter()
                    .filter(|f| f.material == key && f.deleted_ms.is_none())
                    .map(file_line)
                    .collect(),
                error: errors.get(&format!("materials.{key}")).map(str::to_owned),
                missing: missing.contains(&key),
                offers: Vec::new(),
                name: m.name.get(c.code()).to_owned(),
                original_required: m.original_required,
                key,
            }
        })
        .collect()
}

/// Whether the signed-in user may give files for `case` now: the applicant
/// of their own case or a clerk, while the case takes files.
pub fn may_give(case: &Case, applicant_or_clerk: bool) -> bool {
    applicant_or_clerk && case.state.takes_materials()
}

/// Offers the applicant (`caller`) the files they gave for each material
/// in earlier cases and case `id` does not have yet. Offers are a
/// convenience: one that cannot be read is left out and logged.
pub async fn add_offers(
    service: &Service,
    caller: &Caller,
    id: &CaseId,
    lines: &mut [DocumentLine],
) {
    let Ok(desk) = service.applicant(caller) else {
        return;
    };
    for line in lines.iter_mut() {
        match desk.reuse_offers(id, &line.key).await {
            Ok(found) => {
                line.offers = found
                    .iter()
                    .map(|f| Offer {
                        file: f.id.clone(),
                        name: f.name.clone(),
                        given: progress::minute(f.given_ms),
                    })
                    .collect();
            }
            Err(e) => {
                tracing::warn!(case = %id, material = %line.key, error = %e, "no reuse offers")
            }
        }
    }
}
