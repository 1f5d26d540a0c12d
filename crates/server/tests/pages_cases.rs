//! The case-handling pages: signing in, the role gate, CSRF, the window's
//! two-step application and its actions, the reviewer's queue and
//! decisions, the applicant's progress page, and bad input shown beside
//! its field with nothing written. The browser test
//! tests/browser/case-flow.test.mjs walks the same pages in Chromium.

mod support;

use support::pages::{
    case_count, case_state, encode, pairs, post, sign_in, window_case, window_fields, with,
};
use support::{TestApp, zhang_san};

#[tokio::test]
async fn login_sets_an_http_only_session_cookie_and_lands_on_the_role_page() {
    let app = TestApp::demo().await;
    let r = post(
        &app,
        "/login",
        None,
        &pairs(&[("username", "clerk"), ("password", "demo")]),
    )
    .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), "/work/window");
    let cookie = r.header("set-cookie");
    for part in ["yici_session=", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(part), "{part} missing in {cookie}");
    }
    let clerk = sign_in(&app, "clerk").await;
    let page = clerk.get(&app, "/work/window").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("王芳"), "the header names the user");
    assert!(page.body.contains("action=\"/logout\""));
}

#[tokio::test]
async fn wrong_password_is_shown_beside_the_field_without_a_cookie() {
    let app = TestApp::demo().await;
    let r = post(
        &app,
        "/login",
        None,
        &pairs(&[("username", "clerk"), ("password", "wrong")]),
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"password-error\""), "{}", r.body);
    assert!(r.body.contains("用户名或密码错误"));
    assert!(r.headers.get("set-cookie").is_none());
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::demo().await;
    let clerk = sign_in(&app, "clerk").await;
    let r = clerk.post(&app, "/logout", &[]).await;
    assert_eq!(r.status, 303);
    assert!(r.header("set-cookie").contains("Max-Age=0"));
    let again = clerk.get(&app, "/work/window").await;
    assert_eq!(again.status, 303, "the old cookie no longer works");
}

#[tokio::test]
async fn a_page_needing_a_role_redirects_to_login_when_signed_out() {
    let app = TestApp::demo().await;
    for (path, next) in [
        ("/work/window", "/work/window"),
        ("/my/cases", "/my/cases"),
        ("/work/queue", "/work/queue"),
        ("/work/overview", "/work/overview"),
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status, 303, "{path}");
        assert_eq!(r.header("location"), format!("/login?next={next}"));
    }
}

#[tokio::test]
async fn a_page_of_another_role_is_forbidden() {
    let app = TestApp::demo().await;
    let applicant = sign_in(&app, "applicant").await;
    let r = applicant.get(&app, "/work/queue").await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("无权操作"));
}

#[tokio::test]
async fn a_form_without_the_csrf_token_is_refused_and_writes_nothing() {
    let app = TestApp::demo().await;
    let clerk = sign_in(&app, "clerk").await;
    let r = post(
        &app,
        "/work/window/new",
        Some(&clerk.cookie),
        &window_fields(&app),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let mut forged = vec![("csrf".to_owned(), "0".repeat(64))];
    forged.extend(window_fields(&app));
    let r = post(&app, "/work/window/new", Some(&clerk.cookie), &forged).await;
    assert_eq!(r.status, 403);
    assert_eq!(case_count(&app).await, 0);
}

#[tokio::test]
async fn the_clerk_submits_at_the_window_through_the_form_and_accepts() {
    let app = TestApp::demo().await;
    let clerk = sign_in(&app, "clerk").await;
    let step2 = clerk
        .get(
            &app,
            &format!(
                "/work/window/new?target=ot-karaoke&kind=person&id={}&name={}&region=330212",
                zhang_san(),
                encode("张三")
            ),
        )
        .await;
    assert_eq!(step2.status, 200, "{}", step2.body);
    assert!(step2.body.contains("name=\"form.venue.area\""));
    assert!(step2.body.contains("name=\"form.karaoke.kind\""));

    let id = window_case(&app, &clerk).await;
    assert_eq!(case_state(&app, &id).await, "submitted");
    let list = clerk.get(&app, "/work/window").await;
    assert!(list.body.contains(&format!("data-case=\"{id}\"")));

    let page = clerk.get(&app, &format!("/cases/{id}")).await;
    assert!(page.body.contains("id=\"form-accept\""), "{}", page.body);
    let r = clerk
        .post(
            &app,
            &format!("/cases/{id}/accept"),
            &pairs(&[("version", "1")]),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(case_state(&app, &id).await, "accepted");

    let stale = clerk
        .post(
            &app,
            &format!("/cases/{id}/accept"),
            &pairs(&[("version", "1")]),
        )
        .await;
    assert_eq!(stale.status, 409, "a stale form gets a clear conflict");
    assert!(stale.body.contains("已被他人更新"));
}

#[tokio::test]
async fn the_same_window_form_sent_twice_makes_one_case() {
    let app = TestApp::demo().await;
    let clerk = sign_in(&app, "clerk").await;
    let first = window_case(&app, &clerk).await;
    let second = window_case(&app, &clerk).await;
    assert_eq!(first, second);
    assert_eq!(case_count(&app).await, 1);
}

#[tokio::test]
async fn bad_form_input_is_shown_beside_its_field_and_writes_nothing() {
    let app = TestApp::demo().await;
    let clerk = sign_in(&app, "clerk").await;
    let fields = with(window_fields(&app), "form.venue.area", "0");
    let r = clerk.post(&app, "/work/window/new", &fields).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"f-venue-area-error\""), "{}", r.body);
    assert!(r.body.contains("数值太小"));
    assert!(r.body.contains("value=\"0\""), "the value typed is kept");

    let mut wrong_check = zhang_san();
    let last = wrong_check.pop();
    wrong_check.push(if last == Some('1') { '2' } else { '1' });
    let bad_id = with(window_fields(&app), "id", &wrong_check);
    let r = clerk.post(&app, "/work/window/new", &bad_id).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"applicant-id-error\""), "{}", r.body);
    assert_eq!(case_count(&app).await, 0);
}

