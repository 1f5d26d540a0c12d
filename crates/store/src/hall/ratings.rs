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

/// A rating as stored, with its follow-up if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    /// Id.
    pub id: String,
    /// `online` or `window`.
    pub channel: String,
    /// The case, if online.
    pub case_id: Option<String>,
    /// The unit.
    pub unit: String,
    /// `department` or `window`.
    pub unit_kind: String,
    /// What was done.
    pub target: String,
    /// 1 to 5.
    pub score: u8,
    /// The comment as written (for the rater and the unit).
    pub comment: String,
    /// The comment as the public reads it.
    pub public_comment: String,
    /// Who rated.
    pub rater: String,
    /// When (ms).
    pub rated_ms: i64,
    /// The day.
    pub day: String,
    /// The second rating (追评), if given: score, comment, when.
    pub second: Option<(u8, String, i64)>,
    /// Its follow-up.
    pub follow_up: Option<FollowUp>,
}

/// The follow-up of a 差评.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// Contact the applicant by (`YYYY-MM-DD`).
    pub contact_by: String,
    /// Reply by.
    pub reply_by: String,
    /// Contacted: when (ms), the day, by whom, what was said.
    pub contacted: Option<(i64, String, String, String)>,
    /// Replied: when (ms), the day, by whom, the reply (public).
    pub replied: Option<(i64, String, String, String)>,
}

/// A unit's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFigures {
    /// The unit.
    pub unit: String,
    /// `department` or `window`.
    pub unit_kind: String,
    /// Ratings.
    pub ratings: u64,
    /// Of which 差评.
    pub bad: u64,
    /// Sum of the scores.
    pub score_sum: u64,
    /// Follow-ups replied.
    pub replied: u64,
    /// Of which on time (contact and reply).
    pub replied_on_time: u64,
    /// Follow-ups not replied and already late.
    pub open_late: u64,
}

const COLUMNS: &str = "r.id, r.channel, r.case_id, r.unit, r.unit_kind, r.target, r.score, r.comment, r.public_comment, r.rater, r.rated_ms, r.day, r.second_score, r.second_comment, r.second_ms, f.contact_by, f.reply_by, f.contacted_ms, f.contacted_on, f.contacted_by, f.contact_note, f.replied_ms, f.replied_on, f.replied_by, f.reply";
const FROM: &str = "ratings r LEFT JOIN follow_ups f ON f.rating_id = r.id";

