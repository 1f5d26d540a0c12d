//! 好差评: a case's applicant rates it once online (一事一评), written with
//! the case's `rated` transition; a visitor rates their visit once at the
//! window's tablet (一次一评). A 差评 opens a follow-up for its unit — the
//! case's lead department (its first task's), or the window area for a
//! visit — which must contact the applicant and reply within working-day
//! deadlines; then the applicant may rate once more (追评). The register
//! is public without personal data; overdue follow-ups are the
//! supervisors'.

use uuid::Uuid;
use yici_core::case::{Case, CaseState, Target};
use yici_hall::rating::{FollowUpDue, Level, follow_up_due, lateness, public_comment};
use yici_store::Alongside;
use yici_store::hall::{NewRating, Rating, TicketState, UnitFigures, rating_alongside};

use crate::context::Service;
use crate::error::{Result, ServiceError};
use crate::gate::{ApplicantDesk, Caller, ReviewDesk, SupervisionDesk, WindowDesk};

/// Longest comment, reply or contact note, in characters.
const MAX_TEXT: usize = 2000;

fn not_found(id: &str) -> ServiceError {
    ServiceError::NotFound {
        what: "rating",
        id: id.to_owned(),
    }
}

fn text(field: &str, value: &str, required: bool) -> Result<String> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err(ServiceError::invalid(
            field,
            "required",
            format!("{field} is required"),
        ));
    }
    if v.chars().count() > MAX_TEXT {
        return Err(ServiceError::invalid(
            field,
            "max_length",
            format!("{field} is longer than {MAX_TEXT} characters"),
        ));
    }
    Ok(v.to_owned())
}

fn level(score: u8) -> Result<Level> {
    Level::of(score).ok_or_else(|| {
        ServiceError::invalid(
            "score",
            "one_of",
            "the score is 1 (非常不满意) to 5 (非常满意)",
        )
    })
}

impl Service {
    /// The follow-up deadlines of a 差评 given today, if `level` is one.
    fn follow_up_of(&self, level: Level) -> Result<Option<(String, String)>> {
        if !level.is_bad() {
            return Ok(None);
        }
        let due = follow_up_due(
            &self.catalog().follow_up,
            self.calendar(),
            self.clock().today(),
        )
        .map_err(|e| ServiceError::invalid("date", e.rule(), e.to_string()))?;
        Ok(Some((due.contact_by.to_string(), due.reply_by.to_string())))
    }

    /// The rating rows a transition from `before` to `after` writes: those
    /// of the rating it gave, if it rated the case.
    pub(crate) fn rating_alongside(
        &self,
        before: &Case,
        after: &Case,
        rater: &Caller,
    ) -> Result<Alongside> {
        let (Some(rating), true) = (
            &after.rating,
            after.state == CaseState::Rated && before.state != CaseState::Rated,
        ) else {
            return Ok(Alongside::default());
        };
        let level = level(rating.score())?;
        let unit = after
            .tasks
            .first()
            .map(|t| t.department.to_string())
            .ok_or_else(|| ServiceError::internal("a rated case without tasks"))?;
        let comment = rating.comment().unwrap_or_default().to_owned();
        let r = NewRating {
            id: Uuid::now_v7().to_string(),
            channel: "online".into(),
            case_id: Some(after.id.to_string()),
            ticket_id: None,
            unit,
            unit_kind: "department".into(),
            target: match &after.target {
                Target::OneThing(c) => c.to_string(),
                Target::Matter(c) => c.to_string(),
            },
            score: rating.score(),
            bad: level.is_bad(),
            public_comment: public_comment(&comment),
            comment,
            rater: rater.user().id.clone(),
            rated_ms: self.clock().now_ms(),
            day: self.clock().today().to_string(),
            follow_up: self.follow_up_of(level)?,
        };
        Ok(rating_alongside(&r))
    }

    /// The public register: ratings newest first, of one unit or all,
    /// after the cursor of the previous page.
    pub async fn public_ratings(
        &self,
        unit: Option<&str>,
        before: Option<(i64, &str)>,
        limit: u32,
    ) -> Result<Vec<Rating>> {
        Ok(self.store().ratings_page(unit, before, limit).await?)
    }

    /// Every unit's figures: ratings, 差评, follow-ups on time.
    pub async fn rating_figures(&self) -> Result<Vec<UnitFigures>> {
        Ok(self
            .store()
            .rating_figures(&self.clock().today().to_string())
            .await?)
    }

