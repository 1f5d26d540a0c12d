//! `yici serve`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use yici_catalog::load_dir;
use yici_materials::envelope::MasterKey;
use yici_server::AppState;
use yici_service::materials::{Blobs, Limits, S3};
use yici_service::{Clock, Service, Settings};
use yici_store::{ConnectOptions, Store};

use crate::default_catalog_dir;

#[derive(clap::Args)]
pub struct Args {
    /// Load the demo catalog (and, once case handling lands, demo users).
    #[arg(long)]
    demo: bool,
    /// Data directory, created on first start.
    #[arg(long, default_value = "data")]
    data: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Catalog directory (default: the demo catalog).
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// PostgreSQL URL (postgres://…) for the scale-out store; default is
    /// SQLite in the data directory.
    #[arg(long, env = "YICI_DATABASE_URL")]
    database_url: Option<String>,
    /// Departments' webhooks: a TOML file of `[[webhook]]` entries, each
    /// with `department`, `url` and `secret_env` or `secret_file` (never the
    /// secret itself).
    #[arg(long, env = "YICI_WEBHOOKS", value_name = "FILE")]
    webhooks: Option<PathBuf>,
    /// Seconds between deadline passes of the background worker.
    #[arg(long, default_value_t = 60, value_name = "SECS")]
    deadline_interval: u64,
    /// The URL this server is reached at, for certificate issuers, status
    /// lists and QR codes (default: http://LISTEN).
    #[arg(long, env = "YICI_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
    /// The ledger's signing key file (hex seed; created on first start).
    /// Default: DATA/ledger.key. Servers sharing one database share it.
    #[arg(long, env = "YICI_LEDGER_KEY_FILE", value_name = "FILE")]
    ledger_key_file: Option<PathBuf>,
    /// Run no background workers on this server (deadline cards, webhook
    /// deliveries): for API-only replicas when others run them. Running
    /// them on every server is safe too.
    #[arg(long)]
    no_workers: bool,
    /// The font the PDF certificates are set in: an OpenType/TrueType font
    /// or collection with Chinese glyphs (its SC face is chosen). Default:
    /// Noto Sans CJK where the distribution installs it; without one the
    /// PDF route explains what is missing and the HTML print page works.
    #[arg(long, env = "YICI_PDF_FONT", value_name = "FILE")]
    pdf_font: Option<PathBuf>,
    /// Where the sealed files of materials are kept (default DATA/documents).
    #[arg(long, env = "YICI_DOCUMENTS", value_name = "DIR")]
    documents: Option<PathBuf>,
    /// The key that seals the documents (default DATA/documents.key, made
    /// on first start); every server of one database needs the same.
    #[arg(long, env = "YICI_DOCUMENTS_KEY_FILE", value_name = "FILE")]
    documents_key_file: Option<PathBuf>,
    /// An S3-compatible object store for the documents instead of the folder
    /// (several servers share it), e.g. `https://s3.example.gov.cn`; its
    /// keys from `YICI_DOCUMENTS_S3_ACCESS_KEY_ID` and
    /// `YICI_DOCUMENTS_S3_SECRET_ACCESS_KEY` (or `…_FILE`).
    #[arg(long, env = "YICI_DOCUMENTS_S3", value_name = "URL")]
    documents_s3: Option<String>,
    /// The bucket of `--documents-s3`.
    #[arg(
        long,
        env = "YICI_DOCUMENTS_S3_BUCKET",
        default_value = "yici-documents"
    )]
    documents_s3_bucket: String,
    /// The region of `--documents-s3` (self-hosted servers take any).
    #[arg(long, env = "YICI_DOCUMENTS_S3_REGION", default_value = "us-east-1")]
    documents_s3_region: String,
    /// Largest file of a material, in MB.
    #[arg(long, default_value_t = 20, value_name = "MB")]
    max_file_mb: u64,
    /// All the files of one case together, in MB.
    #[arg(long, default_value_t = 200, value_name = "MB")]
    max_case_mb: u64,
    /// Files one material may have.
    #[arg(long, default_value_t = 20, value_name = "N")]
    max_files_per_material: u32,
    /// The payment provider. `sandbox`: the sandbox served by yici itself
    /// at `/sandbox/pay/…` (a checkout page, signed notices, a query API),
    /// for demos and tests; the only provider built in today.
    #[arg(long, env = "YICI_PAYMENTS", value_enum, default_value_t = PaymentsKind::Sandbox)]
    payments: PaymentsKind,
    /// The sandbox provider's signing key file (hex seed; created on first
    /// start). Default: DATA/sandbox-pay.key. Servers sharing one database
    /// share it.
    #[arg(long, env = "YICI_SANDBOX_PAY_KEY_FILE", value_name = "FILE")]
    sandbox_pay_key_file: Option<PathBuf>,
    /// The carrier of two-way delivery (双向寄递). `sandbox`: the sandbox
    /// carrier served by yici itself, which walks each parcel created →
    /// picked up → in transit → delivered and reports every step by signed
    /// callback; the only carrier built in today.
    #[arg(long, env = "YICI_CARRIER", value_enum, default_value_t = CarrierKind::Sandbox)]
    carrier: CarrierKind,
    /// The sandbox carrier's signing key file (hex seed; created on first
    /// start). Default: DATA/sandbox-carrier.key.
    #[arg(long, env = "YICI_SANDBOX_CARRIER_KEY_FILE", value_name = "FILE")]
    sandbox_carrier_key_file: Option<PathBuf>,
    /// A folder of year files (`2027.toml` …) from the State Council's
    /// notices published after this build, in the format of
    /// `crates/core/calendar/2026.toml`. Without a year's data no deadline
    /// reaching into it can be set: such a step is refused (`422`
    /// `date`/`year_not_covered`) rather than guessed.
    #[arg(long, env = "YICI_CALENDAR_DIR", value_name = "DIR")]
    calendar_dir: Option<PathBuf>,
    /// Seconds the sandbox carrier takes for each step of a parcel.
    #[arg(
        long,
        env = "YICI_CARRIER_STEP_SECS",
        default_value_t = 30,
        value_name = "SECS"
    )]
    carrier_step_secs: u32,
    /// The SMTP server the applicants' e-mails go through, as
    /// `smtp://host:port` (plain), `smtp://host:port?tls=required`
    /// (STARTTLS) or `smtps://host:port`, with `user:password@` if needed.
    /// Without it e-mail notifications are skipped (the message centre and
    /// text messages still work).
    #[arg(long, env = "YICI_SMTP_URL", value_name = "URL")]
    smtp_url: Option<String>,
    /// The sender of the e-mails.
    #[arg(
        long,
        env = "YICI_MAIL_FROM",
        default_value = "一次政务服务 <noreply@yici.example.com>"
    )]
    mail_from: String,
    /// How log lines are written: `text` for people, `json` (one object a
    /// line) for log collectors.
    #[arg(long, env = "YICI_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

