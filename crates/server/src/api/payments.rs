//! `/api/v1/cases/{id}/fees`, `/api/v1/cases/{id}/payments`,
//! `/api/v1/payments…`: a case's fees and paying them online, the
//! payments of an applicant and of a window with their receipts, the
//! provider's signed notice, and the notices' log for supervisors. The
//! sandbox provider's own query API is `/sandbox/pay/api/orders/{order}`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use serde::Serialize;
use yici_payment::notice::{NONCE_HEADER, SIGNATURE_HEADER, Signed, TIMESTAMP_HEADER};
use yici_service::payments::{CaseFees, NoticeLine, PaymentOrder, ProviderView, Refund, yuan};

use crate::auth::SignedIn;
use crate::params::{Page, Params, number};
use crate::problem::ApiError;
use crate::state::AppState;

/// One fee item of a payment.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ItemView {
    /// `matter/code`.
    pub fee: String,
    /// Name, Chinese.
    pub name_zh: String,
    /// Name, English.
    pub name_en: String,
    /// Units.
    pub units: i64,
    /// Amount (fen).
    pub amount_fen: i64,
}

/// A refund of a payment.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RefundView {
    /// Id.
    pub id: String,
    /// `double_payment`, `case_closed` or `provider`.
    pub reason: String,
    /// `requested`, `submitted` or `refunded`.
    pub state: String,
}

/// A payment order.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PaymentView {
    /// Id (the merchant order number).
    pub id: String,
    /// The case paid for.
    pub case_id: String,
    /// The collecting department.
    pub department: String,
    /// Amount (fen).
    pub amount_fen: i64,
    /// Amount in yuan, `80.00`.
    pub amount: String,
    /// `pending`, `paid`, `refunded` or `closed`.
    pub state: String,
    /// The provider.
    pub provider: String,
    /// The provider's transaction id.
    pub transaction_id: Option<String>,
    /// Created (ms).
    pub created_ms: i64,
    /// Paid (ms).
    pub paid_ms: Option<i64>,
    /// Refunded (ms).
    pub refunded_ms: Option<i64>,
    /// The items.
    pub items: Vec<ItemView>,
    /// The electronic receipt (SD-JWT VC), once paid.
    pub receipt_url: Option<String>,
    /// Its refund, if any.
    pub refund: Option<RefundView>,
}

pub(super) fn view(o: PaymentOrder, refund: Option<Refund>) -> PaymentView {
    PaymentView {
        receipt_url: o
            .receipt
            .as_ref()
            .map(|_| format!("/api/v1/payments/{}/receipt", o.id)),
        amount: yuan(o.amount_fen),
        items: o
            .items
            .into_iter()
            .map(|i| ItemView {
                fee: i.fee,
                name_zh: i.name_zh,
                name_en: i.name_en,
                units: i.units,
                amount_fen: i.amount_fen,
            })
            .collect(),
        refund: refund.map(|r| RefundView {
            id: r.id,
            reason: r.reason,
            state: r.state,
        }),
        id: o.id,
        case_id: o.case_id,
        department: o.department,
        amount_fen: o.amount_fen,
        state: o.state,
        provider: o.provider,
        transaction_id: o.transaction_id,
        created_ms: o.created_ms,
        paid_ms: o.paid_ms,
        refunded_ms: o.refunded_ms,
    }
}

/// One fee of a case.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeeView {
    /// The matter.
    pub matter: String,
    /// The fee item's code.
    pub code: String,
    /// Name, Chinese.
    pub name_zh: String,
    /// Name, English.
    pub name_en: String,
    /// Units counted.
    pub units: u64,
    /// Amount (fen).
    pub amount_fen: u64,
    /// `before_acceptance` or `before_issue`.
    pub due: String,
    /// Legal basis.
    pub basis: String,
    /// Who pays, Chinese.
    pub payer: String,
    /// Paid.
    pub paid: bool,
}

/// A case's fees.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeesView {
    /// Every fee.
    pub fees: Vec<FeeView>,
    /// Still to pay (fen).
    pub owed_fen: u64,
    /// The case's payments, newest first.
    pub payments: Vec<PaymentView>,
}

