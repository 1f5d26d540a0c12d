//! `/api/v1/me/addresses`, `/api/v1/cases/{id}/delivery`,
//! `/api/v1/cases/{id}/parcels…`, `/api/v1/parcels…`: two-way delivery.
//! The applicant's address book and where a result goes; the window sends
//! results and receives and returns posted originals; the applicant books
//! a courier for an original; everyone who may see a case tracks its
//! parcels; the carrier reports by signed callback
//! (`/api/v1/parcels/notify`), logged for supervisors.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use yici_callback::Signed;
use yici_service::express::{
    Address, CarrierLine, NONCE_HEADER, Parcel, SIGNATURE_HEADER, StoredAddress, TIMESTAMP_HEADER,
    Tracked, Tracking,
};

use super::body::Body;
use crate::auth::SignedIn;
use crate::params::{Page, Params};
use crate::problem::ApiError;
use crate::state::AppState;

/// An address as entered.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    /// Who receives it (收件人), 1–50 characters.
    pub recipient: String,
    /// An 11-digit mobile number or a landline such as `0571-87654321`.
    pub phone: String,
    /// Province, city and district, 1–60 characters.
    pub region: String,
    /// Street, number, building and room, 1–200 characters.
    pub line: String,
    /// Six digits, or empty.
    #[serde(default)]
    pub postcode: String,
}

impl From<AddressInput> for Address {
    fn from(a: AddressInput) -> Self {
        Address {
            recipient: a.recipient,
            phone: a.phone,
            region: a.region,
            line: a.line,
            postcode: a.postcode,
        }
    }
}

/// An address, of the book or of a parcel.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AddressView {
    /// Id in the book (none for a parcel's copy).
    pub id: Option<String>,
    /// Who receives it.
    pub recipient: String,
    /// Their phone.
    pub phone: String,
    /// Province, city, district.
    pub region: String,
    /// Street and number.
    pub line: String,
    /// Postcode, or empty.
    pub postcode: String,
}

fn address_view(id: Option<String>, a: Address) -> AddressView {
    AddressView {
        id,
        recipient: a.recipient,
        phone: a.phone,
        region: a.region,
        line: a.line,
        postcode: a.postcode,
    }
}

fn book_view(a: StoredAddress) -> AddressView {
    AddressView {
        id: Some(a.id),
        recipient: a.recipient,
        phone: a.phone,
        region: a.region,
        line: a.line,
        postcode: a.postcode,
    }
}

/// A state a parcel reached.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ParcelEventView {
    /// `created`, `picked_up`, `in_transit`, `delivered` or `failed`.
    pub state: String,
    /// When (ms).
    pub at_ms: i64,
}

/// A parcel.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ParcelView {
    /// Id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// `result`, `original_in` or `original_back`.
    pub kind: String,
    /// The material, for an original.
    pub material: Option<String>,
    /// The carrier.
    pub carrier: String,
    /// The waybill.
    pub waybill: String,
    /// Where it is.
    pub state: String,
    /// Last change (ms).
    pub updated_ms: i64,
    /// When the window received the original (ms).
    pub received_ms: Option<i64>,
    /// The parcel sending the original back.
    pub back_parcel: Option<String>,
    /// Where it goes to or comes from (with a tracking read).
    pub address: Option<AddressView>,
    /// Its states so far (with a tracking read).
    pub events: Vec<ParcelEventView>,
}

fn parcel_view(p: Parcel) -> ParcelView {
    ParcelView {
        id: p.parcel.id,
        case_id: p.parcel.case_id,
        kind: p.parcel.kind,
        material: p.parcel.material,
        carrier: p.parcel.carrier,
        waybill: p.parcel.waybill,
        state: p.state,
        updated_ms: p.updated_ms,
        received_ms: p.received_ms,
        back_parcel: p.back_parcel,
        address: None,
        events: Vec::new(),
    }
}

fn tracked_view(t: Tracked) -> ParcelView {
    let events = t
        .events
        .into_iter()
        .map(|e| ParcelEventView {
            state: e.state,
            at_ms: e.at_ms,
        })
        .collect();
    ParcelView {
        address: Some(address_view(None, t.address)),
        events,
        ..parcel_view(t.parcel)
    }
}

/// Two-way delivery of a case.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrackingView {
    /// Where the result goes, if the applicant chose an address.
    pub delivery_address: Option<AddressView>,
    /// The parcels, oldest first.
    pub parcels: Vec<ParcelView>,
}

