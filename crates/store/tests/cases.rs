//! Cases on both backends: one transaction per change, optimistic versions,
//! idempotency keys, queues, history.

mod support;

use support::*;
use yici_core::calendar::Calendar;
use yici_core::case::{Action, Outcome, apply};
use yici_store::{
    CaseFilter, IdempotencyKey, Inserted, OutboxMessage, Store, StoreError, TaskFilter,
};

fn key(k: &str, hash: &str) -> IdempotencyKey {
    scoped("u", k, hash)
}

fn scoped(scope: &str, k: &str, hash: &str) -> IdempotencyKey {
    IdempotencyKey {
        scope: scope.into(),
        key: k.into(),
        request_hash: hash.into(),
    }
}

both!(
    inserted_case_reads_back_with_its_events,
    |store: Store| async move {
        let (case, events) = window_case();
        let r = store
            .insert_case(&case, "user-1", &events, &[], None, now())
            .await
            .expect("insert");
        assert_eq!(r, Inserted::Created);
        let stored = store.case(&case.id).await.expect("read").expect("exists");
        assert_eq!(stored.case, case);
        assert_eq!(stored.owner, "user-1");
        let history = store.case_events(&case.id).await.expect("events");
        assert_eq!(history.len(), events.len());
        assert_eq!(history[0].event, events[0]);
    }
);

both!(
    same_idempotency_key_returns_the_first_case,
    |store: Store| async move {
        let (first, events) = window_case();
        let k = key("k-1", "h");
        store
            .insert_case(&first, "u", &events, &[], Some(&k), now())
            .await
            .expect("first");
        let (second, events2) = window_case();
        let r = store
            .insert_case(&second, "u", &events2, &[], Some(&k), now())
            .await
            .expect("second");
        assert_eq!(r, Inserted::Existing(first.id));
        assert!(
            store.case(&second.id).await.expect("read").is_none(),
            "no second case"
        );
    }
);

both!(
    same_key_with_another_request_is_refused,
    |store: Store| async move {
        let (first, events) = window_case();
        store
            .insert_case(&first, "u", &events, &[], Some(&key("k", "h1")), now())
            .await
            .expect("first");
        let (second, events2) = window_case();
        let err = store
            .insert_case(&second, "u", &events2, &[], Some(&key("k", "h2")), now())
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::IdempotencyMismatch { .. }),
            "{err}"
        );
    }
);

both!(keys_are_per_caller, |store: Store| async move {
    let (a, ea) = window_case();
    let (b, eb) = window_case();
    store
        .insert_case(&a, "o", &ea, &[], Some(&scoped("u1", "k", "h")), now())
        .await
        .expect("a");
    let r = store
        .insert_case(&b, "o", &eb, &[], Some(&scoped("u2", "k", "h")), now())
        .await
        .expect("b");
    assert_eq!(r, Inserted::Created);
});

both!(
    transition_is_written_with_tasks_events_and_outbox,
    |store: Store| async move {
        let (case, events) = window_case();
        store
            .insert_case(&case, "u", &events, &[], None, now())
            .await
            .expect("insert");
        let t =
            apply(&case, Action::Accept, &clerk(), TODAY, Calendar::official()).expect("accept");
        let msg = OutboxMessage {
            id: "m-1".into(),
            topic: "task.opened".into(),
            destination: "scjg".into(),
            payload: "{}".into(),
            attempts: 0,
        };
        store
            .update_case(&t.case, case.version, &t.events, &[msg], now())
            .await
            .expect("update");
        let stored = store.case(&case.id).await.expect("read").expect("exists");
        assert_eq!(stored.case.version, case.version + 1);
        let (queue, total) = store
            .list_tasks(&TaskFilter {
                department: Some("scjg".into()),
                state: Some("open".into()),
                limit: 10,
                ..Default::default()
            })
            .await
            .expect("queue");
        assert_eq!(total, 1);
        assert_eq!(queue[0].case_id, case.id.to_string());
        let history = store.case_events(&case.id).await.expect("events");
        assert_eq!(history.len(), events.len() + t.events.len());
        let leased = store
            .lease_outbox("w", now(), 10, 1000)
            .await
            .expect("lease");
        assert_eq!(leased.len(), 1);
    }
);

