//! A year the official calendar does not cover: a case accepted then is
//! refused naming the rule (a deadline is never guessed), and accepted once
//! the operator adds the year's file (`serve --calendar-dir`). On both
//! backends, on a clock in 2031, a year no build embeds.

mod support;

use support::{TestApp, assert_problem, demo_catalog};
use time::macros::datetime;
use yici_core::calendar::{Calendar, YearData};
use yici_service::Clock;

/// A made-up 2031: New Year's Day off, nothing else; test data, not a notice.
const YEAR_2031: &str = r#"
year = 2031
source = "test data, not a State Council notice"
published = 2030-11-01

[[periods]]
name = "元旦"
first = 2031-01-01
last = 2031-01-01
adjusted_workdays = []
"#;

async fn accept_in_2031(postgres: bool) {
    let monday = datetime!(2031-03-03 09:00 +08:00);
    let official = TestApp::on_catalog(
        demo_catalog(),
        Calendar::official().clone(),
        postgres,
        Clock::fixed(monday),
    )
    .await;
    let clerk = official.login("clerk").await;
    let case = support::window_karaoke(&official, &clerk, None).await;
    let id = case["id"].as_str().expect("id");
    let r = official.accept_new(&clerk, id).await;
    assert_eq!(
        assert_problem(&r, 422, Some("date"))["errors"][0]["rule"],
        "year_not_covered"
    );

    let year = YearData::from_toml(YEAR_2031).expect("valid year file");
    let added = Calendar::official_and(vec![year]).expect("a new year");
    let app = TestApp::on_catalog(demo_catalog(), added, postgres, Clock::fixed(monday)).await;
    let clerk = app.login("clerk").await;
    let case = support::window_karaoke(&app, &clerk, None).await;
    let id = case["id"].as_str().expect("id");
    let r = app.accept_new(&clerk, id).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let accepted = r.json();
    assert_eq!(accepted["status"], "accepted");
    assert!(
        accepted["deadline"]
            .as_str()
            .is_some_and(|d| d.starts_with("2031-")),
        "{accepted}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_added_by_the_operator_sets_deadlines_sqlite() {
    accept_in_2031(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_added_by_the_operator_sets_deadlines_postgres() {
    accept_in_2031(true).await;
}
