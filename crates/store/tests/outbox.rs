//! The outbox on both backends: leases, retries with back-off, dead
//! letters and sending them again.

mod support;

use support::*;
use yici_store::{OutboxFilter, OutboxMessage, OutboxState, Retry, Store};

fn message(id: &str, destination: &str) -> OutboxMessage {
    OutboxMessage {
        id: id.into(),
        topic: "t".into(),
        destination: destination.into(),
        payload: "{}".into(),
        attempts: 0,
    }
}

async fn case_with(store: &Store, messages: &[OutboxMessage]) {
    let (case, events) = window_case();
    store
        .insert_case(&case, "u", &events, messages, None, now())
        .await
        .expect("insert");
}

fn listed(state: Option<OutboxState>) -> OutboxFilter {
    OutboxFilter {
        state,
        limit: 10,
        ..Default::default()
    }
}

both!(
    outbox_message_is_redelivered_after_failure,
    |store: Store| async move {
        case_with(&store, &[message("m", "d")]).await;
        let leased = store
            .lease_outbox("w", now(), 10, 1000)
            .await
            .expect("lease");
        assert_eq!(leased.len(), 1);
        assert!(
            store
                .lease_outbox("w2", now(), 10, 1000)
                .await
                .expect("lease")
                .is_empty()
        );
        store
            .outbox_failed("m", now() + 5000, "connection refused")
            .await
            .expect("failed");
        assert!(
            store
                .lease_outbox("w", now() + 1000, 10, 1000)
                .await
                .expect("lease")
                .is_empty()
        );
        let again = store
            .lease_outbox("w", now() + 6000, 10, 1000)
            .await
            .expect("lease");
        assert_eq!(again[0].attempts, 1);
        store
            .outbox_delivered("m", now() + 7000)
            .await
            .expect("delivered");
        assert!(
            store
                .lease_outbox("w", now() + 99_000, 10, 1000)
                .await
                .expect("lease")
                .is_empty()
        );
    }
);

both!(
    a_dead_letter_is_not_leased_until_an_admin_retries_it,
    |store: Store| async move {
        case_with(&store, &[message("m", "scjg"), message("n", "sthj")]).await;
        let leased = store
            .lease_outbox("w", now(), 10, 1000)
            .await
            .expect("lease");
        assert_eq!(leased.len(), 2);
        store
            .outbox_dead("m", now() + 10, "answered HTTP 500")
            .await
            .expect("dead");
        store
            .outbox_delivered("n", now() + 20)
            .await
            .expect("delivered");
        assert!(
            store
                .lease_outbox("w", now() + 99_000_000, 10, 1000)
                .await
                .expect("lease")
                .is_empty(),
            "a dead letter waits for an admin"
        );

        let (dead, total) = store
            .list_outbox(&listed(Some(OutboxState::Dead)))
            .await
            .expect("list");
        assert_eq!(total, 1);
        assert_eq!(dead[0].id, "m");
        assert_eq!(dead[0].state, OutboxState::Dead);
        assert_eq!(dead[0].attempts, 1);
        assert_eq!(dead[0].dead_ms, Some(now() + 10));
        assert_eq!(dead[0].last_error.as_deref(), Some("answered HTTP 500"));
        let (all, total) = store.list_outbox(&listed(None)).await.expect("list");
        assert_eq!((all.len(), total), (2, 2));
        let (to_sthj, _) = store
            .list_outbox(&OutboxFilter {
                destination: Some("sthj".into()),
                ..listed(None)
            })
            .await
            .expect("list");
        assert_eq!(to_sthj.len(), 1);
        assert_eq!(to_sthj[0].state, OutboxState::Delivered);

        assert_eq!(
            store
                .retry_outbox("n", "admin", now())
                .await
                .expect("retry"),
            Retry::NotDead(OutboxState::Delivered)
        );
        assert_eq!(
            store
                .retry_outbox("x", "admin", now())
                .await
                .expect("retry"),
            Retry::Unknown
        );
        let at = now() + 100_000_000;
        assert_eq!(
            store.retry_outbox("m", "admin", at).await.expect("retry"),
            Retry::Queued
        );
        assert_eq!(
            store.retry_outbox("m", "admin", at).await.expect("retry"),
            Retry::NotDead(OutboxState::Pending),
            "a second retry finds it pending"
        );
        let entry = store
            .outbox_entry("m")
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(entry.state, OutboxState::Pending);
        assert_eq!(entry.retried, Some(("admin".to_owned(), at)));
        assert_eq!(entry.attempts, 1, "attempts are kept");
        let again = store.lease_outbox("w", at, 10, 1000).await.expect("lease");
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].id, "m");
    }
);

both!(outbox_lists_page_newest_first, |store: Store| async move {
    let messages: Vec<_> = (0..5).map(|i| message(&format!("m{i}"), "scjg")).collect();
    case_with(&store, &messages).await;
    let (page, total) = store
        .list_outbox(&OutboxFilter {
            limit: 2,
            offset: 4,
            ..listed(Some(OutboxState::Pending))
        })
        .await
        .expect("list");
    assert_eq!(total, 5);
    assert_eq!(page.len(), 1);
    let (past, total) = store
        .list_outbox(&OutboxFilter {
            limit: 2,
            offset: 10,
            ..listed(Some(OutboxState::Pending))
        })
        .await
        .expect("list");
    assert_eq!((past.len(), total), (0, 5));
});
