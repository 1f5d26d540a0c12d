//! Reads of shared data: the reads of one request are logged together or
//! not at all, on both backends.

mod support;

use support::*;
use yici_core::case::{EventKind, Role};
use yici_store::Store;
use yici_store::exchange::{DataRead, SideEvent};

fn read(case_id: &str, dataset: &str) -> (DataRead, SideEvent) {
    (
        DataRead {
            id: uuid::Uuid::now_v7().to_string(),
            case_id: case_id.to_owned(),
            subject: "330212199001011234".into(),
            dataset: dataset.to_owned(),
            fields: r#"["name"]"#.into(),
            matter: "m-1".into(),
            department: "scjg".into(),
            consent_id: "consent-1".into(),
            actor: "reviewer-1".into(),
            at_ms: now(),
        },
        SideEvent {
            kind: EventKind::DataRead,
            actor: "reviewer-1".into(),
            role: Role::Reviewer,
            on: TODAY,
            data: serde_json::json!({"dataset": dataset}),
        },
    )
}

/// A new case with the applicant's consent to the reads.
async fn consented_case(store: &Store) -> yici_core::case::Case {
    let (case, events) = window_case();
    store
        .insert_case(&case, "u", &events, &[], None, now())
        .await
        .expect("insert");
    let (consent, event) = granted_consent("consent-1", &case.id.to_string());
    store
        .record_consent(&consent, event)
        .await
        .expect("consent");
    case
}

async fn logged(store: &Store) -> u64 {
    store
        .reads_of("330212199001011234", 100, 0)
        .await
        .expect("reads")
        .1
}

both!(
    reads_of_one_request_are_logged_together,
    |store: Store| async move {
        let case = consented_case(&store).await;
        let id = case.id.to_string();
        store
            .record_reads(vec![read(&id, "ds-a"), read(&id, "ds-b")])
            .await
            .expect("two reads");
        assert_eq!(logged(&store).await, 2);
        let history = store.case_events(&case.id).await.expect("events");
        let reads = history
            .iter()
            .filter(|e| e.event.kind == EventKind::DataRead)
            .count();
        assert_eq!(reads, 2, "each read is an event of the case");
    }
);

both!(
    a_failing_read_logs_none_of_its_request,
    |store: Store| async move {
        let case = consented_case(&store).await;
        let before = store.ledger_frontier().await.expect("frontier").size();
        // The second read names a case that does not exist: its event cannot
        // be written, so the first read must not stay logged either.
        let result = store
            .record_reads(vec![
                read(&case.id.to_string(), "ds-a"),
                read("c-does-not-exist", "ds-b"),
            ])
            .await;
        assert!(result.is_err(), "the request fails");
        assert_eq!(
            logged(&store).await,
            0,
            "no read of the failed request stays"
        );
        let after = store.ledger_frontier().await.expect("frontier").size();
        assert_eq!(after, before, "nothing reached the ledger");
    }
);

both!(
    a_department_has_one_current_seal_key_however_many_make_one_at_once,
    |store: Store| async move {
        let mut set = tokio::task::JoinSet::new();
        for i in 0..8 {
            let store = store.clone();
            set.spawn(async move {
                let key = yici_store::certificates::SealKey {
                    kid: format!("kid-{i}"),
                    seed: Some(format!("{i:064x}")),
                    public_key: format!("{i:064x}"),
                    current: true,
                };
                store.rotate_seal_key("scjg", &key, now() + i).await
            });
        }
        let mut made = 0;
        while let Some(joined) = set.join_next().await {
            match joined.expect("task") {
                Ok(()) => made += 1,
                // PostgreSQL: a rotation racing another one loses.
                Err(yici_store::StoreError::Duplicate { .. }) => {}
                Err(e) => panic!("{e}"),
            }
        }
        let keys = store.seal_keys("scjg").await.expect("keys");
        assert!(made >= 1);
        assert_eq!(
            keys.len(),
            made,
            "every rotation that succeeded left its key"
        );
        assert_eq!(keys.iter().filter(|k| k.current).count(), 1, "{keys:?}");
        assert!(
            keys.iter().filter(|k| !k.current).all(|k| k.seed.is_none()),
            "retired keys lose their private half"
        );
    }
);

both!(
    a_subjects_records_of_several_data_sets_are_read_at_once,
    |store: Store| async move {
        let me = "330212199001011234";
        for (dataset, subject, name) in [
            ("household", me, "张三"),
            ("business", me, "张三的店"),
            ("household", "330212199001015678", "李四"),
        ] {
            store
                .put_record(
                    dataset,
                    subject,
                    &serde_json::json!({"name": name}),
                    "import",
                    now(),
                )
                .await
                .expect("record");
        }
        let wanted = ["business", "household", "vehicles"].map(String::from);
        let got = store.records_of(me, &wanted).await.expect("read");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got["household"]["name"], "张三");
        assert_eq!(got["business"]["name"], "张三的店");
        assert!(store.records_of(me, &[]).await.expect("read").is_empty());
    }
);
