//! `/api/v1/me/messages`: the applicant's message centre (我的消息).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use yici_service::notify::Message;

use crate::auth::SignedIn;
use crate::params::{Page, Params};
use crate::problem::ApiError;
use crate::state::AppState;

/// A message.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MessageView {
    /// Id: what it is about and which news.
    pub id: String,
    /// `accepted`, `fee_due`, `supplement_requested`, `result_issued`,
    /// `rejected`, `booking_reminder`, `follow_up_replied`.
    pub kind: String,
    /// The case it is about.
    pub case_id: Option<String>,
    /// Title, Chinese.
    pub title_zh: String,
    /// Title, English.
    pub title_en: String,
    /// Text, Chinese.
    pub body_zh: String,
    /// Text, English.
    pub body_en: String,
    /// Where to look.
    pub link: String,
    /// Written (ms).
    pub created_ms: i64,
    /// Read (ms), if read.
    pub read_ms: Option<i64>,
}

impl From<Message> for MessageView {
    fn from(m: Message) -> Self {
        let n = m.message;
        MessageView {
            id: n.id,
            kind: n.kind,
            case_id: n.case_id,
            title_zh: n.title_zh,
            title_en: n.title_en,
            body_zh: n.body_zh,
            body_en: n.body_en,
            link: n.link,
            created_ms: n.created_ms,
            read_ms: m.read_ms,
        }
    }
}

/// A page of messages.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MessagePage {
    /// Newest first.
    pub items: Vec<MessageView>,
    /// How many in all.
    pub total: u64,
    /// How many unread.
    pub unread: u64,
}

/// My messages, newest first.
#[utoipa::path(get, path = "/api/v1/me/messages", tag = "hall",
    params(("per_page" = Option<u32>, Query), ("page" = Option<u32>, Query)), responses((status = 200, body = MessagePage)))]
pub async fn mine(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Params(params): Params,
) -> Result<Json<MessagePage>, ApiError> {
    let page = Page::from_params(&params)?;
    let (list, total, unread) = state
        .service()
        .applicant(&caller)?
        .my_messages(page.per_page, page.offset())
        .await?;
    Ok(Json(MessagePage {
        items: list.into_iter().map(MessageView::from).collect(),
        total,
        unread,
    }))
}

/// Marks one of my messages read.
#[utoipa::path(post, path = "/api/v1/me/messages/{id}/read", tag = "hall", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn read(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state
        .service()
        .applicant(&caller)?
        .read_message(&id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
