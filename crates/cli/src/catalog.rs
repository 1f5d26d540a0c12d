//! `yici catalog check|plan|search`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use serde_json::json;
use yici_catalog::{Plan, SearchIndex, check_dir, load_dir, plan};

use crate::{Format, default_catalog_dir};

#[derive(Subcommand)]
pub enum Command {
    /// Check a catalog directory and report every problem with file and line.
    Check {
        /// The catalog directory.
        dir: PathBuf,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Plan a one-thing or a matter: form, materials, stages, days, trips.
    Plan {
        /// One-thing or matter code.
        code: String,
        /// The catalog directory (default: the demo catalog).
        #[arg(long)]
        catalog: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Search matters and one-things.
    Search {
        /// What to look for, e.g. 开饭店.
        query: String,
        /// The catalog directory (default: the demo catalog).
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// How many results.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Check { dir, format } => {
            let problems = check_dir(&dir)?;
            match format {
                Format::Json => println!(
                    "{}",
                    json!({"valid": problems.is_empty(), "problems": problems})
                ),
                Format::Text => {
                    for p in &problems {
                        println!("{p}");
                    }
                    if problems.is_empty() {
                        println!("{}: catalog is valid", dir.display());
                    } else {
                        eprintln!("{} problem(s)", problems.len());
                    }
                }
            }
            Ok(if problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Plan {
            code,
            catalog,
            format,
        } => {
            let catalog = load_dir(&catalog.unwrap_or_else(default_catalog_dir))?;
            let plan = plan(&catalog, &code)?;
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&plan)?),
                Format::Text => print_plan(&plan),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Search {
            query,
            catalog,
            limit,
            format,
        } => {
            let catalog = load_dir(&catalog.unwrap_or_else(default_catalog_dir))?;
            let hits = SearchIndex::build(&catalog)?.search(&query, limit)?;
            match format {
                Format::Json => println!("{}", json!({"query": query, "hits": hits})),
                Format::Text => {
                    for h in &hits {
                        println!("{:>7.3}  {:<24} {}", h.score, h.code, h.name.zh);
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_plan(plan: &Plan) {
    println!("{} {} / {}", plan.code, plan.name.zh, plan.name.en);
    println!(
        "trips: {}   promised working days: {}   departments: {}",
        plan.trips,
        plan.promised_working_days,
        plan.departments.len()
    );
    for s in &plan.stages {
        let tasks: Vec<String> = s
            .tasks
            .iter()
            .map(|t| format!("{} ({}, {}d)", t.name.zh, t.department, t.promised_limit))
            .collect();
        println!(
            "stage {} [{}d]: {}",
            s.index,
            s.working_days,
            tasks.join(", ")
        );
    }
    let names = |list: &[yici_catalog::plan::PlannedMaterial]| {
        list.iter()
            .map(|m| m.name.zh.to_string())
            .collect::<Vec<_>>()
            .join("、")
    };
    println!("bring:    {}", names(&plan.materials.bring));
    println!("fetched:  {}", names(&plan.materials.fetched));
    println!("internal: {}", names(&plan.materials.internal));
    println!("form: {} field(s)", plan.form.fields.len());
    for n in &plan.negative_list {
        println!(
            "negative list: {} needs {} trips: {}",
            n.matter, n.trips, n.reason.zh
        );
    }
    if !plan.zero_trip_by_delivery.is_empty() {
        let matters: Vec<String> = plan
            .zero_trip_by_delivery
            .iter()
            .map(ToString::to_string)
            .collect();
        println!(
            "two-way delivery: {} trip(s); originals by post and results by express spare {}",
            plan.trips_with_delivery,
            matters.join(", ")
        );
    }
    println!(
        "separately: {} materials, {} trips, {} working days",
        plan.separately.materials, plan.separately.trips, plan.separately.working_days
    );
}
