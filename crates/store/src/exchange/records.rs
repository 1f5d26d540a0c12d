//! The data sets' records: what a department shares about a subject, one
//! record per data set and subject, written whole and read by the exchange.

use sqlx::Row;

use crate::Store;
use crate::error::StoreError;

impl Store {
    /// Creates or replaces a subject's record of a data set.
    pub async fn put_record(
        &self,
        dataset: &str,
        subject: &str,
        fields: &serde_json::Value,
        by: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pools.begin_write().await?;
        sqlx::query("DELETE FROM dataset_records WHERE dataset = $1 AND subject = $2")
            .bind(dataset)
            .bind(subject)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO dataset_records (dataset, subject, fields, updated_by, updated_ms) VALUES ($1, $2, $3, $4, $5)")
            .bind(dataset)
            .bind(subject)
            .bind(fields.to_string())
            .bind(by)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates or replaces many records of a data set in one transaction:
    /// a bulk import is written whole or not at all.
    pub async fn put_records(
        &self,
        dataset: &str,
        records: &[(String, serde_json::Value)],
        by: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pools.begin_write().await?;
        for (subject, fields) in records {
            sqlx::query("DELETE FROM dataset_records WHERE dataset = $1 AND subject = $2")
                .bind(dataset)
                .bind(subject)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO dataset_records (dataset, subject, fields, updated_by, updated_ms) VALUES ($1, $2, $3, $4, $5)")
                .bind(dataset)
                .bind(subject)
                .bind(fields.to_string())
                .bind(by)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A subject's record of a data set.
    pub async fn record(
        &self,
        dataset: &str,
        subject: &str,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        let row =
            sqlx::query("SELECT fields FROM dataset_records WHERE dataset = $1 AND subject = $2")
                .bind(dataset)
                .bind(subject)
                .fetch_optional(&self.pools.read)
                .await?;
        row.map(|r| Ok(serde_json::from_str(&r.try_get::<String, _>("fields")?)?))
            .transpose()
    }

    /// A subject's records of several data sets, read in one statement:
    /// data set → record, for those that have one.
    pub async fn records_of(
        &self,
        subject: &str,
        datasets: &[String],
    ) -> Result<std::collections::BTreeMap<String, serde_json::Value>, StoreError> {
        let mut out = std::collections::BTreeMap::new();
        if datasets.is_empty() {
            return Ok(out);
        }
        let list = (2..datasets.len() + 2)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT dataset, fields FROM dataset_records WHERE subject = $1 AND dataset IN ({list})"
        );
        let q = datasets
            .iter()
            .fold(sqlx::query(&sql).bind(subject), |q, d| q.bind(d));
        for r in q.fetch_all(&self.pools.read).await? {
            let fields: String = r.try_get("fields")?;
            out.insert(r.try_get("dataset")?, serde_json::from_str(&fields)?);
        }
        Ok(out)
    }
}
