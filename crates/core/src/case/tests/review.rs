//! Parallel review: stages, denials, supplements, rules, deadlines.

use time::macros::date;

use super::*;

const DAY: Date = date!(2026 - 10 - 08);

#[test]
fn next_stage_opens_when_stage_decided() {
    let fx = Fixture::new();
    let one = fx.step(&fx.accepted(), approve(task_id(1)), &reviewer(), DAY);
    assert_eq!(
        one.case.task(task_id(3)).map(|t| t.state),
        Some(TaskState::Waiting)
    );
    assert_eq!(one.case.state, CaseState::InReview);
    let both = fx.step(&one.case, approve(task_id(2)), &reviewer(), DAY);
    let opened = both.case.task(task_id(3)).expect("task 3");
    assert_eq!(opened.state, TaskState::Open);
    // 3 working days after Thu 10-08: 10-09, Sat 10-10 (调休), 10-12.
    assert_eq!(opened.deadline, Some(date!(2026 - 10 - 12)));
    assert_eq!(
        kinds(&both.events),
        ["task_decided", "stage_opened", "task_opened"]
    );
}

#[test]
fn denial_blocks_dependent_tasks() {
    let fx = Fixture::new();
    let t = fx.step(&fx.accepted(), deny(task_id(1)), &reviewer(), DAY);
    let state = |n| t.case.task(task_id(n)).map(|t| t.state);
    assert_eq!(state(1), Some(TaskState::Denied));
    // c needs a directly, d needs c.
    assert_eq!(state(3), Some(TaskState::Blocked));
    assert_eq!(state(4), Some(TaskState::Blocked));
    assert_eq!(state(2), Some(TaskState::Open));
    assert_eq!(
        kinds(&t.events),
        ["task_decided", "task_blocked", "task_blocked"]
    );
}

#[test]
fn denial_states_its_reason() {
    let fx = Fixture::new();
    let silent = Action::Decide {
        task: task_id(1),
        outcome: Outcome::Deny,
        comment: None,
    };
    assert_eq!(
        fx.try_step(&fx.accepted(), silent, &reviewer(), DAY)
            .map(|_| ()),
        Err(CaseError::EmptyReason {
            action: ActionKind::Decide
        })
    );
}

#[test]
fn case_is_decided_when_no_task_is_pending() {
    let fx = Fixture::new();
    let denied = fx
        .step(&fx.accepted(), deny(task_id(1)), &reviewer(), DAY)
        .case;
    let t = fx.step(&denied, approve(task_id(2)), &reviewer(), DAY);
    assert_eq!(t.case.state, CaseState::Decided);
    let decision = t.case.decision.expect("decision");
    assert_eq!(decision.approved, [matter("licence-b")]);
    assert_eq!(decision.denied, [matter("licence-a")]);
    assert_eq!(decision.blocked, [matter("licence-c"), matter("licence-d")]);
    assert_eq!(kinds(&t.events), ["task_decided", "decided"]);
}

#[test]
fn only_reviewer_or_system_decides_a_task() {
    let fx = Fixture::new();
    let refused = fx.try_step(&fx.accepted(), approve(task_id(1)), &clerk(), DAY);
    assert_eq!(
        refused.map(|_| ()),
        Err(CaseError::WrongRole {
            action: ActionKind::Decide,
            role: Role::Clerk
        })
    );
}

#[test]
fn deciding_a_task_that_is_not_open_names_its_state() {
    let fx = Fixture::new();
    let waiting = fx.try_step(&fx.accepted(), approve(task_id(3)), &reviewer(), DAY);
    assert_eq!(
        waiting.map(|_| ()),
        Err(CaseError::TaskNotOpen {
            task: task_id(3),
            state: TaskState::Waiting
        })
    );
    let unknown = fx.try_step(&fx.accepted(), approve(task_id(99)), &reviewer(), DAY);
    assert_eq!(
        unknown.map(|_| ()),
        Err(CaseError::UnknownTask { task: task_id(99) })
    );
}

#[test]
fn supplement_stops_and_resumes_the_clock() {
    let fx = Fixture::new();
    let asked = fx
        .step(&fx.accepted(), ask_supplement(task_id(1)), &reviewer(), DAY)
        .case;
    assert_eq!(asked.state, CaseState::SupplementRequested);
    assert_eq!(
        asked.task(task_id(1)).map(|t| t.state),
        Some(TaskState::SupplementRequested)
    );
    assert_eq!(asked.supplement.as_ref().map(|s| s.requested_on), Some(DAY));
    // Paused (10-08, 10-12]: 10-09, Sat 10-10 (调休), 10-12 = 3 working days.
    let back = Action::Supplement { at_window: false };
    let t = fx.step(&asked, back, &applicant(), date!(2026 - 10 - 12));
    let task = t.case.task(task_id(1)).expect("task 1");
    assert_eq!(task.state, TaskState::Open);
    assert_eq!(task.paused_working_days, 3);
    assert_eq!(task.deadline, Some(date!(2026 - 10 - 16)));
    assert_eq!(t.case.deadline, Some(date!(2026 - 10 - 23)));
    // The other task's clock never stopped.
    assert_eq!(
        t.case.task(task_id(2)).and_then(|t| t.deadline),
        Some(date!(2026 - 10 - 20))
    );
    assert_eq!(
        (t.case.state, t.case.supplement.is_none()),
        (CaseState::InReview, true)
    );
    assert_eq!(kinds(&t.events), ["supplemented", "task_resumed"]);
}

