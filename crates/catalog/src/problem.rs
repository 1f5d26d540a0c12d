//! Problems found in a catalog, each with its file, line and rule.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// One thing wrong with a catalog directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// File, relative to the catalog directory.
    pub file: String,
    /// 1-based line, 0 when the problem concerns the file as a whole.
    pub line: usize,
    /// Stable rule name, as listed in `catalog/README.md`.
    pub rule: &'static str,
    /// What is wrong, in English.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: [{}] {}",
            self.file, self.line, self.rule, self.message
        )
    }
}

/// A catalog file's text, kept to turn byte spans into line numbers.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    pub name: String,
    pub text: String,
}

impl SourceFile {
    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }
}

/// Where in the catalog a value was written: a file and a byte span in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct At {
    pub file: usize,
    pub start: usize,
}

impl At {
    pub fn new(file: usize, span: Range<usize>) -> Self {
        At {
            file,
            start: span.start,
        }
    }
}

/// Collects problems while a catalog is read.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    pub files: Vec<SourceFile>,
    pub found: Vec<Problem>,
}

impl Problems {
    pub fn add_file(&mut self, name: String, text: String) -> usize {
        self.files.push(SourceFile { name, text });
        self.files.len() - 1
    }

    pub fn report(&mut self, at: At, rule: &'static str, message: impl Into<String>) {
        let file = &self.files[at.file];
        self.found.push(Problem {
            file: file.name.clone(),
            line: file.line_of(at.start),
            rule,
            message: message.into(),
        });
    }

    pub fn report_file(&mut self, file: String, rule: &'static str, message: impl Into<String>) {
        self.found.push(Problem {
            file,
            line: 0,
            rule,
            message: message.into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_counts_newlines_before_offset() {
        let f = SourceFile {
            name: "a.toml".into(),
            text: "a = 1\nb = 2\nc = 3\n".into(),
        };
        assert_eq!(f.line_of(0), 1);
        assert_eq!(f.line_of(6), 2);
        assert_eq!(f.line_of(13), 3);
    }
}
