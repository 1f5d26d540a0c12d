//! The deadline worker: yellow and red cards on limits counted in working
//! days, paused by supplements, each on SQLite and PostgreSQL with a fixed
//! clock moved by hand.

mod support;

use serde_json::json;
use time::macros::datetime;
use yici_service::workers::{self as worker};

use support::hall::*;

// ---------------------------------------------------------------------------
// Deadlines.

on_both!(
    task_accepted_before_national_day_gets_yellow_at_80_percent_and_red_after_its_deadline,
    departments = [],
    fail_first = 0,
    |hall: Hall, _receiver: Receiver| async move {
        let id = hall.accepted_karaoke().await;
        // 10 working days after 09-30: the holiday does not count, the
        // adjusted Saturday 10-10 does.
        let case = hall.case(&id).await;
        assert_eq!(task(&case, "sthj")["deadline"], "2026-10-20");
        assert_eq!(task(&case, "sthj")["promised_limit"], 10);

        // 10-15: 7 of 10 working days used, no card yet.
        hall.set_day(datetime!(2026-10-15 09:00 +08:00));
        let report = hall.deadline_pass().await;
        assert_eq!(report.checked, 1);
        let case = hall.case(&id).await;
        assert_eq!(task(&case, "sthj")["flag"], "none");
        assert!(task_events(&case, "sthj", "deadline_warning").is_empty());

        // 10-16: 8 of 10 used, yellow.
        hall.set_day(datetime!(2026-10-16 09:00 +08:00));
        hall.deadline_pass().await;
        let case = hall.case(&id).await;
        assert_eq!(task(&case, "sthj")["flag"], "warning");
        let warnings = task_events(&case, "sthj", "deadline_warning");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0]["actor"], "system");
        assert_eq!(warnings[0]["role"], "system");
        assert_eq!(warnings[0]["on"], "2026-10-16");
        assert_eq!(warnings[0]["data"]["deadline"], "2026-10-20");

        // 10-20, the last day: still yellow. 10-21: red.
        hall.set_day(datetime!(2026-10-20 09:00 +08:00));
        hall.deadline_pass().await;
        assert_eq!(task(&hall.case(&id).await, "sthj")["flag"], "warning");
        hall.set_day(datetime!(2026-10-21 09:00 +08:00));
        hall.deadline_pass().await;
        let case = hall.case(&id).await;
        assert_eq!(task(&case, "sthj")["flag"], "overdue");
        let overdue = task_events(&case, "sthj", "deadline_overdue");
        assert_eq!(overdue.len(), 1);
        assert_eq!(overdue[0]["on"], "2026-10-21");
        assert_eq!(task_events(&case, "sthj", "deadline_warning").len(), 1);
    }
);

on_both!(
    second_pass_the_same_day_records_nothing_twice,
    departments = [],
    fail_first = 0,
    |hall: Hall, _receiver: Receiver| async move {
        let id = hall.accepted_karaoke().await;
        hall.set_day(datetime!(2026-10-16 09:00 +08:00));
        let first = hall.deadline_pass().await;
        // The first stage: scjg (1 day) is red, sthj (10 days) yellow.
        assert_eq!((first.checked, first.events), (1, 2), "{first:?}");
        let before = hall.case(&id).await;

        let again = hall.deadline_pass().await;
        assert_eq!(
            again,
            worker::PassReport::default(),
            "checked today already"
        );

        // A change clears the day's check: the case is judged again and the
        // cards it already has are not raised twice.
        let reviewer = hall.login("reviewer-scjg").await;
        let scjg = task(&before, "scjg")["id"].as_str().expect("id").to_owned();
        let r = hall
            .json(
                "POST",
                &format!("/api/v1/tasks/{scjg}/decision"),
                &reviewer,
                json!({"outcome": "approve"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let third = hall.deadline_pass().await;
        assert_eq!((third.checked, third.events), (1, 0), "{third:?}");
        let after = hall.case(&id).await;
        for kind in ["deadline_warning", "deadline_overdue"] {
            assert_eq!(
                all_events(&after, kind),
                all_events(&before, kind),
                "{kind}"
            );
        }
    }
);

on_both!(
    supplement_pause_moves_the_deadline,
    departments = [],
    fail_first = 0,
    |hall: Hall, _receiver: Receiver| async move {
        let id = hall.accepted_karaoke().await;
        let case = hall.case(&id).await;
        let sthj = task(&case, "sthj")["id"].as_str().expect("id").to_owned();

        hall.set_day(datetime!(2026-10-08 09:00 +08:00));
        let reviewer = hall.login("reviewer-sthj").await;
        let r = hall
            .json(
                "POST",
                &format!("/api/v1/tasks/{sthj}/decision"),
                &reviewer,
                json!({"outcome": "supplement", "materials": ["eia_report_form"], "comment": "环评登记表缺少签章"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);

        // Four working days later (10-09, 10-10, 10-12, 10-13) the applicant
        // brings it: the task's deadline moves by those four.
        hall.set_day(datetime!(2026-10-13 09:00 +08:00));
        let before = hall.case(&id).await;
        let version = before["version"].as_u64().expect("version");
        let applicant = hall.login("applicant").await;
        let supplement = json!({"version": version});
        let uri = format!("/api/v1/cases/{id}/supplement");
        // Online, the supplement is the file: without one it is refused.
        let r = hall
            .json("POST", &uri, &applicant, supplement.clone())
            .await;
        support::assert_problem(&r, 422, Some("materials.eia_report_form"));
        let r = support::materials::give(
            &hall.app,
            &applicant,
            &id,
            "eia_report_form",
            "eia.pdf",
            "application/pdf",
            support::materials::PDF.to_vec(),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let r = hall.json("POST", &uri, &applicant, supplement).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let case = hall.case(&id).await;
        assert_eq!(
            case["trips"], before["trips"],
            "the supplement cost no trip"
        );
        assert_eq!(task(&case, "sthj")["deadline"], "2026-10-26");
        assert_eq!(task(&case, "sthj")["paused_working_days"], 4);

        // Without the pause 10-16 would be yellow; now it is 10-22.
        hall.set_day(datetime!(2026-10-16 09:00 +08:00));
        hall.deadline_pass().await;
        assert_eq!(task(&hall.case(&id).await, "sthj")["flag"], "none");
        hall.set_day(datetime!(2026-10-22 09:00 +08:00));
        hall.deadline_pass().await;
        let case = hall.case(&id).await;
        assert_eq!(task(&case, "sthj")["flag"], "warning");
        assert_eq!(
            task_events(&case, "sthj", "deadline_warning")[0]["data"]["deadline"],
            "2026-10-26"
        );
    }
);
