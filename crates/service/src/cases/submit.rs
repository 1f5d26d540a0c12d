//! Submitting an application: online by the applicant (checked against the
//! plan and accepted at once when complete: when every material the
//! applicant brings has a file, given with it or after it), or at any
//! window of the city by a clerk for the applicant (全城通办). The same
//! `Idempotency-Key` returns the same case, never a second one.

use uuid::Uuid;
use yici_catalog::Plan;
use yici_catalog::form::validate;
use yici_core::case::{
    Action, Applicant, Case, CaseId, Channel, Target, TaskId, TaskSpec, accept_online, apply,
    corrections, record_corrections, settle, system_actor,
};
use yici_core::catalog::WindowCode;
use yici_exchange::prefill::{personal_plan, prefill};
use yici_store::{IdempotencyKey, Inserted};

use super::act::opened_messages;
use super::input::{ApplicantInput, applicant, own_applicant};
use crate::context::Service;
use crate::error::{FieldProblem, Result, ServiceError};
use crate::gate::{ApplicantDesk, Caller, Intake, WindowDesk, owner_of, within};
use crate::materials::Prepared;

/// A case just submitted.
#[derive(Debug)]
pub struct Submitted {
    /// The case.
    pub case: Case,
    /// False when an idempotency key replayed an earlier submission.
    pub created: bool,
}

/// An application as given through the API: what, for whom, through which
/// channel, with which form.
#[derive(Debug, Clone)]
pub struct Application {
    /// What is applied for.
    pub target: Target,
    /// Who applies; an applicant online may omit it (their own account).
    pub applicant: Option<ApplicantInput>,
    /// The merged form's values, by field key.
    pub form: serde_json::Value,
    /// `online` or `window`.
    pub channel: String,
    /// The clerk's window (defaults to their own).
    pub window: Option<String>,
}

impl Intake<'_> {
    /// Submits `app` through the channel of the caller's role: applicants
    /// apply online, clerks at their window.
    pub async fn submit(&self, app: Application, key: Option<IdempotencyKey>) -> Result<Submitted> {
        match (self, app.channel.as_str()) {
            (Intake::Online(desk), "online") => {
                desk.apply_online(app.target, app.applicant, app.form, key)
                    .await
            }
            (Intake::Window(desk), "window") => {
                let given = app.applicant.ok_or_else(|| {
                    ServiceError::invalid(
                        "applicant",
                        "required",
                        "a window application names its applicant",
                    )
                })?;
                let window = app.window.unwrap_or_else(|| desk.window().to_owned());
                if window != desk.window() {
                    return Err(ServiceError::invalid(
                        "window",
                        "own_window",
                        format!("you work at window {}", desk.window()),
                    ));
                }
                desk.apply_at_window(app.target, applicant(given)?, app.form, key)
                    .await
            }
            (_, "online" | "window") => Err(ServiceError::invalid(
                "channel",
                "channel_for_role",
                "applicants apply online; clerks submit at a window",
            )),
            (_, other) => Err(ServiceError::invalid(
                "channel",
                "one_of",
                format!("{other:?} is not online or window"),
            )),
        }
    }
}

