//! Submission, pre-check, acceptance, rejection.

use time::macros::date;

use super::*;
use crate::calendar::WorkingDays;
use crate::catalog::FieldKey;

#[test]
fn window_submission_counts_one_trip() {
    let (case, events) = Fixture::new()
        .submit(Channel::Window { window: window() }, &clerk())
        .expect("submitted");
    assert_eq!(case.trips, 1);
    assert_eq!(kinds(&events), ["submitted", "trip_counted"]);
    assert_eq!(events[1].data["reason"], "window_submission");
}

#[test]
fn online_submission_counts_no_trip() {
    let (case, events) = Fixture::new()
        .submit(Channel::Online, &applicant())
        .expect("submitted");
    assert_eq!(case.trips, 0);
    assert_eq!(kinds(&events), ["submitted"]);
}

#[test]
fn submission_starts_at_version_one_with_waiting_tasks() {
    let case = Fixture::new().online();
    assert_eq!((case.version, case.state), (1, CaseState::Submitted));
    assert!(case.tasks.iter().all(|t| t.state == TaskState::Waiting));
}

#[test]
fn online_applications_are_submitted_by_the_applicant_window_ones_by_the_clerk() {
    let fx = Fixture::new();
    let online = fx.submit(Channel::Online, &clerk()).map(|_| ());
    assert_eq!(
        online,
        Err(CaseError::WrongRole {
            action: ActionKind::Submit,
            role: Role::Clerk
        })
    );
    let at_window = fx.submit(Channel::Window { window: window() }, &applicant());
    assert!(matches!(at_window, Err(CaseError::WrongRole { .. })));
}

#[test]
fn tasks_go_to_the_applicant_s_region_whatever_window_accepts() {
    // Handle-anywhere (全城通办): window hall-1 may sit in any district.
    let case = Fixture::new().at_window();
    assert!(case.tasks.iter().all(|t| t.region.as_str() == "330106"));
}

#[test]
fn online_case_is_pre_checked_before_acceptance() {
    let fx = Fixture::new();
    let case = fx.online();
    let early = fx.try_step(&case, Action::Accept, &clerk(), ACCEPTED);
    assert_eq!(
        early.map(|_| ()),
        Err(CaseError::WrongChannel {
            state: CaseState::Submitted,
            action: ActionKind::Accept,
            channel: ChannelKind::Online
        })
    );
    let check = Action::PreCheck {
        passed: true,
        problems: vec![],
    };
    let checked = fx.step(&case, check, &system(), ACCEPTED).case;
    let accepted = fx.step(&checked, Action::Accept, &system(), ACCEPTED).case;
    assert_eq!(accepted.state, CaseState::Accepted);
}

#[test]
fn failed_pre_check_rejects_with_the_problems_as_reason() {
    let fx = Fixture::new();
    let check = Action::PreCheck {
        passed: false,
        problems: vec!["营业执照已注销".into()],
    };
    let t = fx.step(&fx.online(), check, &system(), ACCEPTED);
    assert_eq!(t.case.state, CaseState::Rejected);
    assert_eq!(t.case.closing_reason.as_deref(), Some("营业执照已注销"));
    assert!(t.case.tasks.iter().all(|t| t.state == TaskState::Cancelled));
}

#[test]
fn accept_opens_first_stage_tasks_with_working_day_deadlines() {
    let fx = Fixture::new();
    let t = fx.step(&fx.at_window(), Action::Accept, &clerk(), ACCEPTED);
    let task = |n| t.case.task(task_id(n)).expect("task");
    // 5 working days after Wed 09-30: 10-08, 10-09, Sat 10-10 (调休), 10-12, 10-13.
    assert_eq!(task(1).state, TaskState::Open);
    assert_eq!(task(1).opened_on, Some(ACCEPTED));
    assert_eq!(task(1).deadline, Some(date!(2026 - 10 - 13)));
    assert_eq!(task(2).deadline, Some(date!(2026 - 10 - 20)));
    assert_eq!(task(3).state, TaskState::Waiting);
    assert_eq!(task(3).deadline, None);
    assert_eq!(t.events[2].data["deadline"], "2026-10-13");
    assert_eq!(
        kinds(&t.events),
        ["accepted", "stage_opened", "task_opened", "task_opened"]
    );
}

