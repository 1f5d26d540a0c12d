//! The table of figures a run prints: each figure, what was measured and,
//! where there is one, the target and whether it was met.

use std::fmt::Write as _;

/// One line of the table.
#[derive(Debug, Clone)]
pub struct Row {
    /// What was measured.
    pub figure: String,
    /// The measurement, with its unit.
    pub measured: String,
    /// The target, and whether the measurement meets it.
    pub target: Option<(String, bool)>,
}

/// The figures of a run, in the order measured.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Rows.
    pub rows: Vec<Row>,
}

impl Report {
    /// Adds a figure without a target.
    pub fn info(&mut self, figure: impl Into<String>, measured: impl Into<String>) {
        self.rows.push(Row {
            figure: figure.into(),
            measured: measured.into(),
            target: None,
        });
    }

    /// Adds a figure with its target and whether it was met.
    pub fn target(
        &mut self,
        figure: impl Into<String>,
        measured: impl Into<String>,
        target: impl Into<String>,
        met: bool,
    ) {
        self.rows.push(Row {
            figure: figure.into(),
            measured: measured.into(),
            target: Some((target.into(), met)),
        });
    }

    /// Targets missed.
    pub fn missed(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| matches!(r.target, Some((_, false))))
            .count()
    }

    /// The table as plain text for a terminal.
    pub fn plain(&self) -> String {
        let width = |f: fn(&Row) -> usize| self.rows.iter().map(f).max().unwrap_or(0);
        let w0 = width(|r| r.figure.chars().count());
        let w1 = width(|r| r.measured.chars().count());
        let mut s = String::new();
        for r in &self.rows {
            let target = match &r.target {
                Some((t, met)) => format!("target {t:<10} {}", if *met { "✓" } else { "✗" }),
                None => String::new(),
            };
            let _ = writeln!(s, "{:<w0$}  {:>w1$}  {target}", r.figure, r.measured);
        }
        s
    }

    /// The table as Markdown.
    pub fn markdown(&self) -> String {
        let mut s =
            String::from("| figure | measured | target | met |\n| --- | ---: | --- | :---: |\n");
        for r in &self.rows {
            let (t, met) = match &r.target {
                Some((t, met)) => (t.as_str(), if *met { "✓" } else { "✗" }),
                None => ("—", ""),
            };
            let _ = writeln!(s, "| {} | {} | {t} | {met} |", r.figure, r.measured);
        }
        s
    }

    /// Appends the markdown table to `path` (made if missing), so that
    /// several runs gather in one file.
    pub fn append_markdown(&self, path: &std::path::Path) -> std::io::Result<()> {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        writeln!(f, "{}", self.markdown())
    }
}
