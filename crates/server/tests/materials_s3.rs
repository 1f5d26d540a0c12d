//! The materials' whole path with the documents on S3 (a real SeaweedFS,
//! started per test by the service's fixture, which these tests share):
//! a file given online is kept sealed under its hash in the bucket and
//! opens to itself, a refused one leaves nothing, the closed case's file
//! exports with it, and the retention worker deletes it from the bucket;
//! on both databases.

#[path = "../../service/tests/support/mod.rs"]
mod weed;

mod support;

use serde_json::json;
use support::materials::{PDF, give, karaoke_brought, karaoke_case, open_file};
use support::{TestApp, assert_problem};
use time::OffsetDateTime;
use time::macros::datetime;
use yici_service::Clock;
use yici_service::workers::retention_pass;

const START: OffsetDateTime = datetime!(2026-10-08 09:00 +08:00);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let weed = weed::Weed::start().await;
    let clock = Clock::fixed(START);
    let (store, dir) = support::sqlite_store().await;
    let app = TestApp::with_blobs(store, clock.clone(), weed.blobs(), Some(dir)).await;
    materials_travel_through_s3(app, clock, &weed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    let weed = weed::Weed::start().await;
    let clock = Clock::fixed(START);
    let app =
        TestApp::with_blobs(support::pg_store().await, clock.clone(), weed.blobs(), None).await;
    materials_travel_through_s3(app, clock, &weed).await;
}

async fn materials_travel_through_s3(app: TestApp, clock: Clock, weed: &weed::Weed) {
    let bucket = weed.blobs();
    let clerk = app.login("clerk").await;
    let applicant = app.login("applicant").await;
    let case = karaoke_case(&app, &clerk).await;
    let material = karaoke_brought(&app).remove(0);

    // Given online: kept in the bucket under its hash, sealed.
    let r = give(
        &app,
        &applicant,
        &case,
        &material,
        "章程.pdf",
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let file = r.json();
    let sha = file["sha256"].as_str().expect("sha").to_owned();
    assert_eq!(bucket.keys().await.expect("keys"), [format!("files/{sha}")]);

    // Opened by whoever may see the case, to itself.
    let (opened, bytes) = open_file(&app, &clerk, file["href"].as_str().expect("href")).await;
    assert_eq!(opened.status, 200, "{}", opened.body);
    assert_eq!(bytes, PDF);

    // Refused by content: nothing reaches the bucket, staged or kept.
    let r = give(
        &app,
        &applicant,
        &case,
        &material,
        "假.pdf",
        "application/pdf",
        b"<html></html>".to_vec(),
    )
    .await;
    assert_problem(&r, 422, Some(&format!("materials.{material}")));
    assert_eq!(bucket.keys().await.expect("keys").len(), 1);

    // Closed, its case file carries the document.
    let r = app
        .json(
            "POST",
            &format!("/api/v1/cases/{case}/withdraw"),
            Some(&applicant),
            json!({"version": 1, "reason": "改日再办"}),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (archive, zip) = open_file(&app, &clerk, &format!("/api/v1/cases/{case}/archive")).await;
    assert_eq!(archive.status, 200, "{}", archive.body);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a ZIP");
    assert!(zip.by_name(&format!("files/{sha}.pdf")).is_ok());

    // Past its retention the worker deletes it from the bucket.
    assert_eq!(
        retention_pass(app.service(), 10)
            .await
            .expect("pass")
            .scheduled,
        1
    );
    clock.set(datetime!(2056-10-09 09:00 +08:00));
    assert_eq!(
        retention_pass(app.service(), 10)
            .await
            .expect("pass")
            .deleted,
        1
    );
    assert!(bucket.keys().await.expect("keys").is_empty());
}
