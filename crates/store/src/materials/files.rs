//! The files given for a case's materials, and the views of them: each
//! given file, original seen, view and deletion is also a side event of its
//! case, written in one transaction with it, so the ledger holds the file's
//! SHA-256 from the moment it is attached.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Store;
use crate::error::StoreError;
use crate::vocabulary::SideEvent;

/// A file given for a material of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaterialFile {
    /// Id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// The material's key.
    pub material: String,
    /// The data subject (the case's owner): whose earlier files are offered again.
    pub subject: String,
    /// SHA-256 of the content, lowercase hex: where the sealed file is kept.
    pub sha256: String,
    /// `pdf`, `jpeg`, `png` or `ofd`.
    pub kind: String,
    /// Bytes.
    pub size: i64,
    /// The name it was given with, for people only (never a path).
    pub name: String,
    /// The user who gave it.
    pub given_by: String,
    /// When (ms).
    pub given_ms: i64,
    /// The earlier file it reuses, if the applicant chose one.
    pub reused_from: Option<String>,
    /// The clerk who saw the original paper, if any.
    pub original_seen_by: Option<String>,
    /// When the original was seen (ms).
    pub original_seen_ms: Option<i64>,
    /// When it was deleted at the end of its retention (ms).
    pub deleted_ms: Option<i64>,
}

/// Someone opening a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaterialView {
    /// Id.
    pub id: String,
    /// The file.
    pub file_id: String,
    /// Its case.
    pub case_id: String,
    /// Whose document it is.
    pub subject: String,
    /// Who opened it.
    pub viewer: String,
    /// In which role.
    pub role: String,
    /// When (ms).
    pub at_ms: i64,
}

/// The limits a new file is checked against, in the transaction that adds it.
#[derive(Debug, Clone, Copy)]
pub struct FileLimits {
    /// Files one material may have.
    pub max_files: u32,
    /// Bytes all of a case's files may have.
    pub max_case_bytes: u64,
}

/// What attaching a file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attached {
    /// The file and its event are written.
    Done,
    /// The material already has as many files as it may: nothing written.
    TooManyFiles,
    /// The case's files would pass the limit: nothing written.
    CaseTooLarge,
}

pub(super) const COLUMNS: &str = "id, case_id, material, subject, sha256, kind, size, name, given_by, given_ms, reused_from, original_seen_by, original_seen_ms, deleted_ms";

pub(super) fn file(r: &AnyRow) -> Result<MaterialFile, StoreError> {
    Ok(MaterialFile {
        id: r.try_get("id")?,
        case_id: r.try_get("case_id")?,
        material: r.try_get("material")?,
        subject: r.try_get("subject")?,
        sha256: r.try_get("sha256")?,
        kind: r.try_get("kind")?,
        size: r.try_get("size")?,
        name: r.try_get("name")?,
        given_by: r.try_get("given_by")?,
        given_ms: r.try_get("given_ms")?,
        reused_from: r.try_get("reused_from")?,
        original_seen_by: r.try_get("original_seen_by")?,
        original_seen_ms: r.try_get("original_seen_ms")?,
        deleted_ms: r.try_get("deleted_ms")?,
    })
}

fn view(r: &AnyRow) -> Result<MaterialView, StoreError> {
    Ok(MaterialView {
        id: r.try_get("id")?,
        file_id: r.try_get("file_id")?,
        case_id: r.try_get("case_id")?,
        subject: r.try_get("subject")?,
        viewer: r.try_get("viewer")?,
        role: r.try_get("role")?,
        at_ms: r.try_get("at_ms")?,
    })
}

