//! Result, delivery, rating, withdrawal, and what holds for every
//! transition: versions, events, errors.

use time::macros::date;

use super::*;
use crate::calendar::WorkingDays;
use crate::catalog::{DeliveryMode, FieldKey};

const DAY: Date = date!(2026 - 10 - 09);

fn deliver(mode: DeliveryMode, tracking: Option<&str>, window: Option<WindowCode>) -> Action {
    Action::Deliver {
        mode,
        tracking: tracking.map(|t| TrackingNumber::parse(t).expect("valid tracking")),
        window,
    }
}

#[test]
fn window_pickup_counts_a_trip_express_does_not() {
    let fx = Fixture::new();
    let issued = fx.issued();
    let pickup = fx.step(
        &issued,
        deliver(DeliveryMode::Window, None, Some(window())),
        &clerk(),
        DAY,
    );
    assert_eq!(pickup.case.trips, issued.trips + 1);
    assert_eq!(kinds(&pickup.events), ["delivered", "trip_counted"]);
    let express = deliver(DeliveryMode::Express, Some("SF1234567890"), None);
    let sent = fx.step(&issued, express, &system(), DAY);
    assert_eq!(sent.case.trips, issued.trips);
    assert_eq!(kinds(&sent.events), ["delivered"]);
}

#[test]
fn express_delivery_requires_tracking_number() {
    let fx = Fixture::new();
    let refused = fx.try_step(
        &fx.issued(),
        deliver(DeliveryMode::Express, None, None),
        &system(),
        DAY,
    );
    assert_eq!(refused.map(|_| ()), Err(CaseError::TrackingRequired));
}

#[test]
fn window_pickup_names_the_window() {
    let fx = Fixture::new();
    let refused = fx.try_step(
        &fx.issued(),
        deliver(DeliveryMode::Window, None, None),
        &clerk(),
        DAY,
    );
    assert_eq!(refused.map(|_| ()), Err(CaseError::WindowRequired));
}

#[test]
fn result_waits_for_the_materials_accepted_with_deficiency() {
    let fx = Fixture::new();
    let action = Action::AcceptWithDeficiency {
        materials: vec![FieldKey::parse("fire.certificate").expect("key")],
        due_in: WorkingDays::new(5).expect("days"),
    };
    let mut case = fx.step(&fx.at_window(), action, &clerk(), ACCEPTED).case;
    for n in 1..=4 {
        case = fx.step(&case, approve(task_id(n)), &reviewer(), DAY).case;
    }
    let early = fx.try_step(&case, Action::IssueResult, &system(), DAY);
    assert_eq!(
        early.map(|_| ()),
        Err(CaseError::DeficiencyOutstanding {
            due: date!(2026 - 10 - 13)
        })
    );
    let supplied = fx
        .step(
            &case,
            Action::Supplement { at_window: false },
            &applicant(),
            DAY,
        )
        .case;
    assert_eq!(
        (supplied.state, supplied.deficiency.is_none()),
        (CaseState::Decided, true)
    );
    assert!(
        fx.try_step(&supplied, Action::IssueResult, &system(), DAY)
            .is_ok()
    );
}

#[test]
fn rating_only_after_delivery_and_once() {
    let fx = Fixture::new();
    let rate = || Action::Rate(Rating::new(5, Some("一次都没跑".into())).expect("rating"));
    let early = fx.try_step(&fx.issued(), rate(), &applicant(), DAY);
    assert_eq!(
        early.map(|_| ()),
        Err(CaseError::NotAllowed {
            state: CaseState::ResultIssued,
            action: ActionKind::Rate
        })
    );
    let rated = fx.step(&fx.delivered(), rate(), &applicant(), DAY).case;
    assert_eq!(rated.rating.as_ref().map(Rating::score), Some(5));
    let again = fx.try_step(&rated, rate(), &applicant(), DAY);
    assert_eq!(again.map(|_| ()), Err(CaseError::AlreadyRated));
}

