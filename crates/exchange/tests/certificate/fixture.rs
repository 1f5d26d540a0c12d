//! One place that builds departments, certificates and status lists for the
//! e-certificate tests.

use std::collections::HashMap;

use ed25519_dalek::SigningKey;
use rand_core::OsRng;
use serde_json::{Map, Value, json};
use yici_core::catalog::DepartmentCode;
use yici_core::identifier::{Identifier, ResidentId, Uscc};
use yici_exchange::certificate::{
    CertificateContent, CertificateError, Issuer, KeyRing, SdJwt, StatusList, StatusRef, Verified,
    verify,
};

/// 2025-06-01T00:00:00Z.
pub const NOW: i64 = 1_748_736_000;
pub const DAY: i64 = 86_400;
pub const ISS: &str = "https://yici.example.gov.cn/departments/scjg";
pub const STATUS_URI: &str = "https://yici.example.gov.cn/status/scjg/1";
pub const VCT: &str = "https://yici.example.gov.cn/vct/food-business-licence";

/// A deterministic Ed25519 key, different for each `n`.
pub fn key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

pub fn person() -> Identifier {
    Identifier::ResidentId(ResidentId::parse("11010519491231002X").expect("valid resident ID"))
}

pub fn company() -> Identifier {
    Identifier::Uscc(Uscc::parse("91350100M000100Y43").expect("valid USCC"))
}

/// The claims of a food business licence.
pub fn licence_claims() -> Map<String, Value> {
    let Value::Object(map) = json!({
        "licensed": true,
        "licence_no": "JY13302000012345",
        "name": "宁波一次餐饮有限公司",
        "address": "宁波市海曙区中山西路 1 号",
        "valid_until": "2030-05-31",
        "categories": ["热食类食品制售", "冷食类食品制售"],
    }) else {
        unreachable!("a JSON object literal")
    };
    map
}

/// A market-regulation department with a status list of 1024 entries.
pub struct Fixture {
    pub issuer: Issuer,
    pub list: StatusList,
}

impl Fixture {
    pub fn new() -> Self {
        Self {
            issuer: Issuer::new(
                DepartmentCode::parse("scjg").expect("code"),
                ISS,
                KeyRing::new(key(1)),
            ),
            list: StatusList::new(1024).expect("size"),
        }
    }

    pub fn content(&self, holder: Identifier, idx: u64) -> CertificateContent {
        CertificateContent {
            vct: VCT.into(),
            holder,
            claims: licence_claims(),
            iat: NOW - DAY,
            exp: NOW + 365 * DAY,
            status: StatusRef {
                uri: STATUS_URI.into(),
                idx,
            },
        }
    }

    /// A licence for the company at status index `idx`.
    pub fn issue(&self, idx: u64) -> SdJwt {
        self.issuer
            .issue(&self.content(company(), idx), &mut OsRng)
            .expect("issue")
    }

    /// The current status list token, as a verifier would fetch it.
    pub fn status_tokens(&self) -> HashMap<String, String> {
        let token = self
            .list
            .to_jwt(&self.issuer, STATUS_URI, NOW - 60, Some(NOW + DAY));
        HashMap::from([(STATUS_URI.to_owned(), token)])
    }

    pub fn verify_at(&self, presentation: &str, now: i64) -> Result<Verified, CertificateError> {
        verify(
            presentation,
            &self.issuer.metadata(),
            now,
            &self.status_tokens(),
        )
    }

    pub fn verify(&self, presentation: &str) -> Result<Verified, CertificateError> {
        self.verify_at(presentation, NOW)
    }
}

/// The rule of the error, or `"ok"`.
pub fn rule<T>(result: &Result<T, CertificateError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(e) => e.rule(),
    }
}
