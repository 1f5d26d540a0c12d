//! The ledger through the API: heads, proofs and receipts that verify with
//! the RFC 9162 algorithms and the published key, on both backends.

mod support;

use support::{TestApp, assert_problem};
use yici_ledger::{
    Hash, Leaf, Receipt, SignedTreeHead, VerifyingKey, verify_consistency, verify_inclusion,
};

fn hash(v: &serde_json::Value) -> Hash {
    hex::decode(v.as_str().expect("hex"))
        .expect("hex")
        .try_into()
        .expect("32 bytes")
}

async fn public_key(app: &TestApp) -> VerifyingKey {
    let k = app.get("/.well-known/yici-ledger-key").await.json();
    let bytes: [u8; 32] = hex::decode(k["public_key"].as_str().expect("key"))
        .expect("hex")
        .try_into()
        .expect("32 bytes");
    VerifyingKey::from_bytes(&bytes).expect("key")
}

both!(
    head_covers_every_event_and_is_signed,
    |app: TestApp| async move {
        let clerk = app.login("clerk").await;
        let id = submit(&app, &clerk).await;
        let events = app
            .get_as(&format!("/api/v1/cases/{id}"), &clerk)
            .await
            .json()["events"]
            .as_array()
            .expect("events")
            .len();
        let head: SignedTreeHead =
            serde_json::from_str(&app.get("/api/v1/ledger/head").await.body).expect("head");
        assert_eq!(head.tree_head.size, events as u64);
        head.verify(&public_key(&app).await)
            .expect("signed by the published key");
    }
);

both!(
    inclusion_and_consistency_proofs_verify,
    |app: TestApp| async move {
        let clerk = app.login("clerk").await;
        submit(&app, &clerk).await;
        let first: SignedTreeHead =
            serde_json::from_str(&app.get("/api/v1/ledger/head").await.body).expect("head");
        submit(&app, &clerk).await;
        let second: SignedTreeHead =
            serde_json::from_str(&app.get("/api/v1/ledger/head").await.body).expect("head");
        assert!(second.tree_head.size > first.tree_head.size);
        let size = second.tree_head.size;
        for leaf in 0..size {
            let p = app
                .get(&format!(
                    "/api/v1/ledger/proof/inclusion?leaf={leaf}&size={size}"
                ))
                .await
                .json();
            let proof: Vec<Hash> = p["proof"]
                .as_array()
                .expect("proof")
                .iter()
                .map(hash)
                .collect();
            verify_inclusion(
                leaf,
                size,
                &hash(&p["leaf_hash"]),
                &proof,
                &second.tree_head.root_hash,
            )
            .expect("inclusion");
        }
        let c = app
            .get(&format!(
                "/api/v1/ledger/proof/consistency?from={}&to={size}",
                first.tree_head.size
            ))
            .await
            .json();
        let proof: Vec<Hash> = c["proof"]
            .as_array()
            .expect("proof")
            .iter()
            .map(hash)
            .collect();
        verify_consistency(
            first.tree_head.size,
            size,
            &first.tree_head.root_hash,
            &second.tree_head.root_hash,
            &proof,
        )
        .expect("the later head extends the earlier one");
    }
);

both!(
    applicant_receipt_verifies_against_the_event_itself,
    |app: TestApp| async move {
        let clerk = app.login("clerk").await;
        let id = submit(&app, &clerk).await;
        let applicant = app.login("applicant").await;
        let reply = app
            .get_as(&format!("/api/v1/cases/{id}/receipts"), &applicant)
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let receipts = reply.json();
        let first = &receipts.as_array().expect("receipts")[0];
        assert_eq!(first["kind"], "submitted");
        let receipt: Receipt = serde_json::from_value(first["receipt"].clone()).expect("receipt");
        // A third party recomputes the leaf from the event: canonical JSON.
        let mut canonical = String::new();
        yici_store::ledger::canonical_json(&first["event"], &mut canonical);
        let trace = receipt
            .verify(Leaf::Data(canonical.as_bytes()), &public_key(&app).await)
            .expect("receipt verifies");
        assert!(trace.matches());
        let other = app.login("applicant2").await;
        assert_problem(
            &app.get_as(&format!("/api/v1/cases/{id}/receipts"), &other)
                .await,
            404,
            None,
        );
    }
);

#[tokio::test]
async fn proof_parameters_are_checked() {
    let app = TestApp::demo().await;
    assert_problem(
        &app.get("/api/v1/ledger/proof/inclusion?size=1").await,
        422,
        Some("leaf"),
    );
    assert_problem(
        &app.get("/api/v1/ledger/proof/inclusion?leaf=x&size=1")
            .await,
        422,
        Some("leaf"),
    );
    assert_problem(
        &app.get("/api/v1/ledger/proof/inclusion?leaf=5&size=1")
            .await,
        422,
        None,
    );
    assert_problem(
        &app.get("/api/v1/ledger/proof/consistency?from=3&to=1")
            .await,
        422,
        Some("from"),
    );
}

/// Percent-encodes a form value (RFC 3986 unreserved characters kept).
fn form_value(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn verify_page(app: &TestApp, receipt: &str, event: &str) -> support::Reply {
    let body = format!(
        "receipt={}&event={}",
        form_value(receipt),
        form_value(event)
    );
    app.send(
        axum::http::Request::post("/ledger/verify")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(body))
            .expect("request"),
    )
    .await
}

#[tokio::test]
async fn public_page_verifies_a_pasted_receipt_step_by_step() {
    let app = TestApp::demo().await;
    let clerk = app.login("clerk").await;
    let id = submit(&app, &clerk).await;
    let receipts = app
        .get_as(&format!("/api/v1/cases/{id}/receipts"), &clerk)
        .await
        .json();
    let receipt = receipts[0]["receipt"].to_string();
    let event = receipts[0]["event"].to_string();
    let page = verify_page(&app, &receipt, &event).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-valid=\"true\""), "{}", page.body);
    // A changed event no longer matches its receipt.
    let forged = event.replace("submitted", "rejected");
    let page = verify_page(&app, &receipt, &forged).await;
    assert!(page.body.contains("data-valid=\"false\""));
    // Garbage is an error beside the field, not a 500.
    let page = verify_page(&app, "not json", "").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"receipt-error\""));
}

async fn submit(app: &TestApp, clerk: &str) -> String {
    support::window_karaoke(app, clerk, None).await["id"]
        .as_str()
        .expect("id")
        .to_owned()
}
