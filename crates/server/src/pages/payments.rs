//! Paying online (统一支付) in the pages: the fees block of a case page and
//! its pay button (to the provider's checkout), the applicant's payments
//! with their receipts, the window's payments, and the sandbox provider's
//! checkout page (which stands for a payment company's site).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use yici_core::catalog::FeeDue;
use yici_service::ServiceError;
use yici_service::payments::{COUNTER, CaseFees, PaymentOrder, money, yuan};

use super::chrome::Chrome;
use super::input::FormData;
use super::pager::Pager;
use super::progress::minute;
use super::render::{error_page, render};
use super::session::{at_desk, need_signed, signed_form};
use crate::params::{Page, Params};
use crate::state::AppState;

/// One fee on a case page.
pub struct FeeLine {
    pub(super) name: String,
    pub(super) amount: String,
    pub(super) due: String,
    pub(super) paid: bool,
    pub(super) basis: String,
}

/// One payment in a list.
pub struct PaymentLine {
    pub(super) id: String,
    pub(super) when: String,
    pub(super) amount: String,
    pub(super) state: String,
    pub(super) state_code: String,
    pub(super) case_id: String,
    pub(super) items: String,
}

/// The fees block of a case page.
pub struct FeesBlock {
    pub(super) lines: Vec<FeeLine>,
    pub(super) owed: String,
    pub(super) may_pay: bool,
    /// A clerk may record that it was paid at the counter.
    pub(super) may_take: bool,
    pub(super) payments: Vec<PaymentLine>,
}

