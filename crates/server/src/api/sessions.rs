//! `/api/v1/sessions`: signing in and out.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::body::Body;
use crate::auth::{Caller, SESSION_MS, new_token, token_hash, verify_password};
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

impl From<&yici_store::User> for Me {
    fn from(u: &yici_store::User) -> Self {
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

/// Checks a user name and password and opens a session.
pub async fn open(state: &AppState, username: &str, password: &str) -> Result<Session, ApiError> {
    let user = state.store().user_by_username(username.trim()).await?;
    // The same answer for an unknown name and a wrong password.
    let Some(user) = user.filter(|u| verify_password(password, &u.password_hash)) else {
        return Err(ApiError::invalid(
            "password",
            "credentials",
            "user name or password is wrong",
        ));
    };
    let token = new_token()?;
    let now = state.clock().now_ms();
    let expires_ms = now + SESSION_MS;
    state
        .store()
        .create_session(&token_hash(&token), &user.id, now, expires_ms)
        .await?;
    Ok(Session {
        token,
        expires_ms,
        user: Me::from(&user),
    })
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
    let session = open(&state, &body.value.username, &body.value.password).await?;
    Ok((StatusCode::CREATED, Json(session)))
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = Me), (status = 401, body = crate::problem::Problem, content_type = "application/problem+json")))]
pub async fn me(caller: Caller) -> Json<Me> {
    Json(Me::from(&caller.user))
}
