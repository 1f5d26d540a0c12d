//! The authorization gate of `yici_service`, role by role and use case by
//! use case: every pair that must be refused is refused with "forbidden",
//! before anything is read or written; every pair that is allowed passes
//! the gate (it may still find nothing). Then the scopes: own cases, the
//! clerk's city, the reviewer's department and region.

mod support;

use std::future::Future;
use std::pin::Pin;

use serde_json::json;
use support::{TestApp, window_karaoke};
use yici_core::case::{CaseId, Role, Target};
use yici_core::catalog::OneThingCode;
use yici_service::cases::{Application, CaseFilter, TaskFilter};
use yici_service::supervision::{OutboxFilter, StatsQuery};
use yici_service::{Caller, Service, ServiceError};

/// Every role a person signs in with, by a demo account of it.
const ROLES: [(Role, &str); 5] = [
    (Role::Applicant, "applicant"),
    (Role::Clerk, "clerk"),
    (Role::Reviewer, "reviewer-scjg"),
    (Role::Supervisor, "supervisor"),
    (Role::Admin, "admin"),
];

type Done = Result<(), ServiceError>;
type Call = for<'a> fn(&'a Service, &'a Caller) -> Pin<Box<dyn Future<Output = Done> + 'a>>;

/// A use case called with inputs that name nothing in particular: what
/// matters here is whether the gate lets the caller through.
struct UseCase {
    name: &'static str,
    allowed: &'static [Role],
    call: Call,
}

fn nothing() -> CaseId {
    CaseId::parse("019a0000-0000-7000-8000-000000000000").expect("id")
}

fn karaoke() -> Target {
    Target::OneThing(OneThingCode::parse("ot-karaoke").expect("code"))
}

macro_rules! use_case {
    ($name:expr, [$($role:ident),*], |$s:ident, $c:ident| { $($body:tt)* }) => {{
        fn call<'a>($s: &'a Service, $c: &'a Caller) -> Pin<Box<dyn Future<Output = Done> + 'a>> {
            Box::pin(async move {
                let done: Result<_, ServiceError> = async move { $($body)* }.await;
                done.map(|_| ())
            })
        }
        UseCase {
            name: $name,
            allowed: &[$(Role::$role),*],
            call,
        }
    }};
}

fn use_cases() -> Vec<UseCase> {
    vec![
        use_case!("submit (intake)", [Applicant, Clerk], |s, c| {
            let app = Application {
                target: karaoke(),
                applicant: None,
                form: json!({}),
                channel: "online".into(),
                window: None,
            };
            s.intake(c)?.submit(app, None).await
        }),
        use_case!("apply online", [Applicant], |s, c| {
            s.applicant(c)?
                .apply_online(karaoke(), None, json!({}), None)
                .await
        }),
        use_case!("consent: grant", [Applicant], |s, c| {
            s.applicant(c)?.decide_consent(&nothing(), true).await
        }),
        use_case!("consent: withdraw", [Applicant], |s, c| {
            s.applicant(c)?.withdraw_consent(&nothing()).await
        }),
        use_case!("who read my data", [Applicant], |s, c| {
            s.applicant(c)?.my_reads(10, 0).await
        }),
        use_case!("my plan and pre-filled form", [Applicant], |s, c| {
            s.applicant(c)?.personal_form(&karaoke()).await
        }),
        use_case!("my certificates", [Applicant], |s, c| {
            s.applicant(c)?.my_certificates().await
        }),
        use_case!("present a certificate", [Applicant], |s, c| {
            s.applicant(c)?.present("nothing", &["title"]).await
        }),
        use_case!("my cases", [Applicant], |s, c| {
            s.applicant(c)?.my_cases(10, 0).await
        }),
        use_case!(
            "list cases",
            [Applicant, Clerk, Supervisor, Admin],
            |s, c| { s.case_lists(c)?.list(CaseFilter::default()).await }
        ),
        use_case!("task queue", [Reviewer, Supervisor, Admin], |s, c| {
            s.task_queues(c)?.tasks(TaskFilter::default()).await
        }),
        use_case!("decide a task", [Reviewer], |s, c| {
            s.review(c)?
                .decide("nothing", None, "approve", &[], None)
                .await
        }),
        use_case!("read a task's shared data", [Reviewer], |s, c| {
            s.review(c)?.read_task_data("nothing", None).await
        }),
        use_case!("fill a data set", [Reviewer, Admin], |s, c| {
            s.department(c)?
                .put_record("nothing", "nobody", Default::default())
                .await
        }),
        use_case!("import a data set", [Reviewer, Admin], |s, c| {
            s.department(c)?.import("nothing", b"").await
        }),
        use_case!("revoke a certificate", [Reviewer, Admin], |s, c| {
            s.department(c)?
                .set_certificate_status("nothing", "revoked", "test")
                .await
        }),
        use_case!("statistics", [Supervisor, Admin], |s, c| {
            s.supervision(c)?.stats(&StatsQuery::default()).await
        }),
        use_case!("delivery record", [Supervisor, Admin], |s, c| {
            let filter = OutboxFilter {
                state: None,
                destination: None,
                limit: 10,
                offset: 0,
            };
            s.supervision(c)?.outbox(&filter).await
        }),
        use_case!("rotate an e-seal", [Admin], |s, c| {
            s.admin(c)?.rotate_seal("nothing").await
        }),
        use_case!("send a dead letter again", [Admin], |s, c| {
            s.admin(c)?.retry_message("nothing").await
        }),
    ]
}

