//! A real `yici serve --demo` process for tests that kill it, and a fresh
//! PostgreSQL database for them; shared by the crash tests.

#![allow(dead_code)]

use std::fs::File;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::http_client::http;

/// A running `yici serve --demo`, killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    log: PathBuf,
}

impl Server {
    /// Starts the server on `data` (and `database_url`, if given) and waits,
    /// at most two minutes, until it answers.
    pub fn start(data: &Path, database_url: Option<&str>, log: &Path) -> Server {
        Self::start_with(data, database_url, log, &[])
    }

    /// As [`Server::start`], with environment variables set for it.
    pub fn start_with(
        data: &Path,
        database_url: Option<&str>,
        log: &Path,
        env: &[(&str, &str)],
    ) -> Server {
        let addr = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port");
        let out = File::options()
            .create(true)
            .append(true)
            .open(log)
            .expect("log file");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_yici"));
        cmd.args(["serve", "--demo", "--listen", &addr.to_string(), "--data"])
            .arg(data)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("YICI_DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("log file"))
            .stderr(out);
        if let Some(url) = database_url {
            cmd.args(["--database-url", url]);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("yici serve starts");
        let mut server = Server {
            child,
            addr,
            log: log.to_owned(),
        };
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("yici serve exited with {status}:\n{}", server.log_tail());
            }
            if http(addr, "GET", "/", None, &[], None).is_ok_and(|a| a.status == 200) {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "yici serve did not answer within 2 minutes:\n{}",
                server.log_tail()
            );
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// SIGKILL: no shutdown code runs.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }

    /// Waits up to `limit` for the process to end by itself; its status.
    pub fn exited_within(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            thread::sleep(Duration::from_millis(50));
        }
        None
    }

    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    pub fn login(&self, username: &str) -> String {
        let body = json!({"username": username, "password": "demo"}).to_string();
        let a = http(
            self.addr,
            "POST",
            "/api/v1/sessions",
            None,
            &[],
            Some(&body),
        )
        .unwrap_or_else(|e| panic!("sign in {username}: {e}\n{}", self.log_tail()));
        assert_eq!(a.status, 201, "sign in {username}: {}", a.body);
        a.json()["token"].as_str().expect("token").to_owned()
    }

    pub fn get(&self, path: &str, token: &str) -> Value {
        let a = http(self.addr, "GET", path, Some(token), &[], None)
            .unwrap_or_else(|e| panic!("GET {path}: {e}\n{}", self.log_tail()));
        assert_eq!(a.status, 200, "GET {path}: {}", a.body);
        a.json()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A valid value for every field of a plan's merged form (the JSON of
/// `GET /api/v1/one-things/{code}/plan`).
pub fn form_for(plan: &Value) -> Value {
    let mut form = serde_json::Map::new();
    for f in plan["form"]["fields"].as_array().expect("form fields") {
        let key = f["key"].as_str().expect("field key").to_owned();
        let v = match f["type"].as_str().expect("field type") {
            "text" if f["pattern"].is_string() => json!("6222021234567890123"),
            "text" => json!("宁波欢唱KTV"),
            "number" => json!(f["min"].as_i64().unwrap_or(0).max(1)),
            "date" => json!("2026-10-01"),
            "resident_id" => json!(yici_service::demo::resident_id("33021219900307001")),
            "uscc" => json!(yici_service::demo::uscc("330212", "MA2H7K3L")),
            "phone" => json!("13812345678"),
            "region" => json!("330212"),
            "bool" => json!(true),
            "choice" => f["options"][0].clone(),
            other => panic!("no test value for field type {other}"),
        };
        form.insert(key, v);
    }
    Value::Object(form)
}

/// A fresh PostgreSQL database, dropped (best effort) when done.
pub struct PgDatabase {
    admin: String,
    name: String,
    pub url: String,
}

impl PgDatabase {
    pub fn create() -> PgDatabase {
        let admin = std::env::var("YICI_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
        let name = format!("yt_{}", uuid::Uuid::new_v4().simple());
        let base = admin.split('?').next().unwrap_or(&admin);
        let url = format!(
            "{}/{name}",
            &base[..base.rfind('/').expect("a database in the URL")]
        );
        let out = Command::new("psql")
            .args([
                admin.as_str(),
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                &format!("CREATE DATABASE {name}"),
            ])
            .output();
        match out {
            Ok(o) if o.status.success() => PgDatabase { admin, name, url },
            Ok(o) => panic!(
                "PostgreSQL is required at {admin}: {}",
                String::from_utf8_lossy(&o.stderr)
            ),
            Err(e) => panic!("PostgreSQL is required at {admin}: psql did not run ({e})"),
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .args([
                self.admin.as_str(),
                "-c",
                &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            ])
            .output();
    }
}
