//! Messages to departments' own systems: CloudEvents 1.0 in the structured
//! JSON format (cloudevents/spec `json-format.md`), signed when delivered.
//!
//! # Signature
//!
//! Every delivery is a `POST` with `Content-Type:` [`CONTENT_TYPE`] and two
//! headers:
//!
//! ```text
//! X-Yici-Timestamp: 1790730000
//! X-Yici-Signature: sha256=<lowercase hex of HMAC-SHA256(secret, "1790730000" + "." + body)>
//! ```
//!
//! The MAC (RFC 2104 with SHA-256) covers the timestamp as well as the
//! exact bytes of the body, so a captured request cannot be replayed later
//! under a fresh timestamp. A receiver recomputes it over the raw body
//! before parsing it, compares in constant time ([`verify_signature`]),
//! refuses timestamps more than [`TIMESTAMP_TOLERANCE_SECS`] away from its
//! own clock ([`timestamp_is_fresh`]) and answers 2xx once it has stored
//! the event. Delivery is at least once: a message whose answer was lost
//! comes again, with the same CloudEvents `id`, which the receiver uses to
//! drop duplicates.

use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use yici_core::case::{Case, Task};

use crate::error::{Result, ServiceError};

/// The CloudEvents `type` of a task that opened for a department.
pub const TASK_OPENED: &str = "cn.yici.task.opened";

/// The JSON of a CloudEvent announcing that `task` of `case` opened.
pub fn task_event(id: &str, case: &Case, task: &Task, now: OffsetDateTime) -> Result<String> {
    let time = now.format(&Rfc3339).map_err(ServiceError::internal)?;
    let event = json!({
        "specversion": "1.0",
        "id": id,
        "source": format!("/yici/cases/{}", case.id),
        "type": TASK_OPENED,
        "subject": task.id.to_string(),
        "time": time,
        "datacontenttype": "application/json",
        "data": {
            "case_id": case.id.to_string(),
            "case_version": case.version,
            "task_id": task.id.to_string(),
            "matter": task.matter.to_string(),
            "department": task.department.to_string(),
            "region": task.region.to_string(),
            "stage": task.stage,
            "deadline": task.deadline.map(|d| d.to_string()),
            "form": case.form,
            "decide": format!("/api/v1/tasks/{}/decision", task.id),
        }
    });
    Ok(event.to_string())
}

/// The `Content-Type` of a delivery: a CloudEvent in structured mode
/// (cloudevents/spec `http-protocol-binding.md` §3.2).
pub const CONTENT_TYPE: &str = "application/cloudevents+json; charset=utf-8";

/// The header carrying the signature, `sha256=<hex>`.
pub const SIGNATURE_HEADER: &str = "x-yici-signature";

/// The header carrying the time of signing, in Unix seconds.
pub const TIMESTAMP_HEADER: &str = "x-yici-timestamp";

/// How far a delivery's timestamp may stray from the receiver's clock
/// before the receiver should refuse it as a replay: five minutes.
pub const TIMESTAMP_TOLERANCE_SECS: i64 = 300;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// HMAC-SHA256 under `secret`, fed `timestamp + "." + body`.
fn mac(secret: &str, timestamp: &str, body: &[u8]) -> HmacSha256 {
    use hmac::Mac;
    #[allow(clippy::expect_used)]
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes())
        .expect("HMAC takes keys of any length (RFC 2104 §2)");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `X-Yici-Signature` value of `body` sent at `timestamp` (Unix
/// seconds): `sha256=` and the lowercase hex HMAC-SHA256 under `secret` of
/// `timestamp + "." + body`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    use hmac::Mac;
    let tag = mac(secret, &timestamp.to_string(), body)
        .finalize()
        .into_bytes();
    format!("sha256={}", hex::encode(tag))
}

/// Whether `header` (the `X-Yici-Signature` value) is the signature of
/// `body` under `secret` with `timestamp` (the `X-Yici-Timestamp` value,
/// as received). The comparison takes the same time whichever byte
/// differs, so that a forger learns nothing from how long a refusal took.
///
/// This is all a department's system needs to check a delivery; it uses
/// only the `hmac`, `sha2` and `hex` crates and can be copied as it is.
pub fn verify_signature(secret: &str, timestamp: &str, body: &[u8], header: &str) -> bool {
    use hmac::Mac;
    let Some(hex_tag) = header.trim().strip_prefix("sha256=") else {
        return false;
    };
    let Ok(tag) = hex::decode(hex_tag) else {
        return false;
    };
    mac(secret, timestamp, body).verify_slice(&tag).is_ok()
}

/// Whether a delivery's `timestamp` (Unix seconds, as received) lies within
/// [`TIMESTAMP_TOLERANCE_SECS`] of the receiver's `now_unix`.
pub fn timestamp_is_fresh(timestamp: &str, now_unix: i64) -> bool {
    timestamp
        .trim()
        .parse::<i64>()
        .is_ok_and(|t| (now_unix - t).abs() <= TIMESTAMP_TOLERANCE_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec-xf";
    const BODY: &[u8] = br#"{"specversion":"1.0"}"#;

    #[test]
    fn signature_is_hmac_sha256_over_timestamp_dot_body() {
        // Computed independently: Python's hmac.new(b"whsec-xf",
        // b'1790730000.{"specversion":"1.0"}', hashlib.sha256).hexdigest().
        assert_eq!(
            sign(SECRET, 1_790_730_000, BODY),
            "sha256=161b9501bcbac79d02fa0a9538e7f127961b96c10b9635a61ecd6b6dace7cbcd"
        );
    }

    #[test]
    fn signature_verifies_with_the_same_secret_timestamp_and_body() {
        let sig = sign(SECRET, 1_790_730_000, BODY);
        assert!(verify_signature(SECRET, "1790730000", BODY, &sig));
    }

    #[test]
    fn signature_fails_on_any_change() {
        let sig = sign(SECRET, 1_790_730_000, BODY);
        assert!(!verify_signature("other", "1790730000", BODY, &sig));
        assert!(!verify_signature(SECRET, "1790730001", BODY, &sig));
        assert!(!verify_signature(
            SECRET,
            "1790730000",
            br#"{"specversion":"1.1"}"#,
            &sig
        ));
        assert!(!verify_signature(SECRET, "1790730000", BODY, &sig[7..]));
        assert!(!verify_signature(SECRET, "1790730000", BODY, "sha256=zz"));
        assert!(!verify_signature(SECRET, "1790730000", BODY, ""));
    }

    #[test]
    fn timestamps_more_than_five_minutes_away_are_stale() {
        assert!(timestamp_is_fresh("1000", 1300));
        assert!(timestamp_is_fresh("1300", 1000));
        assert!(!timestamp_is_fresh("1000", 1301));
        assert!(!timestamp_is_fresh("1301", 1000));
        assert!(!timestamp_is_fresh("soon", 1000));
    }
}
