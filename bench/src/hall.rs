//! Who takes part in a benchmark's cases: the window clerk, the applicant
//! 张三 (the data subject of the demo's exchange records) and the reviewers
//! of the one-thing's departments, signed in once; and the submission.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::path::Path;

use serde_json::{Value, json};

use crate::client::Client;

/// What every case needs: tokens and the submission body.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The window clerk's bearer token.
    pub clerk: String,
    /// The applicant's (张三, the data subject) bearer token.
    pub applicant: String,
    /// Each department's reviewer token.
    pub reviewers: HashMap<String, String>,
    /// The body of POST /api/v1/cases.
    pub submission: String,
    /// The keys of the materials the plan says the applicant brings.
    pub brought: Vec<String>,
}

/// Signs in a demo user; returns the token.
pub fn login(client: &mut Client, username: &str) -> io::Result<String> {
    let body = json!({"username": username, "password": "demo"}).to_string();
    let v = client.parsed::<Value>("POST", "/api/v1/sessions", None, &[], Some(&body), 201)?;
    v["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| io::Error::other(format!("login {username}: no token")))
}

/// Builds the setup: signs in the clerk, the applicant and the reviewers
/// of the one-thing's departments, and the window submission for 张三 with
/// a valid value for every field of its merged form (the same values as
/// `crates/server/tests/support::form_for`).
pub fn setup(addr: SocketAddr, catalog_dir: &Path, one_thing: &str) -> io::Result<Setup> {
    let catalog =
        yici_catalog::load_dir(catalog_dir).map_err(|e| io::Error::other(e.to_string()))?;
    let plan = yici_catalog::plan(&catalog, one_thing)
        .map_err(|e| io::Error::other(format!("plan {one_thing}: {e}")))?;
    let form = form_for(&plan.form);
    let submission = json!({
        "one_thing": one_thing,
        "channel": "window",
        "applicant": {"kind": "person", "resident_id": zhang_san(), "name": "张三", "region": "330212"},
        "form": form,
    })
    .to_string();
    let mut departments: Vec<String> = plan
        .stages
        .iter()
        .flat_map(|s| s.tasks.iter().map(|t| t.department.to_string()))
        .collect();
    departments.sort();
    departments.dedup();
    let mut client = Client::connect(addr)?;
    let clerk = login(&mut client, "clerk")?;
    let applicant = login(&mut client, "applicant")?;
    let mut reviewers = HashMap::new();
    for d in departments {
        let token = login(&mut client, &format!("reviewer-{d}"))?;
        reviewers.insert(d, token);
    }
    Ok(Setup {
        clerk,
        applicant,
        reviewers,
        submission,
        brought: plan
            .materials
            .bring
            .iter()
            .map(|m| m.key.to_string())
            .collect(),
    })
}

fn zhang_san() -> String {
    yici_service::demo::resident_id("33021219900307001")
}

/// A valid value for every field of a merged form.
fn form_for(form: &yici_catalog::plan::Form) -> Value {
    use yici_core::catalog::FieldType;
    let mut map = serde_json::Map::new();
    for f in &form.fields {
        let v = match &f.field.field_type {
            FieldType::Text {
                pattern: Some(_), ..
            } => json!("6222021234567890123"),
            FieldType::Text { .. } => json!("宁波欢唱KTV"),
            FieldType::Number { min, .. } => json!(min.unwrap_or(0).max(1)),
            FieldType::Date => json!("2026-10-01"),
            FieldType::ResidentId => json!(zhang_san()),
            FieldType::Uscc => json!(yici_service::demo::uscc("330212", "MA2H7K3L")),
            FieldType::Phone => json!("13812345678"),
            FieldType::Region => json!("330212"),
            FieldType::Bool => json!(true),
            FieldType::Choice { options } => json!(options[0]),
        };
        map.insert(f.field.key.to_string(), v);
    }
    Value::Object(map)
}
