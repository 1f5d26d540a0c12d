//! Parcels and what their carrier said. A parcel is created with its
//! first state; each move the carrier reports is a guarded update (from
//! the state it was read in) with its event and the callback's nonce,
//! made as [`Alongside`] rows so that a result's delivery is written in
//! the case's own transition. Every callback, applied or refused, is
//! logged.

use sqlx::Row;

use crate::Store;
use crate::alongside::Alongside;
use crate::error::StoreError;
use crate::sql::rows::Columns;
use crate::vocabulary::SideEvent;

/// A parcel to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewParcel {
    /// Id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// The applicant (resident ID or USCC).
    pub subject: String,
    /// The case's region code, for the window's list.
    pub region: String,
    /// `result`, `original_in` or `original_back`.
    pub kind: String,
    /// The material, for an original.
    pub material: Option<String>,
    /// The carrier's name.
    pub carrier: String,
    /// The carrier's waybill number.
    pub waybill: String,
    /// The address (JSON), to or from.
    pub address: String,
    /// Who sent or booked it.
    pub created_by: String,
    /// When (ms).
    pub created_ms: i64,
    /// The original this parcel sends back.
    pub back_of: Option<String>,
}

/// A parcel as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parcel {
    /// What was created.
    pub parcel: NewParcel,
    /// `created` … `delivered` or `failed`.
    pub state: String,
    /// Last change (ms).
    pub updated_ms: i64,
    /// The clerk who received an original at the window.
    pub received_by: Option<String>,
    /// When (ms).
    pub received_ms: Option<i64>,
    /// The parcel sending the original back.
    pub back_parcel: Option<String>,
}

/// One state a parcel reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParcelEvent {
    /// The parcel.
    pub parcel_id: String,
    /// The state.
    pub state: String,
    /// When (ms).
    pub at_ms: i64,
    /// `carrier` (a callback) or the account that acted.
    pub source: String,
}

/// A move the carrier reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParcelMove {
    /// The parcel.
    pub parcel_id: String,
    /// The state it was read in.
    pub from: String,
    /// The state it moves to.
    pub to: String,
    /// When (ms).
    pub at_ms: i64,
    /// The callback's nonce, remembered against replay.
    pub nonce: Option<String>,
}

/// One line of the carrier's callback log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarrierLine {
    /// Id.
    pub id: String,
    /// The waybill, if the callback could be read.
    pub waybill: Option<String>,
    /// `applied`, `already` or `refused`.
    pub outcome: String,
    /// The rule a refused callback broke.
    pub rule: Option<String>,
    /// What was said.
    pub detail: String,
    /// When (ms).
    pub received_ms: i64,
}

const COLUMNS: &str = "id, case_id, subject, region, kind, material, carrier, waybill, state, address, created_by, created_ms, updated_ms, received_by, received_ms, back_parcel";

fn parcel(r: &dyn Columns) -> Result<Parcel, StoreError> {
    Ok(Parcel {
        parcel: NewParcel {
            id: r.text("id")?,
            case_id: r.text("case_id")?,
            subject: r.text("subject")?,
            region: r.text("region")?,
            kind: r.text("kind")?,
            material: r.opt_text("material")?,
            carrier: r.text("carrier")?,
            waybill: r.text("waybill")?,
            address: r.text("address")?,
            created_by: r.text("created_by")?,
            created_ms: r.int("created_ms")?,
            back_of: None,
        },
        state: r.text("state")?,
        updated_ms: r.int("updated_ms")?,
        received_by: r.opt_text("received_by")?,
        received_ms: r.opt_int("received_ms")?,
        back_parcel: r.opt_text("back_parcel")?,
    })
}

/// The rows of a reported move: the parcel's state (guarded by the state
/// it was read in), its event and the callback's nonce.
pub fn move_alongside(m: &ParcelMove) -> Alongside {
    let rows = vec![
        (
            "UPDATE parcels SET state = $1, updated_ms = $2 WHERE id = $3 AND state = $4".to_owned(),
            vec![
                m.to.as_str().into(),
                m.at_ms.into(),
                m.parcel_id.as_str().into(),
                m.from.as_str().into(),
            ],
            1,
        ),
        (
            "INSERT INTO parcel_events (parcel_id, state, at_ms, source) VALUES ($1, $2, $3, 'carrier')"
                .to_owned(),
            vec![m.parcel_id.as_str().into(), m.to.as_str().into(), m.at_ms.into()],
            1,
        ),
    ];
    let mut rows = Alongside(rows);
    if let Some(nonce) = &m.nonce {
        rows.extend(nonce_alongside(nonce, m.at_ms));
    }
    rows
}

