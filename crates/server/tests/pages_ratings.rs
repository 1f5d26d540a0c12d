//! 好差评 on the pages, without JavaScript, on both backends: the public
//! register without the rater's telephone, the follow-up forms with a
//! refusal beside the field and a forged form refused, the second rating
//! on /my/ratings, the counter's tablet refusing a visit not served.

mod support;

use serde_json::json;
use support::pages::{pairs, sign_in};
use support::{TestApp, start_company};

both!(ratings_on_the_pages, |app: TestApp| async move {
    let id = start_company(&app).await;
    let clerk = app.login("clerk").await;
    let case = app
        .get_as(&format!("/api/v1/cases/{id}"), &clerk)
        .await
        .json();
    let r = app
        .json(
            "POST",
            &format!("/api/v1/cases/{id}/deliver"),
            Some(&clerk),
            json!({"version": case["version"], "mode": "electronic"}),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // The enterprise rates badly on the case page's form.
    let enterprise = sign_in(&app, "enterprise").await;
    let page = enterprise.get(&app, &format!("/cases/{id}")).await;
    assert!(page.body.contains("非常不满意"), "the levels by name");
    let version = app
        .get_as(&format!("/api/v1/cases/{id}"), &clerk)
        .await
        .json()["version"]
        .to_string();
    let r = enterprise
        .post(
            &app,
            &format!("/cases/{id}/rate"),
            &pairs(&[
                ("version", &version),
                ("score", "2"),
                ("comment", "电话0574-87654321打不通"),
            ]),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);

    // The public register: the level and the masked comment, no telephone.
    let public = app.get("/ratings").await;
    assert_eq!(public.status, 200);
    assert!(public.body.contains("不满意"));
    assert!(!public.body.contains("87654321"), "{}", public.body);
    let en = app.get("/ratings?lang=en").await;
    assert!(en.body.contains("Dissatisfied"));

    // The lead department's follow-up page.
    let mine = app
        .get_as("/api/v1/me/ratings", &app.login("enterprise").await)
        .await
        .json();
    let rid = mine[0]["id"].as_str().expect("id").to_owned();
    let unit = mine[0]["unit"].as_str().expect("unit").to_owned();
    let reviewer = sign_in(&app, &format!("reviewer-{unit}")).await;
    let list = reviewer.get(&app, "/work/follow-ups").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains(&format!("data-rating=\"{rid}\"")));
    assert!(
        list.body.contains("87654321"),
        "the unit reads the comment as written"
    );
    let r = reviewer
        .post(
            &app,
            &format!("/work/follow-ups/{rid}/contact"),
            &pairs(&[("text", "")]),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(&format!("id=\"contact-error-{rid}\"")),
        "{}",
        r.body
    );
    let forged = support::pages::post(
        &app,
        &format!("/work/follow-ups/{rid}/contact"),
        Some(&reviewer.cookie),
        &pairs(&[("csrf", "x"), ("text", "hi")]),
    )
    .await;
    assert_eq!(forged.status, 403);
    for (step, text) in [("contact", "已回访"), ("reply", "已开通专线电话")] {
        let r = reviewer
            .post(
                &app,
                &format!("/work/follow-ups/{rid}/{step}"),
                &pairs(&[("text", text)]),
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    // An applicant cannot open the follow-ups.
    assert_eq!(enterprise.get(&app, "/work/follow-ups").await.status, 403);

    // The second rating: a level must be chosen; then once.
    let r = enterprise
        .post(
            &app,
            &format!("/my/ratings/{rid}/second"),
            &pairs(&[("comment", "好")]),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(&format!("id=\"second-error-{rid}\"")),
        "{}",
        r.body
    );
    let r = enterprise
        .post(
            &app,
            &format!("/my/ratings/{rid}/second"),
            &pairs(&[("score", "5")]),
        )
        .await;
    assert_eq!(r.status, 303);
    let page = enterprise.get(&app, "/my/ratings").await;
    assert!(page.body.contains("已开通专线电话"));
    assert!(!page.body.contains("second-rating"), "given once");

    // The tablet: a number not served cannot be rated.
    let desk = sign_in(&app, "clerk").await;
    let t = app
        .json(
            "POST",
            "/api/v1/queue/walk-in",
            Some(&clerk),
            json!({}),
            &[],
        )
        .await
        .json();
    let tid = t["id"].as_str().expect("id");
    let r = desk
        .post(
            &app,
            &format!("/work/hall/rate/{tid}"),
            &pairs(&[("score", "5")]),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = desk
        .post(&app, &format!("/work/hall/rate/{tid}"), &[])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"visit-error\""));
});
