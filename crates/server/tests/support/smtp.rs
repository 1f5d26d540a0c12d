//! A real SMTP server for the e-mail tests: aiosmtpd (PyPI, installed by
//! `scripts/setup` into `target/aiosmtpd`), keeping each message in a
//! Maildir the test reads. Missing, it fails the test: run scripts/setup.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running aiosmtpd, stopped when dropped.
pub struct SmtpServer {
    child: Child,
    /// `smtp://127.0.0.1:PORT`.
    pub url: String,
    maildir: tempfile::TempDir,
}

impl SmtpServer {
    /// Starts it on a free port and waits until it accepts connections.
    pub fn start() -> SmtpServer {
        let python = std::env::var_os("YICI_TEST_AIOSMTPD_PYTHON").map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/aiosmtpd/bin/python"),
            PathBuf::from,
        );
        assert!(
            python.exists(),
            "aiosmtpd is required for the e-mail tests at {}: run scripts/setup",
            python.display()
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let maildir = tempfile::tempdir().expect("maildir");
        let child = Command::new(&python)
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(maildir.path().join("mail"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not listen within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        SmtpServer {
            child,
            url: format!("smtp://127.0.0.1:{port}"),
            maildir,
        }
    }

    /// Every message received, as raw text.
    pub fn received(&self) -> Vec<String> {
        let new = self.maildir.path().join("mail/new");
        let mut out: Vec<String> = std::fs::read_dir(new)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