fn line(c: &Chrome, o: &PaymentOrder) -> PaymentLine {
    PaymentLine {
        id: o.id.clone(),
        when: minute(o.created_ms),
        amount: format!("¥{}", yuan(o.amount_fen)),
        state: c.t.get(&format!("pay.state.{}", o.state)).to_owned(),
        state_code: o.state.clone(),
        case_id: o.case_id.clone(),
        items: o
            .items
            .iter()
            .map(|i| {
                if c.code() == "en" {
                    i.name_en.clone()
                } else {
                    i.name_zh.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(c.t.get("punct.list")),
    }
}

/// The fees block of a case page; `None` when the case's matters are free.
pub fn fees_block(c: &Chrome, fees: CaseFees) -> Option<FeesBlock> {
    if fees.lines.is_empty() {
        return None;
    }
    Some(FeesBlock {
        may_pay: c.is_applicant() && fees.open && fees.owed_fen > 0,
        may_take: c.is_clerk() && fees.open && fees.owed_fen > 0,
        owed: money(fees.owed_fen),
        payments: fees.orders.iter().map(|o| line(c, o)).collect(),
        lines: fees
            .lines
            .into_iter()
            .map(|s| FeeLine {
                name: s.line.name.get(c.code()).to_owned(),
                amount: money(s.line.amount_fen),
                due: c
                    .t
                    .get(match s.line.due {
                        FeeDue::BeforeAcceptance => "pay.due.before_acceptance",
                        FeeDue::BeforeIssue => "pay.due.before_issue",
                    })
                    .to_owned(),
                paid: s.paid,
                basis: s.line.basis,
            })
            .collect(),
    })
}

/// POST /cases/{id}/pay: opens a payment of what the case owes and sends
/// the payer to the provider's checkout.
pub async fn pay(
    State(state): State<AppState>,
    c: Chrome,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    let me = match signed_form(&c, &form) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    match desk.pay(&id).await {
        Ok(checkout) => Redirect::to(&checkout.checkout_url).into_response(),
        Err(e) => error_page(c, e, Some(format!("/cases/{id}"))),
    }
}

#[derive(Template)]
#[template(path = "my_payments.html")]
struct Payments {
    c: Chrome,
    title_key: &'static str,
    rows: Vec<PaymentLine>,
    pager: Pager,
}

fn list_page(
    c: Chrome,
    title_key: &'static str,
    base: &str,
    page: Page,
    list: &[PaymentOrder],
    total: u64,
) -> Response {
    render(&Payments {
        rows: list.iter().map(|o| line(&c, o)).collect(),
        title_key,
        pager: Pager::new(page, total, base),
        c,
    })
}

fn page_of(params: &crate::params::RawParams) -> Page {
    Page::from_params(params).unwrap_or(Page {
        page: 1,
        per_page: 20,
    })
}

/// GET /my/payments: the applicant's payments.
pub async fn mine(State(state): State<AppState>, c: Chrome, Params(params): Params) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().applicant(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let page = page_of(&params);
    match desk.my_payments(page.per_page, page.offset()).await {
        Ok((list, total)) => list_page(c, "pay.mine", "/my/payments", page, &list, total),
        Err(e) => error_page(c, e, None),
    }
}

/// GET /work/payments: the payments of the clerk's city.
pub async fn window(State(state): State<AppState>, c: Chrome, Params(params): Params) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let desk = match at_desk(&c, state.service().window(&me.caller)) {
        Ok(d) => d,
        Err(r) => return *r,
    };
    let page = page_of(&params);
    match desk.window_payments(page.per_page, page.offset()).await {
        Ok((list, total)) => list_page(c, "pay.window", "/work/payments", page, &list, total),
        Err(e) => error_page(c, e, None),
    }
}

#[derive(Template)]
#[template(path = "my_payment.html")]
struct OnePayment {
    c: Chrome,
    line: PaymentLine,
    items: Vec<(String, i64, String)>,
    transaction: String,
    paid: String,
    refund: Option<(String, String)>,
    /// A clerk may record that the refund was handed back at the counter.
    hand_back: bool,
    csrf: String,
    verify_url: Option<String>,
    qr_svg: Option<String>,
    print: bool,
}

async fn one_payment(state: &AppState, c: Chrome, id: &str, print: bool) -> Response {
    let me = match need_signed(&c) {
        Ok(me) => me,
        Err(r) => return *r,
    };
    let service = state.service();
    let (o, refund) = match service.payment_with_refund(&me.caller, id).await {
        Ok(found) => found,
        Err(e) => return error_page(c, e, None),
    };
    let verify_url = o
        .receipt
        .as_ref()
        .map(|r| format!("{}/verify?presentation={r}", service.public_url()));
    // A receipt with all its claims may be past what one QR code holds:
    // the link is there all the same.
    let qr_svg = verify_url
        .as_ref()
        .and_then(|u| yici_exchange::certificate::qr_svg(u).ok());
    render(&OnePayment {
        items: o
            .items
            .iter()
            .map(|i| {
                let name = if c.code() == "en" {
                    &i.name_en
                } else {
                    &i.name_zh
                };
                (name.clone(), i.units, format!("¥{}", yuan(i.amount_fen)))
            })
            .collect(),
        transaction: o.transaction_id.clone().unwrap_or_default(),
        paid: o.paid_ms.map(minute).unwrap_or_default(),
        hand_back: c.is_clerk()
            && o.provider == COUNTER
            && o.state == "paid"
            && refund.as_ref().is_some_and(|r| r.state == "requested"),
        csrf: me.csrf.clone(),
        refund: refund.map(|r| {
            (
                c.t.get(&format!("pay.refund.reason.{}", r.reason))
                    .to_owned(),
                c.t.get(&format!("pay.refund.state.{}", r.state)).to_owned(),
            )
        }),
        verify_url,
        qr_svg,
        print,
        line: line(&c, &o),
        c,
    })
}

/// GET /my/payments/{id}: one payment, its state, refund and receipt.
pub async fn one(State(state): State<AppState>, c: Chrome, Path(id): Path<String>) -> Response {
    one_payment(&state, c, &id, false).await
}

/// GET /my/payments/{id}/receipt: the receipt, laid out to print.
pub async fn receipt(State(state): State<AppState>, c: Chrome, Path(id): Path<String>) -> Response {
    one_payment(&state, c, &id, true).await
}

#[derive(Template)]
#[template(path = "sandbox_pay.html")]
struct Checkout {
    c: Chrome,
    transaction: String,
    description: String,
    amount: String,
    merchant_order: String,
    payable: bool,
    state: String,
}

/// GET /sandbox/pay/{transaction}: the sandbox provider's checkout.
pub async fn checkout(
    State(state): State<AppState>,
    c: Chrome,
    Path(transaction): Path<String>,
) -> Response {
    match state.service().sandbox_checkout(&transaction).await {
        Ok(o) => render(&Checkout {
            transaction: o.transaction_id,
            description: o.description,
            amount: format!("¥{}", yuan(o.amount_fen)),
            merchant_order: o.merchant_order,
            payable: o.state == "pending",
            state: c.t.get(&format!("pay.state.{}", o.state)).to_owned(),
            c,
        }),
        Err(e) => error_page(c, e, None),
    }
}

/// POST /sandbox/pay/{transaction}: the payer confirms; back to yici.
pub async fn confirm(
    State(state): State<AppState>,
    c: Chrome,
    Path(transaction): Path<String>,
) -> Response {
    match state.service().sandbox_pay(&transaction).await {
        Ok(o) => Redirect::to(&o.return_url).into_response(),
        Err(e @ ServiceError::StateConflict(_)) => {
            error_page(c, e, Some(format!("/sandbox/pay/{transaction}")))
        }
        Err(e) => error_page(c, e, None),
    }
}