    /// Whether a follow-up is late today.
    pub fn is_late(&self, r: &Rating) -> bool {
        r.follow_up.as_ref().is_some_and(|f| {
            let day = |s: &str| crate::hall::parse_day("day", s).ok();
            let (Some(contact_by), Some(reply_by)) = (day(&f.contact_by), day(&f.reply_by)) else {
                return false;
            };
            let due = FollowUpDue {
                contact_by,
                reply_by,
            };
            lateness(
                &due,
                f.contacted.as_ref().and_then(|c| day(&c.1)),
                f.replied.as_ref().and_then(|c| day(&c.1)),
                self.clock().today(),
            )
            .any()
        })
    }

    /// A unit's follow-ups (open ones only, or all).
    async fn unit_follow_ups(&self, unit: &str, open_only: bool) -> Result<Vec<Rating>> {
        Ok(self.store().follow_ups_of(unit, open_only).await?)
    }

    /// A follow-up of `unit` by its rating's id.
    async fn unit_follow_up(&self, unit: &str, id: &str) -> Result<Rating> {
        self.store()
            .rating(id)
            .await?
            .filter(|r| r.unit == unit && r.follow_up.is_some())
            .ok_or_else(|| not_found(id))
    }

    async fn contact(&self, unit: &str, by: &Caller, id: &str, note: &str) -> Result<Rating> {
        let note = text("note", note, true)?;
        self.unit_follow_up(unit, id).await?;
        let (now, today) = (self.clock().now_ms(), self.clock().today().to_string());
        if !self
            .store()
            .contact_follow_up(id, &by.user().id, &note, now, &today)
            .await?
        {
            return Err(ServiceError::StateConflict(
                "the applicant was already contacted".into(),
            ));
        }
        self.unit_follow_up(unit, id).await
    }

    async fn reply(&self, unit: &str, by: &Caller, id: &str, reply: &str) -> Result<Rating> {
        let reply = text("reply", reply, true)?;
        let r = self.unit_follow_up(unit, id).await?;
        // On time when neither step is late today (the contact's day is kept).
        let on_time = !self.is_late(&r);
        let (now, today) = (self.clock().now_ms(), self.clock().today().to_string());
        // The rater is told in the same transaction.
        let also = match self.store().user_by_id(&r.rater).await? {
            Some(rater) => {
                let subject = rater.subject.unwrap_or(rater.id);
                let unit_name = self.unit_name(&r.unit);
                yici_store::messages::message_alongside(&[crate::notify::news::follow_up_reply(
                    &r.id, &subject, &unit_name, &reply, now,
                )])
            }
            None => yici_store::Alongside::default(),
        };
        if !self
            .store()
            .reply_follow_up(id, &by.user().id, &reply, (now, &today), on_time, also)
            .await?
        {
            return Err(ServiceError::StateConflict(
                "a follow-up is replied once, after the applicant was contacted".into(),
            ));
        }
        self.unit_follow_up(unit, id).await
    }
}

impl ReviewDesk<'_> {
    /// The department's follow-ups of 差评 (open ones only, or all).
    pub async fn follow_ups(&self, open_only: bool) -> Result<Vec<Rating>> {
        self.service()
            .unit_follow_ups(self.department(), open_only)
            .await
    }

    /// Records that the applicant of a 差评 was contacted, and what was said.
    pub async fn contact_follow_up(&self, id: &str, note: &str) -> Result<Rating> {
        self.service()
            .contact(self.department(), self.caller(), id, note)
            .await
    }

    /// Replies with the rectification (public).
    pub async fn reply_follow_up(&self, id: &str, reply: &str) -> Result<Rating> {
        self.service()
            .reply(self.department(), self.caller(), id, reply)
            .await
    }
}

impl WindowDesk<'_> {
    /// Rates a served visit at the counter's tablet, once (一次一评).
    pub async fn rate_visit(&self, ticket: &str, score: u8, comment: &str) -> Result<Rating> {
        let service = self.service();
        let level = level(score)?;
        let comment = text("comment", comment, false)?;
        let t = service
            .store()
            .ticket(ticket)
            .await?
            .filter(|t| t.window == self.window())
            .ok_or_else(|| ServiceError::NotFound {
                what: "ticket",
                id: ticket.to_owned(),
            })?;
        if t.state != TicketState::Done {
            return Err(ServiceError::StateConflict(format!(
                "number {} is {}: a visit is rated once it was served",
                t.number,
                t.state.as_str()
            )));
        }
        let r = NewRating {
            id: Uuid::now_v7().to_string(),
            channel: "window".into(),
            case_id: None,
            ticket_id: Some(t.id),
            unit: self.window().to_owned(),
            unit_kind: "window".into(),
            target: self.window().to_owned(),
            score,
            bad: level.is_bad(),
            public_comment: public_comment(&comment),
            comment,
            rater: self.caller().user().id.clone(),
            rated_ms: service.clock().now_ms(),
            day: service.clock().today().to_string(),
            follow_up: service.follow_up_of(level)?,
        };
        if !service.store().insert_rating(&r).await? {
            return Err(ServiceError::StateConflict(
                "this visit was already rated".into(),
            ));
        }
        service
            .store()
            .rating(&r.id)
            .await?
            .ok_or_else(|| not_found(&r.id))
    }

    /// The window area's follow-ups of 差评 of its visits.
    pub async fn follow_ups(&self, open_only: bool) -> Result<Vec<Rating>> {
        self.service()
            .unit_follow_ups(self.window(), open_only)
            .await
    }

    /// Records that the visitor of a 差评 was contacted.
    pub async fn contact_follow_up(&self, id: &str, note: &str) -> Result<Rating> {
        self.service()
            .contact(self.window(), self.caller(), id, note)
            .await
    }

    /// Replies with the rectification (public).
    pub async fn reply_follow_up(&self, id: &str, reply: &str) -> Result<Rating> {
        self.service()
            .reply(self.window(), self.caller(), id, reply)
            .await
    }
}

