//! `/api/v1/sessions`: signing in and out.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::body::Body;
use crate::auth::SignedIn;
use crate::problem::ApiError;
use crate::state::AppState;

/// Credentials.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// A new session.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Session {
    /// Bearer token for `Authorization: Bearer …`.
    pub token: String,
    /// When it expires (ms since the epoch).
    pub expires_ms: i64,
    /// The user.
    pub user: Me,
}

/// The signed-in user.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    /// Id.
    pub id: String,
    /// User name.
    pub username: String,
    /// Role.
    pub role: String,
    /// Name shown.
    pub display_name: String,
    /// Department of a reviewer.
    pub department: Option<String>,
    /// Region of a clerk or reviewer.
    pub region: Option<String>,
    /// Window of a clerk.
    pub window: Option<String>,
    /// Resident ID or USCC of an applicant (their own).
    pub subject: Option<String>,
}

impl From<&yici_service::session::Session> for Session {
    fn from(s: &yici_service::session::Session) -> Self {
        Session {
            token: s.token.clone(),
            expires_ms: s.expires_ms,
            user: Me::from(&s.user),
        }
    }
}

impl From<&yici_service::session::User> for Me {
    fn from(u: &yici_service::session::User) -> Self {
        Me {
            id: u.id.clone(),
            username: u.username.clone(),
            role: u.role.clone(),
            display_name: u.display_name.clone(),
            department: u.department.clone(),
            region: u.region.clone(),
            window: u.window.clone(),
            subject: u.subject.clone(),
        }
    }
}

/// Signs in.
#[utoipa::path(post, path = "/api/v1/sessions", tag = "auth", request_body = SignIn,
    responses(
        (status = 201, body = Session),
        (status = 422, body = crate::problem::Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    body: Body<SignIn>,
) -> Result<(StatusCode, Json<Session>), ApiError> {
    let session = state
        .service()
        .sign_in(&body.value.username, &body.value.password)
        .await?;
    Ok((StatusCode::CREATED, Json(Session::from(&session))))
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = Me), (status = 401, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn me(SignedIn(caller): SignedIn) -> Json<Me> {
    Json(Me::from(caller.user()))
}
