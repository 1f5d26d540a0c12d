//! `yici ledger verify|export`: checking the tamper-evident log from the
//! database, and keeping its signed heads outside it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use yici_ledger::{LogSigner, SignedTreeHead, TreeHead, VerifyingKey};
use yici_store::{ConnectOptions, Store};

use crate::Format;

/// Where the log is.
#[derive(clap::Args)]
pub struct Source {
    /// Data directory of an embedded (SQLite) system.
    #[arg(long, default_value = "data")]
    data: PathBuf,
    /// PostgreSQL URL instead of the data directory.
    #[arg(long, env = "YICI_DATABASE_URL")]
    database_url: Option<String>,
    /// The log's key file (default: DATA/ledger.key).
    #[arg(long, env = "YICI_LEDGER_KEY_FILE")]
    key_file: Option<PathBuf>,
    /// The log's public key in hex, when the key file is not at hand.
    #[arg(long)]
    public_key: Option<String>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Recompute the log from the events and check it against the stored
    /// leaves and every signed tree head; exit 1 on any finding.
    Verify {
        #[command(flatten)]
        source: Source,
        /// Signed heads exported earlier (`yici ledger export`): the
        /// current log must extend each of them.
        #[arg(long)]
        since: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Write the signed tree heads (JSON lines) for a monitor to keep.
    Export {
        #[command(flatten)]
        source: Source,
        /// Output file (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

impl Source {
    async fn store(&self) -> anyhow::Result<Store> {
        let url = self
            .database_url
            .clone()
            .unwrap_or_else(|| yici_store::sqlite_url(&self.data));
        if self.database_url.is_none() && !self.data.join("yici.db").exists() {
            anyhow::bail!("no database in {}", self.data.display());
        }
        Store::connect(&url, &ConnectOptions::default())
            .await
            .context("opening the database")
    }

    fn key_path(&self) -> PathBuf {
        self.key_file
            .clone()
            .unwrap_or_else(|| self.data.join("ledger.key"))
    }

    fn signer(&self) -> anyhow::Result<Option<LogSigner>> {
        let path = self.key_path();
        if !path.exists() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path)?;
        let seed: [u8; 32] = hex::decode(text.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .with_context(|| format!("{} is not a 32-byte hex seed", path.display()))?;
        Ok(Some(LogSigner::from_seed(&seed)))
    }

    fn public_key(&self) -> anyhow::Result<Option<VerifyingKey>> {
        if let Some(hex_key) = &self.public_key {
            let bytes: [u8; 32] = hex::decode(hex_key.trim())
                .ok()
                .and_then(|b| b.try_into().ok())
                .context("--public-key must be 32 bytes of hex")?;
            return Ok(Some(
                VerifyingKey::from_bytes(&bytes).context("not an Ed25519 key")?,
            ));
        }
        Ok(self.signer()?.map(|s| s.verifying_key()))
    }
}

fn read_heads(path: &PathBuf) -> anyhow::Result<Vec<SignedTreeHead>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{}:{}: not a signed tree head", path.display(), i + 1))
        })
        .collect()
}

pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    tokio::runtime::Runtime::new()?.block_on(async {
        match cmd {
            Command::Verify {
                source,
                since,
                format,
            } => {
                let store = source.store().await?;
                let key = source.public_key()?;
                let kept = since
                    .as_ref()
                    .map(read_heads)
                    .transpose()?
                    .unwrap_or_default();
                let report = store.audit_ledger_with(key.as_ref(), &kept).await?;
                match format {
                    Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
                    Format::Text => {
                        println!(
                            "{} leaves, {} events, {} signed heads checked, root {}",
                            report.leaves, report.events, report.heads_checked, report.root_hex
                        );
                        if key.is_none() {
                            println!("warning: no key given, signatures were not checked");
                        }
                        for f in &report.findings {
                            println!(
                                "{:?}: leaf {} event {}: {}",
                                f.kind,
                                f.leaf.map_or("-".into(), |l| l.to_string()),
                                f.event.as_deref().unwrap_or("-"),
                                f.detail
                            );
                        }
                        if report.findings.is_empty() {
                            println!("the log is intact");
                        }
                    }
                }
                Ok(if report.findings.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                })
            }
            Command::Export { source, out } => {
                let store = source.store().await?;
                if let Some(signer) = source.signer()? {
                    // Include the current size, so that the export is fresh.
                    let f = store.ledger_frontier().await?;
                    let latest = store.latest_tree_head().await?;
                    if latest.is_none_or(|h| h.tree_head.size < f.size()) {
                        let now = std::time::SystemTime::now()
                            .duration_since(std::time::UNIX_EPOCH)
                            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(0));
                        let head = signer.sign(TreeHead {
                            size: f.size(),
                            root_hash: f.root(),
                            timestamp_ms: now,
                        });
                        store.insert_tree_head(&head).await?;
                    }
                }
                let mut text = String::new();
                for h in store.tree_heads().await? {
                    text.push_str(&serde_json::to_string(&h)?);
                    text.push('\n');
                }
                match out {
                    Some(path) => std::fs::write(&path, text)
                        .with_context(|| format!("writing {}", path.display()))?,
                    None => std::io::stdout().write_all(text.as_bytes())?,
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}
