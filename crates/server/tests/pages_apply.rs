//! Applying online through the apply page with the documents in the same
//! form: accepted at once when complete, a refused file named beside its
//! input with nothing created or kept, an application without its files
//! waiting with its page saying what is missing.

mod support;

use support::TestApp;
use support::materials;
use support::pages::{case_count, case_state, sign_in, window_fields};

/// The karaoke application's fields as the apply page sends them.
fn apply_fields(app: &TestApp, csrf: &str, idem: &str) -> Vec<(String, String)> {
    let mut fields = vec![("csrf".to_owned(), csrf.to_owned())];
    fields.extend(
        window_fields(app)
            .into_iter()
            .filter(|(k, _)| k.starts_with("form."))
            .chain([("idem".to_owned(), idem.to_owned())]),
    );
    fields
}

#[tokio::test]
async fn an_applicant_applies_online_with_every_file_and_the_case_is_accepted_at_once() {
    let app = TestApp::demo().await;
    // The exchange holds 张三's ID card: it is fetched, never asked for.
    app.seed_records().await;
    let applicant = sign_in(&app, "applicant").await;
    let guide = applicant.get(&app, "/one-things/ot-karaoke").await;
    assert!(guide.body.contains("href=\"/one-things/ot-karaoke/apply\""));
    let page = applicant.get(&app, "/one-things/ot-karaoke/apply").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"form.enterprise.type\""));
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    let brought = materials::karaoke_brought(&app);
    assert_eq!(brought.len(), 12, "the karaoke venue brings 12 materials");
    let inputs: Vec<String> = brought.iter().map(|k| format!("file.{k}")).collect();
    for input in &inputs {
        assert!(page.body.contains(&format!("name=\"{input}\"")), "{input}");
    }
    assert_eq!(
        page.body.matches("type=\"file\"").count(),
        12,
        "no input for what the exchange provides"
    );
    let files: Vec<materials::Part<'_>> = inputs
        .iter()
        .map(|i| (i.as_str(), "材料.pdf", "application/pdf", materials::PDF))
        .collect();
    let fields = apply_fields(&app, &applicant.csrf, "apply-1");
    let r = materials::post_multipart(
        &app,
        "/one-things/ot-karaoke/apply",
        &applicant.cookie,
        &fields,
        &files,
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = r
        .header("location")
        .trim_start_matches("/cases/")
        .to_owned();
    assert_eq!(case_state(&app, &id).await, "accepted");
    let kept = app.store.case_files(&id).await.expect("files");
    assert_eq!(kept.len(), 12);
    let page = applicant.get(&app, &format!("/cases/{id}")).await;
    assert!(!page.body.contains("id=\"awaiting-notice\""));
}

#[tokio::test]
async fn a_refused_file_is_named_beside_its_input_and_nothing_is_created() {
    let app = TestApp::demo().await;
    let applicant = sign_in(&app, "applicant").await;
    let brought = materials::karaoke_brought(&app);
    let (good, bad) = (
        format!("file.{}", brought[0]),
        format!("file.{}", brought[1]),
    );
    let before = case_count(&app).await;
    let fields = apply_fields(&app, &applicant.csrf, "apply-bad");
    let r = materials::post_multipart(
        &app,
        "/one-things/ot-karaoke/apply",
        &applicant.cookie,
        &fields,
        &[
            (&good, "章程.pdf", "application/pdf", materials::PDF),
            (
                &bad,
                "假的.pdf",
                "application/pdf",
                b"<html>not a pdf</html>",
            ),
        ],
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains(&format!("id=\"apply-file-{}-error\"", brought[1])),
        "the refusal is beside its input: {}",
        r.body
    );
    assert!(
        !r.body
            .contains(&format!("id=\"apply-file-{}-error\"", brought[0])),
        "the good file's input has no error"
    );
    // The form's values come back; nothing was created or kept.
    assert!(r.body.contains("name=\"form.enterprise.type\""));
    assert_eq!(case_count(&app).await, before);
    let blobs = materials::files_under(app.documents.path());
    assert!(blobs.is_empty(), "no file kept: {blobs:?}");

    // A forged form stages nothing either.
    let mut forged = fields.clone();
    forged[0].1 = "forged".into();
    let r = materials::post_multipart(
        &app,
        "/one-things/ot-karaoke/apply",
        &applicant.cookie,
        &forged,
        &[(&good, "章程.pdf", "application/pdf", materials::PDF)],
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(case_count(&app).await, before);
    assert!(materials::files_under(app.documents.path()).is_empty());
}

#[tokio::test]
async fn an_application_without_its_files_waits_and_its_page_says_what_is_missing() {
    let app = TestApp::demo().await;
    let applicant = sign_in(&app, "applicant").await;
    let fields: Vec<(String, String)> = window_fields(&app)
        .into_iter()
        .filter(|(k, _)| k.starts_with("form.") || k == "idem")
        .collect();
    let r = applicant
        .post(&app, "/one-things/ot-karaoke/apply", &fields)
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = r
        .header("location")
        .trim_start_matches("/cases/")
        .to_owned();
    assert_eq!(case_state(&app, &id).await, "pre_checked");
    let page = applicant.get(&app, &format!("/cases/{id}?lang=en")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("id=\"awaiting-notice\""),
        "{}",
        page.body
    );
    for key in materials::karaoke_brought(&app) {
        assert!(
            page.body.contains(&format!(
                "id=\"material-{key}\" data-material=\"{key}\" data-missing=\"true\""
            )),
            "{key} is marked missing"
        );
    }
}
