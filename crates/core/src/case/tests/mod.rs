//! Specifications of the case machine. Every test builds its case through
//! the one [`Fixture`] below: a one-thing of four matters in three stages,
//! applied for by a person of 330106 (西湖区) at a window of 330102.

mod acceptance;
mod result;
mod review;

use serde_json::json;
use time::Date;
use time::macros::date;
use uuid::Uuid;

use super::*;
use crate::calendar::{Calendar, WorkingDays};
use crate::catalog::{DepartmentCode, MatterCode, OneThingCode, WindowCode};
use crate::identifier::{RegionCode, ResidentId};

/// Accepted on the day before National Day 2026 (10-01 to 10-07 off,
/// Saturday 10-10 worked).
const ACCEPTED: Date = date!(2026 - 09 - 30);

fn task_id(n: u128) -> TaskId {
    TaskId::from_uuid(Uuid::from_u128(n))
}

fn matter(code: &str) -> MatterCode {
    MatterCode::parse(code).expect("valid matter code")
}

fn window() -> WindowCode {
    WindowCode::parse("hall-1").expect("valid window code")
}

fn actor(user: &str, role: Role) -> Actor {
    Actor {
        user: user.into(),
        role,
    }
}

fn applicant() -> Actor {
    actor("zhang.san", Role::Applicant)
}

fn clerk() -> Actor {
    actor("clerk.li", Role::Clerk)
}

fn reviewer() -> Actor {
    actor("reviewer.wang", Role::Reviewer)
}

fn system() -> Actor {
    actor("worker", Role::System)
}

fn approve(task: TaskId) -> Action {
    Action::Decide {
        task,
        outcome: Outcome::Approve,
        comment: None,
    }
}

fn deny(task: TaskId) -> Action {
    Action::Decide {
        task,
        outcome: Outcome::Deny,
        comment: Some("不符合法定条件".into()),
    }
}

fn ask_supplement(task: TaskId) -> Action {
    Action::Decide {
        task,
        outcome: Outcome::Supplement {
            materials: vec![crate::catalog::FieldKey::parse("site.plan").expect("key")],
        },
        comment: Some("平面图不清晰".into()),
    }
}

fn kinds(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(|e| e.kind.as_str()).collect()
}

/// Task 1 `licence-a` (5 days) and task 2 `licence-b` (10 days, rules may
/// decide it) in stage 1; task 3 `licence-c` (3 days) needs `licence-a`;
/// task 4 `licence-d` (2 days) needs `licence-c`.
fn specs() -> Vec<TaskSpec> {
    let spec = |n: u128, code: &str, dept: &str, stage, deps: &[&str], days, rules| TaskSpec {
        id: task_id(n),
        matter: matter(code),
        department: DepartmentCode::parse(dept).expect("valid department"),
        stage,
        depends_on: deps.iter().map(|d| matter(d)).collect(),
        promised_limit: WorkingDays::new(days).expect("valid limit"),
        rule_decidable: rules,
    };
    vec![
        spec(1, "licence-a", "scjg", 1, &[], 5, false),
        spec(2, "licence-b", "xf", 1, &[], 10, true),
        spec(3, "licence-c", "wh", 2, &["licence-a"], 3, false),
        spec(4, "licence-d", "hb", 3, &["licence-c"], 2, false),
    ]
}

/// Builds cases at each point of their life, the same way every time.
struct Fixture {
    cal: &'static Calendar,
}

impl Fixture {
    fn new() -> Self {
        Fixture {
            cal: Calendar::official(),
        }
    }

    fn submit(&self, channel: Channel, by: &Actor) -> Result<(Case, Vec<Event>), CaseError> {
        let person = Applicant::Person {
            resident_id: ResidentId::parse_at("11010519491231002X", ACCEPTED).expect("valid id"),
            name: "张三".into(),
            region: RegionCode::parse("330106").expect("valid region"),
        };
        let target = Target::OneThing(OneThingCode::parse("open-ktv").expect("valid code"));
        let id = CaseId::from_uuid(Uuid::from_u128(42));
        let form = json!({ "applicant.name": "张三" });
        Case::submit(id, person, target, channel, form, specs(), 1, ACCEPTED, by)
    }

    fn at_window(&self) -> Case {
        let channel = Channel::Window { window: window() };
        self.submit(channel, &clerk()).expect("window submission").0
    }

    fn online(&self) -> Case {
        self.submit(Channel::Online, &applicant())
            .expect("online submission")
            .0
    }

    fn try_step(
        &self,
        case: &Case,
        action: Action,
        by: &Actor,
        on: Date,
    ) -> Result<Transition, CaseError> {
        apply(case, action, by, on, self.cal)
    }

    fn step(&self, case: &Case, action: Action, by: &Actor, on: Date) -> Transition {
        self.try_step(case, action, by, on)
            .expect("allowed transition")
    }

    /// A window case accepted on [`ACCEPTED`].
    fn accepted(&self) -> Case {
        self.step(&self.at_window(), Action::Accept, &clerk(), ACCEPTED)
            .case
    }

    /// Every task approved, stage by stage, on 2026-10-08.
    fn decided(&self) -> Case {
        let on = date!(2026 - 10 - 08);
        let mut case = self.accepted();
        for n in 1..=4 {
            case = self.step(&case, approve(task_id(n)), &reviewer(), on).case;
        }
        assert_eq!(case.state, CaseState::Decided);
        case
    }

    /// Decided and issued.
    fn issued(&self) -> Case {
        self.step(
            &self.decided(),
            Action::IssueResult,
            &system(),
            date!(2026 - 10 - 09),
        )
        .case
    }

    /// Issued and sent electronically.
    fn delivered(&self) -> Case {
        let deliver = Action::Deliver {
            mode: crate::catalog::DeliveryMode::Electronic,
            tracking: None,
            window: None,
        };
        self.step(&self.issued(), deliver, &system(), date!(2026 - 10 - 09))
            .case
    }
}

/// [`CaseError`] names states and channels, and the events name states, so
/// the module of the states must not import the error back: the case's
/// modules import each other in no circle.
#[test]
fn the_case_states_do_not_import_the_case_error() {
    let states = include_str!("../state.rs");
    assert!(!states.contains("error::"), "state.rs imports error.rs");
}
