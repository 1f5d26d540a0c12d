//! The webhooks file: which departments run their own systems, where their
//! webhooks are, and where each one's secret is kept.
//!
//! ```toml
//! [[webhook]]
//! department = "xf"
//! url = "https://xf.example.gov.cn/yici/events"
//! secret_env = "YICI_WEBHOOK_XF_SECRET"      # or:
//! # secret_file = "/run/secrets/xf"
//! ```
//!
//! Secrets never stand in the file itself, which is configuration that
//! gets copied, committed and shown around; they come from the environment
//! or from a file of their own (Docker and Kubernetes secrets).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use yici_core::catalog::{Catalog, DepartmentCode};

use crate::context::Webhook;

/// Why the webhooks file cannot be used; every variant names the entry.
#[derive(Debug, thiserror::Error)]
pub enum WebhookFileError {
    /// The file (or a secret file) cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Not TOML of the expected shape.
    #[error("{0}")]
    Syntax(String),
    /// The department is not in the catalog.
    #[error("webhook for {department:?}: no such department in the catalog")]
    UnknownDepartment {
        /// The code as written.
        department: String,
    },
    /// Two entries for one department.
    #[error("webhook for {department}: given twice")]
    Duplicate {
        /// The department.
        department: String,
    },
    /// Not an absolute `http` or `https` URL.
    #[error("webhook for {department}: url {url:?} is not an http:// or https:// URL")]
    BadUrl {
        /// The department.
        department: String,
        /// The URL as written.
        url: String,
    },
    /// A secret written into the file.
    #[error(
        "webhook for {department}: the secret must not be in the file; use secret_env or secret_file"
    )]
    InlineSecret {
        /// The department.
        department: String,
    },
    /// Neither or both of `secret_env` and `secret_file`.
    #[error("webhook for {department}: give exactly one of secret_env and secret_file")]
    SecretSource {
        /// The department.
        department: String,
    },
    /// The environment variable is unset, or the secret is empty.
    #[error("webhook for {department}: secret from {from} is missing or empty")]
    NoSecret {
        /// The department.
        department: String,
        /// `$NAME` or the file's path.
        from: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    webhook: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    department: String,
    url: String,
    secret_env: Option<String>,
    secret_file: Option<PathBuf>,
    /// Accepted by the parser only to refuse it with a clear message.
    secret: Option<toml::Value>,
}

/// Reads the webhooks file at `path`, with secrets from the process
/// environment and secret files.
pub fn load_webhooks(
    path: &Path,
    catalog: &Catalog,
) -> Result<BTreeMap<DepartmentCode, Webhook>, WebhookFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| WebhookFileError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_webhooks(&text, catalog, |name| std::env::var(name).ok()).map_err(|e| match e {
        WebhookFileError::Syntax(m) => WebhookFileError::Syntax(format!("{}: {m}", path.display())),
        other => other,
    })
}

/// Parses a webhooks file's `text`, checking each department against the
/// catalog and each URL, and reading each secret through `env` (for
/// `secret_env`) or from its file (for `secret_file`, surrounding
/// whitespace trimmed).
pub fn parse_webhooks(
    text: &str,
    catalog: &Catalog,
    env: impl Fn(&str) -> Option<String>,
) -> Result<BTreeMap<DepartmentCode, Webhook>, WebhookFileError> {
    let file: File = toml::from_str(text).map_err(|e| WebhookFileError::Syntax(e.to_string()))?;
    let mut hooks = BTreeMap::new();
    for entry in file.webhook {
        let department = DepartmentCode::parse(&entry.department)
            .ok()
            .filter(|d| catalog.departments.contains_key(d))
            .ok_or_else(|| WebhookFileError::UnknownDepartment {
                department: entry.department.clone(),
            })?;
        let name = department.to_string();
        if entry.secret.is_some() {
            return Err(WebhookFileError::InlineSecret { department: name });
        }
        let url_ok = reqwest::Url::parse(&entry.url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host());
        if !url_ok {
            return Err(WebhookFileError::BadUrl {
                department: name,
                url: entry.url,
            });
        }
        let (secret, from) = match (&entry.secret_env, &entry.secret_file) {
            (Some(var), None) => (env(var), format!("${var}")),
            (None, Some(path)) => {
                let secret =
                    std::fs::read_to_string(path).map_err(|source| WebhookFileError::Read {
                        path: path.clone(),
                        source,
                    })?;
                (Some(secret), path.display().to_string())
            }
            _ => return Err(WebhookFileError::SecretSource { department: name }),
        };
        let secret = secret
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .ok_or(WebhookFileError::NoSecret {
                department: name.clone(),
                from,
            })?;
        let hook = Webhook {
            url: entry.url,
            secret,
        };
        if hooks.insert(department, hook).is_some() {
            return Err(WebhookFileError::Duplicate { department: name });
        }
    }
    Ok(hooks)
}
