//! What a caller asks of a case, read into the domain's types: the same
//! reading for a JSON body and for a page's form, so that both mean the
//! same thing and name the same field when something is wrong.

use serde::Deserialize;
use yici_core::calendar::WorkingDays;
use yici_core::case::{Action, Applicant, Outcome, Rating, Target, TrackingNumber};
use yici_core::catalog::{DeliveryMode, FieldKey, MatterCode, OneThingCode, WindowCode};
use yici_core::identifier::{RegionCode, ResidentId, Uscc};

use sha2::{Digest, Sha256};
use yici_store::IdempotencyKey;

use crate::error::{FieldProblem, Result, ServiceError};
use crate::gate::Caller;

/// Who applies, as given.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ApplicantInput {
    /// A natural person.
    Person {
        /// GB 11643 resident ID.
        resident_id: String,
        /// Name.
        name: String,
        /// Region of residence (GB/T 2260): decides the competent authority.
        region: String,
    },
    /// An enterprise.
    Enterprise {
        /// GB 32100 unified social credit code.
        uscc: String,
        /// Name.
        name: String,
        /// Region of registration.
        region: String,
    },
}

enum Subject {
    Person(ResidentId),
    Enterprise(Uscc),
}

/// Reads the applicant, naming every broken rule at once (a clerk fixes
/// them in one go).
pub fn applicant(input: ApplicantInput) -> Result<Applicant> {
    let mut problems = Vec::new();
    let (kind, id, name, region) = match input {
        ApplicantInput::Person {
            resident_id,
            name,
            region,
        } => ("person", resident_id, name, region),
        ApplicantInput::Enterprise { uscc, name, region } => ("enterprise", uscc, name, region),
    };
    // Problems in the order the API has always named them: the
    // identifier, the name, the region.
    let id = id.trim().to_uppercase();
    let subject = if kind == "enterprise" {
        Uscc::parse(&id)
            .map(Subject::Enterprise)
            .map_err(|e| {
                problems.push(FieldProblem::new("applicant.uscc", e.rule(), e.to_string()))
            })
            .ok()
    } else {
        ResidentId::parse(&id)
            .map(Subject::Person)
            .map_err(|e| {
                problems.push(FieldProblem::new(
                    "applicant.resident_id",
                    e.rule(),
                    e.to_string(),
                ))
            })
            .ok()
    };
    let name = name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        problems.push(FieldProblem::new(
            "applicant.name",
            "length",
            "name must be 1 to 100 characters",
        ));
    }
    let region = RegionCode::parse(region.trim())
        .map_err(|e| {
            problems.push(FieldProblem::new(
                "applicant.region",
                e.rule(),
                e.to_string(),
            ))
        })
        .ok();
    let applicant = subject.zip(region).map(|(subject, region)| match subject {
        Subject::Person(resident_id) => Applicant::Person {
            resident_id,
            name,
            region,
        },
        Subject::Enterprise(uscc) => Applicant::Enterprise { uscc, name, region },
    });
    match applicant {
        Some(a) if problems.is_empty() => Ok(a),
        _ => Err(ServiceError::Invalid(problems)),
    }
}

/// The applicant of an online application: the caller's own account.
pub fn own_applicant(caller: &Caller) -> Result<Applicant> {
    let subject = caller.user().subject.clone().unwrap_or_default();
    let region = caller.user().region.clone().unwrap_or_default();
    let name = caller.user().display_name.clone();
    let input = if ResidentId::parse(&subject).is_ok() {
        ApplicantInput::Person {
            resident_id: subject,
            name,
            region,
        }
    } else {
        ApplicantInput::Enterprise {
            uscc: subject,
            name,
            region,
        }
    };
    applicant(input)
}

/// What to apply for: exactly one of a one-thing and a matter code.
pub fn target(one_thing: Option<&str>, matter: Option<&str>) -> Result<Target> {
    match (one_thing, matter) {
        (Some(code), None) => OneThingCode::parse(code)
            .map(Target::OneThing)
            .map_err(|e| ServiceError::invalid("one_thing", e.rule(), e.to_string())),
        (None, Some(code)) => MatterCode::parse(code)
            .map(Target::Matter)
            .map_err(|e| ServiceError::invalid("matter", e.rule(), e.to_string())),
        _ => Err(ServiceError::invalid(
            "one_thing",
            "one_of",
            "give exactly one of one_thing and matter",
        )),
    }
}

/// The fields of an action on a case, as given.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = ActionBody))]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    /// The case version the caller read.
    pub version: Option<u64>,
    /// Reason (reject, withdraw).
    pub reason: Option<String>,
    /// Materials still missing (accept-with-deficiency).
    pub materials: Option<Vec<String>>,
    /// Working days to bring them (accept-with-deficiency).
    pub due_in: Option<u32>,
    /// Whether the supplement is brought to a window (supplement).
    pub at_window: Option<bool>,
    /// `window`, `express` or `electronic` (deliver).
    pub mode: Option<String>,
    /// Express tracking number (deliver by express).
    pub tracking: Option<String>,
    /// Pickup window (deliver at a window).
    pub window: Option<String>,
    /// 1 to 5 (rate).
    pub score: Option<u8>,
    /// Remark (rate).
    pub comment: Option<String>,
}