fn rating(r: &AnyRow) -> Result<Rating, StoreError> {
    let score: i64 = r.try_get("score")?;
    let second_score: Option<i64> = r.try_get("second_score")?;
    let second = match (second_score, r.try_get::<Option<i64>, _>("second_ms")?) {
        (Some(s), Some(at)) => Some((
            u8::try_from(s).unwrap_or(0),
            r.try_get::<Option<String>, _>("second_comment")?
                .unwrap_or_default(),
            at,
        )),
        _ => None,
    };
    let step = |at: &str, on: &str, by: &str, text: &str| -> Result<_, StoreError> {
        Ok(match r.try_get::<Option<i64>, _>(at)? {
            Some(ms) => Some((
                ms,
                r.try_get::<Option<String>, _>(on)?.unwrap_or_default(),
                r.try_get::<Option<String>, _>(by)?.unwrap_or_default(),
                r.try_get::<Option<String>, _>(text)?.unwrap_or_default(),
            )),
            None => None,
        })
    };
    let follow_up = match r.try_get::<Option<String>, _>("contact_by")? {
        Some(contact_by) => Some(FollowUp {
            contact_by,
            reply_by: r
                .try_get::<Option<String>, _>("reply_by")?
                .unwrap_or_default(),
            contacted: step(
                "contacted_ms",
                "contacted_on",
                "contacted_by",
                "contact_note",
            )?,
            replied: step("replied_ms", "replied_on", "replied_by", "reply")?,
        }),
        None => None,
    };
    Ok(Rating {
        id: r.try_get("id")?,
        channel: r.try_get("channel")?,
        case_id: r.try_get("case_id")?,
        unit: r.try_get("unit")?,
        unit_kind: r.try_get("unit_kind")?,
        target: r.try_get("target")?,
        score: u8::try_from(score).unwrap_or(0),
        comment: r.try_get("comment")?,
        public_comment: r.try_get("public_comment")?,
        rater: r.try_get("rater")?,
        rated_ms: r.try_get("rated_ms")?,
        day: r.try_get("day")?,
        second,
        follow_up,
    })
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

    /// A rating by id.
    pub async fn rating(&self, id: &str) -> Result<Option<Rating>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE r.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pools.read)
            .await?;
        row.as_ref().map(rating).transpose()
    }

    /// The rating of a case, if it was rated.
    pub async fn rating_of_case(&self, case_id: &str) -> Result<Option<Rating>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE r.case_id = $1");
        let row = sqlx::query(&sql)
            .bind(case_id)
            .fetch_optional(&self.pools.read)
            .await?;
        row.as_ref().map(rating).transpose()
    }

    /// Ratings newest first, of one unit or all, before the cursor
    /// `(rated_ms, id)` of the last one of the previous page.
    pub async fn ratings_page(
        &self,
        unit: Option<&str>,
        before: Option<(i64, &str)>,
        limit: u32,
    ) -> Result<Vec<Rating>, StoreError> {
        let mut sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE 1 = 1");
        let mut n = 0;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        if unit.is_some() {
            sql.push_str(&format!(" AND r.unit = {}", next()));
        }
        if before.is_some() {
            let (a, b) = (next(), next());
            // A row value: both backends walk the index from the cursor.
            sql.push_str(&format!(" AND (r.rated_ms, r.id) < ({a}, {b})"));
        }
        let order = if unit.is_some() {
            "r.unit, r.rated_ms DESC, r.id DESC"
        } else {
            "r.rated_ms DESC, r.id DESC"
        };
        sql.push_str(&format!(" ORDER BY {order} LIMIT {}", next()));
        let mut q = sqlx::query(&sql);
        if let Some(u) = unit {
            q = q.bind(u);
        }
        if let Some((ms, id)) = before {
            q = q.bind(ms).bind(id);
        }
        let rows = q.bind(i64::from(limit)).fetch_all(&self.pools.read).await?;
        rows.iter().map(rating).collect()
    }

    /// Every unit's figures; `today` (`YYYY-MM-DD`) decides which open
    /// follow-ups are late.
    pub async fn rating_figures(&self, today: &str) -> Result<Vec<UnitFigures>, StoreError> {
        let rows = sqlx::query(
            "SELECT unit, unit_kind, ratings, bad, score_sum, replied, replied_on_time FROM rating_units ORDER BY unit",
        )
        .fetch_all(&self.pools.read)
        .await?;
        // Not replied by the reply day; or not contacted by the contact
        // day while the reply day has not passed (those are in the first).
        let late = sqlx::query(
            "SELECT unit, CAST(SUM(open) AS BIGINT) FROM follow_up_counts \
             WHERE (step = 'reply' AND due < $1) OR (step = 'contact' AND due < $2 AND reply_by >= $3) GROUP BY unit",
        )
        .bind(today)
        .bind(today)
        .bind(today)
        .fetch_all(&self.pools.read)
        .await?;
        let late: Vec<(String, i64)> = late
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_, StoreError>>()?;
        let count = |r: &AnyRow, c: &str| -> Result<u64, StoreError> {
            Ok(u64::try_from(r.try_get::<i64, _>(c)?).unwrap_or(0))
        };
        rows.iter()
            .map(|r| {
                let unit: String = r.try_get("unit")?;
                let open_late: i64 = late
                    .iter()
                    .filter(|(u, _)| *u == unit)
                    .map(|(_, n)| *n)
                    .sum();
                Ok(UnitFigures {
                    unit_kind: r.try_get("unit_kind")?,
                    ratings: count(r, "ratings")?,
                    bad: count(r, "bad")?,
                    score_sum: count(r, "score_sum")?,
                    replied: count(r, "replied")?,
                    replied_on_time: count(r, "replied_on_time")?,
                    open_late: u64::try_from(open_late).unwrap_or(0),
                    unit,
                })
            })
            .collect()
    }

    /// Follow-ups of a unit (all, or only those not replied yet), oldest first.
    pub async fn follow_ups_of(
        &self,
        unit: &str,
        open_only: bool,
    ) -> Result<Vec<Rating>, StoreError> {
        let open = if open_only {
            " AND f.replied_ms IS NULL"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM ratings r JOIN follow_ups f ON f.rating_id = r.id WHERE f.unit = $1{open} ORDER BY f.opened_ms, r.id LIMIT 500"
        );
        let rows = sqlx::query(&sql)
            .bind(unit)
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter().map(rating).collect()
    }

    /// Follow-ups not replied that are late on `today`, oldest first.
    pub async fn late_follow_ups(&self, today: &str) -> Result<Vec<Rating>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM ratings r JOIN follow_ups f ON f.rating_id = r.id \
             WHERE f.replied_ms IS NULL AND (f.reply_by < $1 OR (f.contacted_ms IS NULL AND f.contact_by < $2)) ORDER BY f.opened_ms, r.id LIMIT 500"
        );
        let rows = sqlx::query(&sql)
            .bind(today)
            .bind(today)
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter().map(rating).collect()
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
    pub async fn reply_follow_up(
        &self,
        id: &str,
        by: &str,
        reply: &str,
        at_ms: i64,
        day: &str,
        on_time: bool,
    ) -> Result<bool, StoreError> {
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

    /// The ratings an account gave, newest first.
    pub async fn ratings_by(&self, rater: &str, limit: u32) -> Result<Vec<Rating>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE r.rater = $1 ORDER BY r.rated_ms DESC, r.id DESC LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(rater)
            .bind(i64::from(limit))
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter().map(rating).collect()
    }
}
