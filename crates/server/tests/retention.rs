//! Retention (保管期限): a closed case's documents are kept for the longest
//! retention its matters declare, then the retention worker deletes them;
//! each deletion is a `material_deleted` event in the ledger, the file's
//! row and SHA-256 stay, and a matter kept permanently keeps them for good.
//! On both backends.

mod support;

use serde_json::json;
use support::materials::{PDF, files_under, give, give_missing, karaoke_brought, karaoke_case};
use support::{TestApp, withdraw};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use yici_service::Clock;
use yici_service::workers::retention_pass;

const START: OffsetDateTime = datetime!(2026-10-08 09:00 +08:00);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let clock = Clock::fixed(START);
    past_retention_files_are_deleted_and_their_hashes_stay(
        TestApp::sqlite(clock.clone()).await,
        clock,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    let clock = Clock::fixed(START);
    past_retention_files_are_deleted_and_their_hashes_stay(
        TestApp::postgres(clock.clone()).await,
        clock,
    )
    .await;
}

async fn past_retention_files_are_deleted_and_their_hashes_stay(app: TestApp, clock: Clock) {
    // A karaoke case (licences, kept 30 years) with one scan, closed.
    let clerk = app.login("clerk").await;
    let applicant = app.login("applicant").await;
    let karaoke = karaoke_case(&app, &clerk).await;
    let material = karaoke_brought(&app).remove(0);
    let r = give(
        &app,
        &clerk,
        &karaoke,
        &material,
        "章程.pdf",
        "application/pdf",
        // Its own content: a blob another case shares stays while that
        // case keeps it.
        [PDF, b"% karaoke\n"].concat(),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let file = r.json();
    let (file_id, sha) = (
        file["id"].as_str().expect("id").to_owned(),
        file["sha256"].as_str().expect("sha").to_owned(),
    );
    // A start-company case: its housing-fund registration is kept
    // permanently (永久), so its documents are never deleted.
    let enterprise = app.login("enterprise").await;
    let code = yici_core::catalog::OneThingCode::parse("ot-start-company").expect("code");
    let form = support::form_for(&app.plan(&code).form);
    let r = app
        .json(
            "POST",
            "/api/v1/cases",
            Some(&enterprise),
            json!({"one_thing": "ot-start-company", "channel": "online", "form": form}),
            &[],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let company = r.json()["id"].as_str().expect("id").to_owned();
    give_missing(&app, &enterprise, &company).await;
    let company_files = app.store.case_files(&company).await.expect("files").len();
    assert!(company_files > 0);

    // An open case is not scheduled.
    let report = retention_pass(app.service(), 10).await.expect("pass");
    assert_eq!((report.scheduled, report.deleted), (0, 0));
    withdraw(&app, &applicant, &karaoke).await;
    withdraw(&app, &enterprise, &company).await;

    let report = retention_pass(app.service(), 1).await.expect("pass");
    assert_eq!(
        (report.scheduled, report.deleted),
        (2, 0),
        "both scheduled, one at a time"
    );
    let kept = app
        .store
        .retention(&karaoke)
        .await
        .expect("read")
        .expect("set");
    assert_eq!(
        kept.years,
        Some(30),
        "the longest of the karaoke matters' retentions"
    );
    let permanent = app
        .store
        .retention(&company)
        .await
        .expect("read")
        .expect("set");
    assert_eq!((permanent.years, permanent.delete_after_ms), (None, None));

    // A day before the thirty years end, nothing goes.
    clock.set(datetime!(2056-10-07 09:00 +08:00));
    let report = retention_pass(app.service(), 10).await.expect("pass");
    assert_eq!((report.scheduled, report.deleted), (0, 0));
    let blobs = files_under(app.documents.path()).len();

    // Thirty years and a day after it closed, the scan goes.
    clock.set(datetime!(2056-10-09 09:00 +08:00));
    let report = retention_pass(app.service(), 10).await.expect("pass");
    assert_eq!(report.deleted, 1);
    assert_eq!(
        files_under(app.documents.path()).len(),
        blobs - 1,
        "the sealed content is gone"
    );
    // Its row and hash stay; fetching it says why it is gone. (Thirty
    // years on, everyone signs in again.)
    let applicant = app.login("applicant").await;
    let clerk = app.login("clerk").await;
    let files = app
        .get_as(&format!("/api/v1/cases/{karaoke}/files"), &applicant)
        .await
        .json();
    let row = files
        .as_array()
        .expect("items")
        .iter()
        .find(|f| f["id"] == file_id.as_str())
        .cloned()
        .expect("the file's row");
    assert_eq!(row["sha256"], sha.as_str());
    assert_eq!(row["deleted"], true, "{row}");
    let r = app
        .get_as(&format!("/api/v1/files/{file_id}"), &applicant)
        .await;
    support::assert_problem(&r, 409, None);
    // The deletion is an event of the case, in the ledger like any other.
    let case = app
        .get_as(&format!("/api/v1/cases/{karaoke}"), &clerk)
        .await
        .json();
    let deleted = case["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "material_deleted")
        .cloned()
        .expect("a material_deleted event");
    assert_eq!(deleted["data"]["sha256"], sha.as_str());
    assert_eq!(deleted["data"]["retention_years"], 30);
    assert_eq!(deleted["actor"], "system");
    let receipts = app
        .get_as(&format!("/api/v1/cases/{karaoke}/receipts"), &applicant)
        .await
        .json();
    let kinds: Vec<&str> = receipts
        .as_array()
        .expect("receipts")
        .iter()
        .map(|r| r["kind"].as_str().expect("kind"))
        .collect();
    assert!(kinds.contains(&"material_attached"), "{kinds:?}");
    let receipt = receipts
        .as_array()
        .expect("receipts")
        .iter()
        .find(|r| r["kind"] == "material_deleted")
        .expect("a receipt covers the deletion");
    assert_eq!(receipt["event"]["data"]["sha256"], sha.as_str());

    // A second pass finds nothing; the permanent case keeps everything.
    clock.set(START + Duration::days(365 * 100));
    let report = retention_pass(app.service(), 10).await.expect("pass");
    assert_eq!((report.scheduled, report.deleted), (0, 0));
    let live = app
        .store
        .case_files(&company)
        .await
        .expect("files")
        .iter()
        .filter(|f| f.deleted_ms.is_none())
        .count();
    assert_eq!(live, company_files);
}