#[test]
fn only_one_supplement_request_at_a_time() {
    // 一次性告知: one request names every material.
    let fx = Fixture::new();
    let asked = fx
        .step(&fx.accepted(), ask_supplement(task_id(1)), &reviewer(), DAY)
        .case;
    let again = fx.try_step(&asked, ask_supplement(task_id(2)), &reviewer(), DAY);
    assert_eq!(
        again.map(|_| ()),
        Err(CaseError::SupplementPending { task: task_id(1) })
    );
}

#[test]
fn other_tasks_are_decided_while_a_supplement_is_pending() {
    let fx = Fixture::new();
    let asked = fx
        .step(&fx.accepted(), ask_supplement(task_id(1)), &reviewer(), DAY)
        .case;
    let t = fx.step(&asked, approve(task_id(2)), &reviewer(), DAY);
    assert_eq!(t.case.state, CaseState::SupplementRequested);
    assert_eq!(
        t.case.task(task_id(3)).map(|t| t.state),
        Some(TaskState::Waiting)
    );
}

#[test]
fn supplement_at_a_window_counts_a_trip() {
    let fx = Fixture::new();
    let asked = fx
        .step(&fx.accepted(), ask_supplement(task_id(1)), &reviewer(), DAY)
        .case;
    let uploaded = Action::Supplement { at_window: false };
    let clerk_online = fx.try_step(&asked, uploaded, &clerk(), DAY);
    assert!(matches!(clerk_online, Err(CaseError::WrongRole { .. })));
    let brought = Action::Supplement { at_window: true };
    let t = fx.step(&asked, brought, &clerk(), DAY);
    assert_eq!(t.case.trips, asked.trips + 1);
    assert_eq!(kinds(&t.events).last(), Some(&"trip_counted"));
}

#[test]
fn supplement_with_nothing_asked_is_refused() {
    let fx = Fixture::new();
    let one = fx
        .step(&fx.accepted(), approve(task_id(1)), &reviewer(), DAY)
        .case;
    let t = fx.try_step(
        &one,
        Action::Supplement { at_window: false },
        &applicant(),
        DAY,
    );
    assert_eq!(t.map(|_| ()), Err(CaseError::NothingToSupplement));
}

#[test]
fn rule_decision_approves_or_falls_back_to_reviewer() {
    let fx = Fixture::new();
    let rules = |approved| Action::RuleDecide {
        task: task_id(2),
        approved,
        rule_report: json!({ "checked": ["fire.area"], "failed": [] }),
    };
    let fallback = fx.step(&fx.accepted(), rules(false), &system(), ACCEPTED);
    let task = fallback.case.task(task_id(2)).expect("task 2");
    assert_eq!(task.state, TaskState::Open);
    assert!(task.rule_report.is_some());
    assert_eq!(fallback.events[0].data["next"], "left_for_reviewer");
    let approved = fx.step(&fx.accepted(), rules(true), &system(), ACCEPTED);
    assert_eq!(
        approved.case.task(task_id(2)).map(|t| t.state),
        Some(TaskState::Approved)
    );
    assert_eq!(kinds(&approved.events), ["rule_decided", "task_decided"]);
}

#[test]
fn rule_decision_needs_a_rule_decidable_matter_and_the_system() {
    let fx = Fixture::new();
    let rules = |task| Action::RuleDecide {
        task,
        approved: true,
        rule_report: json!({}),
    };
    let manual = fx.try_step(&fx.accepted(), rules(task_id(1)), &system(), ACCEPTED);
    assert_eq!(
        manual.map(|_| ()),
        Err(CaseError::NotRuleDecidable { task: task_id(1) })
    );
    let by_hand = fx.try_step(&fx.accepted(), rules(task_id(2)), &reviewer(), ACCEPTED);
    assert!(matches!(by_hand, Err(CaseError::WrongRole { .. })));
}

#[test]
fn deadline_warning_at_80_percent_and_overdue_after() {
    let fx = Fixture::new();
    let mark =
        |case: &Case, today| fx.step(case, Action::MarkDeadlines { today }, &system(), today);
    // Task 1: 5 days due 10-13. On Sat 10-10 3 are used; on 10-12, 4 (80 %).
    let early = mark(&fx.accepted(), date!(2026 - 10 - 10));
    assert!(early.events.is_empty());
    let yellow = mark(&fx.accepted(), date!(2026 - 10 - 12));
    assert_eq!(kinds(&yellow.events), ["deadline_warning"]);
    assert_eq!(yellow.case.tasks[0].flag, DeadlineFlag::Warning);
    let red = mark(&yellow.case, date!(2026 - 10 - 14));
    assert_eq!(kinds(&red.events), ["deadline_overdue"]);
    assert_eq!(red.case.tasks[0].flag, DeadlineFlag::Overdue);
    // Task 2 (10 days, due 10-20) has used 6 of 10 by 10-14.
    assert_eq!(red.case.tasks[1].flag, DeadlineFlag::None);
}

#[test]
fn marking_deadlines_again_without_change_writes_nothing() {
    let fx = Fixture::new();
    let today = date!(2026 - 10 - 12);
    let mark = Action::MarkDeadlines { today };
    let once = fx.step(&fx.accepted(), mark.clone(), &system(), today).case;
    let twice = fx.step(&once, mark, &system(), today);
    assert!(twice.events.is_empty());
    assert_eq!(twice.case, once);
}

#[test]
fn paused_task_gets_no_card() {
    let fx = Fixture::new();
    let asked = fx
        .step(&fx.accepted(), ask_supplement(task_id(1)), &reviewer(), DAY)
        .case;
    let today = date!(2026 - 10 - 30);
    let t = fx.step(&asked, Action::MarkDeadlines { today }, &system(), today);
    assert_eq!(t.case.tasks[0].flag, DeadlineFlag::None);
    assert_eq!(t.case.tasks[1].flag, DeadlineFlag::Overdue);
}