/// Which payment provider.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PaymentsKind {
    /// The sandbox served by yici itself.
    Sandbox,
}

/// The carriers built in.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CarrierKind {
    /// The sandbox carrier served by yici itself.
    Sandbox,
}

/// How log lines are written.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object a line.
    Json,
}

/// What is logged unless `RUST_LOG` says otherwise: yici's own lines at
/// `info`; the libraries it uses only when they warn (tantivy, the search
/// index, logs every segment it writes at `info`, which buried yici's own
/// start-up lines).
pub const DEFAULT_LOG_FILTER: &str =
    "warn,yici=info,yici_server=info,yici_service=info,yici_store=info,yici_catalog=info";

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| DEFAULT_LOG_FILTER.into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    init_logging(args.log_format);
    let dir = match (&args.catalog, args.demo) {
        (Some(dir), _) => dir.clone(),
        (None, true) => default_catalog_dir(),
        (None, false) => anyhow::bail!("give --catalog DIR, or --demo for the demo catalog"),
    };
    std::fs::create_dir_all(&args.data)
        .with_context(|| format!("cannot create data directory {}", args.data.display()))?;
    let catalog = load_dir(&dir).with_context(|| format!("catalog {}", dir.display()))?;
    tracing::info!(
        catalog = %dir.display(),
        matters = catalog.matters.len(),
        one_things = catalog.one_things.len(),
        "catalog loaded"
    );
    let webhooks = match &args.webhooks {
        Some(path) => yici_service::workers::load_webhooks(path, &catalog)
            .with_context(|| format!("webhooks file {}", path.display()))?,
        None => BTreeMap::new(),
    };
    if !webhooks.is_empty() {
        let departments: Vec<String> = webhooks.keys().map(ToString::to_string).collect();
        tracing::info!(departments = %departments.join(","), "webhooks configured");
    }
    let url = args
        .database_url
        .clone()
        .unwrap_or_else(|| yici_store::sqlite_url(&args.data));
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let store = Store::connect(&url, &ConnectOptions::default())
            .await
            .with_context(|| format!("database {}", redact(&url)))?;
        tracing::info!(backend = ?store.backend(), "store ready");
        let key_path = args
            .ledger_key_file
            .clone()
            .unwrap_or_else(|| args.data.join("ledger.key"));
        let signer = yici_service::ledger::load_or_create_key(&key_path)
            .with_context(|| format!("ledger key {}", key_path.display()))?;
        tracing::info!(key_id = %hex::encode(signer.key_id()), "ledger key loaded");
        let documents = documents(&args)?;
        let payments = match args.payments {
            PaymentsKind::Sandbox => {
                let path = args
                    .sandbox_pay_key_file
                    .clone()
                    .unwrap_or_else(|| args.data.join("sandbox-pay.key"));
                let seed = yici_service::keyfile::load_or_create(&path)
                    .with_context(|| format!("sandbox payment key {}", path.display()))?;
                yici_service::payments::Provider::sandbox(Some(seed))
            }
        };
        let carrier = match args.carrier {
            CarrierKind::Sandbox => {
                let path = args
                    .sandbox_carrier_key_file
                    .clone()
                    .unwrap_or_else(|| args.data.join("sandbox-carrier.key"));
                let seed = yici_service::keyfile::load_or_create(&path)
                    .with_context(|| format!("sandbox carrier key {}", path.display()))?;
                let step_ms = i64::from(args.carrier_step_secs) * 1000;
                yici_service::express::Carrier::sandbox(Some(seed), step_ms)
            }
        };
        let mail = match &args.smtp_url {
            Some(url) => Some(
                yici_service::notify::Mail::new(url, &args.mail_from)
                    .map_err(|e| anyhow::anyhow!("--smtp-url: {e}"))?,
            ),
            None => None,
        };
        let settings = Settings {
            public_url: args
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", args.listen)),
            signer: Some(signer),
            webhooks,
            documents: Some(documents),
            limits: Limits {
                max_file_bytes: args.max_file_mb.saturating_mul(1024 * 1024),
                max_case_bytes: args.max_case_mb.saturating_mul(1024 * 1024),
                max_files_per_material: args.max_files_per_material,
            },
            payments,
            senders: yici_service::notify::Senders {
                mail,
                sms: yici_service::notify::Sms::Sandbox,
            },
            carrier,
            calendar: calendar(&args)?,
        };
        let service = Service::new(catalog, store, Clock::System, settings)?;
        if args.demo {
            let seeded = yici_service::demo::seed(&service)
                .await
                .map_err(|e| anyhow::anyhow!("seeding the demo: {e}"))?;
            tracing::info!(records = seeded.records, "demo data-set records loaded");
            println!(
                "demo users (password \"{}\"): {}",
                yici_service::demo::PASSWORD,
                seeded.users.join(", ")
            );
        }
        let state = AppState::new(service.clone());
        state.set_pdf_font(pdf_font(args.pdf_font.as_deref())?);
        // The workers stop on the same signal as the server; the server's
        // end is awaited first, then the workers' current passes.
        let workers = if args.no_workers {
            None
        } else {
            let config = yici_service::workers::WorkerConfig {
                deadline_interval: Duration::from_secs(args.deadline_interval.max(1)),
                ..Default::default()
            };
            Some(yici_service::workers::spawn_workers(
                service.clone(),
                config,
                stop_signal(),
            )?)
        };
        // Tree heads are signed at least once a second while the log grows.
        let heads = tokio::spawn(yici_service::ledger::publish_heads(
            service.clone(),
            stop_signal(),
        ));
        println!("yici serving on http://{}/", args.listen);
        yici_server::serve(state, args.listen).await?;
        if let Some(workers) = workers {
            let _ = workers.await;
        }
        let _ = heads.await;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C or SIGTERM, as `yici_server::serve` stops on.
