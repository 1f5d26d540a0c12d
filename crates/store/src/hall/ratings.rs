//! Ratings (好差评), their follow-ups and each unit's running figures. A
//! rating online is written with its case's `rated` transition (the rows
//! go [`Alongside`] it); a visit's at the window in its own transaction.
//! Either way its unit's figures change in the same transaction.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Store;
use crate::alongside::Alongside;
use crate::error::{StoreError, is_unique_violation};
use crate::sql::value::{Value, bind};

/// A rating to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRating {
    /// Id.
    pub id: String,
    /// `online` or `window`.
    pub channel: String,
    /// The case rated (online).
    pub case_id: Option<String>,
    /// The visit rated (at the window): its queue number's id.
    pub ticket_id: Option<String>,
    /// Who answers for it: a department's code, or a window area's.
    pub unit: String,
    /// `department` or `window`.
    pub unit_kind: String,
    /// What was done: the matter or one-thing, or the window area.
    pub target: String,
    /// 1 to 5.
    pub score: u8,
    /// A 差评.
    pub bad: bool,
    /// As written.
    pub comment: String,
    /// As the public reads it.
    pub public_comment: String,
    /// The account that rated (never public).
    pub rater: String,
    /// When (ms).
    pub rated_ms: i64,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// For a 差评: contact by, reply by (`YYYY-MM-DD`).
    pub follow_up: Option<(String, String)>,
}

/// The statements that write a new rating, its unit's figures and its
/// follow-up; `$1…$n` each once, in order, as the case writer's scripts need.
fn statements(r: &NewRating) -> Vec<(String, Vec<Value>, u64)> {
    let bad = i64::from(r.bad);
    let score = i64::from(r.score);
    let mut out = vec![
        (
            "INSERT INTO ratings (id, channel, case_id, ticket_id, unit, unit_kind, target, score, bad, comment, public_comment, rater, rated_ms, day) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
                .to_owned(),
            vec![
                r.id.as_str().into(),
                r.channel.as_str().into(),
                Value::Text(r.case_id.clone()),
                Value::Text(r.ticket_id.clone()),
                r.unit.as_str().into(),
                r.unit_kind.as_str().into(),
                r.target.as_str().into(),
                score.into(),
                bad.into(),
                r.comment.as_str().into(),
                r.public_comment.as_str().into(),
                r.rater.as_str().into(),
                r.rated_ms.into(),
                r.day.as_str().into(),
            ],
            1,
        ),
        (
            "INSERT INTO rating_units (unit, unit_kind, ratings, bad, score_sum, replied, replied_on_time) VALUES ($1, $2, 1, $3, $4, 0, 0) \
             ON CONFLICT (unit) DO UPDATE SET ratings = rating_units.ratings + 1, bad = rating_units.bad + $5, score_sum = rating_units.score_sum + $6"
                .to_owned(),
            vec![
                r.unit.as_str().into(),
                r.unit_kind.as_str().into(),
                bad.into(),
                score.into(),
                bad.into(),
                score.into(),
            ],
            1,
        ),
    ];
    if let Some((contact_by, reply_by)) = &r.follow_up {
        for (step, due) in [("contact", contact_by), ("reply", reply_by)] {
            out.push((
                "INSERT INTO follow_up_counts (unit, step, due, reply_by, open) VALUES ($1, $2, $3, $4, 1) \
                 ON CONFLICT (unit, step, due, reply_by) DO UPDATE SET open = follow_up_counts.open + 1"
                    .to_owned(),
                vec![
                    r.unit.as_str().into(),
                    step.into(),
                    due.as_str().into(),
                    reply_by.as_str().into(),
                ],
                1,
            ));
        }
        out.push((
            "INSERT INTO follow_ups (rating_id, unit, unit_kind, opened_ms, contact_by, reply_by) VALUES ($1, $2, $3, $4, $5, $6)"
                .to_owned(),
            vec![
                r.id.as_str().into(),
                r.unit.as_str().into(),
                r.unit_kind.as_str().into(),
                r.rated_ms.into(),
                contact_by.as_str().into(),
                reply_by.as_str().into(),
            ],
            1,
        ));
    }
    out
}