#[test]
fn case_deadline_is_the_critical_path_counted_from_acceptance() {
    // Paths: a → c → d is 5 + 3 + 2 = 10 days, b alone 10 days.
    let case = Fixture::new().accepted();
    assert_eq!(case.accepted_on, Some(ACCEPTED));
    assert_eq!(case.deadline, Some(date!(2026 - 10 - 20)));
}

#[test]
fn clerk_only_accepts() {
    let fx = Fixture::new();
    for who in [
        reviewer(),
        applicant(),
        system(),
        actor("boss", Role::Admin),
    ] {
        let refused = fx.try_step(&fx.at_window(), Action::Accept, &who, ACCEPTED);
        assert_eq!(
            refused.map(|_| ()),
            Err(CaseError::WrongRole {
                action: ActionKind::Accept,
                role: who.role
            })
        );
    }
}

#[test]
fn reject_needs_a_reason_and_cancels_every_task() {
    let fx = Fixture::new();
    let blank = Action::Reject {
        reason: "  ".into(),
    };
    assert_eq!(
        fx.try_step(&fx.at_window(), blank, &clerk(), ACCEPTED)
            .map(|_| ()),
        Err(CaseError::EmptyReason {
            action: ActionKind::Reject
        })
    );
    let reject = Action::Reject {
        reason: "不属于本行政机关职权范围".into(),
    };
    let t = fx.step(&fx.at_window(), reject, &clerk(), ACCEPTED);
    assert_eq!(t.case.state, CaseState::Rejected);
    assert!(t.case.tasks.iter().all(|t| t.state == TaskState::Cancelled));
    assert!(t.case.state.is_closed());
}

#[test]
fn accept_with_deficiency_records_due_date() {
    let fx = Fixture::new();
    let action = Action::AcceptWithDeficiency {
        materials: vec![FieldKey::parse("fire.certificate").expect("key")],
        due_in: WorkingDays::new(5).expect("days"),
    };
    let t = fx.step(&fx.at_window(), action, &clerk(), ACCEPTED);
    assert_eq!(t.case.state, CaseState::AcceptedWithDeficiency);
    let deficiency = t.case.deficiency.expect("recorded");
    assert_eq!(deficiency.due, date!(2026 - 10 - 13));
    assert_eq!(deficiency.materials[0].as_str(), "fire.certificate");
    // Tasks proceed while the materials are outstanding.
    assert_eq!(t.case.tasks[0].state, TaskState::Open);
}

#[test]
fn accept_with_deficiency_names_at_least_one_material() {
    let fx = Fixture::new();
    let action = Action::AcceptWithDeficiency {
        materials: vec![],
        due_in: WorkingDays::new(5).expect("days"),
    };
    let refused = fx.try_step(&fx.at_window(), action, &clerk(), ACCEPTED);
    assert_eq!(refused.map(|_| ()), Err(CaseError::EmptyDeficiency));
}

#[test]
fn submission_needs_tasks_with_distinct_ids() {
    let fx = Fixture::new();
    let submit = |specs: Vec<TaskSpec>| {
        let person = fx.at_window().subject;
        let target = Target::Matter(matter("licence-a"));
        let id = CaseId::from_uuid(uuid::Uuid::from_u128(7));
        let channel = Channel::Online;
        Case::submit(
            id,
            person,
            target,
            channel,
            json!({}),
            specs,
            0,
            ACCEPTED,
            &applicant(),
        )
        .map(|_| ())
    };
    assert_eq!(submit(vec![]), Err(CaseError::NoTasks));
    let twice = vec![specs()[0].clone(), specs()[0].clone()];
    assert_eq!(
        submit(twice),
        Err(CaseError::DuplicateTask { task: task_id(1) })
    );
}
