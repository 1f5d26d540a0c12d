//! `yici calendar is-working|add|between`, and the calendar the server
//! and these commands use: the official years embedded at build time and
//! the year files an operator adds (`--calendar-dir`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use serde_json::json;
use time::Date;
use time::macros::format_description;
use yici_core::calendar::{Calendar, YearData};

use crate::Format;

/// `yici calendar`: a question, asked of the calendar with the added years.
#[derive(clap::Args)]
pub struct Args {
    /// A folder of year files (`2027.toml` …) from the State Council's
    /// notices published after this build, in the format of
    /// `crates/core/calendar/2026.toml`.
    #[arg(long, env = "YICI_CALENDAR_DIR", value_name = "DIR", global = true)]
    pub calendar_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// The official calendar with every `*.toml` year file of `dir`, if any;
/// a file that does not parse, or a year given twice, is named.
pub fn with_dir(dir: Option<&Path>) -> anyhow::Result<Calendar> {
    let Some(dir) = dir else {
        return Ok(Calendar::official().clone());
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("calendar folder {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut years = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("calendar file {}", path.display()))?;
        let year = YearData::from_toml(&text)
            .with_context(|| format!("calendar file {}", path.display()))?;
        years.push(year);
    }
    Calendar::official_and(years).with_context(|| format!("calendar folder {}", dir.display()))
}

#[derive(Subcommand)]
pub enum Command {
    /// Whether DATE is a working day, and why.
    IsWorking {
        /// YYYY-MM-DD.
        date: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// The date N working days after DATE.
    Add {
        /// YYYY-MM-DD.
        date: String,
        /// Working days to add.
        n: u32,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Working days after DATE1 up to and including DATE2.
    Between {
        /// YYYY-MM-DD.
        date1: String,
        /// YYYY-MM-DD.
        date2: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

fn parse_date(s: &str) -> anyhow::Result<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]"))
        .with_context(|| format!("{s:?} is not a date of the form YYYY-MM-DD"))
}

fn emit(format: Format, value: serde_json::Value, text: String) {
    match format {
        Format::Json => println!("{value}"),
        Format::Text => println!("{text}"),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let calendar = with_dir(args.calendar_dir.as_deref())?;
    match args.command {
        Command::IsWorking { date, format } => {
            let d = parse_date(&date)?;
            let kind = calendar.day_kind(d)?;
            emit(
                format,
                json!({"date": d.to_string(), "working": kind.is_working(), "reason": kind.as_str()}),
                format!(
                    "{d}: {} ({})",
                    if kind.is_working() {
                        "working day"
                    } else {
                        "day off"
                    },
                    kind.as_str()
                ),
            );
        }
        Command::Add { date, n, format } => {
            let d = calendar.add_working_days(parse_date(&date)?, n)?;
            emit(format, json!({"date": d.to_string()}), d.to_string());
        }
        Command::Between {
            date1,
            date2,
            format,
        } => {
            let n = calendar.working_days_between(parse_date(&date1)?, parse_date(&date2)?)?;
            emit(format, json!({"working_days": n}), n.to_string());
        }
    }
    Ok(ExitCode::SUCCESS)
}
