//! The electronic receipt (电子缴款凭证) of a payment: an SD-JWT VC signed
//! with the collecting department's e-seal, like its certificates, so that
//! anyone verifies it on the same page and the payer discloses only what a
//! reimbursement needs. Issued once, when the payment is first heard.

use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{OsRng, SeedableRng};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use yici_core::catalog::DepartmentCode;
use yici_exchange::certificate::{CertificateContent, StatusRef};
use yici_exchange::content::{holder_of, vct};
use yici_store::payments::{NewReceipt, PaymentOrder};

use crate::context::Service;
use crate::error::{Result, ServiceError};

/// The certificate type of receipts.
pub const RECEIPT_TYPE: &str = "payment-receipt";

/// How long a receipt verifies: thirty years, the time accounting records
/// of fees are kept.
const RECEIPT_VALIDITY_MS: i64 = 30 * 365 * 24 * 60 * 60 * 1000;

/// `12345` fen as `123.45`.
pub fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

impl Service {
    /// Signs the receipt of `order`, paid at `paid_ms` under the provider's
    /// `transaction`.
    pub(crate) async fn payment_receipt(
        &self,
        order: &PaymentOrder,
        transaction: &str,
        paid_ms: i64,
    ) -> Result<NewReceipt> {
        let case_id = order
            .case_id
            .parse()
            .map_err(|_| ServiceError::Internal(format!("order {} names no case", order.id)))?;
        let stored = self.store().case(&case_id).await?.ok_or_else(|| {
            ServiceError::Internal(format!("the case of order {} is gone", order.id))
        })?;
        let (holder, name) = holder_of(&stored.case);
        let department =
            DepartmentCode::parse(&order.department).map_err(ServiceError::internal)?;
        let department_name = self
            .catalog()
            .departments
            .get(&department)
            .map(|d| d.name.zh.to_string())
            .unwrap_or_else(|| order.department.clone());
        let paid_at = OffsetDateTime::from_unix_timestamp(paid_ms / 1000)
            .ok()
            .and_then(|t| t.format(&Rfc3339).ok())
            .unwrap_or_default();
        let items: Vec<Value> = order
            .items
            .iter()
            .map(|i| json!({"fee": i.fee, "name": i.name_zh, "units": i.units, "amount": yuan(i.amount_fen)}))
            .collect();
        let mut claims = Map::new();
        claims.insert("receipt_no".into(), json!(order.id));
        claims.insert("payer_name".into(), json!(name));
        claims.insert("case_id".into(), json!(order.case_id));
        claims.insert("collector".into(), json!(department_name));
        claims.insert("amount".into(), json!(yuan(order.amount_fen)));
        claims.insert("currency".into(), json!("CNY"));
        claims.insert("items".into(), Value::Array(items));
        claims.insert("paid_at".into(), json!(paid_at));
        claims.insert("transaction".into(), json!(transaction));
        claims.insert("provider".into(), json!(order.provider));
        let idx = self
            .seals()
            .status_indexes(self.store(), &[(department.as_str(), 1)])
            .await?;
        let idx = *idx
            .get(department.as_str())
            .ok_or_else(|| ServiceError::Internal("no status index for a receipt".into()))?;
        let now = self.clock().now_ms();
        let content = CertificateContent {
            vct: vct(RECEIPT_TYPE),
            holder,
            claims,
            iat: now / 1000,
            exp: (now + RECEIPT_VALIDITY_MS) / 1000,
            status: StatusRef {
                uri: self.status_uri(department.as_str()),
                idx,
            },
        };
        let mut rng = ChaCha20Rng::from_rng(OsRng).map_err(ServiceError::internal)?;
        let issuer = self.issuer(&department).await?;
        let sd_jwt = issuer
            .issue(&content, &mut rng)
            .map_err(|e| ServiceError::Internal(format!("signing receipt {}: {e}", order.id)))?;
        let matter = order
            .items
            .first()
            .and_then(|i| i.fee.split_once('/'))
            .map_or_else(String::new, |(m, _)| m.to_owned());
        Ok(NewReceipt {
            id: format!("rcpt-{}", order.id),
            department: department.to_string(),
            matter,
            holder: holder.as_str().to_owned(),
            vct: vct(RECEIPT_TYPE),
            status_idx: i64::try_from(idx).map_err(ServiceError::internal)?,
            issued_ms: now,
            expires_ms: now + RECEIPT_VALIDITY_MS,
            sd_jwt: sd_jwt.to_string(),
        })
    }
}