fn fees_view(f: CaseFees) -> FeesView {
    FeesView {
        fees: f
            .lines
            .into_iter()
            .map(|s| FeeView {
                matter: s.line.matter.to_string(),
                code: s.line.code,
                name_zh: s.line.name.zh.to_string(),
                name_en: s.line.name.en.to_string(),
                units: s.line.units,
                amount_fen: s.line.amount_fen,
                due: match s.line.due {
                    yici_core::catalog::FeeDue::BeforeAcceptance => "before_acceptance",
                    yici_core::catalog::FeeDue::BeforeIssue => "before_issue",
                }
                .into(),
                basis: s.line.basis,
                payer: s.line.payer.zh.to_string(),
                paid: s.paid,
            })
            .collect(),
        owed_fen: f.owed_fen,
        payments: f.orders.into_iter().map(|o| view(o, None)).collect(),
    }
}

/// Where to send the payer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CheckoutView {
    /// The order.
    pub payment: PaymentView,
    /// The provider's checkout page.
    pub checkout_url: String,
}

/// A page of payments.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PaymentPage {
    /// Newest first.
    pub items: Vec<PaymentView>,
    /// How many in all.
    pub total: u64,
}

/// The fees of a case: each item, paid or not, what is still owed, and
/// the case's payments.
#[utoipa::path(get, path = "/api/v1/cases/{id}/fees", tag = "payments", params(("id" = String, Path)),
    responses((status = 200, body = FeesView), (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn fees(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<FeesView>, ApiError> {
    let f = state.service().cases(&caller)?.fees(&id).await?;
    Ok(Json(fees_view(f)))
}

/// Opens a payment of everything the case still owes; answers the
/// provider's checkout URL to send the payer to.
#[utoipa::path(post, path = "/api/v1/cases/{id}/payments", tag = "payments", params(("id" = String, Path)),
    responses((status = 201, body = CheckoutView), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn pay(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<CheckoutView>), ApiError> {
    let c = state.service().applicant(&caller)?.pay(&id).await?;
    Ok((
        StatusCode::CREATED,
        Json(CheckoutView {
            payment: view(c.order, None),
            checkout_url: c.checkout_url,
        }),
    ))
}

/// My payments, newest first.
#[utoipa::path(get, path = "/api/v1/me/payments", tag = "payments",
    params(("per_page" = Option<u32>, Query), ("page" = Option<u32>, Query)), responses((status = 200, body = PaymentPage)))]
pub async fn mine(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Params(params): Params,
) -> Result<Json<PaymentPage>, ApiError> {
    let page = Page::from_params(&params)?;
    let (list, total) = state
        .service()
        .applicant(&caller)?
        .my_payments(page.per_page, page.offset())
        .await?;
    Ok(Json(PaymentPage {
        items: list.into_iter().map(|o| view(o, None)).collect(),
        total,
    }))
}

/// The payments of the clerk's city, newest first.
#[utoipa::path(get, path = "/api/v1/payments", tag = "payments",
    params(("per_page" = Option<u32>, Query), ("page" = Option<u32>, Query)), responses((status = 200, body = PaymentPage)))]
pub async fn window(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Params(params): Params,
) -> Result<Json<PaymentPage>, ApiError> {
    let page = Page::from_params(&params)?;
    let (list, total) = state
        .service()
        .window(&caller)?
        .window_payments(page.per_page, page.offset())
        .await?;
    Ok(Json(PaymentPage {
        items: list.into_iter().map(|o| view(o, None)).collect(),
        total,
    }))
}

