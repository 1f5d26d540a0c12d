//! The materials on the pages: a file given on the case page (a refusal
//! beside its field, a forged form refused), the clerk records on the case page that the
//! original paper was seen, a file opens inline for whoever may see the
//! case, and the applicant's /my/reads lists every opening of their
//! documents beside every read of their data. On both backends.

mod support;

use axum::body::Body;
use axum::http::Request;
use support::materials::{PDF, give, karaoke_case};
use support::{Reply, TestApp};

/// A signed-in page session: its cookie and its forms' CSRF token.
async fn session(app: &TestApp, username: &str) -> (String, String) {
    let token = app.page_session(username).await;
    (
        format!("yici_session={token}"),
        yici_server::pages::csrf_token(&token),
    )
}

async fn page(app: &TestApp, uri: &str, cookie: &str) -> Reply {
    app.get_with(uri, "cookie", cookie).await
}

/// Posts a form carrying only the CSRF token (hex, nothing to encode).
async fn press(app: &TestApp, uri: &str, cookie: &str, csrf: &str) -> Reply {
    app.send(
        Request::post(uri)
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!("csrf={csrf}")))
            .expect("request"),
    )
    .await
}

both!(
    the_clerk_records_the_original_seen_on_the_case_page,
    |app: TestApp| async move {
        let clerk = app.login("clerk").await;
        let case = karaoke_case(&app, &clerk).await;
        // 承诺书 must be shown in the original.
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
        let file = r.json()["id"].as_str().expect("id").to_owned();
        let button = format!("id=\"seen-{file}\"");
        let action = format!("/cases/{case}/files/{file}/original-seen");

        // The applicant sees the file, inline, but no such button.
        let (applicant_cookie, applicant_csrf) = session(&app, "applicant").await;
        let shown = page(&app, &format!("/cases/{case}"), &applicant_cookie).await;
        assert_eq!(shown.status, 200);
        assert!(
            shown.body.contains(&format!("/api/v1/files/{file}")),
            "the file opens inline"
        );
        assert!(!shown.body.contains(&button));
        let r = press(&app, &action, &applicant_cookie, &applicant_csrf).await;
        assert_eq!(r.status, 403, "{}", r.body);

        let (cookie, csrf) = session(&app, "clerk").await;
        let shown = page(&app, &format!("/cases/{case}?lang=en"), &cookie).await;
        assert!(
            shown.body.contains(&button),
            "the clerk is offered the button"
        );
        assert!(shown.body.contains(&format!("action=\"{action}\"")));
        // A forged form records nothing.
        let r = press(&app, &action, &cookie, "forged").await;
        assert_eq!(r.status, 403, "{}", r.body);
        let r = press(&app, &action, &cookie, &csrf).await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(r.header("location"), format!("/cases/{case}#materials"));
        let files = app.store.case_files(&case).await.expect("files");
        let seen = files.iter().find(|f| f.id == file).expect("the file");
        assert_eq!(seen.original_seen_by.as_deref(), Some("u-clerk"));
        let shown = page(&app, &format!("/cases/{case}?lang=en"), &cookie).await;
        assert!(!shown.body.contains(&button), "recorded once");
        assert!(shown.body.contains(">original seen<"), "{}", shown.body);
    }
);

both!(
    my_reads_lists_who_opened_my_documents,
    |app: TestApp| async move {
        let clerk = app.login("clerk").await;
        let case = karaoke_case(&app, &clerk).await;
        let (cookie, _) = session(&app, "applicant").await;
        let empty = page(&app, "/my/reads?lang=en", &cookie).await;
        assert_eq!(empty.status, 200);
        assert!(empty.body.contains("id=\"no-views\""));

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
        let href = r.json()["href"].as_str().expect("href").to_owned();
        let opened = app.get_as(&href, &clerk).await;
        assert_eq!(opened.status, 200);

        for lang in ["zh", "en"] {
            let shown = page(&app, &format!("/my/reads?lang={lang}"), &cookie).await;
            assert_eq!(shown.status, 200);
            assert_eq!(
                shown.body.matches("<tr class=\"view\">").count(),
                1,
                "{}",
                shown.body
            );
            assert!(shown.body.contains("u-clerk"));
            assert!(shown.body.contains("<td>声明.pdf</td>"), "which document");
            assert!(shown.body.contains(&format!("href=\"/cases/{case}\"")));
        }
        // The page is the applicant's own: a clerk has none.
        let (clerk_cookie, _) = session(&app, "clerk").await;
        let r = page(&app, "/my/reads", &clerk_cookie).await;
        assert_eq!(r.status, 403, "{}", r.body);
    }
);