#[test]
fn only_the_applicant_rates() {
    let fx = Fixture::new();
    let rate = Action::Rate(Rating::new(1, None).expect("rating"));
    let refused = fx.try_step(&fx.delivered(), rate, &clerk(), DAY);
    assert!(matches!(refused, Err(CaseError::WrongRole { .. })));
}

#[test]
fn withdraw_not_allowed_after_decision() {
    let fx = Fixture::new();
    let withdraw = || Action::Withdraw {
        reason: "不开了".into(),
    };
    let refused = fx.try_step(&fx.decided(), withdraw(), &applicant(), DAY);
    assert_eq!(
        refused.map(|_| ()),
        Err(CaseError::NotAllowed {
            state: CaseState::Decided,
            action: ActionKind::Withdraw
        })
    );
    let t = fx.step(&fx.accepted(), withdraw(), &applicant(), DAY);
    assert_eq!(t.case.state, CaseState::Withdrawn);
    assert!(t.case.tasks.iter().all(|t| t.state == TaskState::Cancelled));
}

#[test]
fn invalid_transition_names_state_and_action() {
    let fx = Fixture::new();
    let err = fx
        .try_step(&fx.at_window(), Action::IssueResult, &system(), DAY)
        .expect_err("not allowed");
    assert_eq!(
        err.to_string(),
        "action `issue_result` is not allowed when the case is `submitted`"
    );
    assert_eq!(err.rule(), "transition_not_allowed");
}

#[test]
fn version_increments_by_one_per_transition() {
    let fx = Fixture::new();
    let submitted = fx.at_window();
    let accepted = fx.step(&submitted, Action::Accept, &clerk(), ACCEPTED);
    assert_eq!(accepted.case.version, submitted.version + 1);
    let decided = fx.step(&accepted.case, approve(task_id(1)), &reviewer(), DAY);
    assert_eq!(decided.case.version, accepted.case.version + 1);
}

#[test]
fn events_carry_the_new_version_the_actor_and_both_states() {
    let fx = Fixture::new();
    let t = fx.step(&fx.at_window(), Action::Accept, &clerk(), ACCEPTED);
    for (i, event) in (0u32..).zip(&t.events) {
        assert_eq!((event.seq, event.index), (t.case.version, i));
        assert_eq!(
            (event.actor.as_str(), event.role),
            ("clerk.li", Role::Clerk)
        );
        assert_eq!(event.from_state, Some(CaseState::Submitted));
        assert_eq!(event.to_state, CaseState::Accepted);
        assert_eq!(event.on, ACCEPTED);
    }
}

#[test]
fn the_same_command_gives_the_same_events() {
    let fx = Fixture::new();
    let case = fx.accepted();
    let a = fx.step(&case, deny(task_id(1)), &reviewer(), DAY);
    let b = fx.step(&case, deny(task_id(1)), &reviewer(), DAY);
    assert_eq!(a, b);
}

#[test]
fn events_name_no_personal_data() {
    let (_, events) = Fixture::new()
        .submit(Channel::Window { window: window() }, &clerk())
        .expect("submitted");
    let text = serde_json::to_string(&events).expect("serialize");
    assert!(!text.contains("11010519491231002X") && !text.contains("张三"));
}

#[test]
fn case_and_actions_round_trip_through_json() {
    let case = Fixture::new().decided();
    let text = serde_json::to_string(&case).expect("serialize");
    assert!(text.contains("\"submitted_on\":\"2026-09-30\""));
    assert_eq!(
        serde_json::from_str::<Case>(&text).expect("deserialize"),
        case
    );
    let actions = [
        ask_supplement(task_id(1)),
        Action::MarkDeadlines { today: DAY },
        Action::Rate(Rating::new(4, None).expect("rating")),
        deliver(DeliveryMode::Express, Some("SF1234567890"), None),
    ];
    for action in actions {
        let text = serde_json::to_string(&action).expect("serialize");
        assert_eq!(serde_json::from_str::<Action>(&text).expect(&text), action);
    }
}

#[test]
fn action_json_uses_snake_case_tags() {
    let json = serde_json::to_value(deny(task_id(1))).expect("serialize");
    assert_eq!(json["action"], "decide");
    assert_eq!(json["outcome"], "deny");
}