/// The caller of demo account `username`, signed in through the service.
async fn caller(service: &Service, username: &str) -> Caller {
    let session = service.sign_in(username, "demo").await.expect("sign in");
    service
        .authenticate(&session.token)
        .await
        .expect("session")
        .expect("valid session")
}

both!(
    every_refused_role_and_use_case_pair_is_forbidden,
    |app: TestApp| async move {
        let service = app.service();
        let mut checked = 0;
        for (role, username) in ROLES {
            let who = caller(service, username).await;
            assert_eq!(who.role(), role);
            for case in use_cases() {
                let outcome = (case.call)(service, &who).await;
                let refused = matches!(outcome, Err(ServiceError::Forbidden(_)));
                if case.allowed.contains(&role) {
                    assert!(
                        !refused,
                        "{role} must pass the gate of {}: {outcome:?}",
                        case.name
                    );
                } else {
                    assert!(refused, "{role} must be refused {}: {outcome:?}", case.name);
                    checked += 1;
                }
            }
        }
        let allowed: usize = use_cases().iter().map(|u| u.allowed.len()).sum();
        assert_eq!(checked, ROLES.len() * use_cases().len() - allowed);
    }
);

both!(
    an_applicant_sees_and_decides_only_their_own_cases,
    |app: TestApp| async move {
        let clerk = app.login("clerk").await;
        let case = window_karaoke(&app, &clerk, None).await;
        let id = CaseId::parse(case["id"].as_str().expect("id")).expect("case id");
        let service = app.service();
        // The case is 张三's; 李梅 may not know it exists.
        let li = caller(service, "applicant2").await;
        let not_found =
            |r: Result<_, ServiceError>| matches!(r, Err(ServiceError::NotFound { .. }));
        assert!(not_found(
            service
                .cases(&li)
                .expect("desk")
                .history(&id)
                .await
                .map(|_| ())
        ));
        let desk = service.applicant(&li).expect("desk");
        assert!(not_found(desk.decide_consent(&id, true).await.map(|_| ())));
        let zhang = caller(service, "applicant").await;
        assert!(
            service
                .cases(&zhang)
                .expect("desk")
                .history(&id)
                .await
                .is_ok()
        );
    }
);

both!(
    a_reviewer_decides_only_their_departments_tasks,
    |app: TestApp| async move {
        let clerk = app.login("clerk").await;
        let case = window_karaoke(&app, &clerk, None).await;
        let id = case["id"].as_str().expect("id").to_owned();
        assert_eq!(app.accept_new(&clerk, &id).await.status, 200);
        let case_id = CaseId::parse(&id).expect("case id");
        let stored = app.store.case(&case_id).await.expect("read").expect("case");
        let fire = stored
            .case
            .tasks
            .iter()
            .find(|t| t.department.as_str() == "xf")
            .expect("a fire task");
        let service = app.service();
        let market = caller(service, "reviewer-scjg").await;
        let refused = service
            .review(&market)
            .expect("desk")
            .decide(&fire.id.to_string(), None, "approve", &[], None)
            .await;
        assert!(
            matches!(refused, Err(ServiceError::Forbidden(_))),
            "{refused:?}"
        );
        let queue = TaskFilter {
            department: Some("xf".into()),
            ..TaskFilter::default()
        };
        let refused = service.cases(&market).expect("desk").tasks(queue).await;
        assert!(
            matches!(refused, Err(ServiceError::Forbidden(_))),
            "{refused:?}"
        );
        let refused = service
            .review(&market)
            .expect("desk")
            .read_task_data(&fire.id.to_string(), None)
            .await;
        assert!(
            matches!(refused, Err(ServiceError::Forbidden(_))),
            "{refused:?}"
        );
        // Nothing was decided.
        let after = app.store.case(&case_id).await.expect("read").expect("case");
        assert_eq!(after.case.version, stored.case.version);
    }
);

both!(
    a_department_writes_only_its_own_data_sets,
    |app: TestApp| async move {
        let service = app.service();
        let market = caller(service, "reviewer-scjg").await;
        let refused = service
            .department(&market)
            .expect("desk")
            .put_record("household", &support::zhang_san(), Default::default())
            .await;
        assert!(
            matches!(refused, Err(ServiceError::Forbidden(_))),
            "{refused:?}"
        );
        let admin = caller(service, "admin").await;
        let written = service
            .department(&admin)
            .expect("desk")
            .put_record("household", &support::zhang_san(), Default::default())
            .await;
        assert!(written.is_ok(), "{written:?}");
    }
);
