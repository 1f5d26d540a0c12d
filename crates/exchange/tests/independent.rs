//! Independent check: our SD-JWT VC presentations and status lists, verified
//! by an implementation we did not write (the @sd-jwt npm packages, driven by
//! `tests/independent/verify.mjs`), and by ours on the very same inputs.
//!
//! Needs `node` and the packages installed by `scripts/setup`
//! (`npm ci --prefix crates/exchange/tests/independent`).

#[path = "certificate/fixture.rs"]
#[allow(dead_code)]
mod fixture;

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fixture::{DAY, Fixture, ISS, NOW, STATUS_URI, VCT, company, key, person};
use rand_core::OsRng;
use serde_json::{Map, Value, json};
use yici_core::catalog::DepartmentCode;
use yici_exchange::certificate::{Issuer, KeyRing, SdJwt, Status, present, verify};

fn independent_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/independent")
}

/// One case for verify.mjs, and what our own verifier must say about it.
struct Case {
    name: &'static str,
    presentation: String,
    now: i64,
    idx: u64,
    outcome: &'static str,
    disclosed: Option<Map<String, Value>>,
    sub: String,
    /// What @sd-jwt/jwt-status-list alone reads at `idx`: 0, 1, 2 or "out_of_range".
    list_status: Option<Value>,
}

fn pick(claims: &Map<String, Value>, names: &[&str]) -> Map<String, Value> {
    names
        .iter()
        .map(|n| ((*n).to_owned(), claims[*n].clone()))
        .collect()
}

/// Our verifier's rule for each outcome name verify.mjs reports.
fn our_rule(outcome: &str) -> &'static str {
    match outcome {
        "valid" => "ok",
        "revoked" => "revoked",
        "suspended" => "suspended",
        "tampered" => "tampered_disclosure",
        "unknown_key" => "unknown_key",
        "bad_signature" => "bad_signature",
        "expired" => "expired",
        "out_of_range" => "status_index_out_of_range",
        _ => "unexpected outcome",
    }
}

fn valid(name: &'static str, sd_jwt: &SdJwt, disclose: &[&str], idx: u64, sub: &str) -> Case {
    let presentation = present(sd_jwt, disclose).expect("present").to_string();
    let all: Map<String, Value> = sd_jwt
        .disclosures
        .iter()
        .map(|d| (d.name.clone(), d.value.clone()))
        .collect();
    Case {
        name,
        presentation,
        now: NOW,
        idx,
        outcome: "valid",
        disclosed: Some(pick(&all, disclose)),
        sub: sub.to_owned(),
        list_status: Some(json!(0)),
    }
}