/// The row remembering a callback's nonce: a second callback with it
/// breaks the key, and its transaction keeps nothing.
pub fn nonce_alongside(nonce: &str, at_ms: i64) -> Alongside {
    Alongside(vec![(
        "INSERT INTO carrier_nonces (nonce, at_ms) VALUES ($1, $2)".to_owned(),
        vec![nonce.into(), at_ms.into()],
        1,
    )])
}

/// The row logging a callback, written with the move it made.
pub fn callback_alongside(l: &CarrierLine) -> Alongside {
    Alongside(vec![(
        "INSERT INTO carrier_callbacks (id, waybill, outcome, rule, detail, received_ms) VALUES ($1, $2, $3, $4, $5, $6)"
            .to_owned(),
        vec![
            l.id.as_str().into(),
            l.waybill.clone().into(),
            l.outcome.as_str().into(),
            l.rule.clone().into(),
            l.detail.as_str().into(),
            l.received_ms.into(),
        ],
        1,
    )])
}

impl Store {
    /// Creates a parcel in state `created` with its first event (and, for
    /// an original going back, links it to the one it returns), with the
    /// rows `also` (the applicant's message), in one transaction.
    pub async fn create_parcel(&self, p: &NewParcel, also: Alongside) -> Result<(), StoreError> {
        let mut rows = vec![
            (
                format!(
                    "INSERT INTO parcels ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'created', $9, $10, $11, $12, NULL, NULL, NULL)"
                ),
                vec![
                    p.id.as_str().into(),
                    p.case_id.as_str().into(),
                    p.subject.as_str().into(),
                    p.region.as_str().into(),
                    p.kind.as_str().into(),
                    p.material.clone().into(),
                    p.carrier.as_str().into(),
                    p.waybill.as_str().into(),
                    p.address.as_str().into(),
                    p.created_by.as_str().into(),
                    p.created_ms.into(),
                    p.created_ms.into(),
                ],
                1,
            ),
            (
                "INSERT INTO parcel_events (parcel_id, state, at_ms, source) VALUES ($1, 'created', $2, $3)".to_owned(),
                vec![
                    p.id.as_str().into(),
                    p.created_ms.into(),
                    p.created_by.as_str().into(),
                ],
                1,
            ),
        ];
        if let Some(original) = &p.back_of {
            rows.push((
                "UPDATE parcels SET back_parcel = $1 WHERE id = $2 AND back_parcel IS NULL AND received_ms IS NOT NULL".to_owned(),
                vec![p.id.as_str().into(), original.as_str().into()],
                1,
            ));
        }
        let mut rows = Alongside(rows);
        rows.extend(also);
        self.write_rows(rows).await
    }

    async fn parcels_where(&self, filter: &str, key: &str) -> Result<Vec<Parcel>, StoreError> {
        // On the calling thread: a parcel is read by every callback.
        let sql = format!("SELECT {COLUMNS} FROM parcels WHERE {filter} ORDER BY created_ms, id");
        self.hot_rows(&sql, &[key.to_owned()], parcel).await
    }

    /// A parcel by id.
    pub async fn parcel(&self, id: &str) -> Result<Option<Parcel>, StoreError> {
        Ok(self.parcels_where("id = $1", id).await?.pop())
    }

    /// A parcel by its waybill.
    pub async fn parcel_by_waybill(&self, waybill: &str) -> Result<Option<Parcel>, StoreError> {
        Ok(self.parcels_where("waybill = $1", waybill).await?.pop())
    }

    /// A case's parcels, oldest first.
    pub async fn parcels_of_case(&self, case_id: &str) -> Result<Vec<Parcel>, StoreError> {
        self.parcels_where("case_id = $1", case_id).await
    }

