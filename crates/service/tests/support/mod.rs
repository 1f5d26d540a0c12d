//! The stores of sealed files the tests run against: a local folder, and a
//! real S3 server — SeaweedFS, installed by `scripts/setup` under
//! `target/seaweedfs` (or wherever `YICI_WEED` says) and started here, one
//! per test, on free ports of 127.0.0.1, in a fresh directory.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use yici_materials::envelope::MasterKey;
use yici_service::materials::{Blobs, S3};

/// The key every test store seals with.
pub fn key() -> MasterKey {
    MasterKey::from_bytes([9; 32])
}

/// A store on a fresh local folder.
pub fn folder() -> (Blobs, Box<dyn std::any::Any>) {
    let dir = tempfile::tempdir().expect("dir");
    let blobs = Blobs::folder(dir.path(), key()).expect("blobs");
    (blobs, Box::new(dir))
}

/// A running SeaweedFS, stopped when dropped.
pub struct Weed {
    child: Child,
    /// How to reach its S3 endpoint.
    pub s3: S3,
    _dir: tempfile::TempDir,
}

impl Drop for Weed {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn weed_binary() -> PathBuf {
    let path = std::env::var_os("YICI_WEED")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/seaweedfs/bin/weed")
        });
    assert!(
        path.is_file(),
        "SeaweedFS is required at {} for the S3 tests; run scripts/setup",
        path.display()
    );
    path
}

/// A free port whose +10000 (where SeaweedFS puts its gRPC) is free too.
fn free_port() -> u16 {
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a port")
            .port();
        if port < 55_000 && TcpListener::bind(("127.0.0.1", port + 10_000)).is_ok() {
            return port;
        }
    }
}

impl Weed {
    /// Starts a SeaweedFS with one bucket and waits until it answers.
    pub async fn start() -> Weed {
        let dir = tempfile::tempdir().expect("dir");
        let data = dir.path().join("data");
        let logs = dir.path().join("log");
        std::fs::create_dir_all(&data).expect("data");
        std::fs::create_dir_all(&logs).expect("logs");
        let s3_port = free_port();
        let s3 = S3 {
            endpoint: format!("http://127.0.0.1:{s3_port}"),
            bucket: "yici-docs".into(),
            region: "us-east-1".into(),
            access_key_id: "yici-test".into(),
            secret_access_key: "yici-test-secret-0123456789".into(),
        };
        let child = Command::new(weed_binary())
            .arg(format!("-logdir={}", logs.display()))
            .arg("mini")
            .arg(format!("-dir={}", data.display()))
            .args([
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                "-master.telemetry=false",
            ])
            .arg(format!("-s3.port={s3_port}"))
            .arg(format!("-master.port={}", free_port()))
            .arg(format!("-volume.port={}", free_port()))
            .arg(format!("-filer.port={}", free_port()))
            .arg(format!("-admin.port={}", free_port()))
            .args([
                "-admin.ui=false",
                "-webdav=false",
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
            ])
            .arg(format!("-bucket={}", s3.bucket))
            .arg(format!(
                "-s3.localSocket={}",
                data.join("s3.sock").display()
            ))
            .arg(format!(
                "-filer.localSocket={}",
                data.join("filer.sock").display()
            ))
            .env("AWS_ACCESS_KEY_ID", &s3.access_key_id)
            .env("AWS_SECRET_ACCESS_KEY", &s3.secret_access_key)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("SeaweedFS starts");
        let weed = Weed {
            child,
            s3,
            _dir: dir,
        };
        let blobs = weed.blobs();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if blobs.keys().await.is_ok() {
                return weed;
            }
            assert!(
                Instant::now() < deadline,
                "SeaweedFS did not answer within 60 s"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// A store on it.
    pub fn blobs(&self) -> Blobs {
        Blobs::s3(&self.s3, key()).expect("S3 store")
    }
}

/// Writes, keeps, opens and deletes one small file; whether all worked.
async fn probe(blobs: &Blobs) -> bool {
    use futures_util::StreamExt;
    let jpeg: Vec<u8> = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F'].to_vec();
    let body = futures_util::stream::iter(vec![Ok::<_, String>(bytes::Bytes::from(jpeg))]);
    let Ok(staged) = blobs.stage(body, 1 << 20).await else {
        return false;
    };
    if blobs.keep(&staged).await.is_err() {
        return false;
    }
    let Ok(mut opened) = blobs.open(&staged.scanned.sha256).await else {
        return false;
    };
    while let Some(chunk) = opened.next().await {
        if chunk.is_err() {
            return false;
        }
    }
    blobs.delete(&staged.scanned.sha256).await.is_ok()
        && blobs.keys().await.is_ok_and(|k| k.is_empty())
}

/// A store on a fresh S3 server.
pub async fn s3() -> (Blobs, Box<dyn std::any::Any>) {
    let weed = Weed::start().await;
    let blobs = weed.blobs();
    (blobs, Box::new(weed))
}

/// Runs a test on a local folder and on a real S3 server:
/// `both_stores!(name, |blobs: Blobs| async move { ... });`
#[macro_export]
macro_rules! both_stores {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn folder() {
                let (blobs, _keep) = support::folder();
                ($body)(blobs).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn s3() {
                let (blobs, _keep) = support::s3().await;
                ($body)(blobs).await;
            }
        }
    };
}
