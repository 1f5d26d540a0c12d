//! Appointments (预约) through the API, on both backends: the window areas'
//! open slots, booking on working days in the opening hours only, one
//! winner for a slot's last place, moving and cancelling until the
//! cut-off, a booking's history, and no-shows that suspend booking.

mod support;

use serde_json::{Value, json};
use support::{Reply, TestApp, assert_problem};
use time::OffsetDateTime;
use time::macros::datetime;
use yici_service::Clock;
use yici_service::workers::no_show_pass;
use yici_store::hall::{Booking, BookingState};

/// A Monday in the week before the National Day holiday (10-01 … 10-07,
/// Saturday 10-10 worked in exchange).
const MONDAY: OffsetDateTime = datetime!(2026-09-28 08:00 +08:00);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let clock = Clock::fixed(MONDAY);
    booking_rules(TestApp::sqlite(clock.clone()).await, clock).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    let clock = Clock::fixed(MONDAY);
    booking_rules(TestApp::postgres(clock.clone()).await, clock).await;
}

async fn post(app: &TestApp, token: &str, uri: &str, body: Value) -> Reply {
    app.json("POST", uri, Some(token), body, &[]).await
}

/// Asserts a 422 naming `field` and `rule`.
fn refused(r: &Reply, field: &str, rule: &str) -> Value {
    let p = assert_problem(r, 422, Some(field));
    assert_eq!(p["errors"][0]["rule"], rule, "{p}");
    p
}

/// The clerk checks in the booking with `code`.
async fn check_in(app: &TestApp, clerk: &str, code: &str) -> Reply {
    post(
        app,
        clerk,
        "/api/v1/queue/check-in",
        json!({ "code": code }),
    )
    .await
}

/// `n` bookings of other applicants in the slot 2026-09-29 09:30, written
/// behind the API.
async fn fill(app: &TestApp, n: usize) {
    let (day, at) = ("2026-09-29", "09:30");
    let starts = datetime!(2026-09-29 09:30 +08:00);
    for i in 0..n {
        let ms = starts.unix_timestamp() * 1000;
        let b = Booking {
            id: format!("filler-{day}-{at}-{i}"),
            window: "w-commerce".into(),
            day: day.into(),
            slot: at.into(),
            starts_ms: ms,
            ends_ms: ms + 30 * 60_000,
            subject: format!("subject-{i}"),
            user_id: format!("u-filler-{i}"),
            case_id: None,
            matter: Some("330200-SCJG-001".into()),
            code: format!("FILL{i:06}"),
            state: BookingState::Booked,
            created_ms: ms - 86_400_000,
            updated_ms: ms - 86_400_000,
        };
        let done = app.store.book(&b, 6).await.expect("book");
        assert_eq!(done, yici_store::hall::Booked::Done);
    }
}