impl ApplicantDesk<'_> {
    /// Applies online for oneself. A given applicant must be the caller.
    /// An application whose plan has materials to bring waits, pre-checked,
    /// for their files.
    pub async fn apply_online(
        &self,
        target: Target,
        given: Option<ApplicantInput>,
        form: serde_json::Value,
        key: Option<IdempotencyKey>,
    ) -> Result<Submitted> {
        self.apply_online_with(target, given, form, key, Vec::new())
            .await
    }

    /// Applies online for oneself with files prepared for the materials
    /// (see [`ApplicantDesk::prepare_file`]); accepted at once when they
    /// cover every material the applicant brings. The files are discarded
    /// when the application is refused or was already made.
    pub async fn apply_online_with(
        &self,
        target: Target,
        given: Option<ApplicantInput>,
        form: serde_json::Value,
        key: Option<IdempotencyKey>,
        files: Vec<Prepared>,
    ) -> Result<Submitted> {
        let own = match self.own_for(given) {
            Ok(own) => own,
            Err(e) => {
                self.service().discard_prepared(files).await;
                return Err(e);
            }
        };
        let application = Submission {
            target,
            applicant: own,
            form,
            channel: Channel::Online,
            idempotency: key,
            files,
        };
        submit(self.service(), self.caller(), application).await
    }

    /// The caller as applicant; a given applicant must be the caller.
    fn own_for(&self, given: Option<ApplicantInput>) -> Result<Applicant> {
        let own = own_applicant(self.caller())?;
        if let Some(given) = given
            && owner_subject(&applicant(given)?) != owner_subject(&own)
        {
            return Err(ServiceError::Forbidden(
                "an applicant applies only for themselves".into(),
            ));
        }
        Ok(own)
    }
}

impl WindowDesk<'_> {
    /// Takes an application at the clerk's window, for an applicant of any
    /// district of the clerk's city (全城通办 stops at the city's edge).
    pub async fn apply_at_window(
        &self,
        target: Target,
        applicant: Applicant,
        form: serde_json::Value,
        key: Option<IdempotencyKey>,
    ) -> Result<Submitted> {
        self.check_applicant(&applicant)?;
        let window = WindowCode::parse(self.window())
            .map_err(|e| ServiceError::Forbidden(format!("your account has no window: {e}")))?;
        let application = Submission {
            target,
            applicant,
            form,
            channel: Channel::Window { window },
            idempotency: key,
            files: Vec::new(),
        };
        submit(self.service(), self.caller(), application).await
    }

    /// Refuses an applicant outside the clerk's city, naming the field.
    pub fn check_applicant(&self, applicant: &Applicant) -> Result<()> {
        self.check_region(&applicant.region().to_string())
    }

    /// Refuses a region outside the clerk's city (全城通办 stops at the
    /// city's edge), naming the field; checked beside the applicant's other
    /// fields, so that a form shows every problem at once.
    pub fn check_region(&self, region: &str) -> Result<()> {
        if within(region, self.city()) {
            Ok(())
        } else {
            Err(ServiceError::invalid(
                "applicant.region",
                "outside_city",
                "a window accepts for any district of its own city",
            ))
        }
    }
}

fn owner_subject(a: &Applicant) -> String {
    match a {
        Applicant::Person { resident_id, .. } => resident_id.to_string(),
        Applicant::Enterprise { uscc, .. } => uscc.to_string(),
    }
}

fn task_specs(plan: &Plan) -> Result<Vec<TaskSpec>> {
    let mut specs = Vec::new();
    for s in &plan.stages {
        for t in &s.tasks {
            // The limit came from a checked catalog, so it is in range.
            let promised_limit = yici_core::calendar::WorkingDays::new(t.promised_limit)
                .map_err(ServiceError::internal)?;
            specs.push(TaskSpec {
                id: TaskId::from_uuid(Uuid::now_v7()),
                matter: t.matter.clone(),
                department: t.department.clone(),
                stage: s.index,
                depends_on: t.depends_on.clone(),
                promised_limit,
                rule_decidable: t.rule_decidable,
            });
        }
    }
    Ok(specs)
}

/// The form's problems, each named `form.KEY`.
fn check_form(plan: &Plan, form: &serde_json::Value) -> Result<()> {
    validate(&plan.form, form).map_err(|errors| {
        ServiceError::Invalid(
            errors
                .into_iter()
                .map(|e| {
                    let field = if e.field == "form" {
                        e.field
                    } else {
                        format!("form.{}", e.field)
                    };
                    FieldProblem::new(field, e.rule, e.message)
                })
                .collect(),
        )
    })
}

