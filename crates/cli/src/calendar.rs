//! `yici calendar is-working|add|between`.

use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use serde_json::json;
use time::Date;
use time::macros::format_description;
use yici_core::calendar::Calendar;

use crate::Format;

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

pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    let calendar = Calendar::official();
    match cmd {
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
