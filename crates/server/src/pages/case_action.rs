//! The forms of the case page: an applicant's or a clerk's action, and the
//! applicant's consent decision. Actions are parsed by the API's own
//! parser, so a form and a JSON body mean the same thing.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use yici_core::case::{Action, CaseId, Role};
use yici_service::cases::{ActionInput, action};
use yici_service::materials::GivenFile;
use yici_service::{FieldProblem, ServiceError};

use super::case_page::render_case;
use super::chrome::Chrome;
use super::input::{Errors, FormData};
use super::render::{error_page, not_found};
use super::session::{at_desk, check_csrf, need_signed};
use super::signed::Signed;
use crate::state::AppState;

fn required_text(form: &FormData, field: &str) -> String {
    form.text(field).chars().take(2000).collect()
}

fn text(form: &FormData, field: &str) -> Option<String> {
    Some(form.text(field)).filter(|t| !t.is_empty())
}

/// The action a form asks for: the form read into the API's action input.
fn action_of(me: &Signed, kind: &str, form: &FormData) -> Result<Action, ServiceError> {
    let due_in = match kind {
        "accept-with-deficiency" => Some(form.text("due_in").parse::<u32>().map_err(|_| {
            ServiceError::invalid("due_in", "integer", "due_in must be a whole number of days")
        })?),
        _ => None,
    };
    let score = match kind {
        "rate" => Some(
            form.text("score")
                .parse::<u8>()
                .map_err(|_| ServiceError::invalid("score", "required", "choose 1 to 5"))?,
        ),
        _ => None,
    };
    let mode = text(form, "mode");
    let body = ActionInput {
        version: None,
        reason: Some(required_text(form, "reason")),
        materials: Some(form.all("materials")),
        due_in,
        at_window: Some(me.caller.role() == Role::Clerk),
        // A window is only sent with a window pickup.
        window: text(form, "window").filter(|_| mode.as_deref() == Some("window")),
        mode,
        tracking: text(form, "tracking"),
        score,
        comment: text(form, "comment"),
    };
    action(kind, &body)
}

/// Where to go after an action: the page the form came from, if it is
/// one of this site's, else the case.
fn back_to(form: &FormData, id: &CaseId) -> String {
    let back = form.text("back");
    if back.starts_with('/') && !back.starts_with("//") && !back.starts_with("/\\") {
        back
    } else {
        format!("/cases/{id}")
    }
}

