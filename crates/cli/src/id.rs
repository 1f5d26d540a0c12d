//! `yici id check VALUE`.

use std::process::ExitCode;

use clap::Subcommand;
use serde::Serialize;
use yici_core::identifier::Identifier;

use crate::Format;

#[derive(Subcommand)]
pub enum Command {
    /// Say what kind of identifier VALUE is and whether it is valid.
    Check {
        /// A resident ID (GB 11643) or unified social credit code (GB 32100).
        value: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Serialize)]
struct Report {
    kind: &'static str,
    valid: bool,
    normalized: Option<String>,
    error: Option<String>,
    rule: Option<&'static str>,
}

/// Exit 0 when valid, 1 when not. A valid USCC whose embedded
/// organisation code fails its own GB 11714 check is valid, with a warning
/// on stderr (the JSON on stdout keeps its fields).
pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    let Command::Check { value, format } = cmd;
    let (kind, result) = Identifier::classify(&value);
    if let Ok(Identifier::Uscc(code)) = &result
        && let Some(mismatch) = code.organization_code_mismatch()
    {
        eprintln!("warning: {mismatch}");
    }
    let report = match &result {
        Ok(id) => Report {
            kind: kind.as_str(),
            valid: true,
            normalized: Some(id.as_str().to_owned()),
            error: None,
            rule: None,
        },
        Err(e) => Report {
            kind: kind.as_str(),
            valid: false,
            normalized: None,
            error: Some(e.to_string()),
            rule: Some(e.rule()),
        },
    };
    match format {
        Format::Json => println!("{}", serde_json::to_string(&report)?),
        Format::Text => match (&report.normalized, &report.error) {
            (Some(n), _) => println!("valid {}: {n}", report.kind),
            (_, Some(e)) => println!("invalid {}: {e}", report.kind),
            _ => {}
        },
    }
    Ok(if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
