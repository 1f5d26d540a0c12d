//! Webhook delivery: signed CloudEvents to departments' own systems,
//! retried with back-off, on SQLite and PostgreSQL.

mod support;

use serde_json::{Value, json};
use yici_service::workers::{self as worker};

use support::hall::*;

// ---------------------------------------------------------------------------
// Webhooks.

on_both!(
    opened_task_reaches_its_department_as_a_signed_cloudevent,
    departments = ["sthj"],
    fail_first = 0,
    |hall: Hall, receiver: Receiver| async move {
        let id = hall.accepted_karaoke().await;
        let report = hall.delivery_pass().await;
        assert_eq!((report.delivered, report.failed), (1, 0), "{report:?}");

        let got = receiver.got();
        assert_eq!(got.len(), 1);
        let r = &got[0];
        assert_eq!(
            r.content_type,
            "application/cloudevents+json; charset=utf-8"
        );
        assert!(r.signature_valid);
        assert_eq!(r.timestamp, ACCEPTED.unix_timestamp().to_string());
        let e = &r.event;
        assert_eq!(e["specversion"], "1.0");
        assert_eq!(e["type"], "cn.yici.task.opened");
        assert!(e["id"].as_str().is_some_and(|s| !s.is_empty()), "{e}");
        assert_eq!(e["source"], format!("/yici/cases/{id}"));
        let case = hall.case(&id).await;
        assert_eq!(e["data"]["task_id"], task(&case, "sthj")["id"]);
        assert_eq!(e["data"]["department"], "sthj");

        assert_eq!(
            hall.delivery_pass().await,
            worker::DeliveryReport::default()
        );
        assert_eq!(receiver.got().len(), 1, "delivered once");
    }
);

on_both!(
    failing_receiver_gets_the_message_again_after_back_off,
    departments = ["sthj"],
    fail_first = 2,
    |hall: Hall, receiver: Receiver| async move {
        hall.accepted_karaoke().await;
        let at = |secs: i64| ACCEPTED + time::Duration::seconds(secs);

        let first = hall.delivery_pass().await;
        assert_eq!((first.delivered, first.failed), (0, 1));
        // The first retry waits 5 s, less up to a fifth of jitter.
        hall.clock.set(at(3));
        assert_eq!(
            hall.delivery_pass().await,
            worker::DeliveryReport::default()
        );
        hall.clock.set(at(5));
        let second = hall.delivery_pass().await;
        assert_eq!((second.delivered, second.failed), (0, 1));
        // The second waits twice as long: 8 to 10 s.
        hall.clock.set(at(5 + 7));
        assert_eq!(
            hall.delivery_pass().await,
            worker::DeliveryReport::default()
        );
        hall.clock.set(at(5 + 10));
        let third = hall.delivery_pass().await;
        assert_eq!((third.delivered, third.failed), (1, 0));
        hall.clock.set(at(2 * 3600));
        assert_eq!(
            hall.delivery_pass().await,
            worker::DeliveryReport::default()
        );

        let got = receiver.got();
        let answers: Vec<u16> = got.iter().map(|r| r.answered).collect();
        assert_eq!(answers, [500, 500, 200]);
        assert!(got.iter().all(|r| r.signature_valid));
        assert!(
            got.iter().all(|r| r.event["id"] == got[0].event["id"]),
            "the same message each time"
        );
        assert_eq!(got[2].timestamp, at(5 + 10).unix_timestamp().to_string());
    }
);

