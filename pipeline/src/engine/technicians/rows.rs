//! A business day's technician rows: attended, worked and sold time.

use super::{Clock, JobRef, Technicians};
use crate::engine::clockings::{self, Clocking, DaySpan};
use crate::engine::day_window;
use crate::engine::settings::WorkshopSettings;
use crate::engine::timeline::first_key_at;
use crate::events::{ClockKind, RepairOrderId, TechnicianId};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// One technician's time on one business day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TechnicianDay {
    /// The technician.
    pub technician_id: TechnicianId,
    /// Seconds on shift (出勤).
    pub attended_s: i64,
    /// Seconds clocked on jobs (实际工时).
    pub worked_s: i64,
    /// Seconds of standard time credited (已售工时).
    pub sold_s: i64,
    /// Distinct jobs clocked on that day.
    pub jobs_clocked: u32,
    /// Clock-ons closed by the day close (forgotten clock-offs).
    pub auto_closed: u32,
    /// Corrected clockings that day.
    pub adjustments: u32,
    /// Clock-offs with nothing matching open.
    pub unmatched_offs: u32,
}

impl Technicians {
    /// The technician rows of a business day. `passed` are the repair orders
    /// that first passed QC that day (their jobs' standard time is sold then).
    pub fn rows(
        &self,
        settings: &WorkshopSettings,
        date: NaiveDate,
        passed: &[&RepairOrderId],
    ) -> Vec<TechnicianDay> {
        let sold = self.sold_on(settings, passed);
        let span = clockings::day_span(settings, date);
        let closing = |d| self.closing(settings, d);
        let mut rows = Vec::new();
        for (technician, clock) in &self.clocks {
            if clock.first_day().is_none_or(|first| first > date) {
                continue;
            }
            let mut unmatched = BTreeMap::new();
            let mut corrected = |clocks, kind| {
                let around = day_window::around(clocks, date, |c: &Clocking| c.on);
                let raw = clockings::intervals(around, &mut unmatched, closing);
                let near = clockings::near(
                    &clock.adjustments,
                    clock.made_after_off_ms,
                    kind,
                    &raw,
                    span,
                );
                clockings::adjusted(raw, &near, kind)
            };
            let mut row = TechnicianDay {
                technician_id: technician.clone(),
                attended_s: 0,
                worked_s: 0,
                sold_s: sold.get(technician).copied().unwrap_or(0),
                jobs_clocked: 0,
                auto_closed: 0,
                adjustments: corrections_of(clock, span, date),
                unmatched_offs: 0,
            };
            // Each interval's time on the day, once.
            for i in &corrected(&clock.shift, ClockKind::Shift) {
                let on = clockings::seconds_on(i, span);
                row.attended_s += on;
                row.auto_closed += u32::from(on > 0 && i.auto_closed);
            }
            let job_list = corrected(&clock.job, ClockKind::Job);
            let mut jobs = Vec::new();
            for i in &job_list {
                let on = clockings::seconds_on(i, span);
                row.worked_s += on;
                if on > 0 {
                    jobs.extend(i.job);
                    row.auto_closed += u32::from(i.auto_closed);
                }
            }
            row.jobs_clocked = distinct(jobs);
            row.unmatched_offs = unmatched.get(&date).copied().unwrap_or(0);
            rows.push(row);
        }
        rows.sort_by(|a, b| a.technician_id.cmp(&b.technician_id));
        rows
    }
}

/// How many of a clock's corrections correct `date` (whose span is `span`).
/// A correction is made at most `made_after_off_ms` before the end of the
/// interval it sets (`clockings::made_after_off_ms`), which ends after the
/// day's start: only corrections made since then are read, not every one
/// ever made.
fn corrections_of(clock: &Clock, span: DaySpan, date: NaiveDate) -> u32 {
    let made_since = match span {
        Some((start, _)) => clock.adjustments.range(
            &first_key_at(
                start
                    .timestamp_millis()
                    .saturating_add(clock.made_after_off_ms),
            )..,
        ),
        None => clock.adjustments.range(..),
    };
    made_since.iter().filter(|(_, a)| a.day == date).count() as u32
}

/// How many distinct jobs. A technician clocks a handful a day, so sorting
/// a small vector beats filing them in a set.
fn distinct(mut jobs: Vec<&JobRef>) -> u32 {
    jobs.sort_unstable();
    jobs.dedup();
    jobs.len() as u32
}
