//! Issue and verify throughput of e-certificates, single-threaded.
//!
//! `cargo run --release -p yici-exchange --example cert_bench [N]`
//!
//! Issue: one food business licence of six claims, signed with Ed25519.
//! Verify: a presentation of two of those claims, checked completely
//! (signature, disclosures, times, and the status list token: its signature,
//! decompression and lookup, as a verifier does without a cache).

use std::collections::HashMap;
use std::time::Instant;

use ed25519_dalek::SigningKey;
use rand_core::OsRng;
use serde_json::json;
use yici_core::catalog::DepartmentCode;
use yici_core::identifier::{Identifier, Uscc};
use yici_exchange::certificate::{
    CertificateContent, Issuer, KeyRing, StatusList, StatusRef, present, verify,
};

const NOW: i64 = 1_748_736_000;
const URI: &str = "https://yici.example.gov.cn/status/scjg/1";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u64 = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(20_000);
    let issuer = Issuer::new(
        DepartmentCode::parse("scjg")?,
        "https://yici.example.gov.cn/departments/scjg",
        KeyRing::new(SigningKey::generate(&mut OsRng)),
    );
    let claims = json!({
        "licensed": true,
        "licence_no": "JY13302000012345",
        "name": "宁波一次餐饮有限公司",
        "address": "宁波市海曙区中山西路 1 号",
        "valid_until": "2030-05-31",
        "categories": ["热食类食品制售", "冷食类食品制售"],
    });
    let mut content = CertificateContent {
        vct: "https://yici.example.gov.cn/vct/food-business-licence".into(),
        holder: Identifier::Uscc(Uscc::parse("91350100M000100Y43")?),
        claims: claims.as_object().cloned().unwrap_or_default(),
        iat: NOW - 86_400,
        exp: NOW + 365 * 86_400,
        status: StatusRef {
            uri: URI.into(),
            idx: 0,
        },
    };

    let start = Instant::now();
    let mut last = None;
    for i in 0..n {
        content.status.idx = i % 100_000;
        last = Some(issuer.issue(&content, &mut OsRng)?);
    }
    let issue_secs = start.elapsed().as_secs_f64();
    let sd_jwt = last.ok_or("no certificate issued")?;

    let list = StatusList::new(100_000)?;
    let lookup = HashMap::from([(URI.to_owned(), list.to_jwt(&issuer, URI, NOW, None))]);
    let metadata = issuer.metadata();
    let presentation = present(&sd_jwt, &["licensed", "valid_until"])?.to_string();

    let start = Instant::now();
    for _ in 0..n {
        verify(&presentation, &metadata, NOW, &lookup)?;
    }
    let verify_secs = start.elapsed().as_secs_f64();

    println!(
        "certificates: {n}, presentation {} bytes",
        presentation.len()
    );
    println!("issue:  {:>10.0} /s", n as f64 / issue_secs);
    println!(
        "verify: {:>10.0} /s (status list of 100000 entries, uncached)",
        n as f64 / verify_secs
    );
    Ok(())
}