/// POST /cases/{id}/{action}: an applicant's or a clerk's action.
pub async fn act(
    State(state): State<AppState>,
    c: Chrome,
    Path((id, kind)): Path<(String, String)>,
    form: FormData,
) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    if let Err(r) = check_csrf(&c, &me, &form) {
        return *r;
    }
    let desk = match at_desk(&c, state.service().cases(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let Ok(case_id) = CaseId::parse(&id) else {
        return not_found(c);
    };
    let back = Some(format!("/cases/{case_id}"));
    let Ok(version) = form.text("version").parse::<u64>() else {
        return error_page(c, ServiceError::VersionRequired, back);
    };
    let result = match action_of(&me, &kind, &form) {
        Ok(action) => desk.act(&case_id, Some(version), action).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Redirect::to(&back_to(&form, &case_id)).into_response(),
        Err(ServiceError::Invalid(fields)) => {
            let errors = Errors::of(&c, &kind, fields);
            render_case(&state, c, &me, &case_id, errors, form).await
        }
        Err(e) => error_page(c, e, back),
    }
}

/// POST /cases/{id}/consent: the applicant grants (`decision=grant`) or
/// refuses (`decision=refuse`) the reads the consent step lists, through
/// the same call as `POST /api/v1/cases/{id}/consent`.
pub async fn consent(
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
    let Ok(case_id) = CaseId::parse(&id) else {
        return not_found(c);
    };
    let grant = match form.text("decision").as_str() {
        "grant" => true,
        "refuse" => false,
        _ => {
            let errors = Errors::of(
                &c,
                "consent",
                vec![FieldProblem::new("decision", "required", "grant or refuse")],
            );
            return render_case(&state, c, &me, &case_id, errors, form).await;
        }
    };
    match desk.decide_consent(&case_id, grant).await {
        Ok(_) => Redirect::to(&format!("/cases/{case_id}#consent")).into_response(),
        Err(e) => error_page(c, e, Some(format!("/cases/{case_id}"))),
    }
}

/// POST /cases/{id}/materials/{material}: a file given on the case page.
/// The form sends `csrf` first, then `file`.
pub async fn give(
    State(state): State<AppState>,
    c: Chrome,
    Path((id, material)): Path<(String, String)>,
    mut form: Multipart,
) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let Ok(case_id) = CaseId::parse(&id) else {
        return not_found(c);
    };
    let csrf = match form.next_field().await {
        Ok(Some(f)) if f.name() == Some("csrf") => f.text().await.unwrap_or_default(),
        _ => String::new(),
    };
    let token = FormData(vec![("csrf".to_owned(), csrf)]);
    if let Err(r) = check_csrf(&c, &me, &token) {
        return *r;
    }
    let intake = match at_desk(&c, state.service().intake(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let result = match form.next_field().await {
        Ok(Some(field)) if field.name() == Some("file") => {
            let file = GivenFile {
                name: field.file_name().unwrap_or_default().to_owned(),
                media_type: field.content_type().map(str::to_owned),
                body: field,
            };
            intake.give_file(&case_id, &material, file).await
        }
        _ => Err(ServiceError::invalid(
            format!("materials.{material}"),
            "required",
            "choose a file",
        )),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/cases/{case_id}#materials")).into_response(),
        Err(ServiceError::Invalid(fields)) => {
            let errors = Errors::of(&c, "materials", fields);
            render_case(&state, c, &me, &case_id, errors, FormData::default()).await
        }
        Err(e) => error_page(c, e, Some(format!("/cases/{case_id}"))),
    }
}

/// POST /cases/{id}/files/{file}/original-seen: the clerk records that the
/// original paper of a file's material was seen at the window.
pub async fn original_seen(
    State(state): State<AppState>,
    c: Chrome,
    Path((id, file)): Path<(String, String)>,
    form: FormData,
) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    if let Err(r) = check_csrf(&c, &me, &form) {
        return *r;
    }
    let Ok(case_id) = CaseId::parse(&id) else {
        return not_found(c);
    };
    let desk = match at_desk(&c, state.service().window(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    match desk.original_seen(&file).await {
        // The file names its case; the path's is only where the form was.
        Ok(f) => Redirect::to(&format!("/cases/{}#materials", f.case_id)).into_response(),
        Err(ServiceError::Invalid(fields)) => {
            let errors = Errors::of(&c, "materials", fields);
            render_case(&state, c, &me, &case_id, errors, FormData::default()).await
        }
        Err(e) => error_page(c, e, Some(format!("/cases/{case_id}"))),
    }
}

/// POST /cases/{id}/materials/{material}/reuse: the applicant gives an
/// earlier file (`file`) again for a material of their case.
pub async fn reuse(
    State(state): State<AppState>,
    c: Chrome,
    Path((id, material)): Path<(String, String)>,
    form: FormData,
) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    if let Err(r) = check_csrf(&c, &me, &form) {
        return *r;
    }
    let Ok(case_id) = CaseId::parse(&id) else {
        return not_found(c);
    };
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let file = form.get("file").unwrap_or_default().to_owned();
    match desk.reuse_file(&case_id, &material, &file).await {
        Ok(_) => Redirect::to(&format!("/cases/{case_id}#material-{material}")).into_response(),
        Err(ServiceError::Invalid(fields)) => {
            let errors = Errors::of(&c, "materials", fields);
            render_case(&state, c, &me, &case_id, errors, FormData::default()).await
        }
        Err(e) => error_page(c, e, Some(format!("/cases/{case_id}"))),
    }
}