/// The store of sealed documents: a folder, with the deployment's key.
fn documents(args: &Args) -> anyhow::Result<Blobs> {
    let key_path = args
        .documents_key_file
        .clone()
        .unwrap_or_else(|| args.data.join("documents.key"));
    let key = yici_service::keyfile::load_or_create(&key_path)
        .with_context(|| format!("documents key {}", key_path.display()))?;
    let key = MasterKey::from_bytes(key);
    tracing::info!(key_id = %key.id(), "documents key loaded");
    if let Some(endpoint) = &args.documents_s3 {
        let s3 = S3 {
            endpoint: endpoint.clone(),
            bucket: args.documents_s3_bucket.clone(),
            region: args.documents_s3_region.clone(),
            access_key_id: secret("YICI_DOCUMENTS_S3_ACCESS_KEY_ID")?,
            secret_access_key: secret("YICI_DOCUMENTS_S3_SECRET_ACCESS_KEY")?,
        };
        tracing::info!(endpoint = %endpoint, bucket = %s3.bucket, "documents in an S3 store");
        return Blobs::s3(&s3, key).map_err(|e| anyhow::anyhow!("documents {endpoint}: {e}"));
    }
    let dir = args
        .documents
        .clone()
        .unwrap_or_else(|| args.data.join("documents"));
    Blobs::folder(&dir, key).map_err(|e| anyhow::anyhow!("documents {}: {e}", dir.display()))
}