impl ApplicantDesk<'_> {
    /// The ratings the applicant gave, newest first, with their follow-ups.
    pub async fn my_ratings(&self) -> Result<Vec<Rating>> {
        Ok(self
            .service()
            .store()
            .ratings_by(&self.caller().user().id, 100)
            .await?)
    }

    /// Rates a replied follow-up once more (追评).
    pub async fn second_rating(&self, id: &str, score: u8, comment: &str) -> Result<Rating> {
        level(score)?;
        let comment = text("comment", comment, false)?;
        let store = self.service().store();
        store
            .rating(id)
            .await?
            .filter(|r| r.rater == self.caller().user().id)
            .ok_or_else(|| not_found(id))?;
        if !store
            .second_rating(id, score, &comment, self.service().clock().now_ms())
            .await?
        {
            return Err(ServiceError::StateConflict(
                "a second rating is given once, after the department replied".into(),
            ));
        }
        store.rating(id).await?.ok_or_else(|| not_found(id))
    }
}

impl SupervisionDesk<'_> {
    /// Follow-ups of 差评 that are late today, oldest first.
    pub async fn late_follow_ups(&self) -> Result<Vec<Rating>> {
        let service = self.service();
        Ok(service
            .store()
            .late_follow_ups(&service.clock().today().to_string())
            .await?)
    }
}

/// Who follows up 差评: a department's reviewer (its department's) or a
/// window clerk (their window area's visits).
pub enum FollowUpDesk<'a> {
    /// A department's.
    Department(ReviewDesk<'a>),
    /// A window area's.
    Window(WindowDesk<'a>),
}

impl Service {
    /// The follow-up desk of a reviewer or a clerk; other roles are refused.
    pub fn follow_up_desk<'a>(&'a self, caller: &'a Caller) -> Result<FollowUpDesk<'a>> {
        if let Ok(d) = self.review(caller) {
            return Ok(FollowUpDesk::Department(d));
        }
        self.window(caller).map(FollowUpDesk::Window).map_err(|_| {
            ServiceError::Forbidden(format!(
                "following up ratings needs the role reviewer or clerk; you are {}",
                caller.role()
            ))
        })
    }
}

impl FollowUpDesk<'_> {
    /// The unit's follow-ups (open ones only, or all).
    pub async fn list(&self, open_only: bool) -> Result<Vec<Rating>> {
        match self {
            FollowUpDesk::Department(d) => d.follow_ups(open_only).await,
            FollowUpDesk::Window(d) => d.follow_ups(open_only).await,
        }
    }

    /// Records the contact with the applicant.
    pub async fn contact(&self, id: &str, note: &str) -> Result<Rating> {
        match self {
            FollowUpDesk::Department(d) => d.contact_follow_up(id, note).await,
            FollowUpDesk::Window(d) => d.contact_follow_up(id, note).await,
        }
    }

    /// Replies with the rectification.
    pub async fn reply(&self, id: &str, reply: &str) -> Result<Rating> {
        match self {
            FollowUpDesk::Department(d) => d.reply_follow_up(id, reply).await,
            FollowUpDesk::Window(d) => d.reply_follow_up(id, reply).await,
        }
    }
}

impl Service {
    /// The Chinese name of a rating's unit: a department or a window area.
    fn unit_name(&self, unit: &str) -> String {
        let catalog = self.catalog();
        yici_core::catalog::DepartmentCode::parse(unit)
            .ok()
            .and_then(|c| catalog.departments.get(&c).map(|d| d.name.zh.to_string()))
            .or_else(|| {
                yici_core::catalog::WindowCode::parse(unit)
                    .ok()
                    .and_then(|c| catalog.windows.get(&c).map(|w| w.name.zh.to_string()))
            })
            .unwrap_or_else(|| unit.to_owned())
    }
}
