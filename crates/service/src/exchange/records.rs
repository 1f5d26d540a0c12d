//! Departments fill the data sets they own, one record at a time or by
//! bulk import (JSON lines): every line checked first, one bad line writes
//! nothing, and every problem is named by its line.

use serde::Deserialize;
use yici_core::catalog::Dataset;
use yici_core::identifier::Identifier;

use crate::error::{FieldProblem, Result, ServiceError};
use crate::gate::DepartmentDesk;

/// Most records one import may carry.
pub const MAX_IMPORT: usize = 10_000;

/// One line of a bulk import.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportLine {
    subject: String,
    fields: serde_json::Map<String, serde_json::Value>,
}

/// Checks one record; problems are named under `prefix`. Returns the
/// subject normalized.
fn check(
    ds: &Dataset,
    subject: &str,
    fields: &serde_json::Map<String, serde_json::Value>,
    prefix: &str,
) -> Result<String, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let normalized = match Identifier::classify(subject).1 {
        Ok(id) => id.as_str().to_owned(),
        Err(e) => {
            problems.push(FieldProblem::new(
                format!("{prefix}subject"),
                e.rule(),
                e.to_string(),
            ));
            String::new()
        }
    };
    for (key, value) in fields {
        if !ds.fields.iter().any(|f| &f.key == key) {
            problems.push(FieldProblem::new(
                format!("{prefix}fields.{key}"),
                "unknown_field",
                format!("{} has no field {key}", ds.code),
            ));
        } else if !(value.is_string() || value.is_number() || value.is_boolean() || value.is_null())
        {
            problems.push(FieldProblem::new(
                format!("{prefix}fields.{key}"),
                "type",
                "a value is text, a number, true/false or null",
            ));
        }
    }
    if problems.is_empty() {
        Ok(normalized)
    } else {
        Err(problems)
    }
}

impl DepartmentDesk<'_> {
    /// Data set `code`, if the caller's department owns it.
    fn writable(&self, code: &str) -> Result<&Dataset> {
        let ds = self
            .service()
            .catalog()
            .datasets
            .values()
            .find(|d| d.code.as_str() == code)
            .ok_or_else(|| ServiceError::NotFound {
                what: "data set",
                id: code.to_owned(),
            })?;
        self.owns(ds.owner.as_str(), &format!("data set {code}"))?;
        Ok(ds)
    }

    /// Writes `subject`'s record of data set `code`; returns the subject
    /// normalized.
    pub async fn put_record(
        &self,
        code: &str,
        subject: &str,
        fields: serde_json::Map<String, serde_json::Value>,
    ) -> Result<(String, serde_json::Value)> {
        let ds = self.writable(code)?;
        let subject = check(ds, subject, &fields, "").map_err(ServiceError::Invalid)?;
        let fields = serde_json::Value::Object(fields);
        let service = self.service();
        service
            .store()
            .put_record(
                code,
                &subject,
                &fields,
                &self.caller().user().id,
                service.clock().now_ms(),
            )
            .await?;
        Ok((subject, fields))
    }

    /// Imports records of data set `code` from JSON lines, one
    /// `{"subject", "fields"}` object a line; returns how many.
    pub async fn import(&self, code: &str, body: &[u8]) -> Result<usize> {
        let ds = self.writable(code)?;
        let text = std::str::from_utf8(body)
            .map_err(|_| ServiceError::invalid("body", "utf8", "the import must be UTF-8 text"))?;
        let mut records = Vec::new();
        let mut problems = Vec::new();
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let prefix = format!("line {}: ", i + 1);
            match serde_json::from_str::<ImportLine>(line) {
                Ok(r) => match check(ds, &r.subject, &r.fields, &prefix) {
                    Ok(subject) => records.push((subject, serde_json::Value::Object(r.fields))),
                    Err(p) => problems.extend(p),
                },
                Err(e) => problems.push(FieldProblem::new(
                    format!("{prefix}body"),
                    "json",
                    e.to_string(),
                )),
            }
        }
        if records.len() > MAX_IMPORT {
            return Err(ServiceError::invalid(
                "body",
                "max_records",
                format!("at most {MAX_IMPORT} records an import"),
            ));
        }
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        if records.is_empty() {
            return Err(ServiceError::invalid(
                "body",
                "required",
                "no records: send one JSON object a line",
            ));
        }
        let service = self.service();
        service
            .store()
            .put_records(
                code,
                &records,
                &self.caller().user().id,
                service.clock().now_ms(),
            )
            .await?;
        Ok(records.len())
    }
}