/// A secret from the environment variable `name`, or from the file that
/// `name_FILE` names (Docker and Kubernetes secrets); never from a flag,
/// which the process list shows.
fn secret(name: &str) -> anyhow::Result<String> {
    if let Ok(value) = std::env::var(name) {
        return Ok(value);
    }
    let file = std::env::var(format!("{name}_FILE"))
        .with_context(|| format!("set {name} or {name}_FILE"))?;
    Ok(std::fs::read_to_string(&file)
        .with_context(|| format!("{name}_FILE {file}"))?
        .trim()
        .to_owned())
}

async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut s) = signal(SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// The PDF font, found once at start. A file given with --pdf-font that
/// cannot be used stops the start (the operator asked for it); no font
/// found in the usual places is only a warning, since everything but the
/// PDF works without it.
fn pdf_font(
    file: Option<&std::path::Path>,
) -> anyhow::Result<Result<yici_print::CjkFont, yici_print::FontError>> {
    match yici_print::CjkFont::find(file) {
        Ok(font) => {
            tracing::info!(font = %font.path().display(), index = font.index(), family = font.family(), "PDF font loaded");
            Ok(Ok(font))
        }
        Err(e) if file.is_some() => Err(e.into()),
        Err(e) => {
            tracing::warn!(error = %e, "PDF certificates are unavailable");
            Ok(Err(e))
        }
    }
}

/// The calendar with the operator's added years, logged; warned about when
/// next year is near and not covered, since its deadlines will be refused.
fn calendar(args: &Args) -> anyhow::Result<yici_core::calendar::Calendar> {
    let calendar = crate::calendar::with_dir(args.calendar_dir.as_deref())?;
    let years: Vec<i32> = calendar.covered_years().collect();
    tracing::info!(?years, "working-day calendar");
    let today = time::OffsetDateTime::now_utc().date();
    let next = today.year() + 1;
    if today.month() >= time::Month::October && !calendar.covers(next) {
        tracing::warn!(
            year = next,
            "the working-day calendar has no data for {next}: deadlines reaching into it are refused; \
             add {next}.toml from the State Council's notice with --calendar-dir"
        );
    }
    Ok(calendar)
}
