//! Messages to departments' own systems: CloudEvents 1.0 in the structured
//! JSON format (cloudevents/spec `json-format.md`), signed when delivered.

use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use yici_core::case::{Case, Task};

use crate::problem::ApiError;

/// The CloudEvents `type` of a task that opened for a department.
pub const TASK_OPENED: &str = "cn.yici.task.opened";

/// The JSON of a CloudEvent announcing that `task` of `case` opened.
pub fn task_event(
    id: &str,
    case: &Case,
    task: &Task,
    now: OffsetDateTime,
) -> Result<String, ApiError> {
    let time = now
        .format(&Rfc3339)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let event = json!({
        "specversion": "1.0",
        "id": id,
        "source": format!("/yici/cases/{}", case.id),
        "type": TASK_OPENED,
        "subject": task.id.to_string(),
        "time": time,
        "datacontenttype": "application/json",
        "data": {
            "case_id": case.id.to_string(),
            "case_version": case.version,
            "task_id": task.id.to_string(),
            "matter": task.matter.to_string(),
            "department": task.department.to_string(),
            "region": task.region.to_string(),
            "stage": task.stage,
            "deadline": task.deadline.map(|d| d.to_string()),
            "form": case.form,
            "decide": format!("/api/v1/tasks/{}/decision", task.id),
        }
    });
    Ok(event.to_string())
}