fn required<T>(v: Option<T>, field: &str, what: &str) -> Result<T> {
    v.ok_or_else(|| {
        ServiceError::invalid(field, "required", format!("{field} is required: {what}"))
    })
}

fn keys(field: &str, raw: &[String]) -> Result<Vec<FieldKey>> {
    raw.iter()
        .map(|m| {
            FieldKey::parse(m).map_err(|e| ServiceError::invalid(field, e.rule(), e.to_string()))
        })
        .collect()
}

/// The action `kind` (`accept`, `accept-with-deficiency`, `reject`,
/// `withdraw`, `supplement`, `issue`, `deliver`, `rate`) with the fields of
/// `b`; each bad field is a problem naming it, an unknown kind not found.
pub fn action(kind: &str, b: &ActionInput) -> Result<Action> {
    Ok(match kind {
        "accept" => Action::Accept,
        "accept-with-deficiency" => {
            let materials = keys(
                "materials",
                &required(b.materials.clone(), "materials", "the missing materials")?,
            )?;
            let days = required(b.due_in, "due_in", "working days to bring them")?;
            let due_in = WorkingDays::new(days)
                .map_err(|e| ServiceError::invalid("due_in", e.rule(), e.to_string()))?;
            Action::AcceptWithDeficiency { materials, due_in }
        }
        "reject" => Action::Reject {
            reason: b.reason.clone().unwrap_or_default(),
        },
        "withdraw" => Action::Withdraw {
            reason: b.reason.clone().unwrap_or_default(),
        },
        "supplement" => Action::Supplement {
            at_window: b.at_window.unwrap_or(false),
        },
        "issue" => Action::IssueResult,
        "deliver" => {
            let mode = match required(b.mode.as_deref(), "mode", "window, express or electronic")? {
                "window" => DeliveryMode::Window,
                "express" => DeliveryMode::Express,
                "electronic" => DeliveryMode::Electronic,
                other => {
                    return Err(ServiceError::invalid(
                        "mode",
                        "one_of",
                        format!("{other:?} is not window, express or electronic"),
                    ));
                }
            };
            let tracking = b
                .tracking
                .as_deref()
                .map(|t| {
                    TrackingNumber::parse(t)
                        .map_err(|e| ServiceError::invalid("tracking", e.rule(), e.to_string()))
                })
                .transpose()?;
            let window = b
                .window
                .as_deref()
                .map(|w| {
                    WindowCode::parse(w)
                        .map_err(|e| ServiceError::invalid("window", e.rule(), e.to_string()))
                })
                .transpose()?;
            Action::Deliver {
                mode,
                tracking,
                window,
            }
        }
        "rate" => {
            let score = required(b.score, "score", "1 to 5")?;
            Action::Rate(
                Rating::new(score, b.comment.clone())
                    .map_err(|e| ServiceError::invalid("score", e.rule(), e.to_string()))?,
            )
        }
        other => {
            return Err(ServiceError::NotFound {
                what: "action",
                id: other.to_owned(),
            });
        }
    })
}

/// A reviewer's decision: `approve`, `deny`, or `supplement` naming the
/// materials to bring.
pub fn decision_outcome(outcome: &str, materials: &[String]) -> Result<Outcome> {
    match outcome {
        "approve" => Ok(Outcome::Approve),
        "deny" => Ok(Outcome::Deny),
        "supplement" => Ok(Outcome::Supplement {
            materials: keys("materials", materials)?,
        }),
        other => Err(ServiceError::invalid(
            "outcome",
            "one_of",
            format!("{other:?} is not approve, deny or supplement"),
        )),
    }
}

/// Where a retry-safe key came from: the API's `Idempotency-Key` header, or
/// the random key a page's form was rendered with (a double click submits
/// once). The two never collide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFrom {
    /// The `Idempotency-Key` header.
    Header,
    /// A page's form.
    Page,
}

/// The retry-safe key of a submission: the caller's own (another caller's
/// same key is another key), 1 to 200 characters, with the SHA-256 of what
/// was sent, so that the same key with another request is refused.
pub fn idempotency_key(
    caller: &Caller,
    from: KeyFrom,
    key: &str,
    request: &[u8],
) -> Result<IdempotencyKey> {
    let key = key.trim();
    if key.is_empty() || key.len() > 200 || !key.bytes().all(|b| b == b' ' || b.is_ascii_graphic())
    {
        return Err(ServiceError::invalid(
            "Idempotency-Key",
            "format",
            "1 to 200 visible ASCII characters",
        ));
    }
    Ok(IdempotencyKey {
        scope: caller.user().id.clone(),
        key: match from {
            KeyFrom::Header => key.to_owned(),
            KeyFrom::Page => format!("page:{key}"),
        },
        request_hash: hex::encode(Sha256::digest(request)),
    })
}
