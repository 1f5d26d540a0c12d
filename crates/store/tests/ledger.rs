//! The ledger in the database: every event appended in its transaction, and
//! every kind of tampering found by the audit, on both backends.

mod support;

use support::*;
use yici_core::calendar::Calendar;
use yici_core::case::{Action, apply};
use yici_ledger::{CompactRange, LogSigner, TreeHead, leaf_hash};
use yici_store::ledger::EventRecord;
use yici_store::{FindingKind, Store};

/// Two cases, one accepted: a dozen events in three transactions.
async fn some_history(store: &Store) -> Vec<yici_core::case::Case> {
    let mut cases = Vec::new();
    for _ in 0..2 {
        let (case, events) = window_case();
        store
            .insert_case(&case, "u", &events, &[], None, now())
            .await
            .expect("insert");
        cases.push(case);
    }
    let t = apply(
        &cases[0],
        Action::Accept,
        &clerk(),
        TODAY,
        Calendar::official(),
    )
    .expect("accept");
    store
        .update_case(&t.case, cases[0].version, &t.events, &[], now() + 1)
        .await
        .expect("update");
    cases
}

async fn signed_head(store: &Store, signer: &LogSigner) {
    let f = store.ledger_frontier().await.expect("frontier");
    let head = signer.sign(TreeHead {
        size: f.size(),
        root_hash: f.root(),
        timestamp_ms: 1,
    });
    store.insert_tree_head(&head).await.expect("head");
}

/// Signs the current head and audits the log: it must pass, every event a leaf.
async fn signed_and_clean(store: &Store, signer: &LogSigner) -> yici_store::AuditReport {
    signed_head(store, signer).await;
    let report = store
        .audit_ledger(Some(&signer.verifying_key()))
        .await
        .expect("audit");
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert_eq!(report.leaves, report.events);
    report
}

fn kinds(report: &yici_store::AuditReport) -> Vec<FindingKind> {
    report.findings.iter().map(|f| f.kind.clone()).collect()
}

both_raw!(
    every_event_is_a_leaf_and_the_root_recomputes,
    |store: Store, _raw| async move {
        let (case, events) = window_case();
        store
            .insert_case(&case, "u", &events, &[], None, now())
            .await
            .expect("insert");
        let f = store.ledger_frontier().await.expect("frontier");
        assert_eq!(f.size(), events.len() as u64);
        let mut expected = CompactRange::new();
        for e in &events {
            expected.append(leaf_hash(&EventRecord::of(e, now()).leaf_data()));
        }
        assert_eq!(f.root(), expected.root());
        let (idx, hash) = store
            .event_leaf(&case.id.to_string(), events[0].seq, 0)
            .await
            .expect("read")
            .expect("leaf");
        assert_eq!(idx, 0);
        assert_eq!(
            hash,
            leaf_hash(&EventRecord::of(&events[0], now()).leaf_data())
        );
    }
);

both_raw!(
    intact_log_passes_the_audit,
    |store: Store, _raw| async move {
        let signer = LogSigner::from_seed(&[7; 32]);
        some_history(&store).await;
        let report = signed_and_clean(&store, &signer).await;
        assert_eq!(report.heads_checked, 1);
    }
);

both_raw!(
    updated_event_row_is_found_as_modified,
    |store: Store, raw: Raw| async move {
        let signer = LogSigner::from_seed(&[7; 32]);
        let cases = some_history(&store).await;
        signed_head(&store, &signer).await;
        raw.exec(&format!(
        "UPDATE case_events SET actor = 'someone-else' WHERE case_id = '{}' AND seq = 1 AND idx = 0",
        cases[1].id
    ))
    .await;
        let report = store
            .audit_ledger(Some(&signer.verifying_key()))
            .await
            .expect("audit");
        let modified: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::Modified)
            .collect();
        assert_eq!(modified.len(), 1, "{:#?}", report.findings);
        assert_eq!(
            modified[0].event.as_deref(),
            Some(format!("{}/1/0", cases[1].id).as_str())
        );
        assert!(kinds(&report).contains(&FindingKind::TreeHead));
    }
);

both_raw!(
    deleted_event_row_is_found,
    |store: Store, raw: Raw| async move {
        let cases = some_history(&store).await;
        raw.exec(&format!(
            "DELETE FROM case_events WHERE case_id = '{}' AND seq = 2",
            cases[0].id
        ))
        .await;
        let report = store.audit_ledger(None).await.expect("audit");
        assert!(
            kinds(&report).contains(&FindingKind::Deleted),
            "{:#?}",
            report.findings
        );
    }
);