fn tracking_view(t: Tracking) -> TrackingView {
    TrackingView {
        delivery_address: t.choice.map(|a| address_view(None, a)),
        parcels: t.parcels.into_iter().map(tracked_view).collect(),
    }
}

/// My address book.
#[utoipa::path(get, path = "/api/v1/me/addresses", tag = "express", responses((status = 200, body = Vec<AddressView>)))]
pub async fn addresses(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
) -> Result<Json<Vec<AddressView>>, ApiError> {
    let list = state.service().applicant(&caller)?.addresses().await?;
    Ok(Json(list.into_iter().map(book_view).collect()))
}

/// Adds an address to my book (at most 20). 422 names each wrong field.
#[utoipa::path(post, path = "/api/v1/me/addresses", tag = "express", request_body = AddressInput,
    responses((status = 201, body = AddressView), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn add_address(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    body: Body<AddressInput>,
) -> Result<(StatusCode, Json<AddressView>), ApiError> {
    let a = state
        .service()
        .applicant(&caller)?
        .add_address(body.value.into())
        .await?;
    Ok((StatusCode::CREATED, Json(book_view(a))))
}

/// Corrects an address of my book.
#[utoipa::path(put, path = "/api/v1/me/addresses/{id}", tag = "express", request_body = AddressInput, params(("id" = String, Path)),
    responses((status = 200, body = AddressView), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn update_address(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
    body: Body<AddressInput>,
) -> Result<Json<AddressView>, ApiError> {
    let a = state
        .service()
        .applicant(&caller)?
        .update_address(&id, body.value.into())
        .await?;
    Ok(Json(book_view(a)))
}

/// Removes an address from my book (parcels keep their copy).
#[utoipa::path(delete, path = "/api/v1/me/addresses/{id}", tag = "express", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn remove_address(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state
        .service()
        .applicant(&caller)?
        .remove_address(&id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where a result goes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliveryInput {
    /// An address of my book; `null`: fetch it at the window after all.
    pub address_id: Option<String>,
}

/// Sends my case's result by express to an address of my book, or not.
#[utoipa::path(put, path = "/api/v1/cases/{id}/delivery", tag = "express", request_body = DeliveryInput, params(("id" = String, Path)),
    responses((status = 200, body = TrackingView), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn choose(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
    body: Body<DeliveryInput>,
) -> Result<Json<TrackingView>, ApiError> {
    let service = state.service();
    service
        .applicant(&caller)?
        .choose_delivery(&id, body.value.address_id.as_deref())
        .await?;
    let t = service.cases(&caller)?.tracking(&id).await?;
    Ok(Json(tracking_view(t)))
}

/// Where a case's result goes and its parcels with their states.
#[utoipa::path(get, path = "/api/v1/cases/{id}/parcels", tag = "express", params(("id" = String, Path)),
    responses((status = 200, body = TrackingView), (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn tracking(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<TrackingView>, ApiError> {
    let t = state.service().cases(&caller)?.tracking(&id).await?;
    Ok(Json(tracking_view(t)))
}

/// The window sends a case's issued result to the address chosen.
#[utoipa::path(post, path = "/api/v1/cases/{id}/parcels", tag = "express", params(("id" = String, Path)),
    responses((status = 201, body = ParcelView), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn ship(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<ParcelView>), ApiError> {
    let p = state.service().window(&caller)?.ship_result(&id).await?;
    Ok((StatusCode::CREATED, Json(parcel_view(p))))
}

/// An original to post.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OriginalInput {
    /// The material whose original is posted.
    pub material: String,
    /// The address of my book the courier picks it up at.
    pub address_id: String,
}

/// Books a courier to take an original to the window (no trip).
#[utoipa::path(post, path = "/api/v1/cases/{id}/originals", tag = "express", request_body = OriginalInput, params(("id" = String, Path)),
    responses((status = 201, body = ParcelView), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn post_original(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
    body: Body<OriginalInput>,
) -> Result<(StatusCode, Json<ParcelView>), ApiError> {
    let b = body.value;
    let p = state
        .service()
        .applicant(&caller)?
        .post_original(&id, &b.material, &b.address_id)
        .await?;
    Ok((StatusCode::CREATED, Json(parcel_view(p))))
}

/// The window records a posted original received and seen.
#[utoipa::path(post, path = "/api/v1/parcels/{id}/receive", tag = "express", params(("id" = String, Path)),
    responses((status = 200, body = ParcelView), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn receive(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<ParcelView>, ApiError> {
    let p = state
        .service()
        .window(&caller)?
        .receive_original(&id)
        .await?;
    Ok(Json(parcel_view(p)))
}

/// The window sends a received original back.
#[utoipa::path(post, path = "/api/v1/parcels/{id}/return", tag = "express", params(("id" = String, Path)),
    responses((status = 201, body = ParcelView), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn give_back(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<ParcelView>), ApiError> {
    let p = state
        .service()
        .window(&caller)?
        .return_original(&id)
        .await?;
    Ok((StatusCode::CREATED, Json(parcel_view(p))))
}

/// A page of parcels.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ParcelPage {
    /// The parcels.
    pub items: Vec<ParcelView>,
    /// How many in all.
    pub total: u64,
}

/// The parcels of the clerk's city, most recently moved first.
#[utoipa::path(get, path = "/api/v1/parcels", tag = "express",
    params(("per_page" = Option<u32>, Query), ("page" = Option<u32>, Query)), responses((status = 200, body = ParcelPage)))]
pub async fn window(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Params(params): Params,
) -> Result<Json<ParcelPage>, ApiError> {
    let page = Page::from_params(&params)?;
    let (list, total) = state
        .service()
        .window(&caller)?
        .window_parcels(page.per_page, page.offset())
        .await?;
    Ok(Json(ParcelPage {
        items: list.into_iter().map(parcel_view).collect(),
        total,
    }))
}

/// What a carrier's callback says.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct CarrierNoticeBody {
    /// The waybill.
    pub waybill: String,
    /// `picked_up`, `in_transit`, `delivered` or `failed`.
    pub state: String,
    /// When (ms).
    pub at_ms: i64,
}

/// The answer to a carrier's callback.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CarrierAnswer {
    /// `SUCCESS`.
    pub code: String,
    /// The waybill.
    pub waybill: String,
    /// The parcel's state now.
    pub state: String,
    /// Whether this callback moved it.
    pub changed: bool,
}

/// The carrier's signed callback. A forged, stale or replayed callback is
/// refused with the rule it broke and logged; nothing changes.
#[utoipa::path(post, path = "/api/v1/parcels/notify", tag = "express", request_body = CarrierNoticeBody,
    params(("yici-carrier-timestamp" = String, Header), ("yici-carrier-nonce" = String, Header), ("yici-carrier-signature" = String, Header)),
    responses((status = 200, body = CarrierAnswer), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json"), (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn notify(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<CarrierAnswer>, ApiError> {
    if body.len() > super::body::MAX_JSON_BYTES {
        return Err(ApiError(yici_service::ServiceError::TooLarge(
            super::body::MAX_JSON_BYTES,
        )));
    }
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let signed = Signed {
        timestamp: get(TIMESTAMP_HEADER),
        nonce: get(NONCE_HEADER),
        signature: get(SIGNATURE_HEADER),
    };
    let heard = state
        .service()
        .receive_carrier_notice(&signed, &body)
        .await?;
    Ok(Json(CarrierAnswer {
        code: "SUCCESS".into(),
        waybill: heard.waybill,
        state: heard.state.as_str().into(),
        changed: heard.changed,
    }))
}

/// A line of the carrier's callback log.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CarrierLineView {
    /// Id.
    pub id: String,
    /// The waybill, if read.
    pub waybill: Option<String>,
    /// `applied`, `already` or `refused`.
    pub outcome: String,
    /// The rule a refused callback broke.
    pub rule: Option<String>,
    /// What was said.
    pub detail: String,
    /// Received (ms).
    pub received_ms: i64,
}

/// The carrier's callbacks, refused ones included, newest first (supervisors).
#[utoipa::path(get, path = "/api/v1/parcels/callbacks", tag = "supervision",
    params(("per_page" = Option<u32>, Query), ("page" = Option<u32>, Query)), responses((status = 200, body = Vec<CarrierLineView>)))]
pub async fn callbacks(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Params(params): Params,
) -> Result<Json<Vec<CarrierLineView>>, ApiError> {
    let page = Page::from_params(&params)?;
    let (lines, _) = state
        .service()
        .supervision(&caller)?
        .carrier_callbacks(page.per_page, page.offset())
        .await?;
    Ok(Json(
        lines
            .into_iter()
            .map(|l: CarrierLine| CarrierLineView {
                id: l.id,
                waybill: l.waybill,
                outcome: l.outcome,
                rule: l.rule,
                detail: l.detail,
                received_ms: l.received_ms,
            })
            .collect(),
    ))
}