fn cases(f: &mut Fixture) -> Vec<Case> {
    // Signed before a key rotation: must still verify afterwards.
    let old = f.issue(1);
    f.issuer.keys_mut().rotate(key(2));

    let licence = f.issue(2);
    let mut health = f.content(person(), 3);
    health.vct = "https://yici.example.gov.cn/vct/health-certificate".into();
    health.claims = json!({"name": "张三", "occupation": "食品从业人员", "fit_for_work": true})
        .as_object()
        .cloned()
        .unwrap_or_default();
    let health = f.issuer.issue(&health, &mut OsRng).expect("issue");
    let revoked = f.issue(4);
    let suspended = f.issue(5);
    let out_of_range = f.issue(5000);
    f.list.set(4, Status::Revoked).expect("set");
    f.list.set(5, Status::Suspended).expect("set");

    let impostor = Issuer::new(
        DepartmentCode::parse("scjg").expect("code"),
        ISS,
        KeyRing::new(key(9)),
    );
    let forged = impostor
        .issue(&f.content(company(), 6), &mut OsRng)
        .expect("issue");

    let mut tampered_array: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(&licence.disclosures[0].encoded)
            .expect("b64"),
    )
    .expect("json");
    tampered_array[2] = json!("forged value");
    let tampered = format!(
        "{}~{}~",
        licence.jwt,
        URL_SAFE_NO_PAD.encode(tampered_array.to_string())
    );

    let mut parts: Vec<String> = licence.jwt.split('.').map(str::to_owned).collect();
    let mut payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).expect("b64")).expect("json");
    payload["exp"] = json!(NOW + 100 * 365 * DAY);
    parts[1] = URL_SAFE_NO_PAD.encode(payload.to_string());
    let bad_signature = format!("{}~", parts.join("."));

    let uscc = company().to_string();
    let all: Vec<&str> = licence.claim_names().collect();
    let error = |name, presentation: String, idx, outcome| Case {
        name,
        presentation,
        now: NOW,
        idx,
        outcome,
        disclosed: None,
        sub: uscc.clone(),
        list_status: None,
    };
    vec![
        valid("all claims", &licence, &all, 2, &uscc),
        valid(
            "licensed and valid until only",
            &licence,
            &["licensed", "valid_until"],
            2,
            &uscc,
        ),
        valid("no claims", &licence, &[], 2, &uscc),
        valid(
            "person, name only",
            &health,
            &["name"],
            3,
            person().as_str(),
        ),
        valid("signed by a retired key", &old, &["licence_no"], 1, &uscc),
        Case {
            list_status: Some(json!(1)),
            ..valid("revoked", &revoked, &["licensed"], 4, &uscc)
        }
        .with_outcome("revoked"),
        Case {
            list_status: Some(json!(2)),
            ..valid("suspended", &suspended, &["name"], 5, &uscc)
        }
        .with_outcome("suspended"),
        error("tampered disclosure", tampered, 2, "tampered"),
        error("unknown key", forged.to_string(), 6, "unknown_key"),
        error("altered payload", bad_signature, 2, "bad_signature"),
        Case {
            now: NOW + 400 * DAY,
            ..error("expired", licence.to_string(), 2, "expired")
        },
        Case {
            list_status: Some(json!("out_of_range")),
            ..error(
                "status index out of range",
                out_of_range.to_string(),
                5000,
                "out_of_range",
            )
        },
    ]
}

impl Case {
    fn with_outcome(mut self, outcome: &'static str) -> Self {
        self.outcome = outcome;
        self
    }
}

#[test]
fn sd_jwt_npm_packages_agree_with_our_verifier() {
    let dir = independent_dir();
    assert!(
        dir.join("node_modules/@sd-jwt/sd-jwt-vc").is_dir(),
        "the @sd-jwt packages are not installed in {}: run scripts/test (scripts/setup runs \
         `npm ci --prefix crates/exchange/tests/independent`)",
        dir.display()
    );

    let mut f = Fixture::new();
    let cases = cases(&mut f);
    let metadata = f.issuer.metadata();
    let status_token = f
        .list
        .to_jwt(&f.issuer, STATUS_URI, NOW - 60, Some(NOW + DAY));
    let lookup = f.status_tokens();

    let mut json_cases = Vec::new();
    for c in &cases {
        let ours = verify(&c.presentation, &metadata, c.now, &lookup);
        let rule = ours.as_ref().map_or_else(|e| e.rule(), |_| "ok");
        assert_eq!(
            rule,
            our_rule(c.outcome),
            "our verifier on case {:?}",
            c.name
        );
        if let (Ok(v), Some(expected)) = (&ours, &c.disclosed) {
            assert_eq!(
                &v.disclosed, expected,
                "our disclosed claims on {:?}",
                c.name
            );
        }
        let vct = if c.sub == company().as_str() {
            VCT
        } else {
            "https://yici.example.gov.cn/vct/health-certificate"
        };
        json_cases.push(json!({
            "name": c.name,
            "presentation": c.presentation,
            "jwks": metadata.jwks,
            "now": c.now,
            "status_uri": STATUS_URI,
            "status_list_token": status_token,
            "status_idx": c.idx,
            "expect": {
                "outcome": c.outcome,
                "disclosed": c.disclosed,
                "iss": ISS,
                "sub": c.sub,
                "vct": vct,
                "list_status": c.list_status,
            },
        }));
    }

    let file =
        std::env::temp_dir().join(format!("yici-exchange-cases-{}.json", std::process::id()));
    std::fs::write(&file, json!({ "cases": json_cases }).to_string()).expect("write cases");
    let output = Command::new("node")
        .arg(dir.join("verify.mjs"))
        .arg(&file)
        .output()
        .expect("run node (is Node.js installed?)");
    let _ = std::fs::remove_file(&file);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "verify.mjs failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains(&format!("{} checked", cases.len())),
        "verify.mjs did not check every case:\n{stdout}"
    );
}