both!(
    an_earlier_file_is_offered_on_the_case_page_and_given_again,
    |app: TestApp| async move {
        let clerk = app.login("clerk").await;
        let applicant = app.login("applicant").await;
        let material = support::materials::karaoke_brought(&app).remove(0);
        // 张三 gave his articles of association in an earlier case.
        let earlier = karaoke_case(&app, &clerk).await;
        let r = give(
            &app,
            &applicant,
            &earlier,
            &material,
            "章程.pdf",
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let offered = r.json()["id"].as_str().expect("id").to_owned();
        let case = karaoke_case(&app, &clerk).await;

        let (cookie, csrf) = session(&app, "applicant").await;
        let shown = page(&app, &format!("/cases/{case}"), &cookie).await;
        let button = format!("id=\"reuse-{offered}\"");
        assert!(
            shown.body.contains(&button),
            "offered again: {}",
            shown.body
        );
        // The clerk's page offers nothing: reuse is the applicant's choice.
        let (clerk_cookie, _) = session(&app, "clerk").await;
        let at_window = page(&app, &format!("/cases/{case}"), &clerk_cookie).await;
        assert!(!at_window.body.contains(&button));

        let uri = format!("/cases/{case}/materials/{material}/reuse");
        let forged = app
            .send(
                Request::post(&uri)
                    .header("cookie", &cookie)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(format!("csrf=forged&file={offered}")))
                    .expect("request"),
            )
            .await;
        assert_eq!(forged.status, 403, "{}", forged.body);
        let r = app
            .send(
                Request::post(&uri)
                    .header("cookie", &cookie)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(format!("csrf={csrf}&file={offered}")))
                    .expect("request"),
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(
            r.header("location"),
            format!("/cases/{case}#material-{material}")
        );
        let files = app.store.case_files(&case).await.expect("files");
        assert_eq!(files.len(), 1);
        assert_eq!(
            files[0].reused_from.as_deref(),
            Some(offered.as_str()),
            "the choice is recorded"
        );
        // Given, it is no longer offered.
        let shown = page(&app, &format!("/cases/{case}"), &cookie).await;
        assert!(!shown.body.contains(&button));
    }
);

/// A page's multipart form: the CSRF token, then the file.
fn multipart(csrf: &str, name: &str, media_type: &str, content: &[u8]) -> (String, Vec<u8>) {
    support::materials::multipart(
        &[("csrf".to_owned(), csrf.to_owned())],
        &[("file", name, media_type, content)],
    )
}

async fn post_page_file(
    app: &TestApp,
    session: &str,
    uri: &str,
    name: &str,
    content: &[u8],
) -> Reply {
    let csrf = yici_server::pages::csrf_token(session);
    let (content_type, body) = multipart(&csrf, name, "application/pdf", content);
    app.send(
        Request::post(uri)
            .header("cookie", format!("yici_session={session}"))
            .header("content-type", content_type)
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

both!(
    the_case_page_takes_a_file_and_shows_it_and_a_refusal_beside_its_field,
    |app: TestApp| async move {
        let clerk = app.login("clerk").await;
        let case = karaoke_case(&app, &clerk).await;
        let material = support::materials::karaoke_brought(&app).remove(0);
        let session = app.page_session("applicant").await;
        let page = app
            .get_with(
                &format!("/cases/{case}"),
                "cookie",
                &format!("yici_session={session}"),
            )
            .await;
        assert_eq!(page.status, 200);
        assert!(
            page.body
                .contains(&format!("action=\"/cases/{case}/materials/{material}\""))
        );
        let uri = format!("/cases/{case}/materials/{material}");
        let r = post_page_file(&app, &session, &uri, "章程.pdf", PDF).await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(r.header("location"), format!("/cases/{case}#materials"));
        let page = app
            .get_with(
                &format!("/cases/{case}"),
                "cookie",
                &format!("yici_session={session}"),
            )
            .await;
        assert!(page.body.contains("章程.pdf"), "the file is listed");
        assert!(page.body.contains("/api/v1/files/"));

        let r = post_page_file(&app, &session, &uri, "网页.pdf", b"<html></html>").await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(
            r.body.contains(&format!("id=\"file-{material}-error\"")),
            "beside its field"
        );
        // A form without the session's token writes nothing.
        let (content_type, body) = multipart("forged", "章程.pdf", "application/pdf", PDF);
        let r = app
            .send(
                Request::post(&uri)
                    .header("cookie", format!("yici_session={session}"))
                    .header("content-type", content_type)
                    .body(Body::from(body))
                    .expect("request"),
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        let files = app.store.case_files(&case).await.expect("files");
        assert_eq!(files.len(), 1);
    }
);