/// What is submitted: the application and, online, the files prepared
/// for its materials.
struct Submission {
    target: Target,
    applicant: Applicant,
    form: serde_json::Value,
    channel: Channel,
    idempotency: Option<IdempotencyKey>,
    files: Vec<Prepared>,
}

/// Creates the case, then attaches the files given with it and accepts it
/// if they complete it; the files are discarded when no case was created.
async fn submit(service: &Service, caller: &Caller, mut s: Submission) -> Result<Submitted> {
    let files = std::mem::take(&mut s.files);
    let checked = crate::materials::check_room(service, &files);
    let created = match checked {
        Ok(()) => create(service, caller, s).await,
        Err(e) => Err(e),
    };
    let submitted = match created {
        Ok(submitted) if submitted.created && !files.is_empty() => submitted,
        other => {
            service.discard_prepared(files).await;
            return other;
        }
    };
    let stored = service
        .store()
        .case(&submitted.case.id)
        .await?
        .ok_or_else(|| ServiceError::Internal(format!("case {} vanished", submitted.case.id)))?;
    let mut files = files.into_iter();
    while let Some(f) = files.next() {
        if let Err(e) = service.attach(caller, &stored, f).await {
            service.discard_prepared(files.collect()).await;
            return Err(e);
        }
    }
    let case = service.accept_if_complete(stored).await?;
    Ok(Submitted {
        case,
        created: true,
    })
}

async fn create(service: &Service, caller: &Caller, s: Submission) -> Result<Submitted> {
    let Submission {
        target,
        applicant,
        form,
        channel,
        idempotency,
        ..
    } = s;
    let plan = service.plan_for(&target)?;
    check_form(&plan, &form)?;
    let records = service
        .records_for(&plan, &owner_subject(&applicant))
        .await?;
    let corrected = corrections(&prefill(&plan, &records), &form);
    let online = matches!(channel, Channel::Online);
    // Only an online application waits for files (at a window the clerk
    // sees the paper), so only it pays for the personal plan.
    let brings = online
        && !personal_plan(plan.clone(), &records)
            .materials
            .bring
            .is_empty();
    let today = service.clock().today();
    let calendar = service.calendar();
    let id = CaseId::from_uuid(Uuid::now_v7());
    let (submitted, mut events) = Case::submit(
        id,
        applicant,
        target,
        channel.clone(),
        form,
        task_specs(&plan)?,
        plan.trips,
        today,
        &caller.actor(),
    )?;
    record_corrections(&mut events, &corrected);
    let mut case = submitted.clone();
    if online {
        // The form was validated against the plan above: that is the
        // pre-check. A complete online application is accepted at once;
        // one with materials to give waits for their files, and one owing
        // a fee due before acceptance for its payment (which accepts it).
        let owes = !yici_payment::outstanding(
            &yici_payment::lines(service.catalog(), &case),
            &std::collections::BTreeSet::new(),
            yici_payment::Gate::Acceptance,
        )
        .is_empty();
        let t = if brings || owes {
            let pre_check = Action::PreCheck {
                passed: true,
                problems: vec![],
            };
            apply(&case, pre_check, &system_actor(), today, calendar)?
        } else {
            accept_online(&case, today, calendar)?
        };
        case = t.case;
        events.extend(t.events);
    }
    let settled = settle(service.catalog(), case, today, calendar)?;
    let case = settled.case;
    events.extend(settled.events);
    let outbox = opened_messages(service, &submitted, &case)?;
    let owner = owner_of(&case);
    let now = service.clock().now_ms();
    match service
        .store()
        .insert_case(&case, &owner, &events, &outbox, idempotency.as_ref(), now)
        .await?
    {
        Inserted::Created => Ok(Submitted {
            case,
            created: true,
        }),
        Inserted::Existing(existing) => {
            let stored = service.store().case(&existing).await?.ok_or_else(|| {
                ServiceError::Internal(format!("idempotent case {existing} vanished"))
            })?;
            Ok(Submitted {
                case: stored.case,
                created: false,
            })
        }
    }
}
