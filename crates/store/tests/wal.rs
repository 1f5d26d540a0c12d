//! SQLite only: the WAL is checkpointed beside the writer, whose own
//! commits never checkpoint (a checkpoint inside a commit stalled the batch
//! of every request queued behind it). What a batch commits still reaches
//! the database file within a moment.

mod support;

use std::time::{Duration, Instant};

use sqlx::Connection;
use support::*;
use yici_store::{ConnectOptions, Store};

/// Cases in the database file alone: `immutable=1` makes SQLite read the
/// file and ignore the WAL. 0 while not even the schema is there.
async fn cases_in_file(dir: &std::path::Path) -> i64 {
    let url = format!(
        "sqlite://{}?mode=ro&immutable=1",
        dir.join("yici.db").display()
    );
    let mut conn = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("the file alone");
    // Before the first checkpoint the file has no tables yet.
    sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM cases")
        .fetch_one(&mut conn)
        .await
        .map_or(0, |(n,)| n)
}

#[tokio::test]
async fn committed_cases_reach_the_database_file_without_the_writer_checkpointing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = yici_store::sqlite_url(dir.path());
    let store = Store::connect(&url, &ConnectOptions::default())
        .await
        .expect("store");
    let (case, events) = window_case();
    store
        .insert_case(&case, "u", &events, &[], None, now())
        .await
        .expect("insert");
    // A few checkpoint intervals; far fewer pages than the 1,000 at which
    // SQLite's own automatic checkpoint would have run.
    let deadline = Instant::now() + Duration::from_secs(5);
    while cases_in_file(dir.path()).await == 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        cases_in_file(dir.path()).await,
        1,
        "checkpointed into the file"
    );
    store.close().await;
}
