//! Two-way delivery (双向寄递) in the pages: the parcels block of a case
//! page (where the result goes, posting an original, the window's send,
//! receive and return buttons, each parcel's track), the applicant's
//! address book (`/my/addresses`) and the window's parcels
//! (`/work/parcels`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use yici_core::case::{Case, CaseState, Role};
use yici_service::express::{Address, Parcel, ParcelEvent, StoredAddress, Tracking};
use yici_service::{Caller, Service, ServiceError};

use super::chrome::Chrome;
use super::input::{Errors, FormData};
use super::pager::Pager;
use super::progress::minute;
use super::render::{error_page, render, render_status};
use super::session::{at_desk, need_signed, signed_form};
use crate::params::{Page, Params};
use crate::state::AppState;

/// One state a parcel reached, for its track.
pub struct Step {
    pub(super) state: String,
    pub(super) when: String,
}

/// One parcel on a page.
pub struct ParcelLine {
    pub(super) id: String,
    pub(super) case_id: String,
    pub(super) kind: String,
    pub(super) waybill: String,
    pub(super) state: String,
    pub(super) state_code: String,
    pub(super) address: String,
    pub(super) steps: Vec<Step>,
    /// The window may record it received (a posted original at the window).
    pub(super) may_receive: bool,
    /// The window may send it back (received, not yet returned).
    pub(super) may_return: bool,
}

/// The parcels block of a case page.
pub struct ParcelsBlock {
    /// Where the result goes, if chosen.
    pub(super) choice: Option<String>,
    /// The applicant may choose (or change) where the result goes.
    pub(super) may_choose: bool,
    /// The applicant's address book: (id, one line).
    pub(super) book: Vec<(String, String)>,
    /// Originals the applicant may post: (key, name).
    pub(super) postable: Vec<(String, String)>,
    /// The window may send the result now.
    pub(super) may_ship: bool,
    pub(super) parcels: Vec<ParcelLine>,
}

fn line_of(
    c: &Chrome,
    p: &Parcel,
    address: Option<&Address>,
    events: &[ParcelEvent],
) -> ParcelLine {
    let is_clerk = c
        .user
        .as_ref()
        .is_some_and(|u| u.caller.role() == Role::Clerk);
    let original_in = p.parcel.kind == "original_in";
    ParcelLine {
        id: p.parcel.id.clone(),
        case_id: p.parcel.case_id.clone(),
        kind: c
            .t
            .get(&format!("parcel.kind.{}", p.parcel.kind))
            .to_owned(),
        waybill: p.parcel.waybill.clone(),
        state: c.t.get(&format!("parcel.state.{}", p.state)).to_owned(),
        state_code: p.state.clone(),
        address: address.map(Address::one_line).unwrap_or_default(),
        steps: events
            .iter()
            .map(|e| Step {
                state: c.t.get(&format!("parcel.state.{}", e.state)).to_owned(),
                when: minute(e.at_ms),
            })
            .collect(),
        may_receive: is_clerk && original_in && p.state == "delivered" && p.received_ms.is_none(),
        may_return: is_clerk && original_in && p.received_ms.is_some() && p.back_parcel.is_none(),
    }
}

/// The parcels block of a case page; `None` when the case's matters
/// neither send their result by express nor take an original by post.
pub async fn parcels_block(
    c: &Chrome,
    service: &Service,
    caller: &Caller,
    case: &Case,
) -> Result<Option<ParcelsBlock>, ServiceError> {
    let plan = service.plan_for(&case.target)?;
    let lang = c.code();
    let by_post: Vec<(String, String)> = plan
        .materials
        .bring
        .iter()
        .filter(|m| m.original_required && m.by_post)
        .map(|m| (m.key.to_string(), m.name.get(lang).to_owned()))
        .collect();
    let express = service.express_offered(&case.target);
    if !express && by_post.is_empty() {
        return Ok(None);
    }
    let id = case.id.to_string();
    let Tracking { choice, parcels } = service.cases(caller)?.tracking(&id).await?;
    let applicant = caller.role() == Role::Applicant;
    let open = !case.state.is_closed();
    let book = if applicant && open {
        service.applicant(caller)?.addresses().await?
    } else {
        Vec::new()
    };
    let active = |kind: &str, material: Option<&str>| {
        parcels.iter().any(|t| {
            t.parcel.parcel.kind == kind
                && t.parcel.parcel.material.as_deref() == material
                && t.parcel.state != "failed"
        })
    };
    let result_sent = active("result", None);
    Ok(Some(ParcelsBlock {
        choice: choice.as_ref().map(Address::one_line),
        may_choose: applicant && open && express && !result_sent,
        postable: if applicant && open {
            by_post
                .into_iter()
                .filter(|(k, _)| !active("original_in", Some(k)))
                .collect()
        } else {
            Vec::new()
        },
        book: book
            .iter()
            .map(|a: &StoredAddress| (a.id.clone(), one_line(a)))
            .collect(),
        may_ship: caller.role() == Role::Clerk
            && case.state == CaseState::ResultIssued
            && choice.is_some()
            && !result_sent,
        parcels: parcels
            .iter()
            .map(|t| line_of(c, &t.parcel, Some(&t.address), &t.events))
            .collect(),
    }))
}