#[tokio::test]
async fn rejecting_without_a_reason_is_shown_beside_the_reason() {
    let app = TestApp::demo().await;
    let clerk = sign_in(&app, "clerk").await;
    let id = window_case(&app, &clerk).await;
    let r = clerk
        .post(
            &app,
            &format!("/cases/{id}/reject"),
            &pairs(&[("version", "1"), ("reason", " ")]),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"reject-reason-error\""));
    assert_eq!(case_state(&app, &id).await, "submitted");
}

#[tokio::test]
async fn a_reviewer_sees_only_their_departments_queue() {
    let app = TestApp::demo().await;
    let clerk = sign_in(&app, "clerk").await;
    let id = window_case(&app, &clerk).await;
    clerk
        .post(
            &app,
            &format!("/cases/{id}/accept"),
            &pairs(&[("version", "1")]),
        )
        .await;
    let case_id = yici_core::case::CaseId::parse(&id).expect("id");
    let case = app
        .store
        .case(&case_id)
        .await
        .expect("read")
        .expect("case")
        .case;
    let task_of = |d: &str| {
        case.tasks
            .iter()
            .find(|t| t.department.as_str() == d)
            .map(|t| t.id.to_string())
            .expect("task")
    };

    let scjg = sign_in(&app, "reviewer-scjg").await;
    let queue = scjg.get(&app, "/work/queue").await;
    assert_eq!(queue.status, 200);
    assert!(
        queue
            .body
            .contains(&format!("/work/tasks/{}", task_of("scjg")))
    );
    assert!(
        !queue
            .body
            .contains(&format!("/work/tasks/{}", task_of("sthj")))
    );

    let other = scjg
        .get(&app, &format!("/work/tasks/{}", task_of("sthj")))
        .await;
    assert_eq!(other.status, 403, "another department's task is not theirs");

    let deny = scjg
        .post(
            &app,
            &format!("/work/tasks/{}", task_of("scjg")),
            &pairs(&[("version", "2"), ("outcome", "deny"), ("comment", "")]),
        )
        .await;
    assert_eq!(deny.status, 422, "a denial needs its reason");
    assert!(deny.body.contains("id=\"comment-error\""), "{}", deny.body);

    let approve = scjg
        .post(
            &app,
            &format!("/work/tasks/{}", task_of("scjg")),
            &pairs(&[("version", "2"), ("outcome", "approve")]),
        )
        .await;
    assert_eq!(approve.status, 303, "{}", approve.body);
    assert_eq!(approve.header("location"), "/work/queue");
    let page = app
        .get_with(&format!("/cases/{id}"), "cookie", &clerk.cookie)
        .await;
    assert!(
        page.body
            .contains("data-department=\"scjg\" data-state=\"approved\"")
    );
}

#[tokio::test]
async fn the_applicant_sees_their_window_case_and_may_withdraw_it() {
    let app = TestApp::demo().await;
    let clerk = sign_in(&app, "clerk").await;
    let id = window_case(&app, &clerk).await;
    let applicant = sign_in(&app, "applicant").await;
    let list = applicant.get(&app, "/my/cases").await;
    assert!(list.body.contains(&format!("/cases/{id}")), "{}", list.body);
    assert!(list.body.contains("已提交"));
    let page = applicant.get(&app, &format!("/cases/{id}")).await;
    assert!(page.body.contains("data-planned=\"1\" data-actual=\"1\""));
    assert!(page.body.contains("窗口递交"), "the trip is in the history");
    let r = applicant
        .post(
            &app,
            &format!("/cases/{id}/withdraw"),
            &pairs(&[("version", "1"), ("reason", "不开了")]),
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(case_state(&app, &id).await, "withdrawn");

    let other = sign_in(&app, "applicant2").await;
    let r = other.get(&app, &format!("/cases/{id}")).await;
    assert_eq!(
        r.status, 404,
        "another applicant's case does not exist for them"
    );
}

#[tokio::test]
async fn the_supervisor_overview_shows_the_figures_and_checks_the_period() {
    let app = TestApp::demo().await;
    let supervisor = sign_in(&app, "supervisor").await;
    let r = supervisor.get(&app, "/work/overview?lang=en").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Done in at most one trip"));
    let bad = supervisor
        .get(&app, "/work/overview?from=2026-05-01&to=2026-01-01")
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("id=\"to-error\""));
}