both!(
    stale_version_is_a_conflict_and_writes_nothing,
    |store: Store| async move {
        let (case, events) = window_case();
        store
            .insert_case(&case, "u", &events, &[], None, now())
            .await
            .expect("insert");
        let accepted =
            apply(&case, Action::Accept, &clerk(), TODAY, Calendar::official()).expect("accept");
        store
            .update_case(&accepted.case, case.version, &accepted.events, &[], now())
            .await
            .expect("first");
        // A second writer that read the same old version.
        let rejected = apply(
            &case,
            Action::Reject {
                reason: "材料不全".into(),
            },
            &clerk(),
            TODAY,
            Calendar::official(),
        )
        .expect("reject");
        let err = store
            .update_case(&rejected.case, case.version, &rejected.events, &[], now())
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::VersionConflict { actual, .. } if actual == case.version + 1),
            "{err}"
        );
        let stored = store.case(&case.id).await.expect("read").expect("exists");
        assert_eq!(stored.case.state, accepted.case.state);
        let history = store.case_events(&case.id).await.expect("events");
        assert_eq!(history.len(), events.len() + accepted.events.len());
    }
);

both!(
    two_reviewers_deciding_one_task_at_once_one_wins,
    |store: Store| async move {
        let (case, events) = window_case();
        store
            .insert_case(&case, "u", &events, &[], None, now())
            .await
            .expect("insert");
        let accepted =
            apply(&case, Action::Accept, &clerk(), TODAY, Calendar::official()).expect("accept");
        store
            .update_case(&accepted.case, case.version, &accepted.events, &[], now())
            .await
            .expect("accept");
        let task = accepted.case.tasks[0].id;
        let decide = |outcome| Action::Decide {
            task,
            outcome,
            comment: Some("ok".into()),
        };
        let a = apply(
            &accepted.case,
            decide(Outcome::Approve),
            &reviewer(),
            TODAY,
            Calendar::official(),
        )
        .expect("a");
        let b = apply(
            &accepted.case,
            decide(Outcome::Deny),
            &reviewer(),
            TODAY,
            Calendar::official(),
        )
        .expect("b");
        let v = accepted.case.version;
        let (ra, rb) = tokio::join!(
            store.update_case(&a.case, v, &a.events, &[], now()),
            store.update_case(&b.case, v, &b.events, &[], now()),
        );
        assert!(ra.is_ok() != rb.is_ok(), "exactly one wins: {ra:?} {rb:?}");
    }
);

both!(
    cases_are_listed_per_owner_with_a_total,
    |store: Store| async move {
        for owner in ["a", "a", "b"] {
            let (case, events) = window_case();
            store
                .insert_case(&case, owner, &events, &[], None, now())
                .await
                .expect("insert");
        }
        let filter = CaseFilter {
            owner: Some("a".into()),
            limit: 1,
            ..Default::default()
        };
        let (page, total) = store.list_cases(&filter).await.expect("list");
        assert_eq!(total, 2);
        assert_eq!(page.len(), 1);
        let city = CaseFilter {
            region_prefix: Some("330200".into()),
            limit: 10,
            ..Default::default()
        };
        assert_eq!(store.list_cases(&city).await.expect("list").1, 3);
        let other = CaseFilter {
            region_prefix: Some("330100".into()),
            limit: 10,
            ..Default::default()
        };
        assert_eq!(store.list_cases(&other).await.expect("list").1, 0);
    }
);

both!(
    deadline_checks_are_leased_once_a_day,
    |store: Store| async move {
        let accepted = accepted_case(&store).await;
        let first = store
            .lease_deadline_checks("w1", "2026-10-09", 10, now(), 60_000)
            .await
            .expect("lease");
        assert_eq!(first.len(), 1);
        // Leased: another worker gets nothing.
        let second = store
            .lease_deadline_checks("w2", "2026-10-09", 10, now(), 60_000)
            .await
            .expect("lease");
        assert!(second.is_empty());
        store
            .deadline_checked(
                &accepted.id.to_string(),
                "w1",
                accepted.version,
                "2026-10-09",
            )
            .await
            .expect("checked");
        let later = now() + 120_000;
        assert!(
            store
                .lease_deadline_checks("w2", "2026-10-09", 10, later, 60_000)
                .await
                .expect("lease")
                .is_empty()
        );
        assert_eq!(
            store
                .lease_deadline_checks("w2", "2026-10-12", 10, later, 60_000)
                .await
                .expect("lease")
                .len(),
            1
        );
    }
);

