//! The case writer's group commit on both backends: many changes at once are
//! each written exactly once, a change that does not apply or fails spoils
//! nothing else, and a transition writes only the tasks it changed.

mod support;

use support::*;
use tokio::task::JoinSet;
use yici_core::calendar::Calendar;
use yici_core::case::{Action, Case, apply};
use yici_store::certificates::NewCertificate;
use yici_store::{Inserted, Store, StoreError};

/// Inserts `n` window cases at once and returns them with their number of
/// events.
async fn insert_many(store: &Store, n: usize) -> Vec<(Case, usize)> {
    let mut set = JoinSet::new();
    for _ in 0..n {
        let store = store.clone();
        set.spawn(async move {
            let (case, events) = window_case();
            let r = store
                .insert_case(&case, "u", &events, &[], None, now())
                .await;
            (case, events.len(), r)
        });
    }
    let mut cases = Vec::new();
    while let Some(joined) = set.join_next().await {
        let (case, events, r) = joined.expect("task");
        assert_eq!(r.expect("insert"), Inserted::Created);
        cases.push((case, events));
    }
    cases
}

async fn assert_ledger_intact(store: &Store) {
    let report = store.audit_ledger(None).await.expect("audit");
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert_eq!(report.leaves, report.events);
}

both!(
    concurrent_transitions_are_each_written_once_and_stale_ones_refused,
    |store: Store| async move {
        let cases = insert_many(&store, 30).await;
        let mut set = JoinSet::new();
        let mut expected_events = Vec::new();
        for (i, (case, submitted)) in cases.iter().enumerate() {
            let t =
                apply(case, Action::Accept, &clerk(), TODAY, Calendar::official()).expect("accept");
            expected_events.push(submitted + t.events.len());
            // Every third case is accepted twice at once: one write wins,
            // the other must be refused without a trace.
            let raced = i % 3 == 0;
            for _ in 0..if raced { 2 } else { 1 } {
                let store = store.clone();
                let (t, expected) = (t.clone(), case.version);
                set.spawn(async move {
                    store
                        .update_case(&t.case, expected, &t.events, &[], now())
                        .await
                });
            }
        }
        let (mut written, mut refused) = (0, 0);
        while let Some(joined) = set.join_next().await {
            match joined.expect("task") {
                Ok(_) => written += 1,
                Err(StoreError::VersionConflict { .. }) => refused += 1,
                Err(e) => panic!("unexpected {e}"),
            }
        }
        assert_eq!((written, refused), (30, 10));
        for ((case, _), expected) in cases.iter().zip(expected_events) {
            let stored = store.case(&case.id).await.expect("read").expect("case");
            assert_eq!(stored.case.version, case.version + 1);
            let events = store.case_events(&case.id).await.expect("events");
            assert_eq!(events.len(), expected, "each transition written once");
        }
        assert_ledger_intact(&store).await;
    }
);

both!(
    a_change_that_fails_in_a_batch_fails_alone,
    |store: Store| async move {
        // The same case inserted five times among twenty others: the
        // duplicates break their transaction (primary key), which must not
        // take the others' changes with it.
        let (dup, dup_events) = window_case();
        let mut set = JoinSet::new();
        for i in 0..25 {
            let store = store.clone();
            let (case, events) = if i % 5 == 0 {
                (dup.clone(), dup_events.clone())
            } else {
                window_case()
            };
            set.spawn(async move {
                let r = store
                    .insert_case(&case, "u", &events, &[], None, now())
                    .await;
                (case.id, r)
            });
        }
        let (mut created, mut failed) = (Vec::new(), 0);
        while let Some(joined) = set.join_next().await {
            match joined.expect("task") {
                (id, Ok(Inserted::Created)) => created.push(id),
                (_, Ok(other)) => panic!("unexpected {other:?}"),
                (id, Err(StoreError::Database(_) | StoreError::Sqlite(_))) if id == dup.id => {
                    failed += 1
                }
                (_, Err(e)) => panic!("unexpected {e}"),
            }
        }
        assert_eq!((created.len(), failed), (21, 4));
        for id in &created {
            assert!(store.case(id).await.expect("read").is_some());
        }
        let dup_history = store.case_events(&dup.id).await.expect("events");
        assert_eq!(dup_history.len(), dup_events.len(), "written once");
        assert_ledger_intact(&store).await;
    }
);

