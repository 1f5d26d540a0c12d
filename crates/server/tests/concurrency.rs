//! Two people acting on the same case at the same moment: exactly one wins,
//! the other gets 409 problem+json, and the history records one change.
//! Each request runs on its own runtime worker, released together.

mod support;

use std::sync::Arc;

use serde_json::{Value, json};
use support::{Reply, TestApp, assert_problem};
use tokio::sync::Barrier;

/// One POST of JSON with a bearer token.
struct Call {
    uri: String,
    token: String,
    body: Value,
    if_match: Option<&'static str>,
}

/// Sends two requests at once, each from its own task, released together.
async fn at_once(app: &Arc<TestApp>, calls: [Call; 2]) -> [Reply; 2] {
    let barrier = Arc::new(Barrier::new(2));
    let [a, b] = calls.map(|call| {
        let app = Arc::clone(app);
        let barrier = Arc::clone(&barrier);
        tokio::spawn(async move {
            let headers: Vec<(&str, &str)> =
                call.if_match.iter().map(|v| ("if-match", *v)).collect();
            barrier.wait().await;
            app.json("POST", &call.uri, Some(&call.token), call.body, &headers)
                .await
        })
    });
    let (a, b) = tokio::join!(a, b);
    [a.expect("first request"), b.expect("second request")]
}

/// Exactly one 200; the other a 409 problem. Returns the winner's case.
fn one_wins(replies: &[Reply; 2]) -> Value {
    let statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    let (won, lost) = match statuses.as_slice() {
        [200, 409] => (&replies[0], &replies[1]),
        [409, 200] => (&replies[1], &replies[0]),
        _ => panic!(
            "expected one 200 and one 409, got {statuses:?}: {} | {}",
            replies[0].body, replies[1].body
        ),
    };
    assert_problem(lost, 409, None);
    won.json()
}

async fn events(app: &TestApp, id: &str, token: &str) -> (u64, Vec<Value>) {
    let case = app
        .get_as(&format!("/api/v1/cases/{id}"), token)
        .await
        .json();
    let events = case["events"].as_array().expect("events").clone();
    (case["version"].as_u64().expect("version"), events)
}

both!(
    two_reviewers_deciding_one_task_at_once_one_wins_the_other_gets_409,
    |app: TestApp| async move {
        let app = Arc::new(app);
        let clerk = app.login("clerk").await;
        let case = support::window_karaoke(&app, &clerk, None).await;
        let id = case["id"].as_str().expect("id").to_owned();
        let r = app
            .json(
                "POST",
                &format!("/api/v1/cases/{id}/accept"),
                Some(&clerk),
                json!({"version": 1}),
                &[],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let task = case["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .find(|t| t["department"] == "scjg")
            .and_then(|t| t["id"].as_str())
            .expect("scjg task")
            .to_owned();
        // Two sessions of the department's reviewer, as at two desks.
        let first = app.login("reviewer-scjg").await;
        let second = app.login("reviewer-scjg").await;
        let uri = format!("/api/v1/tasks/{task}/decision");
        let decide = |token: String, outcome: &str, comment: &str| Call {
            uri: uri.clone(),
            token,
            body: json!({"outcome": outcome, "comment": comment}),
            if_match: None,
        };
        let replies = at_once(
            &app,
            [
                decide(first, "approve", "符合条件"),
                decide(second, "deny", "材料不符"),
            ],
        )
        .await;
        let won = one_wins(&replies);

        let supervisor = app.login("supervisor").await;
        let (version, history) = events(&app, &id, &supervisor).await;
        assert_eq!(
            version,
            won["version"].as_u64().expect("version"),
            "nothing after the winner"
        );
        let decided: Vec<&Value> = history
            .iter()
            .filter(|e| e["kind"] == "task_decided" && e["data"]["task"] == task.as_str())
            .collect();
        assert_eq!(decided.len(), 1, "one decision recorded: {history:?}");
        assert_eq!(history.last().expect("events")["seq"], version);
    }
);

both!(
    two_clerks_accepting_one_case_at_once_one_wins_the_other_gets_409,
    |app: TestApp| async move {
        let app = Arc::new(app);
        let clerk = app.login("clerk").await;
        let id = support::window_karaoke(&app, &clerk, None).await["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let other = app.login("clerk").await;
        let uri = format!("/api/v1/cases/{id}/accept");
        let accept = |token: String| Call {
            uri: uri.clone(),
            token,
            body: json!({}),
            if_match: Some("\"1\""),
        };
        let replies = at_once(&app, [accept(clerk.clone()), accept(other)]).await;
        let won = one_wins(&replies);
        assert_eq!(won["version"], 2);

        let (version, history) = events(&app, &id, &clerk).await;
        assert_eq!(version, 2);
        let accepted = history.iter().filter(|e| e["kind"] == "accepted").count();
        assert_eq!(accepted, 1, "one acceptance recorded: {history:?}");
        assert!(history.iter().all(|e| e["seq"].as_u64() <= Some(2)));
    }
);

both!(
    files_given_while_the_writer_commits_cases_are_all_kept,
    |app: TestApp| async move {
        // A file's transaction runs beside the case writer: on SQLite it
        // must wait its turn, not fail with "database is locked".
        let app = Arc::new(app);
        let clerk = app.login("clerk").await;
        let case = support::materials::karaoke_case(&app, &clerk).await;
        let brought = support::materials::karaoke_brought(&app);
        let mut files = Vec::new();
        let mut cases = Vec::new();
        // Five files of each material (within the 20 a material takes).
        let rounds = brought.len() * 5;
        for i in 0..rounds {
            let (app_f, clerk_f, case) = (Arc::clone(&app), clerk.clone(), case.clone());
            let material = brought[i % brought.len()].clone();
            files.push(tokio::spawn(async move {
                let scan = [support::materials::PDF, format!("% {i}\n").as_bytes()].concat();
                support::materials::give(
                    &app_f,
                    &clerk_f,
                    &case,
                    &material,
                    "a.pdf",
                    "application/pdf",
                    scan,
                )
                .await
            }));
            let (app_c, clerk_c) = (Arc::clone(&app), clerk.clone());
            cases.push(tokio::spawn(async move {
                // Asserts its own 201.
                support::window_karaoke(&app_c, &clerk_c, Some(&format!("busy-{i}"))).await
            }));
        }
        for f in files {
            let r = f.await.expect("task");
            assert_eq!(r.status, 201, "{}", r.body);
        }
        for c in cases {
            c.await.expect("a case submitted beside the files");
        }
        let kept = app.store.case_files(&case).await.expect("files");
        assert_eq!(kept.len(), rounds);
    }
);
