//! Appointments on the pages, without JavaScript, in zh and en: the window
//! areas, the slots of a day, booking with a refusal beside its field, the
//! booking with its QR code, cancelling; and the clerk's queue page:
//! check-in by code, a walk-in number, calling the next. On both backends.

mod support;

use support::TestApp;
use support::pages::{pairs, sign_in};
use time::OffsetDateTime;
use time::macros::datetime;
use yici_service::Clock;

const MONDAY: OffsetDateTime = datetime!(2026-09-28 09:10 +08:00);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let clock = Clock::fixed(MONDAY);
    book_and_come(TestApp::sqlite(clock.clone()).await, clock).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    let clock = Clock::fixed(MONDAY);
    book_and_come(TestApp::postgres(clock.clone()).await, clock).await;
}

/// The path a redirect leads to.
fn location(r: &support::Reply) -> String {
    assert_eq!(r.status, 303, "{}", r.body);
    r.header("location").to_owned()
}

async fn book_and_come(app: TestApp, clock: Clock) {
    let matter = app
        .service()
        .catalog()
        .matters
        .keys()
        .next()
        .expect("a matter")
        .to_string();
    let zhang = sign_in(&app, "applicant").await;

    // The window areas, in both languages.
    let zh = zhang.get(&app, "/book?matter=x").await;
    assert_eq!(zh.status, 200);
    assert!(zh.body.contains("商事登记综合窗口"), "{}", zh.body);
    assert!(zh.body.contains("/book/w-commerce?matter=x"));
    let en = zhang.get(&app, "/book?lang=en").await;
    assert!(en.body.contains("Business registration window"));

    // Today's slots from the next half hour; the holiday is not offered.
    let slots = zhang
        .get(&app, &format!("/book/w-commerce?matter={matter}"))
        .await;
    assert_eq!(slots.status, 200);
    assert!(slots.body.contains("value=\"09:30\""), "{}", slots.body);
    assert!(!slots.body.contains("value=\"09:00\""));
    assert!(
        !slots.body.contains("2026-10-01"),
        "holidays are not offered"
    );
    assert!(
        slots.body.contains("2026-10-10"),
        "the adjusted Saturday is"
    );

    // A refused booking: the message is beside the slot, nothing booked.
    let r = zhang
        .post(
            &app,
            "/book/w-commerce",
            &pairs(&[
                ("day", "2026-09-28"),
                ("slot", "12:00"),
                ("matter", &matter),
            ]),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"slot-error\""), "{}", r.body);
    assert!(r.body.contains("不在办公时段内"), "{}", r.body);
    let r = zhang
        .post(
            &app,
            "/book/w-commerce",
            &pairs(&[("day", "2026-09-29"), ("slot", "10:00")]),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"matter-error\""), "{}", r.body);
    let mine = zhang.get(&app, "/my/bookings").await;
    assert!(mine.body.contains("id=\"no-bookings\""));

    // A forged form is refused.
    let r = support::pages::post(
        &app,
        "/book/w-commerce",
        Some(&zhang.cookie),
        &pairs(&[
            ("csrf", "forged"),
            ("day", "2026-09-29"),
            ("slot", "10:00"),
            ("matter", &matter),
        ]),
    )
    .await;
    assert_eq!(r.status, 403);

    // Booked: the booking's page shows its QR code and code.
    let r = zhang
        .post(
            &app,
            "/book/w-commerce",
            &pairs(&[
                ("day", "2026-09-28"),
                ("slot", "09:30"),
                ("matter", &matter),
            ]),
        )
        .await;
    let at = location(&r);
    let page = zhang.get(&app, &at).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<svg"), "a QR code");
    let code = page
        .body
        .split("id=\"booking-code\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("code")
        .to_owned();
    assert_eq!(code.len(), 10);
    assert!(page.body.contains("已预约"));
    // Nobody else opens it.
    let li = sign_in(&app, "applicant2").await;
    assert_eq!(li.get(&app, &at).await.status, 404);

    // A second booking, cancelled on its page.
    let r = zhang
        .post(
            &app,
            "/book/w-commerce",
            &pairs(&[
                ("day", "2026-09-30"),
                ("slot", "14:00"),
                ("matter", &matter),
            ]),
        )
        .await;
    let second = location(&r);
    let r = zhang.post(&app, &format!("{second}/cancel"), &[]).await;
    assert_eq!(location(&r), second);
    let page = zhang.get(&app, &format!("{second}?lang=en")).await;
    assert!(page.body.contains("Cancelled"), "{}", page.body);
    assert!(!page.body.contains("id=\"booking-cancel\""));

    // A visit for one of 张三's cases, from the case page: the form carries
    // the case instead of a matter.
    let clerk_token = app.login("clerk").await;
    let karaoke = support::window_karaoke(&app, &clerk_token, None).await;
    let case_id = karaoke["id"].as_str().expect("id");
    let page = zhang.get(&app, &format!("/cases/{case_id}")).await;
    assert!(
        page.body
            .contains(&format!("href=\"/book?case={case_id}\"")),
        "{}",
        page.body
    );
    let slots = zhang
        .get(&app, &format!("/book/w-commerce?case={case_id}"))
        .await;
    assert!(
        slots
            .body
            .contains(&format!("name=\"case\" value=\"{case_id}\""))
    );
    assert!(
        !slots.body.contains("id=\"matter\""),
        "no matter to choose for a case"
    );
    let r = zhang
        .post(
            &app,
            "/book/w-commerce",
            &pairs(&[("day", "2026-09-29"), ("slot", "11:00"), ("case", case_id)]),
        )
        .await;
    let page = zhang.get(&app, &location(&r)).await;
    assert!(
        page.body.contains(&case_id[..8]),
        "the booking names the case"
    );
    // Another applicant's case cannot be booked for.
    let r = li
        .post(
            &app,
            "/book/w-commerce",
            &pairs(&[("day", "2026-09-29"), ("slot", "11:00"), ("case", case_id)]),
        )
        .await;
    assert_eq!(r.status, 404);

    // The clerk: a wrong code is named beside the field; the right one
    // gives a Y number; a walk-in an A number; the booked visitor is called first.
    let clerk = sign_in(&app, "clerk").await;
    let q = clerk.get(&app, "/work/hall").await;
    assert_eq!(q.status, 200);
    assert!(q.body.contains(&code), "today's bookings list the code");
    let r = clerk
        .post(
            &app,
            "/work/hall/check-in",
            &pairs(&[("code", "WRONGCODE1"), ("counter", "12")]),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"code-error\""), "{}", r.body);
    let r = clerk
        .post(&app, "/work/hall/walk-in", &pairs(&[("counter", "12")]))
        .await;
    assert!(location(&r).contains("issued=A001"));
    let r = clerk
        .post(
            &app,
            "/work/hall/check-in",
            &pairs(&[("code", &code), ("counter", "12")]),
        )
        .await;
    let back = location(&r);
    assert!(back.contains("issued=Y002"), "{back}");
    let q = clerk.get(&app, &back).await;
    assert!(q.body.contains("id=\"issued\""));
    clock.set(datetime!(2026-09-28 09:25 +08:00));
    let r = clerk
        .post(&app, "/work/hall/call", &pairs(&[("counter", "12")]))
        .await;
    let q = clerk.get(&app, &location(&r)).await;
    let serving = q.body.split("id=\"serving\"").nth(1).expect("serving");
    let serving = serving.split("</table>").next().expect("table");
    assert!(serving.contains("Y002"), "{serving}");
    assert!(serving.contains("15 分钟"), "{serving}");
    let r = clerk
        .post(&app, "/work/hall/call", &pairs(&[("counter", "a b")]))
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"counter-error\""));
    // An applicant cannot reach the queue.
    assert_eq!(zhang.get(&app, "/work/hall").await.status, 403);
    let page = zhang.get(&app, &at).await;
    assert!(page.body.contains("已取号"), "{}", page.body);
}