both_raw!(
    event_inserted_around_the_ledger_is_found,
    |store: Store, raw: Raw| async move {
        let cases = some_history(&store).await;
        raw.exec(&format!(
        "INSERT INTO case_events (case_id, seq, idx, kind, actor, role, at_ms, on_date, from_state, to_state, data)
         VALUES ('{}', 9, 0, 'decided', 'x', 'reviewer', 1, '2026-09-30', 'accepted', 'decided', '{{}}')",
        cases[0].id
    ))
    .await;
        let report = store.audit_ledger(None).await.expect("audit");
        assert_eq!(
            kinds(&report),
            vec![FindingKind::Inserted],
            "{:#?}",
            report.findings
        );
    }
);

both_raw!(
    swapped_leaves_are_found_out_of_order,
    |store: Store, raw: Raw| async move {
        let signer = LogSigner::from_seed(&[7; 32]);
        some_history(&store).await;
        signed_head(&store, &signer).await;
        // Swap which events leaves 1 and 2 record.
        raw.exec("UPDATE ledger_leaves SET idx = -1 WHERE idx = 1")
            .await;
        raw.exec("UPDATE ledger_leaves SET idx = 1 WHERE idx = 2")
            .await;
        raw.exec("UPDATE ledger_leaves SET idx = 2 WHERE idx = -1")
            .await;
        let report = store
            .audit_ledger(Some(&signer.verifying_key()))
            .await
            .expect("audit");
        let k = kinds(&report);
        assert!(
            k.contains(&FindingKind::OutOfOrder),
            "{:#?}",
            report.findings
        );
        assert!(k.contains(&FindingKind::TreeHead), "{:#?}", report.findings);
    }
);

both_raw!(
    duplicated_leaf_is_found,
    |store: Store, raw: Raw| async move {
        let cases = some_history(&store).await;
        let f = store.ledger_frontier().await.expect("frontier");
        raw.exec(&format!(
        "INSERT INTO ledger_leaves (idx, leaf_hash, case_id, seq, event_idx) SELECT {}, leaf_hash, case_id, seq, event_idx FROM ledger_leaves WHERE idx = 0",
        f.size()
    ))
    .await;
        let report = store.audit_ledger(None).await.expect("audit");
        assert!(
            kinds(&report).contains(&FindingKind::Duplicated),
            "{:#?}",
            report.findings
        );
        drop(cases);
    }
);

both_raw!(
    truncated_log_contradicts_its_signed_head,
    |store: Store, raw: Raw| async move {
        let signer = LogSigner::from_seed(&[7; 32]);
        some_history(&store).await;
        signed_head(&store, &signer).await;
        let f = store.ledger_frontier().await.expect("frontier");
        raw.exec(&format!(
            "DELETE FROM ledger_leaves WHERE idx = {}",
            f.size() - 1
        ))
        .await;
        let report = store
            .audit_ledger(Some(&signer.verifying_key()))
            .await
            .expect("audit");
        let k = kinds(&report);
        assert!(
            k.contains(&FindingKind::Inserted) && k.contains(&FindingKind::TreeHead),
            "{:#?}",
            report.findings
        );
    }
);

both_raw!(
    head_signed_by_another_key_is_found,
    |store: Store, _raw| async move {
        some_history(&store).await;
        signed_head(&store, &LogSigner::from_seed(&[9; 32])).await;
        let ours = LogSigner::from_seed(&[7; 32]);
        let report = store
            .audit_ledger(Some(&ours.verifying_key()))
            .await
            .expect("audit");
        assert_eq!(kinds(&report), vec![FindingKind::TreeHead]);
    }
);

both_raw!(
    cases_committed_out_of_clock_order_are_not_tampering,
    |store: Store, _raw| async move {
        // Two servers stamp their events, then commit in the other order.
        let (a, ea) = window_case();
        let (b, eb) = window_case();
        store
            .insert_case(&a, "u", &ea, &[], None, now() + 5)
            .await
            .expect("a");
        store
            .insert_case(&b, "u", &eb, &[], None, now())
            .await
            .expect("b");
        let report = store.audit_ledger(None).await.expect("audit");
        assert!(report.findings.is_empty(), "{:#?}", report.findings);
    }
);

