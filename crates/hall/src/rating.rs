//! 好差评: the five levels of a rating, which of them are a 差评 (bad
//! rating), the department's deadlines to follow one up (contact the
//! applicant, rectify and reply, in working days), whether a follow-up was
//! on time, and the comment as the public may read it.

use serde::Serialize;
use time::Date;
use yici_core::calendar::{Calendar, CalendarError};
use yici_core::catalog::FollowUpPolicy;

/// The five levels, from 非常满意 (5) to 非常不满意 (1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 非常满意.
    VerySatisfied,
    /// 满意.
    Satisfied,
    /// 基本满意.
    FairlySatisfied,
    /// 不满意: a 差评.
    Dissatisfied,
    /// 非常不满意: a 差评.
    VeryDissatisfied,
}

impl Level {
    /// The level of a score from 1 to 5.
    pub fn of(score: u8) -> Option<Level> {
        match score {
            5 => Some(Level::VerySatisfied),
            4 => Some(Level::Satisfied),
            3 => Some(Level::FairlySatisfied),
            2 => Some(Level::Dissatisfied),
            1 => Some(Level::VeryDissatisfied),
            _ => None,
        }
    }

    /// Its name, in Chinese (`zh`) or English.
    pub fn name(self, lang: &str) -> &'static str {
        let (zh, en) = match self {
            Level::VerySatisfied => ("非常满意", "Very satisfied"),
            Level::Satisfied => ("满意", "Satisfied"),
            Level::FairlySatisfied => ("基本满意", "Fairly satisfied"),
            Level::Dissatisfied => ("不满意", "Dissatisfied"),
            Level::VeryDissatisfied => ("非常不满意", "Very dissatisfied"),
        };
        if lang == "en" { en } else { zh }
    }

    /// Whether it is a 差评, which the department must follow up.
    pub fn is_bad(self) -> bool {
        matches!(self, Level::Dissatisfied | Level::VeryDissatisfied)
    }
}

/// When a follow-up is due: contact by the end of `contact_by`, reply by
/// the end of `reply_by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FollowUpDue {
    /// The applicant must be contacted by this day.
    pub contact_by: Date,
    /// The rectification must be replied by this day.
    pub reply_by: Date,
}

/// The deadlines of a 差评 given on `rated` (a day of the hall, working or
/// not): counted in working days from it.
pub fn follow_up_due(
    policy: &FollowUpPolicy,
    calendar: &Calendar,
    rated: Date,
) -> Result<FollowUpDue, CalendarError> {
    Ok(FollowUpDue {
        contact_by: calendar.add_working_days(rated, policy.contact_working_days)?,
        reply_by: calendar.add_working_days(rated, policy.reply_working_days)?,
    })
}

/// What of a follow-up is late on `today`: the contact, the reply, both or
/// neither. A step done late stays late.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Lateness {
    /// The contact was (or is) late.
    pub contact: bool,
    /// The reply was (or is) late.
    pub reply: bool,
}

impl Lateness {
    /// Whether anything is late.
    pub fn any(self) -> bool {
        self.contact || self.reply
    }
}

/// How late a follow-up is on `today`, given the days it was contacted and
/// replied on, if it was.
pub fn lateness(
    due: &FollowUpDue,
    contacted: Option<Date>,
    replied: Option<Date>,
    today: Date,
) -> Lateness {
    Lateness {
        contact: contacted.unwrap_or(today) > due.contact_by,
        reply: replied.unwrap_or(today) > due.reply_by,
    }
}

/// The comment as the public reads it: runs of six or more digits (an
/// identity number, a telephone number) masked, so that the public register
/// carries no personal data the applicant typed by mistake.
pub fn public_comment(comment: &str) -> String {
    let chars: Vec<char> = comment.chars().collect();
    let mut out = String::with_capacity(comment.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || matches!(c, 'x' | 'X'))
            .count();
        if run >= 6 {
            out.push_str("***");
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_two_lowest_levels_are_bad() {
        let bad: Vec<u8> = (1..=5)
            .filter(|s| Level::of(*s).is_some_and(Level::is_bad))
            .collect();
        assert_eq!(bad, [1, 2]);
        assert_eq!(Level::of(0), None);
        assert_eq!(Level::of(6), None);
        assert_eq!(Level::of(1).map(|l| l.name("zh")), Some("非常不满意"));
        assert_eq!(Level::of(4).map(|l| l.name("en")), Some("Satisfied"));
    }

    #[test]
    fn deadlines_are_working_days_across_the_holiday() {
        // Rated on the eve of the National Day holiday (10-01 … 10-07 off,
        // Saturday 10-10 worked): one working day is 10-08; fifteen end on
        // 10-27 (10-08, 09, 10, 12 … 16, 19 … 23, 26, 27).
        let due = follow_up_due(
            &FollowUpPolicy::default(),
            Calendar::official(),
            date!(2026 - 09 - 30),
        )
        .expect("covered");
        assert_eq!(due.contact_by, date!(2026 - 10 - 08));
        assert_eq!(due.reply_by, date!(2026 - 10 - 27));
    }

    #[test]
    fn lateness_is_judged_by_the_days_the_steps_were_done() {
        let due = FollowUpDue {
            contact_by: date!(2026 - 10 - 08),
            reply_by: date!(2026 - 10 - 26),
        };
        let on_time = lateness(
            &due,
            Some(date!(2026 - 10 - 08)),
            Some(date!(2026 - 10 - 20)),
            date!(2026 - 12 - 01),
        );
        assert!(!on_time.any());
        let open = lateness(&due, None, None, date!(2026 - 10 - 09));
        assert_eq!(
            open,
            Lateness {
                contact: true,
                reply: false
            }
        );
        let late = lateness(
            &due,
            Some(date!(2026 - 10 - 08)),
            Some(date!(2026 - 10 - 27)),
            date!(2026 - 10 - 27),
        );
        assert_eq!(
            late,
            Lateness {
                contact: false,
                reply: true
            }
        );
    }

    #[test]
    fn numbers_like_ids_and_phones_are_masked() {
        assert_eq!(
            public_comment("我的身份证33021219900307001X，电话13812345678，等了40分钟"),
            "我的身份证***，电话***，等了40分钟"
        );
        assert_eq!(public_comment("窗口2号态度好"), "窗口2号态度好");
    }
}
