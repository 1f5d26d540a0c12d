//! Several servers at once: each message delivered and each deadline
//! checked exactly once, and the workers running in the background.

mod support;

use std::time::Duration;

use time::macros::datetime;
use yici_service::workers::{self as worker, Courier, deadline_pass, delivery_pass};

use support::hall::*;

// ---------------------------------------------------------------------------
// Several servers.

on_both!(
    two_workers_deliver_every_message_exactly_once,
    departments = ["scjg", "sthj"],
    fail_first = 0,
    |hall: Hall, receiver: Receiver| async move {
        // Two tasks open per case, each announced to its department.
        for _ in 0..8 {
            hall.accepted_karaoke().await;
        }
        let courier = Courier::new().expect("client");
        let (a, b) = tokio::join!(
            delivery_pass(&hall.service, &courier, "server-a", 3),
            delivery_pass(&hall.service, &courier, "server-b", 3),
        );
        let (a, b) = (a.expect("a"), b.expect("b"));
        assert_eq!(a.delivered + b.delivered, 16, "{a:?} {b:?}");
        assert_eq!(a.failed + b.failed, 0);

        let got = receiver.got();
        assert_eq!(got.len(), 16, "no message sent twice");
        let ids: std::collections::BTreeSet<String> = got
            .iter()
            .map(|r| r.event["id"].as_str().expect("id").to_owned())
            .collect();
        assert_eq!(ids.len(), 16);
    }
);

on_both!(
    two_workers_record_every_deadline_event_once,
    departments = [],
    fail_first = 0,
    |hall: Hall, _receiver: Receiver| async move {
        let mut ids = Vec::new();
        for _ in 0..6 {
            ids.push(hall.accepted_karaoke().await);
        }
        hall.set_day(datetime!(2026-10-16 09:00 +08:00));
        let (a, b) = tokio::join!(
            deadline_pass(&hall.service, "server-a", 1),
            deadline_pass(&hall.service, "server-b", 1),
        );
        let (a, b) = (a.expect("a"), b.expect("b"));
        assert_eq!(
            a.checked + b.checked,
            6,
            "each case checked once: {a:?} {b:?}"
        );
        assert_eq!(
            a.events + b.events,
            6 * 2,
            "scjg red and sthj yellow in each"
        );
        assert_eq!(a.conflicts + b.conflicts, 0);
        for id in &ids {
            let case = hall.case(id).await;
            assert_eq!(task_events(&case, "scjg", "deadline_overdue").len(), 1);
            assert_eq!(task_events(&case, "sthj", "deadline_warning").len(), 1);
        }
    }
);

on_both!(
    workers_run_in_the_background_until_shut_down,
    departments = ["sthj"],
    fail_first = 0,
    |hall: Hall, receiver: Receiver| async move {
        hall.accepted_karaoke().await;
        let config = worker::WorkerConfig {
            deadline_interval: Duration::from_millis(50),
            delivery_interval: Duration::from_millis(50),
            ..worker::WorkerConfig::default()
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let workers = worker::spawn_workers(hall.service.clone(), config, async move {
            let _ = stopped.await;
        })
        .expect("workers");
        let today = hall.clock.today().to_string();
        let store = &hall.store;
        for _ in 0..100 {
            let due = store.deadline_checks_due(&today).await.expect("count");
            if !receiver.got().is_empty() && due == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(receiver.got().len(), 1, "delivered in the background");
        let due = store.deadline_checks_due(&today).await.expect("count");
        assert_eq!(due, 0, "checked in the background");
        stop.send(()).expect("workers listen");
        tokio::time::timeout(Duration::from_secs(15), workers)
            .await
            .expect("workers stop")
            .expect("no panic");
    }
);
