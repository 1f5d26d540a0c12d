//! `/api/v1/cases/{id}/materials/{material}/files` and `/api/v1/files`:
//! giving the files a case's materials need (the body is the file, streamed
//! through), listing them, opening one (logged), and who opened mine.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use yici_materials::FileKind;
use yici_service::materials::{GivenFile, MaterialFile, MaterialView};

use super::cases::case_id;
use crate::auth::SignedIn;
use crate::params::{Page, Params};
use crate::problem::ApiError;
use crate::state::AppState;

/// A file of a case's material.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FileView {
    /// Id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// The material's key.
    pub material: String,
    /// SHA-256 of the content (in the case event that attached it).
    pub sha256: String,
    /// `pdf`, `jpeg`, `png` or `ofd`.
    pub kind: String,
    /// Bytes.
    pub size: i64,
    /// Its name, for people.
    pub name: String,
    /// Who gave it.
    pub given_by: String,
    /// When (ms).
    pub given_ms: i64,
    /// The clerk who saw the original paper.
    pub original_seen_by: Option<String>,
    /// Whether it was deleted at the end of its retention.
    pub deleted: bool,
    /// Where it opens.
    pub href: String,
}

impl From<MaterialFile> for FileView {
    fn from(f: MaterialFile) -> Self {
        FileView {
            href: format!("/api/v1/files/{}", f.id),
            deleted: f.deleted_ms.is_some(),
            id: f.id,
            case_id: f.case_id,
            material: f.material,
            sha256: f.sha256,
            kind: f.kind,
            size: f.size,
            name: f.name,
            given_by: f.given_by,
            given_ms: f.given_ms,
            original_seen_by: f.original_seen_by,
        }
    }
}

/// Gives a file for a material of a case: the request's body is the file,
/// its `Content-Type` and `?name=` what it claims to be. PDF, JPEG, PNG or
/// OFD, judged by content; refused with the material and the rule named.
#[utoipa::path(post, path = "/api/v1/cases/{id}/materials/{material}/files", tag = "cases",
    params(("id" = String, Path), ("material" = String, Path), ("name" = Option<String>, Query, description = "the file's name")),
    request_body(content = Vec<u8>, content_type = "application/pdf"),
    responses((status = 201, body = FileView), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn give(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path((id, material)): Path<(String, String)>,
    Params(params): Params,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<FileView>), ApiError> {
    let intake = state.service().intake(&caller)?;
    let id = case_id(&id)?;
    let file = GivenFile {
        name: params.get("name").cloned().unwrap_or_default(),
        media_type: headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: body.into_data_stream(),
    };
    let given = intake.give_file(&id, &material, file).await?;
    Ok((StatusCode::CREATED, Json(given.into())))
}

/// The files of a case (whoever may see the case).
#[utoipa::path(get, path = "/api/v1/cases/{id}/files", tag = "cases", params(("id" = String, Path)),
    responses((status = 200, body = Vec<FileView>)))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<Vec<FileView>>, ApiError> {
    let id = case_id(&id)?;
    let files = state.service().cases(&caller)?.files(&id).await?;
    Ok(Json(files.into_iter().map(FileView::from).collect()))
}

/// A case's materials: what its online application still waits for, and
/// the files given.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MaterialsView {
    /// The keys of the materials the applicant brings.
    pub brought: Vec<String>,
    /// Those without a file while an online application waits for them;
    /// it is accepted when this is empty.
    pub missing: Vec<String>,
    /// The files, deleted ones included.
    pub files: Vec<FileView>,
}

/// A case's materials (whoever may see the case): what the applicant
/// brings, what an online application still lacks, and the files.
#[utoipa::path(get, path = "/api/v1/cases/{id}/materials", tag = "cases", params(("id" = String, Path)),
    responses((status = 200, body = MaterialsView)))]
