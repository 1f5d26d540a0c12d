//! `/api/v1/ratings` and `/api/v1/follow-ups`: the public register of
//! 好差评 and each unit's figures; the applicant's ratings and second
//! rating (追评); the units' follow-ups of 差评; the late ones for
//! supervisors; a visit rated at the window's tablet.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use yici_hall::rating::Level;
use yici_service::hall::{Rating, UnitFigures};

use super::body::Body;
use crate::auth::SignedIn;
use crate::params::{Params, number};
use crate::problem::ApiError;
use crate::state::AppState;

/// A rating as the public reads it: no account, no identifier, the
/// comment with numbers masked.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicRating {
    /// Id.
    pub id: String,
    /// online or window.
    pub channel: String,
    /// The department or window area that answers for it.
    pub unit: String,
    /// What was done: a matter, a one-thing or a window area.
    pub target: String,
    /// 1 (非常不满意) to 5 (非常满意).
    pub score: u8,
    /// The level in Chinese.
    pub level: String,
    /// The comment, numbers like IDs and telephones masked.
    pub comment: String,
    /// The day.
    pub day: String,
    /// The unit's public reply to a 差评, once given.
    pub reply: Option<String>,
    /// The second rating (追评), once given.
    pub second_score: Option<u8>,
}

impl From<Rating> for PublicRating {
    fn from(r: Rating) -> Self {
        PublicRating {
            level: Level::of(r.score).map_or("", |l| l.name("zh")).to_owned(),
            reply: r
                .follow_up
                .and_then(|f| f.replied)
                .map(|(_, _, _, text)| text),
            second_score: r.second.map(|s| s.0),
            id: r.id,
            channel: r.channel,
            unit: r.unit,
            target: r.target,
            score: r.score,
            comment: r.public_comment,
            day: r.day,
        }
    }
}

/// A rating as its rater or its unit reads it, with the follow-up.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RatingView {
    /// The public part.
    #[serde(flatten)]
    pub public: PublicRating,
    /// The case rated, if online.
    pub case_id: Option<String>,
    /// The comment as written.
    pub comment_as_written: String,
    /// Contact the applicant by (a 差评's).
    pub contact_by: Option<String>,
    /// Reply by.
    pub reply_by: Option<String>,
    /// The day the applicant was contacted, and what was said.
    pub contacted_on: Option<String>,
    /// The contact's note.
    pub contact_note: Option<String>,
    /// The day the reply was given.
    pub replied_on: Option<String>,
    /// A step of the follow-up is late today.
    pub late: bool,
}

fn view(state: &AppState, r: Rating) -> RatingView {
    let late = state.service().is_late(&r);
    let f = r.follow_up.clone();
    let (contact_by, reply_by) = f
        .as_ref()
        .map(|f| (f.contact_by.clone(), f.reply_by.clone()))
        .unzip();
    let contacted = f.as_ref().and_then(|f| f.contacted.clone());
    let replied_on = f
        .as_ref()
        .and_then(|f| f.replied.as_ref().map(|r| r.1.clone()));
    RatingView {
        case_id: r.case_id.clone(),
        comment_as_written: r.comment.clone(),
        contact_by,
        reply_by,
        contacted_on: contacted.as_ref().map(|c| c.1.clone()),
        contact_note: contacted.map(|c| c.3),
        replied_on,
        late,
        public: r.into(),
    }
}

/// A page of the register.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RatingPage {
    /// Newest first.
    pub items: Vec<PublicRating>,
    /// Pass as `before` for the next page; none on the last.
    pub next: Option<String>,
}

/// A unit's figures.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FiguresView {
    /// Department or window area code.
    pub unit: String,
    /// department or window.
    pub unit_kind: String,
    /// Ratings.
    pub ratings: u64,
    /// 差评.
    pub bad: u64,
    /// 差评 ÷ ratings, 0 to 1.
    pub bad_rate: f64,
    /// Average score.
    pub average: f64,
    /// Follow-ups due (replied, or late without a reply).
    pub follow_ups_due: u64,
    /// Of which replied with both steps on time.
    pub on_time: u64,
    /// on_time ÷ follow_ups_due (1 when none is due).
    pub on_time_rate: f64,
}

impl From<UnitFigures> for FiguresView {
    fn from(f: UnitFigures) -> Self {
        let ratio = |a: u64, b: u64, none: f64| if b == 0 { none } else { a as f64 / b as f64 };
        let due = f.replied + f.open_late;
        FiguresView {
            bad_rate: ratio(f.bad, f.ratings, 0.0),
            average: ratio(f.score_sum, f.ratings, 0.0),
            on_time_rate: ratio(f.replied_on_time, due, 1.0),
            follow_ups_due: due,
            on_time: f.replied_on_time,
            unit: f.unit,
            unit_kind: f.unit_kind,
            ratings: f.ratings,
            bad: f.bad,
        }
    }
}

/// A score and a comment.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreInput {
    /// 1 to 5.
    pub score: u8,
    /// Optional.
    #[serde(default)]
    pub comment: String,
}

/// A follow-up step's text.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    /// What was said (contact) or done (reply).
    pub text: String,
}

/// Reads `before=MS:ID`.
fn cursor(params: &crate::params::RawParams) -> Result<Option<(i64, String)>, ApiError> {
    let Some(raw) = params.get("before").filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    raw.split_once(':')
        .and_then(|(ms, id)| Some((ms.parse().ok()?, id.to_owned())))
        .map(Some)
        .ok_or_else(|| {
            ApiError::invalid("before", "cursor", "pass the `next` of the previous page")
        })
}

