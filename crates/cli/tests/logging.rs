//! What `yici serve` logs at start: yici's own lines, not the search
//! index's (tantivy wrote a line per segment at INFO and buried them), and
//! with `--log-format json` one JSON object a line for log collectors.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Starts `yici serve --demo` with `extra` arguments on a free port and a
/// fresh data directory, with no `RUST_LOG`, and returns what it printed
/// until it said it serves.
fn start_up_output(extra: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_yici"))
        .args(["serve", "--demo", "--no-workers", "--listen"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("--data")
        .arg(dir.path())
        .args(extra)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_LOG")
        .env_remove("YICI_LOG_FORMAT")
        .env_remove("YICI_DATABASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("yici serve starts");
    let (tx, rx) = mpsc::channel();
    for out in [
        child
            .stdout
            .take()
            .map(|o| Box::new(o) as Box<dyn std::io::Read + Send>),
        child
            .stderr
            .take()
            .map(|e| Box::new(e) as Box<dyn std::io::Read + Send>),
    ]
    .into_iter()
    .flatten()
    {
        let tx = tx.clone();
        thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut lines = Vec::new();
    while Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                let serving = line.contains("yici serving on");
                lines.push(line);
                if serving {
                    break;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        lines.iter().any(|l| l.contains("yici serving on")),
        "yici serve did not start:\n{}",
        lines.join("\n")
    );
    lines
}

#[test]
fn serve_shows_its_own_lines_and_not_the_search_indexs() {
    let lines = start_up_output(&[]);
    let text = lines.join("\n");
    for own in ["catalog loaded", "store ready", "ledger key loaded"] {
        assert!(text.contains(own), "no {own:?} line:\n{text}");
    }
    let noise: Vec<&String> = lines.iter().filter(|l| l.contains("tantivy")).collect();
    assert!(noise.is_empty(), "library lines at start: {noise:#?}");
}

#[test]
fn serve_writes_json_lines_with_log_format_json() {
    let lines = start_up_output(&["--log-format", "json"]);
    let logged: Vec<serde_json::Value> = lines
        .iter()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let loaded = logged
        .iter()
        .find(|v| v["fields"]["message"] == "catalog loaded")
        .unwrap_or_else(|| panic!("no JSON line for the catalog:\n{}", lines.join("\n")));
    assert_eq!(loaded["level"], "INFO");
    assert!(loaded["fields"]["matters"].as_u64().is_some_and(|n| n > 0));
    assert!(!lines.iter().any(|l| l.contains("tantivy")));
}
