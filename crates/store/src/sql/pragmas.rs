//! The settings of SQLite's connections that write, and the sizes of the
//! WAL they share with the checkpoints (`checkpoint.rs`): the WAL is
//! started over past [`RESTART_PAGES`] and cut back to [`WAL_LIMIT_BYTES`].
//! Apart from both the connections (`connect.rs`, `sqlite_writer.rs`) and
//! the checkpoints, which all need them.

/// WAL frames (pages) past which a checkpoint starts the WAL over: 256 MB
/// of 4 KB pages, a few seconds of the heaviest load measured. Each such
/// checkpoint holds writes back for a moment, so not much more often.
pub const RESTART_PAGES: i64 = 65_536;

/// The most bytes a WAL file keeps once started over.
pub const WAL_LIMIT_BYTES: i64 = RESTART_PAGES * 4096;

/// The settings of every SQLite connection that writes: sqlx's, and the
/// case writer's own (`sqlite_writer.rs`); `writer` for the connections
/// that write cases, whose checkpoints run beside them (`checkpoint.rs`),
/// not inside their commits.
pub(crate) fn sqlite_pragmas(writer: bool) -> Vec<String> {
    // WAL lets readers run beside the writer; NORMAL synchronous is durable
    // across process crashes in WAL mode (only an OS crash can lose the
    // last commits).
    let mut pragmas = vec![
        "PRAGMA journal_mode = WAL".to_owned(),
        "PRAGMA synchronous = NORMAL".to_owned(),
        "PRAGMA busy_timeout = 10000".to_owned(),
        "PRAGMA foreign_keys = ON".to_owned(),
        format!("PRAGMA journal_size_limit = {WAL_LIMIT_BYTES}"),
    ];
    if writer {
        pragmas.push("PRAGMA wal_autocheckpoint = 0".to_owned());
    }
    pragmas
}