fn one_line(a: &StoredAddress) -> String {
    format!("{} {} ({} {})", a.region, a.line, a.recipient, a.phone)
}

/// POST /parcels/{id}/receive and /parcels/{id}/return: the window
/// receives a posted original, or sends it back.
pub async fn window_action(
    State(state): State<AppState>,
    c: Chrome,
    Path((id, action)): Path<(String, String)>,
    form: FormData,
) -> Response {
    let me = match signed_form(&c, &form) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().window(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let done = match action.as_str() {
        "receive" => desk.receive_original(&id).await,
        "return" => desk.return_original(&id).await,
        _ => return super::render::not_found(c),
    };
    match done {
        // The parcel names its case.
        Ok(p) => Redirect::to(&format!("/cases/{}#parcels", p.parcel.case_id)).into_response(),
        Err(e) => error_page(c, e, Some("/work/parcels".into())),
    }
}

#[derive(Template)]
#[template(path = "window_parcels.html")]
struct WindowParcels {
    c: Chrome,
    rows: Vec<ParcelLine>,
    pager: Pager,
}

/// GET /work/parcels: the parcels of the clerk's city.
pub async fn window(State(state): State<AppState>, c: Chrome, Params(params): Params) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().window(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let page = Page::from_params(&params).unwrap_or(Page {
        page: 1,
        per_page: 20,
    });
    match desk.window_parcels(page.per_page, page.offset()).await {
        Ok((list, total)) => render(&WindowParcels {
            rows: list.iter().map(|p| line_of(&c, p, None, &[])).collect(),
            pager: Pager::new(page, total, "/work/parcels"),
            c,
        }),
        Err(e) => error_page(c, e, None),
    }
}

#[derive(Template)]
#[template(path = "my_addresses.html")]
struct Addresses {
    c: Chrome,
    book: Vec<StoredAddress>,
    /// The address being corrected, if any (its id).
    editing: Option<String>,
    /// The form's values and its errors.
    echo: FormData,
    errors: Errors,
}

impl Addresses {
    fn value(&self, field: &str) -> String {
        self.echo.text(field)
    }
}

async fn addresses_page(
    state: &AppState,
    c: Chrome,
    editing: Option<String>,
    echo: FormData,
    errors: Errors,
) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let book = match desk.addresses().await {
        Ok(b) => b,
        Err(e) => return error_page(c, e, None),
    };
    // Correcting an address starts from what the book holds.
    let echo = match (&editing, echo.0.is_empty()) {
        (Some(id), true) => book
            .iter()
            .find(|a| &a.id == id)
            .map(|a| {
                FormData(vec![
                    ("recipient".into(), a.recipient.clone()),
                    ("phone".into(), a.phone.clone()),
                    ("region".into(), a.region.clone()),
                    ("line".into(), a.line.clone()),
                    ("postcode".into(), a.postcode.clone()),
                ])
            })
            .unwrap_or_default(),
        _ => echo,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(
        status,
        &Addresses {
            c,
            book,
            editing,
            echo,
            errors,
        },
    )
}

/// GET /my/addresses (`?edit=ID` to correct one).
pub async fn addresses(
    State(state): State<AppState>,
    c: Chrome,
    Params(params): Params,
) -> Response {
    let editing = params.get("edit").cloned();
    addresses_page(&state, c, editing, FormData::default(), Errors::default()).await
}

fn entered(form: &FormData) -> Address {
    Address {
        recipient: form.text("recipient"),
        phone: form.text("phone"),
        region: form.text("region"),
        line: form.text("line"),
        postcode: form.text("postcode"),
    }
}

/// POST /my/addresses: adds an address (no `id`), corrects one (`id`),
/// or removes one (`id` and `action=remove`); back to the book, or the
/// book again with the refusal beside the fields.
pub async fn change_address(State(state): State<AppState>, c: Chrome, form: FormData) -> Response {
    let me = match signed_form(&c, &form) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let id = form.text("id");
    let (result, editing) = match (id.as_str(), form.text("action").as_str()) {
        ("", _) => (desk.add_address(entered(&form)).await.map(|_| ()), None),
        (id, "remove") => (desk.remove_address(id).await, None),
        (id, _) => (
            desk.update_address(id, entered(&form)).await.map(|_| ()),
            Some(id.to_owned()),
        ),
    };
    match result {
        Ok(()) => Redirect::to("/my/addresses").into_response(),
        Err(ServiceError::Invalid(fields)) => {
            let errors = Errors::of(&c, "address", fields);
            addresses_page(&state, c, editing, form, errors).await
        }
        Err(e) => error_page(c, e, Some("/my/addresses".into())),
    }
}
