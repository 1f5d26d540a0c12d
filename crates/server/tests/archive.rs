//! The case file (电子档案) through the API: a closed case exported whole
//! as one ZIP and checked offline, a changed entry found; on both backends.

mod support;

use support::materials::{PDF, give, karaoke_brought, karaoke_case, open_file};
use support::{TestApp, assert_problem};

both!(
    a_closed_cases_file_is_exported_whole_and_a_changed_entry_is_found,
    |app: TestApp| async move {
        let clerk = app.login("clerk").await;
        let case = karaoke_case(&app, &clerk).await;
        let material = karaoke_brought(&app).remove(0);
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
        let sha = r.json()["sha256"].as_str().expect("sha").to_owned();
        let clerk = app.login("clerk").await;
        let uri = format!("/api/v1/cases/{case}/archive");
        // An open case has no case file yet.
        assert_problem(&app.get_as(&uri, &clerk).await, 409, None);
        let r = app
            .json(
                "POST",
                &format!("/api/v1/cases/{case}/withdraw"),
                Some(&applicant),
                serde_json::json!({"version": 1, "reason": "改日再办"}),
                &[],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let (reply, bytes) = open_file(&app, &clerk, &uri).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.content_type(), "application/zip");
        let (manifest, findings) =
            yici_materials::archive::check_entries(std::io::Cursor::new(bytes.clone()))
                .expect("a package");
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(manifest.case_id, case);
        let paths: Vec<&str> = manifest.entries.iter().map(|e| e.path.as_str()).collect();
        for p in [
            "case.json",
            "form.json",
            "events.json",
            "receipts.json",
            "files.json",
        ] {
            assert!(paths.contains(&p), "{p} in {paths:?}");
        }
        assert!(paths.contains(&format!("files/{sha}.pdf").as_str()));
        assert_problem(
            &app.get_as(&uri, &app.login("applicant2").await).await,
            404,
            None,
        );

        // The same package with one entry changed is found out.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for i in 0..zip.len() {
            let mut e = zip.by_index(i).expect("entry");
            let name = e.name().expect("name").into_owned();
            let mut content = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut content).expect("read");
            if name == "form.json" {
                content = b"{\"forged\": true}".to_vec();
            }
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("start");
            std::io::Write::write_all(&mut out, &content).expect("write");
        }
        let forged = out.finish().expect("zip").into_inner();
        let (_, findings) = yici_materials::archive::check_entries(std::io::Cursor::new(forged))
            .expect("a package");
        assert_eq!(findings.len(), 1);
        assert_eq!(
            (findings[0].path.as_str(), findings[0].kind),
            ("form.json", "changed")
        );
    }
);
