//! Materials as files through the API: given by the applicant online or by
//! the clerk at the window, refused by content with the material and the
//! rule named and nothing kept, opened only by those who may see the case,
//! every opening logged; on both backends.

mod support;

use support::materials::{PDF, give, karaoke_brought, karaoke_case, open_file};
use support::{TestApp, assert_problem};

/// The first material of the karaoke plan the applicant brings.
fn brought(app: &TestApp) -> String {
    karaoke_brought(app).remove(0)
}

async fn karaoke(app: &TestApp) -> String {
    let clerk = app.login("clerk").await;
    karaoke_case(app, &clerk).await
}

/// The case's `material_attached` event.
async fn attached_event(app: &TestApp, token: &str, case: &str) -> serde_json::Value {
    let c = app
        .get_as(&format!("/api/v1/cases/{case}"), token)
        .await
        .json();
    c["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "material_attached")
        .cloned()
        .expect("the attaching event")
}

async fn history_kinds(app: &TestApp, token: &str, case: &str) -> Vec<String> {
    let c = app
        .get_as(&format!("/api/v1/cases/{case}"), token)
        .await
        .json();
    c["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

both!(
    a_file_given_online_is_kept_with_its_hash_and_opened_by_whoever_may_see_the_case,
    |app: TestApp| async move {
        let case = karaoke(&app).await;
        let material = brought(&app);
        let applicant = app.login("applicant").await;
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
        let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(PDF));
        assert_eq!(file["sha256"], sha.as_str());
        assert_eq!(file["kind"], "pdf");
        assert_eq!(file["name"], "章程.pdf");

        let clerk = app.login("clerk").await;
        let attached = attached_event(&app, &clerk, &case).await;
        assert_eq!(
            attached["data"]["sha256"],
            sha.as_str(),
            "the hash is in the ledger's event"
        );

        let listed = app
            .get_as(&format!("/api/v1/cases/{case}/files"), &clerk)
            .await;
        assert_eq!(listed.json().as_array().map(Vec::len), Some(1));

        let href = file["href"].as_str().expect("href");
        let (opened, bytes) = open_file(&app, &clerk, href).await;
        assert_eq!(opened.status, 200, "{}", opened.body);
        assert_eq!(opened.content_type(), "application/pdf");
        assert_eq!(bytes, PDF);
        assert!(
            history_kinds(&app, &clerk, &case)
                .await
                .contains(&"material_viewed".to_owned())
        );
        let views = app
            .get_as("/api/v1/me/document-views", &applicant)
            .await
            .json();
        assert_eq!(views["total"], 1);
        assert_eq!(views["items"][0]["viewer"], "u-clerk");

        // The folder holds the sealed file only: not the plaintext.
        let on_disk = std::fs::read(app.documents.path().join("files").join(&sha)).expect("kept");
        assert!(!on_disk.windows(PDF.len()).any(|w| w == PDF));
    }
);

both!(
    a_file_is_refused_by_its_content_naming_the_material_and_rule_and_nothing_is_kept,
    |app: TestApp| async move {
        let case = karaoke(&app).await;
        let material = brought(&app);
        let applicant = app.login("applicant").await;
        let field = format!("materials.{material}");
        let js =
            b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n"
                .to_vec();
        let locked = b"%PDF-1.4\ntrailer << /Root 1 0 R /Encrypt 3 0 R >>\n".to_vec();
        let cases: Vec<(&str, &str, Vec<u8>, &str)> = vec![
            ("a.pdf", "application/pdf", Vec::new(), "empty"),
            (
                "a.pdf",
                "application/pdf",
                b"<html>hello</html>".to_vec(),
                "file_type",
            ),
            (
                "a.docx",
                "application/octet-stream",
                PDF.to_vec(),
                "file_type",
            ),
            ("photo.png", "image/png", PDF.to_vec(), "not_what_it_claims"),
            ("a.pdf", "application/pdf", js, "pdf_javascript"),
            ("a.pdf", "application/pdf", locked, "encrypted"),
            (
                "big.pdf",
                "application/pdf",
                [PDF, &vec![b' '; 20 * 1024 * 1024]].concat(),
                "max_file_bytes",
            ),
        ];
        for (name, media_type, body, rule) in cases {
            let r = give(&app, &applicant, &case, &material, name, media_type, body).await;
            let p = assert_problem(&r, 422, Some(&field));
            assert_eq!(p["errors"][0]["rule"], rule, "{name}: {p}");
        }
        let files = app
            .get_as(&format!("/api/v1/cases/{case}/files"), &applicant)
            .await;
        assert_eq!(files.json().as_array().map(Vec::len), Some(0));
        assert!(
            !history_kinds(&app, &applicant, &case)
                .await
                .contains(&"material_attached".to_owned())
        );
        let kept: Vec<_> = support::materials::files_under(app.documents.path());
        assert!(kept.is_empty(), "nothing kept, nothing staged: {kept:?}");
    }
);

both!(
    only_a_brought_material_takes_files,
    |app: TestApp| async move {
        let case = karaoke(&app).await;
        let applicant = app.login("applicant").await;
        let r = give(
            &app,
            &applicant,
            &case,
            "no-such-material",
            "a.pdf",
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
        let p = assert_problem(&r, 422, Some("materials.no-such-material"));
        assert_eq!(p["errors"][0]["rule"], "unknown_material");
    }
);

both!(
    only_those_who_may_see_the_case_give_list_or_open_its_files,
    |app: TestApp| async move {
        let case = karaoke(&app).await;
        let material = brought(&app);
        let clerk = app.login("clerk").await;
        // The clerk scans it at the window.
        let r = give(
            &app,
            &clerk,
            &case,
            &material,
            "scan.pdf",
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let href = r.json()["href"].as_str().expect("href").to_owned();

        let li = app.login("applicant2").await;
        let r = give(
            &app,
            &li,
            &case,
            &material,
            "a.pdf",
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
        assert_problem(&r, 404, None);
        assert_problem(
            &app.get_as(&format!("/api/v1/cases/{case}/files"), &li)
                .await,
            404,
            None,
        );
        assert_problem(&app.get_as(&href, &li).await, 404, None);
        let supervisor = app.login("supervisor").await;
        let r = give(
            &app,
            &supervisor,
            &case,
            &material,
            "a.pdf",
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
        assert_problem(&r, 403, None);
        assert_eq!(app.get(&href).await.status, 401);
    }
);

both!(
    an_earlier_file_is_offered_again_and_its_reuse_recorded,
    |app: TestApp| async move {
        let material = brought(&app);
        let applicant = app.login("applicant").await;
        let first = karaoke(&app).await;
        let r = give(
            &app,
            &applicant,
            &first,
            &material,
            "章程.pdf",
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let earlier = r.json();
        let second = karaoke(&app).await;
        let offers = |case: String| {
            let (app, token, material) = (&app, applicant.clone(), material.clone());
            async move {
                app.get_as(
                    &format!("/api/v1/cases/{case}/materials/{material}/offers"),
                    &token,
                )
                .await
                .json()
            }
        };
        let offered = offers(second.clone()).await;
        assert_eq!(offered.as_array().map(Vec::len), Some(1), "{offered}");
        assert_eq!(offered[0]["sha256"], earlier["sha256"]);
        assert_eq!(
            offers(first.clone()).await.as_array().map(Vec::len),
            Some(0),
            "the case has it"
        );

        let r = app
            .json(
                "POST",
                &format!("/api/v1/cases/{second}/materials/{material}/reuse"),
                Some(&applicant),
                serde_json::json!({"file": earlier["id"]}),
                &[],
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.json()["sha256"], earlier["sha256"]);
        let attached = attached_event(&app, &applicant, &second).await;
        assert_eq!(
            attached["data"]["reused_from"], earlier["id"],
            "the choice is recorded"
        );

        // Another applicant cannot reuse 张三's file.
        let li = app.login("applicant2").await;
        let r = app
            .json(
                "POST",
                &format!("/api/v1/cases/{second}/materials/{material}/reuse"),
                Some(&li),
                serde_json::json!({"file": earlier["id"]}),
                &[],
            )
            .await;
        assert_problem(&r, 404, None);
    }
);

both!(
    the_clerk_records_that_the_original_was_seen,
    |app: TestApp| async move {
        let case = karaoke(&app).await;
        let clerk = app.login("clerk").await;
        let r = give(
            &app,
            &clerk,
            &case,
            "karaoke_statement",
            "声明.pdf",
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let id = r.json()["id"].as_str().expect("id").to_owned();
        let seen = app
            .json(
                "POST",
                &format!("/api/v1/files/{id}/original-seen"),
                Some(&clerk),
                serde_json::json!({}),
                &[],
            )
            .await;
        assert_eq!(seen.status, 200, "{}", seen.body);
        assert_eq!(seen.json()["original_seen_by"], "u-clerk");
        assert!(
            history_kinds(&app, &clerk, &case)
                .await
                .contains(&"original_seen".to_owned())
        );

        // A material that needs no original shown.
        let material = brought(&app);
        let r = give(
            &app,
            &clerk,
            &case,
            &material,
            "a.pdf",
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
        let other = r.json()["id"].as_str().expect("id").to_owned();
        let r = app
            .json(
                "POST",
                &format!("/api/v1/files/{other}/original-seen"),
                Some(&clerk),
                serde_json::json!({}),
                &[],
            )
            .await;
        assert_eq!(
            assert_problem(&r, 422, Some("file"))["errors"][0]["rule"],
            "original_not_required"
        );
        // Only a clerk records it.
        let applicant = app.login("applicant").await;
        let r = app
            .json(
                "POST",
                &format!("/api/v1/files/{id}/original-seen"),
                Some(&applicant),
                serde_json::json!({}),
                &[],
            )
            .await;
        assert_problem(&r, 403, None);
    }
);

both!(
    a_supplement_is_given_online_without_a_trip_and_the_clock_runs_again,
    |app: TestApp| async move {
        let case = karaoke(&app).await;
        let clerk = app.login("clerk").await;
        assert_eq!(app.accept_new(&clerk, &case).await.status, 200);
        let material = brought(&app);
        // The clerk scanned it at the window (the same day).
        let r = give(
            &app,
            &clerk,
            &case,
            &material,
            "旧章程.pdf",
            "application/pdf",
            [PDF, b"% old\n"].concat(),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
        // A department asks for the material again.
        let reviewer = app.login("reviewer-scjg").await;
        let queue = app
            .get_as("/api/v1/tasks?state=open", &reviewer)
            .await
            .json();
        let task = queue["items"][0]["id"]
            .as_str()
            .expect("an open task")
            .to_owned();
        let r = app
            .json(
                "POST",
                &format!("/api/v1/tasks/{task}/decision"),
                Some(&reviewer),
                serde_json::json!({"outcome": "supplement", "comment": "章程缺页", "materials": [material]}),
                &[],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let asked = r.json();
        assert_eq!(asked["status"], "supplement_requested");
        let trips = asked["trips"].clone();

        // The file given before the request does not answer it, though it
        // was given the same day.
        let applicant = app.login("applicant").await;
        let version = asked["version"].as_u64().expect("version");
        let r = app
            .json(
                "POST",
                &format!("/api/v1/cases/{case}/supplement"),
                Some(&applicant),
                serde_json::json!({"version": version, "at_window": false}),
                &[],
            )
            .await;
        let field = format!("materials.{material}");
        let problem = assert_problem(&r, 422, Some(&field));
        assert_eq!(problem["errors"][0]["rule"], "file_required");

        // The applicant gives the file online and supplements online.
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
        let version = asked["version"].as_u64().expect("version");
        let c = app
            .get_as(&format!("/api/v1/cases/{case}"), &applicant)
            .await
            .json();
        assert_eq!(
            c["version"].as_u64(),
            Some(version),
            "a file changes no state"
        );
        let r = app
            .json(
                "POST",
                &format!("/api/v1/cases/{case}/supplement"),
                Some(&applicant),
                serde_json::json!({"version": version, "at_window": false}),
                &[],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let after = r.json();
        assert_eq!(after["status"], "in_review");
        assert_eq!(after["trips"], trips, "no trip for what travelled online");
        assert!(
            history_kinds(&app, &applicant, &case)
                .await
                .contains(&"task_resumed".to_owned())
        );
    }
);