/// The public register of ratings, newest first, of one unit or all.
#[utoipa::path(get, path = "/api/v1/ratings", tag = "hall",
    params(("unit" = Option<String>, Query), ("before" = Option<String>, Query, description = "the previous page's next"), ("per_page" = Option<u32>, Query)),
    responses((status = 200, body = RatingPage)))]
pub async fn register(
    State(state): State<AppState>,
    Params(params): Params,
) -> Result<Json<RatingPage>, ApiError> {
    let per_page = number(&params, "per_page", 20, 1, 100)?;
    let before = cursor(&params)?;
    let unit = params
        .get("unit")
        .map(String::as_str)
        .filter(|u| !u.is_empty());
    let list = state
        .service()
        .public_ratings(
            unit,
            before.as_ref().map(|(ms, id)| (*ms, id.as_str())),
            per_page,
        )
        .await?;
    let next = (list.len() == per_page as usize)
        .then(|| list.last().map(|r| format!("{}:{}", r.rated_ms, r.id)))
        .flatten();
    Ok(Json(RatingPage {
        items: list.into_iter().map(PublicRating::from).collect(),
        next,
    }))
}

/// Each unit's figures: ratings, 差评 rate, average, follow-ups on time.
#[utoipa::path(get, path = "/api/v1/ratings/figures", tag = "hall", responses((status = 200, body = Vec<FiguresView>)))]
pub async fn figures(State(state): State<AppState>) -> Result<Json<Vec<FiguresView>>, ApiError> {
    let list = state.service().rating_figures().await?;
    Ok(Json(list.into_iter().map(FiguresView::from).collect()))
}

/// The ratings I gave, with their follow-ups.
#[utoipa::path(get, path = "/api/v1/me/ratings", tag = "hall", responses((status = 200, body = Vec<RatingView>)))]
pub async fn mine(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
) -> Result<Json<Vec<RatingView>>, ApiError> {
    let list = state.service().applicant(&caller)?.my_ratings().await?;
    Ok(Json(list.into_iter().map(|r| view(&state, r)).collect()))
}

/// Rates a replied follow-up once more (追评).
#[utoipa::path(post, path = "/api/v1/ratings/{id}/second", tag = "hall", params(("id" = String, Path)), request_body = ScoreInput,
    responses((status = 200, body = RatingView), (status = 409, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn second(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
    body: Body<ScoreInput>,
) -> Result<Json<RatingView>, ApiError> {
    let desk = state.service().applicant(&caller)?;
    let r = desk
        .second_rating(&id, body.value.score, &body.value.comment)
        .await?;
    Ok(Json(view(&state, r)))
}

/// My unit's follow-ups of 差评 (`open=false`: replied ones too).
#[utoipa::path(get, path = "/api/v1/follow-ups", tag = "hall", params(("open" = Option<bool>, Query)),
    responses((status = 200, body = Vec<RatingView>), (status = 403, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn follow_ups(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Params(params): Params,
) -> Result<Json<Vec<RatingView>>, ApiError> {
    let open = params.get("open").is_none_or(|v| v != "false");
    let list = state.service().follow_up_desk(&caller)?.list(open).await?;
    Ok(Json(list.into_iter().map(|r| view(&state, r)).collect()))
}

/// Records that the applicant of a 差评 was contacted.
#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/contact", tag = "hall", params(("id" = String, Path)), request_body = StepInput,
    responses((status = 200, body = RatingView)))]
pub async fn contact(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
    body: Body<StepInput>,
) -> Result<Json<RatingView>, ApiError> {
    let r = state
        .service()
        .follow_up_desk(&caller)?
        .contact(&id, &body.value.text)
        .await?;
    Ok(Json(view(&state, r)))
}

/// Replies with the rectification (shown in the public register).
#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/reply", tag = "hall", params(("id" = String, Path)), request_body = StepInput,
    responses((status = 200, body = RatingView)))]
pub async fn reply(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
    body: Body<StepInput>,
) -> Result<Json<RatingView>, ApiError> {
    let r = state
        .service()
        .follow_up_desk(&caller)?
        .reply(&id, &body.value.text)
        .await?;
    Ok(Json(view(&state, r)))
}

/// Follow-ups late today (supervisors).
#[utoipa::path(get, path = "/api/v1/follow-ups/late", tag = "supervision", responses((status = 200, body = Vec<RatingView>)))]
pub async fn late(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
) -> Result<Json<Vec<RatingView>>, ApiError> {
    let list = state
        .service()
        .supervision(&caller)?
        .late_follow_ups()
        .await?;
    Ok(Json(list.into_iter().map(|r| view(&state, r)).collect()))
}

/// Rates a served visit at the counter's tablet (一次一评).
#[utoipa::path(post, path = "/api/v1/queue/tickets/{id}/rating", tag = "hall", params(("id" = String, Path)), request_body = ScoreInput,
    responses((status = 201, body = RatingView), (status = 409, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn rate_visit(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(id): Path<String>,
    body: Body<ScoreInput>,
) -> Result<(StatusCode, Json<RatingView>), ApiError> {
    let desk = state.service().window(&caller)?;
    let r = desk
        .rate_visit(&id, body.value.score, &body.value.comment)
        .await?;
    Ok((StatusCode::CREATED, Json(view(&state, r))))
}
