//! Reading the ratings: the public register by pages, each unit's
//! figures, a unit's follow-ups and the late ones, a rater's own. The
//! writes are in `ratings.rs`.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Store;
use crate::error::StoreError;

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

impl Store {
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
