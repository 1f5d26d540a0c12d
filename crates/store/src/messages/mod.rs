//! The applicant's messages (我的消息) and their deliveries by e-mail and
//! text message. A message is written with the change it tells of: beside
//! a case's transition ([`message_alongside`]) or in the transaction of a
//! booking's reminder or a follow-up's reply; its id names what it is
//! about, so it is written once. The worker sends the deliveries.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Store;
use crate::alongside::Alongside;
use crate::error::StoreError;
use crate::sql::value::{Value, bind};

/// What a delivery attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The message.
    pub message_id: String,
    /// `email` or `sms`.
    pub channel: String,
    /// Tries before this one (as read).
    pub attempts: i64,
    /// `sent`, `skipped` or `pending` (again later).
    pub state: String,
    /// Where it went.
    pub address: Option<String>,
    /// What went wrong.
    pub error: Option<String>,
    /// When to try again (`pending`), or now.
    pub next_ms: i64,
}

/// The channels a message is delivered by besides the message centre.
pub const CHANNELS: [&str; 2] = ["email", "sms"];

/// A message to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// What it is about and which news, e.g. `CASE:v3:accepted`.
    pub id: String,
    /// The applicant it is for (resident ID or USCC).
    pub subject: String,
    /// `accepted`, `supplement_requested`, `result_issued`, `fee_due`,
    /// `booking_reminder`, `follow_up_replied` …
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
    /// Where to look (a page's path).
    pub link: String,
    /// When (ms).
    pub created_ms: i64,
}

/// A message as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// What was written.
    pub message: NewMessage,
    /// When the applicant read it (ms).
    pub read_ms: Option<i64>,
}

/// A delivery due: the message and where to send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The message.
    pub message: NewMessage,
    /// `email` or `sms`.
    pub channel: String,
    /// Tries so far.
    pub attempts: i64,
    /// The account's e-mail address, if it has one.
    pub email: Option<String>,
    /// The account's mobile number, if it has one.
    pub phone: Option<String>,
}

fn statements(m: &NewMessage) -> Vec<(String, Vec<Value>, u64)> {
    let mut out = vec![(
        "INSERT INTO messages (id, subject, kind, case_id, title_zh, title_en, body_zh, body_en, link, created_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            .to_owned(),
        vec![
            m.id.as_str().into(),
            m.subject.as_str().into(),
            m.kind.as_str().into(),
            Value::Text(m.case_id.clone()),
            m.title_zh.as_str().into(),
            m.title_en.as_str().into(),
            m.body_zh.as_str().into(),
            m.body_en.as_str().into(),
            m.link.as_str().into(),
            m.created_ms.into(),
        ],
        1,
    )];
    for channel in CHANNELS {
        out.push((
            "INSERT INTO message_deliveries (message_id, channel, state, attempts, next_ms) VALUES ($1, $2, 'pending', 0, $3)"
                .to_owned(),
            vec![m.id.as_str().into(), channel.into(), m.created_ms.into()],
            1,
        ));
    }
    out
}

/// The rows of `messages`, to be written with a case's transition.
pub fn message_alongside(messages: &[NewMessage]) -> Alongside {
    Alongside(messages.iter().flat_map(statements).collect())
}

const COLUMNS: &str = "m.id, m.subject, m.kind, m.case_id, m.title_zh, m.title_en, m.body_zh, m.body_en, m.link, m.created_ms";

fn new_message(r: &AnyRow) -> Result<NewMessage, StoreError> {
    Ok(NewMessage {
        id: r.try_get("id")?,
        subject: r.try_get("subject")?,
        kind: r.try_get("kind")?,
        case_id: r.try_get("case_id")?,
        title_zh: r.try_get("title_zh")?,
        title_en: r.try_get("title_en")?,
        body_zh: r.try_get("body_zh")?,
        body_en: r.try_get("body_en")?,
        link: r.try_get("link")?,
        created_ms: r.try_get("created_ms")?,
    })
}