both_raw!(
    a_transition_writes_only_the_tasks_it_changed,
    |store: Store, raw: Raw| async move {
        let (case, events) = window_case();
        store
            .insert_case(&case, "u", &events, &[], None, 1_000)
            .await
            .expect("insert");
        // Accepting opens the first stage's task; the second stays pending.
        let t =
            apply(&case, Action::Accept, &clerk(), TODAY, Calendar::official()).expect("accept");
        store
            .update_case_from(
                &case,
                &t.case,
                &t.events,
                &[],
                Vec::new(),
                Default::default(),
                2_000,
            )
            .await
            .expect("update");
        let written_at = |task: usize| {
            format!(
                "SELECT updated_ms FROM tasks WHERE id = '{}'",
                t.case.tasks[task].id
            )
        };
        assert_ne!(case.tasks[0], t.case.tasks[0], "the first task changed");
        assert_eq!(case.tasks[1], t.case.tasks[1], "the second did not");
        assert_eq!(raw.int(&written_at(0)).await, 2_000);
        assert_eq!(raw.int(&written_at(1)).await, 1_000);
    }
);

both!(
    certificates_issued_at_once_get_distinct_status_indexes,
    |store: Store| async move {
        // Indexes are reserved by the issuing requests at once, and the
        // issues written in batches (on PostgreSQL by several writers): the
        // indexes of one department's status list must still all differ.
        let cases = insert_many(&store, 8).await;
        store
            .put_record(
                "registry",
                "11010519491231002X",
                &serde_json::json!({"name": "甲"}),
                "import",
                now(),
            )
            .await
            .expect("record");
        let mut set = JoinSet::new();
        for (i, (case, _)) in cases.into_iter().enumerate() {
            let store = store.clone();
            set.spawn(async move {
                let t = apply(&case, Action::Accept, &clerk(), TODAY, Calendar::official())
                    .expect("accept");
                let status_idx = store
                    .reserve_status_indexes("scjg", 1)
                    .await
                    .expect("reserve");
                let certificate = NewCertificate {
                    id: format!("cert-{i}"),
                    department: "scjg".into(),
                    matter: "M-LICENCE".into(),
                    holder: "11010519491231002X".into(),
                    vct: "urn:test:licence".into(),
                    issued_ms: now(),
                    expires_ms: now() + 1_000,
                    status_idx,
                    sd_jwt: format!("signed-at-{status_idx}"),
                    library: vec![("registry".into(), format!("licence_{i}"))],
                };
                store
                    .update_case_from(
                        &case,
                        &t.case,
                        &t.events,
                        &[],
                        vec![certificate],
                        Default::default(),
                        now(),
                    )
                    .await
            });
        }
        while let Some(joined) = set.join_next().await {
            joined.expect("task").expect("issued");
        }
        let mut indexes: Vec<u64> = store
            .status_values("scjg")
            .await
            .expect("statuses")
            .into_iter()
            .map(|(idx, _)| idx)
            .collect();
        indexes.sort_unstable();
        assert_eq!(indexes, (0..8).collect::<Vec<u64>>());
        // Each certificate is filed in the holder's record, in its own
        // transaction's batch, and the record's other fields stay.
        let record = store
            .record("registry", "11010519491231002X")
            .await
            .expect("read")
            .expect("record");
        assert_eq!(record["name"], "甲");
        for i in 0..8 {
            assert_eq!(
                record[format!("licence_{i}")],
                format!("cert-{i}"),
                "{record}"
            );
        }
        let signed = store
            .certificate("cert-3")
            .await
            .expect("read")
            .expect("row");
        assert_eq!(signed.sd_jwt, format!("signed-at-{}", signed.status_idx));
    }
);

both!(
    one_idempotency_key_sent_at_once_creates_one_case,
    |store: Store| async move {
        let key = |hash: &str| yici_store::IdempotencyKey {
            scope: "applicant-1".into(),
            key: "retry-me".into(),
            request_hash: hash.into(),
        };
        // Ten retries of one request arrive together: they share batches,
        // so the writer must see the key its own batch just used.
        let mut set = JoinSet::new();
        for _ in 0..10 {
            let store = store.clone();
            let key = key("h1");
            set.spawn(async move {
                let (case, events) = window_case();
                let r = store
                    .insert_case(&case, "u", &events, &[], Some(&key), now())
                    .await;
                (case.id, r.expect("insert"))
            });
        }
        let mut created = Vec::new();
        let mut existing = Vec::new();
        while let Some(joined) = set.join_next().await {
            match joined.expect("task") {
                (id, Inserted::Created) => created.push(id),
                (_, Inserted::Existing(id)) => existing.push(id),
            }
        }
        assert_eq!(created.len(), 1, "one case for one key");
        assert!(existing.iter().all(|id| *id == created[0]), "{existing:?}");
        // The same key with another request is refused, however it arrives.
        let mut set = JoinSet::new();
        for _ in 0..3 {
            let store = store.clone();
            let key = key("h2");
            set.spawn(async move {
                let (case, events) = window_case();
                store
                    .insert_case(&case, "u", &events, &[], Some(&key), now())
                    .await
            });
        }
        while let Some(joined) = set.join_next().await {
            assert!(
                matches!(
                    joined.expect("task"),
                    Err(StoreError::IdempotencyMismatch { .. })
                ),
                "a reused key with another body is refused"
            );
        }
        assert_ledger_intact(&store).await;
    }
);

