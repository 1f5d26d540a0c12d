//! Users and their sessions. A file of its own beside the aggregates:
//! nothing else in the store reads their tables or uses their types.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

    /// An account by its id.
    pub async fn user_by_id(&self, id: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
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

    /// The user of a session that has not expired. A session looked up in
    /// the last second is answered from memory: every request asks, and the
    /// lookup was one statement of every request. A session ended here is
    /// forgotten at once; one ended through another server is honoured here
    /// for at most that second.
    pub async fn session_user(
        &self,
        token_hash: &str,
        now_ms: i64,
    ) -> Result<Option<User>, StoreError> {
        if let Some(user) = self.sessions.get(token_hash, now_ms) {
            return Ok(Some(user));
        }
        let columns = COLUMNS
            .split(", ")
            .map(|c| format!("u.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let row = sqlx::query(&format!(
            "SELECT {columns}, s.expires_ms FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_ms > $2"
        ))
        .bind(token_hash)
        .bind(now_ms)
        .fetch_optional(&self.pools.read)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let found = user(&row)?;
        self.sessions
            .put(token_hash, found.clone(), row.try_get("expires_ms")?);
        Ok(Some(found))
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.sessions.forget(token_hash);
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pools.write)
            .await?;
        Ok(())
    }
}

/// Sessions looked up in the last second.
#[derive(Debug, Default)]
pub(crate) struct SessionCache {
    entries: Mutex<HashMap<String, Cached>>,
}

#[derive(Debug)]
struct Cached {
    user: User,
    expires_ms: i64,
    at: Instant,
}

/// How long a looked-up session is trusted without asking the database.
const FRESH: Duration = Duration::from_secs(1);

/// Most sessions kept; beyond, the cache starts over.
const MAX_ENTRIES: usize = 10_000;

impl SessionCache {
    fn get(&self, token_hash: &str, now_ms: i64) -> Option<User> {
        let entries = self.entries.lock().ok()?;
        let c = entries.get(token_hash)?;
        (c.at.elapsed() < FRESH && c.expires_ms > now_ms).then(|| c.user.clone())
    }

    fn put(&self, token_hash: &str, user: User, expires_ms: i64) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            let at = Instant::now();
            entries.insert(
                token_hash.to_owned(),
                Cached {
                    user,
                    expires_ms,
                    at,
                },
            );
        }
    }

    fn forget(&self, token_hash: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(token_hash);
        }
    }
}