impl Store {
    /// Writes a message with its deliveries in its own transaction, unless
    /// one with its id exists; whether it wrote.
    pub async fn write_message(&self, m: &NewMessage) -> Result<bool, StoreError> {
        let mut tx = self.pools.begin_write().await?;
        let exists = sqlx::query("SELECT 1 AS one FROM messages WHERE id = $1")
            .bind(&m.id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Ok(false);
        }
        for (sql, params, _) in statements(m) {
            bind(sqlx::query(&sql), params).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// An applicant's messages, newest first, how many in all and how many
    /// unread.
    pub async fn messages_of(
        &self,
        subject: &str,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<Message>, u64, u64), StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, m.read_ms FROM messages m WHERE m.subject = $1 ORDER BY m.created_ms DESC, m.id DESC LIMIT $2 OFFSET $3"
        );
        let rows = sqlx::query(&sql)
            .bind(subject)
            .bind(i64::from(limit))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_all(&self.pools.read)
            .await?;
        let counts = sqlx::query(
            "SELECT COUNT(*) AS n, COUNT(*) - COUNT(read_ms) AS unread FROM messages WHERE subject = $1",
        )
        .bind(subject)
        .fetch_one(&self.pools.read)
        .await?;
        let list = rows
            .iter()
            .map(|r| {
                Ok(Message {
                    message: new_message(r)?,
                    read_ms: r.try_get("read_ms")?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let n: i64 = counts.try_get("n")?;
        let unread: i64 = counts.try_get("unread")?;
        Ok((list, n.max(0) as u64, unread.max(0) as u64))
    }

    /// Marks an applicant's message read; `false` if they have no such
    /// message (one read before stays as it was).
    pub async fn read_message(
        &self,
        subject: &str,
        id: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pools.begin_write().await?;
        sqlx::query(
            "UPDATE messages SET read_ms = $1 WHERE id = $2 AND subject = $3 AND read_ms IS NULL",
        )
        .bind(now_ms)
        .bind(id)
        .bind(subject)
        .execute(&mut *tx)
        .await?;
        let mine = sqlx::query("SELECT 1 AS one FROM messages WHERE id = $1 AND subject = $2")
            .bind(id)
            .bind(subject)
            .fetch_optional(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(mine.is_some())
    }

    /// Deliveries due, oldest first, with the addresses of the applicant's
    /// account (the first account of that subject).
    pub async fn deliveries_due(
        &self,
        now_ms: i64,
        batch: u32,
    ) -> Result<Vec<Delivery>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, d.channel, d.attempts, \
             (SELECT u.email FROM users u WHERE u.subject = m.subject ORDER BY u.created_ms LIMIT 1) AS email, \
             (SELECT u.phone FROM users u WHERE u.subject = m.subject ORDER BY u.created_ms LIMIT 1) AS phone \
             FROM message_deliveries d JOIN messages m ON m.id = d.message_id \
             WHERE d.state = 'pending' AND d.next_ms <= $1 ORDER BY d.next_ms, d.message_id LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(now_ms)
            .bind(i64::from(batch))
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Delivery {
                    message: new_message(r)?,
                    channel: r.try_get("channel")?,
                    attempts: r.try_get("attempts")?,
                    email: r.try_get("email")?,
                    phone: r.try_get("phone")?,
                })
            })
            .collect()
    }

    /// Records the outcomes of a pass in one transaction: `sent` or
    /// `skipped` (no address, or the channel is off) end a delivery;
    /// `pending` tries it again at `next_ms`. Only a delivery still as it
    /// was read changes, so two workers record it once; how many changed.
    pub async fn deliveries_tried(&self, outcomes: &[Outcome]) -> Result<u64, StoreError> {
        if outcomes.is_empty() {
            return Ok(0);
        }
        let mut tx = self.pools.begin_write().await?;
        let mut changed = 0;
        for o in outcomes {
            let done = sqlx::query(
                "UPDATE message_deliveries SET state = $1, address = $2, last_error = $3, attempts = attempts + 1, next_ms = $4, \
                 sent_ms = CASE WHEN $5 = 'sent' THEN $6 ELSE sent_ms END \
                 WHERE message_id = $7 AND channel = $8 AND state = 'pending' AND attempts = $9",
            )
            .bind(&o.state)
            .bind(&o.address)
            .bind(&o.error)
            .bind(o.next_ms)
            .bind(&o.state)
            .bind(o.next_ms)
            .bind(&o.message_id)
            .bind(&o.channel)
            .bind(o.attempts)
            .execute(&mut *tx)
            .await?;
            changed += done.rows_affected();
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// The deliveries of a message: (channel, state, address).
    pub async fn deliveries_of(
        &self,
        message_id: &str,
    ) -> Result<Vec<(String, String, Option<String>)>, StoreError> {
        let rows = sqlx::query(
            "SELECT channel, state, address FROM message_deliveries WHERE message_id = $1 ORDER BY channel",
        )
        .bind(message_id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("channel")?,
                    r.try_get("state")?,
                    r.try_get("address")?,
                ))
            })
            .collect()
    }

    /// Sets the e-mail address and mobile number of an account.
    pub async fn set_contact(
        &self,
        user_id: &str,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pools.begin_write().await?;
        sqlx::query("UPDATE users SET email = $1, phone = $2 WHERE id = $3")
            .bind(email)
            .bind(phone)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