on_both!(
    department_without_a_webhook_gets_no_message,
    departments = ["sthj"],
    fail_first = 0,
    |hall: Hall, receiver: Receiver| async move {
        let id = hall.accepted_karaoke().await;
        // The first stage (scjg, sthj) decided opens the second (xf, wjw,
        // wglj), whose departments have no webhooks.
        let case = hall.case(&id).await;
        for d in ["scjg", "sthj"] {
            let t = task(&case, d)["id"].as_str().expect("id").to_owned();
            let reviewer = hall.login(&format!("reviewer-{d}")).await;
            let r = hall
                .json(
                    "POST",
                    &format!("/api/v1/tasks/{t}/decision"),
                    &reviewer,
                    json!({"outcome": "approve"}),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
        let case = hall.case(&id).await;
        for d in ["xf", "wjw", "wglj"] {
            assert_eq!(task(&case, d)["state"], "open", "{d}");
        }

        let report = hall.delivery_pass().await;
        assert_eq!(
            (report.delivered, report.failed),
            (1, 0),
            "nothing else is queued"
        );
        let departments: Vec<Value> = receiver
            .got()
            .iter()
            .map(|r| r.event["data"]["department"].clone())
            .collect();
        assert_eq!(departments, [json!("sthj")]);
    }
);

on_both!(
    message_failing_its_last_attempt_is_a_dead_letter_until_an_admin_retries_it,
    departments = ["sthj"],
    fail_first = worker::LAST_ATTEMPT,
    |hall: Hall, receiver: Receiver| async move {
        hall.accepted_karaoke().await;
        // Every pass comes two hours later, past the longest back-off.
        let mut at = ACCEPTED;
        let mut dead = 0;
        for pass in 1..=worker::LAST_ATTEMPT {
            let report = hall.delivery_pass().await;
            assert_eq!((report.delivered, report.failed), (0, 1), "pass {pass}");
            dead += report.dead;
            at += time::Duration::hours(2);
            hall.clock.set(at);
        }
        assert_eq!(dead, 1, "set aside once, at the last attempt");
        assert_eq!(receiver.got().len() as u32, worker::LAST_ATTEMPT);
        hall.clock.set(at + time::Duration::days(30));
        assert_eq!(
            hall.delivery_pass().await,
            worker::DeliveryReport::default(),
            "a dead letter is not tried again on its own"
        );

        let supervisor = hall.login("supervisor").await;
        let r = hall
            .app
            .get_as("/api/v1/outbox?state=dead", &supervisor)
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let page = r.json();
        assert_eq!(page["total"], 1, "{page}");
        let letter = &page["items"][0];
        assert_eq!(letter["destination"], "sthj");
        assert_eq!(letter["state"], "dead");
        assert_eq!(letter["attempts"], worker::LAST_ATTEMPT);
        assert_eq!(
            letter["last_error"],
            "answered HTTP 500 Internal Server Error"
        );
        assert!(letter.get("payload").is_none(), "no personal data listed");
        let id = letter["id"].as_str().expect("id").to_owned();
        assert_eq!(receiver.got()[0].event["id"], id.as_str());

        let retry = format!("/api/v1/outbox/{id}/retry");
        let r = hall.json("POST", &retry, &supervisor, json!({})).await;
        assert_eq!(r.status, 403, "only an admin sends it again: {}", r.body);
        let admin = hall.login("admin").await;
        let r = hall.json("POST", &retry, &admin, json!({})).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["state"], "pending");
        assert!(r.json()["retried_by"].is_string(), "{}", r.body);
        let r = hall.json("POST", &retry, &admin, json!({})).await;
        assert_eq!(r.status, 409, "{}", r.body);
        let r = hall
            .json("POST", "/api/v1/outbox/no-such/retry", &admin, json!({}))
            .await;
        assert_eq!(r.status, 404, "{}", r.body);

        // The receiver is fixed (it fails no more): the retry gets through.
        let report = hall.delivery_pass().await;
        assert_eq!((report.delivered, report.failed), (1, 0), "{report:?}");
        let r = hall
            .app
            .get_as(
                "/api/v1/outbox?state=delivered&department=sthj",
                &supervisor,
            )
            .await;
        assert_eq!(r.json()["total"], 1, "{}", r.body);
        let r = hall
            .app
            .get_as("/api/v1/outbox?state=lost", &supervisor)
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("state"), "{}", r.body);
    }
);
