//! Who is calling: passwords (argon2id), session tokens, signing in and
//! out, and the caller a token names. The web crate only carries the token
//! (a bearer header for the API, a cookie for the pages).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};
use yici_core::case::Role;
pub use yici_store::User;

use crate::context::Service;
use crate::error::{Result, ServiceError};
use crate::gate::Caller;

/// How long a session lasts.
pub const SESSION_MS: i64 = 12 * 60 * 60 * 1000;

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(ServiceError::internal)?;
    let salt = SaltString::encode_b64(&salt).map_err(ServiceError::internal)?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(ServiceError::internal)
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

/// A new random token (256 bits, hex): sessions, and the keys that make a
/// page's form idempotent.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(ServiceError::internal)?;
    Ok(hex::encode(bytes))
}

/// What is stored of a token: its SHA-256, so that a leaked database holds
/// no usable session.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Reads a role name as stored. `system` is no account's role.
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

/// A session just opened.
#[derive(Debug, Clone)]
pub struct Session {
    /// The bearer token; only its hash is stored.
    pub token: String,
    /// When it ends (ms since the epoch).
    pub expires_ms: i64,
    /// The account.
    pub user: User,
    /// Its role.
    pub role: Role,
}

impl Service {
    /// Signs `username` in. An unknown name and a wrong password get the
    /// same answer, so that names cannot be probed.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<Session> {
        let username = username.trim();
        if username.is_empty() {
            return Err(ServiceError::invalid(
                "username",
                "required",
                "username is required",
            ));
        }
        let user = self.store().user_by_username(username).await?;
        let Some((user, role)) = user
            .filter(|u| verify_password(password, &u.password_hash))
            .and_then(|u| role_of(&u.role).map(|r| (u, r)))
        else {
            return Err(ServiceError::invalid(
                "password",
                "credentials",
                "user name or password is wrong",
            ));
        };
        let token = new_token()?;
        let now = self.clock().now_ms();
        let expires_ms = now + SESSION_MS;
        self.store()
            .create_session(&token_hash(&token), &user.id, now, expires_ms)
            .await?;
        Ok(Session {
            token,
            expires_ms,
            user,
            role,
        })
    }

    /// The caller a session token names, if it is valid now.
    pub async fn authenticate(&self, token: &str) -> Result<Option<Caller>> {
        let user = self
            .store()
            .session_user(&token_hash(token), self.clock().now_ms())
            .await?;
        Ok(user.and_then(|user| role_of(&user.role).map(|role| Caller::new(user, role))))
    }

    /// Ends the session of `token`.
    pub async fn sign_out(&self, token: &str) -> Result<()> {
        Ok(self.store().delete_session(&token_hash(token)).await?)
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