async fn left(app: &TestApp, day: &str, at: &str) -> u64 {
    let r = app
        .get(&format!("/api/v1/windows/w-commerce/slots?day={day}"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
        .as_array()
        .expect("slots")
        .iter()
        .find(|s| s["start"] == at)
        .map_or(0, |s| s["left"].as_u64().expect("left"))
}

async fn booking_rules(app: TestApp, clock: Clock) {
    let matter = app
        .service()
        .catalog()
        .matters
        .keys()
        .next()
        .expect("a matter")
        .to_string();
    let slot = |day: &str, at: &str| json!({"window": "w-commerce", "day": day, "slot": at, "matter": matter});
    let applicant = app.login("applicant").await;
    let other = app.login("applicant2").await;
    let clerk = app.login("clerk").await;

    // The window areas and their slots: 13 half-hours a working day.
    let windows = app.get("/api/v1/windows").await.json();
    let commerce = windows
        .as_array()
        .expect("windows")
        .iter()
        .find(|w| w["code"] == "w-commerce")
        .expect("w-commerce")
        .clone();
    assert_eq!(commerce["capacity"], 6);
    assert_eq!(commerce["hours"], json!(["09:00-12:00", "13:30-17:00"]));
    let slots = app
        .get("/api/v1/windows/w-commerce/slots?day=2026-09-29")
        .await
        .json();
    assert_eq!(slots.as_array().expect("slots").len(), 13);
    assert_eq!(slots[0]["left"], 6);
    let holiday = app
        .get("/api/v1/windows/w-commerce/slots?day=2026-10-01")
        .await
        .json();
    assert_eq!(holiday, json!([]));

    // Bad input: each refused with its field and rule, nothing written.
    for (body, field, rule) in [
        (slot("2026-10-01", "09:00"), "day", "not_a_working_day"),
        (slot("2026-10-04", "09:00"), "day", "not_a_working_day"),
        (slot("2026-09-29", "12:00"), "slot", "outside_opening_hours"),
        (slot("2026-09-29", "08:30"), "slot", "outside_opening_hours"),
        (slot("2026-09-29", "9h"), "slot", "time_format"),
        (slot("29/09/2026", "09:00"), "day", "date_format"),
        (slot("2026-10-30", "09:00"), "day", "beyond_booking_horizon"),
        (
            json!({"window": "w-commerce", "day": "2026-09-29", "slot": "09:00"}),
            "matter",
            "case_or_matter_required",
        ),
        (
            json!({"window": "w-commerce", "day": "2026-09-29", "slot": "09:00", "matter": "nope"}),
            "matter",
            "unknown_matter",
        ),
    ] {
        let r = post(&app, &applicant, "/api/v1/bookings", body.clone()).await;
        let p = assert_problem(&r, 422, Some(field));
        assert_eq!(p["errors"][0]["rule"], rule, "{body}: {p}");
    }
    let r = post(
        &app,
        &applicant,
        "/api/v1/bookings",
        json!({"window": "w-nope", "day": "2026-09-29", "slot": "09:00", "matter": matter}),
    )
    .await;
    assert_problem(&r, 404, None);
    let r = post(
        &app,
        &clerk,
        "/api/v1/bookings",
        slot("2026-09-29", "09:00"),
    )
    .await;
    assert_problem(&r, 403, None);
    // The adjusted Saturday (调休) is open.
    let r = post(
        &app,
        &applicant,
        "/api/v1/bookings",
        slot("2026-10-10", "09:00"),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let saturday = r.json();
    let mine = app.get_as("/api/v1/bookings", &applicant).await.json();
    assert_eq!(mine["total"], 1, "the refused bookings wrote nothing");

    // The same slot twice: refused.
    let r = post(
        &app,
        &applicant,
        "/api/v1/bookings",
        slot("2026-10-10", "09:00"),
    )
    .await;
    refused(&r, "slot", "already_booked");

    // Five places of six taken: two applicants race for the last.
    fill(&app, 5).await;
    assert_eq!(left(&app, "2026-09-29", "09:30").await, 1);
    let (a, b) = tokio::join!(
        post(
            &app,
            &applicant,
            "/api/v1/bookings",
            slot("2026-09-29", "09:30")
        ),
        post(
            &app,
            &other,
            "/api/v1/bookings",
            slot("2026-09-29", "09:30")
        ),
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 422], "{} / {}", a.body, b.body);
    let loser = if a.status == 422 { &a } else { &b };
    assert_eq!(loser.json()["errors"][0]["rule"], "slot_full");
    assert_eq!(left(&app, "2026-09-29", "09:30").await, 0);
    let day = app
        .store
        .bookings_of_day("w-commerce", "2026-09-29")
        .await
        .expect("day");
    assert_eq!(day.iter().filter(|b| b.slot == "09:30").count(), 6);
    let (winner, winner_name) = if a.status == 201 {
        (a.json(), "applicant")
    } else {
        (b.json(), "applicant2")
    };
    let winner_token = &app.login(winner_name).await;

    // Moving gives the old place back and takes the new one.
    let id = winner["id"].as_str().expect("id");
    let r = post(
        &app,
        winner_token,
        &format!("/api/v1/bookings/{id}/move"),
        json!({"day": "2026-09-29", "slot": "10:00"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(left(&app, "2026-09-29", "09:30").await, 1);
    assert_eq!(left(&app, "2026-09-29", "10:00").await, 5);
    let read = app
        .get_as(&format!("/api/v1/bookings/{id}"), winner_token)
        .await
        .json();
    let kinds: Vec<&str> = read["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| h["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["booked", "moved"]);
    // Nobody else sees it.
    let stranger = if winner_name == "applicant" {
        &other
    } else {
        &applicant
    };
    assert_problem(
        &app.get_as(&format!("/api/v1/bookings/{id}"), stranger)
            .await,
        404,
        None,
    );
    let r = post(
        &app,
        stranger,
        &format!("/api/v1/bookings/{id}/cancel"),
        json!({}),
    )
    .await;
    assert_problem(&r, 404, None);

    // Until two hours before the slot it can be cancelled; after, not.
    clock.set(datetime!(2026-09-29 08:01 +08:00));
    // Sessions last 12 hours: sign in again on the next day.
    let (applicant, clerk) = (app.login("applicant").await, app.login("clerk").await);
    let winner_token = &app.login(winner_name).await;
    let r = post(
        &app,
        winner_token,
        &format!("/api/v1/bookings/{id}/cancel"),
        json!({}),
    )
    .await;
    refused(&r, "booking", "past_cancel_cutoff");
    let sat = saturday["id"].as_str().expect("id");
    let r = post(
        &app,
        &applicant,
        &format!("/api/v1/bookings/{sat}/cancel"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["state"], "cancelled");
    let r = post(
        &app,
        &applicant,
        &format!("/api/v1/bookings/{sat}/cancel"),
        json!({}),
    )
    .await;
    assert_problem(&r, 409, None);

    // Check-in opens half an hour before the slot, at the booking's window area.
    let code = winner["code"].as_str().expect("code");
    clock.set(datetime!(2026-09-29 09:20 +08:00));
    let r = check_in(&app, &clerk, code).await;
    refused(&r, "code", "check_in_not_open");
    let r = check_in(&app, &clerk, "NOSUCHCODE").await;
    refused(&r, "code", "unknown_booking");
    clock.set(datetime!(2026-09-29 09:40 +08:00));
    let walk_in = post(&app, &clerk, "/api/v1/queue/walk-in", json!({})).await;
    assert_eq!(walk_in.status, 201, "{}", walk_in.body);
    assert_eq!(walk_in.json()["label"], "A001");
    let r = check_in(&app, &clerk, &code.to_lowercase()).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["label"], "Y002");
    let r = check_in(&app, &clerk, code).await;
    refused(&r, "code", "booking_not_active");
    let r = post(&app, &applicant, "/api/v1/queue/walk-in", json!({})).await;
    assert_problem(&r, 403, None);

    // The booked visitor is called first; the waiting time is kept.
    clock.set(datetime!(2026-09-29 09:52 +08:00));
    let r = post(&app, &clerk, "/api/v1/queue/call", json!({"counter": "12"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let called = r.json();
    assert_eq!(called["called"]["label"], "Y002");
    assert_eq!(called["called"]["waited_minutes"], 12);
    let r = post(&app, &clerk, "/api/v1/queue/call", json!({"counter": "12"})).await;
    let next = r.json();
    assert_eq!(next["called"]["label"], "A001");
    assert_eq!(next["finished"], called["called"]["id"]);
    let r = post(&app, &clerk, "/api/v1/queue/call", json!({"counter": "12"})).await;
    assert_eq!(r.json()["called"], Value::Null, "nobody is left");
    let r = post(
        &app,
        &clerk,
        "/api/v1/queue/call",
        json!({"counter": "no counter!"}),
    )
    .await;
    assert_problem(&r, 422, Some("counter"));
    let queue = app.get_as("/api/v1/queue", &clerk).await.json();
    let states: Vec<&str> = queue["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .map(|t| t["state"].as_str().expect("state"))
        .collect();
    assert_eq!(states, ["done", "done"]);
    let booked = queue["bookings"].as_array().expect("bookings");
    assert!(
        booked
            .iter()
            .any(|b| b["id"] == winner["id"] && b["state"] == "checked_in")
    );

    no_shows_suspend_booking(&app, &clock, "applicant2", &slot).await;
}

/// Three missed slots within 90 days suspend booking for 30 days after the last.
async fn no_shows_suspend_booking(
    app: &TestApp,
    clock: &Clock,
    user: &str,
    slot: &impl Fn(&str, &str) -> Value,
) {
    for (now, day) in [
        (datetime!(2026-10-08 08:00 +08:00), "2026-10-08"),
        (datetime!(2026-10-09 08:00 +08:00), "2026-10-09"),
        (datetime!(2026-10-12 08:00 +08:00), "2026-10-12"),
    ] {
        clock.set(now);
        let token = &app.login(user).await;
        let r = post(app, token, "/api/v1/bookings", slot(day, "16:30")).await;
        assert_eq!(r.status, 201, "{}", r.body);
        clock.set(now + time::Duration::hours(10));
        assert!(no_show_pass(app.service(), 100).await.expect("sweep") >= 1);
        let id = r.json()["id"].as_str().expect("id").to_owned();
        let read = app
            .get_as(&format!("/api/v1/bookings/{id}"), token)
            .await
            .json();
        assert_eq!(read["state"], "no_show");
    }
    clock.set(datetime!(2026-10-13 08:00 +08:00));
    let token = &app.login(user).await;
    let r = post(app, token, "/api/v1/bookings", slot("2026-10-14", "09:00")).await;
    let p = refused(&r, "booking", "booking_suspended");
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .expect("message")
            .contains("2026-11-11"),
        "{p}"
    );
    clock.set(datetime!(2026-11-12 08:00 +08:00));
    let token = &app.login(user).await;
    let r = post(app, token, "/api/v1/bookings", slot("2026-11-13", "09:00")).await;
    assert_eq!(r.status, 201, "{}", r.body);
}
