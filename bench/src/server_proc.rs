//! The real `yici serve` binary as a child process on a loopback port,
//! its peak memory (VmHWM), and fresh PostgreSQL databases made with psql.

use std::fs::File;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use clap::builder::TypedValueParser as _;

/// A running `yici serve`.
pub struct Server {
    child: Child,
    addr: SocketAddr,
}

/// How to start it.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The `yici` binary.
    pub yici: PathBuf,
    /// Data directory.
    pub data: PathBuf,
    /// PostgreSQL URL, or SQLite in `data`.
    pub database_url: Option<String>,
    /// Catalog directory.
    pub catalog: PathBuf,
    /// Where the server's output goes.
    pub log: PathBuf,
}

fn free_port() -> io::Result<u16> {
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(l.local_addr()?.port())
}

impl Server {
    /// Starts `yici serve --demo` and waits (up to 120 s) until it accepts
    /// connections.
    pub fn start(config: &ServerConfig) -> io::Result<Self> {
        let port = free_port()?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let log = File::create(&config.log)?;
        let mut cmd = Command::new(&config.yici);
        cmd.arg("serve")
            .arg("--demo")
            .arg("--catalog")
            .arg(&config.catalog)
            .arg("--data")
            .arg(&config.data)
            .arg("--listen")
            .arg(addr.to_string())
            .env_remove("YICI_DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        if let Some(url) = &config.database_url {
            cmd.arg("--database-url").arg(url);
        }
        let mut child = cmd.spawn()?;
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Some(status) = child.try_wait()? {
                return Err(io::Error::other(format!(
                    "yici serve exited with {status}; see {}",
                    config.log.display()
                )));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                break;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return Err(io::Error::other("yici serve did not listen within 120 s"));
            }
            thread::sleep(Duration::from_millis(100));
        }
        Ok(Server { child, addr })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Peak resident memory so far (VmHWM), in kB.
    pub fn peak_rss_kb(&self) -> Option<u64> {
        status_kb(self.child.id(), "VmHWM:")
    }

    /// Resident memory now (VmRSS), in kB.
    pub fn rss_kb(&self) -> Option<u64> {
        status_kb(self.child.id(), "VmRSS:")
    }

    /// Stops it with SIGTERM (by its pid), waiting up to 30 s, then SIGKILL.
    pub fn stop(mut self) -> io::Result<()> {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self.child.try_wait()?.is_some() {
                return Ok(());
            }
            thread::sleep(Duration::from_millis(100));
        }
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    text.lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// The 1-, 5- and 15-minute load averages, as /proc/loadavg has them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// Runs one SQL statement with psql against `admin_url` (a database URL
/// such as postgres://postgres@127.0.0.1:5432/test).
pub fn psql(admin_url: &str, sql: &str) -> io::Result<()> {
    let out = Command::new("psql")
        .arg(admin_url)
        .arg("-v")
        .arg("ON_ERROR_STOP=1")
        .arg("-qAtc")
        .arg(sql)
        .output()?;
    if !out.status.success() {
        return Err(io::Error::other(format!(
            "psql {sql:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(())
}

/// A fresh PostgreSQL database, dropped on [`PgDatabase::drop_now`].
pub struct PgDatabase {
    admin: String,
    name: String,
    /// Its URL.
    pub url: String,
}

impl PgDatabase {
    /// Creates `yt_bench_<pid>_<tag>` next to the database of `admin_url`.
    pub fn create(admin_url: &str, tag: &str) -> io::Result<Self> {
        let name = format!("yt_bench_{}_{tag}", std::process::id());
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url, |(b, _)| b)
            .to_owned();
        psql(admin_url, &format!("DROP DATABASE IF EXISTS {name}"))?;
        psql(admin_url, &format!("CREATE DATABASE {name}"))?;
        Ok(PgDatabase {
            admin: admin_url.to_owned(),
            url: format!("{base}/{name}"),
            name,
        })
    }

    /// Drops it.
    pub fn drop_now(self) -> io::Result<()> {
        psql(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        )
    }
}

/// The server a benchmark drives and where it keeps its data, from the
/// options each such benchmark takes: `--backend sqlite|postgres`,
/// `--pg URL` (the admin URL fresh databases are made from), `--yici PATH`
/// and `--catalog DIR`.
#[derive(Debug, Clone, clap::Args)]
pub struct Backend {
    /// The server's database: SQLite in the data directory, or postgres for
    /// a fresh PostgreSQL database per run, made next to --pg's with psql.
    #[arg(
        long = "backend",
        value_name = "sqlite|postgres",
        default_value = "sqlite",
        action = clap::ArgAction::Set,
        value_parser = clap::builder::PossibleValuesParser::new(["sqlite", "postgres"])
            .map(|backend| backend == "postgres"),
    )]
    pub postgres: bool,
    /// Admin URL of the PostgreSQL server that fresh databases are made on
    /// (with --backend postgres).
    #[arg(
        long,
        value_name = "URL",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    pub pg: String,
    /// The `yici` binary to start as the server; by default the one beside
    /// this binary.
    #[arg(long, value_name = "PATH", default_value_os_t = default_yici())]
    pub yici: PathBuf,
    /// Catalog directory the server loads.
    #[arg(long, value_name = "DIR", default_value = "catalog")]
    pub catalog: PathBuf,
}

impl Backend {
    /// `SQLite` or `PostgreSQL`, for reports.
    pub fn name(&self) -> &'static str {
        if self.postgres {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }

    /// A fresh PostgreSQL database for this run (`tag` in its name), or
    /// `None` on SQLite.
    pub fn database(&self, tag: &str) -> io::Result<Option<PgDatabase>> {
        self.postgres
            .then(|| PgDatabase::create(&self.pg, tag))
            .transpose()
    }

    /// Starts `yici serve --demo` on `pg`, or on SQLite in `data`, its
    /// output in `log`, and says where it runs.
    pub fn serve(&self, data: &Path, pg: Option<&PgDatabase>, log: &Path) -> io::Result<Server> {
        let server = Server::start(&ServerConfig {
            yici: self.yici.clone(),
            data: data.to_owned(),
            database_url: pg.map(|d| d.url.clone()),
            catalog: self.catalog.clone(),
            log: log.to_owned(),
        })?;
        println!(
            "== yici serve pid {} on {} ({}), load average {}",
            server.pid(),
            server.addr(),
            self.name(),
            load_average()
        );
        Ok(server)
    }
}

/// The `yici` binary beside this one (both built into target/release).
pub fn default_yici() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_default()
        .join("yici")
}
