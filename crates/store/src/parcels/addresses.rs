//! The address book (地址簿) of an account, and the address each case's
//! result is to be sent to, kept as the applicant chose it (a later edit
//! of the book does not move a parcel already addressed).

use sqlx::Row;

use crate::Store;
use crate::alongside::Alongside;
use crate::error::StoreError;
use crate::sql::rows::Columns;

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

fn address(r: &dyn Columns) -> Result<StoredAddress, StoreError> {
    Ok(StoredAddress {
        id: r.text("id")?,
        owner: r.text("owner")?,
        recipient: r.text("recipient")?,
        phone: r.text("phone")?,
        region: r.text("region")?,
        line: r.text("line")?,
        postcode: r.text("postcode")?,
        created_ms: r.int("created_ms")?,
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
        self.hot_rows(&sql, &[owner.to_owned()], address).await
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
        self.hot_row(&sql, &[id.to_owned(), owner.to_owned()], address)
            .await
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
        // One row, inserted or replaced, on either backend.
        self.write_rows(Alongside(vec![(
            "INSERT INTO delivery_choices (case_id, address, chosen_by, chosen_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (case_id) DO UPDATE SET address = excluded.address, chosen_by = excluded.chosen_by, chosen_ms = excluded.chosen_ms"
                .to_owned(),
            vec![
                c.case_id.as_str().into(),
                c.address.as_str().into(),
                c.chosen_by.as_str().into(),
                c.chosen_ms.into(),
            ],
            1,
        )]))
        .await
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
        self.hot_row(
            "SELECT case_id, address, chosen_by, chosen_ms FROM delivery_choices WHERE case_id = $1",
            &[case_id.to_owned()],
            |r| {
                Ok(DeliveryChoice {
                    case_id: r.text("case_id")?,
                    address: r.text("address")?,
                    chosen_by: r.text("chosen_by")?,
                    chosen_ms: r.int("chosen_ms")?,
                })
            },
        )
        .await
    }
}