both!(
    a_case_changed_under_its_lease_is_due_again_at_once,
    |store: Store| async move {
        let accepted = accepted_case(&store).await;
        let leased = store
            .lease_deadline_checks("w1", "2026-10-09", 10, now(), 60_000)
            .await
            .expect("lease");
        assert_eq!(leased.len(), 1);
        // A reviewer changes the case while the worker holds it.
        let decide = Action::Decide {
            task: accepted.tasks[0].id,
            outcome: yici_core::case::Outcome::Approve,
            comment: None,
        };
        let r = apply(&accepted, decide, &reviewer(), TODAY, Calendar::official()).expect("decide");
        store
            .update_case(&r.case, accepted.version, &r.events, &[], now())
            .await
            .expect("update");
        // The worker lost the race: its mark for the old version frees the
        // lease but does not mark the new version checked.
        store
            .deadline_checked(
                &accepted.id.to_string(),
                "w1",
                accepted.version,
                "2026-10-09",
            )
            .await
            .expect("release");
        let again = store
            .lease_deadline_checks("w2", "2026-10-09", 10, now() + 1, 60_000)
            .await
            .expect("lease");
        assert_eq!(
            again.len(),
            1,
            "due again before the lease would have run out"
        );
        assert_eq!(again[0].case.version, r.case.version);
        // Another owner's mark does not free w2's lease.
        store
            .deadline_checked(&accepted.id.to_string(), "w1", r.case.version, "2026-10-09")
            .await
            .expect("foreign mark");
        assert!(
            store
                .lease_deadline_checks("w3", "2026-10-10", 10, now() + 2, 60_000)
                .await
                .expect("lease")
                .is_empty(),
            "still leased to w2"
        );
    }
);

both_raw!(
    a_case_is_parsed_once_a_version_and_a_new_version_is_always_read,
    |store: Store, raw: Raw| async move {
        let (case, events) = window_case();
        store
            .insert_case(&case, "user-1", &events, &[], None, now())
            .await
            .expect("insert");
        // Its row spoiled behind the store's back at the same version: the
        // case this store wrote is used, not the stored text parsed again.
        let spoil = |version: String| {
            format!(
                "UPDATE cases SET version = {version}, snapshot = 'not json' WHERE id = '{}'",
                case.id
            )
        };
        raw.exec(&spoil("version".into())).await;
        let read = store.case(&case.id).await.expect("kept").expect("found");
        assert_eq!((read.case, read.owner.as_str()), (case.clone(), "user-1"));
        let task = case.tasks[0].id.to_string();
        let read = store.case_of_task(&task).await.expect("kept");
        assert_eq!(read.expect("found").case, case);
        // Another writer moved the case on: the stored version is read.
        let t =
            apply(&case, Action::Accept, &clerk(), TODAY, Calendar::official()).expect("accept");
        let snapshot = serde_json::to_string(&t.case).expect("json");
        raw.exec(&format!(
            "UPDATE cases SET version = {}, snapshot = '{}' WHERE id = '{}'",
            t.case.version,
            snapshot.replace('\'', "''"),
            case.id
        ))
        .await;
        let read = store.case(&case.id).await.expect("read").expect("found");
        assert_eq!(read.case, t.case);
        // A version never kept is always parsed: a bad row is an error,
        // never an older case.
        raw.exec(&spoil("version + 1".into())).await;
        assert!(matches!(
            store.case(&case.id).await,
            Err(StoreError::Corrupt(_))
        ));
        assert!(matches!(
            store.case_of_task(&task).await,
            Err(StoreError::Corrupt(_))
        ));
    }
);
