//! Users and their sessions.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Store;
use crate::error::{StoreError, is_unique_violation};

/// A user account. Roles and scopes are checked by the server; the store
/// only keeps them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: String,
    /// Login name, unique.
    pub username: String,
    /// argon2 PHC string.
    pub password_hash: String,
    /// Role name (`applicant`, `clerk`, `reviewer`, `supervisor`, `admin`).
    pub role: String,
    /// Name shown.
    pub display_name: String,
    /// Resident ID or USCC of an applicant.
    pub subject: Option<String>,
    /// Window code of a clerk.
    pub window: Option<String>,
    /// Department code of a reviewer.
    pub department: Option<String>,
    /// Region a clerk or reviewer works for.
    pub region: Option<String>,
}

const COLUMNS: &str =
    "id, username, password_hash, role, display_name, subject, window_code, department, region";

fn user(row: &AnyRow) -> Result<User, StoreError> {
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        password_hash: row.try_get("password_hash")?,
        role: row.try_get("role")?,
        display_name: row.try_get("display_name")?,
        subject: row.try_get("subject")?,
        window: row.try_get("window_code")?,
        department: row.try_get("department")?,
        region: row.try_get("region")?,
    })
}

impl Store {
    /// Creates a user; a taken user name is [`StoreError::Duplicate`].
    pub async fn create_user(&self, u: &User, now_ms: i64) -> Result<(), StoreError> {
        let result = sqlx::query(&format!(
            "INSERT INTO users ({COLUMNS}, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        ))
        .bind(&u.id)
        .bind(&u.username)
        .bind(&u.password_hash)
        .bind(&u.role)
        .bind(&u.display_name)
        .bind(&u.subject)
        .bind(&u.window)
        .bind(&u.department)
        .bind(&u.region)
        .bind(now_ms)
        .execute(&self.pools.write)
        .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if is_unique_violation(&e) => Err(StoreError::Duplicate {
                what: "user name",
                value: u.username.clone(),
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// The user with this login name.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE username = $1"))
            .bind(username)
            .fetch_optional(&self.pools.read)
            .await?;
        row.as_ref().map(user).transpose()
    }

    /// Starts a session: stores the hash of its token, never the token.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: &str,
        now_ms: i64,
        expires_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_ms, expires_ms) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now_ms)
        .bind(expires_ms)
        .execute(&self.pools.write)
        .await?;
        Ok(())
    }

    /// The user of a session that has not expired.
    pub async fn session_user(
        &self,
        token_hash: &str,
        now_ms: i64,
    ) -> Result<Option<User>, StoreError> {
        let columns = COLUMNS
            .split(", ")
            .map(|c| format!("u.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let row = sqlx::query(&format!(
            "SELECT {columns} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_ms > $2"
        ))
        .bind(token_hash)
        .bind(now_ms)
        .fetch_optional(&self.pools.read)
        .await?;
        row.as_ref().map(user).transpose()
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pools.write)
            .await?;
        Ok(())
    }
}