    /// The parcels of cases whose region starts with `region`, most
    /// recently changed first, and how many in all.
    pub async fn parcels_in_region(
        &self,
        region: &str,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<Parcel>, u64), StoreError> {
        let prefix = format!("{region}%");
        let sql = format!(
            "SELECT {COLUMNS} FROM parcels WHERE region LIKE $1 ORDER BY updated_ms DESC, id DESC LIMIT $2 OFFSET $3"
        );
        let rows = sqlx::query(&sql)
            .bind(&prefix)
            .bind(i64::from(limit))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_all(&self.pools.read)
            .await?;
        let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM parcels WHERE region LIKE $1")
            .bind(&prefix)
            .fetch_one(&self.pools.read)
            .await?
            .try_get("n")?;
        let parcels = rows.iter().map(|r| parcel(r)).collect::<Result<_, _>>()?;
        Ok((parcels, total.max(0) as u64))
    }

    /// The states a case's parcels reached, in order.
    pub async fn parcel_events_of_case(
        &self,
        case_id: &str,
    ) -> Result<Vec<ParcelEvent>, StoreError> {
        self.hot_rows(
            "SELECT e.parcel_id, e.state, e.at_ms, e.source FROM parcel_events e JOIN parcels p ON p.id = e.parcel_id \
             WHERE p.case_id = $1 ORDER BY e.at_ms, e.parcel_id",
            &[case_id.to_owned()],
            |r| {
                Ok(ParcelEvent {
                    parcel_id: r.text("parcel_id")?,
                    state: r.text("state")?,
                    at_ms: r.int("at_ms")?,
                    source: r.text("source")?,
                })
            },
        )
        .await
    }

    /// Whether a carrier callback's nonce was seen before.
    pub async fn carrier_nonce_seen(&self, nonce: &str) -> Result<bool, StoreError> {
        let row = self
            .hot_row(
                "SELECT 1 AS one FROM carrier_nonces WHERE nonce = $1",
                &[nonce.to_owned()],
                |r| r.int("one"),
            )
            .await?;
        Ok(row.is_some())
    }

    /// Logs a carrier callback in a transaction of its own.
    pub async fn log_carrier_callback(&self, l: &CarrierLine) -> Result<(), StoreError> {
        self.write_rows(callback_alongside(l)).await
    }

    /// The carrier's callbacks, newest first, and how many in all.
    pub async fn carrier_log(
        &self,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<CarrierLine>, u64), StoreError> {
        let rows = sqlx::query(
            "SELECT id, waybill, outcome, rule, detail, received_ms FROM carrier_callbacks \
             ORDER BY received_ms DESC, id DESC LIMIT $1 OFFSET $2",
        )
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pools.read)
        .await?;
        let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM carrier_callbacks")
            .fetch_one(&self.pools.read)
            .await?
            .try_get("n")?;
        let lines = rows
            .iter()
            .map(|r| {
                Ok(CarrierLine {
                    id: r.try_get("id")?,
                    waybill: r.try_get("waybill")?,
                    outcome: r.try_get("outcome")?,
                    rule: r.try_get("rule")?,
                    detail: r.try_get("detail")?,
                    received_ms: r.try_get("received_ms")?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok((lines, total.max(0) as u64))
    }

    /// Records that the window received a posted original: the parcel's
    /// receipt, the original seen on each of the case's files of that
    /// material, and the case's event, in one transaction; whether it was
    /// not received before.
    pub async fn receive_original(
        &self,
        parcel_id: &str,
        material: &str,
        by: &str,
        at_ms: i64,
        event: SideEvent,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pools.begin_write().await?;
        let row = sqlx::query("SELECT case_id FROM parcels WHERE id = $1 AND received_ms IS NULL")
            .bind(parcel_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(false) };
        let case_id: String = row.try_get("case_id")?;
        let done = sqlx::query(
            "UPDATE parcels SET received_by = $1, received_ms = $2 WHERE id = $3 AND received_ms IS NULL",
        )
        .bind(by)
        .bind(at_ms)
        .bind(parcel_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE material_files SET original_seen_by = $1, original_seen_ms = $2 \
             WHERE case_id = $3 AND material = $4 AND deleted_ms IS NULL AND original_seen_ms IS NULL",
        )
        .bind(by)
        .bind(at_ms)
        .bind(&case_id)
        .bind(material)
        .execute(&mut *tx)
        .await?;
        self.side_event(&mut tx, &case_id, event, at_ms).await?;
        tx.commit().await?;
        Ok(true)
    }
}