both_raw!(
    an_edge_of_a_rolled_back_append_is_never_built_on,
    |store: Store, raw: Raw| async move {
        // A case whose leaves cannot commit: on PostgreSQL the failure comes
        // at COMMIT (a deferred trigger), after the writer computed — and
        // shared — the log's new right edge.
        let (poison, poison_events) = window_case();
        if raw.is_postgres() {
            raw.exec(&format!(
                "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 IF NEW.case_id = '{}' THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NULL; END $$",
                poison.id
            ))
            .await;
            raw.exec(
                "CREATE CONSTRAINT TRIGGER poison AFTER INSERT ON ledger_leaves \
                 DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION poison()",
            )
            .await;
        } else {
            raw.exec(&format!(
                "CREATE TRIGGER poison BEFORE INSERT ON ledger_leaves WHEN NEW.case_id = '{}' \
                 BEGIN SELECT RAISE(ABORT, 'poisoned'); END",
                poison.id
            ))
            .await;
        }
        let (first, first_events) = window_case();
        store
            .insert_case(&first, "u", &first_events, &[], None, now())
            .await
            .expect("first");
        let refused = store
            .insert_case(&poison, "u", &poison_events, &[], None, now())
            .await;
        assert!(refused.is_err(), "{refused:?}");
        // Another server appends as many leaves as the rolled-back case had:
        // the log is back at the size of the edge that never committed.
        let (other, other_events) = window_case();
        assert_eq!(other_events.len(), poison_events.len());
        raw.store()
            .await
            .insert_case(&other, "u", &other_events, &[], None, now())
            .await
            .expect("other server");
        // Enough leaves after it that new nodes span the other server's.
        for _ in 0..2 {
            let (last, last_events) = window_case();
            store
                .insert_case(&last, "u", &last_events, &[], None, now())
                .await
                .expect("last");
        }
        let report = store.audit_ledger(None).await.expect("audit");
        assert!(report.findings.is_empty(), "{:#?}", report.findings);
        assert_eq!(report.leaves, 4 * first_events.len() as u64);
        // The stored nodes describe the same tree as the leaves.
        let stored = store.ledger_frontier().await.expect("frontier");
        assert_eq!(hex::encode(stored.root()), report.root_hex);
    }
);

/// Powers of two by level, for rewriting node keys in SQL on both backends.
const POWERS: &str = "WITH RECURSIVE powers (level, factor) AS (\
    SELECT CAST(0 AS BIGINT), CAST(1 AS BIGINT) \
    UNION ALL SELECT level + 1, factor * 2 FROM powers WHERE level < 62)";

both_raw!(
    a_log_stored_by_level_is_rekeyed_by_its_migration,
    |store: Store, raw: Raw| async move {
        let signer = LogSigner::from_seed(&[7; 32]);
        some_history(&store).await;
        some_history(&store).await;
        let before = store.ledger_frontier().await.expect("frontier");
        let nodes = raw.int("SELECT COUNT(*) FROM ledger_nodes").await;
        assert!(before.size() > 8, "a tree of several levels");
        drop(store);
        // Back to the layout before migration 10: nodes keyed (level, idx).
        raw.exec(
            "CREATE TABLE old_nodes (level BIGINT NOT NULL, idx BIGINT NOT NULL, \
             hash TEXT NOT NULL, PRIMARY KEY (level, idx))",
        )
        .await;
        raw.exec(&format!(
            "{POWERS} INSERT INTO old_nodes (level, idx, hash) \
             SELECT n.level, n.leaf_end / p.factor - 1, n.hash \
             FROM ledger_nodes n JOIN powers p ON p.level = n.level"
        ))
        .await;
        raw.exec("DROP TABLE ledger_nodes").await;
        raw.exec("ALTER TABLE old_nodes RENAME TO ledger_nodes")
            .await;
        raw.exec("CREATE INDEX tasks_queue ON tasks (department, region, state)")
            .await;
        raw.exec("DELETE FROM schema_migrations WHERE version BETWEEN 10 AND 12")
            .await;
        assert_eq!(
            raw.int("SELECT COUNT(*) FROM ledger_nodes WHERE level = 2 AND idx = 1")
                .await,
            1,
            "the old layout holds node (2, 1)"
        );

        let store = raw.store().await;
        assert_eq!(
            raw.int("SELECT COUNT(*) FROM ledger_nodes").await,
            nodes,
            "every node kept"
        );
        if !raw.is_postgres() {
            // Migration 12: on SQLite a leaf's index is its row id, no
            // second b-tree.
            assert_eq!(
                raw.int("SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'ledger_leaves' AND type = 'index' AND name LIKE 'sqlite_autoindex%'")
                    .await,
                0
            );
        }
        let after = store.ledger_frontier().await.expect("frontier");
        assert_eq!(after.size(), before.size());
        assert_eq!(after.root(), before.root());
        // The log goes on growing from the re-keyed nodes, and holds.
        some_history(&store).await;
        signed_and_clean(&store, &signer).await;
    }
);
