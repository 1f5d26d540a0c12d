//! What an applicant must be told, in Chinese and English: a case
//! accepted, rejected, asked for a supplement, its result issued, a fee
//! due; a booking tomorrow; a department's reply to a 差评. Each message's
//! id names its news, so the same news is written once.

use yici_core::case::{Case, CaseState, Target};
use yici_core::catalog::Catalog;
use yici_store::messages::NewMessage;

use crate::gate::owner_of;
use crate::payments::money;

/// The name of what a case applies for, Chinese and English.
fn target_names(catalog: &Catalog, target: &Target) -> (String, String) {
    let name = match target {
        Target::OneThing(code) => catalog.one_things.get(code).map(|o| &o.name),
        Target::Matter(code) => catalog.matters.get(code).map(|m| &m.name),
    };
    name.map_or_else(
        || (String::new(), String::new()),
        |n| (n.zh.to_string(), n.en.to_string()),
    )
}

/// A material's name by its key, Chinese and English (the key itself if
/// no matter names it).
fn material_names(catalog: &Catalog, keys: &[yici_core::catalog::FieldKey]) -> (String, String) {
    let name = |k: &yici_core::catalog::FieldKey| {
        catalog
            .matters
            .values()
            .flat_map(|m| &m.materials)
            .find(|m| &m.key == k)
            .map_or_else(
                || (k.to_string(), k.to_string()),
                |m| (m.name.zh.to_string(), m.name.en.to_string()),
            )
    };
    let names: Vec<(String, String)> = keys.iter().map(name).collect();
    (
        names
            .iter()
            .map(|n| n.0.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        names
            .iter()
            .map(|n| n.1.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    )
}

struct Text {
    title_zh: String,
    title_en: String,
    body_zh: String,
    body_en: String,
}

fn message(case: &Case, kind: &str, text: Text, now_ms: i64) -> NewMessage {
    NewMessage {
        id: format!("{}:v{}:{kind}", case.id, case.version),
        subject: owner_of(case),
        kind: kind.to_owned(),
        case_id: Some(case.id.to_string()),
        title_zh: text.title_zh,
        title_en: text.title_en,
        body_zh: text.body_zh,
        body_en: text.body_en,
        link: format!("/cases/{}", case.id),
        created_ms: now_ms,
    }
}

/// The news of a case's step from `before` to `after`; `owed_fen`: what
/// it still owes in fees.
pub(crate) fn case_news(
    catalog: &Catalog,
    before: &Case,
    after: &Case,
    owed_fen: u64,
    now_ms: i64,
) -> Vec<NewMessage> {
    let (zh, en) = target_names(catalog, &after.target);
    let mut out = Vec::new();
    if before.accepted_on.is_none() && after.accepted_on.is_some() {
        let deadline = after.deadline.map(|d| d.to_string()).unwrap_or_default();
        out.push(message(
            after,
            "accepted",
            Text {
                title_zh: format!("已受理：{zh}"),
                title_en: format!("Accepted: {en}"),
                body_zh: format!("您申请的“{zh}”已受理，承诺办结日期 {deadline}。"),
                body_en: format!(
                    "Your application for \"{en}\" was accepted; it is promised by {deadline}."
                ),
            },
            now_ms,
        ));
        if owed_fen > 0 {
            let amount = money(owed_fen);
            out.push(message(
                after,
                "fee_due",
                Text {
                    title_zh: format!("待缴费：{amount}"),
                    title_en: format!("Fee due: {amount}"),
                    body_zh: format!("“{zh}”需缴费 {amount}，可在办件页面在线缴纳。"),
                    body_en: format!(
                        "\"{en}\" has {amount} of fees to pay; pay online on the case's page."
                    ),
                },
                now_ms,
            ));
        }
    }
    if before.supplement.is_none()
        && let Some(s) = &after.supplement
    {
        let (m_zh, m_en) = material_names(catalog, &s.materials);
        out.push(message(
            after,
            "supplement_requested",
            Text {
                title_zh: format!("需要补正材料：{zh}"),
                title_en: format!("Supplement needed: {en}"),
                body_zh: format!("“{zh}”需要补正材料：{m_zh}。原因：{}", s.reason),
                body_en: format!(
                    "\"{en}\" needs these materials again: {m_en}. Reason: {}",
                    s.reason
                ),
            },
            now_ms,
        ));
    }
    if after.state == CaseState::ResultIssued && before.state != CaseState::ResultIssued {
        out.push(message(
            after,
            "result_issued",
            Text {
                title_zh: format!("已出件：{zh}"),
                title_en: format!("Result issued: {en}"),
                body_zh: format!("“{zh}”的办理结果已出件，电子证照已发到“我的证照”。"),
                body_en: format!(
                    "The result of \"{en}\" is issued; its e-certificates are in My certificates."
                ),
            },
            now_ms,
        ));
    }
    if after.state == CaseState::Rejected && before.state != CaseState::Rejected {
        let reason = after.closing_reason.clone().unwrap_or_default();
        out.push(message(
            after,
            "rejected",
            Text {
                title_zh: format!("不予受理：{zh}"),
                title_en: format!("Not accepted: {en}"),
                body_zh: format!("“{zh}”不予受理。原因：{reason}"),
                body_en: format!("\"{en}\" was not accepted. Reason: {reason}"),
            },
            now_ms,
        ));
    }
    out
}

/// The reminder of a booking the day before.
pub(crate) fn booking_reminder(
    booking_id: &str,
    subject: &str,
    when: &str,
    window: (&str, &str),
    address: (&str, &str),
    now_ms: i64,
) -> NewMessage {
    NewMessage {
        id: format!("booking:{booking_id}:reminder"),
        subject: subject.to_owned(),
        kind: "booking_reminder".into(),
        case_id: None,
        title_zh: format!("预约提醒：{when}"),
        title_en: format!("Your visit: {when}"),
        body_zh: format!(
            "您预约了 {when} 到{}（{}）办事，请带好材料，凭预约码签到。",
            window.0, address.0
        ),
        body_en: format!(
            "You booked a visit to {} ({}) at {when}; bring your materials and check in with your booking code.",
            window.1, address.1
        ),
        link: format!("/my/bookings/{booking_id}"),
        created_ms: now_ms,
    }
}

/// A department's reply to an applicant's 差评.
pub(crate) fn follow_up_reply(
    rating_id: &str,
    subject: &str,
    unit: &str,
    reply: &str,
    now_ms: i64,
) -> NewMessage {
    NewMessage {
        id: format!("follow-up:{rating_id}:reply"),
        subject: subject.to_owned(),
        kind: "follow_up_replied".into(),
        case_id: None,
        title_zh: format!("{unit} 回复了您的评价"),
        title_en: format!("{unit} replied to your rating"),
        body_zh: format!("整改答复：{reply}。您可以追评一次。"),
        body_en: format!("Their reply: {reply}. You may rate once more."),
        link: "/my/ratings".into(),
        created_ms: now_ms,
    }
}