pub async fn materials(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<MaterialsView>, ApiError> {
    let id = case_id(&id)?;
    let found = state.service().cases(&caller)?.materials(&id).await?;
    Ok(Json(MaterialsView {
        brought: found
            .plan
            .materials
            .bring
            .iter()
            .map(|m| m.key.to_string())
            .collect(),
        missing: found.missing,
        files: found.files.into_iter().map(FileView::from).collect(),
    }))
}

/// `filename*` of RFC 6266 §4.3 (RFC 8187): UTF-8, percent-encoded.
fn disposition(kind: FileKind, name: &str) -> String {
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    // A browser shows a PDF or an image itself; an OFD needs a reader.
    let how = if kind == FileKind::Ofd {
        "attachment"
    } else {
        "inline"
    };
    format!("{how}; filename*=UTF-8''{encoded}")
}

/// Opens a file (whoever may see its case; 404 otherwise). The opening is
/// logged in the case's history and shown to the applicant.
#[utoipa::path(get, path = "/api/v1/files/{id}", tag = "cases", params(("id" = String, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn open(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let opened = state.service().cases(&caller)?.open_file(&id).await?;
    let kind = FileKind::parse(&opened.file.kind).unwrap_or(FileKind::Pdf);
    let mut response = Body::from_stream(opened.content).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(kind.media_type()),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition(kind, &opened.file.name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&opened.file.sha256) {
        h.insert("x-content-sha256", v);
    }
    Ok(response)
}

/// Who opened my documents ("who opened my files", beside who read my data).
#[utoipa::path(get, path = "/api/v1/me/document-views", tag = "cases",
    params(("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query)),
    responses((status = 200, body = serde_json::Value)))]
pub async fn my_views(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Params(params): Params,
) -> Result<Json<serde_json::Value>, ApiError> {
    let desk = state.service().applicant(&caller)?;
    let page = Page::from_params(&params)?;
    let (views, total) = desk.document_views(page.per_page, page.offset()).await?;
    let items: Vec<serde_json::Value> = views
        .iter()
        .map(|v: &MaterialView| {
            serde_json::json!({"file": v.file_id, "case_id": v.case_id, "viewer": v.viewer, "role": v.role, "at_ms": v.at_ms})
        })
        .collect();
    Ok(Json(
        serde_json::json!({"items": items, "page": page.page, "per_page": page.per_page, "total": total}),
    ))
}

/// The applicant's earlier files of a material that the case does not have
/// yet: what can be given again without a new scan.
#[utoipa::path(get, path = "/api/v1/cases/{id}/materials/{material}/offers", tag = "cases",
    params(("id" = String, Path), ("material" = String, Path)),
    responses((status = 200, body = Vec<FileView>)))]
pub async fn offers(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path((id, material)): Path<(String, String)>,
) -> Result<Json<Vec<FileView>>, ApiError> {
    let desk = state.service().applicant(&caller)?;
    let id = case_id(&id)?;
    let offered = desk.reuse_offers(&id, &material).await?;
    Ok(Json(offered.into_iter().map(FileView::from).collect()))
}

/// Which earlier file to give again.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReuseBody {
    /// The earlier file's id.
    pub file: String,
}

/// Gives an earlier file of the applicant's again, for a material of this
/// case: the applicant's choice is recorded with the file it reuses.
#[utoipa::path(post, path = "/api/v1/cases/{id}/materials/{material}/reuse", tag = "cases",
    params(("id" = String, Path), ("material" = String, Path)), request_body = ReuseBody,
    responses((status = 201, body = FileView)))]
pub async fn reuse(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path((id, material)): Path<(String, String)>,
    body: super::body::Body<ReuseBody>,
) -> Result<(StatusCode, Json<FileView>), ApiError> {
    let desk = state.service().applicant(&caller)?;
    let id = case_id(&id)?;
    let given = desk.reuse_file(&id, &material, &body.value.file).await?;
    Ok((StatusCode::CREATED, Json(given.into())))
}

/// The clerk records that the original paper of a file's material was
/// seen at the window (a material whose original must be shown).
#[utoipa::path(post, path = "/api/v1/files/{id}/original-seen", tag = "cases",
    params(("id" = String, Path)), responses((status = 200, body = FileView)))]
pub async fn original_seen(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<FileView>, ApiError> {
    let seen = state.service().window(&caller)?.original_seen(&id).await?;
    Ok(Json(seen.into()))
}

/// A closed case's file as one package (ZIP): the case, its form, events,
/// certificates, files and receipts, with a manifest of every entry's
/// SHA-256; `yici archive verify PACKAGE` checks it offline.
#[utoipa::path(get, path = "/api/v1/cases/{id}/archive", tag = "cases", params(("id" = String, Path)),
    responses((status = 200, description = "the case file", content_type = "application/zip"),
        (status = 409, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn archive(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    use tokio::io::AsyncReadExt;
    let id = case_id(&id)?;
    let file = state.service().cases(&caller)?.export_archive(&id).await?;
    let file = tokio::fs::File::from_std(file);
    let chunks = futures_util::stream::unfold(file, |mut file| async move {
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(axum::body::Bytes::from(buf)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    });
    let mut response = Body::from_stream(chunks).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"case-{id}.zip\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