/// A new rating's rows, to write with its case's `rated` transition.
pub fn rating_alongside(r: &NewRating) -> Alongside {
    Alongside(statements(r))
}

/// Counts a follow-up's `step` done: one open step less on its due day
/// (`due` names the column of `row` that holds it).
async fn close_step(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    row: &AnyRow,
    step: &str,
    due: &str,
) -> Result<(), StoreError> {
    let unit: String = row.try_get("unit")?;
    let day: String = row.try_get(due)?;
    let reply_by: String = row.try_get("reply_by")?;
    sqlx::query(
        "UPDATE follow_up_counts SET open = open - 1 WHERE unit = $1 AND step = $2 AND due = $3 AND reply_by = $4 AND open > 0",
    )
    .bind(unit)
    .bind(step)
    .bind(day)
    .bind(reply_by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Writes a visit's rating (and its follow-up) in its own transaction;
    /// `false` when the visit was already rated (nothing written).
    pub async fn insert_rating(&self, r: &NewRating) -> Result<bool, StoreError> {
        let mut tx = self.pools.begin_write().await?;
        for (sql, params, _) in statements(r) {
            match bind(sqlx::query(&sql), params).execute(&mut *tx).await {
                Err(e) if is_unique_violation(&e) => return Ok(false),
                other => other?,
            };
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Records that the applicant was contacted; `false` if already.
    pub async fn contact_follow_up(
        &self,
        id: &str,
        by: &str,
        note: &str,
        at_ms: i64,
        day: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pools.begin_write().await?;
        let done = sqlx::query(
            "UPDATE follow_ups SET contacted_ms = $1, contacted_on = $2, contacted_by = $3, contact_note = $4 \
             WHERE rating_id = $5 AND contacted_ms IS NULL RETURNING unit, contact_by, reply_by",
        )
        .bind(at_ms)
        .bind(day)
        .bind(by)
        .bind(note)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = done else {
            return Ok(false);
        };
        close_step(&mut tx, &row, "contact", "contact_by").await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records the rectification's reply, and the unit's figures with it;
    /// `false` if not contacted yet or already replied.
    /// `at` is when (ms) and the day; `also` what is written with it (the
    /// message telling the applicant).
    pub async fn reply_follow_up(
        &self,
        id: &str,
        by: &str,
        reply: &str,
        at: (i64, &str),
        on_time: bool,
        also: Alongside,
    ) -> Result<bool, StoreError> {
        let (at_ms, day) = at;
        let mut tx = self.pools.begin_write().await?;
        let row = sqlx::query(
            "UPDATE follow_ups SET replied_ms = $1, replied_on = $2, replied_by = $3, reply = $4, on_time = $5 \
             WHERE rating_id = $6 AND replied_ms IS NULL AND contacted_ms IS NOT NULL RETURNING unit, contact_by, reply_by",
        )
        .bind(at_ms)
        .bind(day)
        .bind(by)
        .bind(reply)
        .bind(i64::from(on_time))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(false);
        };
        close_step(&mut tx, &row, "reply", "reply_by").await?;
        let unit: String = row.try_get("unit")?;
        sqlx::query(
            "UPDATE rating_units SET replied = replied + 1, replied_on_time = replied_on_time + $1 WHERE unit = $2",
        )
        .bind(i64::from(on_time))
        .bind(&unit)
        .execute(&mut *tx)
        .await?;
        also.apply(&mut tx).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The applicant's second rating (追评) of a replied follow-up; `false`
    /// when there is no reply yet or it was already given.
    pub async fn second_rating(
        &self,
        id: &str,
        score: u8,
        comment: &str,
        at_ms: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE ratings SET second_score = $1, second_comment = $2, second_ms = $3 \
             WHERE id = $4 AND second_score IS NULL AND id IN (SELECT rating_id FROM follow_ups WHERE replied_ms IS NOT NULL)",
        )
        .bind(i64::from(score))
        .bind(comment)
        .bind(at_ms)
        .bind(id)
        .execute(&self.pools.write)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
