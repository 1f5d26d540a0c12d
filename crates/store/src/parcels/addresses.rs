//! The address book (地址簿) of an account, and the address each case's
//! result is to be sent to, kept as the applicant chose it (a later edit
//! of the book does not move a parcel already addressed).

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Store;
use crate::error::StoreError;

/// An address in a book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAddress {
    /// Id.
    pub id: String,
    /// The account's user id.
    pub owner: String,
    /// Who receives.
    pub recipient: String,
    /// Their phone.
    pub phone: String,
    /// Province, city, district.
    pub region: String,
    /// Street and number.
    pub line: String,
    /// Postcode, or empty.
    pub postcode: String,
    /// Added (ms).
    pub created_ms: i64,
}

/// Where a case's result is to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryChoice {
    /// The case.
    pub case_id: String,
    /// The address as chosen (JSON of the fields).
    pub address: String,
    /// Who chose.
    pub chosen_by: String,
    /// When (ms).
    pub chosen_ms: i64,
}

const COLUMNS: &str = "id, owner, recipient, phone, region, line, postcode, created_ms";

fn address(r: &AnyRow) -> Result<StoredAddress, StoreError> {
    Ok(StoredAddress {
        id: r.try_get("id")?,
        owner: r.try_get("owner")?,
        recipient: r.try_get("recipient")?,
        phone: r.try_get("phone")?,
        region: r.try_get("region")?,
        line: r.try_get("line")?,
        postcode: r.try_get("postcode")?,
        created_ms: r.try_get("created_ms")?,
    })
}

impl Store {
    /// Adds an address to its owner's book unless the book already holds
    /// `max`; whether it was added.
    pub async fn add_address(&self, a: &StoredAddress, max: u32) -> Result<bool, StoreError> {
        let mut tx = self.pools.begin_write().await?;
        let held: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM addresses WHERE owner = $1 AND removed_ms IS NULL",
        )
        .bind(&a.owner)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        if held >= i64::from(max) {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO addresses (id, owner, recipient, phone, region, line, postcode, created_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&a.id)
        .bind(&a.owner)
        .bind(&a.recipient)
        .bind(&a.phone)
        .bind(&a.region)
        .bind(&a.line)
        .bind(&a.postcode)
        .bind(a.created_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// An owner's addresses, oldest first.
    pub async fn addresses_of(&self, owner: &str) -> Result<Vec<StoredAddress>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM addresses WHERE owner = $1 AND removed_ms IS NULL ORDER BY created_ms, id"
        );
        let rows = sqlx::query(&sql)
            .bind(owner)
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter().map(address).collect()
    }

    /// One of an owner's addresses, unless removed.
    pub async fn address(
        &self,
        owner: &str,
        id: &str,
    ) -> Result<Option<StoredAddress>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM addresses WHERE id = $1 AND owner = $2 AND removed_ms IS NULL"
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .bind(owner)
            .fetch_optional(&self.pools.read)
            .await?;
        row.as_ref().map(address).transpose()
    }

    /// Changes an address in its owner's book; whether it was there.
    pub async fn update_address(&self, a: &StoredAddress) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE addresses SET recipient = $1, phone = $2, region = $3, line = $4, postcode = $5 \
             WHERE id = $6 AND owner = $7 AND removed_ms IS NULL",
        )
        .bind(&a.recipient)
        .bind(&a.phone)
        .bind(&a.region)
        .bind(&a.line)
        .bind(&a.postcode)
        .bind(&a.id)
        .bind(&a.owner)
        .execute(&self.pools.write)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Removes an address from its owner's book (parcels keep their copy);
    /// whether it was there.
    pub async fn remove_address(
        &self,
        owner: &str,
        id: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE addresses SET removed_ms = $1 WHERE id = $2 AND owner = $3 AND removed_ms IS NULL",
        )
        .bind(now_ms)
        .bind(id)
        .bind(owner)
        .execute(&self.pools.write)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Sets (or replaces) where a case's result is to be sent.
    pub async fn choose_delivery(&self, c: &DeliveryChoice) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO delivery_choices (case_id, address, chosen_by, chosen_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (case_id) DO UPDATE SET address = excluded.address, chosen_by = excluded.chosen_by, chosen_ms = excluded.chosen_ms",
        )
        .bind(&c.case_id)
        .bind(&c.address)
        .bind(&c.chosen_by)
        .bind(c.chosen_ms)
        .execute(&self.pools.write)
        .await?;
        Ok(())
    }

    /// Drops a case's choice: the result is fetched at the window after all.
    pub async fn drop_delivery_choice(&self, case_id: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM delivery_choices WHERE case_id = $1")
            .bind(case_id)
            .execute(&self.pools.write)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Where a case's result is to be sent, if chosen.
    pub async fn delivery_choice(
        &self,
        case_id: &str,
    ) -> Result<Option<DeliveryChoice>, StoreError> {
        let row = sqlx::query(
            "SELECT case_id, address, chosen_by, chosen_ms FROM delivery_choices WHERE case_id = $1",
        )
        .bind(case_id)
        .fetch_optional(&self.pools.read)
        .await?;
        row.map(|r| {
            Ok(DeliveryChoice {
                case_id: r.try_get("case_id")?,
                address: r.try_get("address")?,
                chosen_by: r.try_get("chosen_by")?,
                chosen_ms: r.try_get("chosen_ms")?,
            })
        })
        .transpose()
    }
}