both!(
    status_indexes_of_several_departments_are_reserved_at_once,
    |store: Store| async move {
        let first = store
            .reserve_status_indexes_of(&[("scjg", 2), ("xf", 1), ("scjg", 1)])
            .await
            .expect("reserve");
        assert_eq!(first.get("scjg"), Some(&0), "{first:?}");
        assert_eq!(first.get("xf"), Some(&0), "{first:?}");
        // scjg's 0, 1 and 2 are taken: the next reservation starts after them.
        assert_eq!(
            store.reserve_status_indexes("scjg", 1).await.expect("next"),
            3
        );
        let again = store
            .reserve_status_indexes_of(&[("xf", 2), ("ga", 1)])
            .await
            .expect("reserve");
        assert_eq!((again.get("xf"), again.get("ga")), (Some(&1), Some(&0)));
        assert!(
            store
                .reserve_status_indexes_of(&[])
                .await
                .expect("none")
                .is_empty()
        );
    }
);

both!(
    side_events_written_beside_the_writer_join_one_ledger,
    |store: Store| async move {
        // Consents are written through the store's write pool with a side
        // event's leaf, cases through the writer (on SQLite a connection
        // of its own): at once, every write succeeds, and the
        // writer builds on the side leaves instead of its own cached edge.
        let cases = insert_many(&store, 12).await;
        let mut set = JoinSet::new();
        for (case, _) in cases {
            let side = store.clone();
            set.spawn(async move {
                let id = uuid::Uuid::now_v7().to_string();
                let (consent, event) = granted_consent(&id, &case.id.to_string());
                side.record_consent(&consent, event).await.expect("consent");
            });
            let writer = store.clone();
            set.spawn(async move {
                let (case, events) = window_case();
                let r = writer.insert_case(&case, "u", &events, &[], None, now());
                assert_eq!(r.await.expect("insert"), Inserted::Created);
            });
        }
        while let Some(joined) = set.join_next().await {
            joined.expect("task");
        }
        assert_ledger_intact(&store).await;
    }
);

both!(
    a_request_dropped_while_writing_leaves_no_half_batch,
    |store: Store| async move {
        // Requests are dropped (a client gone) while their changes wait or
        // are written; on SQLite one of them may be the leader writing a
        // batch. Every change still ends whole or not at all, the ones not
        // dropped are all answered, and the writer goes on writing.
        for round in 0..10 {
            let mut kept = JoinSet::new();
            let mut dropped = Vec::new();
            for i in 0..16 {
                let store = store.clone();
                let (case, events) = window_case();
                let task = tokio::spawn({
                    let case = case.clone();
                    let events = events.clone();
                    async move {
                        store
                            .insert_case(&case, "u", &events, &[], None, now())
                            .await
                    }
                });
                if i % 2 == round % 2 {
                    dropped.push((case, events.len(), task));
                } else {
                    kept.spawn(async move { (task.await, case.id) });
                }
            }
            tokio::task::yield_now().await;
            for (_, _, task) in &dropped {
                task.abort();
            }
            // A change left waiting with no one to write it would hang.
            let within = std::time::Duration::from_secs(30);
            while let Some(joined) = tokio::time::timeout(within, kept.join_next())
                .await
                .expect("every change kept is answered")
            {
                let (r, id) = joined.expect("task");
                assert_eq!(r.expect("not aborted").expect("insert"), Inserted::Created);
                assert!(store.case(&id).await.expect("read").is_some());
            }
            for (case, events, task) in dropped {
                let _ = task.await;
                let written = store.case(&case.id).await.expect("read").is_some();
                let history = store.case_events(&case.id).await.expect("events").len();
                assert_eq!(
                    history,
                    if written { events } else { 0 },
                    "whole or nothing"
                );
            }
        }
        insert_many(&store, 4).await;
        assert_ledger_intact(&store).await;
    }
);
