//! Who is calling: passwords (argon2), session tokens (bearer for the API,
//! a cookie for pages), and the caller extracted from a request.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use yici_core::case::{Actor, Role};
use yici_store::User;

use crate::problem::ApiError;
use crate::state::AppState;

/// Name of the session cookie of the pages.
pub const SESSION_COOKIE: &str = "yici_session";

/// How long a session lasts.
pub const SESSION_MS: i64 = 12 * 60 * 60 * 1000;

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| ApiError::Internal(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| ApiError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// Whether `password` matches the stored argon2 hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A new random session token (256 bits, hex).
pub fn new_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(hex::encode(bytes))
}

/// What is stored of a token: its SHA-256, so that a leaked database holds
/// no usable session.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Reads a role name as stored.
pub fn role_of(name: &str) -> Option<Role> {
    Some(match name {
        "applicant" => Role::Applicant,
        "clerk" => Role::Clerk,
        "reviewer" => Role::Reviewer,
        "supervisor" => Role::Supervisor,
        "admin" => Role::Admin,
        _ => return None,
    })
}

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The account.
    pub user: User,
    /// Its role.
    pub role: Role,
}

impl Caller {
    /// The caller as the actor of a case transition.
    pub fn actor(&self) -> Actor {
        Actor {
            user: self.user.id.clone(),
            role: self.role,
        }
    }

    /// Refuses callers whose role is not one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "this needs the role {}; you are {}",
                roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(" or "),
                self.role
            )))
        }
    }
}

fn bearer(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(|t| t.trim().to_owned())
}

/// The session token of the page cookie, if any.
pub fn cookie_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            c.trim()
                .strip_prefix(&format!("{SESSION_COOKIE}="))
                .map(str::to_owned)
        })
}

/// The caller of a request, if it carries a valid session.
pub async fn caller_of(parts: &Parts, state: &AppState) -> Result<Option<Caller>, ApiError> {
    let Some(token) = bearer(parts).or_else(|| cookie_token(parts)) else {
        return Ok(None);
    };
    let user = state
        .store()
        .session_user(&token_hash(&token), state.clock().now_ms())
        .await?;
    Ok(user.and_then(|user| role_of(&user.role).map(|role| Caller { user, role })))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        caller_of(parts, state).await?.ok_or(ApiError::Unauthorized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_verifies_only_itself() {
        let hash = hash_password("demo").expect("hash");
        assert!(verify_password("demo", &hash));
        assert!(!verify_password("Demo", &hash));
        assert!(!verify_password("demo", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let a = new_token().expect("token");
        let b = new_token().expect("token");
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
