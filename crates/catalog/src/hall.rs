//! The service hall's part of the catalog: the window areas of
//! `windows.toml` with their appointments and the hall's booking rules, and
//! the departments' follow-up of bad ratings (`[follow_up]` of
//! `departments.toml`).

use toml::Spanned;
use yici_core::catalog::appointments::parse_clock;
use yici_core::catalog::{
    Appointments, BookingPolicy, FollowUpPolicy, OpeningSpan, WindowArea, WindowCode,
};

use crate::file::{RawAppointments, RawBookingPolicy};
use crate::load::{Files, Reader};
use crate::problem::At;

impl Reader {
    pub(crate) fn follow_up(&mut self, files: &Files) {
        for (fid, file) in &files.departments {
            let Some(raw) = &file.follow_up else { continue };
            let raw = raw.get_ref();
            let d = FollowUpPolicy::default();
            let mut pick = |v: &Option<Spanned<i64>>, what: &str, default: u32| {
                v.as_ref()
                    .and_then(|v| self.number(*fid, v, what, 1, 365))
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or(default)
            };
            self.catalog.follow_up = FollowUpPolicy {
                contact_working_days: pick(
                    &raw.contact_working_days,
                    "contact_working_days",
                    d.contact_working_days,
                ),
                reply_working_days: pick(
                    &raw.reply_working_days,
                    "reply_working_days",
                    d.reply_working_days,
                ),
            };
        }
    }

    pub(crate) fn windows(&mut self, files: &Files) {
        for (fid, file) in &files.windows {
            if let Some(raw) = &file.booking {
                self.catalog.booking = self.booking_policy(*fid, raw.get_ref());
            }
            for raw in &file.window {
                let raw = raw.get_ref();
                let code = self.code(*fid, &raw.code, "window", WindowCode::parse);
                let region = self.region_ref(*fid, &raw.region);
                let appointments = raw
                    .appointments
                    .as_ref()
                    .map(|a| self.appointments(*fid, a));
                let (Some(code), Some(region)) = (code, region) else {
                    continue;
                };
                if self.catalog.windows.contains_key(&code) {
                    self.duplicate(*fid, &raw.code, "window");
                    continue;
                }
                let window = WindowArea {
                    code: code.clone(),
                    name: raw.name.clone(),
                    region,
                    address: raw.address.clone(),
                    appointments: appointments.flatten(),
                };
                self.catalog.windows.insert(code, window);
            }
        }
    }

    /// A number within `min..=max`, or a problem at it.
    fn number(
        &mut self,
        fid: usize,
        raw: &Spanned<i64>,
        what: &str,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        let n = *raw.get_ref();
        if (min..=max).contains(&n) {
            return Some(n);
        }
        self.problems.report(
            At::new(fid, raw.span()),
            "out_of_range",
            format!("{what} must be between {min} and {max}, not {n}"),
        );
        None
    }

    fn booking_policy(&mut self, fid: usize, raw: &RawBookingPolicy) -> BookingPolicy {
        let d = BookingPolicy::default();
        let mut pick = |v: &Option<Spanned<i64>>, what: &str, min: i64, max: i64, default: u32| {
            v.as_ref()
                .and_then(|v| self.number(fid, v, what, min, max))
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(default)
        };
        BookingPolicy {
            horizon_days: u16::try_from(pick(
                &raw.horizon_days,
                "horizon_days",
                1,
                366,
                u32::from(d.horizon_days),
            ))
            .unwrap_or(d.horizon_days),
            cancel_cutoff_minutes: pick(
                &raw.cancel_cutoff_minutes,
                "cancel_cutoff_minutes",
                0,
                7 * 24 * 60,
                d.cancel_cutoff_minutes,
            ),
            check_in_early_minutes: pick(
                &raw.check_in_early_minutes,
                "check_in_early_minutes",
                0,
                24 * 60,
                d.check_in_early_minutes,
            ),
            no_show_limit: pick(&raw.no_show_limit, "no_show_limit", 1, 100, d.no_show_limit),
            no_show_days: pick(&raw.no_show_days, "no_show_days", 1, 3660, d.no_show_days),
            suspend_days: pick(&raw.suspend_days, "suspend_days", 0, 3660, d.suspend_days),
        }
    }

    fn appointments(&mut self, fid: usize, raw: &Spanned<RawAppointments>) -> Option<Appointments> {
        let r = raw.get_ref();
        let slot = self.number(fid, &r.slot_minutes, "slot_minutes", 5, 240);
        let capacity = self.number(fid, &r.capacity, "capacity", 1, 10_000);
        let mut hours = Vec::new();
        let mut ok = true;
        for span in &r.hours {
            match self.opening_span(fid, span, slot) {
                Some(s) => {
                    if hours
                        .last()
                        .is_some_and(|p: &OpeningSpan| p.closes > s.opens)
                    {
                        self.problems.report(
                            At::new(fid, span.span()),
                            "overlapping_hours",
                            format!(
                                "{:?} must start after the span before it closes",
                                span.get_ref()
                            ),
                        );
                        ok = false;
                    }
                    hours.push(s);
                }
                None => ok = false,
            }
        }
        if r.hours.is_empty() {
            self.problems.report(
                At::new(fid, raw.span()),
                "no_hours",
                "appointments need at least one span of opening hours, e.g. \"09:00-12:00\"",
            );
            ok = false;
        }
        Some(Appointments {
            slot_minutes: u16::try_from(slot?).ok()?,
            capacity: u32::try_from(capacity?).ok()?,
            hours,
        })
        .filter(|_| ok)
    }

    fn opening_span(
        &mut self,
        fid: usize,
        raw: &Spanned<String>,
        slot: Option<i64>,
    ) -> Option<OpeningSpan> {
        let at = At::new(fid, raw.span());
        let parsed = raw
            .get_ref()
            .split_once('-')
            .and_then(|(a, b)| Some((parse_clock(a)?, parse_clock(b)?)));
        let Some((opens, closes)) = parsed.filter(|(a, b)| a < b) else {
            self.problems.report(
                at,
                "malformed_hours",
                format!(
                    "{:?} is not a span like \"09:00-12:00\" that closes after it opens",
                    raw.get_ref()
                ),
            );
            return None;
        };
        if let Some(slot) = slot.filter(|s| i64::from(closes - opens) % s != 0) {
            self.problems.report(
                at,
                "hours_not_whole_slots",
                format!(
                    "{:?} is not a whole number of {slot}-minute slots",
                    raw.get_ref()
                ),
            );
            return None;
        }
        Some(OpeningSpan { opens, closes })
    }
}