/// One payment, with its refund.
#[utoipa::path(get, path = "/api/v1/payments/{id}", tag = "payments", params(("id" = String, Path)),
    responses((status = 200, body = PaymentView), (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<PaymentView>, ApiError> {
    let (o, refund) = state.service().payment_with_refund(&caller, &id).await?;
    Ok(Json(view(o, refund)))
}

/// The payment's electronic receipt: an SD-JWT VC of the collecting
/// department (verify it at `/api/v1/verify` or on `/verify`).
#[utoipa::path(get, path = "/api/v1/payments/{id}/receipt", tag = "payments", params(("id" = String, Path)),
    responses((status = 200, description = "the receipt", content_type = "application/dc+sd-jwt"), (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn receipt(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let o = state.service().payment_for(&caller, &id).await?;
    let sd_jwt = o.receipt.ok_or_else(|| {
        ApiError(yici_service::ServiceError::NotFound {
            what: "receipt",
            id: id.clone(),
        })
    })?;
    Ok(([(header::CONTENT_TYPE, "application/dc+sd-jwt")], sd_jwt))
}

/// What yici answers a provider's notice.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NoticeAnswer {
    /// `SUCCESS`: stored; the provider stops sending it.
    pub code: String,
    /// The order.
    pub order: String,
    /// Its state now.
    pub state: String,
    /// Whether this notice changed it (false for a repeat).
    pub changed: bool,
}

/// A provider's notice, as its JSON body reads (documentation only: the
/// body is checked as raw bytes against its signature before it is read).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NoticeBody {
    /// yici's order id.
    pub order: String,
    /// The provider's transaction id.
    pub transaction: String,
    /// `pending`, `paid`, `refunded` or `closed`.
    pub state: String,
    /// Amount (fen); must be the order's.
    pub amount_fen: u64,
    /// When paid (ms).
    pub paid_ms: Option<i64>,
    /// The refund's id, for a refund.
    pub refund: Option<String>,
}

/// The payment provider's asynchronous notice, signed (see the headers).
/// A forged, stale or replayed notice is refused with the rule it broke
/// and logged; nothing changes.
#[utoipa::path(post, path = "/api/v1/payments/notify", tag = "payments", request_body = NoticeBody,
    params(("yici-pay-timestamp" = String, Header), ("yici-pay-nonce" = String, Header), ("yici-pay-signature" = String, Header)),
    responses((status = 200, body = NoticeAnswer), (status = 422, body = crate::problem::Problem, content_type = "application/problem+json"), (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn notify(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<NoticeAnswer>, ApiError> {
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
    let heard = state.service().receive_notice(&signed, &body).await?;
    Ok(Json(NoticeAnswer {
        code: "SUCCESS".into(),
        order: heard.order,
        state: heard.state.as_str().into(),
        changed: heard.changed,
    }))
}

/// A line of the notices' log.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NoticeLineView {
    /// Id.
    pub id: String,
    /// Received (ms).
    pub received_ms: i64,
    /// `notice` or `query`.
    pub source: String,
    /// `applied`, `already` or `refused`.
    pub outcome: String,
    /// The rule a refused notice broke.
    pub rule: Option<String>,
    /// The order.
    pub order: Option<String>,
    /// What was said.
    pub detail: String,
}

impl From<NoticeLine> for NoticeLineView {
    fn from(l: NoticeLine) -> Self {
        NoticeLineView {
            id: l.id,
            received_ms: l.received_ms,
            source: l.source,
            outcome: l.outcome,
            rule: l.rule,
            order: l.order,
            detail: l.detail,
        }
    }
}

/// The provider's notices and the reconciler's queries, refused ones
/// included, newest first (supervisors).
#[utoipa::path(get, path = "/api/v1/payments/notices", tag = "supervision",
    params(("per_page" = Option<u32>, Query), ("page" = Option<u32>, Query)), responses((status = 200, body = Vec<NoticeLineView>)))]
pub async fn notices(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Params(params): Params,
) -> Result<Json<Vec<NoticeLineView>>, ApiError> {
    let per_page = number(&params, "per_page", 50, 1, 100)?;
    let page = number(&params, "page", 1, 1, 100_000)?;
    let (lines, _) = state
        .service()
        .supervision(&caller)?
        .payment_notices(per_page, u64::from(page - 1) * u64::from(per_page))
        .await?;
    Ok(Json(lines.into_iter().map(NoticeLineView::from).collect()))
}

/// The sandbox provider's order, as its query API answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SandboxQuery {
    /// `pending`, `paid`, `refunded` or `closed`.
    pub state: String,
    /// The sandbox's transaction id.
    pub transaction: String,
    /// Amount (fen).
    pub amount_fen: u64,
    /// Paid (ms).
    pub paid_ms: Option<i64>,
}

/// The sandbox provider's query: where it says yici's order is.
#[utoipa::path(get, path = "/sandbox/pay/api/orders/{order}", tag = "payments", params(("order" = String, Path)),
    responses((status = 200, body = SandboxQuery), (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn sandbox_query(
    State(state): State<AppState>,
    Path(order): Path<String>,
) -> Result<Json<SandboxQuery>, ApiError> {
    let v: ProviderView = state.service().sandbox_query(&order).await?;
    Ok(Json(SandboxQuery {
        state: serde_json::to_value(v.state)
            .ok()
            .and_then(|s| s.as_str().map(str::to_owned))
            .unwrap_or_default(),
        transaction: v.transaction,
        amount_fen: v.amount_fen,
        paid_ms: v.paid_ms,
    }))
}
