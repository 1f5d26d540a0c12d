//! The files of a case's materials: attached with their event or not at
//! all, within the limits of the material and the case, offered again to
//! their subject, their views logged; on both backends.

mod support;

use support::*;
use yici_core::case::{EventKind, Role};
use yici_store::Store;
use yici_store::exchange::SideEvent;
use yici_store::materials::{Attached, FileLimits, MaterialFile, MaterialView};

const SUBJECT: &str = "330212199001011234";

fn file(case_id: &str, material: &str, size: i64) -> MaterialFile {
    MaterialFile {
        id: uuid::Uuid::now_v7().to_string(),
        case_id: case_id.to_owned(),
        material: material.to_owned(),
        subject: SUBJECT.into(),
        sha256: format!("{:064x}", size),
        kind: "pdf".into(),
        size,
        name: "公司章程.pdf".into(),
        given_by: "u-applicant".into(),
        given_ms: now(),
        reused_from: None,
        original_seen_by: None,
        original_seen_ms: None,
        deleted_ms: None,
    }
}

fn event(kind: EventKind, f: &MaterialFile) -> SideEvent {
    SideEvent {
        kind,
        actor: f.given_by.clone(),
        role: Role::Applicant,
        on: TODAY,
        data: serde_json::json!({"material": f.material, "file": f.id, "sha256": f.sha256}),
    }
}

const ROOMY: FileLimits = FileLimits {
    max_files: 2,
    max_case_bytes: 1000,
};

async fn new_case(store: &Store) -> String {
    let (case, events) = window_case();
    store
        .insert_case(&case, SUBJECT, &events, &[], None, now())
        .await
        .expect("insert");
    case.id.to_string()
}

async fn events_of(store: &Store, case_id: &str) -> Vec<String> {
    let id = yici_core::case::CaseId::parse(case_id).expect("id");
    store
        .case_events(&id)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.event.kind.as_str().to_owned())
        .collect()
}

both!(
    a_file_is_attached_with_its_event_and_hash_in_the_history,
    |store: Store| async move {
        let case_id = new_case(&store).await;
        let f = file(&case_id, "articles", 100);
        let done = store
            .attach_file(&f, event(EventKind::MaterialAttached, &f), ROOMY)
            .await
            .expect("attach");
        assert_eq!(done, Attached::Done);
        assert_eq!(
            store.case_files(&case_id).await.expect("files"),
            vec![f.clone()]
        );
        assert_eq!(
            store.material_file(&f.id).await.expect("file"),
            Some(f.clone())
        );
        let events = events_of(&store, &case_id).await;
        assert_eq!(events.last().map(String::as_str), Some("material_attached"));
        // The ledger holds the event: its audit is clean.
        let audit = store.audit_ledger(None).await.expect("audit");
        assert!(audit.findings.is_empty(), "{:?}", audit.findings);
        assert_eq!(audit.leaves, audit.events);
    }
);

both!(
    a_file_past_the_limits_writes_nothing,
    |store: Store| async move {
        let case_id = new_case(&store).await;
        for size in [10, 20] {
            let f = file(&case_id, "articles", size);
            let e = event(EventKind::MaterialAttached, &f);
            assert_eq!(
                store.attach_file(&f, e, ROOMY).await.expect("attach"),
                Attached::Done
            );
        }
        let before = events_of(&store, &case_id).await.len();
        let third = file(&case_id, "articles", 5);
        let e = event(EventKind::MaterialAttached, &third);
        assert_eq!(
            store.attach_file(&third, e, ROOMY).await.expect("attach"),
            Attached::TooManyFiles
        );
        let big = file(&case_id, "licence", 971);
        let e = event(EventKind::MaterialAttached, &big);
        assert_eq!(
            store.attach_file(&big, e, ROOMY).await.expect("attach"),
            Attached::CaseTooLarge
        );
        assert_eq!(store.case_files(&case_id).await.expect("files").len(), 2);
        assert_eq!(
            events_of(&store, &case_id).await.len(),
            before,
            "no event either"
        );
    }
);

both!(
    a_subjects_earlier_files_are_offered_again_and_views_are_logged,
    |store: Store| async move {
        let first = new_case(&store).await;
        let f = file(&first, "articles", 100);
        let e = event(EventKind::MaterialAttached, &f);
        store.attach_file(&f, e, ROOMY).await.expect("attach");
        let offered = store
            .subject_files(SUBJECT, "articles")
            .await
            .expect("offered");
        assert_eq!(offered, vec![f.clone()]);
        assert!(
            store
                .subject_files(SUBJECT, "licence")
                .await
                .expect("none")
                .is_empty()
        );
        assert!(
            store
                .subject_files("other", "articles")
                .await
                .expect("none")
                .is_empty()
        );

        let v = MaterialView {
            id: uuid::Uuid::now_v7().to_string(),
            file_id: f.id.clone(),
            case_id: first.clone(),
            subject: SUBJECT.into(),
            viewer: "u-reviewer".into(),
            role: "reviewer".into(),
            at_ms: now(),
        };
        store
            .record_view(&v, event(EventKind::MaterialViewed, &f))
            .await
            .expect("view");
        let (views, total) = store.views_of(SUBJECT, 10, 0).await.expect("views");
        assert_eq!((views, total), (vec![v], 1));

        store
            .record_original_seen(
                &f.id,
                &first,
                "u-clerk",
                now(),
                event(EventKind::OriginalSeen, &f),
            )
            .await
            .expect("seen");
        let seen = store
            .material_file(&f.id)
            .await
            .expect("file")
            .expect("there");
        assert_eq!(seen.original_seen_by.as_deref(), Some("u-clerk"));
        let events = events_of(&store, &first).await;
        assert!(events.ends_with(&["material_viewed".to_owned(), "original_seen".to_owned()]));
    }
);