impl Store {
    /// Attaches a file to a case's material with its event, in one
    /// transaction, when the material and the case have room for it. The
    /// event is appended first: on PostgreSQL it locks the case's row, so
    /// two files attached at once are counted one after the other.
    pub async fn attach_file(
        &self,
        f: &MaterialFile,
        event: SideEvent,
        limits: FileLimits,
    ) -> Result<Attached, StoreError> {
        let mut tx = self.pools.begin_write().await?;
        self.side_event(&mut tx, &f.case_id, event, f.given_ms)
            .await?;
        let of_material: i64 = sqlx::query("SELECT COUNT(*) FROM material_files WHERE case_id = $1 AND material = $2 AND deleted_ms IS NULL")
            .bind(&f.case_id)
            .bind(&f.material)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        let case_bytes: i64 = sqlx::query(
            "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM material_files WHERE case_id = $1 AND deleted_ms IS NULL",
        )
        .bind(&f.case_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        if of_material >= i64::from(limits.max_files) {
            return Ok(Attached::TooManyFiles);
        }
        let total = u64::try_from(case_bytes.saturating_add(f.size)).unwrap_or(u64::MAX);
        if total > limits.max_case_bytes {
            return Ok(Attached::CaseTooLarge);
        }
        sqlx::query(&format!("INSERT INTO material_files ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"))
            .bind(&f.id)
            .bind(&f.case_id)
            .bind(&f.material)
            .bind(&f.subject)
            .bind(&f.sha256)
            .bind(&f.kind)
            .bind(f.size)
            .bind(&f.name)
            .bind(&f.given_by)
            .bind(f.given_ms)
            .bind(&f.reused_from)
            .bind(&f.original_seen_by)
            .bind(f.original_seen_ms)
            .bind(f.deleted_ms)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Attached::Done)
    }

    /// The files of a case, deleted ones included, oldest first.
    pub async fn case_files(&self, case_id: &str) -> Result<Vec<MaterialFile>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM material_files WHERE case_id = $1 ORDER BY given_ms, id"
        ))
        .bind(case_id)
        .fetch_all(&self.pools.read)
        .await?;
        rows.iter().map(file).collect()
    }

    /// One file.
    pub async fn material_file(&self, id: &str) -> Result<Option<MaterialFile>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM material_files WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pools.read)
        .await?;
        row.as_ref().map(file).transpose()
    }

    /// A subject's earlier files of a material, not deleted, newest first:
    /// what can be offered again.
    pub async fn subject_files(
        &self,
        subject: &str,
        material: &str,
    ) -> Result<Vec<MaterialFile>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM material_files WHERE subject = $1 AND material = $2 AND deleted_ms IS NULL ORDER BY given_ms DESC, id LIMIT 50"))
            .bind(subject)
            .bind(material)
            .fetch_all(&self.pools.read)
            .await?;
        rows.iter().map(file).collect()
    }

    /// Records that a clerk saw the original paper of a file's material,
    /// with its event, in one transaction.
    pub async fn record_original_seen(
        &self,
        file_id: &str,
        case_id: &str,
        by: &str,
        at_ms: i64,
        event: SideEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.pools.begin_write().await?;
        self.side_event(&mut tx, case_id, event, at_ms).await?;
        sqlx::query(
            "UPDATE material_files SET original_seen_by = $1, original_seen_ms = $2 WHERE id = $3",
        )
        .bind(by)
        .bind(at_ms)
        .bind(file_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that someone opened a file, with its event, in one
    /// transaction: a view that is not logged does not happen.
    pub async fn record_view(&self, v: &MaterialView, event: SideEvent) -> Result<(), StoreError> {
        let mut tx = self.pools.begin_write().await?;
        self.side_event(&mut tx, &v.case_id, event, v.at_ms).await?;
        sqlx::query("INSERT INTO material_views (id, file_id, case_id, subject, viewer, role, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&v.id)
            .bind(&v.file_id)
            .bind(&v.case_id)
            .bind(&v.subject)
            .bind(&v.viewer)
            .bind(&v.role)
            .bind(v.at_ms)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Who opened a subject's documents, newest first: a page, and how
    /// many in all.
    pub async fn views_of(
        &self,
        subject: &str,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<MaterialView>, u64), StoreError> {
        let total: i64 = sqlx::query("SELECT COUNT(*) FROM material_views WHERE subject = $1")
            .bind(subject)
            .fetch_one(&self.pools.read)
            .await?
            .try_get(0)?;
        let rows = sqlx::query(&format!("SELECT id, file_id, case_id, subject, viewer, role, at_ms FROM material_views WHERE subject = $1 ORDER BY at_ms DESC, id LIMIT {limit} OFFSET {offset}"))
            .bind(subject)
            .fetch_all(&self.pools.read)
            .await?;
        Ok((
            rows.iter().map(view).collect::<Result<_, _>>()?,
            u64::try_from(total).unwrap_or(0),
        ))
    }
}
