//! The applicant's message when a parcel moves (`parcel_moved`), in
//! Chinese and English. Its id names the parcel and the state, so the same
//! move is told once.

use yici_hall::{ParcelKind, ParcelState};
use yici_store::messages::NewMessage;
use yici_store::parcels::NewParcel;

fn what(kind: ParcelKind) -> (&'static str, &'static str) {
    match kind {
        ParcelKind::Result => ("办理结果", "your result"),
        ParcelKind::OriginalIn => ("寄往窗口的原件", "the original you post to the window"),
        ParcelKind::OriginalBack => ("退还的原件", "your original, coming back"),
    }
}

fn where_(state: ParcelState, kind: ParcelKind) -> (&'static str, &'static str) {
    match (state, kind) {
        (ParcelState::Created, ParcelKind::OriginalIn) => (
            "已预约上门取件",
            "a courier will pick it up at your address",
        ),
        (ParcelState::Created, _) => ("已交寄", "has been handed to the carrier"),
        (ParcelState::PickedUp, _) => ("已揽收", "has been picked up"),
        (ParcelState::InTransit, _) => ("运输中", "is on its way"),
        (ParcelState::Delivered, ParcelKind::OriginalIn) => {
            ("已送达窗口", "has reached the window")
        }
        (ParcelState::Delivered, _) => ("已签收", "has been delivered"),
        (ParcelState::Failed, ParcelKind::Result) => (
            "投递失败，已退回窗口：请到窗口领取，或更正地址后请窗口重新寄出",
            "could not be delivered and goes back to the window: fetch it there, or correct the address and ask the window to send it again",
        ),
        (ParcelState::Failed, _) => (
            "投递失败，请联系窗口",
            "could not be delivered; please contact the window",
        ),
    }
}

/// The message telling the applicant that `parcel` reached `state`.
pub(super) fn parcel_moved(parcel: &NewParcel, state: ParcelState, now_ms: i64) -> NewMessage {
    let kind = ParcelKind::parse(&parcel.kind).unwrap_or(ParcelKind::Result);
    let (what_zh, what_en) = what(kind);
    let (where_zh, where_en) = where_(state, kind);
    NewMessage {
        id: format!("{}:{}:parcel_moved", parcel.id, state.as_str()),
        subject: parcel.subject.clone(),
        kind: "parcel_moved".into(),
        case_id: Some(parcel.case_id.clone()),
        title_zh: format!("{what_zh}{where_zh}"),
        title_en: format!("Parcel {}: {}", parcel.waybill, where_en),
        body_zh: format!("您的{what_zh}（运单号 {}）{where_zh}。", parcel.waybill),
        body_en: format!(
            "{} (waybill {}) {}.",
            capital(what_en),
            parcel.waybill,
            where_en
        ),
        link: format!("/cases/{}", parcel.case_id),
        created_ms: now_ms,
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
